/**
 * Vehicles through a green-wave plan, for the time-space diagram and the 3D corridor: a vehicle
 * enters at the reference signal (the first signal outbound, the last inbound) at time `entryS` and
 * drives each link at the plan's progression speed for its direction. What it meets at every signal
 * is read from the plan's own time-space data (`plan.timeSpace`, the signal indications over whole
 * cycles), so the vehicles agree with the drawn bars and bands by construction.
 *
 * Two models:
 * - {@link freeFlowEncounters}: the indication at each arrival if the vehicle never stopped (what a
 *   band promises: a vehicle entering inside the band meets green everywhere; one outside it meets
 *   yellow or red somewhere).
 * - {@link trajectory}: a vehicle that goes only on green: arriving at a signal that is not green it
 *   waits at the stop line until the next green begins, then leaves at the progression speed again
 *   (instant stop and start: no acceleration, no queue; a drawing model, not the traffic model of
 *   sim-core/signal/traffic.ts).
 *
 * Positions are metres from the first signal (the plan's `positionM`), times seconds. Pure.
 */
import type { Direction, GreenWavePlan, SignalInterval } from '../../sim-core/signal/arterial.ts';

/** The parts of a plan the vehicles need (a plan as the green-wave job returns it). */
export type PlanLike = Pick<GreenWavePlan, 'cycleS' | 'signals' | 'progressionSpeedsMps' | 'bandwidthS' | 'timeSpace'>;

/** What a vehicle met at one signal. */
export interface Encounter {
  /** Signal index in the plan (corridor order). */
  signal: number;
  /** Arrival at the stop line, s. */
  arrivalS: number;
  state: SignalInterval['state'];
}

/** The indication of signal `signal` for `direction` at absolute time `tS` (any time: the plan repeats every cycle). */
export function signalStateAt(plan: PlanLike, signal: number, direction: Direction, tS: number): SignalInterval['state'] {
  const C = plan.cycleS;
  const intervals = plan.timeSpace.signals[signal][direction];
  // The data covers [0, horizon) with horizon ≥ 2 cycles: look in the second cycle.
  let t = (((tS % C) + C) % C) + C;
  if (t >= plan.timeSpace.horizonS) t -= C;
  for (const iv of intervals) if (t >= iv.startS && t < iv.endS) return iv.state;
  // On a boundary lost to rounding: the interval that starts nearest.
  let best = intervals[0], gap = Infinity;
  for (const iv of intervals) {
    const g = Math.min(Math.abs(t - iv.startS), Math.abs(t - iv.endS));
    if (g < gap) (gap = g), (best = iv);
  }
  return best ? best.state : 'red';
}

/** The start of the next green of a signal at or after `tS` (tS itself when green then). */
export function nextGreenStartS(plan: PlanLike, signal: number, direction: Direction, tS: number): number {
  const C = plan.cycleS;
  if (signalStateAt(plan, signal, direction, tS) === 'green') return tS;
  // One green per cycle: its phase from the first green that starts inside the data (one at 0 may be clipped).
  const green = plan.timeSpace.signals[signal][direction].find((iv) => iv.state === 'green' && iv.startS > 0);
  if (!green) throw new Error(`signal ${plan.signals[signal]?.id ?? signal} has no green for ${direction}`);
  const phase = green.startS % C;
  return phase + C * Math.ceil((tS - phase) / C - 1e-12);
}

/** Signal indices in travel order. */
export function travelOrder(plan: PlanLike, direction: Direction): number[] {
  const order = plan.signals.map((_, i) => i);
  return direction === 'outbound' ? order : order.reverse();
}

/** Link speed for leaving signal `i` towards the next in travel order, m/s. */
function legSpeed(plan: PlanLike, direction: Direction, from: number): number {
  // progressionSpeedsMps[dir][link], link k joins signals k and k + 1.
  return direction === 'outbound' ? plan.progressionSpeedsMps.outbound[from] : plan.progressionSpeedsMps.inbound[from - 1];
}

/** What a vehicle entering at `entryS` meets if it never stops (see the module doc). */
export function freeFlowEncounters(plan: PlanLike, direction: Direction, entryS: number): Encounter[] {
  const order = travelOrder(plan, direction);
  const out: Encounter[] = [];
  let t = entryS;
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    if (k > 0) {
      const prev = order[k - 1];
      t += Math.abs(plan.signals[i].positionM - plan.signals[prev].positionM) / legSpeed(plan, direction, prev);
    }
    out.push({ signal: i, arrivalS: t, state: signalStateAt(plan, i, direction, t) });
  }
  return out;
}

/**
 * Whether `entryS` lies inside a band of the plan for `direction` (the band's window at the
 * reference signal, repeated every cycle; closed at both ends).
 */
export function insideBand(plan: PlanLike, direction: Direction, entryS: number): boolean {
  const band = plan.timeSpace.bands.find((b) => b.direction === direction);
  if (!band || band.widthS <= 0 || band.repetitions.length === 0) return false;
  const C = plan.cycleS;
  const start = band.repetitions[0][0].startS;
  const d = (((entryS - start) % C) + C) % C;
  return d <= band.widthS + 1e-9;
}

/** A vehicle's path through the corridor (see {@link trajectory}). */
export interface Trajectory {
  direction: Direction;
  entryS: number;
  /** Breakpoints, interleaved time s, position m (times non-decreasing); linear in between. */
  points: Float64Array;
  /** What it met on arrival at each signal, in travel order. */
  encounters: Encounter[];
  /** Signals where it had to wait. */
  stops: number;
  /** It entered inside the band of its direction. */
  inBand: boolean;
}

/** The path of a vehicle that goes only on green (see the module doc). */
export function trajectory(plan: PlanLike, direction: Direction, entryS: number): Trajectory {
  const order = travelOrder(plan, direction);
  const pts: number[] = [];
  const encounters: Encounter[] = [];
  let t = entryS;
  let stops = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    const x = plan.signals[i].positionM;
    if (k > 0) {
      const prev = order[k - 1];
      t += Math.abs(x - plan.signals[prev].positionM) / legSpeed(plan, direction, prev);
    }
    pts.push(t, x);
    const state = signalStateAt(plan, i, direction, t);
    encounters.push({ signal: i, arrivalS: t, state });
    if (state !== 'green') {
      stops++;
      t = nextGreenStartS(plan, i, direction, t);
      pts.push(t, x);
    }
  }
  return { direction, entryS, points: Float64Array.from(pts), encounters, stops, inBand: insideBand(plan, direction, entryS) };
}

/** Position of a vehicle at time `tS`, m, or NaN before it entered or after it left. */
export function positionAt(tr: Trajectory, tS: number): number {
  const p = tr.points;
  const n = p.length / 2;
  if (n === 0 || tS < p[0] || tS > p[2 * (n - 1)]) return NaN;
  for (let k = 1; k < n; k++) {
    const t0 = p[2 * (k - 1)], t1 = p[2 * k];
    if (tS <= t1) {
      const x0 = p[2 * (k - 1) + 1], x1 = p[2 * k + 1];
      return t1 > t0 ? x0 + ((x1 - x0) * (tS - t0)) / (t1 - t0) : x1;
    }
  }
  return p[2 * (n - 1) + 1];
}

/** Options of {@link platoons}. */
export interface PlatoonOptions {
  /** Time between entering vehicles in each direction, s (default 5). */
  headwayS?: number;
  /** Entries from `fromS` (default: early enough that the corridor is full at t = 0). */
  fromS?: number;
  /** … up to `toS` (default the diagram's horizon). */
  toS?: number;
}

/**
 * A stream of vehicles in both directions, one every `headwayS`, over the diagram's time span: the
 * ones inside a band roll through, the others wait at the reds.
 */
export function platoons(plan: PlanLike, options: PlatoonOptions = {}): Trajectory[] {
  const h = options.headwayS ?? 5;
  if (!(h > 0)) throw new Error(`platoons: headwayS must be > 0, got ${h}`);
  const n = plan.signals.length;
  const lengthM = Math.abs(plan.signals[n - 1].positionM - plan.signals[0].positionM);
  const slowest = Math.min(...plan.progressionSpeedsMps.outbound, ...plan.progressionSpeedsMps.inbound);
  const fromS = options.fromS ?? -Math.ceil(lengthM / slowest + plan.cycleS);
  const toS = options.toS ?? plan.timeSpace.horizonS;
  const out: Trajectory[] = [];
  for (const dir of ['outbound', 'inbound'] as const) {
    for (let t = fromS; t < toS; t += h) out.push(trajectory(plan, dir, t));
  }
  return out;
}
