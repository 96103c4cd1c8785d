/**
 * Tile content as glTF 2.0 binary (glb), written with glTF-Transform: one node, one mesh, one
 * primitive (POSITION, NORMAL, `_FEATURE_ID_0`, indices), one matte material; per-building metadata
 * through EXT_mesh_features (feature id per vertex → property table row) and EXT_structural_metadata
 * (the property table, see metadata.ts). Optional compression: positions quantized to 16-bit
 * integers with a uniform step (KHR_mesh_quantization; step = the content's largest extent / 65535,
 * so at most half a step of error: under 1.5 cm for a 2 km tile), normals to 8-bit, vertices
 * reordered for the vertex cache, then EXT_meshopt_compression.
 *
 * Axes: 3D Tiles is z-up, glTF y-up; a client turns glTF content from y-up to z-up, so a tile-frame
 * (ENU) point (e, n, u) is written as glTF (e, u, −n). The node's translation carries the content's
 * centre (or the quantization origin), so vertex coordinates stay small.
 *
 * Alignment: EXT_structural_metadata asks for 8-byte padded GLB chunks, and the 3D Metadata binary
 * table format for buffer views aligned to their component size. glTF-Transform 4.5.1 appends the
 * property-table buffer views one after another without padding, so after writing, {@link
 * alignGlb} lays every buffer view of the binary chunk out again on 8-byte boundaries (updating the
 * offsets, also those inside EXT_meshopt_compression) and pads both chunks to 8 bytes.
 *
 * Pure: no Node APIs (glTF-Transform's WebIO writes without touching the network).
 */
import { Accessor, Document, WebIO, type Node as GltfNode } from '@gltf-transform/core';
import { EXTMeshFeatures, EXTMeshoptCompression, EXTStructuralMetadata, KHRMeshQuantization, type ClassPropertyType, type ClassPropertyComponentType } from '@gltf-transform/extensions';
import { MeshoptEncoder } from 'meshoptimizer';
import type { MeshArrays } from './mesh.ts';
import { BUILDING_CLASS, BUILDING_PROPERTIES, SCHEMA_ID, SCHEMA_VERSION, encodeBuildingRows, type BuildingRow } from './metadata.ts';

/** Content compression. */
export const COMPRESSIONS = ['none', 'meshopt'] as const;
export type Compression = (typeof COMPRESSIONS)[number];

export interface GlbOptions {
  compress: Compression;
  /** Double-sided material (LoD2 surfaces of unknown orientation). */
  doubleSided: boolean;
  /** `asset.generator`. */
  generator: string;
}

export interface EncodedContent {
  glb: Uint8Array;
  /** [minE, minN, minU, maxE, maxN, maxU]: bounds of the positions as written (after rounding), tile frame metres. */
  bounds: Float64Array;
  vertexCount: number;
  triangleCount: number;
}

const GLB_MAGIC = 0x46546c67;
const CHUNK_JSON = 0x4e4f534a;
const CHUNK_BIN = 0x004e4942;

/** Bytes of a glb file: the JSON and the binary chunk. */
export function parseGlb(glb: Uint8Array): { json: Record<string, any>; bin: Uint8Array | null } {
  const dv = new DataView(glb.buffer, glb.byteOffset, glb.byteLength);
  if (glb.byteLength < 20 || dv.getUint32(0, true) !== GLB_MAGIC) throw new Error('not a glb (bad magic)');
  if (dv.getUint32(4, true) !== 2) throw new Error(`glb version ${dv.getUint32(4, true)}, expected 2`);
  const length = dv.getUint32(8, true);
  if (length !== glb.byteLength) throw new Error(`glb header length ${length} ≠ file size ${glb.byteLength}`);
  let at = 12;
  let json: Record<string, any> | null = null;
  let bin: Uint8Array | null = null;
  while (at < length) {
    const chunkLength = dv.getUint32(at, true);
    const type = dv.getUint32(at + 4, true);
    const data = glb.subarray(at + 8, at + 8 + chunkLength);
    if (type === CHUNK_JSON) json = JSON.parse(new TextDecoder().decode(data));
    else if (type === CHUNK_BIN) bin = data;
    at += 8 + chunkLength;
  }
  if (!json) throw new Error('glb has no JSON chunk');
  return { json, bin };
}

/** Packs a glb from JSON and a binary chunk, both padded to 8 bytes (JSON with spaces, binary with zeros). */
export function packGlb(json: object, bin: Uint8Array | null): Uint8Array {
  const jsonBytes = new TextEncoder().encode(JSON.stringify(json));
  const jsonLen = Math.ceil(jsonBytes.length / 8) * 8;
  const binLen = bin ? Math.ceil(bin.length / 8) * 8 : 0;
  const total = 12 + 8 + jsonLen + (bin ? 8 + binLen : 0);
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, GLB_MAGIC, true);
  dv.setUint32(4, 2, true);
  dv.setUint32(8, total, true);
  dv.setUint32(12, jsonLen, true);
  dv.setUint32(16, CHUNK_JSON, true);
  out.set(jsonBytes, 20);
  out.fill(0x20, 20 + jsonBytes.length, 20 + jsonLen);
  if (bin) {
    const at = 20 + jsonLen;
    dv.setUint32(at, binLen, true);
    dv.setUint32(at + 4, CHUNK_BIN, true);
    out.set(bin, at + 8);
  }
  return out;
}

/**
 * Lays out every region of the GLB binary buffer (buffer 0) on 8-byte boundaries and pads both
 * chunks to 8 bytes; see the module doc. Regions are buffer views of buffer 0 and the compressed
 * ranges that EXT_meshopt_compression buffer views point to in buffer 0.
 */
export function alignGlb(glb: Uint8Array): Uint8Array {
  const { json, bin } = parseGlb(glb);
  if (!bin) return packGlb(json, null);
  const regions: { offset: number; length: number; set: (o: number) => void }[] = [];
  for (const bv of (json.bufferViews ?? []) as Record<string, any>[]) {
    if (bv.buffer === 0) regions.push({ offset: bv.byteOffset ?? 0, length: bv.byteLength, set: (o) => (bv.byteOffset = o) });
    const m = bv.extensions?.EXT_meshopt_compression;
    if (m && m.buffer === 0) regions.push({ offset: m.byteOffset ?? 0, length: m.byteLength, set: (o) => (m.byteOffset = o) });
  }
  // regions starting at the same offset (views sharing data) move together, as long as the longest
  const longest = new Map<number, number>();
  for (const r of regions) longest.set(r.offset, Math.max(longest.get(r.offset) ?? 0, r.length));
  let size = 0;
  const newOffset = new Map<number, number>();
  for (const offset of [...longest.keys()].sort((a, b) => a - b)) {
    size = Math.ceil(size / 8) * 8;
    newOffset.set(offset, size);
    size += longest.get(offset) as number;
  }
  const out = new Uint8Array(Math.ceil(size / 8) * 8);
  for (const r of regions) {
    const o = newOffset.get(r.offset) as number;
    out.set(bin.subarray(r.offset, r.offset + r.length), o);
    r.set(o);
  }
  // the buffer includes the trailing padding, so that the BIN chunk is exactly the buffer
  json.buffers[0].byteLength = out.length;
  return packGlb(json, out);
}

let ioPromise: Promise<WebIO> | null = null;
function io(): Promise<WebIO> {
  ioPromise ??= MeshoptEncoder.ready.then(() =>
    new WebIO().registerExtensions([EXTMeshFeatures, EXTStructuralMetadata, EXTMeshoptCompression, KHRMeshQuantization]).registerDependencies({ 'meshopt.encoder': MeshoptEncoder }),
  );
  return ioPromise;
}

/** Reorders vertices for the vertex cache (meshoptimizer), permuting every per-vertex array. */
function reorder(mesh: MeshArrays): MeshArrays {
  const indices = mesh.indices.slice();
  const [remap, unique] = MeshoptEncoder.reorderMesh(indices, true, true);
  const positionsM = new Float64Array(3 * unique);
  const normals = new Float32Array(3 * unique);
  const featureIds = new Uint32Array(unique);
  for (let v = 0; v < mesh.vertexCount; v++) {
    const w = remap[v];
    if (w === 0xffffffff) continue;
    for (let k = 0; k < 3; k++) {
      positionsM[3 * w + k] = mesh.positionsM[3 * v + k];
      normals[3 * w + k] = mesh.normals[3 * v + k];
    }
    featureIds[w] = mesh.featureIds[v];
  }
  return { positionsM, normals, featureIds, indices, vertexCount: unique, bounds: mesh.bounds };
}

/** Encodes one tile's mesh and building rows (row k ↔ feature id k) as a glb. */
export async function encodeContent(meshIn: MeshArrays, rows: readonly BuildingRow[], options: GlbOptions): Promise<EncodedContent> {
  const quantize = options.compress === 'meshopt';
  const writer = await io();
  const mesh = quantize ? reorder(meshIn) : meshIn;
  const n = mesh.vertexCount;
  const doc = new Document();
  doc.getRoot().getAsset().generator = options.generator;
  const buffer = doc.createBuffer();
  const bounds = new Float64Array([Infinity, Infinity, Infinity, -Infinity, -Infinity, -Infinity]);
  const grow = (e: number, nn: number, u: number) => {
    if (e < bounds[0]) bounds[0] = e;
    if (nn < bounds[1]) bounds[1] = nn;
    if (u < bounds[2]) bounds[2] = u;
    if (e > bounds[3]) bounds[3] = e;
    if (nn > bounds[4]) bounds[4] = nn;
    if (u > bounds[5]) bounds[5] = u;
  };
  // glTF coordinates (e, u, −n) of the content's bounds
  const b = mesh.bounds;
  const gMin = [b[0], b[2], -b[4]];
  const gMax = [b[3], b[5], -b[1]];
  const p = mesh.positionsM;
  const node: GltfNode = doc.createNode('buildings');
  let position: Accessor;
  let normal: Accessor;
  if (quantize) {
    const extent = Math.max(gMax[0] - gMin[0], gMax[1] - gMin[1], gMax[2] - gMin[2], 1e-3);
    const step = extent / 65535;
    const q = new Uint16Array(3 * n);
    for (let v = 0; v < n; v++) {
      const g = [p[3 * v], p[3 * v + 2], -p[3 * v + 1]];
      for (let k = 0; k < 3; k++) q[3 * v + k] = Math.min(65535, Math.max(0, Math.round((g[k] - gMin[k]) / step)));
      grow(gMin[0] + step * q[3 * v], -(gMin[2] + step * q[3 * v + 2]), gMin[1] + step * q[3 * v + 1]);
    }
    node.setTranslation([gMin[0], gMin[1], gMin[2]]).setScale([step, step, step]);
    position = doc.createAccessor('position').setType(Accessor.Type.VEC3).setArray(q).setBuffer(buffer);
    const nq = new Int8Array(3 * n);
    for (let v = 0; v < n; v++) {
      const g = [mesh.normals[3 * v], mesh.normals[3 * v + 2], -mesh.normals[3 * v + 1]];
      for (let k = 0; k < 3; k++) nq[3 * v + k] = Math.round(g[k] * 127);
    }
    normal = doc.createAccessor('normal').setType(Accessor.Type.VEC3).setArray(nq).setNormalized(true).setBuffer(buffer);
    doc.createExtension(KHRMeshQuantization).setRequired(true);
    doc.createExtension(EXTMeshoptCompression).setRequired(true).setEncoderOptions({ method: EXTMeshoptCompression.EncoderMethod.QUANTIZE });
  } else {
    const c = [(gMin[0] + gMax[0]) / 2, (gMin[1] + gMax[1]) / 2, (gMin[2] + gMax[2]) / 2];
    const f = new Float32Array(3 * n);
    for (let v = 0; v < n; v++) {
      const g = [p[3 * v], p[3 * v + 2], -p[3 * v + 1]];
      for (let k = 0; k < 3; k++) f[3 * v + k] = g[k] - c[k];
      grow(c[0] + f[3 * v], -(c[2] + f[3 * v + 2]), c[1] + f[3 * v + 1]);
    }
    node.setTranslation([c[0], c[1], c[2]]);
    position = doc.createAccessor('position').setType(Accessor.Type.VEC3).setArray(f).setBuffer(buffer);
    const nf = new Float32Array(3 * n);
    for (let v = 0; v < n; v++) {
      nf[3 * v] = mesh.normals[3 * v];
      nf[3 * v + 1] = mesh.normals[3 * v + 2];
      nf[3 * v + 2] = -mesh.normals[3 * v + 1];
    }
    normal = doc.createAccessor('normal').setType(Accessor.Type.VEC3).setArray(nf).setBuffer(buffer);
  }
  // Feature ids: UNSIGNED_SHORT while they fit, else FLOAT (exact below 2^24); glTF forbids UNSIGNED_INT attributes.
  const featureIds = rows.length <= 65535 ? Uint16Array.from(mesh.featureIds) : Float32Array.from(mesh.featureIds);
  const featureAccessor = doc.createAccessor('featureId').setType(Accessor.Type.SCALAR).setArray(featureIds).setBuffer(buffer);
  const indices = n <= 65535 ? Uint16Array.from(mesh.indices) : mesh.indices;
  const indexAccessor = doc.createAccessor('indices').setType(Accessor.Type.SCALAR).setArray(indices).setBuffer(buffer);
  const material = doc.createMaterial('building').setBaseColorFactor([1, 1, 1, 1]).setMetallicFactor(0).setRoughnessFactor(1).setDoubleSided(options.doubleSided);

  // EXT_structural_metadata: schema and one property table
  const meta = doc.createExtension(EXTStructuralMetadata);
  const schema = meta.createSchema().setId(SCHEMA_ID).setVersion(SCHEMA_VERSION);
  const cls = meta.createClass().setName('Building');
  for (const [key, def] of Object.entries(BUILDING_PROPERTIES)) {
    const prop = meta.createClassProperty().setType(def.type as ClassPropertyType).setDescription(def.description ?? '');
    if (def.componentType) prop.setComponentType(def.componentType as ClassPropertyComponentType);
    if (def.array) prop.setArray(true);
    if (def.required) prop.setRequired(true);
    if (def.noData !== undefined) prop.setNoData(def.noData);
    cls.setProperty(key, prop);
  }
  schema.setClass(BUILDING_CLASS, cls);
  const table = meta.createPropertyTable().setName('buildings').setClass(BUILDING_CLASS).setCount(rows.length);
  for (const [key, col] of Object.entries(encodeBuildingRows(rows))) {
    const prop = meta.createPropertyTableProperty().setValues(col.values);
    if (col.stringOffsets) prop.setStringOffsets(col.stringOffsets).setStringOffsetType('UINT32');
    if (col.arrayOffsets) prop.setArrayOffsets(col.arrayOffsets).setArrayOffsetType('UINT32');
    table.setProperty(key, prop);
  }
  doc.getRoot().setExtension('EXT_structural_metadata', meta.createStructuralMetadata().setSchema(schema).addPropertyTable(table));

  // EXT_mesh_features: feature id per vertex → the property table
  const features = doc.createExtension(EXTMeshFeatures);
  const featureId = features.createFeatureID().setFeatureCount(rows.length).setAttribute(0).setPropertyTable(table).setLabel('building');
  const prim = doc
    .createPrimitive()
    .setAttribute('POSITION', position)
    .setAttribute('NORMAL', normal)
    .setAttribute('_FEATURE_ID_0', featureAccessor)
    .setIndices(indexAccessor)
    .setMaterial(material)
    .setExtension('EXT_mesh_features', features.createFeatures().addFeatureID(featureId));
  node.setMesh(doc.createMesh('buildings').addPrimitive(prim));
  doc.getRoot().setDefaultScene(doc.createScene().addChild(node));
  const glb = alignGlb(await writer.writeBinary(doc));
  return { glb, bounds, vertexCount: n, triangleCount: mesh.indices.length / 3 };
}
