import { beforeAll, describe, expect, it } from 'vitest';
import { cityToGeoJSON } from '../../sim-core/cim/city-file.ts';
import { generateDefaultCity } from '../../sim-core/cim/demo/index.ts';
import type { City } from '../../sim-core/cim/types.ts';
import { inventoryFromCity } from '../../sim-core/session/devices.ts';
import { SimulationSession } from '../../sim-core/session/session.ts';
import type { DeviceFeature } from '../api/client.ts';
import { behindRow, locateItem } from './behind.ts';
import { AGGREGATION_FACTORS, aggregateLevel, BlindSpotEngine, blindSpotKindOf, expectedCount, levelForScale, squareMesh } from './blindspots-engine.ts';
import { deviceListValues, planForCity } from './city-values.ts';

let city: City;
let features: DeviceFeature[];
let engine: BlindSpotEngine;

beforeAll(() => {
  city = generateDefaultCity({ scale: 0.1 });
  features = cityToGeoJSON(city).features.filter((f) => f.properties?.layer === 'device') as unknown as DeviceFeature[];
  engine = new BlindSpotEngine(city);
  engine.setDevices(features);
});

describe('blind spots', () => {
  it('counts exactly what the session results count, for every kind', () => {
    const snap = engine.snapshot();
    // The workbench's own session, built from the city's inventory the ordinary way.
    const s = new SimulationSession(city);
    const ref = s.setDevices(inventoryFromCity(city));
    expect(snap.video.areas).toEqual(ref.video.areas);
    const video = engine.points('video');
    expect(video.count).toBe(expectedCount('video', ref));
    expect(video.count).toBeGreaterThan(0);
    const nr = engine.points('nr5g');
    expect(nr.count).toBe(expectedCount('nr5g', ref));
    const ep = engine.points('epolice');
    expect(ep.approaches).toBe(expectedCount('epolice', ref));
    expect(ep.count).toBeGreaterThanOrEqual(ep.approaches!);
  });

  it('follows the device list: removing cameras adds blind spots, restoring them takes them away', () => {
    const before = engine.points('video').count;
    const cams = features.filter((f) => f.properties.deviceType === 'camera').slice(0, 40).map((f) => f.id);
    const fewer = features.filter((f) => !cams.includes(f.id));
    expect(engine.setDevices(fewer)).toBe(cams.length);
    const after = engine.points('video').count;
    expect(after).toBeGreaterThan(before);
    const s = new SimulationSession(city);
    const ref = s.setDevices(inventoryFromCity({ ...city, devices: city.devices }));
    engine.setDevices(features);
    expect(engine.points('video').count).toBe(before);
    expect(engine.points('video').count).toBe(expectedCount('video', ref));
  });

  it('moving one camera is one remove and one add', () => {
    const cam = features.find((f) => f.properties.deviceType === 'camera')!;
    const moved = features.map((f) => (f.id === cam.id ? { ...f, geometry: { type: 'Point' as const, coordinates: [cam.geometry.coordinates[0]! + 0.0005, cam.geometry.coordinates[1]!] } } : f));
    expect(engine.setDevices(moved)).toBe(2);
    expect(engine.setDevices(features)).toBe(2);
    expect(engine.setDevices(features)).toBe(0);
  });

  it('names a bad device', () => {
    const bad = [...features, { type: 'Feature' as const, id: 'bad-cam', geometry: { type: 'Point' as const, coordinates: [119.16, 36.71] }, properties: { deviceType: 'camera', heightM: 'high' } }];
    expect(() => engine.setDevices(bad)).toThrow(/bad-cam/);
  });

  it('maps indicator rows to kinds', () => {
    expect(blindSpotKindOf('video_completeness')).toBe('video');
    expect(blindSpotKindOf('epolice_coverage')).toBe('epolice');
    expect(blindSpotKindOf('nr5g_key_area_coverage')).toBe('nr5g');
    expect(blindSpotKindOf('ftth_coverage')).toBeNull();
  });
});

describe('square mesh', () => {
  it('puts one square of the grid size around each point, on the ground', () => {
    const p = { kind: 'video' as const, count: 2, xM: Float64Array.from([0, 100]), yM: Float64Array.from([0, -50]), cellM: 2 };
    const m = squareMesh(city, p, 0.8, 1);
    expect(m.squares).toBe(2);
    expect(m.indices.length).toBe(12);
    expect(Math.max(...m.indices)).toBe(7);
    const v = (i: number) => [m.positionsM[3 * i]!, m.positionsM[3 * i + 1]!, m.positionsM[3 * i + 2]!];
    const dist = (a: number[], b: number[]) => Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!, a[2]! - b[2]!);
    // sides 2 m, diagonal 2√2
    expect(dist(v(0), v(1))).toBeCloseTo(2, 3);
    expect(dist(v(1), v(2))).toBeCloseTo(2, 3);
    expect(dist(v(0), v(2))).toBeCloseTo(2 * Math.SQRT2, 3);
    // the second square is 100 m east and 50 m south of the first
    expect(dist(v(4), v(0))).toBeCloseTo(Math.hypot(100, 50), 1);
  });
});

describe('page-side values and what is behind a row', () => {
  it('computes weather spacing and signal timing from the device list', () => {
    const v = deviceListValues(city, features);
    expect(v.indicators.signal_realtime_timing).toBeDefined();
    const withoutSignals = deviceListValues(city, features.filter((f) => f.properties.deviceType !== 'signal'));
    expect(withoutSignals.indicators.signal_realtime_timing!.value).toBe(0);
    expect(withoutSignals.signalWithout.length).toBe(withoutSignals.indicators.signal_realtime_timing!.denominator);
    expect(planForCity(city.meta.name)?.id).toBe('weifang');
    expect(planForCity('Springfield')).toBeNull();
  });

  it('lists uncovered areas worst first and locates them inside the city', () => {
    const snap = engine.snapshot();
    const b = behindRow('video_completeness', snap, features)!;
    const uncovered = snap.video.areas.filter((a) => a.inVideoSet && !a.covered);
    expect(b.items.length).toBe(uncovered.length);
    expect(b.target.areaIds?.length).toBe(uncovered.length);
    for (let k = 1; k < b.items.length; k++) expect(b.items[k]!.coveredPercent!).toBeGreaterThanOrEqual(b.items[k - 1]!.coveredPercent!);
    if (b.items.length) {
      const at = locateItem(city, features, b.items[0]!)!;
      expect(Math.abs(at.lonDeg - city.origin.lonDeg)).toBeLessThan(0.1);
      expect(Math.abs(at.latDeg - city.origin.latDeg)).toBeLessThan(0.1);
    }
    const ep = behindRow('epolice_coverage', snap, features)!;
    expect(ep.target.intersectionIds?.length).toBe(snap.video.intersections.filter((x) => !x.covered).length);
    expect(behindRow('ftth_coverage', snap, features)).toBeNull();
  });
});

describe('aggregated blind spots', () => {
  it('every level holds every point once: the cell counts sum to the point count, the classes split the cells', () => {
    const p = engine.points('video');
    expect(p.count).toBeGreaterThan(0);
    for (const f of AGGREGATION_FACTORS) {
      const level = aggregateLevel(city, p, f * p.cellM);
      expect(level.total).toBe(p.count);
      expect(level.classCells.reduce((a, b) => a + b, 0)).toBe(level.cells);
      expect(level.classes.map((m) => m.squares)).toEqual(level.classCells);
      expect(level.cells).toBeLessThanOrEqual(p.count);
      expect(level.maxCount).toBeLessThanOrEqual(f * f);
    }
    // Coarser levels have fewer cells.
    const cells = AGGREGATION_FACTORS.map((f) => aggregateLevel(city, p, f * p.cellM).cells);
    for (let i = 1; i < cells.length; i++) expect(cells[i]!).toBeLessThanOrEqual(cells[i - 1]!);
  });

  it('counts by hand: points in two cells, classed by their share of the cell', () => {
    // 2 m samples, 16 m cells (64 samples each): 40 points in cell (0, 0) → 62.5 % (class 3), 2 in cell (−1, 0) → 3 % (class 0)
    const xM: number[] = [], yM: number[] = [];
    for (let k = 0; k < 40; k++) {
      xM.push(1 + 2 * (k % 8));
      yM.push(1 + 2 * Math.floor(k / 8));
    }
    xM.push(-1, -3);
    yM.push(1, 1);
    const level = aggregateLevel(city, { kind: 'video', count: 42, xM: Float64Array.from(xM), yM: Float64Array.from(yM), cellM: 2 }, 16);
    expect(level.cells).toBe(2);
    expect(level.total).toBe(42);
    expect(level.maxCount).toBe(40);
    expect(level.classCells).toEqual([1, 0, 0, 1]);
    // the class-3 square is centred on (8, 8) m: its 4 corners average to the centre's ECEF point
    const m = level.classes[3]!;
    const ref = squareMesh(city, { kind: 'video', count: 1, xM: Float64Array.of(8), yM: Float64Array.of(8), cellM: 16 }, 0.8, 0.9);
    for (let k = 0; k < 12; k++) expect(m.positionsM[k]!).toBeCloseTo(ref.positionsM[k]!, 6);
  });
});

describe('level for the scale of the view', () => {
  it('samples up close, then ever coarser cells, the coarsest beyond', () => {
    const cells = [16, 48, 128, 384];
    expect(levelForScale(0.5, 2, cells)).toBe(-1); // 1.6 m square = 3.2 px
    expect(levelForScale(0.8, 2, cells)).toBe(-1); // exactly 2 px
    expect(levelForScale(1, 2, cells)).toBe(0); // 1.6 px: 16 m cells are 14.4 px
    expect(levelForScale(4.8, 2, cells)).toBe(0); // 14.4 / 4.8 = 3 px
    expect(levelForScale(5, 2, cells)).toBe(1);
    expect(levelForScale(20, 2, cells)).toBe(2); // 115.2 / 20 = 5.8 px
    expect(levelForScale(500, 2, cells)).toBe(3);
    expect(levelForScale(Number.NaN, 2, cells)).toBe(-1);
  });
});
