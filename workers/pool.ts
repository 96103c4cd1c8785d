/**
 * WorkerPool: N workers (`os.availableParallelism()` in Node, `navigator.hardwareConcurrency` in the
 * browser, capped) that run the range-split jobs of sim-core/session/jobs.ts — full recomputations
 * (the 5G raster) and coverage matrices (camera sight lists).
 *
 * ```ts
 * const pool = createNodePool();                 // or createBrowserPool()
 * const key = await pool.loadCity(city);         // shared memory where possible, else one copy per worker
 * const ctl = new AbortController();
 * const raster = await pool.run('nr5g-raster', key, { cellM: 5 }, { signal: ctl.signal, onProgress: (p) => … });
 * ```
 *
 * - A job of `total` items is cut into contiguous tasks (about `tasksPerWorker` per worker); idle
 *   workers take the next task, so uneven tasks balance out. Pieces come back transferred (the worker
 *   returns `transfer(part, buffers)`), and are merged in order by the job's own `merge`.
 * - Progress: each task reports through a `proxy(onProgress)` callback at most every ~100 ms; the pool
 *   sums them and calls the caller's `onProgress({done, total, phase})` at most every ~100 ms, and once
 *   at the end.
 * - Cancellation (AbortSignal): the job rejects at once with an AbortError. Running tasks stop between
 *   steps through a shared flag (an Int32Array over a SharedArrayBuffer, in Node and in
 *   cross-origin-isolated pages); without shared memory, the workers running the job are terminated
 *   and replaced.
 * - Backpressure: at most `maxActive` jobs run and `maxQueued` wait; `run()` beyond that rejects at once
 *   with a {@link PoolBusyError} instead of queueing without limit.
 * - A worker that dies is replaced (and reloaded with the pool's cities); the job whose task it ran
 *   rejects with a {@link WorkerCrashedError}.
 */
import { proxy, transfer } from 'comlink';
import { packCity } from '../sim-core/cim/transfer.ts';
import type { City } from '../sim-core/cim/types.ts';
import { JOBS, type JobDefinition, type JobName, type JobParams, type JobResult, type TaskRequest } from '../sim-core/session/jobs.ts';
import { AbortError, ClosedError, PoolBusyError, WorkerCrashedError } from './errors.ts';
import { connect, releaseRemote, type Connection, type SpawnWorker } from './host.ts';
import type { PoolWorkerApi } from './pool-api.ts';
import type { CrashMode, TestHooks } from './test-hooks.ts';

export interface PoolOptions {
  /** Number of workers (default: the runtime's parallelism, capped at `maxSize`). */
  size?: number;
  /** Upper bound of the default size (default 8). */
  maxSize?: number;
  /** Jobs running at once (default 2). */
  maxActive?: number;
  /** Jobs waiting (default 8). */
  maxQueued?: number;
  /** Tasks per worker a job is cut into (default 4). */
  tasksPerWorker?: number;
  /** Shared memory available (SharedArrayBuffer usable across workers). */
  shared: boolean;
  /** Parallelism of the runtime. */
  parallelism: number;
}

export interface Progress {
  done: number;
  total: number;
  phase: string;
}

export interface RunOptions {
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
}

type WorkerApi = PoolWorkerApi & TestHooks;

interface Slot extends Connection<WorkerApi> {
  /** Resolves when every city of the pool is loaded in this worker. */
  ready: Promise<void>;
  task: Task | null;
}

interface Task {
  job: Job;
  from: number;
  to: number;
  done: number;
}

interface Job {
  name: JobName;
  def: JobDefinition<unknown, unknown>;
  cityKey: string;
  params: unknown;
  total: number;
  ranges: [number, number][];
  next: number;
  parts: { from: number; to: number; part: unknown }[];
  running: Set<Task>;
  doneItems: number;
  flag: Int32Array | null;
  options: RunOptions;
  lastProgress: number;
  settled: boolean;
  resolve(v: unknown): void;
  reject(e: Error): void;
  onAbort?: () => void;
}

/** See the module doc. */
export class WorkerPool {
  readonly size: number;
  readonly shared: boolean;
  readonly maxActive: number;
  readonly maxQueued: number;
  /** Workers replaced after a crash or a cancellation without shared memory. */
  replacements = 0;
  /** Tasks finished, and tasks stopped between steps by a cancellation (they threw an AbortError). */
  readonly counters = { jobs: 0, tasksFinished: 0, tasksStopped: 0 };
  private readonly spawn: SpawnWorker;
  private readonly tasksPerWorker: number;
  private readonly slots: Slot[] = [];
  private readonly cities = new Map<string, { city: City; packed: ArrayBuffer | SharedArrayBuffer }>();
  private active: Job[] = [];
  private waiting: Job[] = [];
  private closed = false;
  private nextCityKey = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(spawn: SpawnWorker, options: PoolOptions) {
    this.spawn = spawn;
    this.shared = options.shared;
    this.size = Math.max(1, Math.floor(options.size ?? Math.min(options.maxSize ?? 8, options.parallelism)));
    this.maxActive = Math.max(1, options.maxActive ?? 2);
    this.maxQueued = Math.max(0, options.maxQueued ?? 8);
    this.tasksPerWorker = Math.max(1, options.tasksPerWorker ?? 4);
    for (let k = 0; k < this.size; k++) this.slots.push(this.startSlot());
  }

  /** Loads a city into every worker (shared memory when available, else one transferred copy each); returns its key. */
  async loadCity(city: City): Promise<string> {
    if (this.closed) throw new ClosedError('worker pool');
    const key = `city-${++this.nextCityKey}`;
    const packed = packCity(city, { shared: this.shared });
    this.cities.set(key, { city, packed });
    await Promise.all(this.slots.map((s) => this.loadInto(s, key, packed)));
    return key;
  }

  /** Forgets a city (frees it in every worker). */
  async dropCity(key: string): Promise<void> {
    this.cities.delete(key);
    await Promise.all(this.slots.filter((s) => s.alive).map((s) => s.remote.dropCity(key).catch(() => {})));
  }

  /** Runs a job on a loaded city; see the module doc. */
  run<K extends JobName>(name: K, cityKey: string, params: JobParams<K>, options: RunOptions = {}): Promise<JobResult<K>> {
    if (this.closed) return Promise.reject(new ClosedError('worker pool'));
    const c = this.cities.get(cityKey);
    if (!c) return Promise.reject(new Error(`no city '${cityKey}' in this pool: call loadCity() first`));
    const def = JOBS[name] as unknown as JobDefinition<unknown, unknown>;
    if (!def) return Promise.reject(new Error(`unknown job '${name}' (known: ${Object.keys(JOBS).join(', ')})`));
    if (options.signal?.aborted) return Promise.reject(new AbortError(name));
    if (this.active.length >= this.maxActive && this.waiting.length >= this.maxQueued) return Promise.reject(new PoolBusyError(this.active.length, this.waiting.length));
    let total: number;
    try {
      total = def.total(c.city, params);
    } catch (e) {
      return Promise.reject(e);
    }
    return new Promise<JobResult<K>>((resolve, reject) => {
      const n = Math.max(1, Math.min(total, this.size * this.tasksPerWorker));
      const ranges: [number, number][] = [];
      for (let k = 0; k < n; k++) ranges.push([Math.floor((k * total) / n), Math.floor(((k + 1) * total) / n)]);
      const job: Job = {
        name,
        def,
        cityKey,
        params,
        total,
        ranges: ranges.filter(([a, b]) => b > a),
        next: 0,
        parts: [],
        running: new Set(),
        doneItems: 0,
        flag: this.shared ? new Int32Array(new SharedArrayBuffer(4)) : null,
        options,
        lastProgress: -Infinity,
        settled: false,
        resolve: resolve as (v: unknown) => void,
        reject,
      };
      if (options.signal) {
        job.onAbort = () => this.cancel(job);
        options.signal.addEventListener('abort', job.onAbort, { once: true });
      }
      this.counters.jobs++;
      if (this.active.length < this.maxActive) this.active.push(job);
      else this.waiting.push(job);
      if (job.ranges.length === 0) this.finish(job);
      this.dispatch();
    });
  }

  /** Jobs running and waiting. */
  get load(): { active: number; queued: number } {
    return { active: this.active.length, queued: this.waiting.length };
  }

  /** Resolves when no job is running or waiting and every worker is free (a cancelled task included). */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Test only: worker `k` crashes when its next call arrives (the pool must have been started with test hooks). */
  crashWorkerOnNextCallForTest(k: number, mode: CrashMode): Promise<void> {
    return Promise.race([this.slots[k].remote.crashOnNextCall(mode), this.slots[k].dead]);
  }

  /** Rejects every job, releases the proxies and stops the workers. */
  async terminate(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const err = new ClosedError('worker pool');
    for (const job of [...this.active, ...this.waiting]) this.settle(job, err);
    this.active = [];
    this.waiting = [];
    await Promise.all(
      this.slots.map((s) => {
        s.alive = false;
        s.kill(err);
        releaseRemote(s.remote);
        return s.worker.terminate();
      }),
    );
  }

  // ------------------------------------------------------------------------------------------

  private startSlot(): Slot {
    const slot = connect<WorkerApi>(this.spawn, (c, reason) => this.replace(c as Slot, reason)) as Slot;
    slot.ready = Promise.resolve();
    slot.task = null;
    // A replacement gets every city of the pool before it takes a task (loadInto chains onto `ready`).
    for (const [key, c] of this.cities) void this.loadInto(slot, key, c.packed).catch(() => {});
    return slot;
  }

  private loadInto(slot: Slot, key: string, packed: ArrayBuffer | SharedArrayBuffer): Promise<void> {
    let buf: ArrayBuffer | SharedArrayBuffer = packed;
    if (packed instanceof ArrayBuffer) {
      const copy = packed.slice(0);
      buf = transfer(copy, [copy]);
    }
    const p = Promise.race([slot.remote.loadCity(key, buf), slot.dead]);
    slot.ready = slot.ready.then(() => p);
    slot.ready.catch(() => {});
    return p;
  }

  /** Replaces a dead (or cancelled, without shared memory) worker; fails the job of its task. */
  private replace(slot: Slot, reason: string, error?: Error): void {
    if (!slot.alive || this.closed) return;
    slot.alive = false;
    slot.kill(new WorkerCrashedError('pool worker', reason, 'its job was rejected and the worker replaced'));
    releaseRemote(slot.remote);
    void slot.worker.terminate();
    this.replacements++;
    const task = slot.task;
    slot.task = null;
    const k = this.slots.indexOf(slot);
    if (k >= 0) this.slots[k] = this.startSlot();
    if (task) {
      task.job.running.delete(task);
      this.settle(task.job, error ?? new WorkerCrashedError('pool worker', reason, `job '${task.job.name}' was rejected and the worker replaced`));
    }
    this.dispatch();
  }

  private isIdle(): boolean {
    return this.active.length === 0 && this.waiting.length === 0 && this.slots.every((s) => !s.task);
  }

  private dispatch(): void {
    if (this.idleWaiters.length && this.isIdle()) {
      const w = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of w) resolve();
    }
    if (this.closed) return;
    for (const slot of this.slots) {
      if (!slot.alive || slot.task) continue;
      const job = this.active.find((j) => !j.settled && j.next < j.ranges.length);
      if (!job) return;
      const [from, to] = job.ranges[job.next++];
      const task: Task = { job, from, to, done: 0 };
      slot.task = task;
      job.running.add(task);
      void this.runTask(slot, task);
    }
  }

  private async runTask(slot: Slot, task: Task): Promise<void> {
    const job = task.job;
    const onProgress = proxy((done: number) => {
      task.done = done;
      this.progress(job, false);
    });
    const request: TaskRequest = { job: job.name, cityKey: job.cityKey, slice: job.def.slice(job.params, task.from, task.to), from: task.from, to: task.to };
    try {
      await Promise.race([slot.ready, slot.dead]);
      if (job.settled) return;
      const part = await Promise.race([slot.remote.runTask(request, job.flag, onProgress), slot.dead]);
      this.counters.tasksFinished++;
      if (job.settled) return;
      job.parts.push({ from: task.from, to: task.to, part });
      job.doneItems += task.to - task.from;
      job.running.delete(task);
      if (job.parts.length === job.ranges.length) this.finish(job);
      else this.progress(job, false);
    } catch (e) {
      job.running.delete(task);
      if ((e as Error).name === 'AbortError' && slot.alive) this.counters.tasksStopped++;
      // A crash is handled by replace(); a cancelled job is already settled.
      if (slot.alive && !job.settled) this.settle(job, e as Error);
    } finally {
      if (slot.task === task) slot.task = null;
      this.dispatch();
    }
  }

  private progress(job: Job, final: boolean): void {
    const cb = job.options.onProgress;
    if (!cb || job.settled) return;
    const t = performance.now();
    if (!final && t - job.lastProgress < 100) return;
    job.lastProgress = t;
    let done = job.doneItems;
    for (const task of job.running) done += task.done;
    try {
      cb({ done: Math.min(done, job.total), total: job.total, phase: job.name });
    } catch {
      // a throwing listener does not break the job
    }
  }

  private finish(job: Job): void {
    if (job.settled) return;
    let result: unknown;
    try {
      job.parts.sort((a, b) => a.from - b.from);
      result = job.def.merge(this.cities.get(job.cityKey)!.city, job.params, job.parts);
    } catch (e) {
      this.settle(job, e as Error);
      return;
    }
    this.progress(job, true);
    this.settle(job, null, result);
  }

  private cancel(job: Job): void {
    if (job.settled) return;
    this.settle(job, new AbortError(job.name));
  }

  /** Ends a job (error or result), stops its running tasks, and starts a waiting job. */
  private settle(job: Job, error: Error | null, result?: unknown): void {
    if (job.settled) return;
    job.settled = true;
    if (job.onAbort) job.options.signal?.removeEventListener('abort', job.onAbort);
    if (job.running.size) {
      if (job.flag) Atomics.store(job.flag, 0, 1);
      else {
        // No shared flag to stop them between steps: replace the workers running this job.
        for (const slot of this.slots) if (slot.task?.job === job) this.replace(slot, 'stopped', new AbortError(job.name));
      }
    }
    this.active = this.active.filter((j) => j !== job);
    this.waiting = this.waiting.filter((j) => j !== job);
    while (this.active.length < this.maxActive && this.waiting.length) this.active.push(this.waiting.shift()!);
    if (error) job.reject(error);
    else job.resolve(result);
    this.dispatch();
  }
}
