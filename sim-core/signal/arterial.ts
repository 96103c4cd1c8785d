/**
 * The arterial model for green waves (绿波带): an ordered list of signalised intersections along a
 * corridor, the links between them, and one common cycle.
 *
 * Conventions (shared by every solver, the SUMO exporter and the traffic model):
 * - Directions: `outbound` runs from the first signal to the last (increasing `positionM`),
 *   `inbound` from the last back to the first.
 * - Times are seconds. Each signal runs a fixed-time program of length `cycleS`; "program time" is
 *   the time since the program's phase 0 began. The through movement of each direction is green
 *   from `greenStartS` for `greenS` seconds of program time, then yellow for `yellowS`.
 * - An offset is SUMO's: phase 0 starts at absolute time t = offsetS (mod cycleS), so the
 *   outbound through green of signal i starts at offsetS[i] + outbound.greenStartS.
 * - Queue clearance `queueClearanceS`: the green band may only start this long after the through
 *   green begins (time for the standing queue and turned-in vehicles to clear).
 * - The band is computed over displayed green (G/g), not over yellow.
 */
import { CimError, recordName } from '../cim/errors.ts';
import { circularInterval, intersectCircular, longestRun, mod } from './circular.ts';

/** Direction of travel along the corridor. */
export type Direction = 'outbound' | 'inbound';
export const DIRECTIONS: readonly Direction[] = ['outbound', 'inbound'];

/** Timing of one direction's through movement at one signal, in program time (seconds). */
export interface ThroughPhase {
  /** Start of the through green after phase 0 begins, s, in [0, cycleS). */
  greenStartS: number;
  /** Displayed green, s. */
  greenS: number;
  /** Yellow after the green, s. */
  yellowS: number;
  /** Queue-clearance time at the start of green, s (the band begins no earlier). */
  queueClearanceS: number;
}

export interface ArterialSignal {
  /** Signal id: the SUMO `tlLogic` id, or the road node id for a city corridor. */
  id: string;
  /** SUMO `programID` of the program whose offset is set ('0' by default). */
  programId: string;
  /** The junction / road node the signal controls. */
  nodeId: string;
  /** Distance from the first signal along the corridor, m. */
  positionM: number;
  outbound: ThroughPhase;
  inbound: ThroughPhase;
}

export interface ArterialLink {
  /** Length from signal i to signal i + 1, m. */
  lengthM: number;
  /** Design progression speed, m/s (both directions). */
  speedMps: number;
  /** Speed band: the slowest and fastest progression speed an optimiser may choose, m/s. */
  minSpeedMps: number;
  maxSpeedMps: number;
  /** Speed limit, m/s: the drivers' desired speed in the traffic model. */
  speedLimitMps: number;
}

export interface Arterial {
  name: string;
  /** Where the corridor came from (a file, a city and node list…), for reports. */
  source: string;
  /** Common cycle, s. */
  cycleS: number;
  signals: ArterialSignal[];
  /** links[i] joins signals[i] and signals[i + 1]. */
  links: ArterialLink[];
}

/** Input of {@link createArterial}; omitted timing is filled with a symmetric split. */
export interface ArterialInput {
  name?: string;
  source?: string;
  cycleS: number;
  signals: {
    id: string;
    programId?: string;
    nodeId?: string;
    /** Share of the cycle given to the arterial through phase, green + yellow (default 0.5). */
    greenSplit?: number;
    outbound?: Partial<ThroughPhase>;
    /** Defaults to the outbound timing (one phase serves both directions). */
    inbound?: Partial<ThroughPhase>;
  }[];
  links: {
    lengthM: number;
    speedMps: number;
    minSpeedMps?: number;
    maxSpeedMps?: number;
    speedLimitMps?: number;
  }[];
  /** Speed band as factors of the design speed where a link gives none (default [0.9, 1.1]). */
  speedBand?: [number, number];
  /** Yellow after each through green where none is given, s (default 3). */
  yellowS?: number;
}

const DEFAULT_YELLOW_S = 3;

function num(v: unknown, field: string, record: string, check: (x: number) => boolean, what: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || !check(v)) {
    throw new CimError(`${field} must be ${what}, got ${JSON.stringify(v)}`, { record, field });
  }
  return v;
}

/**
 * Builds and checks an arterial. Throws {@link CimError} naming the signal or link and the field.
 * Positions are the running sum of link lengths from the first signal.
 */
export function createArterial(input: ArterialInput): Arterial {
  const cycleS = num(input.cycleS, 'cycleS', 'arterial', (x) => x >= 10 && x <= 600, 'a cycle of 10–600 s');
  const n = input.signals.length;
  if (n < 2) throw new CimError(`an arterial needs at least 2 signals, got ${n}`, { record: 'arterial', field: 'signals' });
  if (input.links.length !== n - 1) {
    throw new CimError(`${n} signals need ${n - 1} links, got ${input.links.length}`, { record: 'arterial', field: 'links' });
  }
  const [bandLo, bandHi] = input.speedBand ?? [0.9, 1.1];
  if (!(bandLo > 0 && bandLo <= 1 && bandHi >= 1)) throw new CimError(`speedBand must be [lo ≤ 1, hi ≥ 1] factors, got [${bandLo}, ${bandHi}]`, { record: 'arterial', field: 'speedBand' });
  const yellowDefault = input.yellowS ?? DEFAULT_YELLOW_S;
  const links: ArterialLink[] = input.links.map((l, i) => {
    const rec = `link ${i} (signal ${i} → ${i + 1})`;
    const lengthM = num(l.lengthM, 'lengthM', rec, (x) => x > 0 && x < 1e5, 'a positive length in metres');
    const speedMps = num(l.speedMps, 'speedMps', rec, (x) => x > 0 && x <= 70, 'a speed of 0–70 m/s');
    const minSpeedMps = num(l.minSpeedMps ?? speedMps * bandLo, 'minSpeedMps', rec, (x) => x > 0 && x <= speedMps, `a speed in (0, speedMps = ${speedMps}]`);
    const maxSpeedMps = num(l.maxSpeedMps ?? speedMps * bandHi, 'maxSpeedMps', rec, (x) => x >= speedMps && x <= 70, `a speed in [speedMps = ${speedMps}, 70]`);
    const speedLimitMps = num(l.speedLimitMps ?? speedMps, 'speedLimitMps', rec, (x) => x > 0 && x <= 70, 'a speed of 0–70 m/s');
    return { lengthM, speedMps, minSpeedMps, maxSpeedMps, speedLimitMps };
  });
  const ids = new Set<string>();
  let positionM = 0;
  const signals: ArterialSignal[] = input.signals.map((s, i) => {
    const rec = recordName('signal', i, s.id);
    if (typeof s.id !== 'string' || !s.id) throw new CimError('signal needs a non-empty string id', { record: rec, field: 'id' });
    if (ids.has(s.id)) throw new CimError(`duplicate signal id '${s.id}'`, { record: rec, field: 'id' });
    ids.add(s.id);
    const split = num(s.greenSplit ?? 0.5, 'greenSplit', rec, (x) => x > 0 && x < 1, 'a share of the cycle in (0, 1)');
    const phase = (p: Partial<ThroughPhase> | undefined, dir: Direction, fallback?: ThroughPhase): ThroughPhase => {
      const yellowS = num(p?.yellowS ?? fallback?.yellowS ?? yellowDefault, `${dir}.yellowS`, rec, (x) => x >= 0 && x < cycleS, `0 ≤ yellow < cycle (${cycleS} s)`);
      const greenS = num(p?.greenS ?? fallback?.greenS ?? split * cycleS - yellowS, `${dir}.greenS`, rec, (x) => x > 0 && x + yellowS <= cycleS + 1e-9, `a green in (0, cycle − yellow] = (0, ${cycleS - yellowS}] s`);
      const greenStartS = num(p?.greenStartS ?? fallback?.greenStartS ?? 0, `${dir}.greenStartS`, rec, (x) => x > -1e9 && x < 1e9, 'a time in seconds');
      const queueClearanceS = num(p?.queueClearanceS ?? fallback?.queueClearanceS ?? 0, `${dir}.queueClearanceS`, rec, (x) => x >= 0 && x < greenS, `0 ≤ queue clearance < green (${greenS} s)`);
      return { greenStartS: mod(greenStartS, cycleS), greenS, yellowS, queueClearanceS };
    };
    const outbound = phase(s.outbound, 'outbound');
    const inbound = phase(s.inbound, 'inbound', s.inbound ? undefined : outbound);
    if (i > 0) positionM += links[i - 1].lengthM;
    return { id: s.id, programId: s.programId ?? '0', nodeId: s.nodeId ?? s.id, positionM, outbound, inbound };
  });
  return { name: input.name ?? 'arterial', source: input.source ?? 'input', cycleS, signals, links };
}

/** A copy of the arterial with another common cycle; greens scale with the cycle (splits kept), yellow and clearance kept. */
export function withCycle(arterial: Arterial, cycleS: number): Arterial {
  const k = cycleS / arterial.cycleS;
  const scale = (p: ThroughPhase): ThroughPhase => {
    const total = (p.greenS + p.yellowS) * k;
    return { greenStartS: p.greenStartS * k, greenS: total - p.yellowS, yellowS: p.yellowS, queueClearanceS: p.queueClearanceS };
  };
  return createArterial({
    name: arterial.name,
    source: arterial.source,
    cycleS,
    signals: arterial.signals.map((s) => ({ id: s.id, programId: s.programId, nodeId: s.nodeId, outbound: scale(s.outbound), inbound: scale(s.inbound) })),
    links: arterial.links,
  });
}

/** Progression speed per link and direction, m/s (links in signal order in both). */
export interface ProgressionSpeeds {
  outbound: ArrayLike<number>;
  inbound: ArrayLike<number>;
}

/** The design speeds of the arterial as progression speeds. */
export function designSpeeds(arterial: Arterial): { outbound: number[]; inbound: number[] } {
  const v = arterial.links.map((l) => l.speedMps);
  return { outbound: v, inbound: [...v] };
}

/**
 * Cumulative travel times at the given progression speeds (default: the design speeds).
 * `outboundS[i]`: from signal 0 to signal i; `inboundS[i]`: from the last signal to signal i.
 */
export function cumulativeTravelTimes(arterial: Arterial, speeds?: ProgressionSpeeds): { outboundS: Float64Array; inboundS: Float64Array } {
  const n = arterial.signals.length;
  const outboundS = new Float64Array(n);
  const inboundS = new Float64Array(n);
  for (let i = 1; i < n; i++) outboundS[i] = outboundS[i - 1] + arterial.links[i - 1].lengthM / (speeds ? speeds.outbound[i - 1] : arterial.links[i - 1].speedMps);
  for (let i = n - 2; i >= 0; i--) inboundS[i] = inboundS[i + 1] + arterial.links[i].lengthM / (speeds ? speeds.inbound[i] : arterial.links[i].speedMps);
  return { outboundS, inboundS };
}

/** A through band: its width and where it starts, at the reference signal (first for outbound, last for inbound). */
export interface BandMeasure {
  /** False when no trajectory at the progression speed passes every green (then widthS is 0). */
  exists: boolean;
  widthS: number;
  /** Time, in [0, cycleS), at which the band's front passes the reference signal. */
  startS: number;
}

/**
 * The widest through band in each direction for given offsets, measured directly: for every
 * signal, shift its usable green window (after queue clearance) back by the travel time from the
 * reference signal, intersect all windows on the cycle circle, and take the longest run. This is
 * independent of how the offsets were found, so it checks every solver.
 */
export function measureBands(arterial: Arterial, offsetsS: ArrayLike<number>, speeds?: ProgressionSpeeds): Record<Direction, BandMeasure> {
  const C = arterial.cycleS;
  const { outboundS, inboundS } = cumulativeTravelTimes(arterial, speeds);
  const one = (dir: Direction, travel: Float64Array): BandMeasure => {
    let set = [0, C];
    for (let i = 0; i < arterial.signals.length; i++) {
      const p = arterial.signals[i][dir];
      set = intersectCircular(set, circularInterval(offsetsS[i] + p.greenStartS + p.queueClearanceS - travel[i], p.greenS - p.queueClearanceS, C));
      if (set.length === 0) break;
    }
    const run = longestRun(set, C);
    return { exists: set.length > 0, widthS: run.lengthS, startS: run.startS };
  };
  return { outbound: one('outbound', outboundS), inbound: one('inbound', inboundS) };
}

/** One interval of a signal's through indication, in absolute time. */
export interface SignalInterval {
  startS: number;
  endS: number;
  state: 'green' | 'yellow' | 'red';
}

/** Data for a time-space diagram (distance up, time across): signal bars and the green bands. */
export interface TimeSpaceDiagram {
  cycleS: number;
  /** The diagram covers absolute times [0, horizonS). */
  horizonS: number;
  signals: { id: string; positionM: number; outbound: SignalInterval[]; inbound: SignalInterval[] }[];
  bands: {
    direction: Direction;
    widthS: number;
    /** One band per cycle: at each signal (in travel order) the window [startS, endS] of the band. */
    repetitions: { positionM: number; startS: number; endS: number }[][];
  }[];
}

function signalIntervals(p: ThroughPhase, offsetS: number, C: number, horizonS: number): SignalInterval[] {
  const out: SignalInterval[] = [];
  const g0 = mod(offsetS + p.greenStartS, C) - C; // a green start at or before 0
  for (let t = g0; t < horizonS; t += C) {
    const parts: [number, number, SignalInterval['state']][] = [
      [t, t + p.greenS, 'green'],
      [t + p.greenS, t + p.greenS + p.yellowS, 'yellow'],
      [t + p.greenS + p.yellowS, t + C, 'red'],
    ];
    for (const [s, e, state] of parts) {
      const a = Math.max(0, s), b = Math.min(horizonS, e);
      if (b > a) out.push({ startS: a, endS: b, state });
    }
  }
  return out;
}

/** Time-space diagram data for given offsets over `cycles` cycles (default 3). */
export function timeSpaceDiagram(arterial: Arterial, offsetsS: ArrayLike<number>, speeds?: ProgressionSpeeds, cycles = 3): TimeSpaceDiagram {
  const C = arterial.cycleS;
  const horizonS = cycles * C;
  const bands = measureBands(arterial, offsetsS, speeds);
  const { outboundS, inboundS } = cumulativeTravelTimes(arterial, speeds);
  const n = arterial.signals.length;
  const band = (dir: Direction): TimeSpaceDiagram['bands'][number] => {
    const m = bands[dir];
    const travel = dir === 'outbound' ? outboundS : inboundS;
    const order = dir === 'outbound' ? [...Array(n).keys()] : [...Array(n).keys()].reverse();
    const repetitions: TimeSpaceDiagram['bands'][number]['repetitions'] = [];
    if (m.widthS > 0) {
      for (let k = -Math.ceil(travel[order[n - 1]] / C) - 1; k * C + m.startS < horizonS; k++) {
        const t0 = m.startS + k * C;
        const rep = order.map((i) => ({ positionM: arterial.signals[i].positionM, startS: t0 + travel[i], endS: t0 + travel[i] + m.widthS }));
        if (rep.some((w) => w.endS > 0 && w.startS < horizonS)) repetitions.push(rep);
      }
    }
    return { direction: dir, widthS: m.widthS, repetitions };
  };
  return {
    cycleS: C,
    horizonS,
    signals: arterial.signals.map((s, i) => ({
      id: s.id,
      positionM: s.positionM,
      outbound: signalIntervals(s.outbound, offsetsS[i], C, horizonS),
      inbound: signalIntervals(s.inbound, offsetsS[i], C, horizonS),
    })),
    bands: [band('outbound'), band('inbound')],
  };
}

/** Which method produced a plan. */
export type PlanMethod = 'maxband' | 'numerical' | 'oneway' | 'uncoordinated' | 'given';

/** A timing plan for an arterial: offsets plus everything a planner reads off it. */
export interface GreenWavePlan {
  method: PlanMethod;
  arterial: string;
  cycleS: number;
  /** Per signal: SUMO-convention offset (phase 0 starts at t = offsetS), in [0, cycleS). */
  signals: { id: string; programId: string; nodeId: string; positionM: number; offsetS: number }[];
  /** Progression speed used for the bands, per link and direction, m/s. */
  progressionSpeedsMps: { outbound: number[]; inbound: number[] };
  /** Measured band widths, s (see {@link measureBands}). */
  bandwidthS: Record<Direction, number>;
  /** Bandwidth efficiency (b + b̄) / (2C), 0–1. */
  efficiency: number;
  timeSpace: TimeSpaceDiagram;
  /** Method-specific figures (ideal spacing, solver status, objective…). */
  details: Record<string, unknown>;
}

/** Offsets shifted so that the first signal's is 0 (相位差 relative to the reference intersection), in [0, cycleS). */
export function relativeOffsets(offsetsS: ArrayLike<number>, cycleS: number): number[] {
  const o0 = offsetsS[0];
  return Array.from(offsetsS, (o) => mod(o - o0, cycleS));
}

/** Offsets of a plan in signal order. */
export function planOffsets(plan: GreenWavePlan): number[] {
  return plan.signals.map((s) => s.offsetS);
}

/** Wraps offsets into a {@link GreenWavePlan}: measures the bands and builds the time-space data. */
export function assemblePlan(
  arterial: Arterial,
  method: PlanMethod,
  offsetsS: ArrayLike<number>,
  options: { speeds?: ProgressionSpeeds; details?: Record<string, unknown> } = {},
): GreenWavePlan {
  const C = arterial.cycleS;
  const offsets = Array.from(offsetsS, (o) => {
    const r = mod(o, C);
    const rounded = Math.round(r * 1000) / 1000;
    return rounded >= C ? 0 : rounded;
  });
  const speeds = options.speeds ? { outbound: Array.from(options.speeds.outbound), inbound: Array.from(options.speeds.inbound) } : designSpeeds(arterial);
  const bands = measureBands(arterial, offsets, speeds);
  return {
    method,
    arterial: arterial.name,
    cycleS: C,
    signals: arterial.signals.map((s, i) => ({ id: s.id, programId: s.programId, nodeId: s.nodeId, positionM: s.positionM, offsetS: offsets[i] })),
    progressionSpeedsMps: speeds,
    bandwidthS: { outbound: bands.outbound.widthS, inbound: bands.inbound.widthS },
    efficiency: (bands.outbound.widthS + bands.inbound.widthS) / (2 * C),
    timeSpace: timeSpaceDiagram(arterial, offsets, speeds),
    details: options.details ?? {},
  };
}

/** All offsets zero: every program starts together (what netconvert writes; "uncoordinated" baseline). */
export function uncoordinatedPlan(arterial: Arterial): GreenWavePlan {
  return assemblePlan(arterial, 'uncoordinated', new Float64Array(arterial.signals.length));
}

/**
 * Webster's optimum cycle C₀ = (1.5 L + 5) / (1 − Y), L the lost time per cycle (s), Y the sum of
 * the critical flow ratios q/s of the phases (Webster 1958, Road Research Technical Paper 39).
 */
export function websterCycleS(lostTimeS: number, criticalFlowRatios: readonly number[]): number {
  const Y = criticalFlowRatios.reduce((a, b) => a + b, 0);
  if (!(Y < 1)) throw new CimError(`the flow ratios sum to Y = ${Y.toFixed(3)} ≥ 1: the intersection is oversaturated and has no Webster cycle`, { field: 'flows' });
  return (1.5 * lostTimeS + 5) / (1 - Y);
}

/** Flows at one signal for {@link applyWebsterTiming} (vehicles per hour per lane of the critical approach). */
export interface SignalFlows {
  outboundVehPerH: number;
  inboundVehPerH: number;
  crossVehPerH: number;
}

/**
 * Chooses the common cycle by Webster's formula and sets two-phase greens from flows.
 *
 * Each signal is taken as two phases (arterial through, cross street), each losing
 * `lostTimePerPhaseS` (default 4 s: start-up plus clearance). y_art = max(outbound, inbound) / s,
 * y_cross = cross / s with saturation flow s per lane (default 1800 veh/h). The common cycle is
 * the largest Webster cycle over the signals (the critical intersection, 关键交叉口), clamped to
 * [minCycleS, maxCycleS] (default 40–180 s). At each signal the effective green (C − L) is shared in
 * proportion to y; displayed green = effective green + lost time − yellow. The arterial phase
 * starts at program time 0 and serves both directions.
 */
export function applyWebsterTiming(
  arterial: Arterial,
  flows: readonly SignalFlows[],
  options: { saturationVehPerHPerLane?: number; lostTimePerPhaseS?: number; yellowS?: number; minCycleS?: number; maxCycleS?: number } = {},
): Arterial {
  const s = options.saturationVehPerHPerLane ?? 1800;
  const l = options.lostTimePerPhaseS ?? 4;
  const yellowS = options.yellowS ?? DEFAULT_YELLOW_S;
  const minC = options.minCycleS ?? 40, maxC = options.maxCycleS ?? 180;
  if (flows.length !== arterial.signals.length) throw new CimError(`flows for ${flows.length} signals, the arterial has ${arterial.signals.length}`, { field: 'flows' });
  const ratios = flows.map((f, i) => {
    const rec = recordName('signal', i, arterial.signals[i].id);
    for (const k of ['outboundVehPerH', 'inboundVehPerH', 'crossVehPerH'] as const) num(f[k], k, rec, (x) => x >= 0, 'a flow ≥ 0 veh/h');
    return [Math.max(f.outboundVehPerH, f.inboundVehPerH) / s, f.crossVehPerH / s];
  });
  let C = minC;
  ratios.forEach((y, i) => {
    try {
      C = Math.max(C, websterCycleS(2 * l, y));
    } catch (e) {
      throw e instanceof CimError ? e.withLocation({ record: recordName('signal', i, arterial.signals[i].id) }) : e;
    }
  });
  C = Math.min(maxC, Math.round(C));
  return createArterial({
    name: arterial.name,
    source: arterial.source,
    cycleS: C,
    signals: arterial.signals.map((sig, i) => {
      const [ya, yc] = ratios[i];
      const share = ya + yc > 0 ? ya / (ya + yc) : 0.5;
      const effective = (C - 2 * l) * share;
      const greenS = Math.max(5, Math.round((effective + l - yellowS) * 10) / 10);
      const p = { greenStartS: 0, greenS, yellowS, queueClearanceS: Math.min(sig.outbound.queueClearanceS, greenS / 2) };
      return { id: sig.id, programId: sig.programId, nodeId: sig.nodeId, outbound: p, inbound: { ...p, queueClearanceS: Math.min(sig.inbound.queueClearanceS, greenS / 2) } };
    }),
    links: arterial.links,
  });
}
