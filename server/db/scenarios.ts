/**
 * Scenarios: device inventories on top of a city, versioned. Every save inserts a new version in a
 * transaction that first locks the scenario row (`SELECT … FOR UPDATE`) and checks the version the
 * client based its edit on: a stale base is refused with a {@link StaleVersionError} instead of
 * overwriting a colleague's save. Versions are never overwritten; a coverage job only attaches its
 * indicator values to the version it computed.
 */
import { randomUUID } from 'node:crypto';
import type { DeviceFeature } from './cities.ts';
import { isoOf, type Db, type Queryable } from './db.ts';

/** A scenario at one version. */
export interface ScenarioVersion {
  id: string;
  cityId: string;
  name: string;
  version: number;
  latestVersion: number;
  devices: DeviceFeature[];
  /** Indicator values computed for this version by a coverage job (SimulatedIndicatorValues), or null. */
  indicators: Record<string, unknown> | null;
  message: string | null;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
}

/** One line of a scenario's history. */
export interface VersionInfo {
  version: number;
  deviceCount: number;
  hasIndicators: boolean;
  message: string | null;
  createdBy: string | null;
  createdAt: string;
}

/** A scenario in a list (latest version). */
export interface ScenarioInfo {
  id: string;
  cityId: string;
  name: string;
  latestVersion: number;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The save was based on a version that is no longer the latest. */
export class StaleVersionError extends Error {
  constructor(
    readonly scenarioId: string,
    readonly baseVersion: number,
    readonly latestVersion: number,
  ) {
    super(
      `scenario ${scenarioId} is at version ${latestVersion}, but this save is based on version ${baseVersion}: someone saved in between. ` +
        `Load version ${latestVersion} (GET /api/scenarios/${scenarioId}), compare (GET /api/scenarios/${scenarioId}/compare?from=${baseVersion}&to=${latestVersion}), and save again on top of it.`,
    );
  }
}

const toInfo = (r: Record<string, unknown>): ScenarioInfo => ({
  id: r.id as string,
  cityId: r.city_id as string,
  name: r.name as string,
  latestVersion: r.latest_version as number,
  createdBy: (r.created_by as string | null) ?? null,
  createdAt: isoOf(r.created_at),
  updatedAt: isoOf(r.updated_at),
});

const SELECT_VERSION = `SELECT s.id, s.city_id, s.name, s.latest_version, s.created_at AS s_created_at, s.updated_at,
  v.version, v.devices, v.indicators, v.message, v.created_by, v.created_at
  FROM scenarios s JOIN scenario_versions v ON v.scenario_id = s.id`;

const toVersion = (r: Record<string, unknown>): ScenarioVersion => ({
  id: r.id as string,
  cityId: r.city_id as string,
  name: r.name as string,
  version: r.version as number,
  latestVersion: r.latest_version as number,
  devices: r.devices as DeviceFeature[],
  indicators: (r.indicators as Record<string, unknown> | null) ?? null,
  message: (r.message as string | null) ?? null,
  createdBy: (r.created_by as string | null) ?? null,
  createdAt: isoOf(r.created_at),
  updatedAt: isoOf(r.updated_at),
});

/** See the module doc. */
export class ScenarioStore {
  constructor(private readonly db: Db) {}

  /** Creates a scenario at version 1. */
  async create(cityId: string, name: string, devices: DeviceFeature[], userId: string, message: string | null = null): Promise<ScenarioVersion> {
    const id = randomUUID();
    await this.db.transaction(async (tx) => {
      await tx.query('INSERT INTO scenarios(id, city_id, name, latest_version, created_by) VALUES ($1, $2, $3, 1, $4)', [id, cityId, name, userId]);
      await tx.query('INSERT INTO scenario_versions(scenario_id, version, devices, message, created_by) VALUES ($1, 1, $2, $3, $4)', [id, JSON.stringify(devices), message, userId]);
    });
    return (await this.get(id))!;
  }

  /** The scenarios of a city (or all), newest first. */
  async list(cityIds: string[] | null): Promise<ScenarioInfo[]> {
    const r =
      cityIds === null
        ? await this.db.query('SELECT * FROM scenarios ORDER BY updated_at DESC, id')
        : await this.db.query('SELECT * FROM scenarios WHERE city_id = ANY($1::text[]) ORDER BY updated_at DESC, id', [cityIds]);
    return r.rows.map(toInfo);
  }

  /** The city a scenario belongs to, or null. */
  async cityOf(id: string): Promise<string | null> {
    return (await this.db.query<{ city_id: string }>('SELECT city_id FROM scenarios WHERE id = $1', [id])).rows[0]?.city_id ?? null;
  }

  /** A version (default the latest), or null. */
  async get(id: string, version?: number, q: Queryable = this.db): Promise<ScenarioVersion | null> {
    const r =
      version === undefined
        ? await q.query(`${SELECT_VERSION} WHERE s.id = $1 AND v.version = s.latest_version`, [id])
        : await q.query(`${SELECT_VERSION} WHERE s.id = $1 AND v.version = $2`, [id, version]);
    return r.rows[0] ? toVersion(r.rows[0]) : null;
  }

  /** The history, oldest first. */
  async versions(id: string): Promise<VersionInfo[]> {
    const r = await this.db.query(
      `SELECT version, jsonb_array_length(devices) AS n, indicators IS NOT NULL AS has_ind, message, created_by, created_at
       FROM scenario_versions WHERE scenario_id = $1 ORDER BY version`,
      [id],
    );
    return r.rows.map((x) => ({
      version: x.version as number,
      deviceCount: x.n as number,
      hasIndicators: x.has_ind as boolean,
      message: (x.message as string | null) ?? null,
      createdBy: (x.created_by as string | null) ?? null,
      createdAt: isoOf(x.created_at),
    }));
  }

  /**
   * Saves a new version on top of `baseVersion`. Returns null when the scenario does not exist; throws
   * {@link StaleVersionError} when `baseVersion` is not the latest.
   */
  async save(id: string, baseVersion: number, change: { devices: DeviceFeature[]; name?: string; message?: string | null }, userId: string): Promise<ScenarioVersion | null> {
    return this.db.transaction(async (tx) => {
      const row = (await tx.query<{ latest_version: number }>('SELECT latest_version FROM scenarios WHERE id = $1 FOR UPDATE', [id])).rows[0];
      if (!row) return null;
      if (row.latest_version !== baseVersion) throw new StaleVersionError(id, baseVersion, row.latest_version);
      const next = baseVersion + 1;
      await tx.query('INSERT INTO scenario_versions(scenario_id, version, devices, message, created_by) VALUES ($1, $2, $3, $4, $5)', [id, next, JSON.stringify(change.devices), change.message ?? null, userId]);
      await tx.query('UPDATE scenarios SET latest_version = $2, name = coalesce($3, name), updated_at = now() WHERE id = $1', [id, next, change.name ?? null]);
      return this.get(id, next, tx);
    });
  }

  /** Attaches computed indicator values to a version (the only update a version ever gets). */
  async setIndicators(id: string, version: number, indicators: Record<string, unknown>): Promise<void> {
    await this.db.query('UPDATE scenario_versions SET indicators = $3 WHERE scenario_id = $1 AND version = $2', [id, version, JSON.stringify(indicators)]);
  }
}

/** What changed between two device inventories (by device id). */
export interface DeviceDiff {
  added: string[];
  removed: string[];
  changed: { id: string; fields: string[] }[];
  unchanged: number;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Device diff from `before` to `after`: ids added, removed, and the fields that changed (geometry included). */
export function diffDevices(before: readonly DeviceFeature[], after: readonly DeviceFeature[]): DeviceDiff {
  const old = new Map(before.map((d) => [d.id, d]));
  const out: DeviceDiff = { added: [], removed: [], changed: [], unchanged: 0 };
  for (const d of after) {
    const o = old.get(d.id);
    if (!o) {
      out.added.push(d.id);
      continue;
    }
    old.delete(d.id);
    const fields: string[] = [];
    if (!same(o.geometry?.coordinates, d.geometry?.coordinates)) fields.push('geometry');
    const keys = new Set([...Object.keys(o.properties ?? {}), ...Object.keys(d.properties ?? {})]);
    for (const k of [...keys].sort()) if (!same(o.properties?.[k], d.properties?.[k])) fields.push(k);
    if (fields.length) out.changed.push({ id: d.id, fields });
    else out.unchanged++;
  }
  out.removed.push(...old.keys());
  return out;
}

/** One indicator of a comparison: values in both versions (null where not computed) and after − before. */
export interface IndicatorDelta {
  id: string;
  before: number | null;
  after: number | null;
  delta: number | null;
}

/** Indicator deltas between two sets of computed values (`{id: {value, …}}`). */
export function indicatorDeltas(before: Record<string, unknown> | null, after: Record<string, unknown> | null): IndicatorDelta[] {
  const valueOf = (set: Record<string, unknown> | null, id: string): number | null => {
    const v = (set?.[id] as { value?: unknown } | undefined)?.value;
    return typeof v === 'number' && Number.isFinite(v) ? v : null;
  };
  const ids = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])].sort();
  return ids.map((id) => {
    const b = valueOf(before, id);
    const a = valueOf(after, id);
    return { id, before: b, after: a, delta: a !== null && b !== null ? a - b : null };
  });
}
