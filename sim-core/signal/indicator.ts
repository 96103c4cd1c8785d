/**
 * 交通路口实时信号配时系统比例 (DB37/T 3890, seed 001@9610): important intersections whose signal
 * controller runs real-time timing ÷ important intersections. "该指标统计城市重要路口,不包含支路路口":
 * only important intersections count (`isImportantIntersection`: class above 支路 by default).
 *
 * A controller is a device of type `signal` with attributes `nodeId` (the road node it controls)
 * and `realTimeTiming: true`. A controller without `nodeId` is matched to the nearest intersection
 * within `maxMatchDistanceM` (default 30 m). Health and networking are not required: the seed counts
 * intersections "配置" (equipped with) the system.
 */
import { isImportantIntersection } from '../cim/summary.ts';
import { DEVICE_TYPES, type City, type RoadClass } from '../cim/types.ts';
import type { SimulatedIndicatorValues } from '../indicators/values.ts';

export interface SignalTimingOptions {
  /** Intersection classes left out (default 支路 and service roads). */
  excludedClasses?: readonly RoadClass[];
  maxMatchDistanceM?: number;
}

export interface SignalTimingResult {
  indicators: SimulatedIndicatorValues;
  /** Important intersections with real-time timing, and those without (node ids). */
  withRealTime: string[];
  without: string[];
  /** Controllers that matched no important intersection (device ids). */
  unmatchedControllers: string[];
}

/** Computes `signal_realtime_timing`; the value is a percentage (0 when the city has no important intersection, with denominator 0). */
export function signalTimingIndicator(city: City, options: SignalTimingOptions = {}): SignalTimingResult {
  const excluded = options.excludedClasses ?? ['branch', 'service'];
  const maxD2 = (options.maxMatchDistanceM ?? 30) ** 2;
  const N = city.roadNodes;
  const important: number[] = [];
  for (let i = 0; i < N.count; i++) if (isImportantIntersection(city, i, excluded)) important.push(i);
  const index = new Map(N.ids.map((id, i) => [id, i]));
  const realTime = new Set<number>();
  const unmatched: string[] = [];
  const D = city.devices;
  const sigCode = DEVICE_TYPES.indexOf('signal');
  for (let d = 0; d < D.count; d++) {
    if (D.typeCode[d] !== sigCode || D.attrs[d].realTimeTiming !== true) continue;
    const nodeId = D.attrs[d].nodeId;
    let node = typeof nodeId === 'string' ? index.get(nodeId) ?? -1 : -1;
    if (node < 0 && typeof nodeId !== 'string') {
      let best = maxD2;
      for (const i of important) {
        const d2 = (N.xyM[2 * i] - D.xyM[2 * d]) ** 2 + (N.xyM[2 * i + 1] - D.xyM[2 * d + 1]) ** 2;
        if (d2 <= best) (best = d2), (node = i);
      }
    }
    if (node >= 0 && isImportantIntersection(city, node, excluded)) realTime.add(node);
    else unmatched.push(D.ids[d]);
  }
  const numerator = realTime.size;
  const denominator = important.length;
  return {
    indicators: {
      signal_realtime_timing: {
        value: denominator ? (100 * numerator) / denominator : 0,
        numerator,
        denominator,
        unit: 'percent',
        source: 'simulation',
        model: 'signal-timing',
      },
    },
    withRealTime: important.filter((i) => realTime.has(i)).map((i) => N.ids[i]),
    without: important.filter((i) => !realTime.has(i)).map((i) => N.ids[i]),
    unmatchedControllers: unmatched,
  };
}
