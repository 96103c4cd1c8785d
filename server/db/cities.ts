/**
 * Cities in the database: the served city (id `default`, public, its data the app's own city) and
 * imported ones (the importers' city, stored as a gzipped cim-twin city file). Parsed cities are kept
 * in a small cache, since the simulation works on the in-memory {@link City}.
 */
import { randomUUID } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { cityFromGeoJSON, cityToGeoJSON } from '../../sim-core/cim/city-file.ts';
import { summarizeCity, type CitySummary } from '../../sim-core/cim/summary.ts';
import type { City } from '../../sim-core/cim/types.ts';
import { bytesOf, isoOf, type Db } from './db.ts';

/** The id of the served city. */
export const DEFAULT_CITY_ID = 'default';

/** A city as the API lists it. */
export interface CityInfo {
  id: string;
  name: string;
  public: boolean;
  createdAt: string;
  createdBy: string | null;
  summary: CitySummary;
}

/** A GeoJSON device feature of a cim-twin city file (layer `device`). */
export interface DeviceFeature {
  type: 'Feature';
  id: string;
  geometry: { type: 'Point'; coordinates: number[] };
  properties: Record<string, unknown>;
}

interface Loaded {
  city: City;
  devices: DeviceFeature[];
}

const rowToInfo = (r: Record<string, unknown>): CityInfo => ({
  id: r.id as string,
  name: r.name as string,
  public: r.public as boolean,
  createdAt: isoOf(r.created_at),
  createdBy: (r.created_by as string | null) ?? null,
  summary: r.summary as CitySummary,
});

/** See the module doc. */
export class CityStore {
  private readonly cache = new Map<string, Promise<Loaded>>();
  constructor(
    private readonly db: Db,
    private readonly servedCity: () => Promise<City>,
    private readonly cacheSize = 3,
  ) {}

  /** Records the served city as `default` (public), refreshing its name and summary. */
  async ensureDefault(): Promise<void> {
    const city = await this.servedCity();
    await this.db.query(
      `INSERT INTO cities(id, name, public, summary) VALUES ($1, $2, true, $3)
       ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, summary = EXCLUDED.summary`,
      [DEFAULT_CITY_ID, city.meta.name, JSON.stringify(summarizeCity(city))],
    );
  }

  /** Cities a client may see: the public ones, and all of them for a logged-in user. */
  async list(loggedIn: boolean): Promise<CityInfo[]> {
    const r = await this.db.query(`SELECT id, name, public, created_at, created_by, summary FROM cities ${loggedIn ? '' : 'WHERE public'} ORDER BY created_at, id`);
    return r.rows.map(rowToInfo);
  }

  /** One city's record, or null. */
  async info(id: string): Promise<CityInfo | null> {
    const r = await this.db.query('SELECT id, name, public, created_at, created_by, summary FROM cities WHERE id = $1', [id]);
    return r.rows[0] ? rowToInfo(r.rows[0]) : null;
  }

  /** Stores an imported city; returns its record. */
  async create(city: City, options: { name?: string; public: boolean; createdBy: string; importReport?: unknown }): Promise<CityInfo> {
    const id = randomUUID();
    const file = gzipSync(Buffer.from(JSON.stringify(cityToGeoJSON(city)), 'utf8'));
    await this.db.query('INSERT INTO cities(id, name, public, file_gzip, summary, import_report, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
      id,
      options.name ?? city.meta.name,
      options.public,
      file,
      JSON.stringify(summarizeCity(city)),
      options.importReport === undefined ? null : JSON.stringify(options.importReport),
      options.createdBy,
    ]);
    return (await this.info(id))!;
  }

  /** Changes the name or the public flag; null when no such city. */
  async update(id: string, patch: { name?: string; public?: boolean }): Promise<CityInfo | null> {
    const r = await this.db.query('UPDATE cities SET name = coalesce($2, name), public = coalesce($3, public) WHERE id = $1', [id, patch.name ?? null, patch.public ?? null]);
    return r.affectedRows ? this.info(id) : null;
  }

  /** Deletes an imported city (and its scenarios and jobs); false when no such city. */
  async remove(id: string): Promise<boolean> {
    this.cache.delete(id);
    return (await this.db.query('DELETE FROM cities WHERE id = $1', [id])).affectedRows > 0;
  }

  private load(id: string): Promise<Loaded> {
    let p = this.cache.get(id);
    if (!p) {
      p = (async () => {
        let city: City;
        if (id === DEFAULT_CITY_ID) city = await this.servedCity();
        else {
          const row = (await this.db.query<{ file_gzip: unknown }>('SELECT file_gzip FROM cities WHERE id = $1', [id])).rows[0];
          if (!row?.file_gzip) throw new Error(`city ${id} has no stored file`);
          city = cityFromGeoJSON(JSON.parse(gunzipSync(bytesOf(row.file_gzip)).toString('utf8')), `city ${id}`);
        }
        const devices = cityToGeoJSON(city).features.filter((f) => f.properties?.layer === 'device') as unknown as DeviceFeature[];
        return { city, devices };
      })();
      this.cache.set(id, p);
      p.catch(() => this.cache.delete(id));
      while (this.cache.size > this.cacheSize) this.cache.delete(this.cache.keys().next().value!);
    }
    return p;
  }

  /** The city itself (parsed once, cached). */
  async city(id: string): Promise<City> {
    return (await this.load(id)).city;
  }

  /** The city's own devices as city-file features (the starting inventory of a new scenario). */
  async deviceFeatures(id: string): Promise<DeviceFeature[]> {
    return (await this.load(id)).devices;
  }

  /** The city file (GeoJSON text) of a city. */
  async fileText(id: string): Promise<string> {
    return JSON.stringify(cityToGeoJSON(await this.city(id)));
  }
}

/** Moved to sim-core (the workbench uses it too); re-exported so server imports keep working. */
export { cityWithDevices } from '../../sim-core/cim/device-features.ts';
