/**
 * Jobs as the API sees them: a row in `jobs` (queued → running → done | failed | cancelled, with
 * progress 0…1 and a phase), run by a {@link JobExecutor}, with live progress for server-sent events.
 *
 * - Submitting inserts the row first, then hands the job to the executor; a full queue removes the row
 *   again and answers {@link QueueFullError}.
 * - Progress is written to the row at most every 0.5 s and emitted to listeners on every update.
 * - The result is stored in the row; a coverage job also attaches its indicator values to the scenario
 *   version it computed (so the scenario's report and comparisons can use them).
 * - A restart never leaves a job "running": {@link JobService.recover} marks every job left queued or
 *   running by a previous process as failed ("the server restarted …; submit it again"). Jobs are not
 *   resumed: they are pure functions of a saved scenario version, so submitting again gives the same
 *   result. One server per database is assumed (a second server starting would fail the first's jobs).
 * - Closing (graceful shutdown) cancels running jobs and marks them failed the same way.
 * - A `tiles` job writes into `<tilesDir>/<tilesetNameOf(cityId)>` (./tiles-job.ts); one at a time per
 *   city (a second is refused with {@link JobConflictError} while the first is queued or running).
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { CimError } from '../../sim-core/cim/errors.ts';
import type { City } from '../../sim-core/cim/types.ts';
import { cityWithDevices, type CityStore } from '../db/cities.ts';
import { isoOf, type Db } from '../db/db.ts';
import type { ScenarioStore } from '../db/scenarios.ts';
import { JobCancelledError, JobFailedError, type JobExecutor, type JobHandle } from './executor.ts';
import type { JobKind } from './kinds.ts';
import { tilesetNameOf, type JobOutput } from './tiles-job.ts';

export const JOB_STATUSES = ['queued', 'running', 'done', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** A job as the API shows it (the result is fetched separately). */
export interface JobRecord {
  id: string;
  kind: JobKind;
  status: JobStatus;
  /** 0…1. */
  progress: number;
  phase: string;
  params: Record<string, unknown>;
  cityId: string | null;
  scenarioId: string | null;
  scenarioVersion: number | null;
  error: string | null;
  createdBy: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

/** Where a job runs: a scenario version (its city with the scenario's devices) or a bare city. */
export interface JobTarget {
  cityId: string;
  scenarioId: string | null;
  scenarioVersion: number | null;
}

/** Another job already writes where this one would (the route answers 409). */
export class JobConflictError extends Error {}

export interface JobServiceOptions {
  /** Folder of the tilesets that `tiles` jobs build (served as `/tiles/<name>/`); none: `tiles` jobs are refused. */
  tilesDir?: string | false;
}

const FINAL: ReadonlySet<JobStatus> = new Set(['done', 'failed', 'cancelled']);
export const isFinal = (s: JobStatus) => FINAL.has(s);

/** Message of a job failed by a restart. */
export const RESTART_MESSAGE = 'the server restarted while this job was queued or running; submit it again (the saved scenario is unchanged)';
const SHUTDOWN_MESSAGE = 'the server shut down while this job was queued or running; submit it again (the saved scenario is unchanged)';

const COLUMNS = 'id, kind, status, progress, phase, params, city_id, scenario_id, scenario_version, error, created_by, created_at, started_at, finished_at';

const toRecord = (r: Record<string, unknown>): JobRecord => ({
  id: r.id as string,
  kind: r.kind as JobKind,
  status: r.status as JobStatus,
  progress: Number(r.progress),
  phase: r.phase as string,
  params: r.params as Record<string, unknown>,
  cityId: (r.city_id as string | null) ?? null,
  scenarioId: (r.scenario_id as string | null) ?? null,
  scenarioVersion: (r.scenario_version as number | null) ?? null,
  error: (r.error as string | null) ?? null,
  createdBy: (r.created_by as string | null) ?? null,
  createdAt: isoOf(r.created_at),
  startedAt: r.started_at ? isoOf(r.started_at) : null,
  finishedAt: r.finished_at ? isoOf(r.finished_at) : null,
});

/** See the module doc. Emits `update:<jobId>` with the {@link JobRecord} after every change. */
export class JobService extends EventEmitter {
  private readonly handles = new Map<string, JobHandle>();
  /** Per running job: settles when its final state is written. */
  private readonly settled = new Map<string, Promise<unknown>>();
  private readonly pending = new Set<Promise<unknown>>();
  /** Output folders of queued and running jobs → job id. */
  private readonly busyOutputs = new Map<string, string>();
  private closing = false;

  constructor(
    private readonly db: Db,
    private readonly executor: JobExecutor,
    private readonly cities: CityStore,
    private readonly scenarios: ScenarioStore,
    private readonly log: { error(o: object, msg: string): void } = { error: () => {} },
    private readonly options: JobServiceOptions = {},
  ) {
    super();
    this.setMaxListeners(0);
  }

  /** Marks jobs left queued or running by a previous process as failed; returns how many. */
  async recover(): Promise<number> {
    const r = await this.db.query(`UPDATE jobs SET status = 'failed', error = $1, finished_at = now() WHERE status IN ('queued', 'running')`, [RESTART_MESSAGE]);
    return r.affectedRows;
  }

  /** The city a job runs on. */
  private async cityFor(t: JobTarget): Promise<City> {
    const base = await this.cities.city(t.cityId);
    if (t.scenarioId === null) return base;
    const v = await this.scenarios.get(t.scenarioId, t.scenarioVersion ?? undefined);
    if (!v) throw new CimError(`scenario ${t.scenarioId} has no version ${t.scenarioVersion}`);
    return cityWithDevices(base, v.devices, `scenario ${t.scenarioId} v${v.version}`);
  }

  /** Where a job writes files (`tiles` only), or undefined. */
  private outputFor(kind: JobKind, cityId: string): JobOutput | undefined {
    if (kind !== 'tiles') return undefined;
    if (!this.options.tilesDir) throw new CimError('this server keeps no folder for tiles jobs');
    const name = tilesetNameOf(cityId);
    return { dir: join(this.options.tilesDir, name), url: `/tiles/${name}/tileset.json` };
  }

  /**
   * Creates and starts a job; throws QueueFullError (nothing stored) when the executor is full, and
   * JobConflictError when a job writing the same folder is queued or running.
   */
  async submit(kind: JobKind, params: Record<string, unknown>, target: JobTarget, userId: string): Promise<JobRecord> {
    const id = randomUUID();
    const output = this.outputFor(kind, target.cityId);
    if (output) {
      // Reserved before the first await, so that two requests at once cannot both pass.
      const busy = this.busyOutputs.get(output.dir);
      if (busy) throw new JobConflictError(`a ${kind} job for city ${target.cityId} is already queued or running (job ${busy}); wait for it or cancel it`);
      this.busyOutputs.set(output.dir, id);
    }
    const release = () => {
      if (output && this.busyOutputs.get(output.dir) === id) this.busyOutputs.delete(output.dir);
    };
    try {
      return await this.start(id, kind, params, target, userId, output, release);
    } catch (e) {
      release();
      throw e;
    }
  }

  private async start(id: string, kind: JobKind, params: Record<string, unknown>, target: JobTarget, userId: string, output: JobOutput | undefined, release: () => void): Promise<JobRecord> {
    const city = await this.cityFor(target);
    await this.db.query('INSERT INTO jobs(id, kind, status, phase, params, city_id, scenario_id, scenario_version, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)', [
      id,
      kind,
      'queued',
      'queued',
      JSON.stringify(params),
      target.cityId,
      target.scenarioId,
      target.scenarioVersion,
      userId,
    ]);
    let lastWrite = 0;
    let handle: JobHandle;
    try {
      handle = this.executor.submit(
        { kind, params, city, output },
        {
          onStart: () => this.track(this.update(id, `status = 'running', phase = 'starting', started_at = now()`, [])),
          onProgress: (done, total, phase) => {
            const progress = total > 0 ? Math.min(1, done / total) : 0;
            const t = Date.now();
            if (t - lastWrite >= 500) {
              lastWrite = t;
              this.track(this.update(id, `progress = $2, phase = $3`, [progress, phase]));
            } else void this.get(id).then((j) => j && this.emit(`update:${id}`, { ...j, progress, phase }));
          },
        },
      );
    } catch (e) {
      await this.db.query('DELETE FROM jobs WHERE id = $1', [id]);
      throw e;
    }
    this.handles.set(id, handle);
    const settled = handle.done
      .then(
        (result) => this.complete(id, kind, target, result),
        (err: Error) => this.fail(id, err),
      )
      .finally(() => {
        this.settled.delete(id);
        release();
      });
    this.settled.set(id, settled);
    this.track(settled);
    return (await this.get(id))!;
  }

  private track(p: Promise<unknown>): void {
    const q = p.catch((e: Error) => this.log.error({ err: e }, 'job bookkeeping failed')).finally(() => this.pending.delete(q));
    this.pending.add(q);
  }

  private async update(id: string, set: string, params: unknown[]): Promise<void> {
    // Never move a finished job back (a late progress write after completion).
    await this.db.query(`UPDATE jobs SET ${set} WHERE id = $1 AND status IN ('queued', 'running')`, [id, ...params]);
    const j = await this.get(id);
    if (j) this.emit(`update:${id}`, j);
  }

  private async complete(id: string, kind: JobKind, target: JobTarget, result: unknown): Promise<void> {
    this.handles.delete(id);
    if (kind === 'coverage' && target.scenarioId !== null && target.scenarioVersion !== null) {
      const indicators = (result as { indicators?: Record<string, unknown> }).indicators ?? {};
      await this.scenarios.setIndicators(target.scenarioId, target.scenarioVersion, indicators);
    }
    await this.db.query(`UPDATE jobs SET status = 'done', progress = 1, phase = 'done', result = $2, finished_at = now() WHERE id = $1 AND status IN ('queued', 'running')`, [id, JSON.stringify(result)]);
    const j = await this.get(id);
    if (j) this.emit(`update:${id}`, j);
  }

  private async fail(id: string, err: Error): Promise<void> {
    this.handles.delete(id);
    const cancelled = err instanceof JobCancelledError && !this.closing;
    const message = this.closing ? SHUTDOWN_MESSAGE : cancelled ? 'cancelled' : err instanceof JobFailedError ? err.message : `the job failed: ${err.message}`;
    await this.db.query(`UPDATE jobs SET status = $2, error = $3, finished_at = now() WHERE id = $1 AND status IN ('queued', 'running')`, [id, cancelled ? 'cancelled' : 'failed', message]);
    const j = await this.get(id);
    if (j) this.emit(`update:${id}`, j);
  }

  async get(id: string): Promise<JobRecord | null> {
    const r = await this.db.query(`SELECT ${COLUMNS} FROM jobs WHERE id = $1`, [id]);
    return r.rows[0] ? toRecord(r.rows[0]) : null;
  }

  /** The stored result of a finished job (undefined when there is none). */
  async result(id: string): Promise<unknown> {
    const r = await this.db.query<{ result: unknown }>('SELECT result FROM jobs WHERE id = $1', [id]);
    return r.rows[0]?.result ?? undefined;
  }

  /** Jobs, newest first: of a scenario, or all (`limit` most). */
  async list(filter: { scenarioId?: string; cityIds?: string[] | null; limit: number }): Promise<JobRecord[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.scenarioId !== undefined) where.push(`scenario_id = $${params.push(filter.scenarioId)}`);
    if (filter.cityIds) where.push(`city_id = ANY($${params.push(filter.cityIds)}::text[])`);
    params.push(filter.limit);
    const r = await this.db.query(`SELECT ${COLUMNS} FROM jobs ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id LIMIT $${params.length}`, params);
    return r.rows.map(toRecord);
  }

  /** The latest finished coverage job of a scenario version, or null. */
  async latestCoverage(scenarioId: string, version: number): Promise<{ id: string; result: unknown } | null> {
    const r = await this.db.query<{ id: string; result: unknown }>(
      `SELECT id, result FROM jobs WHERE scenario_id = $1 AND scenario_version = $2 AND kind = 'coverage' AND status = 'done' ORDER BY finished_at DESC LIMIT 1`,
      [scenarioId, version],
    );
    return r.rows[0] ?? null;
  }

  /** Cancels a job; returns its record afterwards (unchanged when it had finished already). */
  async cancel(id: string): Promise<JobRecord | null> {
    const handle = this.handles.get(id);
    if (handle) {
      const settled = this.settled.get(id);
      handle.cancel();
      await settled?.catch(() => {});
    } else {
      // Not running in this process (a stale row would have been failed by recover()).
      await this.db.query(`UPDATE jobs SET status = 'cancelled', error = 'cancelled', finished_at = now() WHERE id = $1 AND status IN ('queued', 'running')`, [id]);
    }
    return this.get(id);
  }

  /** Cancels the running jobs, marks them failed ("the server shut down …"), and waits for the writes. */
  async close(): Promise<void> {
    this.closing = true;
    await this.executor.close();
    while (this.pending.size) await Promise.all([...this.pending]);
  }
}
