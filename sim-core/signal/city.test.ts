import { describe, expect, it } from 'vitest';
import { arterialFromCity } from './corridor-city.ts';
import { corridorTestCity as city } from './fixtures/corridor-city.ts';
import { signalTimingIndicator } from './indicator.ts';

describe('signal_realtime_timing (交通路口实时信号配时系统比例)', () => {
  it('counts important intersections with real-time timing, leaving out 支路 intersections', () => {
    const r = signalTimingIndicator(city());
    expect(r.indicators.signal_realtime_timing).toEqual({ value: (100 * 2) / 3, numerator: 2, denominator: 3, unit: 'percent', source: 'simulation', model: 'signal-timing' });
    expect(r.withRealTime).toEqual(['A1', 'A3']);
    expect(r.without).toEqual(['A4']);
    expect(r.unmatchedControllers).toEqual(['c2']);
  });

  it('stops matching by distance beyond the limit, and counts 支路 when asked', () => {
    expect(signalTimingIndicator(city(), { maxMatchDistanceM: 5 }).indicators.signal_realtime_timing.numerator).toBe(1);
    const all = signalTimingIndicator(city(), { excludedClasses: [] });
    expect(all.indicators.signal_realtime_timing).toMatchObject({ numerator: 3, denominator: 4 });
  });
});

describe('arterial from the road graph', () => {
  it('follows the 主干路 between two end nodes and takes timing from the controllers', () => {
    const c = arterialFromCity(city(), { nodeIds: ['A0', 'A4'] });
    expect(c.pathNodeIds).toEqual(['A0', 'A1', 'A2', 'A3', 'A4']);
    expect(c.arterial.signals.map((s) => s.id)).toEqual(['A1', 'A2', 'A3', 'A4']);
    expect(c.arterial.links.map((l) => l.lengthM)).toEqual([450, 450, 400]);
    expect(c.arterial.links[0].speedMps).toBeCloseTo(0.8 * (50 / 3.6), 5); // limits are stored as float32
    expect(c.arterial.cycleS).toBe(100); // the controllers' largest cycle
    expect(c.arterial.signals[0].outbound.greenS).toBeCloseTo(0.6 * 100 - 3, 9);
    expect(c.arterial.signals[1].outbound.greenS).toBeCloseTo(0.5 * 100 - 3, 9);
  });

  it('takes the shortcut when every class costs the same, and checks its input', () => {
    const c = arterialFromCity(city(), { nodeIds: ['A0', 'A4'], classCost: [1, 1, 1, 1, 1], cycleS: 90, speedMps: 12 });
    expect(c.pathNodeIds).toEqual(['A0', 'A1', 'B', 'A3', 'A4']);
    expect(c.arterial.signals.map((s) => s.id)).toEqual(['A1', 'A3', 'A4']);
    expect(c.arterial.links[0].lengthM).toBeCloseTo(2 * Math.hypot(400, 100), 3);
    expect(c.arterial.links[0].speedMps).toBe(12);
    expect(() => arterialFromCity(city(), { nodeIds: ['A0', 'Z'] })).toThrow(/road node 'Z' is not in the city/);
    expect(() => arterialFromCity(city(), { nodeIds: ['A0', 'A1'] })).toThrow(/1 signalised node/);
    expect(() => arterialFromCity(city(), { nodeIds: ['A0'] })).toThrow(/at least 2 road nodes/);
  });
});
