/**
 * Checks a tileset folder written by cim-twin (Node).
 *
 * The official 3D Tiles validator (npm `3d-tiles-validator`) is not in the npm registry this
 * project installs from, so it cannot be run here. This module checks what it would check for the
 * kind of tileset we write, and says so in its report:
 *
 * - tileset.json: `asset.version` "1.1"; non-negative geometric errors that never grow from a
 *   tile to its children, the root's at most the tileset's; `refine` at the root; a valid
 *   `transform` (16 numbers, affine); bounding volumes that are boxes of 12 finite numbers; every
 *   content bounding volume inside its tile's, every child's inside its parent's; content URIs that
 *   exist; the tileset `schema` and `metadata` consistent (class exists, required properties
 *   present, values of the declared types).
 * - every content glb: the Khronos glTF Validator (npm `gltf-validator`) reports no errors; GLB
 *   chunks padded to 8 bytes and property-table buffer views aligned (EXT_structural_metadata);
 *   EXT_mesh_features feature ids all below `featureCount`, which equals the property table's
 *   count; every property table column decodes (offsets in range and non-decreasing, valid UTF-8,
 *   zero padding bits) with the required columns present; every vertex inside the content's and
 *   the tile's bounding volume.
 * - the tileset as a whole: building ids unique across tiles, and their number equal to the
 *   tileset metadata's `buildingCount`.
 */
import validator from 'gltf-validator';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TileJson, TilesetJson } from './build.ts';
import { parseGlb } from './glb.ts';
import { CITY_PROPERTIES, type ClassPropertyDef } from './metadata.ts';
import { readContent } from './read.ts';
import { TILESET_FILE } from './write.ts';

export interface ValidationReport {
  ok: boolean;
  errors: string[];
  warnings: string[];
  /** What was checked, and by what. */
  notes: string[];
  stats: { tiles: number; contents: number; buildings: number; vertices: number; gltfValidatorInfos: number; maxDepth: number };
}

/** Is point p inside the 3D Tiles `box` (centre + three half-axis vectors), with tolerance `eps` metres? */
export function pointInBox(box: ArrayLike<number>, x: number, y: number, z: number, eps = 1e-6): boolean {
  const dx = x - box[0], dy = y - box[1], dz = z - box[2];
  for (let k = 0; k < 3; k++) {
    const ax = box[3 + 3 * k], ay = box[4 + 3 * k], az = box[5 + 3 * k];
    const len2 = ax * ax + ay * ay + az * az;
    const len = Math.sqrt(len2);
    if (len === 0) continue; // a flat box: no extent along this axis to test
    if (Math.abs(dx * ax + dy * ay + dz * az) / len > len + eps) return false;
  }
  return true;
}

/** The 8 corners of a box. */
export function boxCorners(box: ArrayLike<number>): number[][] {
  const out: number[][] = [];
  for (let s = 0; s < 8; s++) {
    const f = [s & 1 ? 1 : -1, s & 2 ? 1 : -1, s & 4 ? 1 : -1];
    out.push([0, 1, 2].map((c) => box[c] + f[0] * box[3 + c] + f[1] * box[6 + c] + f[2] * box[9 + c]));
  }
  return out;
}

const boxInBox = (inner: ArrayLike<number>, outer: ArrayLike<number>, eps: number) => boxCorners(inner).every((p) => pointInBox(outer, p[0], p[1], p[2], eps));

function checkValue(def: ClassPropertyDef, v: unknown): boolean {
  if (def.type === 'STRING') return typeof v === 'string';
  if (def.type === 'BOOLEAN') return typeof v === 'boolean';
  if (typeof v !== 'number' || !Number.isFinite(v)) return false;
  if (def.componentType?.startsWith('UINT')) return Number.isInteger(v) && v >= 0;
  return true;
}

/** Validates the tileset in `dir`; see the module doc. `gltfValidator: false` skips the Khronos validator (faster). */
export async function validateTileset(dir: string, options: { gltfValidator?: boolean } = {}): Promise<ValidationReport> {
  const errors: string[] = [];
  const warnings: string[] = [];
  const notes = [
    'The official 3D Tiles validator (npm 3d-tiles-validator) is not available from this npm registry; the checks below are cim-twin\'s own (tiles/validate.ts) plus the Khronos glTF Validator on every content glb.',
  ];
  const stats = { tiles: 0, contents: 0, buildings: 0, vertices: 0, gltfValidatorInfos: 0, maxDepth: 0 };
  const report = () => ({ ok: errors.length === 0, errors, warnings, notes, stats });
  let ts: TilesetJson;
  try {
    ts = JSON.parse(readFileSync(join(dir, TILESET_FILE), 'utf8')) as TilesetJson;
  } catch (e) {
    errors.push(`${TILESET_FILE}: cannot be read as JSON (${(e as Error).message})`);
    return report();
  }
  if (ts.asset?.version !== '1.1') errors.push(`asset.version is ${JSON.stringify(ts.asset?.version)}, expected "1.1"`);
  if (!(typeof ts.geometricError === 'number' && ts.geometricError >= 0)) errors.push('tileset geometricError must be a number ≥ 0');
  if (!ts.root) {
    errors.push('no root tile');
    return report();
  }
  if (ts.root.refine !== 'ADD' && ts.root.refine !== 'REPLACE') errors.push('root.refine must be ADD or REPLACE');
  if (ts.root.geometricError > ts.geometricError) errors.push(`root geometricError ${ts.root.geometricError} exceeds the tileset's ${ts.geometricError}`);
  const t = ts.root.transform;
  if (t !== undefined && (!Array.isArray(t) || t.length !== 16 || !t.every(Number.isFinite) || t[3] !== 0 || t[7] !== 0 || t[11] !== 0 || t[15] !== 1)) errors.push('root.transform must be 16 finite numbers of an affine matrix (column-major)');

  // tileset metadata
  const cls = ts.metadata && ts.schema?.classes?.[ts.metadata.class];
  if (!cls) errors.push(`metadata.class ${JSON.stringify(ts.metadata?.class)} is not a class of the tileset schema`);
  else {
    for (const [key, def] of Object.entries(cls.properties as Record<string, ClassPropertyDef>)) {
      const v = ts.metadata.properties?.[key];
      if (v === undefined) {
        if (def.required) errors.push(`tileset metadata lacks required property '${key}'`);
      } else if (!checkValue(def, v)) errors.push(`tileset metadata property '${key}' = ${JSON.stringify(v)} is not a ${def.componentType ?? def.type}`);
    }
    for (const key of Object.keys(ts.metadata.properties ?? {})) if (!(key in cls.properties)) errors.push(`tileset metadata property '${key}' is not in class '${ts.metadata.class}'`);
  }

  const seen = new Map<string, string>();
  const tasks: { tile: TileJson; path: string }[] = [];
  const walk = (tile: TileJson, path: string, parent: TileJson | null, depth: number) => {
    stats.tiles++;
    stats.maxDepth = Math.max(stats.maxDepth, depth);
    const box = tile.boundingVolume?.box;
    if (!Array.isArray(box) || box.length !== 12 || !box.every(Number.isFinite)) {
      errors.push(`${path}: boundingVolume must be a box of 12 finite numbers`);
      return;
    }
    if (!(typeof tile.geometricError === 'number' && tile.geometricError >= 0)) errors.push(`${path}: geometricError must be a number ≥ 0`);
    if (parent && tile.geometricError > parent.geometricError) errors.push(`${path}: geometricError ${tile.geometricError} exceeds its parent's ${parent.geometricError}`);
    if (parent && tile.transform) warnings.push(`${path}: has its own transform; bounding volumes below it are not checked against vertices`);
    if (parent && !boxInBox(box, parent.boundingVolume.box, 1e-3)) errors.push(`${path}: bounding volume is not inside its parent's`);
    if (tile.content) {
      const cb = tile.content.boundingVolume?.box;
      if (cb && (cb.length !== 12 || !boxInBox(cb, box, 1e-3))) errors.push(`${path}: content bounding volume is not inside the tile's`);
      if (!tile.content.uri || !existsSync(join(dir, tile.content.uri))) errors.push(`${path}: content ${tile.content.uri} does not exist`);
      else tasks.push({ tile, path });
    }
    (tile.children ?? []).forEach((c, k) => walk(c, `${path}.children[${k}]`, tile, depth + 1));
  };
  walk(ts.root, 'root', null, 0);

  for (const { tile, path } of tasks) {
    const uri = (tile.content as NonNullable<TileJson['content']>).uri;
    const where = `${path} (${uri})`;
    const glb = new Uint8Array(readFileSync(join(dir, uri)));
    stats.contents++;
    if (options.gltfValidator !== false) {
      const r = await validator.validateBytes(glb, { uri, maxIssues: 100 });
      stats.gltfValidatorInfos += r.issues.numInfos;
      for (const m of r.issues.messages) {
        if (m.severity === 0) errors.push(`${where}: glTF Validator ${m.code} at ${m.pointer}: ${m.message}`);
        else if (m.severity === 1) warnings.push(`${where}: glTF Validator ${m.code} at ${m.pointer}: ${m.message}`);
      }
    }
    // raw layout: 8-byte chunks and aligned property-table views
    try {
      const dv = new DataView(glb.buffer, glb.byteOffset, glb.byteLength);
      const jsonLen = dv.getUint32(12, true);
      if (jsonLen % 8) errors.push(`${where}: GLB JSON chunk length ${jsonLen} is not a multiple of 8 (EXT_structural_metadata)`);
      if (glb.byteLength > 20 + jsonLen && dv.getUint32(20 + jsonLen, true) % 8) errors.push(`${where}: GLB BIN chunk length is not a multiple of 8 (EXT_structural_metadata)`);
      const { json } = parseGlb(glb);
      for (const used of ['EXT_mesh_features', 'EXT_structural_metadata']) if (!json.extensionsUsed?.includes(used)) errors.push(`${where}: extensionsUsed lacks ${used}`);
      for (const table of json.extensions?.EXT_structural_metadata?.propertyTables ?? []) {
        for (const [key, col] of Object.entries(table.properties ?? {}) as [string, Record<string, number>][]) {
          for (const k of ['values', 'stringOffsets', 'arrayOffsets']) {
            if (col[k] === undefined) continue;
            const bv = json.bufferViews?.[col[k]];
            if (!bv) errors.push(`${where}: column '${key}' ${k} points to a missing buffer view ${col[k]}`);
            else if ((bv.byteOffset ?? 0) % 8) errors.push(`${where}: column '${key}' ${k} buffer view starts at ${bv.byteOffset}, not 8-byte aligned`);
          }
        }
      }
    } catch (e) {
      errors.push(`${where}: ${(e as Error).message}`);
      continue;
    }
    let content;
    try {
      content = await readContent(glb);
    } catch (e) {
      errors.push(`${where}: ${(e as Error).message}`);
      continue;
    }
    const { positionsM: p, featureIds, featureCount, rows } = content;
    stats.vertices += p.length / 3;
    const cb = tile.content?.boundingVolume?.box ?? tile.boundingVolume.box;
    let outside = 0;
    for (let v = 0; v < p.length; v += 3) {
      if (!pointInBox(cb, p[v], p[v + 1], p[v + 2], 1e-4) || !pointInBox(tile.boundingVolume.box, p[v], p[v + 1], p[v + 2], 1e-4)) outside++;
    }
    if (outside) errors.push(`${where}: ${outside} of ${p.length / 3} vertices lie outside the bounding volume`);
    let badId = 0;
    const used = new Uint8Array(featureCount);
    for (const f of featureIds) {
      if (f >= featureCount) badId++;
      else used[f] = 1;
    }
    if (badId) errors.push(`${where}: ${badId} feature ids are ≥ featureCount ${featureCount}`);
    const unused = used.reduce((n, u) => n + (u ? 0 : 1), 0);
    if (unused) warnings.push(`${where}: ${unused} property table rows have no vertices`);
    rows.forEach((r, k) => {
      const first = seen.get(r.id);
      if (first) errors.push(`${where}: building '${r.id}' (row ${k}) is also in ${first}`);
      else seen.set(r.id, uri);
    });
    stats.buildings += rows.length;
  }
  const count = ts.metadata?.properties?.buildingCount;
  if (CITY_PROPERTIES.buildingCount && typeof count === 'number' && count !== stats.buildings) errors.push(`tileset metadata buildingCount ${count} ≠ ${stats.buildings} buildings in the content`);
  return report();
}
