/**
 * Runs jobs in worker threads, away from the HTTP thread: one thread per running job (a fresh thread
 * each time, so a job that crashes or leaks takes nothing with it), at most `maxActive` at once and
 * `maxQueued` waiting — beyond that `submit` throws a {@link QueueFullError} at once rather than
 * queueing without limit (the route answers 503 with Retry-After). The city crosses into the thread
 * packed in one transferred buffer (sim-core/cim/transfer.ts). Cancelling a running job terminates its
 * thread.
 *
 * {@link JobExecutor} is the seam: the service (server/jobs/service.ts) needs only `submit` and
 * `close`, so another executor (the range-split pool of workers/, or a distributed queue) plugs in.
 */
import { Worker } from 'node:worker_threads';
import { packCity } from '../../sim-core/cim/transfer.ts';
import type { City } from '../../sim-core/cim/types.ts';
import type { JobKind } from './kinds.ts';
import type { JobOutput } from './tiles-job.ts';

/** Messages from a job thread. */
export type WorkerMessage =
  | { type: 'progress'; done: number; total: number; phase: string }
  | { type: 'result'; result: unknown }
  | { type: 'error'; message: string; name: string };

/** What to run. */
export interface JobSpec {
  kind: JobKind;
  params: unknown;
  city: City;
  /** Where a job that writes files (`tiles`) puts them, and the URL they are served at. */
  output?: JobOutput;
}

/** A submitted job: started (`onStart`), progressing (`onProgress`), and settled (`done`). */
export interface JobHandle {
  /** Resolves with the result; rejects with the job's error, a {@link JobCancelledError} or a crash. */
  done: Promise<unknown>;
  /** Stops the job (queued: never starts; running: its thread is terminated). */
  cancel(): void;
}

export interface JobCallbacks {
  onStart?(): void;
  onProgress?(done: number, total: number, phase: string): void;
}

/** The seam between the job service and whatever runs the jobs. */
export interface JobExecutor {
  submit(spec: JobSpec, callbacks?: JobCallbacks): JobHandle;
  /** Running and waiting jobs. */
  load(): { running: number; queued: number };
  /** Cancels everything and stops the threads. */
  close(): Promise<void>;
}

/** The queue is full: try again later. */
export class QueueFullError extends Error {
  constructor(readonly running: number, readonly queued: number) {
    super(`the job queue is full (${running} running, ${queued} waiting); try again in a minute`);
  }
}

/** The job was cancelled. */
export class JobCancelledError extends Error {
  constructor() {
    super('job cancelled');
    this.name = 'AbortError';
  }
}

/** The job's own failure (bad parameters for this city, no solution …): its message is for the user. */
export class JobFailedError extends Error {}

export interface ThreadExecutorOptions {
  /** Jobs running at once (default 1: the machine has 2 cores and the HTTP thread needs one). */
  maxActive?: number;
  /** Jobs waiting (default 16). */
  maxQueued?: number;
  /** Test hook: every job first waits this long in a `delay` phase. */
  testDelayMs?: number;
}

interface Entry {
  spec: JobSpec;
  callbacks: JobCallbacks;
  resolve(v: unknown): void;
  reject(e: Error): void;
  worker: Worker | null;
  settled: boolean;
}

const BOOTSTRAP = new URL('../../workers/bootstrap.mjs', import.meta.url);
/** The job entry, relative to workers/bootstrap.mjs. */
const ENTRY = '../server/jobs/job-worker.ts';

/** See the module doc. */
export class ThreadJobExecutor implements JobExecutor {
  private readonly maxActive: number;
  private readonly maxQueued: number;
  private readonly testDelayMs: number | undefined;
  private readonly queue: Entry[] = [];
  private readonly running = new Set<Entry>();
  private closed = false;

  constructor(options: ThreadExecutorOptions = {}) {
    this.maxActive = options.maxActive ?? 1;
    this.maxQueued = options.maxQueued ?? 16;
    this.testDelayMs = options.testDelayMs;
  }

  load() {
    return { running: this.running.size, queued: this.queue.length };
  }

  submit(spec: JobSpec, callbacks: JobCallbacks = {}): JobHandle {
    if (this.closed) throw new Error('the job executor is closed');
    if (this.running.size >= this.maxActive && this.queue.length >= this.maxQueued) throw new QueueFullError(this.running.size, this.queue.length);
    let entry!: Entry;
    const done = new Promise<unknown>((resolve, reject) => {
      entry = { spec, callbacks, resolve, reject, worker: null, settled: false };
    });
    this.queue.push(entry);
    this.pump();
    return { done, cancel: () => this.finish(entry, new JobCancelledError()) };
  }

  private finish(e: Entry, error: Error | null, result?: unknown): void {
    if (e.settled) return;
    e.settled = true;
    const q = this.queue.indexOf(e);
    if (q >= 0) this.queue.splice(q, 1);
    if (this.running.delete(e) && e.worker) void e.worker.terminate();
    if (error) e.reject(error);
    else e.resolve(result);
    this.pump();
  }

  private pump(): void {
    while (!this.closed && this.running.size < this.maxActive && this.queue.length > 0) {
      const e = this.queue.shift()!;
      this.running.add(e);
      this.start(e);
    }
  }

  private start(e: Entry): void {
    let packed: ArrayBuffer;
    try {
      packed = packCity(e.spec.city) as ArrayBuffer;
    } catch (err) {
      this.finish(e, err as Error);
      return;
    }
    const worker = new Worker(BOOTSTRAP, {
      workerData: { entry: ENTRY, kind: e.spec.kind, params: e.spec.params, city: packed, output: e.spec.output, testDelayMs: this.testDelayMs },
      transferList: [packed],
    });
    e.worker = worker;
    e.callbacks.onStart?.();
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'progress') e.callbacks.onProgress?.(m.done, m.total, m.phase);
      else if (m.type === 'result') this.finish(e, null, m.result);
      else this.finish(e, new JobFailedError(m.message));
    });
    worker.on('error', (err) => this.finish(e, new Error(`the job thread failed: ${err.message}`)));
    worker.on('exit', (code) => this.finish(e, new Error(`the job thread stopped unexpectedly (exit code ${code})`)));
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const e of [...this.queue, ...this.running]) this.finish(e, new JobCancelledError());
  }
}
