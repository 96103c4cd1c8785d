import { describe, expect, it } from 'vitest';
import { CityBuilder } from '../cim/builder.ts';
import { LocalFrame } from '../cim/frame.ts';
import { ringSignedArea } from '../geom/polygon.ts';
import { blindSpots } from './areas-blind-spots.ts';
import type { CameraSpec } from './camera.ts';
import { CoverageSession } from './session.ts';
import { coverageReport } from './session-report.ts';

const ORIGIN = { lonDeg: 119.16, latDeg: 36.71, heightM: 0 };
const cam: CameraSpec = { id: 'c', kind: 'camera', xM: 0, yM: 0, heightM: 6, headingDeg: 90, tiltDeg: 20, hfovDeg: 90, widthPx: 1920, heightPx: 1080, ptz: false, panRangeDeg: 0, doriLevel: 'observation', healthy: true, networked: true, assumed: [] };

/** Area (m²) of a lon/lat MultiPolygon, measured back in the local frame. */
function localArea(frame: LocalFrame, mp: number[][][][]): number {
  let a = 0;
  for (const poly of mp) {
    poly.forEach((ring, k) => {
      const flat = ring.slice(0, -1).flatMap(([lon, lat]) => Array.from(frame.toLocal(lon, lat)));
      a += (k === 0 ? 1 : -1) * Math.abs(ringSignedArea(flat));
    });
  }
  return a;
}

describe('blind spots', () => {
  it('outline the unseen cells, clipped to the area and cut around buildings', () => {
    const b = new CityBuilder(ORIGIN);
    b.addKeyArea({ id: 'sq', rings: [[10, -5, 20, -5, 20, 5, 10, 5]], category: 'park_square', name: '广场' });
    b.addBuilding({ id: 'kiosk', rings: [[17, -1, 19, -1, 19, 1, 17, 1]], roofM: 3 });
    const city = b.build();
    const s = new CoverageSession(city, [cam], { gridM: 1 });
    const r = s.areaResults()[0];
    expect(r.sampleCount).toBe(100 - 4);
    const unseen = r.sampleCount - r.coveredSamples;
    expect(unseen).toBeGreaterThan(0);
    const fc = blindSpots(city, s.samples, s.areaSeen, s.prisms);
    expect(fc.features).toHaveLength(1);
    const f = fc.features[0];
    expect(f.properties).toMatchObject({ areaId: 'sq', areaName: '广场', unseenSamples: unseen, sampleCount: 96 });
    // cells are 1 m² and the square lies on the grid: the polygons cover exactly the unseen cells
    expect(f.properties.areaM2).toBeCloseTo(unseen, 6);
    expect(localArea(new LocalFrame(city.origin), f.geometry.coordinates)).toBeCloseTo(unseen, 3);
    // every polygon vertex lies inside the area's box, none inside the kiosk
    const frame = new LocalFrame(city.origin);
    for (const poly of f.geometry.coordinates)
      for (const ring of poly)
        for (const [lon, lat] of ring) {
          const [x, y] = frame.toLocal(lon, lat);
          expect(x).toBeGreaterThan(10 - 1e-3); // lon/lat kept to 1e-9° (0.1 mm)
          expect(x).toBeLessThan(20 + 1e-3);
          expect(x > 17 + 1e-3 && x < 19 - 1e-3 && y > -1 + 1e-3 && y < 1 - 1e-3).toBe(false);
        }
  });

  it('follow the area edge exactly when clipped, the grid otherwise', () => {
    const b = new CityBuilder(ORIGIN);
    b.addKeyArea({ id: 'off-grid', rings: [[10.3, -5.3, 20.3, -5.3, 20.3, 4.7, 10.3, 4.7]], category: 'park_square' });
    const city = b.build();
    const s = new CoverageSession(city, [], { gridM: 1 }); // no camera: all of it is a blind spot
    const frame = new LocalFrame(city.origin);
    const minX = (mp: number[][][][]) => Math.min(...mp.flat(2).map(([lon, lat]) => frame.toLocal(lon, lat)[0]));
    const grid = blindSpots(city, s.samples, s.areaSeen, s.prisms).features[0];
    const exact = blindSpots(city, s.samples, s.areaSeen, s.prisms, { clip: true }).features[0];
    expect(grid.properties.exact).toBe(false);
    expect(exact.properties.exact).toBe(true);
    // cell centres x = 10.5 … 19.5 are inside: the grid outline starts at the cell edge x = 10, the clipped one at the area edge x = 10.3
    expect(minX(grid.geometry.coordinates)).toBeCloseTo(10, 3);
    expect(minX(exact.geometry.coordinates)).toBeCloseTo(10.3, 3);
    expect(exact.properties.areaM2).toBeLessThan(grid.properties.areaM2);
  });

  it('are empty when everything is seen, and the report carries them with the indicators', () => {
    const b = new CityBuilder(ORIGIN);
    b.addKeyArea({ id: 'sq', rings: [[10, -2, 12, -2, 12, 2, 10, 2]], category: 'park_square' });
    const city = b.build();
    const s = new CoverageSession(city, [cam], { gridM: 1 });
    expect(s.areaResults()[0].coveredPercent).toBe(100);
    const report = coverageReport(s);
    expect(report.camera.blindSpots.features).toEqual([]);
    expect(report.indicators.video_hd_coverage).toMatchObject({ value: 100, numerator: 1, denominator: 1, unit: 'percent', source: 'simulation', model: 'camera-coverage' });
    expect(report.camera.areas[0]).toMatchObject({ id: 'sq', openGroundM2: 8, polygonM2: 8, covered: true });
    expect(report.camera.notes.some((n) => n.includes('epolice_coverage left out'))).toBe(true);
    expect(report.camera.cameras.assumedDefaults).toEqual({});
  });
});
