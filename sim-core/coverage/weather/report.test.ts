import { describe, expect, it } from 'vitest';
import { CityBuilder } from '../../cim/builder.ts';
import { weatherReport } from './report.ts';

const ORIGIN = { lonDeg: 119.16, latDeg: 36.71, heightM: 0 };

/** A 20 km × 10 km 城区 with the given stations (x, y km, healthy). */
function city(stations: [number, number, boolean?][], withScope = true) {
  const b = new CityBuilder(ORIGIN, { name: 'weather-test', synthetic: true });
  if (withScope) b.addScope({ id: 'urban', kind: '城区', polygons: [[[0, 0, 20000, 0, 20000, 10000, 0, 10000]]] });
  b.addScope({ id: 'centre', kind: '中心城区', polygons: [[[0, 0, 10000, 0, 10000, 10000, 0, 10000]]] });
  stations.forEach(([x, y, healthy], i) => b.addDevice({ id: `wx${i}`, type: 'weather', xM: x * 1000, yM: y * 1000, heightM: 1.5, healthy: healthy ?? true }));
  b.addDevice({ id: 'cam', type: 'camera', xM: 100, yM: 100, heightM: 6 });
  return b.build();
}

describe('weather section', () => {
  it('gives √(A/N) over the 城区 as the indicator and locates the farthest point in lon/lat', () => {
    // 8 stations on a 5 km lattice → √(200 / 8) = 5 km
    const pts: [number, number][] = [];
    for (const x of [2.5, 7.5, 12.5, 17.5]) for (const y of [2.5, 7.5]) pts.push([x, y]);
    const { weather, indicators } = weatherReport(city(pts));
    expect(weather!.scope.id).toBe('urban');
    expect(weather!.stations.counted).toBe(8);
    expect(indicators.weather_station_spacing.value).toBeCloseTo(5, 9);
    expect(indicators.weather_station_spacing.unit).toBe('km');
    expect(indicators.weather_station_spacing.model).toBe('weather-spacing:mean-spacing');
    expect(weather!.spacing.decision.meets).toBe(false); // 5 km is not under 5 km
    expect(weather!.spacing.coveringRadius.km).toBeCloseTo(2.5 * Math.SQRT2, 6);
    const far = weather!.spacing.farthestPoint!;
    expect(far.lonDeg).toBeGreaterThan(119.15);
    expect(far.latDeg).toBeGreaterThan(36.70);
    expect(weather!.spacing.nearestNeighbour!.byStation).toHaveLength(8);
  });

  it('leaves out unhealthy stations unless asked, and another scope can be chosen', () => {
    const c = city([[2, 2], [8, 8, false], [15, 5]]);
    expect(weatherReport(c).weather!.stations.counted).toBe(2);
    expect(weatherReport(c).weather!.notes.join(' ')).toMatch(/not healthy/);
    expect(weatherReport(c, { includeUnhealthy: true }).weather!.stations.counted).toBe(3);
    const centre = weatherReport(c, { scopeId: 'centre' });
    expect(centre.weather!.spacing.stationCount).toBe(1); // (2, 2) only; (8, 8) is unhealthy
    expect(centre.indicators.weather_station_spacing.value).toBeCloseTo(10, 9);
    expect(() => weatherReport(c, { scopeId: 'nope' })).toThrow(/no scope 'nope'/);
  });

  it('states why the indicator is missing: no 城区, no station, or a percentage metric', () => {
    const noScope = weatherReport(city([[1, 1]], false));
    expect(noScope.weather).toBeNull();
    expect(noScope.notes.join(' ')).toMatch(/no 城区 scope/);
    const empty = weatherReport(city([]));
    expect(empty.indicators.weather_station_spacing).toBeUndefined();
    expect(empty.notes.join(' ')).toMatch(/infinite/);
    const grid = weatherReport(city([[1, 1]]), { metric: 'grid-occupancy' });
    expect(grid.indicators.weather_station_spacing).toBeUndefined();
    expect(grid.weather!.spacing.decision.valuePercent).toBeCloseTo(100 / 8, 9);
    const cov = weatherReport(city([[10, 5]]), { metric: 'covering-radius' });
    // one station in the middle of 20 × 10 km: the corners are √(10² + 5²) km away; √2 × that decides
    expect(cov.indicators.weather_station_spacing.value).toBeCloseTo(Math.SQRT2 * Math.hypot(10, 5), 3);
  });
});
