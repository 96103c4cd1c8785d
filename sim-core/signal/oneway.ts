/**
 * One-way green wave (单向绿波) for special-duty routes (特殊勤务) and strongly directional peaks:
 * each signal's through green starts, after its queue clearance, exactly when the band's front
 * arrives at the design speed. The band then is as wide as the narrowest usable green,
 * min_i (G_i − τ_i), which no offset choice can beat; the opposite direction gets what is left
 * (measured and reported, not optimised).
 */
import { CimError } from '../cim/errors.ts';
import { assemblePlan, cumulativeTravelTimes, relativeOffsets, type Arterial, type Direction, type GreenWavePlan } from './arterial.ts';

export interface OneWayOptions {
  /** The favoured direction (default outbound). */
  direction?: Direction;
}

/** Offsets for a one-way wave: offset_i = T_i − τ_i − (green start in program time), T_i the travel time from the first signal in the favoured direction. */
export function solveOneWay(arterial: Arterial, options: OneWayOptions = {}): GreenWavePlan {
  const direction = options.direction ?? 'outbound';
  const { outboundS, inboundS } = cumulativeTravelTimes(arterial);
  const travel = direction === 'outbound' ? outboundS : inboundS;
  const offsetsS = arterial.signals.map((s, i) => travel[i] - s[direction].queueClearanceS - s[direction].greenStartS);
  return assemblePlan(arterial, 'oneway', relativeOffsets(offsetsS, arterial.cycleS), {
    details: { direction, bandUpperBoundS: Math.min(...arterial.signals.map((s) => s[direction].greenS - s[direction].queueClearanceS)) },
  });
}

export interface SplitWaveOptions {
  /** Signal where the two one-way waves meet (default the middle one). */
  splitIndex?: number;
  /**
   * 'diverging' (default): from the split signal the outbound wave runs to the last signal and the
   * inbound wave to the first, so each direction is coordinated on its downstream part;
   * 'converging': each direction is coordinated on its upstream part, up to the split signal.
   */
  kind?: 'diverging' | 'converging';
}

/**
 * Two one-way waves that share one signal: outbound on one side of it, inbound on the other. This
 * is the structure SUMO's tlsCoordinator.py tends to produce (it aligns signal pairs one way each),
 * offered as a candidate for plans judged in traffic; the bands are measured, not optimised.
 */
export function solveSplitWave(arterial: Arterial, options: SplitWaveOptions = {}): GreenWavePlan {
  const n = arterial.signals.length;
  const k = options.splitIndex ?? Math.floor((n - 1) / 2);
  if (!(Number.isInteger(k) && k >= 0 && k < n)) throw new CimError(`splitIndex must be a signal index 0–${n - 1}, got ${k}`, { field: 'splitIndex' });
  const kind = options.kind ?? 'diverging';
  const { outboundS, inboundS } = cumulativeTravelTimes(arterial);
  const s = arterial.signals;
  // Band front: outbound green start + τ at signal i (absolute) = offset_i + greenStart + τ; same inbound.
  const outFront = (i: number) => s[i].outbound.greenStartS + s[i].outbound.queueClearanceS;
  const inFront = (i: number) => s[i].inbound.greenStartS + s[i].inbound.queueClearanceS;
  const offsets = new Array<number>(n).fill(0);
  // outboundS[i]: travel time from signal 0 to i; inboundS[i]: from the last signal to i.
  const outboundSide = (i: number) => (kind === 'diverging' ? i >= k : i <= k);
  offsets[k] = 0;
  for (let i = 0; i < n; i++) {
    if (i === k) continue;
    if (outboundSide(i)) offsets[i] = offsets[k] + outFront(k) + (outboundS[i] - outboundS[k]) - outFront(i);
    else offsets[i] = offsets[k] + inFront(k) + (inboundS[i] - inboundS[k]) - inFront(i);
  }
  return assemblePlan(arterial, 'oneway', relativeOffsets(offsets, arterial.cycleS), { details: { direction: `split-${kind}`, splitIndex: k, splitSignal: s[k].id } });
}
