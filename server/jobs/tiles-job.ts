/**
 * The `tiles` job kind: a city's 3D Tiles 1.1 tileset (tiles/write.ts) built incrementally into a
 * folder of the server's job tiles folder, named from the city id by {@link tilesetNameOf} (never a
 * path from the client), and served by the app's `/tiles/<name>/` routes (server/app.ts).
 */
import { createHash } from 'node:crypto';
import type { City } from '../../sim-core/cim/types.ts';
import type { Compression } from '../../tiles/glb.ts';
import { writeTileset } from '../../tiles/write.ts';

export interface TilesParams {
  /** Content compression (default 'none'). */
  compress?: Compression;
  /** Most buildings in one tile (default 1000). */
  maxFeatures?: number;
}

/** Where a job writes its files and the URL they are served at. */
export interface JobOutput {
  dir: string;
  url: string;
}

/** Tiles job result. */
export interface TilesResult {
  /** `/tiles/<name>/tileset.json`. */
  tilesetUrl: string;
  tiles: number;
  /** tileset.json plus every content file. */
  bytes: number;
  /** Deepest tile level (root 0). */
  depth: number;
  buildings: number;
  /** Tiles meshed by this build / kept from the previous build of the same city. */
  written: number;
  reused: number;
}

/** Names of job-built tilesets: `c-<city id, unsafe characters replaced>-<10 hex of its SHA-1>`. */
export const JOB_TILESET_NAME = /^c-[\w-]{1,40}-[0-9a-f]{10}$/;

/** The tileset name of a city (stable, URL- and file-name-safe, distinct for distinct ids). */
export function tilesetNameOf(cityId: string): string {
  const slug = cityId.replace(/[^\w-]/g, '_').slice(0, 40) || '_';
  return `c-${slug}-${createHash('sha1').update(cityId).digest('hex').slice(0, 10)}`;
}

/** Runs the tiles kind: builds (incrementally) into `output.dir`; stops between tiles once `signal` aborts. */
export async function runTiles(city: City, p: TilesParams, output: JobOutput, progress: (done: number, total: number, phase: string) => void, signal?: AbortSignal): Promise<TilesResult> {
  const r = await writeTileset(output.dir, { city }, { compress: p.compress, maxFeatures: p.maxFeatures, signal, onProgress: (w) => progress(w.done, w.total, w.phase) });
  return { tilesetUrl: output.url, tiles: r.tiles, bytes: r.bytes, depth: r.depth, buildings: r.buildings, written: r.written, reused: r.reused };
}
