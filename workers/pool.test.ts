/**
 * The worker pool in Node worker_threads: pieces computed in workers and merged equal sim-core in this
 * thread; progress is throttled; a cancelled job stops its tasks between steps; a full pool answers
 * "busy"; a crashed worker is replaced and its job rejected.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDefaultCity } from '../sim-core/cim/demo/index.ts';
import type { City } from '../sim-core/cim/types.ts';
import { camerasFromDevices, type CameraSpec } from '../sim-core/coverage/camera.ts';
import { CoverageSession } from '../sim-core/coverage/session.ts';
import { nr5gRasterModel } from '../sim-core/session/jobs.ts';
import { PrismIndex } from '../sim-core/spatial/prism-index.ts';
import { createNodePool, type Progress, type WorkerPool } from './node.ts';
import { cameraCopies } from './test-support.ts';

let city: City;
let cameras: CameraSpec[];
/** Enough cameras for a job of a few seconds: the city's, copied around with seeded offsets. */
let many: CameraSpec[];
let pool: WorkerPool;
let key: string;

const COVERAGE = { gridM: 4 };

beforeAll(async () => {
  city = generateDefaultCity({ scale: 0.1 });
  cameras = camerasFromDevices(city.devices);
  many = cameraCopies(cameras, 20_000, 3);
  pool = createNodePool({ size: 2, maxActive: 1, maxQueued: 1, tasksPerWorker: 1, testHooks: true });
  key = await pool.loadCity(city);
});

afterAll(async () => {
  await pool?.terminate();
});

describe('WorkerPool in worker_threads', () => {
  it('camera-sight: the merged matrix equals the coverage session in this thread; progress is throttled and ends at total', async () => {
    const progress: (Progress & { t: number })[] = [];
    const r = await pool.run('camera-sight', key, { cameras, coverage: COVERAGE }, { onProgress: (p) => progress.push({ ...p, t: performance.now() }) });
    const s = new CoverageSession(city, cameras, COVERAGE);
    expect(r.areaSamples.siteCount).toBe(cameras.length);
    cameras.forEach((c, j) => {
      expect(Array.from(r.areaSamples.demandOf(j))).toEqual(Array.from(s.areaSight(c.id)).sort((a, b) => a - b));
      expect(Array.from(r.stopPoints.demandOf(j))).toEqual(Array.from(s.stopSight(c.id)).sort((a, b) => a - b));
    });
    expect(progress.length).toBeGreaterThan(0);
    expect(progress[progress.length - 1]).toMatchObject({ done: cameras.length, total: cameras.length, phase: 'camera-sight' });
    for (let k = 1; k < progress.length; k++) {
      expect(progress[k].done).toBeGreaterThanOrEqual(progress[k - 1].done);
      if (k < progress.length - 1) expect(progress[k].t - progress[k - 1].t).toBeGreaterThanOrEqual(99);
    }
  });

  it('nr5g-raster: the merged raster equals one thread exactly', async () => {
    const params = { cellM: 25 };
    const r = await pool.run('nr5g-raster', key, params);
    const { model, set } = nr5gRasterModel(city, PrismIndex.fromBuildings(city.buildings), params);
    model.compute();
    expect(Array.from(r.rsrpDbm)).toEqual(Array.from(set.rsrpDbm));
    expect(Array.from(r.bestCell)).toEqual(Array.from(set.bestCell));
    expect(Array.from(r.los)).toEqual(Array.from(set.los));
  });

  it('a cancelled job rejects at once and its running tasks stop between steps (shared flag)', async () => {
    const ctl = new AbortController();
    const before = { ...pool.counters };
    let firstProgress!: () => void;
    const started = new Promise<void>((resolve) => (firstProgress = resolve));
    const job = pool.run('camera-sight', key, { cameras: many, coverage: COVERAGE }, { signal: ctl.signal, onProgress: (p) => p.done > 0 && p.done < p.total && firstProgress() });
    await started;
    ctl.abort();
    await expect(job).rejects.toMatchObject({ name: 'AbortError', message: 'camera-sight cancelled' });
    // the pool is free again: the next job runs and is right
    const next = await pool.run('camera-sight', key, { cameras: cameras.slice(0, 10), coverage: COVERAGE });
    expect(next.areaSamples.siteCount).toBe(10);
    // both tasks of the cancelled job threw AbortError from inside the worker: none ran to its end
    await pool.idle();
    expect(pool.counters.tasksStopped - before.tasksStopped).toBe(2);
    expect(pool.counters.tasksFinished - before.tasksFinished).toBe(2); // the two of the next job
    expect(pool.replacements).toBe(0);
  });

  it('answers "busy" beyond maxActive + maxQueued instead of queueing without limit', async () => {
    const ctl = new AbortController();
    const a = pool.run('camera-sight', key, { cameras: many, coverage: COVERAGE }, { signal: ctl.signal });
    const b = pool.run('camera-sight', key, { cameras: many, coverage: COVERAGE }, { signal: ctl.signal });
    expect(pool.load).toEqual({ active: 1, queued: 1 });
    await expect(pool.run('camera-sight', key, { cameras, coverage: COVERAGE })).rejects.toMatchObject({ name: 'PoolBusyError', message: expect.stringMatching(/worker pool busy: 1 job\(s\) running and 1 waiting/) });
    ctl.abort();
    await expect(a).rejects.toMatchObject({ name: 'AbortError' });
    await expect(b).rejects.toMatchObject({ name: 'AbortError' });
    expect(pool.load).toEqual({ active: 0, queued: 0 });
    await pool.idle();
  });

  it('a worker that crashes during a task is replaced; the job rejects with a clear error and the next one works', async () => {
    await pool.crashWorkerOnNextCallForTest(0, 'exit');
    const job = pool.run('camera-sight', key, { cameras: many, coverage: COVERAGE });
    await expect(job).rejects.toMatchObject({ name: 'WorkerCrashedError', message: expect.stringMatching(/pool worker crashed \(exited with code 70\); job 'camera-sight' was rejected and the worker replaced/) });
    expect(pool.replacements).toBe(1);
    const r = await pool.run('camera-sight', key, { cameras: cameras.slice(0, 40), coverage: COVERAGE });
    const s = new CoverageSession(city, cameras.slice(0, 40), COVERAGE);
    cameras.slice(0, 40).forEach((c, j) => expect(Array.from(r.areaSamples.demandOf(j))).toEqual(Array.from(s.areaSight(c.id)).sort((x, y) => x - y)));
  });
});

describe('WorkerPool without shared memory (as in a page that is not cross-origin isolated)', () => {
  it('transfers a copy of the city to each worker, and cancels by replacing the workers of the job', async () => {
    const p = createNodePool({ size: 2, tasksPerWorker: 1, shared: false });
    try {
      const k = await p.loadCity(city);
      const r = await p.run('camera-sight', k, { cameras: cameras.slice(0, 30), coverage: COVERAGE });
      expect(r.areaSamples.siteCount).toBe(30);
      const ctl = new AbortController();
      let firstProgress!: () => void;
      const started = new Promise<void>((resolve) => (firstProgress = resolve));
      const job = p.run('camera-sight', k, { cameras: many, coverage: COVERAGE }, { signal: ctl.signal, onProgress: (q) => q.done > 0 && firstProgress() });
      await started;
      ctl.abort();
      await expect(job).rejects.toMatchObject({ name: 'AbortError' });
      expect(p.replacements).toBe(2);
      const again = await p.run('camera-sight', k, { cameras: cameras.slice(0, 30), coverage: COVERAGE });
      expect(Array.from(again.areaSamples.demandIndex)).toEqual(Array.from(r.areaSamples.demandIndex));
    } finally {
      await p.terminate();
    }
  });
});
