import { describe, expect, it } from 'vitest';
import type { DeviceFeature } from '../api/client.ts';
import { deviceDiff, indicatorDeltas } from './compare-model.ts';
import { buildIndicatorModel } from './indicator-rows.ts';

const sim = (value: number, numerator?: number, denominator?: number) => ({ value, ...(numerator !== undefined ? { numerator, denominator } : {}), unit: 'percent' as const, source: 'simulation' as const, model: 't' });
const dev = (id: string, lon: number, props: Record<string, unknown> = {}): DeviceFeature => ({ type: 'Feature', id, geometry: { type: 'Point', coordinates: [lon, 36.7] }, properties: { deviceType: 'camera', heightM: 6, ...props } });

describe('indicator deltas', () => {
  it('gives b − a per measure and the star change, and flags only changed rows', () => {
    const a = buildIndicatorModel({ simulated: { video_hd_coverage: sim(75, 75, 100), video_camera_health: sim(95), epolice_coverage: sim(80, 8, 10) } });
    const b = buildIndicatorModel({ simulated: { video_hd_coverage: sim(91, 91, 100), video_camera_health: sim(95), epolice_coverage: sim(80, 8, 10) } });
    const d = indicatorDeltas(a, b);
    const video = d.find((x) => x.id === 'video_completeness')!;
    expect(video.measures[0]!.delta).toBeCloseTo(16, 9);
    expect(video.measures[1]!.delta).toBe(0);
    expect(video.starsA).toBe(0);
    expect(video.starsB).toBe(4);
    expect(video.starDelta).toBe(4);
    expect(video.changed).toBe(true);
    expect(d.find((x) => x.id === 'epolice_coverage')!.changed).toBe(false);
    expect(d.filter((x) => x.changed).map((x) => x.id)).toEqual(['video_completeness']);
  });
  it('a value on one side only is a change with no numeric delta', () => {
    const a = buildIndicatorModel({ simulated: {} });
    const b = buildIndicatorModel({ simulated: { epolice_coverage: sim(80, 8, 10) } });
    const ep = indicatorDeltas(a, b).find((x) => x.id === 'epolice_coverage')!;
    expect(ep.measures[0]).toMatchObject({ a: null, b: 80, delta: null });
    expect(ep.changed).toBe(true);
  });
});

describe('device diff', () => {
  it('finds added, removed and changed devices with the fields that changed', () => {
    const a = [dev('c1', 119.1), dev('c2', 119.2), dev('c3', 119.3, { headingDeg: 90 }), dev('c4', 119.4)];
    const b = [dev('c1', 119.1), dev('c3', 119.3, { headingDeg: 180 }), dev('c4', 119.41), dev('c5', 119.5)];
    const d = deviceDiff(a, b);
    expect(d.added).toEqual(['c5']);
    expect(d.removed).toEqual(['c2']);
    expect(d.changed).toEqual([
      { id: 'c3', fields: ['headingDeg'] },
      { id: 'c4', fields: ['position'] },
    ]);
    expect(d.unchanged).toBe(1);
  });
  it('ignores property order and sub-centimetre moves', () => {
    const a = [dev('c1', 119.1, { a: 1, b: { x: 1, y: 2 } })];
    const b = [{ ...dev('c1', 119.1 + 1e-9), properties: { b: { y: 2, x: 1 }, a: 1, heightM: 6, deviceType: 'camera' } }];
    expect(deviceDiff(a, b)).toEqual({ added: [], removed: [], changed: [], unchanged: 1 });
  });
});
