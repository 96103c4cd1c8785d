/**
 * The placement coverage matrices (camera and 5G columns of sim-core/placement/city.ts) built by ranges
 * in the Node worker pool ("placement-columns" job): merged, exactly the problem the builder makes on
 * one thread; progress reaches the total; a cancelled build rejects with an AbortError, its tasks stop
 * between steps, and the pool stays usable.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDefaultCity } from '../sim-core/cim/demo/index.ts';
import type { City } from '../sim-core/cim/types.ts';
import { generateCandidates, type CandidateSite } from '../sim-core/placement/candidates.ts';
import { buildCameraProblem, buildCellProblem, type CityCoverageProblem, type ColumnsRunner } from '../sim-core/placement/city.ts';
import { placementColumnsParams } from '../sim-core/session/jobs.ts';
import { PrismIndex } from '../sim-core/spatial/prism-index.ts';
import { createNodePool, type Progress, type RunOptions, type WorkerPool } from './node.ts';

let city: City;
let prisms: PrismIndex;
let all: CandidateSite[];
/** Every 6th candidate: a problem of a second or so. */
let some: CandidateSite[];
let pool: WorkerPool;
let key: string;

const HEADINGS = [0, 90, 180, 270];
/** Coarser sample grids than the defaults (2 m video, 5 m 5G), for speed. */
const CAMERA = { headingsDeg: HEADINGS, coverage: { gridM: 5 } };
const CELL = { gridM: 12 };

beforeAll(async () => {
  city = generateDefaultCity({ scale: 0.05 });
  prisms = PrismIndex.fromBuildings(city.buildings);
  all = generateCandidates(city, prisms);
  some = all.filter((_, k) => k % 6 === 0);
  pool = createNodePool({ size: 2, maxActive: 1, tasksPerWorker: 3 });
  key = await pool.loadCity(city);
});

afterAll(async () => {
  await pool?.terminate();
});

function runner(options: RunOptions = {}): ColumnsRunner {
  return (columns, total) => pool.run('placement-columns', key, placementColumnsParams(columns, total), options);
}

/** Everything of two problems but the build time. */
function expectSameProblem(a: CityCoverageProblem, b: CityCoverageProblem): void {
  expect(b.coverage.siteCount).toBe(a.coverage.siteCount);
  expect(b.coverage.demandCount).toBe(a.coverage.demandCount);
  expect(new Uint8Array(b.coverage.data)).toEqual(new Uint8Array(a.coverage.data));
  expect(Array.from(b.weights)).toEqual(Array.from(a.weights));
  expect(Array.from(b.areaOfRow ?? [])).toEqual(Array.from(a.areaOfRow ?? []));
  expect(Array.from(b.rowMembers.members)).toEqual(Array.from(a.rowMembers.members));
  expect(b.columns.map((c) => `${c.id}@${c.headingDeg}`)).toEqual(a.columns.map((c) => `${c.id}@${c.headingDeg}`));
  expect(Array.from(b.exclusiveGroups)).toEqual(Array.from(a.exclusiveGroups));
  expect({ ...b.stats, buildMs: 0 }).toEqual({ ...a.stats, buildMs: 0 });
}

describe('placement-columns in the worker pool', () => {
  it('camera: the pooled matrix equals the one-thread matrix exactly (raw and aggregated); progress ends at the total', async () => {
    for (const aggregate of [false, true]) {
      const progress: Progress[] = [];
      const one = await buildCameraProblem(city, some, { prisms, ...CAMERA, aggregate });
      const pooled = await buildCameraProblem(city, some, { prisms, ...CAMERA, aggregate, columnsRunner: runner({ onProgress: (p) => progress.push(p) }) });
      expect(one.coverage.nonzeroCount).toBeGreaterThan(1000);
      expect(one.lockedSites.length).toBeGreaterThan(0); // existing cameras are columns too
      expectSameProblem(one, pooled);
      const total = one.stats.columns + one.stats.emptyColumnsDropped;
      expect(progress.at(-1)).toEqual({ done: total, total, phase: 'placement-columns' });
      for (let k = 1; k < progress.length; k++) expect(progress[k].done).toBeGreaterThanOrEqual(progress[k - 1].done);
    }
  });

  it('5G: the pooled matrix equals the one-thread matrix exactly; progress ends at the total', async () => {
    const progress: Progress[] = [];
    const one = await buildCellProblem(city, some, { prisms, ...CELL });
    const pooled = await buildCellProblem(city, some, { prisms, ...CELL, columnsRunner: runner({ onProgress: (p) => progress.push(p) }) });
    expect(one.coverage.nonzeroCount).toBeGreaterThan(1000);
    expect(one.columns.some((c) => c.template.includes('macro')) && one.columns.some((c) => c.template.includes('small cell'))).toBe(true);
    expectSameProblem(one, pooled);
    const total = one.stats.columns + one.stats.emptyColumnsDropped;
    expect(progress.at(-1)).toMatchObject({ done: total, total });
  });

  it('cancel: the build rejects with an AbortError, running tasks stop between steps, and the pool stays usable', async () => {
    const ctl = new AbortController();
    const stoppedBefore = pool.counters.tasksStopped;
    const build = buildCameraProblem(city, all, { prisms, columnsRunner: runner({ signal: ctl.signal, onProgress: () => ctl.abort() }) });
    await expect(build).rejects.toMatchObject({ name: 'AbortError' });
    await pool.idle();
    expect(pool.counters.tasksStopped).toBeGreaterThan(stoppedBefore);
    expect(pool.replacements).toBe(0); // shared flag: stopped, not killed
    const one = await buildCellProblem(city, some, { prisms, ...CELL });
    const again = await buildCellProblem(city, some, { prisms, ...CELL, columnsRunner: runner() });
    expectSameProblem(one, again);
  });

  it('a runner whose matrix does not fit the columns is refused', async () => {
    // One 5G candidate fewer in the worker than on the calling thread.
    const wrong: ColumnsRunner = (columns, total) => {
      const drop = columns.candidates.findIndex((c) => c.hosts.includes('cell5g'));
      return pool.run('placement-columns', key, placementColumnsParams({ ...columns, candidates: columns.candidates.filter((_, k) => k !== drop) }, total));
    };
    await expect(buildCellProblem(city, some, { prisms, ...CELL, columnsRunner: wrong })).rejects.toThrow(/prepared \d+ columns, the caller \d+/);
  });
});
