/**
 * A {@link City} in one buffer, so that it crosses a worker boundary by transfer (or by sharing)
 * instead of a structured clone of tens of thousands of strings and small objects.
 *
 * Layout of the buffer (little-endian):
 *
 * | bytes | content |
 * |---|---|
 * | 0 | magic byte `0xc1` |
 * | 1 | layout version (1) |
 * | 2–3 | reserved (0) |
 * | 4–7 | byte length L of the JSON text |
 * | 8 … 8+L | UTF-8 JSON: meta, origin, every string column and attribute object, the scopes, and the section table (path, element type, length) |
 * | then, each at the next 8-byte boundary | the typed-array columns, in the order of the section table |
 *
 * `unpackCity` opens typed-array *views* on the buffer (no copy of the numeric data), so the returned
 * City shares memory with the buffer: over a SharedArrayBuffer every worker that unpacks it reads the
 * same bytes. Such a city must then be treated as read-only (sim-core never writes into a City).
 * `packCity(city, { shared: true })` allocates a SharedArrayBuffer (available in Node and in
 * cross-origin-isolated pages only; otherwise it throws and says so).
 *
 * Pure: only ECMAScript and the TextEncoder/TextDecoder globals that browsers, workers and Node share.
 */
import type { Attrs, City, Scope, ScopeKind } from './types.ts';

/** First byte of a packed city. */
export const CITY_PACK_MAGIC = 0xc1;
/** Layout version of a packed city. */
export const CITY_PACK_VERSION = 1;
const PREFIX_BYTES = 8;

type NumericArray = Float64Array | Float32Array | Uint32Array | Uint8Array;
type ArrayKind = 'f64' | 'f32' | 'u32' | 'u8';
const BYTES: Record<ArrayKind, number> = { f64: 8, f32: 4, u32: 4, u8: 1 };

/** One typed-array column in the buffer. */
interface Section {
  /** Dotted path in the City, e.g. `buildings.xyM`; `scopes.xyM` holds every scope ring end to end. */
  path: string;
  kind: ArrayKind;
  length: number;
}

/** Byte offset of every section: each at the next 8-byte boundary after the text; and the total size. */
function layout(textLength: number, sections: readonly Section[]): { offsets: number[]; byteLength: number } {
  let off = align8(PREFIX_BYTES + textLength);
  const offsets = sections.map((s) => {
    const at = off;
    off = align8(off + s.length * BYTES[s.kind]);
    return at;
  });
  return { offsets, byteLength: off };
}

interface PackedText {
  meta: City['meta'];
  origin: City['origin'];
  counts: { buildings: number; roadNodes: number; roadLinks: number; keyAreas: number; devices: number };
  buildings: { ids: string[]; use: string[]; names: (string | null)[]; attrs: Attrs[] };
  roadNodes: { ids: string[]; names: (string | null)[]; attrs: Attrs[] };
  roadLinks: { ids: string[]; names: (string | null)[]; attrs: Attrs[] };
  keyAreas: { ids: string[]; names: (string | null)[]; category: string[]; attrs: Attrs[] };
  devices: { ids: string[]; names: (string | null)[]; attrs: Attrs[] };
  /** Scopes without geometry; `rings[p][r]` = [start, end) in values of the `scopes.xyM` column. */
  scopes: { id: string; kind: ScopeKind; name: string | null; attrs: Attrs; rings: [number, number][][] }[];
  sections: Section[];
}

export interface PackCityOptions {
  /** Allocate a SharedArrayBuffer instead of an ArrayBuffer (Node, or a cross-origin-isolated page). */
  shared?: boolean;
}

const align8 = (n: number) => (n + 7) & ~7;

function kindOf(a: NumericArray): ArrayKind {
  if (a instanceof Float64Array) return 'f64';
  if (a instanceof Float32Array) return 'f32';
  if (a instanceof Uint32Array) return 'u32';
  return 'u8';
}

/** The typed-array columns of a city, in a fixed order. */
function columnsOf(city: City): [string, NumericArray][] {
  const b = city.buildings, n = city.roadNodes, l = city.roadLinks, a = city.keyAreas, d = city.devices;
  return [
    ['buildings.ringStart', b.ringStart],
    ['buildings.vertexStart', b.vertexStart],
    ['buildings.xyM', b.xyM],
    ['buildings.baseM', b.baseM],
    ['buildings.roofM', b.roofM],
    ['roadNodes.xyM', n.xyM],
    ['roadNodes.classCode', n.classCode],
    ['roadNodes.majorClassCode', n.majorClassCode],
    ['roadNodes.signalized', n.signalized],
    ['roadNodes.degree', n.degree],
    ['roadLinks.from', l.from],
    ['roadLinks.to', l.to],
    ['roadLinks.classCode', l.classCode],
    ['roadLinks.lanes', l.lanes],
    ['roadLinks.lengthM', l.lengthM],
    ['roadLinks.speedLimitMps', l.speedLimitMps],
    ['roadLinks.oneway', l.oneway],
    ['roadLinks.vertexStart', l.vertexStart],
    ['roadLinks.xyM', l.xyM],
    ['keyAreas.ringStart', a.ringStart],
    ['keyAreas.vertexStart', a.vertexStart],
    ['keyAreas.xyM', a.xyM],
    ['keyAreas.inVideoSet', a.inVideoSet],
    ['keyAreas.in5gSet', a.in5gSet],
    ['devices.typeCode', d.typeCode],
    ['devices.xyM', d.xyM],
    ['devices.heightM', d.heightM],
    ['devices.headingDeg', d.headingDeg],
    ['devices.tiltDeg', d.tiltDeg],
    ['devices.healthy', d.healthy],
    ['devices.networked', d.networked],
  ];
}

/** Packs a city into one buffer (see the module doc). The city is not modified. */
export function packCity(city: City, options: PackCityOptions = {}): ArrayBuffer | SharedArrayBuffer {
  // Scope rings go end to end into one Float64 column.
  let scopeValues = 0;
  const scopes: PackedText['scopes'] = city.scopes.map((s) => ({
    id: s.id,
    kind: s.kind,
    name: s.name,
    attrs: s.attrs,
    rings: s.polygons.map((poly) =>
      poly.map((ring): [number, number] => {
        const start = scopeValues;
        scopeValues += ring.length;
        return [start, scopeValues];
      }),
    ),
  }));
  const scopeXy = new Float64Array(scopeValues);
  let at = 0;
  for (const s of city.scopes) {
    for (const poly of s.polygons) {
      for (const ring of poly) {
        scopeXy.set(ring, at);
        at += ring.length;
      }
    }
  }
  const columns = columnsOf(city);
  columns.push(['scopes.xyM', scopeXy]);

  const sections: Section[] = columns.map(([path, arr]) => ({ path, kind: kindOf(arr), length: arr.length }));
  const b = city.buildings, n = city.roadNodes, l = city.roadLinks, a = city.keyAreas, d = city.devices;
  const text: PackedText = {
    meta: city.meta,
    origin: city.origin,
    counts: { buildings: b.count, roadNodes: n.count, roadLinks: l.count, keyAreas: a.count, devices: d.count },
    buildings: { ids: b.ids, use: b.use, names: b.names, attrs: b.attrs },
    roadNodes: { ids: n.ids, names: n.names, attrs: n.attrs },
    roadLinks: { ids: l.ids, names: l.names, attrs: l.attrs },
    keyAreas: { ids: a.ids, names: a.names, category: a.category, attrs: a.attrs },
    devices: { ids: d.ids, names: d.names, attrs: d.attrs },
    scopes,
    sections,
  };
  const textBytes = new TextEncoder().encode(JSON.stringify(text));
  const { offsets, byteLength: total } = layout(textBytes.length, sections);
  let buffer: ArrayBuffer | SharedArrayBuffer;
  if (options.shared) {
    if (typeof SharedArrayBuffer === 'undefined') throw new Error('packCity({ shared: true }): SharedArrayBuffer is not available here (a page must be cross-origin isolated: COOP same-origin + COEP require-corp)');
    buffer = new SharedArrayBuffer(total);
  } else buffer = new ArrayBuffer(total);
  const head = new DataView(buffer, 0, PREFIX_BYTES);
  head.setUint8(0, CITY_PACK_MAGIC);
  head.setUint8(1, CITY_PACK_VERSION);
  head.setUint32(4, textBytes.length, true);
  new Uint8Array(buffer, PREFIX_BYTES, textBytes.length).set(textBytes);
  columns.forEach(([, arr], k) => view(buffer, sections[k], offsets[k]).set(arr));
  return buffer;
}

function view(buffer: ArrayBufferLike, s: Section, byteOffset: number): NumericArray {
  switch (s.kind) {
    case 'f64':
      return new Float64Array(buffer, byteOffset, s.length);
    case 'f32':
      return new Float32Array(buffer, byteOffset, s.length);
    case 'u32':
      return new Uint32Array(buffer, byteOffset, s.length);
    case 'u8':
      return new Uint8Array(buffer, byteOffset, s.length);
  }
}

/** Whether `buffer` opens like a packed city (magic byte and version). */
export function isPackedCity(buffer: unknown): buffer is ArrayBuffer | SharedArrayBuffer {
  const ok = buffer instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && buffer instanceof SharedArrayBuffer);
  if (!ok || (buffer as ArrayBufferLike).byteLength < PREFIX_BYTES) return false;
  const head = new DataView(buffer as ArrayBufferLike, 0, PREFIX_BYTES);
  return head.getUint8(0) === CITY_PACK_MAGIC && head.getUint8(1) === CITY_PACK_VERSION;
}

/**
 * Opens a packed city. Numeric columns are views on `buffer` (no copy); strings and attributes are
 * parsed from the JSON text. Throws when the buffer is not a packed city of this version.
 */
export function unpackCity(buffer: ArrayBuffer | SharedArrayBuffer): City {
  if (!(buffer instanceof ArrayBuffer) && !(typeof SharedArrayBuffer !== 'undefined' && buffer instanceof SharedArrayBuffer)) throw new TypeError('unpackCity needs an ArrayBuffer or SharedArrayBuffer');
  if (buffer.byteLength < PREFIX_BYTES) throw new Error(`not a packed city: ${buffer.byteLength} bytes is shorter than the ${PREFIX_BYTES}-byte prefix`);
  const head = new DataView(buffer, 0, PREFIX_BYTES);
  if (head.getUint8(0) !== CITY_PACK_MAGIC) throw new Error(`not a packed city (first byte 0x${head.getUint8(0).toString(16)}, expected 0x${CITY_PACK_MAGIC.toString(16)})`);
  const version = head.getUint8(1);
  if (version !== CITY_PACK_VERSION) throw new Error(`packed city layout version ${version} is not supported (this build reads ${CITY_PACK_VERSION})`);
  const textLength = head.getUint32(4, true);
  if (PREFIX_BYTES + textLength > buffer.byteLength) throw new Error('packed city is truncated: its text runs past the end of the buffer');
  // TextDecoder refuses views of shared memory: copy the text out first in that case.
  const raw = new Uint8Array(buffer, PREFIX_BYTES, textLength);
  const bytes = buffer instanceof ArrayBuffer ? raw : raw.slice();
  const text = JSON.parse(new TextDecoder().decode(bytes)) as PackedText;
  const { offsets, byteLength } = layout(textLength, text.sections);
  if (byteLength > buffer.byteLength) throw new Error(`packed city is truncated: its sections need ${byteLength} bytes, the buffer has ${buffer.byteLength}`);
  const cols = new Map<string, NumericArray>();
  text.sections.forEach((s, k) => cols.set(s.path, view(buffer, s, offsets[k])));
  const col = <T extends NumericArray>(path: string): T => {
    const c = cols.get(path);
    if (!c) throw new Error(`packed city lacks section ${path}`);
    return c as T;
  };
  const scopeXy = col<Float64Array>('scopes.xyM');
  const scopes: Scope[] = text.scopes.map((s) => ({
    id: s.id,
    kind: s.kind,
    name: s.name,
    attrs: s.attrs,
    polygons: s.rings.map((poly) => poly.map(([from, to]) => scopeXy.subarray(from, to))),
  }));
  const c = text.counts;
  return {
    meta: text.meta,
    origin: text.origin,
    buildings: {
      count: c.buildings,
      ...text.buildings,
      ringStart: col('buildings.ringStart'),
      vertexStart: col('buildings.vertexStart'),
      xyM: col('buildings.xyM'),
      baseM: col('buildings.baseM'),
      roofM: col('buildings.roofM'),
    },
    roadNodes: {
      count: c.roadNodes,
      ...text.roadNodes,
      xyM: col('roadNodes.xyM'),
      classCode: col('roadNodes.classCode'),
      majorClassCode: col('roadNodes.majorClassCode'),
      signalized: col('roadNodes.signalized'),
      degree: col('roadNodes.degree'),
    },
    roadLinks: {
      count: c.roadLinks,
      ...text.roadLinks,
      from: col('roadLinks.from'),
      to: col('roadLinks.to'),
      classCode: col('roadLinks.classCode'),
      lanes: col('roadLinks.lanes'),
      lengthM: col('roadLinks.lengthM'),
      speedLimitMps: col('roadLinks.speedLimitMps'),
      oneway: col('roadLinks.oneway'),
      vertexStart: col('roadLinks.vertexStart'),
      xyM: col('roadLinks.xyM'),
    },
    keyAreas: {
      count: c.keyAreas,
      ...text.keyAreas,
      ringStart: col('keyAreas.ringStart'),
      vertexStart: col('keyAreas.vertexStart'),
      xyM: col('keyAreas.xyM'),
      inVideoSet: col('keyAreas.inVideoSet'),
      in5gSet: col('keyAreas.in5gSet'),
    },
    scopes,
    devices: {
      count: c.devices,
      ...text.devices,
      typeCode: col('devices.typeCode'),
      xyM: col('devices.xyM'),
      heightM: col('devices.heightM'),
      headingDeg: col('devices.headingDeg'),
      tiltDeg: col('devices.tiltDeg'),
      healthy: col('devices.healthy'),
      networked: col('devices.networked'),
    },
  };
}
