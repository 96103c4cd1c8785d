/**
 * City → 3D Tiles 1.1 tileset, in two pure steps so that an incremental build can skip unchanged
 * tiles before doing any mesh work:
 *
 * 1. {@link planTileset}: the quadtree (tree.ts), key-area membership and, per tile, a hash of
 *    everything its content is made from (builder version, options, origin, and each building's
 *    geometry and attributes in order). The content file name carries that hash.
 * 2. {@link encodeTile}: meshes (mesh.ts) and glb (glb.ts) for one tile; {@link tilesetJson} the
 *    tileset.json from the plan and the content bounds.
 *
 * The tileset: explicit tiling, refine ADD, the root `transform` = ENU at the city origin → ECEF,
 * axis-aligned boxes in that ENU frame (content boxes from the written vertices; a tile's box is the
 * union of its content's and its children's, so children always lie inside their parent), geometric
 * errors from tree.ts, and tileset metadata (class `city`: name, buildingCount, tileCount, synthetic)
 * that a viewer can read without loading any content. Files: `tileset.json`, `content/<level>-<x>-<y>-<hash>.glb`.
 */
import type { City } from '../sim-core/cim/types.ts';
import { LocalToEnu } from './ecef.ts';
import { encodeContent, type Compression, type EncodedContent } from './glb.ts';
import { Hasher } from './hash.ts';
import { MeshBuilder, type BuildingSurfaces } from './mesh.ts';
import { CITY_CLASS, CITY_PROPERTIES, buildingKeyAreas, buildingSizes, footprintCentroids, type BuildingRow } from './metadata.ts';
import { buildQuadtree, walkTree, type Quadtree, type TreeNode } from './tree.ts';

/** Bumped whenever the content a given input produces changes (invalidates incremental caches). */
export const TILES_BUILDER_VERSION = 'cimtwin-tiles/1';
/** Default most buildings per tile. */
export const DEFAULT_MAX_FEATURES = 1000;
/** Padding added around every bounding box, metres (clients test against boxes in float). */
export const BOX_PAD_M = 0.001;

/** What a tileset is made from. */
export interface TilesetSource {
  city: City;
  /** LoD2 boundary surfaces by building index (CityJSON); buildings without them become LoD1 prisms. */
  surfaces?: readonly (BuildingSurfaces | undefined)[];
}

export interface BuildOptions {
  /** Most buildings in one tile (default {@link DEFAULT_MAX_FEATURES}). */
  maxFeatures?: number;
  /** Content compression (default 'none'). */
  compress?: Compression;
}

/** One planned tile. */
export interface TilePlan {
  node: TreeNode;
  /** Hash of the tile's inputs (16 hex digits). */
  hash: string;
  /** Content URI relative to tileset.json. */
  uri: string;
}

export interface TilesetPlan {
  source: TilesetSource;
  options: Required<BuildOptions>;
  tree: Quadtree;
  /** Tiles, parents before children. */
  tiles: TilePlan[];
  keyAreaIds: string[][];
  /** Largest building size, metres (the tileset's geometric error). */
  maxSizeM: number;
  toEnu: LocalToEnu;
}

/** Checks and completes build options. */
export function resolveBuildOptions(options: BuildOptions = {}): Required<BuildOptions> {
  const maxFeatures = options.maxFeatures ?? DEFAULT_MAX_FEATURES;
  if (!Number.isInteger(maxFeatures) || maxFeatures < 1 || maxFeatures > 1_000_000) throw new RangeError(`maxFeatures must be an integer from 1 to 1000000, got ${maxFeatures}`);
  const compress = options.compress ?? 'none';
  if (compress !== 'none' && compress !== 'meshopt') throw new RangeError(`compress must be none or meshopt, got ${String(compress)}`);
  return { maxFeatures, compress };
}

function hashBuilding(h: Hasher, city: City, i: number, keyAreaIds: string[], surfaces: BuildingSurfaces | undefined): void {
  const b = city.buildings;
  h.string(b.ids[i]).string(b.names[i] ?? '').string(b.use[i]).number(b.baseM[i]).number(b.roofM[i]);
  h.number(keyAreaIds.length);
  for (const k of keyAreaIds) h.string(k);
  const r0 = b.ringStart[i], r1 = b.ringStart[i + 1];
  h.number(r1 - r0);
  for (let r = r0; r < r1; r++) h.number(b.vertexStart[r + 1] - b.vertexStart[r]);
  const v0 = b.vertexStart[r0], v1 = b.vertexStart[r1];
  h.bytes(new Uint8Array(b.xyM.buffer, b.xyM.byteOffset + 16 * v0, 16 * (v1 - v0)));
  if (surfaces) {
    h.string(surfaces.lod);
    h.bytes(new Uint8Array(surfaces.xyzM.buffer, surfaces.xyzM.byteOffset, surfaces.xyzM.byteLength));
    h.bytes(new Uint8Array(surfaces.polygonStart.buffer, surfaces.polygonStart.byteOffset, surfaces.polygonStart.byteLength));
    h.bytes(new Uint8Array(surfaces.ringStart.buffer, surfaces.ringStart.byteOffset, surfaces.ringStart.byteLength));
    h.bytes(surfaces.kind);
  } else h.string('lod1');
}

/** Plans the tileset: tree, membership, per-tile input hashes and content URIs. */
export function planTileset(source: TilesetSource, options: BuildOptions = {}): TilesetPlan {
  const opts = resolveBuildOptions(options);
  const { city } = source;
  if (source.surfaces && source.surfaces.length !== city.buildings.count) throw new RangeError(`surfaces has ${source.surfaces.length} entries for ${city.buildings.count} buildings`);
  const centroids = footprintCentroids(city);
  const sizes = buildingSizes(city);
  const keyAreaIds = buildingKeyAreas(city, centroids);
  const tree = buildQuadtree({ centroidsM: centroids, sizeM: sizes, ids: city.buildings.ids }, { maxFeatures: opts.maxFeatures });
  const tiles: TilePlan[] = [];
  const o = city.origin;
  walkTree(tree.root, (node) => {
    const h = new Hasher().string(TILES_BUILDER_VERSION).string(opts.compress).number(o.lonDeg).number(o.latDeg).number(o.heightM);
    h.number(node.buildings.length);
    for (const i of node.buildings) hashBuilding(h, city, i, keyAreaIds[i], source.surfaces?.[i]);
    const hash = h.digest();
    tiles.push({ node, hash, uri: `content/${node.key}-${hash}.glb` });
  });
  let maxSizeM = 0;
  for (let i = 0; i < sizes.length; i++) if (sizes[i] > maxSizeM) maxSizeM = sizes[i];
  return { source, options: opts, tree, tiles, keyAreaIds, maxSizeM, toEnu: new LocalToEnu(city.origin) };
}

/** A tile's encoded content with the ids of the buildings in it (row order). */
export interface TileContent extends EncodedContent {
  buildingIds: string[];
  /** Buildings of the tile whose geometry could not be triangulated (left out). */
  skippedIds: string[];
}

/** Meshes and encodes one planned tile. */
export async function encodeTile(plan: TilesetPlan, tile: TilePlan): Promise<TileContent> {
  const { city, surfaces } = plan.source;
  const b = city.buildings;
  const mesh = new MeshBuilder(plan.toEnu);
  const rows: BuildingRow[] = [];
  const skippedIds: string[] = [];
  let doubleSided = false;
  for (const i of tile.node.buildings) {
    const s = surfaces?.[i];
    const feature = rows.length;
    const ok = s ? mesh.addSurfaces(s, feature) || mesh.addPrism(b, i, feature) : mesh.addPrism(b, i, feature);
    if (!ok) {
      skippedIds.push(b.ids[i]);
      continue;
    }
    if (s) doubleSided = true;
    const keyAreaIds = plan.keyAreaIds[i];
    rows.push({ id: b.ids[i], name: b.names[i] ?? '', use: b.use[i], baseM: b.baseM[i], roofM: b.roofM[i], lod: s ? Math.max(1, Math.floor(Number(s.lod)) || 2) : 1, keyAreaIds, inKeyArea: keyAreaIds.length > 0 });
  }
  if (rows.length === 0) throw new Error(`tile ${tile.node.key}: none of its ${tile.node.buildings.length} buildings could be triangulated`);
  const encoded = await encodeContent(mesh.finish(), rows, { compress: plan.options.compress, doubleSided, generator: TILES_BUILDER_VERSION });
  return { ...encoded, buildingIds: rows.map((r) => r.id), skippedIds };
}

/** An axis-aligned box [minX, minY, minZ, maxX, maxY, maxZ] as a 3D Tiles `box`, padded by {@link BOX_PAD_M}. */
export function boxOf(bounds: ArrayLike<number>): number[] {
  const c = [(bounds[0] + bounds[3]) / 2, (bounds[1] + bounds[4]) / 2, (bounds[2] + bounds[5]) / 2];
  const h = [(bounds[3] - bounds[0]) / 2 + BOX_PAD_M, (bounds[4] - bounds[1]) / 2 + BOX_PAD_M, (bounds[5] - bounds[2]) / 2 + BOX_PAD_M];
  return [c[0], c[1], c[2], h[0], 0, 0, 0, h[1], 0, 0, 0, h[2]];
}

/** 3D Tiles 1.1 tileset JSON (the subset written here). */
export interface TilesetJson {
  asset: { version: '1.1'; generator: string };
  schema: { id: string; classes: Record<string, { name?: string; properties: Record<string, unknown> }> };
  metadata: { class: string; properties: Record<string, unknown> };
  geometricError: number;
  root: TileJson;
}

export interface TileJson {
  transform?: number[];
  boundingVolume: { box: number[] };
  geometricError: number;
  refine?: 'ADD' | 'REPLACE';
  content?: { uri: string; boundingVolume: { box: number[] } };
  children?: TileJson[];
}

/**
 * The tileset JSON for a plan, given each tile's content bounds (ENU, by tile key) and the number of
 * buildings actually written.
 */
export function tilesetJson(plan: TilesetPlan, contentBounds: Map<string, ArrayLike<number>>, buildingCount: number): TilesetJson {
  const byKey = new Map(plan.tiles.map((t) => [t.node.key, t]));
  const tile = (node: TreeNode): { json: TileJson; bounds: number[] } => {
    const own = contentBounds.get(node.key);
    if (!own) throw new Error(`no content bounds for tile ${node.key}`);
    const bounds = Array.from(own);
    const children = node.children.map(tile);
    for (const c of children) {
      for (let k = 0; k < 3; k++) bounds[k] = Math.min(bounds[k], c.bounds[k]);
      for (let k = 3; k < 6; k++) bounds[k] = Math.max(bounds[k], c.bounds[k]);
    }
    const json: TileJson = {
      boundingVolume: { box: boxOf(bounds) },
      geometricError: node.geometricErrorM,
      content: { uri: (byKey.get(node.key) as TilePlan).uri, boundingVolume: { box: boxOf(own) } },
    };
    if (children.length) json.children = children.map((c) => c.json);
    return { json, bounds };
  };
  const root = tile(plan.tree.root).json;
  const { city } = plan.source;
  return {
    asset: { version: '1.1', generator: TILES_BUILDER_VERSION },
    schema: { id: 'cimtwin_city', classes: { [CITY_CLASS]: { name: 'City', properties: CITY_PROPERTIES } } },
    metadata: { class: CITY_CLASS, properties: { name: city.meta.name, buildingCount, tileCount: plan.tiles.length, synthetic: city.meta.synthetic } },
    geometricError: Math.max(plan.maxSizeM, root.geometricError),
    root: { transform: plan.toEnu.transform(), ...root, refine: 'ADD' },
  };
}
