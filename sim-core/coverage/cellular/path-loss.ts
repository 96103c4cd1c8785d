/**
 * 3GPP TR 38.901 (V16.1.0 / V17.0.0, "Study on channel model for frequencies from 0.5 to 100 GHz")
 * clause 7.4.1, Table 7.4.1-1: path loss of the Urban Macro (UMa) and Urban Micro street-canyon
 * (UMi-Street Canyon) scenarios, LOS and NLOS, without shadow fading (the deterministic median: a
 * coverage map states where the median signal passes a threshold; shadow fading is a margin the
 * caller may subtract).
 *
 * Whether a link is LOS is *not* drawn from the probabilistic LOS model of Table 7.4.2-1: the caller
 * decides it from the real buildings (the occlusion engine) and passes `los`.
 *
 * Conventions of the table (its Note 5 in V16/V17): `fc` is the centre frequency normalised by
 * 1 GHz, distances and heights are normalised by 1 m. Here: `fcGHz`, `d2DM`, `hBsM`, `hUtM`.
 * `d3D = √(d2D² + (hBS − hUT)²)`.
 *
 * UMa (Table 7.4.1-1, rows "UMa"):
 * - LOS: PL1 = 28.0 + 22 log10(d3D) + 20 log10(fc)                         for 10 m ≤ d2D ≤ d'BP
 *        PL2 = 28.0 + 40 log10(d3D) + 20 log10(fc) − 9 log10(d'BP² + (hBS − hUT)²) for d'BP ≤ d2D ≤ 5 km
 * - NLOS: PL = max(PL_UMa-LOS, PL'_UMa-NLOS), 10 m ≤ d2D ≤ 5 km,
 *        PL'_UMa-NLOS = 13.54 + 39.08 log10(d3D) + 20 log10(fc) − 0.6 (hUT − 1.5)
 * - σSF 4 dB (LOS), 6 dB (NLOS); 1.5 m ≤ hUT ≤ 22.5 m, hBS = 25 m.
 *
 * UMi-Street Canyon (Table 7.4.1-1, rows "UMi - Street Canyon"):
 * - LOS: PL1 = 32.4 + 21 log10(d3D) + 20 log10(fc)                         for 10 m ≤ d2D ≤ d'BP
 *        PL2 = 32.4 + 40 log10(d3D) + 20 log10(fc) − 9.5 log10(d'BP² + (hBS − hUT)²) for d'BP ≤ d2D ≤ 5 km
 * - NLOS: PL = max(PL_UMi-LOS, PL'_UMi-NLOS), 10 m ≤ d2D ≤ 5 km,
 *        PL'_UMi-NLOS = 35.3 log10(d3D) + 22.4 + 21.3 log10(fc) − 0.3 (hUT − 1.5)
 * - σSF 4 dB (LOS), 7.82 dB (NLOS); 1.5 m ≤ hUT ≤ 22.5 m, hBS = 10 m.
 *
 * Breakpoint (Table 7.4.1-1 Note 1): d'BP = 4 h'BS h'UT fc / c with fc in Hz, c = 3.0 × 10⁸ m/s,
 * h'BS = hBS − hE, h'UT = hUT − hE. UMi: hE = 1 m. UMa: hE = 1 m with probability 1/(1 + C(d2D, hUT)),
 * otherwise drawn from {12, 15, …, hUT − 1.5}; C = 0 for hUT < 13 m, so for every UE below 13 m (all
 * pedestrian samples) hE = 1 m exactly. This module is deterministic and uses hE = 1 m unless the caller
 * passes `hEM` (for hUT ≥ 13 m that is the spec's "probability 1/(1+C)" branch, not a draw).
 *
 * Frequency: TR 38.901 covers 0.5–100 GHz (its title and clause 7.1); outside that the model is not
 * defined and this module always throws.
 *
 * Validity ranges: `ranges: 'strict'` (the default) throws a {@link PathLossRangeError} for any input
 * outside the table (d2D outside [10 m, 5 km], hUT outside [1.5 m, 22.5 m], hBS other than 25 m (UMa) /
 * 10 m (UMi)). `ranges: 'planning'` is for maps of real cells: it uses the real antenna height hBS in the
 * same formulas (any hBS > hUT; ns-3's ThreeGppPropagationLossModel does the same when its
 * EnforceParameterRanges is off), clamps d2D below 10 m up to 10 m (the value at 10 m is used under the
 * mast), clamps hUT into [1.5, 22.5] m, and still throws for d2D > 5 km and fc outside 0.5–100 GHz.
 */

/** Speed of light as fixed by TR 38.901 Table 7.4.1-1 Note 1, m/s. */
export const SPEED_OF_LIGHT_MPS = 3.0e8;

export type PathLossScenario = 'uma' | 'umi';
export type RangePolicy = 'strict' | 'planning';

/** Table 7.4.1-1 applicability ranges and default heights, per scenario. */
export const PATH_LOSS_RANGES = {
  uma: { hBsM: 25, hUtMinM: 1.5, hUtMaxM: 22.5, d2DMinM: 10, d2DMaxM: 5000, sigmaSfLosDb: 4, sigmaSfNlosDb: 6 },
  umi: { hBsM: 10, hUtMinM: 1.5, hUtMaxM: 22.5, d2DMinM: 10, d2DMaxM: 5000, sigmaSfLosDb: 4, sigmaSfNlosDb: 7.82 },
} as const;

/** Frequency range of TR 38.901, GHz. */
export const FC_MIN_GHZ = 0.5;
export const FC_MAX_GHZ = 100;

/** An input outside the validity range of Table 7.4.1-1; names the parameter and the range. */
export class PathLossRangeError extends RangeError {
  readonly parameter: string;
  constructor(parameter: string, message: string) {
    super(`${parameter}: ${message}`);
    this.name = 'PathLossRangeError';
    this.parameter = parameter;
  }
}

export interface PathLossInput {
  scenario: PathLossScenario;
  /** Line of sight between antenna and UE, decided by the caller from the real buildings. */
  los: boolean;
  /** Centre frequency, GHz (0.5–100). */
  fcGHz: number;
  /** Horizontal distance between the BS and the UE, metres. */
  d2DM: number;
  /** BS antenna height above ground, metres (default 25 for UMa, 10 for UMi). */
  hBsM?: number;
  /** UE antenna height above ground, metres (default 1.5). */
  hUtM?: number;
  /** Effective environment height hE for the breakpoint, metres (default 1; see module doc). */
  hEM?: number;
  ranges?: RangePolicy;
}

export interface PathLossResult {
  pathLossDb: number;
  /** Breakpoint distance d'BP, metres. */
  breakpointM: number;
  d3DM: number;
  /** Which formula gave the value: 'PL1', 'PL2' (LOS) or 'NLOS\'' when the NLOS' term wins the max. */
  formula: 'PL1' | 'PL2' | "NLOS'";
  /** Shadow-fading standard deviation of the table for this case (not applied), dB. */
  sigmaSfDb: number;
  /** Inputs after the range policy (clamped values in 'planning'). */
  d2DM: number;
  hBsM: number;
  hUtM: number;
}

/** Breakpoint distance d'BP = 4 (hBS − hE)(hUT − hE) fc / c, metres (Table 7.4.1-1 Note 1). */
export function breakpointDistanceM(fcGHz: number, hBsM: number, hUtM: number, hEM = 1): number {
  return (4 * (hBsM - hEM) * (hUtM - hEM) * fcGHz * 1e9) / SPEED_OF_LIGHT_MPS;
}

/** UMa LOS path loss (dB) without range checks; `d3DM` precomputed; `bpM` the breakpoint. */
export function umaLosDb(d2DM: number, d3DM: number, fcGHz: number, hBsM: number, hUtM: number, bpM: number): number {
  if (d2DM <= bpM) return 28.0 + 22 * Math.log10(d3DM) + 20 * Math.log10(fcGHz);
  const dh = hBsM - hUtM;
  return 28.0 + 40 * Math.log10(d3DM) + 20 * Math.log10(fcGHz) - 9 * Math.log10(bpM * bpM + dh * dh);
}

/** UMa NLOS' term (dB): 13.54 + 39.08 log10(d3D) + 20 log10(fc) − 0.6 (hUT − 1.5). */
export function umaNlosPrimeDb(d3DM: number, fcGHz: number, hUtM: number): number {
  return 13.54 + 39.08 * Math.log10(d3DM) + 20 * Math.log10(fcGHz) - 0.6 * (hUtM - 1.5);
}

/** UMi-Street Canyon LOS path loss (dB) without range checks. */
export function umiLosDb(d2DM: number, d3DM: number, fcGHz: number, hBsM: number, hUtM: number, bpM: number): number {
  if (d2DM <= bpM) return 32.4 + 21 * Math.log10(d3DM) + 20 * Math.log10(fcGHz);
  const dh = hBsM - hUtM;
  return 32.4 + 40 * Math.log10(d3DM) + 20 * Math.log10(fcGHz) - 9.5 * Math.log10(bpM * bpM + dh * dh);
}

/** UMi-Street Canyon NLOS' term (dB): 35.3 log10(d3D) + 22.4 + 21.3 log10(fc) − 0.3 (hUT − 1.5). */
export function umiNlosPrimeDb(d3DM: number, fcGHz: number, hUtM: number): number {
  return 35.3 * Math.log10(d3DM) + 22.4 + 21.3 * Math.log10(fcGHz) - 0.3 * (hUtM - 1.5);
}

function finiteOrThrow(name: string, v: number) {
  if (!Number.isFinite(v)) throw new PathLossRangeError(name, `must be a finite number, got ${v}`);
}

/**
 * Applies the range policy to the inputs and returns the values the formulas use. Throws
 * {@link PathLossRangeError} where the policy does not allow the input.
 */
export function checkPathLossInputs(input: PathLossInput): { d2DM: number; hBsM: number; hUtM: number; hEM: number } {
  const r = PATH_LOSS_RANGES[input.scenario];
  if (!r) throw new PathLossRangeError('scenario', `must be 'uma' or 'umi', got '${String(input.scenario)}'`);
  const policy = input.ranges ?? 'strict';
  let { d2DM } = input;
  const hBsM = input.hBsM ?? r.hBsM;
  let hUtM = input.hUtM ?? 1.5;
  const hEM = input.hEM ?? 1;
  finiteOrThrow('fcGHz', input.fcGHz);
  finiteOrThrow('d2DM', d2DM);
  finiteOrThrow('hBsM', hBsM);
  finiteOrThrow('hUtM', hUtM);
  finiteOrThrow('hEM', hEM);
  const name = input.scenario === 'uma' ? 'UMa' : 'UMi-Street Canyon';
  if (input.fcGHz < FC_MIN_GHZ || input.fcGHz > FC_MAX_GHZ) {
    throw new PathLossRangeError('fcGHz', `${input.fcGHz} GHz is outside TR 38.901's 0.5–100 GHz`);
  }
  if (d2DM < 0) throw new PathLossRangeError('d2DM', `must not be negative, got ${d2DM}`);
  if (d2DM > r.d2DMaxM) {
    throw new PathLossRangeError('d2DM', `${d2DM} m is beyond ${name}'s 5 km (TR 38.901 Table 7.4.1-1)`);
  }
  if (policy === 'strict') {
    if (d2DM < r.d2DMinM) {
      throw new PathLossRangeError('d2DM', `${d2DM} m is below ${name}'s 10 m (TR 38.901 Table 7.4.1-1); use ranges 'planning' to clamp`);
    }
    if (hUtM < r.hUtMinM || hUtM > r.hUtMaxM) {
      throw new PathLossRangeError('hUtM', `${hUtM} m is outside ${name}'s 1.5–22.5 m (TR 38.901 Table 7.4.1-1)`);
    }
    if (hBsM !== r.hBsM) {
      throw new PathLossRangeError(
        'hBsM',
        `${name} in TR 38.901 Table 7.4.1-1 is specified for hBS = ${r.hBsM} m, got ${hBsM} m; use ranges 'planning' for real antenna heights`,
      );
    }
  } else if (policy === 'planning') {
    if (d2DM < r.d2DMinM) d2DM = r.d2DMinM;
    if (hUtM < r.hUtMinM) hUtM = r.hUtMinM;
    if (hUtM > r.hUtMaxM) hUtM = r.hUtMaxM;
  } else {
    throw new PathLossRangeError('ranges', `must be 'strict' or 'planning', got '${String(policy)}'`);
  }
  if (hUtM <= hEM || hBsM <= hEM) {
    throw new PathLossRangeError('hEM', `effective environment height ${hEM} m must be below hBS (${hBsM} m) and hUT (${hUtM} m)`);
  }
  if (hBsM <= hUtM) throw new PathLossRangeError('hBsM', `the BS antenna (${hBsM} m) must be above the UE (${hUtM} m)`);
  return { d2DM, hBsM, hUtM, hEM };
}

/**
 * Path loss of TR 38.901 Table 7.4.1-1 (median, no shadow fading) for one link. See the module doc for
 * formulas, conventions and the range policy.
 */
export function pathLoss38901(input: PathLossInput): PathLossResult {
  const { d2DM, hBsM, hUtM, hEM } = checkPathLossInputs(input);
  const { fcGHz, scenario, los } = input;
  const dh = hBsM - hUtM;
  const d3DM = Math.sqrt(d2DM * d2DM + dh * dh);
  const bpM = breakpointDistanceM(fcGHz, hBsM, hUtM, hEM);
  const r = PATH_LOSS_RANGES[scenario];
  const losDb = scenario === 'uma' ? umaLosDb(d2DM, d3DM, fcGHz, hBsM, hUtM, bpM) : umiLosDb(d2DM, d3DM, fcGHz, hBsM, hUtM, bpM);
  const losFormula = d2DM <= bpM ? 'PL1' : 'PL2';
  if (los) {
    return { pathLossDb: losDb, breakpointM: bpM, d3DM, formula: losFormula, sigmaSfDb: r.sigmaSfLosDb, d2DM, hBsM, hUtM };
  }
  const nlosPrime = scenario === 'uma' ? umaNlosPrimeDb(d3DM, fcGHz, hUtM) : umiNlosPrimeDb(d3DM, fcGHz, hUtM);
  const nlosWins = nlosPrime >= losDb;
  return {
    pathLossDb: nlosWins ? nlosPrime : losDb,
    breakpointM: bpM,
    d3DM,
    formula: nlosWins ? "NLOS'" : losFormula,
    sigmaSfDb: r.sigmaSfNlosDb,
    d2DM,
    hBsM,
    hUtM,
  };
}

/**
 * Precomputed per-link constants for hot loops: for one antenna (scenario, fc, hBS) and one UE height,
 * the LOS and NLOS path loss as a function of d2D only, with the 'planning' range policy (d2D < 10 m
 * clamped to 10 m). No allocation per call; ranges were checked once in the constructor.
 */
export class PathLossKernel {
  readonly scenario: PathLossScenario;
  readonly fcGHz: number;
  readonly hBsM: number;
  readonly hUtM: number;
  readonly breakpointM: number;
  /** (hBS − hUT)², m². */
  readonly dh2: number;
  // PL = const + slope · log10(d3D): LOS below the breakpoint (1), above it (slope 40), NLOS'.
  readonly losConst1: number;
  readonly losSlope1: number;
  readonly losConst2: number;
  readonly nlosConst: number;
  readonly nlosSlope: number;

  constructor(scenario: PathLossScenario, fcGHz: number, hBsM: number, hUtM = 1.5, hEM = 1) {
    const ok = checkPathLossInputs({ scenario, los: true, fcGHz, d2DM: 10, hBsM, hUtM, hEM, ranges: 'planning' });
    this.scenario = scenario;
    this.fcGHz = fcGHz;
    this.hBsM = ok.hBsM;
    this.hUtM = ok.hUtM;
    const dh = ok.hBsM - ok.hUtM;
    this.dh2 = dh * dh;
    this.breakpointM = breakpointDistanceM(fcGHz, ok.hBsM, ok.hUtM, ok.hEM);
    const lf = 20 * Math.log10(fcGHz);
    const bp2 = this.breakpointM * this.breakpointM + this.dh2;
    if (scenario === 'uma') {
      this.losConst1 = 28.0 + lf;
      this.losSlope1 = 22;
      this.losConst2 = 28.0 + lf - 9 * Math.log10(bp2);
      this.nlosConst = 13.54 + lf - 0.6 * (ok.hUtM - 1.5);
      this.nlosSlope = 39.08;
    } else {
      this.losConst1 = 32.4 + lf;
      this.losSlope1 = 21;
      this.losConst2 = 32.4 + lf - 9.5 * Math.log10(bp2);
      this.nlosConst = 22.4 + 21.3 * Math.log10(fcGHz) - 0.3 * (ok.hUtM - 1.5);
      this.nlosSlope = 35.3;
    }
  }

  /** LOS path loss at horizontal distance `d2DM` (clamped to ≥ 10 m), dB. */
  losDb(d2DM: number): number {
    const d = d2DM < 10 ? 10 : d2DM;
    const lg = 0.5 * Math.log10(d * d + this.dh2);
    return d <= this.breakpointM ? this.losConst1 + this.losSlope1 * lg : this.losConst2 + 40 * lg;
  }

  /** NLOS path loss max(LOS, NLOS') at horizontal distance `d2DM` (clamped to ≥ 10 m), dB. */
  nlosDb(d2DM: number): number {
    const d = d2DM < 10 ? 10 : d2DM;
    const lg = 0.5 * Math.log10(d * d + this.dh2);
    const los = d <= this.breakpointM ? this.losConst1 + this.losSlope1 * lg : this.losConst2 + 40 * lg;
    const nlos = this.nlosConst + this.nlosSlope * lg;
    return nlos > los ? nlos : los;
  }

  /** Path loss for a known LOS state, dB. */
  db(d2DM: number, los: boolean): number {
    return los ? this.losDb(d2DM) : this.nlosDb(d2DM);
  }
}
