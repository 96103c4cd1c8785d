import { describe, expect, it } from 'vitest';
import { CityBuilder } from '../cim/builder.ts';
import type { City } from '../cim/types.ts';
import { valuesFromCoverage } from '../indicators/values.ts';
import { mulberry32 } from '../random.ts';
import { areaCountsAsCovered, sampleKeyAreas } from './areas.ts';
import { camerasFromDevices, type CameraSpec } from './camera.ts';
import { buildStopLines } from './epolice.ts';
import { CoverageSession } from './session.ts';
import { syntheticCity } from './session-synthetic-city.ts';
import { PrismIndex } from '../spatial/prism-index.ts';

const ORIGIN = { lonDeg: 119.16, latDeg: 36.71, heightM: 0 };

function cam(over: Partial<CameraSpec>): CameraSpec {
  return { id: 'c', kind: 'camera', xM: 0, yM: 0, heightM: 6, headingDeg: 90, tiltDeg: 20, hfovDeg: 90, widthPx: 1920, heightPx: 1080, ptz: false, panRangeDeg: 0, doriLevel: 'observation', healthy: true, networked: true, assumed: [], ...over };
}

/** A 10 × 10 m square at x 10–20 (100 samples at 1 m), optionally a wall at x 5–6 between it and a camera at x = 0. */
function squareCity(wall: boolean): City {
  const b = new CityBuilder(ORIGIN);
  b.addKeyArea({ id: 'sq', rings: [[10, -5, 20, -5, 20, 5, 10, 5]], category: 'park_square' });
  if (wall) b.addBuilding({ id: 'wall', rings: [[5, -30, 6, -30, 6, 30, 5, 30]], roofM: 12 });
  return b.build();
}

describe('area sampling', () => {
  it('samples open ground on the global grid, leaving out building footprints', () => {
    const b = new CityBuilder(ORIGIN);
    b.addKeyArea({ id: 'a', rings: [[0, 0, 10, 0, 10, 10, 0, 10]], category: 'school' });
    b.addKeyArea({ id: 'tiny', rings: [[30.1, 30.6, 30.4, 30.6, 30.4, 30.9]], category: 'library' }); // holds no cell centre
    b.addKeyArea({ id: 'not-video', rings: [[50, 0, 60, 0, 60, 10, 50, 10]], category: 'school', inVideoSet: false });
    b.addBuilding({ id: 'h', rings: [[0, 0, 4, 0, 4, 4, 0, 4]], roofM: 10 }); // takes 4 × 4 cells
    b.addBuilding({ id: 'arcade', rings: [[6, 6, 10, 6, 10, 10, 6, 10]], baseM: 4, roofM: 10 }); // raised: ground stays open
    const city = b.build();
    const s = sampleKeyAreas(city, PrismIndex.fromBuildings(city.buildings), { gridM: 1 });
    expect(Array.from(s.areas)).toEqual([0, 1]); // the non-video area is not sampled by default
    expect(s.areaStart[1] - s.areaStart[0]).toBe(100 - 16);
    expect(s.xM[0]).toBe(4.5);
    expect(s.yM[0]).toBe(0.5);
    expect(s.areaStart[2] - s.areaStart[1]).toBe(1); // one representative point for the tiny area
    expect(s.representative[1]).toBe(1);
    const all = sampleKeyAreas(city, PrismIndex.fromBuildings(city.buildings), { gridM: 1, areaSet: 'all' });
    expect(all.areas.length).toBe(3);
  });

  it('applies the covered rule by share of samples', () => {
    expect(areaCountsAsCovered(80, 100)).toBe(true);
    expect(areaCountsAsCovered(79, 100)).toBe(false);
    expect(areaCountsAsCovered(4, 5, { rulePercent: 80 })).toBe(true);
    expect(areaCountsAsCovered(0, 0)).toBe(false);
  });
});

describe('camera coverage of a key area', () => {
  // Camera at the origin, 6 m up, looking east, 90° lens, 1080p: observation range 960/62 = 15.5 m slant.
  it('covers the part of the square within range and sees nothing behind a wall', () => {
    const open = new CoverageSession(squareCity(false), [cam({})], { gridM: 1 });
    const r = open.areaResults()[0];
    expect(r.sampleCount).toBe(100);
    // slant ≤ 15.48 m at 6 m height ⇒ horizontal ≤ 14.27 m: columns x = 10.5 … 13.5 (those within the circle)
    expect(r.coveredSamples).toBeGreaterThan(20);
    expect(r.coveredSamples).toBeLessThan(45);
    for (let s = 0; s < open.samples.count; s++) {
      const d = Math.hypot(open.samples.xM[s], open.samples.yM[s], 6);
      expect(open.areaSeen[s] > 0).toBe(d <= 960 / 62);
    }
    const walled = new CoverageSession(squareCity(true), [cam({})], { gridM: 1 });
    expect(walled.areaResults()[0].coveredSamples).toBe(0);
    expect(walled.indicators().video_hd_coverage).toMatchObject({ value: 0, numerator: 0, denominator: 1 });
  });

  it('misses the square when the tilt puts it above the frustum', () => {
    // Tilted 80° down the view spans 50.6°–109.4° below the horizon (vfov 58.7°): the square, at most
    // atan(6/10) = 31° below the horizon, is outside.
    const s = new CoverageSession(squareCity(false), [cam({ tiltDeg: 80 })], { gridM: 1 });
    expect(s.areaResults()[0].coveredSamples).toBe(0);
  });

  it('counts an area as covered only above the rule, and only healthy HD cameras', () => {
    // A 4K camera with a 60° lens at the square's west edge: observation range 3840/(2 tan30°·62) = 53.6 m.
    const city = squareCity(false);
    const big = cam({ xM: 9, heightM: 5, tiltDeg: 25, hfovDeg: 120, widthPx: 3840, heightPx: 2160 });
    const s = new CoverageSession(city, [big], { gridM: 1 });
    expect(s.areaResults()[0].coveredPercent).toBeGreaterThanOrEqual(80);
    expect(s.areaResults()[0].covered).toBe(true);
    expect(s.indicators().video_hd_coverage.value).toBe(100);
    const ch = s.setCameraState('c', { healthy: false });
    expect(ch.changedAreas[0].covered).toBe(false);
    expect(ch.indicators.video_hd_coverage.value).toBe(0);
    const sd = new CoverageSession(city, [{ ...big, widthPx: 1280, heightPx: 720 }], { gridM: 1 });
    expect(sd.areaResults()[0].coveredSamples).toBe(0); // not HD
    const sdAny = new CoverageSession(city, [{ ...big, widthPx: 1280, heightPx: 720 }], { gridM: 1, requireHd: false });
    expect(sdAny.areaResults()[0].coveredSamples).toBeGreaterThan(0);
  });

  it('counts health and networking over cameras inside video-set areas', () => {
    const city = squareCity(false);
    const cams = [cam({ id: 'in1', xM: 12 }), cam({ id: 'in2', xM: 15, healthy: false }), cam({ id: 'in3', xM: 18, networked: false }), cam({ id: 'out', xM: 0 })];
    const s = new CoverageSession(city, cams, { gridM: 1 });
    const ind = s.indicators();
    expect(ind.video_camera_health).toMatchObject({ numerator: 2, denominator: 3 });
    expect(ind.video_networking).toMatchObject({ numerator: 2, denominator: 3 });
    // 'out' sees into the square: it counts when membership includes covering cameras
    const wide = new CoverageSession(city, cams, { gridM: 1, membership: 'inside-or-covering' });
    expect(wide.indicators().video_camera_health).toMatchObject({ numerator: 3, denominator: 4 });
    // the values module accepts what we emit
    expect(valuesFromCoverage({ indicators: ind }).map((e) => e.measure).sort()).toEqual(['video_camera_health', 'video_hd_coverage', 'video_networking']);
  });
});

/** A crossing of two arterials at the origin (4 approaches); at x = 200 the arterial ends on a 支路 (a 支路 intersection). */
function crossingCity(): City {
  const b = new CityBuilder(ORIGIN);
  for (const [id, x, y] of [['c', 0, 0], ['e', 200, 0], ['w', -200, 0], ['n', 0, 200], ['s', 0, -200], ['e2', 200, -150], ['t', 200, 150]] as const) b.addRoadNode({ id, xM: x, yM: y });
  const link = (id: string, a: string, z: string, xy: number[], cls: 'arterial' | 'branch', lanes: number) => b.addRoadLink({ id, fromId: a, toId: z, roadClass: cls, lanes, speedLimitMps: 14, xyM: xy });
  link('we', 'w', 'c', [-200, 0, 0, 0], 'arterial', 4);
  link('ce', 'c', 'e', [0, 0, 200, 0], 'arterial', 4);
  link('sn', 's', 'c', [0, -200, 0, 0], 'arterial', 4);
  link('cn', 'c', 'n', [0, 0, 0, 200], 'arterial', 4);
  link('be', 'e2', 'e', [200, -150, 200, 0], 'branch', 2);
  link('bt', 'e', 't', [200, 0, 200, 150], 'branch', 2);
  return b.build();
}

/** An e-police camera across the intersection from approach direction (ux, uy), facing it. */
function epoliceFacing(id: string, ux: number, uy: number, over: Partial<CameraSpec> = {}): CameraSpec {
  const heading = (((Math.atan2(ux, uy) * 180) / Math.PI) + 360) % 360;
  return cam({ id, kind: 'epolice', xM: -15 * ux + 3.5 * -uy, yM: -15 * uy + 3.5 * ux, heightM: 6, headingDeg: heading, tiltDeg: 12, hfovDeg: 30, widthPx: 2448, heightPx: 2048, doriLevel: 'recognition', ...over });
}

describe('e-police coverage', () => {
  it('excludes the 支路 intersection and places stop lines on the inbound lanes', () => {
    const city = crossingCity();
    const st = buildStopLines(city);
    expect(Array.from(st.nodes).map((n) => city.roadNodes.ids[n])).toEqual(['c']);
    expect(st.approachLink.length).toBe(4);
    // east approach: setback = 14/2 + 6 = 13 m; inbound (west-bound) lanes lie north of the centreline
    const east = Array.from(st.approachLink).indexOf(city.roadLinks.ids.indexOf('ce'));
    const pts = [];
    for (let s = st.sampleStart[east]; s < st.sampleStart[east + 1]; s++) pts.push([st.xM[s], st.yM[s]]);
    expect(pts).toEqual([[13, 1.75], [13, 5.25]]);
  });

  it('covers the intersection when every approach is seen at the recognition level', () => {
    const city = crossingCity();
    const dirs: [number, number][] = [[1, 0], [-1, 0], [0, 1], [0, -1]];
    const three = dirs.slice(0, 3).map(([x, y], k) => epoliceFacing(`ep${k}`, x, y));
    const s = new CoverageSession(city, three);
    expect(s.intersectionResults()[0]).toMatchObject({ approaches: 4, coveredApproaches: 3, covered: false });
    expect(s.indicators().epolice_coverage).toMatchObject({ value: 0, numerator: 0, denominator: 1 });
    const ch = s.addCamera(epoliceFacing('ep3', 0, -1));
    expect(ch.changedIntersections[0].covered).toBe(true);
    expect(ch.indicators.epolice_coverage.value).toBe(100);
    // a rule of 3 approaches accepts three cameras
    expect(new CoverageSession(city, three, { epoliceRule: { minApproaches: 3 } }).indicators().epolice_coverage.value).toBe(100);
    // a surveillance camera at the same spot does not count, nor does a broken e-police camera
    expect(new CoverageSession(city, [...three, { ...epoliceFacing('x', 0, -1), kind: 'camera' }]).indicators().epolice_coverage.value).toBe(0);
    expect(new CoverageSession(city, [...three, epoliceFacing('x', 0, -1, { healthy: false })]).indicators().epolice_coverage.value).toBe(0);
    // pulled back 20 m, the stop line is beyond the recognition range (2448/(2 tan15°·125) = 36.5 m)
    expect(new CoverageSession(city, [...three, epoliceFacing('x', 0, -1, { yM: 35 })]).indicators().epolice_coverage.value).toBe(0);
  });
});

function snapshot(s: CoverageSession) {
  return { area: Array.from(s.areaSeen), stop: Array.from(s.stopSeen), areas: s.areaResults(), ix: s.intersectionResults(), ind: s.indicators() };
}

describe('incremental updates', () => {
  it('equal a full recomputation after a seeded random sequence of edits', () => {
    const city = syntheticCity({ seed: 3, blocksX: 5, blocksY: 5, cameras: 50, keyAreaShare: 0.3 });
    const opts = { gridM: 3, ptzMode: 'potential' as const, membership: 'inside-or-covering' as const };
    const session = new CoverageSession(city, camerasFromDevices(city.devices), opts);
    expect(session.samples.count).toBeGreaterThan(1000);
    expect(session.stopLines.count).toBeGreaterThan(10);
    const rnd = mulberry32(11);
    let added = 0;
    for (let step = 0; step < 120; step++) {
      const ids = session.cameras().map((c) => c.id);
      const id = ids[Math.floor(rnd() * ids.length)];
      const c = session.camera(id)!;
      const op = rnd();
      if (op < 0.4) session.moveCamera(id, c.xM + (rnd() - 0.5) * 40, c.yM + (rnd() - 0.5) * 40, { headingDeg: rnd() * 360 });
      else if (op < 0.55) session.setCameraState(id, { healthy: !c.healthy, networked: rnd() < 0.5 });
      else if (op < 0.7) session.updateCamera(id, { tiltDeg: 5 + rnd() * 40, hfovDeg: 30 + rnd() * 80, widthPx: rnd() < 0.3 ? 1280 : 1920, heightPx: rnd() < 0.3 ? 720 : 1080 });
      else if (op < 0.85) session.removeCamera(id);
      else session.addCamera({ ...c, id: `new${added++}`, xM: c.xM + rnd() * 20, ptz: rnd() < 0.3, panRangeDeg: 180 });
    }
    const fresh = new CoverageSession(city, session.cameras(), opts);
    expect(snapshot(session)).toEqual(snapshot(fresh));
    // the edits mattered: some samples are seen, some are not
    const seen = snapshot(session).area.filter((v) => v > 0).length;
    expect(seen).toBeGreaterThan(0);
    expect(seen).toBeLessThan(session.samples.count);
  });

  it('reports only what a move changed and touches only the moved camera\'s samples', () => {
    const city = squareCity(false);
    const s = new CoverageSession(city, [cam({ id: 'a' }), cam({ id: 'far', xM: 200, yM: 200 })], { gridM: 1 });
    const before = s.areaResults()[0].coveredSamples;
    const far = s.moveCamera('far', 210, 200);
    expect(far.changedAreas).toEqual([]);
    expect(far.changedSamples).toBe(0);
    const near = s.moveCamera('a', 2, 0);
    expect(near.changedAreas).toHaveLength(1);
    expect(near.changedAreas[0].coveredSamples).toBeGreaterThan(before);
    expect(() => s.moveCamera('nope', 0, 0)).toThrow(/no camera with id 'nope'/);
    expect(() => s.addCamera(cam({ id: 'a' }))).toThrow(/duplicate camera id 'a'/);
    expect(() => s.updateCamera('a', { hfovDeg: 0 })).toThrow(/hfovDeg/);
  });
});
