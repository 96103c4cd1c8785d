import { describe, expect, it } from 'vitest';
import { CityBuilder } from '../../sim-core/cim/builder.ts';
import type { DeviceFeature } from '../../sim-core/cim/device-features.ts';
import type { SessionSnapshotBody } from '../../sim-core/session/session.ts';
import { coverageRows, deviceChanges, sparklinePoints, starAlerts, storedIndicatorValues, withTrendPoint } from './model.ts';

const dev = (id: string, props: Record<string, unknown> = {}): DeviceFeature => ({ type: 'Feature', id, geometry: { type: 'Point', coordinates: [119.16, 36.71] }, properties: { layer: 'device', deviceType: 'camera', name: `名${id}`, ...props } });

describe('deviceChanges', () => {
  it('alerts on a camera that stops being healthy or networked, is restored, added or removed; lists every changed id', () => {
    const before = new Map([dev('a'), dev('b'), dev('c', { healthy: false }), dev('d'), dev('e')].map((d) => [d.id, d]));
    const after = [dev('a', { healthy: false }), dev('b', { networked: false }), dev('c'), dev('d', { headingDeg: 90 }), dev('f')];
    const { changedIds, alerts } = deviceChanges(before, after, 7);
    expect(changedIds.sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(alerts.map((a) => [a.subject, a.kind, a.severity])).toEqual([
      ['a', 'unhealthy', 'critical'],
      ['b', 'offline', 'warning'],
      ['c', 'restored', 'info'],
      ['f', 'added', 'info'],
      ['e', 'removed', 'warning'],
    ]);
    expect(alerts[0]).toMatchObject({ name: '名a', subjectType: 'camera', version: 7 });
    expect(deviceChanges(before, [...before.values()], 8)).toEqual({ changedIds: [], alerts: [] });
  });
});

describe('coverageRows', () => {
  it('counts covered areas and blind spots by district and by scope', () => {
    const b = new CityBuilder({ lonDeg: 119.16, latDeg: 36.71, heightM: 0 }, { name: 't', synthetic: true, sources: [], attribution: [] });
    b.addKeyArea({ id: 'k1', rings: [[0, 0, 10, 0, 10, 10, 0, 10]], category: 'school', attrs: { district: '奎文区' } });
    b.addKeyArea({ id: 'k2', rings: [[20, 0, 30, 0, 30, 10, 20, 10]], category: 'school', attrs: { district: '奎文区' } });
    b.addKeyArea({ id: 'k3', rings: [[500, 0, 510, 0, 510, 10, 500, 10]], category: 'park_square', attrs: { district: '潍城区' } });
    b.addScope({ id: 's', kind: '中心城区', name: '中心', polygons: [[[-50, -50, 100, -50, 100, 100, -50, 100]]] });
    b.addBuilding({ id: 'b', rings: [[100, 30, 150, 30, 150, 70, 100, 70]], roofM: 20, use: 'office' });
    const city = b.build();
    const area = (id: string, i: number, covered: boolean) => ({ id, area: i, sampleCount: 10, coveredSamples: covered ? 10 : 0, coveredPercent: covered ? 100 : 0, covered, inVideoSet: true });
    const results = { video: { areas: [area('k1', 0, true), area('k2', 1, false), area('k3', 2, false)], intersections: [] }, nr5g: { areas: [{ id: 'k1', area: 0, samples: 5, coveredSamples: 5, coveredPercent: 100, covered: true }] }, indicators: {}, stars: [], devices: { cameras: 0, cells: 0 } } as unknown as SessionSnapshotBody;
    expect(coverageRows(city, results)).toEqual([
      { kind: 'district', key: '奎文区', label: '奎文区', videoAreas: 2, videoCovered: 1, blindSpots: 1, nr5gAreas: 1, nr5gCovered: 1 },
      { kind: 'district', key: '潍城区', label: '潍城区', videoAreas: 1, videoCovered: 0, blindSpots: 1, nr5gAreas: 0, nr5gCovered: 0 },
      { kind: 'scope', key: 's', label: '中心', videoAreas: 2, videoCovered: 1, blindSpots: 1, nr5gAreas: 1, nr5gCovered: 1 },
    ]);
  });
});

describe('trends and stored values', () => {
  it('keeps one point per version, sorted, the latest `max`', () => {
    let s = withTrendPoint([], 3, 80);
    s = withTrendPoint(s, 1, 70);
    s = withTrendPoint(s, 3, 81);
    expect(s).toEqual([{ version: 1, value: 70 }, { version: 3, value: 81 }]);
    expect(withTrendPoint(s, 4, 1, 2)).toEqual([{ version: 3, value: 81 }, { version: 4, value: 1 }]);
    expect(sparklinePoints(s)).toBe('0.0,27.0 100.0,3.0');
    expect(sparklinePoints([{ version: 1, value: 5 }])).toBe('');
  });
  it('reads stored indicators in both shapes and star changes', () => {
    expect(storedIndicatorValues({ video_hd_coverage: { value: 81.9, unit: 'percent' }, x: 'no', y: 3 })).toEqual({ video_hd_coverage: 81.9, y: 3 });
    expect(storedIndicatorValues({ indicators: { a: { value: 1 } } })).toEqual({ a: 1 });
    expect(storedIndicatorValues(null)).toEqual({});
    const a = starAlerts([{ indicator: 'video_completeness', nameZh: '视频', nameEn: 'Video', stars: 2, before: 3 }, { indicator: 'x', nameZh: 'x', nameEn: 'x', stars: 1, before: 1 }], 4, 'en');
    expect(a).toEqual([expect.objectContaining({ kind: 'star-down', severity: 'critical', name: 'Video', before: 3, after: 2, version: 4 })]);
  });
});
