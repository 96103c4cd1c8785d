import { beforeAll, describe, expect, it } from 'vitest';
import { cityToGeoJSON } from '../../sim-core/cim/city-file.ts';
import { generateDefaultCity } from '../../sim-core/cim/demo/index.ts';
import type { City } from '../../sim-core/cim/types.ts';
import { inventoryFromCity } from '../../sim-core/session/devices.ts';
import { SimulationSession } from '../../sim-core/session/session.ts';
import type { DeviceFeature } from '../api/client.ts';
import { behindRow, locateItem } from './behind.ts';
import { BlindSpotEngine, blindSpotKindOf, expectedCount, squareMesh } from './blindspots-engine.ts';
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
