/**
 * The two-way numerical method (数解法) of Chinese traffic-engineering textbooks (徐吉谦《交通工程总论》;
 * 杨佩昆《交通管理与控制》), as a planner would run it by hand, step by step.
 *
 * Idea. With spacing a = v·C/2 between signals, alternating signals (交替式) give a perfect two-way
 * wave: a vehicle at speed v covers a in half a cycle, so signals at even multiples of a show
 * green together and odd ones half a cycle later. Real signals are not on such a grid, so the
 * method searches the "ideal spacing" a and lays a grid of ideal intersections (理想交叉口) at
 * s + k·a; every real signal is assigned to its nearest ideal point and takes that point's timing.
 * Its distance from the point, e_j (挪移量), shifts its green against the band by e_j / v' in one
 * direction and −e_j / v' in the other, where v' = 2a / C is the wave speed of the grid.
 *
 * Steps, for each trial a (from v_min·C/2 to v_max·C/2 in `stepM` steps):
 * 1. residues ρ_j = x_j mod a of the signal positions x_j;
 * 2. sort them and find the largest gap g between neighbours on the circle of length a (the last
 *    gap wraps: a − ρ_max + ρ_min);
 * 3. the residues then fill an arc of length a − g; put the ideal point in the arc's middle:
 *    s = (end of the largest gap + (a − g)/2) mod a; every |e_j| ≤ (a − g)/2;
 * 4. two-way band, equal greens λ = min_j G_j / C:  b / C = λ − (a − g) / (2a)
 *    (the spread (a − g)/v' of arrival times eats into the green, and (a − g)/v' / C = (a − g)/(2a)).
 * Keep the a with the widest band (ties: the one closest to the design speed). Signal j then lies
 * at ideal point k_j = round((x_j − s)/a): 同步 (synchronous with the first signal) when k_j − k_0
 * is even, 交替 (alternate) when odd. Its green centre is set to k_j·C/2: offset_j = k_j·C/2 − G_j/2 −
 * (outbound green start in program time), relative to the first signal.
 *
 * Assumptions (the textbook's): one progression speed for the whole arterial and both directions
 * (here the length-weighted harmonic mean of the link speeds, and the wave speed v' chosen within
 * the speed band); one phase serves both through directions and the band is symmetric; queue
 * clearance is ignored in the choice (the measured bands in the plan do honour it); the band
 * estimate uses the smallest green. The plan reports the bands measured directly for the chosen
 * offsets at v' (see `measureBands`); when one phase serves both directions and there is no queue
 * clearance they are never narrower than the textbook estimate. Offsets are relative to the first
 * signal (its offset is 0).
 */
import { CimError } from '../cim/errors.ts';
import { assemblePlan, relativeOffsets, type Arterial, type GreenWavePlan } from './arterial.ts';
import { mod } from './circular.ts';

export interface NumericalOptions {
  /** Step of the trial ideal spacing, m (default 1; textbooks use 5–10 m by hand). */
  stepM?: number;
  /** Search only a = v·C/2 at the design speed (default false: search the speed band). */
  fixedSpeed?: boolean;
  /** Speed range for the search, m/s; default: the arterial's speed band (harmonic means). */
  speedRangeMps?: [number, number];
}

/** One trial of the ideal spacing, as a row of the textbook's table. */
export interface NumericalTrial {
  idealSpacingM: number;
  largestGapM: number;
  /** (a − g): the total spread of the signals around their ideal points, m. */
  spreadM: number;
  /** Textbook band estimate b / C = λ − (a − g)/(2a). */
  bandFraction: number;
}

/** The textbook quantities for one ideal spacing (exported so tests can check them by hand). */
export function numericalTrial(positionsM: readonly number[], idealSpacingM: number, greenRatio: number): NumericalTrial & { gridShiftM: number } {
  const a = idealSpacingM;
  const res = positionsM.map((x) => mod(x, a)).sort((p, q) => p - q);
  let gap = a - res[res.length - 1] + res[0];
  let gapEnd = res[0]; // the largest gap ends at this residue
  for (let j = 1; j < res.length; j++) {
    const d = res[j] - res[j - 1];
    if (d > gap + 1e-9) {
      gap = d;
      gapEnd = res[j];
    }
  }
  const spreadM = a - gap;
  return {
    idealSpacingM: a,
    largestGapM: gap,
    spreadM,
    bandFraction: greenRatio - spreadM / (2 * a),
    gridShiftM: mod(gapEnd + spreadM / 2, a),
  };
}

/** Solves the arterial by the numerical method (数解法). `details` carries the table and the classification. */
export function solveNumerical(arterial: Arterial, options: NumericalOptions = {}): GreenWavePlan {
  const C = arterial.cycleS;
  const x = arterial.signals.map((s) => s.positionM);
  const totalM = x[x.length - 1];
  const harmonic = (pick: (l: Arterial['links'][number]) => number) => totalM / arterial.links.reduce((acc, l) => acc + l.lengthM / pick(l), 0);
  const vDesign = harmonic((l) => l.speedMps);
  const [vLo, vHi] = options.fixedSpeed ? [vDesign, vDesign] : options.speedRangeMps ?? [harmonic((l) => l.minSpeedMps), harmonic((l) => l.maxSpeedMps)];
  if (!(vLo > 0 && vHi >= vLo)) throw new CimError(`speed range [${vLo}, ${vHi}] m/s is not a range of positive speeds`, { field: 'speedRangeMps' });
  const step = options.stepM ?? 1;
  if (!(step > 0)) throw new CimError(`stepM must be positive, got ${step}`, { field: 'stepM' });
  const lambda = Math.min(...arterial.signals.map((s) => Math.min(s.outbound.greenS, s.inbound.greenS) / C));
  const a0 = (vDesign * C) / 2;
  const aLo = (vLo * C) / 2, aHi = (vHi * C) / 2;
  // Trial spacings: the design spacing plus a grid over the range.
  const trials: number[] = [a0];
  for (let a = Math.ceil(aLo / step) * step; a <= aHi + 1e-9; a += step) if (Math.abs(a - a0) > 1e-9) trials.push(a);
  let best = numericalTrial(x, a0, lambda);
  for (const a of trials) {
    const t = numericalTrial(x, a, lambda);
    const better = t.bandFraction > best.bandFraction + 1e-12 || (Math.abs(t.bandFraction - best.bandFraction) <= 1e-12 && Math.abs(a - a0) < Math.abs(best.idealSpacingM - a0));
    if (better) best = t;
  }
  const a = best.idealSpacingM;
  const waveSpeedMps = (2 * a) / C;
  const k = x.map((xj) => Math.round((xj - best.gridShiftM) / a));
  const deviationsM = x.map((xj, j) => xj - (best.gridShiftM + k[j] * a));
  const offsetsS = arterial.signals.map((s, j) => mod(((k[j] - k[0]) * C) / 2 - s.outbound.greenS / 2 - s.outbound.greenStartS, C));
  const v = arterial.links.map(() => waveSpeedMps);
  return assemblePlan(arterial, 'numerical', relativeOffsets(offsetsS, C), {
    speeds: { outbound: v, inbound: [...v] },
    details: {
      idealSpacingM: a,
      designIdealSpacingM: a0,
      waveSpeedMps,
      gridShiftM: best.gridShiftM,
      largestGapM: best.largestGapM,
      spreadM: best.spreadM,
      greenRatio: lambda,
      textbookBandFraction: best.bandFraction,
      idealPoint: k.map((kj) => kj - k[0]),
      deviationsM,
      /** 同步 / 交替 relative to the first signal. */
      classification: k.map((kj) => ((kj - k[0]) % 2 === 0 ? '同步' : '交替')),
      trials: trials.length,
    },
  });
}
