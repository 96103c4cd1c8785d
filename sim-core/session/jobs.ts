/**
 * Jobs a worker pool splits into ranges: each job is a range [0, total) of independent items (cameras,
 * raster samples); a task computes one sub-range in a worker with sim-core's own functions, and the
 * pieces are merged in order on the calling thread. Pure: the pool (workers/pool.ts) only moves
 * messages; everything computed lives here and in the models it calls.
 *
 * - `camera-sight` — the coverage matrix of a list of cameras (candidate columns of a placement, or the
 *   inventory): for each camera the key-area ground samples and the e-police stop-line points it sees,
 *   found by the same {@link CoverageSession} code that scores the city (a camera is added to an empty
 *   session of the worker, its sight lists read, and it is removed again). Two {@link CoverageMatrix}es.
 * - `nr5g-raster` — the SS-RSRP raster of a set of 5G cells over a scope (default 城区) on a square grid:
 *   `NrCoverageModel.compute(set, from, to)` over the task's samples. Best-server RSRP, best cell and
 *   line-of-sight flag per sample, exactly as one thread computes them (tested).
 * - `placement-columns` — columns [from, to) of a placement problem's coverage matrix (camera or 5G,
 *   sim-core/placement/city.ts `buildCityColumns`); merged in order, exactly the matrix the problem
 *   builder makes on one thread (tested).
 *
 * A task checks `control.cancelled()` between steps and throws a {@link JobCancelledError}; it reports
 * the items done through `control.progress(done)` at most every ~100 ms.
 */
import { cityBBoxM } from '../cim/summary.ts';
import type { BBoxM, City } from '../cim/types.ts';
import type { CameraSpec } from '../coverage/camera.ts';
import { cellSpecsFromCity, type CellSpec } from '../coverage/cellular/cells.ts';
import { gridOverBBox, rasterizePolygons, type GridSpec } from '../coverage/cellular/grid.ts';
import { DEFAULT_MAX_RADIUS_M, NrCoverageModel, NrSampleSet } from '../coverage/cellular/model.ts';
import { CoverageSession, type CoverageOptions } from '../coverage/session.ts';
import { buildCityColumns, type CityColumnsParams } from '../placement/city.ts';
import { CoverageMatrix, CoverageMatrixBuilder } from '../placement/coverage-matrix.ts';
import { PrismIndex } from '../spatial/prism-index.ts';

/** How a task is told to stop and how it reports progress. */
export interface TaskControl {
  /** True once the job was cancelled; checked between steps. */
  cancelled(): boolean;
  /** Items of this task done so far (throttled by the caller of this function to ~100 ms). */
  progress?(done: number): void;
}

/** Thrown by a task (and by a pool job) that was cancelled. */
export class JobCancelledError extends Error {
  constructor(what = 'job') {
    super(`${what} cancelled`);
    this.name = 'AbortError';
  }
}

/** What a task hands back: its piece and the buffers to transfer (never clone). */
export interface TaskOutput<Part = unknown> {
  part: Part;
  transfer: ArrayBuffer[];
}

/** The city of a worker and what its jobs prepared on it (reused between tasks). */
export class WorkerCity {
  readonly city: City;
  private prismIndex: PrismIndex | null = null;
  private readonly prepared = new Map<string, unknown>();
  constructor(city: City) {
    this.city = city;
  }
  get prisms(): PrismIndex {
    return (this.prismIndex ??= PrismIndex.fromBuildings(this.city.buildings));
  }
  /** The object `make()` builds for `key`, built once (one per job kind is kept). */
  prepare<T>(kind: string, key: string, make: () => T): T {
    const full = `${kind}\u0000${key}`;
    if (!this.prepared.has(full)) {
      for (const k of [...this.prepared.keys()]) if (k.startsWith(`${kind}\u0000`)) this.prepared.delete(k);
      this.prepared.set(full, make());
    }
    return this.prepared.get(full) as T;
  }
}

/** One job kind: how to size and slice it (calling thread), run a slice (worker) and merge (calling thread). */
export interface JobDefinition<Params, Result, Slice = unknown, Part = unknown> {
  /** Number of independent items. */
  total(city: City, params: Params): number;
  /** What a task for items [from, to) needs to receive. */
  slice(params: Params, from: number, to: number): Slice;
  /** Computes items [from, to) of the job in a worker. */
  run(ctx: WorkerCity, slice: Slice, from: number, to: number, control: TaskControl): TaskOutput<Part>;
  /** Merges the pieces, in item order. */
  merge(city: City, params: Params, parts: { from: number; to: number; part: Part }[]): Result;
}

/** Runs `step(from, to)` over [from, to) in steps of `size`, with cancellation and throttled progress. */
export function runInSteps(from: number, to: number, size: number, control: TaskControl, what: string, step: (a: number, b: number) => void): void {
  let last = performance.now();
  for (let a = from; a < to; a += size) {
    if (control.cancelled()) throw new JobCancelledError(what);
    const b = Math.min(to, a + size);
    step(a, b);
    const t = performance.now();
    if (control.progress && (b === to || t - last >= 100)) {
      last = t;
      control.progress(b - from);
    }
  }
  if (control.cancelled()) throw new JobCancelledError(what);
}

// ---------------------------------------------------------------------------------------- camera-sight

export interface CameraSightParams {
  cameras: CameraSpec[];
  /** Coverage options (grid, levels, PTZ …), as for the session; default its defaults. */
  coverage?: CoverageOptions;
}

export interface CameraSightResult {
  /** Camera j × key-area sample i (the samples of `CoverageSession.samples` for these options). */
  areaSamples: CoverageMatrix;
  /** Camera j × stop-line lane point i (`CoverageSession.stopLines`). */
  stopPoints: CoverageMatrix;
}

interface CameraSightPart {
  areaCount: number;
  stopCount: number;
  areaStart: Uint32Array;
  areaIndex: Uint32Array;
  stopStart: Uint32Array;
  stopIndex: Uint32Array;
}

/** Concatenates sorted lists into CSR arrays. */
function toCsr(lists: Uint32Array[]): { start: Uint32Array; index: Uint32Array } {
  const start = new Uint32Array(lists.length + 1);
  lists.forEach((l, k) => (start[k + 1] = start[k] + l.length));
  const index = new Uint32Array(start[lists.length]);
  lists.forEach((l, k) => index.set(l, start[k]));
  return { start, index };
}

export const cameraSightJob: JobDefinition<CameraSightParams, CameraSightResult, CameraSightParams, CameraSightPart> = {
  total: (_city, p) => p.cameras.length,
  slice: (p, from, to) => ({ cameras: p.cameras.slice(from, to), coverage: p.coverage }),
  run(ctx, slice, from, to, control) {
    const session = ctx.prepare('camera-sight', JSON.stringify(slice.coverage ?? {}), () => new CoverageSession(ctx.city, [], slice.coverage ?? {}, ctx.prisms));
    const area: Uint32Array[] = [];
    const stop: Uint32Array[] = [];
    runInSteps(0, to - from, 16, control, 'camera-sight', (a, b) => {
      for (let k = a; k < b; k++) {
        const c = slice.cameras[k];
        session.addCamera(c);
        area.push(session.areaSight(c.id).slice().sort());
        stop.push(session.stopSight(c.id).slice().sort());
        session.removeCamera(c.id);
      }
    });
    const ac = toCsr(area), sc = toCsr(stop);
    const part = { areaCount: session.samples.count, stopCount: session.stopLines.count, areaStart: ac.start, areaIndex: ac.index, stopStart: sc.start, stopIndex: sc.index };
    return { part, transfer: [ac.start.buffer, ac.index.buffer, sc.start.buffer, sc.index.buffer] as ArrayBuffer[] };
  },
  merge(_city, p, parts) {
    const first = parts[0]?.part;
    const areaCount = first?.areaCount ?? 0, stopCount = first?.stopCount ?? 0;
    const area = new CoverageMatrixBuilder(areaCount, parts.reduce((n, x) => n + x.part.areaIndex.length, 0));
    const stop = new CoverageMatrixBuilder(stopCount, parts.reduce((n, x) => n + x.part.stopIndex.length, 0));
    for (const { part } of parts) {
      if (part.areaCount !== areaCount || part.stopCount !== stopCount) throw new Error('camera-sight: workers disagree on the sample counts (different city or options)');
      for (let j = 0; j + 1 < part.areaStart.length; j++) area.addSiteRange(part.areaIndex, part.areaStart[j], part.areaStart[j + 1], true);
      for (let j = 0; j + 1 < part.stopStart.length; j++) stop.addSiteRange(part.stopIndex, part.stopStart[j], part.stopStart[j + 1], true);
    }
    if (area.siteCount !== p.cameras.length) throw new Error(`camera-sight: merged ${area.siteCount} columns for ${p.cameras.length} cameras`);
    return { areaSamples: area.finish(), stopPoints: stop.finish() };
  },
};

// ---------------------------------------------------------------------------------------- nr5g-raster

export interface Nr5gRasterParams {
  /** Grid cell, metres. */
  cellM: number;
  /** Scope whose polygons bound and mask the raster: an id, or null for the first 城区 scope (the city's extent when it has none). */
  scopeId?: string | null;
  /** Cells; default the city's healthy `cell5g` devices. */
  cells?: CellSpec[];
  /** Cell reach, m (default 1,500). */
  maxRadiusM?: number;
  /** UE height, m (default 1.5). */
  hUtM?: number;
}

export interface Nr5gRaster {
  grid: GridSpec;
  /** Id of the scope that bounds the raster, or null (city extent). */
  scopeId: string | null;
  /** 1 where the sample was evaluated (outdoors, inside the scope). */
  active: Uint8Array;
  /** Best-server SS-RSRP, dBm; NaN without service. Sample index = row · nx + col, row 0 south. */
  rsrpDbm: Float64Array;
  /** Best server: index into `cellIds`, −1 without service. */
  bestCell: Int32Array;
  /** 1 when the best server's link is line of sight. */
  los: Uint8Array;
  cellIds: string[];
}

interface Nr5gRasterSlice {
  params: Nr5gRasterParams;
}

interface Nr5gRasterPart {
  active: Uint8Array;
  rsrpDbm: Float64Array;
  bestCell: Int32Array;
  los: Uint8Array;
  cellIds: string[];
}

/** The raster's grid, scope and mask (the same on every thread). */
export function nr5gRasterGrid(city: City, p: Nr5gRasterParams): { grid: GridSpec; scopeId: string | null; extent: BBoxM; mask: Uint8Array | undefined } {
  const scope = p.scopeId ? city.scopes.find((s) => s.id === p.scopeId) : city.scopes.find((s) => s.kind === '城区');
  if (p.scopeId && !scope) throw new RangeError(`no scope '${p.scopeId}' in the city (have ${city.scopes.map((s) => s.id).join(', ') || 'none'})`);
  let b: BBoxM;
  if (scope) {
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (const poly of scope.polygons) {
      const ring = poly[0];
      for (let i = 0; i < ring.length; i += 2) {
        minX = Math.min(minX, ring[i]);
        maxX = Math.max(maxX, ring[i]);
        minY = Math.min(minY, ring[i + 1]);
        maxY = Math.max(maxY, ring[i + 1]);
      }
    }
    b = { minX, minY, maxX, maxY };
  } else b = cityBBoxM(city);
  const grid = gridOverBBox(b, p.cellM);
  const extent = { minX: grid.originXM, minY: grid.originYM, maxX: grid.originXM + grid.nx * grid.cellM, maxY: grid.originYM + grid.ny * grid.cellM };
  return { grid, scopeId: scope?.id ?? null, extent, mask: scope ? rasterizePolygons(grid, scope.polygons) : undefined };
}

/** The model and sample set of a raster (what each worker prepares once). */
export function nr5gRasterModel(city: City, prisms: PrismIndex, p: Nr5gRasterParams): { model: NrCoverageModel; set: NrSampleSet; cellIds: string[] } {
  const { grid, extent, mask } = nr5gRasterGrid(city, p);
  const model = new NrCoverageModel(prisms, { extent, maxRadiusM: p.maxRadiusM ?? DEFAULT_MAX_RADIUS_M, hUtM: p.hUtM ?? 1.5 });
  const specs = p.cells ?? cellSpecsFromCity(city);
  model.setCells(specs);
  const set = model.addSampleSet(NrSampleSet.fromGrid(grid, prisms, mask));
  // Cells are placed in order into slots 0, 1, …: slot k is specs[k] on every thread.
  return { model, set, cellIds: specs.map((_, k) => model.cellId(k) ?? '') };
}

export const nr5gRasterJob: JobDefinition<Nr5gRasterParams, Nr5gRaster, Nr5gRasterSlice, Nr5gRasterPart> = {
  total(city, p) {
    const { grid } = nr5gRasterGrid(city, p);
    return grid.nx * grid.ny;
  },
  slice: (params) => ({ params }),
  run(ctx, slice, from, to, control) {
    const { model, set, cellIds } = ctx.prepare('nr5g-raster', JSON.stringify(slice.params), () => nr5gRasterModel(ctx.city, ctx.prisms, slice.params));
    runInSteps(from, to, 1024, control, 'nr5g-raster', (a, b) => model.compute(set, a, b));
    const part = { active: set.active.slice(from, to), rsrpDbm: set.rsrpDbm.slice(from, to), bestCell: set.bestCell.slice(from, to), los: set.los.slice(from, to), cellIds };
    return { part, transfer: [part.active.buffer, part.rsrpDbm.buffer, part.bestCell.buffer, part.los.buffer] as ArrayBuffer[] };
  },
  merge(city, p, parts) {
    const { grid, scopeId } = nr5gRasterGrid(city, p);
    const n = grid.nx * grid.ny;
    const out: Nr5gRaster = { grid, scopeId, active: new Uint8Array(n), rsrpDbm: new Float64Array(n).fill(NaN), bestCell: new Int32Array(n).fill(-1), los: new Uint8Array(n), cellIds: parts[0]?.part.cellIds ?? [] };
    for (const { from, part } of parts) {
      out.active.set(part.active, from);
      out.rsrpDbm.set(part.rsrpDbm, from);
      out.bestCell.set(part.bestCell, from);
      out.los.set(part.los, from);
    }
    return out;
  },
};

// ---------------------------------------------------------------------------------- placement-columns

export interface PlacementColumnsParams {
  /**
   * The {@link CityColumnsParams} as JSON ({@link placementColumnsParams}): every task carries them, and
   * one string is copied to a worker at memory speed and is its own cache key, where a structured clone
   * of tens of thousands of candidate objects per task cost more than a share of the columns.
   */
  columnsJson: string;
  /** Number of columns (known to the caller, which prepared the same columns). */
  total: number;
}

/** The parameters of a `placement-columns` job. */
export function placementColumnsParams(columns: CityColumnsParams, total: number): PlacementColumnsParams {
  return { columnsJson: JSON.stringify(columns), total };
}

export const placementColumnsJob: JobDefinition<PlacementColumnsParams, CoverageMatrix, PlacementColumnsParams, ArrayBuffer> = {
  total: (_city, p) => p.total,
  slice: (p) => p,
  run(ctx, p, from, to, control) {
    const cols = ctx.prepare('placement-columns', p.columnsJson, () => buildCityColumns(ctx.city, ctx.prisms, JSON.parse(p.columnsJson) as CityColumnsParams));
    if (cols.total !== p.total) throw new Error(`placement-columns: the worker prepared ${cols.total} columns, the caller ${p.total} (different city or options)`);
    const builder = new CoverageMatrixBuilder(cols.demandCount, (to - from) * 64);
    runInSteps(from, to, cols.chunkSize, control, 'placement-columns', (a, b) => cols.build(a, b, builder));
    const data = builder.finish().data;
    return { part: data, transfer: [data] };
  },
  merge(_city, p, parts) {
    const pieces = parts.map((x) => CoverageMatrix.from(x.part));
    const demandCount = pieces[0]?.demandCount ?? 0;
    const out = new CoverageMatrixBuilder(demandCount, pieces.reduce((n, m) => n + m.nonzeroCount, 0));
    for (const m of pieces) {
      if (m.demandCount !== demandCount) throw new Error('placement-columns: workers disagree on the demand count (different city or options)');
      for (let j = 0; j < m.siteCount; j++) out.addSiteRange(m.demandIndex, m.siteStart[j], m.siteStart[j + 1], true);
    }
    if (out.siteCount !== p.total) throw new Error(`placement-columns: merged ${out.siteCount} columns for ${p.total}`);
    return out.finish();
  },
};

/** Parameters and result of each job. */
export interface JobTypes {
  'camera-sight': { params: CameraSightParams; result: CameraSightResult };
  'nr5g-raster': { params: Nr5gRasterParams; result: Nr5gRaster };
  'placement-columns': { params: PlacementColumnsParams; result: CoverageMatrix };
}

export type JobName = keyof JobTypes;
export type JobParams<K extends JobName> = JobTypes[K]['params'];
export type JobResult<K extends JobName> = JobTypes[K]['result'];

/** The jobs a pool runs, by name. */
export const JOBS: { readonly [K in JobName]: JobDefinition<JobParams<K>, JobResult<K>, unknown, unknown> } = {
  'camera-sight': cameraSightJob,
  'nr5g-raster': nr5gRasterJob,
  'placement-columns': placementColumnsJob,
};

/** A task as it travels to a worker. */
export interface TaskRequest {
  job: JobName;
  cityKey: string;
  slice: unknown;
  from: number;
  to: number;
}

/** The worker side of a pool: cities by key and the task runner. */
export interface JobWorkerApi {
  loadCity(key: string, city: City): void;
  dropCity(key: string): void;
  runTask(task: TaskRequest, control: TaskControl): TaskOutput;
}

/** A fresh worker-side job runner (one per worker). */
export function createJobRunner(): JobWorkerApi {
  const cities = new Map<string, WorkerCity>();
  return {
    loadCity(key, city) {
      cities.set(key, new WorkerCity(city));
    },
    dropCity(key) {
      cities.delete(key);
    },
    runTask(task, control) {
      const ctx = cities.get(task.cityKey);
      if (!ctx) throw new Error(`no city '${task.cityKey}' loaded in this worker`);
      const def = JOBS[task.job] as JobDefinition<unknown, unknown>;
      if (!def) throw new Error(`unknown job '${task.job}' (known: ${Object.keys(JOBS).join(', ')})`);
      return def.run(ctx, task.slice, task.from, task.to, control);
    },
  };
}
