/**
 * MAXBAND: the widest two-way green band, solved exactly as a mixed-integer linear program
 * (Little 1966, "The synchronization of traffic signals by mixed-integer linear programming";
 * Little, Kelson & Gartner 1981, MAXBAND; Chang, Cohen, Liu, Gartner & Little 1988).
 *
 * ## Formulation (units: cycles, i.e. every time divided by the common cycle C)
 *
 * Signals i = 0 … n−1 along the arterial, links i = 0 … n−2 from signal i to i+1.
 * Data (cycles): G_i, Ḡ_i outbound / inbound through green (displayed green / C; the red
 * r_i = 1 − G_i); τ_i, τ̄_i queue-clearance times; δ_i = (start of inbound green − start of outbound
 * green at signal i, program time) / C, taken mod 1 (0 when one phase serves both directions).
 * Link travel times t_i, t̄_i = d_i / v_i / C: fixed at the design speed (`speedMode: 'fixed'`), free
 * in the speed band d_i / (v_max,i C) ≤ t_i, t̄_i ≤ d_i / (v_min,i C) (`'band'`), or one common speed
 * factor φ for all links and both directions, t_i = t̄_i = φ·d_i / (v_i C) with φ in the band
 * (`'uniform'`: MAXBAND's limit on speed changes between links set to zero).
 *
 * Variables: b, b̄ ≥ 0 band widths; w_i, w̄_i ≥ 0 interference variables — w_i is the time from
 * the end of the outbound queue clearance (green start + τ_i) to the band's front edge, w̄_i the
 * time from the inbound band's back edge to the end of the inbound green; m_i integer loop
 * variables, one per pair of adjacent signals.
 *
 * ```
 * maximise   b + k b̄
 * subject to w_i + b + τ_i ≤ G_i                                    (outbound band inside green)
 *            w̄_i + b̄ + τ̄_i ≤ Ḡ_i                                    (inbound band inside green)
 *            (w_i + w̄_i) − (w_{i+1} + w̄_{i+1}) + (t_i + t̄_i) + (τ_i − τ_{i+1}) − m_i
 *                 = (Ḡ_i − Ḡ_{i+1}) + (δ_i − δ_{i+1})              (loop constraint, i = 0 … n−2)
 *            (1 − k) b̄ ≥ (1 − k) k b                                (target ratio, Little's form)
 *            m_i integer
 * ```
 *
 * Derivation of the loop constraint: let x_i be the absolute start of the outbound green at i and
 * y_i = x_i + δ_i + n_i (n_i integer) that of the inbound green. The outbound band's front passes
 * signal i at T_i = Σ_{j<i} t_j, so x_i = T_i − τ_i − w_i; the inbound band's back passes i at
 * y_i + Ḡ_i − w̄_i. Writing y_i − y_{i+1} once through the inbound band (t̄_i + w̄_i − w̄_{i+1} −
 * Ḡ_i + Ḡ_{i+1}) and once through the offsets (x_i − x_{i+1} + δ_i − δ_{i+1} + n_i − n_{i+1}) gives
 * the constraint with m_i = n_i − n_{i+1}. With τ = 0 and δ written through the centres of red
 * (Δ_i = δ_i + (r_i − r̄_i)/2) it is Little's classic form
 * (w_i + w̄_i) − (w_{i+1} + w̄_{i+1}) + (t_i + t̄_i) + Δ'_i − Δ'_{i+1} = −½(r_i + r̄_i) + ½(r_{i+1} + r̄_{i+1}) + m_i
 * (Δ' = −Δ, Little measures it inbound to outbound).
 * The offsets follow from the solution: x_i = T_i − τ_i − w_i, offset_i = x_i·C − (outbound green
 * start in program time), mod C. The program is exact: with `mip_rel_gap = 0` HiGHS proves the
 * optimum of b + k b̄.
 *
 * Ties are broken in two more stages. With k = 1 a second MILP (`balanceBands`, default on) keeps
 * b + b̄ at its optimum and maximises min(b, b̄), so equal demands get equal bands rather than an
 * arbitrary split of the same total. A last, purely linear stage (`positionBands`, default on) keeps
 * the integers and the widths and chooses where each band sits in its green, which the program
 * leaves open (any vertex of the polytope would do). Default `bandPosition: 'platoon'`: the queue
 * released at signal i's green start (+ τ_i) leads the outbound traffic to signal i+1; it sits w_i
 * ahead of the band at i, so it arrives w_i − w_{i+1} before the green (+ τ) at i+1 and waits that
 * long when positive. The stage minimises Σ max(0, w_i − w_{i+1}) and the inbound counterpart
 * (slack before the inbound band, Ḡ_i − τ̄_i − b̄ − w̄_i, must not grow along the inbound way), then
 * centres the bands a little (weight 0.01). 'center' only centres; 'early' puts every band's front at
 * green start + τ as far as possible. In the SUMO bench and in our traffic model 'platoon' gave the
 * fewest stops of the three. The widths are unchanged by these stages.
 */
import { CimError } from '../cim/errors.ts';
import { assemblePlan, relativeOffsets, type Arterial, type GreenWavePlan } from './arterial.ts';
import { mod } from './circular.ts';
import { loadHighs, lpNumber, lpTerms, type LpSolver } from './highs.ts';

export interface MaxbandOptions {
  /** k, the weight of the inbound band (MAXBAND uses the inbound/outbound volume ratio). Default 1. */
  inboundWeight?: number;
  /** Add Little's target-ratio constraint (1 − k) b̄ ≥ (1 − k) k b (default true; no effect when k = 1). */
  targetRatio?: boolean;
  /**
   * Progression speed: 'fixed' (default) the design speed of each link; 'uniform' one speed factor
   * for the whole arterial and both directions, chosen within the speed band (the 绿波车速 one would
   * post; MAXBAND's speed-change limit set to zero); 'band' every link and direction free within its
   * band (classic MAXBAND).
   */
  speedMode?: 'fixed' | 'uniform' | 'band';
  /** When k = 1, among the optimal plans take one with the most even bands, max min(b, b̄) (second MILP; default true). */
  balanceBands?: boolean;
  /** Run the last, linear stage that places the bands in their greens (default true; see `bandPosition`). */
  positionBands?: boolean;
  /**
   * Where the last stage puts each band in its green: 'platoon' (default: the platoon released at
   * green start + queue clearance should reach the next signal in green, see the module doc),
   * 'center' (spare green evenly around the band) or 'early' (band front at green start + τ).
   */
  bandPosition?: 'platoon' | 'center' | 'early';
  /** Solver time limit, s (default 60). */
  timeLimitS?: number;
}

/** The MILP as CPLEX-LP text, with the bounds of the loop integers. Exposed for tests and reports. */
export function maxbandLp(arterial: Arterial, options: MaxbandOptions = {}): { lp: string; loopBounds: [number, number][] } {
  const k = options.inboundWeight ?? 1;
  if (!(k >= 0 && Number.isFinite(k))) throw new CimError(`inboundWeight must be ≥ 0, got ${k}`, { field: 'inboundWeight' });
  const { lp, loopBounds } = buildLp(arterial, options, null);
  return { lp, loopBounds };
}

/** Later stages: 'balance' keeps b + k b̄ at its optimum and maximises min(b, b̄) (MILP); 'position' fixes the integers and widths (LP). */
type Stage = { kind: 'balance'; objective: number } | { kind: 'position'; m: number[]; b: number; bb: number };

function buildLp(arterial: Arterial, options: MaxbandOptions, stage: Stage | null): { lp: string; loopBounds: [number, number][] } {
  const stage2 = stage?.kind === 'position' ? stage : null;
  const C = arterial.cycleS;
  const n = arterial.signals.length;
  const k = options.inboundWeight ?? 1;
  const G = arterial.signals.map((s) => s.outbound.greenS / C);
  const Gb = arterial.signals.map((s) => s.inbound.greenS / C);
  const tau = arterial.signals.map((s) => s.outbound.queueClearanceS / C);
  const taub = arterial.signals.map((s) => s.inbound.queueClearanceS / C);
  const delta = arterial.signals.map((s) => mod(s.inbound.greenStartS - s.outbound.greenStartS, C) / C);
  const mode = options.speedMode ?? 'fixed';
  // Uniform: t_i = d_i / (v_i C) · φ with one φ = design speed ÷ progression speed for all links.
  const phiLo = Math.max(...arterial.links.map((l) => l.speedMps / l.maxSpeedMps));
  const phiHi = Math.min(...arterial.links.map((l) => l.speedMps / l.minSpeedMps));
  const base = arterial.links.map((l) => l.lengthM / l.speedMps / C);
  const tLo = arterial.links.map((l, i) => (mode === 'band' ? l.lengthM / l.maxSpeedMps / C : mode === 'uniform' ? base[i] * phiLo : base[i]));
  const tHi = arterial.links.map((l, i) => (mode === 'band' ? l.lengthM / l.minSpeedMps / C : mode === 'uniform' ? base[i] * phiHi : base[i]));

  const rows: string[] = [];
  const objective: [number, string][] = [];
  const position = options.bandPosition ?? 'platoon';
  if (stage2 && position === 'platoon') {
    // Minimise the wait of the platoon fronts, Σ p_i + p̄_i (cycles), then a little centering.
    for (let i = 0; i + 1 < n; i++) objective.push([-1, `p${i}`], [-1, `pp${i}`]);
    for (let i = 0; i < n; i++) objective.push([0.01, `cw${i}`], [0.01, `cv${i}`]);
    for (let i = 0; i + 1 < n; i++) {
      rows.push(`pf${i}: ${lpTerms([[1, `p${i}`], [-1, `w${i}`], [1, `w${i + 1}`]])} >= 0`);
      const c = Gb[i + 1] - taub[i + 1] - (Gb[i] - taub[i]);
      rows.push(`ppf${i}: ${lpTerms([[1, `pp${i}`], [-1, `v${i}`], [1, `v${i + 1}`]])} >= ${lpNumber(c)}`);
    }
  } else if (stage2 && position === 'early') {
    // Minimise Σ w_i + Σ (Ḡ_i − τ̄_i − b̄ − w̄_i): the outbound front at green start + τ, the inbound likewise.
    for (let i = 0; i < n; i++) objective.push([-1, `w${i}`], [1, `v${i}`]);
  } else if (stage2) {
    for (let i = 0; i < n; i++) objective.push([1, `cw${i}`], [1, `cv${i}`]);
  } else if (stage?.kind === 'balance') {
    objective.push([1, 'q']);
    rows.push(`qb: ${lpTerms([[1, 'q'], [-1, 'b']])} <= 0`, `qbb: ${lpTerms([[1, 'q'], [-1, 'bb']])} <= 0`);
    rows.push(`keep: ${lpTerms([[1, 'b'], [k, 'bb']])} >= ${lpNumber(stage.objective - 1e-7)}`);
  } else {
    objective.push([1, 'b'], [k, 'bb']);
  }
  for (let i = 0; i < n; i++) {
    rows.push(`ob${i}: ${lpTerms([[1, `w${i}`], [1, 'b']])} <= ${lpNumber(G[i] - tau[i])}`);
    rows.push(`ib${i}: ${lpTerms([[1, `v${i}`], [1, 'bb']])} <= ${lpNumber(Gb[i] - taub[i])}`);
    if (stage2) {
      // cw_i ≤ w_i and cw_i ≤ G_i − τ_i − b − w_i (slack before and after the outbound band), same inbound.
      rows.push(`cwa${i}: ${lpTerms([[1, `cw${i}`], [-1, `w${i}`]])} <= 0`);
      rows.push(`cwb${i}: ${lpTerms([[1, `cw${i}`], [1, `w${i}`], [1, 'b']])} <= ${lpNumber(G[i] - tau[i])}`);
      rows.push(`cva${i}: ${lpTerms([[1, `cv${i}`], [-1, `v${i}`]])} <= 0`);
      rows.push(`cvb${i}: ${lpTerms([[1, `cv${i}`], [1, `v${i}`], [1, 'bb']])} <= ${lpNumber(Gb[i] - taub[i])}`);
    }
  }
  const loopBounds: [number, number][] = [];
  for (let i = 0; i < n - 1; i++) {
    const rhs = Gb[i] - Gb[i + 1] + (delta[i] - delta[i + 1]) - (tau[i] - tau[i + 1]);
    rows.push(`loop${i}: ${lpTerms([[1, `w${i}`], [1, `v${i}`], [-1, `w${i + 1}`], [-1, `v${i + 1}`], [1, `t${i}`], [1, `u${i}`], [-1, `m${i}`]])} = ${lpNumber(rhs)}`);
    // m_i = (w_i + w̄_i) − (w_{i+1} + w̄_{i+1}) + t_i + t̄_i − rhs, with 0 ≤ w ≤ G − τ.
    const lo = -(G[i + 1] - tau[i + 1]) - (Gb[i + 1] - taub[i + 1]) + 2 * tLo[i] - rhs;
    const hi = G[i] - tau[i] + (Gb[i] - taub[i]) + 2 * tHi[i] - rhs;
    loopBounds.push([Math.ceil(lo - 1e-9) + 0, Math.floor(hi + 1e-9) + 0]);
  }
  if (!stage2 && options.targetRatio !== false && k !== 1) {
    // (1 − k) b̄ ≥ (1 − k) k b  ⇔  b̄ − k b ≥ 0 (k < 1)  or  b̄ − k b ≤ 0 (k > 1)
    rows.push(`ratio: ${lpTerms([[1, 'bb'], [-k, 'b']])} ${k < 1 ? '>=' : '<='} 0`);
  }
  const bounds: string[] = [];
  if (mode === 'uniform') {
    if (!(phiHi >= phiLo)) throw new CimError('the links\' speed bands have no common speed factor', { field: 'speedBand' });
    bounds.push(`${lpNumber(phiLo)} <= phi <= ${lpNumber(phiHi)}`);
    for (let i = 0; i < n - 1; i++) rows.push(`tu${i}: ${lpTerms([[1, `t${i}`], [-base[i], 'phi']])} = 0`, `uu${i}: ${lpTerms([[1, `u${i}`], [-base[i], 'phi']])} = 0`);
  }
  for (let i = 0; i < n - 1; i++) {
    bounds.push(`${lpNumber(tLo[i])} <= t${i} <= ${lpNumber(tHi[i])}`);
    bounds.push(`${lpNumber(tLo[i])} <= u${i} <= ${lpNumber(tHi[i])}`);
    if (stage2) bounds.push(`m${i} = ${stage2.m[i]}`);
    else bounds.push(`${loopBounds[i][0]} <= m${i} <= ${loopBounds[i][1]}`);
  }
  if (stage2) {
    // Keep the optimal widths (a hair of tolerance for the first stage's rounding).
    bounds.push(`${lpNumber(Math.max(0, stage2.b - 1e-7))} <= b <= 1`);
    bounds.push(`${lpNumber(Math.max(0, stage2.bb - 1e-7))} <= bb <= 1`);
  } else {
    bounds.push('b <= 1', 'bb <= 1');
  }
  if (stage?.kind === 'balance') bounds.push('q <= 1');
  const general = stage2 ? '' : `General\n ${Array.from({ length: n - 1 }, (_, i) => `m${i}`).join(' ')}\n`;
  const lp = `Maximize\n obj: ${lpTerms(objective)}\nSubject To\n ${rows.join('\n ')}\nBounds\n ${bounds.join('\n ')}\n${general}End\n`;
  return { lp, loopBounds };
}

const OK = new Set(['Optimal']);

/**
 * Solves MAXBAND for the arterial and returns the plan (offsets, measured bands, time-space data).
 * `details` carries the solver status, the objective in cycles, the loop integers, the band
 * widths found by the program (checked against the direct measurement) and the solve time.
 */
export async function solveMaxband(arterial: Arterial, options: MaxbandOptions = {}, solver?: LpSolver): Promise<GreenWavePlan> {
  const highs = solver ?? (await loadHighs());
  const C = arterial.cycleS;
  const n = arterial.signals.length;
  const k = options.inboundWeight ?? 1;
  const { lp, loopBounds } = buildLp(arterial, options, null);
  const solveOptions = { mip_rel_gap: 0, time_limit: options.timeLimitS ?? 60, output_flag: false, random_seed: 0 };
  const t0 = performance.now();
  const r1 = highs.solve(lp, solveOptions);
  const t1 = performance.now();
  if (!OK.has(r1.Status)) throw new CimError(`MAXBAND: HiGHS returned '${r1.Status}' (expected Optimal)`, { record: `arterial '${arterial.name}'` });
  const col = (res: typeof r1, name: string) => res.Columns[name]?.Primal ?? 0;
  let res = r1;
  let balanced = false;
  if (k === 1 && options.balanceBands !== false) {
    const rb = highs.solve(buildLp(arterial, options, { kind: 'balance', objective: r1.ObjectiveValue }).lp, solveOptions);
    if (OK.has(rb.Status)) {
      res = rb;
      balanced = true;
    }
  }
  const tb = performance.now();
  const m = Array.from({ length: n - 1 }, (_, i) => Math.round(col(res, `m${i}`)));
  const b = col(res, 'b'), bb = col(res, 'bb');
  let centered = false;
  if (options.positionBands !== false) {
    const r2 = highs.solve(buildLp(arterial, options, { kind: 'position', m, b, bb }).lp, solveOptions);
    if (OK.has(r2.Status)) {
      res = r2;
      centered = true;
    }
  }
  const t2 = performance.now();
  const t = Array.from({ length: n - 1 }, (_, i) => col(res, `t${i}`));
  const u = Array.from({ length: n - 1 }, (_, i) => col(res, `u${i}`));
  // x_i (cycles) = T_i − τ_i − w_i; offset = x_i·C − outbound green start (program time).
  const offsetsS: number[] = [];
  let T = 0;
  for (let i = 0; i < n; i++) {
    if (i > 0) T += t[i - 1];
    const s = arterial.signals[i];
    const x = T - s.outbound.queueClearanceS / C - col(res, `w${i}`);
    offsetsS.push(mod(x * C - s.outbound.greenStartS, C));
  }
  const speeds = {
    outbound: arterial.links.map((l, i) => l.lengthM / (t[i] * C)),
    inbound: arterial.links.map((l, i) => l.lengthM / (u[i] * C)),
  };
  return assemblePlan(arterial, 'maxband', relativeOffsets(offsetsS, C), {
    speeds,
    details: {
      solver: 'HiGHS (npm highs, WebAssembly), mip_rel_gap = 0',
      status: r1.Status,
      objectiveCycles: r1.ObjectiveValue,
      inboundWeight: k,
      bandwidthCyclesFromMilp: { outbound: b, inbound: bb },
      loopIntegers: m,
      loopIntegerBounds: loopBounds,
      speedMode: options.speedMode ?? 'fixed',
      balanced,
      centered,
      solveMs: { milp: t1 - t0, balance: tb - t1, centering: t2 - tb },
    },
  });
}
