import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { sharedDataPath } from '../../../test/helpers/shared-data.ts';
import { LocalFrame } from '../../cim/frame.ts';
import { mulberry32 } from '../../random.ts';
import { coveringRadius, pointInScope, scopeAreaM2, stationSpacing, type ScopePolygonsM, type StationInput } from './spacing.ts';

const km = (v: number) => v * 1000;
const square = (side: number): ScopePolygonsM => [[Float64Array.from([0, 0, side, 0, side, side, 0, side])]];
const st = (id: string, xKm: number, yKm: number): StationInput => ({ id, xM: km(xKm), yM: km(yKm) });

/** Largest nearest-station distance over a fine grid of the scope (a lower bound of the covering radius). */
function gridCoveringLowerBound(scope: ScopePolygonsM, px: Float64Array, stepM: number, box: [number, number, number, number]) {
  let best = 0;
  for (let y = box[1]; y <= box[3]; y += stepM) {
    for (let x = box[0]; x <= box[2]; x += stepM) {
      if (!pointInScope(scope, x, y)) continue;
      let d = Infinity;
      for (let i = 0; i < px.length; i += 2) d = Math.min(d, Math.hypot(px[i] - x, px[i + 1] - y));
      best = Math.max(best, d);
    }
  }
  return best;
}

describe('station spacing on a hand-made square', () => {
  // 10 km × 10 km, four stations at the centres of its 5 km quarters
  const scope = square(km(10));
  const four = [st('a', 2.5, 2.5), st('b', 7.5, 2.5), st('c', 2.5, 7.5), st('d', 7.5, 7.5)];

  it('mean spacing √(A/N), nearest neighbours, covering radius, 5 km grid', () => {
    const r = stationSpacing(scope, four);
    expect(r.scopeAreaKm2).toBeCloseTo(100, 9);
    expect(r.stationCount).toBe(4);
    expect(r.meanSpacingKm).toBeCloseTo(5, 12); // √(100 / 4)
    expect(r.nearestNeighbour!.medianKm).toBeCloseTo(5, 12);
    expect(r.nearestNeighbour!.minKm).toBeCloseTo(5, 12);
    // every corner, the centre and the edge midpoints are 2.5·√2 = 3.5355 km from the nearest station
    expect(r.coveringRadius.km).toBeCloseTo(2.5 * Math.SQRT2, 9);
    expect(r.coveringRadius.equivalentSpacingKm).toBeCloseTo(5, 9);
    expect(r.gridOccupancy).toEqual({ gridKm: 5, cells: 4, occupied: 4, percent: 100 });
    // 5 km is not *under* 5 km: the target fails on the default metric, exactly at the edge
    expect(r.decision.metric).toBe('mean-spacing');
    expect(r.decision.meets).toBe(false);
    expect(r.stationsForThreshold).toBe(5);
    expect(stationSpacing(scope, four, { thresholdKm: 5.01 }).decision.meets).toBe(true);
    expect(stationSpacing(scope, four, { metric: 'grid-occupancy' }).decision.meets).toBe(true);
  });

  it('one station in the middle: covering radius at a corner, 5√2 km', () => {
    const r = stationSpacing(scope, [st('m', 5, 5)]);
    expect(r.meanSpacingKm).toBeCloseTo(10, 12);
    expect(r.nearestNeighbour).toBeNull();
    expect(r.coveringRadius.km).toBeCloseTo(5 * Math.SQRT2, 9);
    expect([0, km(10)]).toContain(r.coveringRadius.atXM);
    expect(r.gridOccupancy.occupied).toBe(1);
    expect(r.gridOccupancy.percent).toBe(25);
  });

  it('stations outside the scope are not counted, but may serve it with neighboursOutside', () => {
    const withOut = [...four, st('x', 12, 5)];
    expect(stationSpacing(scope, withOut).stationCount).toBe(4);
    const near = [st('a', 2.5, 5), st('x', 11, 5)];
    const own = stationSpacing(scope, near).coveringRadius.km;
    const shared = stationSpacing(scope, near, { neighboursOutside: true }).coveringRadius.km;
    expect(shared).toBeLessThan(own);
  });

  it('no station: infinite spacing, the target fails on every metric', () => {
    for (const metric of ['mean-spacing', 'nearest-neighbour-median', 'covering-radius', 'grid-occupancy'] as const) {
      const r = stationSpacing(scope, [], { metric });
      expect(r.decision.meets).toBe(false);
    }
    expect(stationSpacing(scope, []).meanSpacingKm).toBe(Infinity);
  });
});

describe('exact covering radius', () => {
  it('matches and bounds a fine grid search on a non-convex scope with random stations', () => {
    // an L-shaped scope with a hole
    const scope: ScopePolygonsM = [
      [Float64Array.from([0, 0, 10000, 0, 10000, 4000, 4000, 4000, 4000, 10000, 0, 10000]), Float64Array.from([1000, 1000, 1000, 2000, 2000, 2000, 2000, 1000])],
    ];
    expect(scopeAreaM2(scope)).toBeCloseTo(64e6 - 1e6, 3);
    const rand = mulberry32(42);
    for (const n of [1, 2, 3, 7, 25]) {
      const px = new Float64Array(2 * n);
      for (let i = 0; i < n; i++) {
        px[2 * i] = rand() * 10000;
        px[2 * i + 1] = rand() * 10000;
      }
      const exact = coveringRadius(scope, px);
      const grid = gridCoveringLowerBound(scope, px, 50, [0, 0, 10000, 10000]);
      expect(exact.radiusM).toBeGreaterThanOrEqual(grid - 1e-6);
      expect(exact.radiusM - grid).toBeLessThan(50 * Math.SQRT2); // within one grid diagonal
      expect(pointInScope(scope, exact.x, exact.y) || exact.candidates > 0).toBe(true);
    }
  });

  it('collinear stations (no Delaunay triangle) are handled', () => {
    const px = Float64Array.from([1000, 5000, 5000, 5000, 9000, 5000]);
    const r = coveringRadius(square(10000), px);
    // farthest: where the bisector x = 3000 (or 7000) meets the boundary, e.g. (3000, 0) → (1000, 5000):
    // √(2000² + 5000²) = 5385.16 m, farther than any corner (√(1000² + 5000²) = 5099.02 m)
    expect(r.radiusM).toBeCloseTo(Math.hypot(2000, 5000), 6);
    expect([3000, 7000]).toContain(Math.round(r.x));
  });
});

const stationsCsv = sharedDataPath('shandong-weather-stations/isd_stations_shandong_bbox.csv');
const weifang = sharedDataPath('shandong-admin-boundaries/weifang_districts.geojson');

describe.skipIf(!stationsCsv || !weifang)('real Shandong stations over the Weifang 城区', () => {
  it('gives the real city\'s spacing: far above 5 km with the open national network', () => {
    const rows = parse(readFileSync(stationsCsv as string, 'utf8'), { columns: true }) as Record<string, string>[];
    const active = rows.filter((r) => r.active_2025 === 'True');
    expect(rows.length).toBe(48);
    expect(active.length).toBe(19);
    const frame = new LocalFrame({ lonDeg: 119.16, latDeg: 36.71, heightM: 0 });
    const stations = active.map((r) => {
      const p = frame.toLocal(Number(r.lon), Number(r.lat));
      return { id: r.wmo_id || r.usaf, xM: p[0], yM: p[1] };
    });
    // 城区 = the four urban districts 潍城区 寒亭区 坊子区 奎文区 (370702–370705)
    const gj = JSON.parse(readFileSync(weifang as string, 'utf8')) as { features: { properties: { name: string; adcode: string }; geometry: { type: string; coordinates: number[][][] } }[] };
    const urban = gj.features.filter((f) => ['370702', '370703', '370704', '370705'].includes(f.properties.adcode));
    expect(urban.map((f) => f.properties.name).sort()).toEqual(['坊子区', '奎文区', '寒亭区', '潍城区'].sort());
    const scope: ScopePolygonsM = urban.map((f) => f.geometry.coordinates.map((ring) => frame.projectFlat(ring.slice(0, -1).flat())));
    const r = stationSpacing(scope, stations);
    // the only national station of the urban area: 54843 WEIFANG
    expect(r.stationIds).toEqual(['54843']);
    expect(r.scopeAreaKm2).toBeGreaterThan(1500);
    expect(r.scopeAreaKm2).toBeLessThan(3500);
    expect(r.meanSpacingKm).toBeCloseTo(Math.sqrt(r.scopeAreaKm2), 9);
    expect(r.decision.meets).toBe(false);
    // about A / 25 km² stations would be needed for a 5 km mean spacing
    expect(r.stationsForThreshold).toBe(Math.ceil(r.scopeAreaKm2 / 25));
    // the covering radius is tens of km and lies on the scope boundary or inside
    expect(r.coveringRadius.km).toBeGreaterThan(20);
    const grid = gridCoveringLowerBound(scope, Float64Array.from([stations.find((s) => s.id === '54843')!.xM, stations.find((s) => s.id === '54843')!.yM]), 500, [-60000, -60000, 60000, 80000]);
    expect(r.coveringRadius.km * 1000).toBeGreaterThanOrEqual(grid - 1e-6);
    expect(r.coveringRadius.km * 1000 - grid).toBeLessThan(500 * Math.SQRT2);
    // neighbours outside the 城区 (e.g. in 昌邑 or 安丘) may serve its far corners
    const shared = stationSpacing(scope, stations, { neighboursOutside: true });
    expect(shared.coveringRadius.km).toBeLessThanOrEqual(r.coveringRadius.km);
    console.log(
      `Weifang 城区 (4 districts): ${r.scopeAreaKm2.toFixed(0)} km², ${r.stationCount} open ISD station(s) → √(A/N) = ${r.meanSpacingKm.toFixed(1)} km, covering radius ${r.coveringRadius.km.toFixed(1)} km ` +
        `(${shared.coveringRadius.km.toFixed(1)} km with neighbours outside), ${r.stationsForThreshold} stations needed for < 5 km`,
    );
  });
});
