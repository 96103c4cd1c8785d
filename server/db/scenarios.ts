/**
 * Scenarios: device inventories on top of a city, versioned. Every save inserts a new version in a
 * transaction that first locks the scenario row (`SELECT … FOR UPDATE`) and checks the version the
 * client based its edit on: a stale base is refused with a {@link StaleVersionError} instead of
 * overwriting a colleague's save. Versions are never overwritten; a coverage job only attaches its
 * indicator values to the version it computed.
 *
 * Every new version (create, save, device-status patch) is announced on {@link ScenarioStore.events}
 * after its transaction committed, never before: a listener never hears of a version that is not
 * durable. The bus is in-process, so one server per database is assumed (as for jobs); with
 * PostgreSQL, LISTEN/NOTIFY after commit would be the way to several servers (not built).
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
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

/** A device-status patch names a device the scenario does not hold (nothing was saved). */
export class UnknownDeviceError extends Error {
  constructor(
    readonly scenarioId: string,
    readonly version: number,
    readonly ids: string[],
  ) {
    const shown = ids.slice(0, 20).map((id) => `'${id}'`).join(', ');
    super(
      `scenario ${scenarioId} (version ${version}) has no device ${shown}${ids.length > 20 ? ` and ${ids.length - 20} more` : ''}: ` +
        'a status patch only changes devices the scenario holds; nothing was saved',
    );
  }
}

/** One device's new status, as a video- or network-management platform reports it. */
export interface DeviceStatusPatch {
  id: string;
  /** 完好: in working order. */
  healthy?: boolean;
  /** 联网: connected to the platform. */
  networked?: boolean;
}

/** Most changed device ids an event lists (the count is always complete). */
export const MAX_CHANGED_IDS = 1000;

/** A new version as the event stream announces it (`event: version`). */
export interface ScenarioVersionEvent {
  scenarioId: string;
  cityId: string;
  name: string;
  version: number;
  createdAt: string;
  createdBy: string | null;
  message: string | null;
  deviceCount: number;
  /** Ids added, removed or changed against the previous version (at most {@link MAX_CHANGED_IDS}; none for version 1). */
  changedDeviceIds: string[];
  /** How many devices were added, removed or changed (the full count, even when the list is capped). */
  changedDeviceCount: number;
}

/** A city's live scenario changed (`PUT /api/cities/:id/live-scenario`). */
export interface LiveScenarioEvent {
  cityId: string;
  scenarioId: string;
}

/** Ids added, removed or changed between two inventories, capped; and their full count. */
export function changedDevices(before: readonly DeviceFeature[] | null, after: readonly DeviceFeature[]): { ids: string[]; count: number } {
  if (before === null) return { ids: [], count: 0 };
  const d = diffDevices(before, after);
  const all = [...d.added, ...d.removed, ...d.changed.map((c) => c.id)];
  return { ids: all.slice(0, MAX_CHANGED_IDS), count: all.length };
}

/** The event of a version, given the devices of the version before it (null for version 1). */
export function versionEventOf(v: ScenarioVersion, previous: readonly DeviceFeature[] | null): ScenarioVersionEvent {
  const changed = changedDevices(previous, v.devices);
  return {
    scenarioId: v.id,
    cityId: v.cityId,
    name: v.name,
    version: v.version,
    createdAt: v.createdAt,
    createdBy: v.createdBy,
    message: v.message,
    deviceCount: v.devices.length,
    changedDeviceIds: changed.ids,
    changedDeviceCount: changed.count,
  };
}

/**
 * The in-process bus of committed versions. Listeners of a scenario get its {@link ScenarioVersionEvent}s
 * in commit order; the change list is computed once per version, and only when someone listens.
 */
export class ScenarioEvents {
  private readonly emitter = new EventEmitter();
  /** Per scenario: the tail of the chain that emits its versions in order. */
  private readonly chains = new Map<string, Promise<void>>();

  constructor(private readonly previousDevices: (scenarioId: string, version: number) => Promise<DeviceFeature[] | null>) {
    this.emitter.setMaxListeners(0);
  }

  /** Calls `listener` with every new version of the scenario; returns the function that stops it. */
  onVersion(scenarioId: string, listener: (e: ScenarioVersionEvent) => void): () => void {
    this.emitter.on(`version:${scenarioId}`, listener);
    return () => this.emitter.off(`version:${scenarioId}`, listener);
  }

  /** Calls `listener` when the city's live scenario is changed; returns the function that stops it. */
  onLiveScenario(cityId: string, listener: (e: LiveScenarioEvent) => void): () => void {
    this.emitter.on(`live:${cityId}`, listener);
    return () => this.emitter.off(`live:${cityId}`, listener);
  }

  /** Listeners of one scenario (tests and diagnostics). */
  listenerCount(scenarioId: string): number {
    return this.emitter.listenerCount(`version:${scenarioId}`);
  }

  /** Announces a committed version (`previous`: the devices of the version before it, when at hand). */
  committed(v: ScenarioVersion, previous?: readonly DeviceFeature[] | null): void {
    const key = `version:${v.id}`;
    const tail = (this.chains.get(v.id) ?? Promise.resolve()).then(async () => {
      if (this.emitter.listenerCount(key) === 0) return;
      const before = previous !== undefined ? previous : v.version > 1 ? await this.previousDevices(v.id, v.version - 1) : null;
      this.emitter.emit(key, versionEventOf(v, before));
    });
    const settled = tail.catch(() => {
      // A failed read of the previous version (database closing) only loses this event's change list.
    });
    this.chains.set(v.id, settled);
    void settled.then(() => {
      if (this.chains.get(v.id) === settled) this.chains.delete(v.id);
    });
  }

  /** Announces that a city's live scenario changed. */
  liveScenarioChanged(e: LiveScenarioEvent): void {
    this.emitter.emit(`live:${e.cityId}`, e);
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
  /** Committed versions, announced after commit (see the module doc). */
  readonly events: ScenarioEvents;

  constructor(private readonly db: Db) {
    this.events = new ScenarioEvents(async (id, version) => (await this.get(id, version))?.devices ?? null);
  }

  /**
   * Creates a scenario at version 1 (`userId` null: made by the system). Inside a caller's transaction
   * (`tx`) the caller announces the version after its commit ({@link ScenarioEvents.committed}).
   */
  async create(cityId: string, name: string, devices: DeviceFeature[], userId: string | null, message: string | null = null, tx?: Queryable): Promise<ScenarioVersion> {
    const id = randomUUID();
    const insert = async (q: Queryable) => {
      await q.query('INSERT INTO scenarios(id, city_id, name, latest_version, created_by) VALUES ($1, $2, $3, 1, $4)', [id, cityId, name, userId]);
      await q.query('INSERT INTO scenario_versions(scenario_id, version, devices, message, created_by) VALUES ($1, 1, $2, $3, $4)', [id, JSON.stringify(devices), message, userId]);
      return (await this.get(id, 1, q))!;
    };
    if (tx) return insert(tx);
    const s = await this.db.transaction(insert);
    this.events.committed(s, null);
    return s;
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
    const s = await this.db.transaction(async (tx) => {
      const row = (await tx.query<{ latest_version: number }>('SELECT latest_version FROM scenarios WHERE id = $1 FOR UPDATE', [id])).rows[0];
      if (!row) return null;
      if (row.latest_version !== baseVersion) throw new StaleVersionError(id, baseVersion, row.latest_version);
      return this.insertVersion(tx, id, baseVersion + 1, change.devices, change.message ?? null, userId, change.name);
    });
    if (s) this.events.committed(s);
    return s;
  }

  /**
   * Applies device-status patches as ONE new version on top of the latest (status patches commute, so
   * no base version is asked for; concurrent saves serialise on the row lock). Returns null when the
   * scenario does not exist; `changed` lists the devices whose status changed; when none did, nothing
   * is saved and `scenario` is the unchanged latest version. Throws {@link UnknownDeviceError} (nothing
   * saved) when a patch names a device the scenario does not hold. A device without a `healthy` or
   * `networked` field counts as true (the city-file default).
   */
  async applyDeviceStatus(id: string, patches: readonly DeviceStatusPatch[], message: string | null, userId: string | null): Promise<{ scenario: ScenarioVersion; changed: string[] } | null> {
    let previous: DeviceFeature[] = [];
    const out = await this.db.transaction(async (tx) => {
      const row = (await tx.query<{ latest_version: number }>('SELECT latest_version FROM scenarios WHERE id = $1 FOR UPDATE', [id])).rows[0];
      if (!row) return null;
      const latest = row.latest_version;
      const now = (await this.get(id, latest, tx))!;
      const current = now.devices;
      const index = new Map<string, number>();
      current.forEach((d, i) => index.set(d.id, i));
      const unknown = patches.filter((p) => !index.has(p.id)).map((p) => p.id);
      if (unknown.length) throw new UnknownDeviceError(id, latest, unknown);
      const devices = current.slice();
      const changed: string[] = [];
      const notes: string[] = [];
      for (const p of patches) {
        const i = index.get(p.id)!;
        const d = devices[i];
        const props: Record<string, unknown> = { ...d.properties };
        const fields: string[] = [];
        for (const field of ['healthy', 'networked'] as const) {
          const want = p[field];
          if (want === undefined || (props[field] !== false) === want) continue;
          props[field] = want;
          fields.push(`${field} ${want}`);
        }
        if (fields.length === 0) continue;
        devices[i] = { ...d, properties: props };
        if (!changed.includes(p.id)) changed.push(p.id);
        notes.push(`${p.id} ${fields.join(', ')}`);
      }
      if (changed.length === 0) return { scenario: now, changed };
      previous = current;
      const text = message ?? `device status: ${notes.slice(0, 5).join('; ')}${notes.length > 5 ? `; and ${notes.length - 5} more` : ''}`;
      return { scenario: await this.insertVersion(tx, id, latest + 1, devices, text, userId, undefined, true), changed };
    });
    if (out && out.changed.length > 0) this.events.committed(out.scenario, previous);
    return out;
  }

  /** Inserts version `next` and makes it the latest (inside the caller's transaction, the row locked). */
  /**
   * `devicesAsStored`: the devices are already as the database gives them back (read from it, only
   * boolean fields set), so the record is made from them instead of reading the version back (a few
   * MB of JSON for a city-sized inventory). Otherwise it is read back, as the database normalised it.
   */
  private async insertVersion(tx: Queryable, id: string, next: number, devices: DeviceFeature[], message: string | null, userId: string | null, name?: string, devicesAsStored = false): Promise<ScenarioVersion> {
    const inserted = await tx.query<{ created_at: unknown }>('INSERT INTO scenario_versions(scenario_id, version, devices, message, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING created_at', [id, next, JSON.stringify(devices), message, userId]);
    const updated = await tx.query('UPDATE scenarios SET latest_version = $2, name = coalesce($3, name), updated_at = now() WHERE id = $1 RETURNING city_id, name, latest_version, updated_at', [id, next, name ?? null]);
    if (!devicesAsStored) return (await this.get(id, next, tx))!;
    const r = updated.rows[0];
    return toVersion({ id, city_id: r.city_id, name: r.name, latest_version: r.latest_version, updated_at: r.updated_at, version: next, devices, indicators: null, message, created_by: userId, created_at: inserted.rows[0].created_at });
  }

  /** The event of a version (default the latest) with its changes against the version before it; null when there is none. */
  async versionEvent(id: string, version?: number): Promise<ScenarioVersionEvent | null> {
    const v = await this.get(id, version);
    if (!v) return null;
    const previous = v.version > 1 ? ((await this.get(id, v.version - 1))?.devices ?? null) : null;
    return versionEventOf(v, previous);
  }

  /** The scenario's record in a list, or null. */
  async info(id: string): Promise<ScenarioInfo | null> {
    const r = await this.db.query('SELECT * FROM scenarios WHERE id = $1', [id]);
    return r.rows[0] ? toInfo(r.rows[0]) : null;
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
