import { describe, expect, it } from 'vitest';
import { CityBuilder } from '../cim/builder.ts';
import { LocalFrame } from '../cim/frame.ts';
import type { City } from '../cim/types.ts';
import { camerasFromDevices } from '../coverage/camera.ts';
import { CoverageSession } from '../coverage/session.ts';
import { syntheticCity } from '../coverage/session-synthetic-city.ts';
import { PrismIndex } from '../spatial/prism-index.ts';
import { cellSpecsFromCity } from '../coverage/cellular/cells.ts';
import { Nr5gAreaSession } from '../coverage/cellular/key-areas.ts';
import { candidatesFromGeoJSON, generateCandidates } from './candidates.ts';
import { buildCameraProblem, buildCellProblem, buildEpoliceProblem, buildWeatherProblem } from './city.ts';
import { cameraSessionCheck, cellSessionCheck, placeInCity, placementToCsv, placementToGeoJSON, pointCoverage, weatherSpacingCheck } from './city-placement.ts';
import { highsSolver } from './highs.ts';
import { PlacementAbortError } from './solver.ts';
import { starTarget } from './target.ts';

/** A small city: a 2 × 2 block grid, two key areas (squares), a 城区 scope, a pole, a weather station, a camera, a 5G cell. */
function smallCity(): City {
  const b = new CityBuilder({ lonDeg: 119.16, latDeg: 36.71, heightM: 0 }, { name: 'placement-test', synthetic: true, sources: ['city.test.ts'], attribution: [] });
  b.addRoadNode({ id: 'n00', xM: 0, yM: 0 });
  b.addRoadNode({ id: 'n10', xM: 300, yM: 0 });
  b.addRoadNode({ id: 'n01', xM: 0, yM: 300 });
  b.addRoadNode({ id: 'n11', xM: 300, yM: 300 });
  b.addRoadLink({ id: 'south', fromId: 'n00', toId: 'n10', roadClass: 'arterial', lanes: 4, speedLimitMps: 14, xyM: [0, 0, 300, 0] });
  b.addRoadLink({ id: 'west', fromId: 'n00', toId: 'n01', roadClass: 'secondary', lanes: 2, speedLimitMps: 11, xyM: [0, 0, 0, 300] });
  b.addRoadLink({ id: 'north', fromId: 'n01', toId: 'n11', roadClass: 'branch', lanes: 2, speedLimitMps: 8, xyM: [0, 300, 300, 300] });
  b.addBuilding({ id: 'tower', rings: [[150, 150, 190, 150, 190, 190, 150, 190]], roofM: 45 });
  b.addBuilding({ id: 'low', rings: [[40, 150, 80, 150, 80, 200, 40, 200]], roofM: 9 });
  b.addKeyArea({ id: 'sq1', name: '一号广场', category: 'park_square', rings: [[20, 20, 80, 20, 80, 70, 20, 70]], inVideoSet: true, in5gSet: true });
  b.addKeyArea({ id: 'sq2', name: '二号广场', category: 'park_square', rings: [[200, 30, 260, 30, 260, 80, 200, 80]], inVideoSet: true, in5gSet: true });
  b.addKeyArea({ id: 'school', name: '学校', category: 'school', rings: [[100, 220, 170, 220, 170, 280, 100, 280]], inVideoSet: true, in5gSet: false });
  b.addScope({ id: 'urban', kind: '城区', polygons: [[[0, 0, 300, 0, 300, 300, 0, 300]]] });
  b.addDevice({ id: 'pole1', type: 'pole', xM: 50, yM: 10, heightM: 8 });
  b.addDevice({ id: 'wx1', type: 'weather', xM: 20, yM: 280, heightM: 10 });
  b.addDevice({ id: 'cam1', type: 'camera', xM: 22, yM: 22, heightM: 6, headingDeg: 45, tiltDeg: 15, attrs: { resolutionPx: '1080p', hfovDeg: 60 } });
  b.addDevice({ id: 'cell1', type: 'cell5g', xM: 280, yM: 290, heightM: 12, attrs: { txPowerDbm: 0 } });
  // A two-sector site whose sectors stand apart (one on the tower's roof, one on a pole by the second square).
  b.addDevice({ id: 'cell2a', type: 'cell5g', xM: 151, yM: 151, heightM: 47, headingDeg: 225, attrs: { siteId: 'roof-site', txPowerDbm: 20 } });
  b.addDevice({ id: 'cell2b', type: 'cell5g', xM: 230, yM: 110, heightM: 10, headingDeg: 180, tiltDeg: 10, attrs: { siteId: 'roof-site', txPowerDbm: 0 } });
  return b.build();
}

describe('candidates', () => {
  const city = smallCity();
  const prisms = PrismIndex.fromBuildings(city.buildings);
  const cands = generateCandidates(city, prisms);

  it('takes poles, road-side points off the carriageway, in-area points and tall rooftops', () => {
    const pole = cands.find((c) => c.source === 'pole')!;
    expect(pole).toMatchObject({ id: 'pole:pole1', openingCost: 0, mountHeightM: 8 });
    const south = cands.filter((c) => c.source === 'roadside' && c.ref === 'south');
    // 4 lanes × 3.5 m / 2 + 1 m kerb = 8 m off the centreline y = 0, on both sides; 50 m apart.
    expect(new Set(south.map((c) => Math.abs(c.yM)))).toEqual(new Set([8]));
    expect(south.filter((c) => c.yM > 0).map((c) => c.xM)).toEqual([25, 75, 125, 175, 225, 275].filter((x) => Math.hypot(x - 50, 8 - 10) >= 10));
    const roofs = cands.filter((c) => c.source === 'rooftop');
    expect(roofs.map((c) => c.ref)).toEqual(['tower']);
    expect(roofs[0]).toMatchObject({ xM: 170, yM: 170, mountHeightM: 48, hosts: ['cell5g'] });
    const inArea = cands.filter((c) => c.source === 'area' && c.ref === 'sq1');
    expect(inArea.length).toBeGreaterThan(4);
    for (const c of inArea) expect(c.xM > 20 && c.xM < 80 && c.yM > 20 && c.yM < 70).toBe(true);
    for (const c of cands) if (c.source !== 'rooftop') expect(prisms.buildingAt(c.xM, c.yM, 0)).toBe(-1);
  });

  it('reads user points and names the feature and field of a bad one', () => {
    const frame = new LocalFrame(city.origin);
    const ll = frame.toLngLat(100, 100);
    const ok = candidatesFromGeoJSON({ type: 'FeatureCollection', features: [{ type: 'Feature', id: 'u1', geometry: { type: 'Point', coordinates: [ll[0], ll[1]] }, properties: { hosts: 'camera', heightM: 6 } }] }, frame, 'pts.geojson');
    expect(ok[0].xM).toBeCloseTo(100, 6);
    expect(ok[0]).toMatchObject({ id: 'user:u1', hosts: ['camera'], mountHeightM: 6 });
    const bad = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { id: 'p7', hosts: ['drone'] }, geometry: { type: 'Point', coordinates: [ll[0], ll[1]] } }] };
    expect(() => candidatesFromGeoJSON(bad, frame, 'pts.geojson')).toThrow("pts.geojson, feature 0 (id 'p7'), field 'properties.hosts'");
  });
});

describe('camera problem', () => {
  it('matches the coverage session: every column is the session sight of that camera, and the locked state is the session tally', async () => {
    const city = syntheticCity({ seed: 3, blocksX: 4, blocksY: 4, keyAreaShare: 0.3, cameras: 30 });
    const prisms = PrismIndex.fromBuildings(city.buildings);
    const cands = generateCandidates(city, prisms, { sources: ['roadside', 'area'], areaGridM: 25 });
    const problem = await buildCameraProblem(city, cands, { prisms, aggregate: false, headingsDeg: [0, 120, 240] });
    const existing = camerasFromDevices(city.devices);
    const newSpecs = problem.columns.filter((c) => !c.existing).slice(0, 40).map((c) => c.camera!);
    const session = new CoverageSession(city, [...existing, ...newSpecs], {}, prisms);
    for (let j = 0; j < problem.columns.length; j++) {
      const c = problem.columns[j];
      if (!c.existing && !newSpecs.includes(c.camera!)) continue;
      expect(Array.from(problem.coverage.demandOf(j))).toEqual(Array.from(session.areaSight(c.camera!.id)).sort((a, b) => a - b));
    }
    // Columns of non-counting cameras are not there; counting ones are locked.
    expect(problem.lockedSites.length).toBe(problem.columns.filter((c) => c.existing).length);
    const baseline = new CoverageSession(city, existing, {}, prisms);
    const pl = await placeInCity(city, [problem], { goal: { count: 0 } });
    expect(pl.indicators[0].coveredBefore).toBe(baseline.tallies().coveredVideoAreas);
    expect(pl.indicators[0].denominator).toBe(baseline.tallies().videoAreas);
  });

  it('reaches ★4 with the fewest cameras found, and the coverage session agrees after adding them', async () => {
    const city = syntheticCity({ seed: 5, blocksX: 4, blocksY: 4, keyAreaShare: 0.25, cameras: 10 });
    const prisms = PrismIndex.fromBuildings(city.buildings);
    const cands = generateCandidates(city, prisms, { sources: ['area', 'roadside'] });
    const problem = await buildCameraProblem(city, cands, { prisms });
    const st = starTarget('video_hd_coverage', 4, problem.indicator.denominator);
    const pl = await placeInCity(city, [problem], { goal: { targetStar: 4 } });
    expect(pl.result.feasible).toBe(true);
    expect(pl.indicators[0].coveredAfter).toBeGreaterThanOrEqual(st.unitsNeeded);
    const check = cameraSessionCheck(city, pl, prisms);
    expect(check.videoHdCoverage).toBeCloseTo(pl.indicators[0].valueAfter, 6);
    // One heading per mount.
    const mounts = pl.proposed.map((d) => d.siteId);
    expect(new Set(mounts).size).toBe(mounts.length);
    // Explanations: indicator points add up to the change, advanced areas sum to the newly covered samples.
    const points = pl.proposed.reduce((s, d) => s + d.indicatorPointsAdded, 0);
    expect(points).toBeCloseTo(pl.indicators[0].valueAfter - pl.indicators[0].valueBefore, 4);
    for (const d of pl.proposed) expect(d.advancedUnits.reduce((s, u) => s + u.samples, 0)).toBe(d.newlyCoveredPoints);
    // Blind spots cover exactly the unseen samples' areas.
    const gj = placementToGeoJSON(city, pl, prisms);
    const seen = pointCoverage(pl, 0);
    const unseenAreas = new Set<string>();
    for (let i = 0; i < seen.length; i++) if (!seen[i]) unseenAreas.add(city.keyAreas.ids[problem.samples!.areas[problem.samples!.slot[i]]]);
    const blind = gj.features.filter((f) => (f.properties as { layer: string }).layer === 'blind-spot').map((f) => (f.properties as { areaId: string }).areaId);
    expect(new Set(blind)).toEqual(unseenAreas);
    expect(gj.features.filter((f) => (f.properties as { layer: string }).layer === 'new-site')).toHaveLength(pl.proposed.length);
    const csv = placementToCsv(pl).trim().split('\n');
    expect(csv).toHaveLength(pl.proposed.length + 1);
    expect(csv[0].split(',')).toContain('indicatorPointsAdded');
  });

  it('cancels between chunks and reports progress', async () => {
    const city = smallCity();
    const cands = generateCandidates(city, PrismIndex.fromBuildings(city.buildings));
    const signal = { aborted: false };
    const seen: number[] = [];
    await expect(
      buildCameraProblem(city, cands, {
        chunkSize: 4,
        signal,
        onProgress: (p) => {
          seen.push(p.done);
          signal.aborted = true;
        },
      }),
    ).rejects.toBeInstanceOf(PlacementAbortError);
    expect(seen).toEqual([4]);
  });
});

describe('e-police problem', () => {
  it('has the session sight of every existing e-police camera, and reaches ★4 as the session recounts it', async () => {
    const city = syntheticCity({ seed: 6, blocksX: 4, blocksY: 4, cameras: 5, epoliceShare: 0.5 });
    const prisms = PrismIndex.fromBuildings(city.buildings);
    const cands = generateCandidates(city, prisms, { sources: ['gantry'] });
    expect(cands.every((c) => c.hosts.includes('epolice') && c.headingDeg !== undefined)).toBe(true);
    const problem = await buildEpoliceProblem(city, cands, { prisms, aggregate: false });
    const session = new CoverageSession(city, camerasFromDevices(city.devices), {}, prisms);
    expect(problem.indicator.denominator).toBe(session.tallies().intersections);
    for (let j = 0; j < problem.columns.length; j++) {
      const c = problem.columns[j];
      if (c.existing) expect(Array.from(problem.coverage.demandOf(j))).toEqual(Array.from(session.stopSight(c.id)).sort((a, b) => a - b));
    }
    const pl = await placeInCity(city, [problem], { goal: { targetStar: 4 } });
    expect(pl.indicators[0].coveredBefore).toBe(session.tallies().coveredIntersections);
    const check = cameraSessionCheck(city, pl, prisms);
    expect(check.epoliceCoverage).toBeCloseTo(pl.indicators[0].valueAfter, 6);
    expect(pl.indicators[0].target!.reached).toBe(pl.result.feasible);
    expect(pl.proposed.every((d) => d.device === 'epolice' && d.source === 'gantry')).toBe(true);
    const done = pl.proposed.flatMap((d) => d.newlyCoveredUnits.map((u) => u.id));
    expect(done.length).toBe(pl.indicators[0].coveredAfter - pl.indicators[0].coveredBefore);
  });
});

describe('5G problem', () => {
  it('covers samples the 5G key-area session counts as covered, and its check agrees after placement', async () => {
    const city = smallCity();
    const prisms = PrismIndex.fromBuildings(city.buildings);
    const cands = generateCandidates(city, prisms, { sources: ['rooftop', 'pole'] });
    const problem = await buildCellProblem(city, cands, { prisms });
    expect(problem.columns.filter((c) => c.existing).map((c) => c.id)).toEqual(['cell1', 'roof-site']);
    // Sample by sample, the existing cells cover what the session says they cover.
    const base = await placeInCity(city, [problem], { goal: { count: 0 } });
    const session = new Nr5gAreaSession(city, prisms, { cells: cellSpecsFromCity(city) });
    const mine = pointCoverage(base, 0);
    let agree = 0;
    for (let i = 0; i < mine.length; i++) if ((mine[i] === 1) === session.sampleCovered(i)) agree++;
    expect(agree).toBe(mine.length);
    expect(mine.some((v) => v === 1)).toBe(true);
    for (const goal of [{ count: 1 }, { targetPercent: 100 }]) {
      const pl = await placeInCity(city, [problem], { goal, solver: highsSolver() });
      const check = cellSessionCheck(city, pl, prisms);
      expect(check.total).toBe(problem.indicator.denominator);
      expect(check.covered).toBe(pl.indicators[0].coveredAfter);
    }
  });
});

describe('weather problem', () => {
  it('covers the 城区 grid within the radius and measures the spacing before and after', async () => {
    const city = smallCity();
    const prisms = PrismIndex.fromBuildings(city.buildings);
    const cands = generateCandidates(city, prisms, { sources: ['roadside', 'pole'], sparseEvery: 1 });
    const problem = await buildWeatherProblem(city, cands, { prisms, radiusM: 130, cellM: 50 });
    expect(problem.points.count).toBe(36);
    const pl = await placeInCity(city, [problem], { goal: { targetPercent: 100 }, solver: highsSolver() });
    expect(pl.result.feasible).toBe(true);
    // Every grid cell centre within 130 m of a station (existing or new).
    const stations = [{ xM: 20, yM: 280 }, ...pl.proposed];
    for (let i = 0; i < problem.points.count; i++) {
      const d = Math.min(...stations.map((s) => Math.hypot(s.xM - problem.points.xM[i], s.yM - problem.points.yM[i])));
      expect(d).toBeLessThanOrEqual(130);
    }
    const w = weatherSpacingCheck(city, pl)!;
    // Road-side stations just outside the scope serve it but do not count in its density (√(A/N) over stations inside).
    const inside = pl.proposed.filter((d) => d.xM >= 0 && d.xM <= 300 && d.yM >= 0 && d.yM <= 300).length;
    expect(w.after.stationCount).toBe(1 + inside);
    expect(w.after.meanSpacingKm).toBeLessThan(w.before.meanSpacingKm);
    await expect(placeInCity(city, [problem], { goal: { targetStar: 4 } })).rejects.toThrow(/no star thresholds/);
  });
});

describe('several device types on shared poles', () => {
  it('pays a new pole once when it carries a camera and a 5G cell', async () => {
    const city = smallCity();
    const prisms = PrismIndex.fromBuildings(city.buildings);
    const cands = generateCandidates(city, prisms, { sources: ['area', 'pole'], areaGridM: 8, newSiteCost: 10 });
    const cam = await buildCameraProblem(city, cands, { prisms });
    const cell = await buildCellProblem(city, cands, { prisms });
    const pl = await placeInCity(city, [cam, cell], { goal: { targetPercent: 60 } });
    expect(pl.result.feasible).toBe(true);
    const opened = new Set(pl.proposed.filter((d) => d.source !== 'pole').map((d) => d.siteId));
    expect(pl.result.cost).toBe(pl.proposed.length + 10 * opened.size);
    expect(pl.indicators.map((i) => i.measure)).toEqual(['video_hd_coverage', 'nr5g_key_area_coverage']);
    for (const i of pl.indicators) expect(i.target!.reached).toBe(true);
  });
});

describe('star targets from the catalogue', () => {
  it('turns a star into a number of areas, and refuses ungraded cells', () => {
    expect(starTarget('video_hd_coverage', 4, 31).unitsNeeded).toBe(28);
    expect(starTarget('video_hd_coverage', 4, 31).alsoRequired.map((t) => t.measure)).toEqual(['video_camera_health']);
    expect(starTarget('nr5g_key_area_coverage', 3, 20).unitsNeeded).toBe(6);
    expect(starTarget('nr5g_key_area_coverage', 5, 7).unitsNeeded).toBe(6);
    expect(() => starTarget('video_hd_coverage', 2, 10)).toThrow(/★2 is not graded/);
    expect(() => starTarget('weather_station_spacing', 4, 10)).toThrow(/no star thresholds/);
  });
});
