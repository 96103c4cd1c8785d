/**
 * Per-building metadata of the tiles (EXT_structural_metadata property tables, one row per
 * building, addressed by the EXT_mesh_features feature id of its vertices) and the tileset's own
 * metadata (3D Tiles 1.1 `schema` + `metadata`). Encoding and decoding of the binary table format
 * of the 3D Metadata Specification: numbers little-endian and tightly packed, booleans as a
 * bitstream, strings as UTF-8 with UINT32 string offsets, variable-length string arrays with UINT32
 * array offsets that index the string offsets.
 *
 * Key-area membership: a building belongs to a key public area (重点公共区域) when the area-weighted
 * centroid of its footprint lies inside the area's polygon.
 */
import Flatbush from 'flatbush';
import { pointInTablePolygon, tablePolygonBBox } from '../sim-core/geom/polygon.ts';
import type { City } from '../sim-core/cim/types.ts';

/** Id of the metadata schema written into every content glb. */
export const SCHEMA_ID = 'cimtwin_buildings';
/** Version of that schema. */
export const SCHEMA_VERSION = '1.0.0';
/** The class of building rows. */
export const BUILDING_CLASS = 'building';
/** The class of the tileset's own metadata. */
export const CITY_CLASS = 'city';

export type ComponentType = 'UINT8' | 'UINT16' | 'UINT32' | 'FLOAT32';

/** A class property as in the 3D Metadata schema JSON (the subset used here). */
export interface ClassPropertyDef {
  name?: string;
  description?: string;
  type: 'SCALAR' | 'STRING' | 'BOOLEAN';
  componentType?: ComponentType;
  array?: boolean;
  required?: boolean;
  noData?: string | number;
}

/** Properties of the building class, in column order. */
export const BUILDING_PROPERTIES: Record<string, ClassPropertyDef> = {
  id: { description: 'Building id in the city model', type: 'STRING', required: true },
  name: { description: 'Name; empty when the building has none', type: 'STRING', noData: '' },
  use: { description: 'Use: residential, commercial, office, public, industrial, … or unknown', type: 'STRING', required: true },
  baseM: { description: 'Bottom of the building above the local ground, metres', type: 'SCALAR', componentType: 'FLOAT32', required: true },
  roofM: { description: 'Roof (top) above the local ground, metres: the building height for buildings on the ground', type: 'SCALAR', componentType: 'FLOAT32', required: true },
  lod: { description: 'Level of detail of the geometry: 1 (footprint prism) or 2 (boundary surfaces)', type: 'SCALAR', componentType: 'UINT8', required: true },
  keyAreaIds: { description: 'Ids of the key public areas (重点公共区域) whose polygon holds the footprint centroid', type: 'STRING', array: true, required: true },
  inKeyArea: { description: 'True when keyAreaIds is not empty', type: 'BOOLEAN', required: true },
};

/** One building row. */
export interface BuildingRow {
  id: string;
  name: string;
  use: string;
  baseM: number;
  roofM: number;
  lod: number;
  keyAreaIds: string[];
  inKeyArea: boolean;
}

/** The schema of the content glbs (EXT_structural_metadata `schema`). */
export function buildingSchemaJson() {
  return { id: SCHEMA_ID, version: SCHEMA_VERSION, classes: { [BUILDING_CLASS]: { name: 'Building', properties: BUILDING_PROPERTIES } } };
}

/** The tileset's metadata class (3D Tiles 1.1 tileset `schema`). */
export const CITY_PROPERTIES: Record<string, ClassPropertyDef> = {
  name: { description: 'City name', type: 'STRING', required: true },
  buildingCount: { description: 'Buildings in the tileset (each in exactly one tile)', type: 'SCALAR', componentType: 'UINT32', required: true },
  tileCount: { description: 'Tiles with content', type: 'SCALAR', componentType: 'UINT32', required: true },
  synthetic: { description: 'True when the city is generated, not surveyed', type: 'BOOLEAN', required: true },
};

/** One encoded column. */
export interface EncodedColumn {
  values: Uint8Array;
  stringOffsets?: Uint8Array;
  arrayOffsets?: Uint8Array;
}

const utf8 = new TextEncoder();

function encodeStrings(strings: readonly string[]): EncodedColumn {
  const parts = strings.map((s) => utf8.encode(s));
  const offsets = new Uint32Array(parts.length + 1);
  let total = 0;
  for (let i = 0; i < parts.length; i++) {
    offsets[i] = total;
    total += parts[i].length;
  }
  offsets[parts.length] = total;
  // A glTF buffer view holds at least one byte: all-empty strings get one unused padding byte.
  const values = new Uint8Array(Math.max(total, 1));
  let at = 0;
  for (const p of parts) {
    values.set(p, at);
    at += p.length;
  }
  return { values, stringOffsets: new Uint8Array(offsets.buffer) };
}

function encodeNumbers(componentType: ComponentType, numbers: readonly number[]): Uint8Array {
  const Arr = { UINT8: Uint8Array, UINT16: Uint16Array, UINT32: Uint32Array, FLOAT32: Float32Array }[componentType];
  const a = Arr.from(numbers);
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

function encodeBooleans(bools: readonly boolean[]): Uint8Array {
  const out = new Uint8Array(Math.ceil(bools.length / 8));
  bools.forEach((b, i) => {
    if (b) out[i >> 3] |= 1 << (i & 7);
  });
  return out;
}

/** Encodes one column from JS values according to its class property. */
export function encodeColumn(def: ClassPropertyDef, values: readonly unknown[]): EncodedColumn {
  if (def.type === 'STRING' && def.array) {
    const arrays = values as string[][];
    const flat: string[] = [];
    const arrayOffsets = new Uint32Array(arrays.length + 1);
    arrays.forEach((a, i) => {
      arrayOffsets[i] = flat.length;
      for (const s of a) flat.push(s);
    });
    arrayOffsets[arrays.length] = flat.length;
    return { ...encodeStrings(flat), arrayOffsets: new Uint8Array(arrayOffsets.buffer) };
  }
  if (def.array) throw new Error(`arrays of ${def.type} are not written`);
  if (def.type === 'STRING') return encodeStrings(values as string[]);
  if (def.type === 'BOOLEAN') return { values: encodeBooleans(values as boolean[]) };
  return { values: encodeNumbers(def.componentType as ComponentType, values as number[]) };
}

/** Encodes building rows into one column per property of {@link BUILDING_PROPERTIES}. */
export function encodeBuildingRows(rows: readonly BuildingRow[]): Record<string, EncodedColumn> {
  const out: Record<string, EncodedColumn> = {};
  for (const [key, def] of Object.entries(BUILDING_PROPERTIES)) out[key] = encodeColumn(def, rows.map((r) => r[key as keyof BuildingRow]));
  return out;
}

const COMPONENT_BYTES: Record<string, number> = { UINT8: 1, INT8: 1, UINT16: 2, INT16: 2, UINT32: 4, INT32: 4, FLOAT32: 4, UINT64: 8, INT64: 8, FLOAT64: 8 };

/** Reads offset `i` of an offsets buffer of the given type. */
function offsetAt(view: DataView, type: string, i: number): number {
  switch (type) {
    case 'UINT8':
      return view.getUint8(i);
    case 'UINT16':
      return view.getUint16(2 * i, true);
    case 'UINT32':
      return view.getUint32(4 * i, true);
    case 'UINT64':
      return Number(view.getBigUint64(8 * i, true));
    default:
      throw new Error(`unknown offset type ${type}`);
  }
}

/** A property table column as stored (EXT_structural_metadata `propertyTable.properties[key]`). */
export interface ColumnDef {
  values: number;
  stringOffsets?: number;
  arrayOffsets?: number;
  stringOffsetType?: string;
  arrayOffsetType?: string;
}

const utf8Strict = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes one column of `count` rows, checking the binary layout on the way: offsets within their
 * buffer views and non-decreasing, buffer views long enough, UTF-8 valid, unused boolean bits 0.
 * Throws an Error naming the property and the problem.
 */
export function decodeColumn(key: string, def: ClassPropertyDef, col: ColumnDef, count: number, bufferView: (index: number) => Uint8Array): unknown[] {
  const fail = (msg: string): never => {
    throw new Error(`property table column '${key}': ${msg}`);
  };
  const view = (i: number | undefined, what: string) => {
    if (typeof i !== 'number') return fail(`${what} buffer view is missing`);
    const b = bufferView(i);
    return { bytes: b, dv: new DataView(b.buffer, b.byteOffset, b.byteLength) };
  };
  const readOffsets = (i: number | undefined, type: string | undefined, n: number, what: string, limit: number) => {
    const t = type ?? 'UINT32';
    const size = COMPONENT_BYTES[t];
    const { dv } = view(i, what);
    if (dv.byteLength < n * size) fail(`${what} buffer view has ${dv.byteLength} bytes, needs ${n * size}`);
    const out: number[] = [];
    for (let k = 0; k < n; k++) {
      const o = offsetAt(dv, t, k);
      if (k > 0 && o < out[k - 1]) fail(`${what} decrease at ${k}`);
      if (o > limit) fail(`${what}[${k}] = ${o} is beyond the end (${limit})`);
      out.push(o);
    }
    return out;
  };
  const values = view(col.values, 'values');
  if (def.type === 'STRING') {
    const nStrings = def.array
      ? (() => {
          const arrays = readOffsets(col.arrayOffsets, col.arrayOffsetType, count + 1, 'arrayOffsets', Number.MAX_SAFE_INTEGER);
          return { arrays, n: arrays[count] };
        })()
      : { arrays: null, n: count };
    const so = readOffsets(col.stringOffsets, col.stringOffsetType, nStrings.n + 1, 'stringOffsets', values.bytes.length);
    const strings: string[] = [];
    for (let k = 0; k < nStrings.n; k++) {
      try {
        strings.push(utf8Strict.decode(values.bytes.subarray(so[k], so[k + 1])));
      } catch {
        fail(`string ${k} is not valid UTF-8`);
      }
    }
    if (!nStrings.arrays) return strings;
    const arrays = nStrings.arrays;
    return Array.from({ length: count }, (_, r) => strings.slice(arrays[r], arrays[r + 1]));
  }
  if (def.array) fail(`arrays of ${def.type} are not read`);
  if (def.type === 'BOOLEAN') {
    if (values.bytes.length < Math.ceil(count / 8)) fail(`values buffer view has ${values.bytes.length} bytes, needs ${Math.ceil(count / 8)}`);
    if (count % 8 && values.bytes[count >> 3] >> (count & 7)) fail('unused bits of the last boolean byte are not 0');
    return Array.from({ length: count }, (_, r) => ((values.bytes[r >> 3] >> (r & 7)) & 1) === 1);
  }
  const ct = def.componentType as ComponentType;
  const size = COMPONENT_BYTES[ct];
  if (values.bytes.length < count * size) fail(`values buffer view has ${values.bytes.length} bytes, needs ${count * size}`);
  const dv = values.dv;
  return Array.from({ length: count }, (_, r) => {
    switch (ct) {
      case 'UINT8':
        return dv.getUint8(r);
      case 'UINT16':
        return dv.getUint16(2 * r, true);
      case 'UINT32':
        return dv.getUint32(4 * r, true);
      default:
        return dv.getFloat32(4 * r, true);
    }
  });
}

/** Decodes a whole property table of the building class into rows. */
export function decodeBuildingRows(table: { count: number; properties: Record<string, ColumnDef> }, bufferView: (index: number) => Uint8Array): BuildingRow[] {
  const cols: Record<string, unknown[]> = {};
  for (const [key, def] of Object.entries(BUILDING_PROPERTIES)) {
    const col = table.properties[key];
    if (!col) {
      if (def.required) throw new Error(`property table lacks the required column '${key}'`);
      continue;
    }
    cols[key] = decodeColumn(key, def, col, table.count, bufferView);
  }
  return Array.from({ length: table.count }, (_, r) => {
    const row: Record<string, unknown> = {};
    for (const key of Object.keys(cols)) row[key] = cols[key][r];
    return row as unknown as BuildingRow;
  });
}

/** Area-weighted centroid of building i's outer ring, plane metres. */
export function footprintCentroid(city: City, i: number, out: Float64Array | number[] = [0, 0], offset = 0) {
  const b = city.buildings;
  const r = b.ringStart[i];
  const v0 = b.vertexStart[r], v1 = b.vertexStart[r + 1];
  const xy = b.xyM;
  const x0 = xy[2 * v0], y0 = xy[2 * v0 + 1];
  let a2 = 0, cx = 0, cy = 0;
  for (let v = v0, w = v1 - 1; v < v1; w = v++) {
    const xi = xy[2 * w] - x0, yi = xy[2 * w + 1] - y0, xj = xy[2 * v] - x0, yj = xy[2 * v + 1] - y0;
    const c = xi * yj - xj * yi;
    a2 += c;
    cx += (xi + xj) * c;
    cy += (yi + yj) * c;
  }
  if (Math.abs(a2) < 1e-12) {
    // degenerate ring: mean of the vertices
    let sx = 0, sy = 0;
    for (let v = v0; v < v1; v++) {
      sx += xy[2 * v];
      sy += xy[2 * v + 1];
    }
    out[offset] = sx / (v1 - v0);
    out[offset + 1] = sy / (v1 - v0);
    return out;
  }
  out[offset] = x0 + cx / (3 * a2);
  out[offset + 1] = y0 + cy / (3 * a2);
  return out;
}

/** Footprint centroids of every building, interleaved x, y. */
export function footprintCentroids(city: City): Float64Array {
  const out = new Float64Array(2 * city.buildings.count);
  for (let i = 0; i < city.buildings.count; i++) footprintCentroid(city, i, out, 2 * i);
  return out;
}

/** For every building, the ids of the key areas that hold its footprint centroid (see the module doc). */
export function buildingKeyAreas(city: City, centroidsM: Float64Array = footprintCentroids(city)): string[][] {
  const a = city.keyAreas;
  const out: string[][] = Array.from({ length: city.buildings.count }, () => []);
  if (a.count === 0) return out;
  const index = new Flatbush(a.count);
  const bb = new Float64Array(4);
  for (let k = 0; k < a.count; k++) {
    // The box of all rings: a multi-part area holds several outer rings.
    tablePolygonBBox(a.ringStart, a.vertexStart, a.xyM, k, bb);
    index.add(bb[0], bb[1], bb[2], bb[3]);
  }
  index.finish();
  for (let i = 0; i < city.buildings.count; i++) {
    const x = centroidsM[2 * i], y = centroidsM[2 * i + 1];
    const hits = index.search(x, y, x, y).filter((k) => pointInTablePolygon(x, y, a.ringStart, a.vertexStart, a.xyM, k));
    hits.sort((p, q) => p - q);
    out[i] = hits.map((k) => a.ids[k]);
  }
  return out;
}

/** Size (significance) of every building: max(roof height, footprint bounding-box diagonal), metres. */
export function buildingSizes(city: City): Float64Array {
  const b = city.buildings;
  const out = new Float64Array(b.count);
  for (let i = 0; i < b.count; i++) {
    const r = b.ringStart[i];
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (let v = b.vertexStart[r]; v < b.vertexStart[r + 1]; v++) {
      const x = b.xyM[2 * v], y = b.xyM[2 * v + 1];
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
    out[i] = Math.max(b.roofM[i], Math.hypot(maxX - minX, maxY - minY));
  }
  return out;
}
