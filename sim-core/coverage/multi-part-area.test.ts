/**
 * A key area made of several polygons (an OSM multipolygon park, a school on two plots) is ONE area:
 * DB37/T 3890 counts areas (重点公共区域个数), so the camera and 5G indicators count it once, and it is
 * sampled over all its parts.
 */
import { describe, expect, it } from 'vitest';
import { CityBuilder, type KeyAreaInput } from '../cim/builder.ts';
import { cityFromGeoJSON, cityToGeoJSON } from '../cim/city-file.ts';
import { pointInTablePolygon, ringSignedArea, tablePolygonArea, tablePolygonBBox, tablePolygonParts } from '../geom/polygon.ts';
import { generateCandidates } from '../placement/candidates.ts';
import { PrismIndex } from '../spatial/prism-index.ts';
import { sampleKeyAreas } from './areas.ts';
import { blindSpots } from './areas-blind-spots.ts';
import type { CameraSpec } from './camera.ts';
import { nr5gReport } from './cellular/report.ts';
import { testCells, testScene } from './cellular/test-scene.ts';
import { CoverageSession } from './session.ts';

const ORIGIN = { lonDeg: 119.16, latDeg: 36.71, heightM: 0 };
const rect = (x0: number, y0: number, x1: number, y1: number) => [x0, y0, x1, y0, x1, y1, x0, y1];
/** Clockwise input on purpose: the builder must orient outer rings CCW and holes CW. */
const rectCw = (x0: number, y0: number, x1: number, y1: number) => [x0, y0, x0, y1, x1, y1, x1, y0];

/** Part A: 10 × 10 m at x 10–20 with a 2 × 2 m hole; part B: 10 × 10 m at x 200–210. */
const TWO_PARTS: number[][][] = [
  [rectCw(10, -5, 20, 5), rect(14, -1, 16, 1)],
  [rect(200, -5, 210, 5)],
];

function cam(over: Partial<CameraSpec>): CameraSpec {
  return { id: 'c', kind: 'camera', xM: 0, yM: 0, heightM: 5, headingDeg: 90, tiltDeg: 25, hfovDeg: 120, widthPx: 3840, heightPx: 2160, ptz: false, panRangeDeg: 0, doriLevel: 'observation', healthy: true, networked: true, assumed: [], ...over };
}

function twoPartCity() {
  const b = new CityBuilder(ORIGIN);
  b.addKeyArea({ id: 'park', polygons: TWO_PARTS, category: 'park_square', name: '两块公园' });
  return b.build();
}

describe('a multi-part key area in the city model', () => {
  it('stores each outer ring CCW followed by its holes CW, with area and box over all parts', () => {
    const city = twoPartCity();
    const ka = city.keyAreas;
    expect(ka.count).toBe(1);
    const signs: number[] = [];
    for (let r = ka.ringStart[0]; r < ka.ringStart[1]; r++) signs.push(Math.sign(ringSignedArea(ka.xyM, ka.vertexStart[r], ka.vertexStart[r + 1])));
    expect(signs).toEqual([1, -1, 1]);
    expect(tablePolygonParts(ka.ringStart, ka.vertexStart, ka.xyM, 0)).toEqual([0, 2, 3]);
    expect(tablePolygonArea(ka.ringStart, ka.vertexStart, ka.xyM, 0)).toBeCloseTo(100 - 4 + 100, 9);
    expect(Array.from(tablePolygonBBox(ka.ringStart, ka.vertexStart, ka.xyM, 0))).toEqual([10, -5, 210, 5]);
    expect(pointInTablePolygon(12, 0, ka.ringStart, ka.vertexStart, ka.xyM, 0)).toBe(true);
    expect(pointInTablePolygon(15, 0, ka.ringStart, ka.vertexStart, ka.xyM, 0)).toBe(false); // the hole
    expect(pointInTablePolygon(205, 0, ka.ringStart, ka.vertexStart, ka.xyM, 0)).toBe(true);
    expect(pointInTablePolygon(100, 0, ka.ringStart, ka.vertexStart, ka.xyM, 0)).toBe(false); // between the parts
  });

  it('keeps building area and box as before (outer minus hole, box of the outer ring)', () => {
    const b = new CityBuilder(ORIGIN);
    b.addBuilding({ id: 'court', rings: [rect(0, 0, 30, 20), rectCw(10, 5, 20, 15)], roofM: 12 });
    const B = b.build().buildings;
    expect(tablePolygonArea(B.ringStart, B.vertexStart, B.xyM, 0)).toBeCloseTo(600 - 100, 9);
    expect(Array.from(tablePolygonBBox(B.ringStart, B.vertexStart, B.xyM, 0))).toEqual([0, 0, 30, 20]);
  });

  it('rejects giving both rings and polygons, and a bad ring names its polygon', () => {
    const b = new CityBuilder(ORIGIN);
    expect(() => b.addKeyArea({ id: 'x', rings: [rect(0, 0, 1, 1)], polygons: TWO_PARTS, category: 'school' })).toThrow(/both rings and polygons/);
    expect(() => b.addKeyArea({ id: 'y', polygons: [[rect(0, 0, 1, 1)], [[0, 0, 1, 1]]], category: 'school' })).toThrow(expect.objectContaining({ field: 'geometry polygon 1 ring 0' }));
  });

  it('round-trips through a city file as a MultiPolygon (two parts, one with a hole)', () => {
    const city = twoPartCity();
    const fc = cityToGeoJSON(city);
    const f = fc.features.find((x) => x.id === 'park')!;
    expect(f.geometry!.type).toBe('MultiPolygon');
    const coords = f.geometry!.coordinates as number[][][][];
    expect(coords.map((p) => p.length)).toEqual([2, 1]);
    const back = cityFromGeoJSON(JSON.parse(JSON.stringify(fc)));
    const a = city.keyAreas, z = back.keyAreas;
    expect(z.count).toBe(1);
    expect(Array.from(z.ringStart)).toEqual(Array.from(a.ringStart));
    expect(Array.from(z.vertexStart)).toEqual(Array.from(a.vertexStart));
    for (let k = 0; k < a.xyM.length; k++) expect(z.xyM[k]).toBeCloseTo(a.xyM[k], 6);
    // A one-part area stays a Polygon.
    const b = new CityBuilder(ORIGIN);
    b.addKeyArea({ id: 'one', rings: [rect(0, 0, 10, 10)], category: 'school' });
    expect(cityToGeoJSON(b.build()).features.find((x) => x.id === 'one')!.geometry!.type).toBe('Polygon');
  });
});

describe('indicators count a multi-part key area once, sampled over both parts', () => {
  it('video_hd_coverage: denominator 1; covered only when both parts are seen', () => {
    const city = twoPartCity();
    const prisms = PrismIndex.fromBuildings(city.buildings);
    const s = sampleKeyAreas(city, prisms, { gridM: 1 });
    expect(s.areas.length).toBe(1);
    expect(s.count).toBe(96 + 100); // part A minus its hole, part B
    let inB = 0;
    for (let k = 0; k < s.count; k++) if (s.xM[k] > 100) inB++;
    expect(inB).toBe(100);

    // A 4K camera at each part's west edge; each sees its own part only (53.6 m observation range).
    const onlyA = new CoverageSession(city, [cam({ id: 'a', xM: 9 })], { gridM: 1 });
    expect(onlyA.areaResults()).toHaveLength(1);
    expect(onlyA.areaResults()[0].sampleCount).toBe(196);
    expect(onlyA.areaResults()[0].coveredSamples).toBeGreaterThan(0);
    expect(onlyA.areaResults()[0].coveredSamples).toBeLessThanOrEqual(96); // part B is out of range
    expect(onlyA.indicators().video_hd_coverage).toMatchObject({ numerator: 0, denominator: 1, value: 0 });
    // The same two cameras over the parts as two separate areas: the one area sums their samples.
    const cams = [cam({ id: 'a', xM: 9 }), cam({ id: 'b', xM: 199 })];
    const sb = new CityBuilder(ORIGIN);
    sb.addKeyArea({ id: 'A', rings: TWO_PARTS[0], category: 'park_square' });
    sb.addKeyArea({ id: 'B', rings: TWO_PARTS[1], category: 'park_square' });
    const split = new CoverageSession(sb.build(), cams, { gridM: 1 });
    expect(split.indicators().video_hd_coverage.denominator).toBe(2);
    const [ra, rb] = split.areaResults();
    const both = new CoverageSession(city, cams, { gridM: 1 });
    const r = both.areaResults()[0];
    expect([r.sampleCount, r.coveredSamples]).toEqual([ra.sampleCount + rb.sampleCount, ra.coveredSamples + rb.coveredSamples]);
    expect(r.coveredSamples * 100).toBeGreaterThanOrEqual(80 * r.sampleCount);
    expect(both.indicators().video_hd_coverage).toMatchObject({ numerator: 1, denominator: 1, value: 100 });

    // Blind spots of the half-seen area lie in part B only, one feature for the area.
    const seen = new Uint8Array(s.count);
    for (let k = 0; k < s.count; k++) seen[k] = s.xM[k] < 100 ? 1 : 0;
    for (const clip of [false, true]) {
      const bs = blindSpots(city, s, seen, prisms, { clip });
      expect(bs.features).toHaveLength(1);
      expect(bs.features[0].properties.areaM2).toBeCloseTo(100, 6);
    }
  });

  it('nr5g_key_area_coverage: one area holding two parts has the samples of both and counts once', () => {
    const parts = [rect(160, 160, 300, 300), rect(560, 560, 690, 690)];
    const cells = testCells(3, 2).map((c) => ({ ...c, txPowerDbm: 46 }));
    const split: KeyAreaInput[] = [
      { id: 'p1', rings: [parts[0]], category: 'park_square' },
      { id: 'p2', rings: [parts[1]], category: 'park_square' },
    ];
    const joined: KeyAreaInput[] = [{ id: 'park', polygons: [[parts[0]], [parts[1]]], category: 'park_square' }];
    const a = testScene(7, split), b = testScene(7, joined);
    const ra = nr5gReport(a.city, a.index, { cells, gridM: 5 });
    const rb = nr5gReport(b.city, b.index, { cells, gridM: 5 });
    expect(ra.indicators.nr5g_key_area_coverage.denominator).toBe(2);
    expect(rb.indicators.nr5g_key_area_coverage.denominator).toBe(1);
    expect(rb.nr5g.areas.map((x) => x.id)).toEqual(['park']);
    const [one] = rb.nr5g.areas;
    expect(one.samples).toBe(ra.nr5g.areas[0].samples + ra.nr5g.areas[1].samples);
    expect(one.coveredSamples).toBe(ra.nr5g.areas[0].coveredSamples + ra.nr5g.areas[1].coveredSamples);
    expect(one.covered).toBe(one.coveredSamples * 100 >= 95 * one.samples);
    expect(rb.indicators.nr5g_key_area_coverage.numerator).toBe(one.covered ? 1 : 0);
  });

  it('in-area placement candidates come from a lattice in each part', () => {
    const city = twoPartCity();
    const prisms = PrismIndex.fromBuildings(city.buildings);
    const c = generateCandidates(city, prisms, { sources: ['area'], areaGridM: 5 }).filter((x) => x.source === 'area');
    expect(c.some((x) => x.xM < 100)).toBe(true);
    expect(c.some((x) => x.xM > 100)).toBe(true);
    expect(new Set(c.map((x) => x.id)).size).toBe(c.length);
    for (const x of c) expect(x.ref).toBe('park');
  });
});
