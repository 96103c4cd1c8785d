import { beforeAll, describe, expect, it } from 'vitest';
import { generateDefaultCity } from '../cim/demo/index.ts';
import type { City } from '../cim/types.ts';
import { camerasFromDevices, type CameraSpec } from '../coverage/camera.ts';
import { CoverageSession } from '../coverage/session.ts';
import { PrismIndex } from '../spatial/prism-index.ts';
import { createJobRunner, JOBS, nr5gRasterModel, type JobName, type TaskControl } from './jobs.ts';

let city: City;
let cameras: CameraSpec[];

beforeAll(() => {
  city = generateDefaultCity({ scale: 0.1 });
  cameras = camerasFromDevices(city.devices).filter((_, k) => k % 9 === 0);
});

const free: TaskControl = { cancelled: () => false };

/** Runs a job in-thread in `pieces` slices through the worker-side runner, then merges: what the pool does. */
function runSliced<K extends JobName>(job: K, params: Parameters<(typeof JOBS)[K]['total']>[1], pieces: number) {
  const def = JOBS[job] as unknown as { total(c: City, p: unknown): number; slice(p: unknown, a: number, b: number): unknown; merge(c: City, p: unknown, parts: unknown[]): unknown };
  const runner = createJobRunner();
  runner.loadCity('c', city);
  const total = def.total(city, params);
  const parts = [];
  for (let k = 0; k < pieces; k++) {
    const from = Math.floor((k * total) / pieces), to = Math.floor(((k + 1) * total) / pieces);
    const out = runner.runTask({ job, cityKey: 'c', slice: def.slice(params, from, to), from, to }, free);
    parts.push({ from, to, part: out.part });
  }
  return def.merge(city, params, parts);
}

describe('pool jobs, run in slices and merged', () => {
  it('camera-sight: each column is the sight list the coverage session finds for that camera', () => {
    const r = runSliced('camera-sight', { cameras }, 4) as ReturnType<typeof JOBS['camera-sight']['merge']>;
    const s = new CoverageSession(city, cameras);
    expect(r.areaSamples.siteCount).toBe(cameras.length);
    expect(r.areaSamples.demandCount).toBe(s.samples.count);
    expect(r.stopPoints.demandCount).toBe(s.stopLines.count);
    let nonEmpty = 0;
    cameras.forEach((c, j) => {
      expect(Array.from(r.areaSamples.demandOf(j))).toEqual(Array.from(s.areaSight(c.id)).sort((a, b) => a - b));
      expect(Array.from(r.stopPoints.demandOf(j))).toEqual(Array.from(s.stopSight(c.id)).sort((a, b) => a - b));
      if (r.areaSamples.degree(j) + r.stopPoints.degree(j) > 0) nonEmpty++;
    });
    expect(nonEmpty).toBeGreaterThan(cameras.length / 2);
  });

  it('nr5g-raster: slices give exactly the one-thread raster', () => {
    const params = { cellM: 25 };
    const r = runSliced('nr5g-raster', params, 3) as ReturnType<typeof JOBS['nr5g-raster']['merge']>;
    const { model, set, cellIds } = nr5gRasterModel(city, PrismIndex.fromBuildings(city.buildings), params);
    model.compute();
    expect(r.grid.nx * r.grid.ny).toBe(set.count);
    expect(r.cellIds).toEqual(cellIds);
    expect(Array.from(r.rsrpDbm)).toEqual(Array.from(set.rsrpDbm));
    expect(Array.from(r.bestCell)).toEqual(Array.from(set.bestCell));
    expect(Array.from(r.los)).toEqual(Array.from(set.los));
    expect(Array.from(r.active)).toEqual(Array.from(set.active));
    const served = r.rsrpDbm.filter((v) => !Number.isNaN(v)).length;
    expect(served).toBeGreaterThan(r.active.reduce((a, b) => a + b, 0) / 10); // not an empty raster
  });

  it('a task stops between steps once cancelled, as an AbortError', () => {
    const runner = createJobRunner();
    runner.loadCity('c', city);
    let checks = 0;
    const progress: number[] = [];
    const control: TaskControl = { cancelled: () => ++checks > 2, progress: (d) => progress.push(d) };
    expect(() => runner.runTask({ job: 'camera-sight', cityKey: 'c', slice: { cameras }, from: 0, to: cameras.length }, control)).toThrow(expect.objectContaining({ name: 'AbortError', message: 'camera-sight cancelled' }));
    expect(checks).toBe(3);
    expect(() => runner.runTask({ job: 'camera-sight', cityKey: 'nope', slice: { cameras }, from: 0, to: 1 }, free)).toThrow(/no city 'nope'/);
  });
});
