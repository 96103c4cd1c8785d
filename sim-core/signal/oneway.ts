/**
 * One-way green wave (单向绿波) for special-duty routes (特殊勤务) and strongly directional peaks:
 * each signal's through green starts, after its queue clearance, exactly when the band's front
 * arrives at the design speed. The band then is as wide as the narrowest usable green,
 * min_i (G_i − τ_i), which no offset choice can beat; the opposite direction gets what is left
 * (measured and reported, not optimised).
 */
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
