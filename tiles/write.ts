/**
 * Writing a tileset folder (Node): `tileset.json`, `content/*.glb` and the manifest
 * `cimtwin-tiles.json` (per tile: key, input hash, content file, size, bounds, building ids).
 *
 * Incremental: a tile whose key and input hash match the manifest, and whose file is still there
 * with the recorded size, is reused untouched (same file, same mtime); only tiles whose buildings
 * changed are meshed and written. Content file names carry the input hash, so a changed tile gets a
 * new file and never overwrites one the current tileset.json points to.
 *
 * Never half-written: every file is written to a temporary name and renamed. New content files
 * first, then the manifest, then tileset.json (the commit point: until it is renamed, readers see
 * the old tileset, whose files are all still there), and only then are content files that nothing
 * refers to any more deleted. A build that fails part-way leaves the previous tileset intact.
 * One build at a time per folder (the caller's job; the server serialises its own).
 */
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { encodeTile, planTileset, tilesetJson, TILES_BUILDER_VERSION, type BuildOptions, type TilesetPlan, type TilesetSource } from './build.ts';

export const MANIFEST_FILE = 'cimtwin-tiles.json';
export const TILESET_FILE = 'tileset.json';
export const CONTENT_DIR = 'content';

export interface ManifestTile {
  key: string;
  hash: string;
  uri: string;
  bytes: number;
  /** Content bounds [minX, minY, minZ, maxX, maxY, maxZ], ENU metres. */
  bounds: number[];
  vertexCount: number;
  triangleCount: number;
  buildingIds: string[];
  skippedIds: string[];
}

export interface Manifest {
  format: 'cimtwin-tiles-manifest';
  builder: string;
  tiles: ManifestTile[];
}

export interface WriteProgress {
  phase: 'plan' | 'tiles' | 'commit';
  done: number;
  total: number;
  reused: number;
}

export interface WriteOptions extends BuildOptions {
  /** Reuse unchanged tiles of an existing manifest (default true; false rebuilds every tile). */
  incremental?: boolean;
  /** Called after planning, after every tile, and at the commit. */
  onProgress?: (p: WriteProgress) => void;
  /** Checked before every tile and before the commit: once aborted, the build throws its reason and the previous tileset stays as it was. */
  signal?: AbortSignal;
}

export interface WriteResult {
  dir: string;
  tiles: number;
  /** Tiles meshed and written by this build. */
  written: number;
  /** Tiles kept from the previous build. */
  reused: number;
  /** Content files deleted because nothing refers to them any more. */
  removed: number;
  /** Bytes of tileset.json plus every content file. */
  bytes: number;
  contentBytes: number;
  /** Deepest tile level (root 0). */
  depth: number;
  buildings: number;
  skippedIds: string[];
  vertices: number;
  triangles: number;
  tilesetJsonBytes: number;
  planMs: number;
  totalMs: number;
}

/** Writes `data` to `path` via a temporary file in the same folder, fsync and rename. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let fd: number | null = null;
  try {
    fd = openSync(tmp, 'wx');
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    renameSync(tmp, path);
  } catch (e) {
    if (fd !== null) closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      // never created, or already gone
    }
    throw e;
  }
}

/** The manifest of a tileset folder, or null when there is none or it is not ours/readable. */
export function readManifest(dir: string): Manifest | null {
  const path = join(dir, MANIFEST_FILE);
  if (!existsSync(path)) return null;
  try {
    const m = JSON.parse(readFileSync(path, 'utf8')) as Manifest;
    if (m?.format !== 'cimtwin-tiles-manifest' || !Array.isArray(m.tiles)) return null;
    return m;
  } catch {
    return null;
  }
}

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Builds (or incrementally updates) the tileset in `dir`; see the module doc. */
export async function writeTileset(dir: string, source: TilesetSource, options: WriteOptions = {}): Promise<WriteResult> {
  const t0 = performance.now();
  const progress = options.onProgress ?? (() => {});
  mkdirSync(join(dir, CONTENT_DIR), { recursive: true });
  const plan: TilesetPlan = planTileset(source, options);
  const planMs = performance.now() - t0;
  const previous = options.incremental === false ? null : readManifest(dir);
  const old = new Map((previous?.builder === TILES_BUILDER_VERSION ? previous.tiles : []).map((t) => [t.key, t]));
  const total = plan.tiles.length;
  progress({ phase: 'plan', done: 0, total, reused: 0 });

  const entries: ManifestTile[] = [];
  let written = 0, reused = 0;
  for (const tile of plan.tiles) {
    options.signal?.throwIfAborted();
    const prev = old.get(tile.node.key);
    const file = join(dir, tile.uri);
    if (prev && prev.hash === tile.hash && prev.uri === tile.uri && existsSync(file) && statSync(file).size === prev.bytes) {
      entries.push(prev);
      reused++;
    } else {
      const content = await encodeTile(plan, tile);
      writeFileAtomic(file, content.glb);
      entries.push({
        key: tile.node.key,
        hash: tile.hash,
        uri: tile.uri,
        bytes: content.glb.byteLength,
        bounds: Array.from(content.bounds),
        vertexCount: content.vertexCount,
        triangleCount: content.triangleCount,
        buildingIds: content.buildingIds,
        skippedIds: content.skippedIds,
      });
      written++;
    }
    progress({ phase: 'tiles', done: entries.length, total, reused });
    await yieldToLoop(); // keep a server that builds in-process responsive
  }

  options.signal?.throwIfAborted();
  progress({ phase: 'commit', done: total, total, reused });
  const buildings = entries.reduce((n, e) => n + e.buildingIds.length, 0);
  const json = JSON.stringify(tilesetJson(plan, new Map(entries.map((e) => [e.key, e.bounds])), buildings));
  const manifest: Manifest = { format: 'cimtwin-tiles-manifest', builder: TILES_BUILDER_VERSION, tiles: entries };
  writeFileAtomic(join(dir, MANIFEST_FILE), JSON.stringify(manifest));
  writeFileAtomic(join(dir, TILESET_FILE), json);

  // only now: remove content nothing refers to (and temporary files of builds that died)
  const keep = new Set(entries.map((e) => basename(e.uri)));
  let removed = 0;
  for (const f of readdirSync(join(dir, CONTENT_DIR))) {
    if (keep.has(f) || !(f.endsWith('.glb') || f.endsWith('.tmp'))) continue;
    unlinkSync(join(dir, CONTENT_DIR, f));
    removed++;
  }
  const contentBytes = entries.reduce((n, e) => n + e.bytes, 0);
  const tilesetJsonBytes = Buffer.byteLength(json);
  return {
    dir,
    tiles: total,
    written,
    reused,
    removed,
    bytes: contentBytes + tilesetJsonBytes,
    contentBytes,
    depth: plan.tree.depth,
    buildings,
    skippedIds: entries.flatMap((e) => e.skippedIds),
    vertices: entries.reduce((n, e) => n + e.vertexCount, 0),
    triangles: entries.reduce((n, e) => n + e.triangleCount, 0),
    tilesetJsonBytes,
    planMs,
    totalMs: performance.now() - t0,
  };
}
