/**
 * OpenStreetMap readers: OSM XML (`.osm`, parsed with fast-xml-parser) and Overpass API JSON
 * (`out body;>;out skel qt;` or `out geom;`). Both become one {@link OsmData} and then records:
 *
 * - buildings: closed ways and multipolygon relations with `building` or `building:part` (outer and
 *   inner rings assembled from member ways; several outers give parts `id`, `id#2`, …);
 * - roads: ways with a vehicle `highway` value (semantics.ts); `highway=traffic_signals` nodes are signals;
 * - cameras: `man_made=surveillance` nodes (`surveillance:type` camera, or ALPR → e-police;
 *   `camera:direction` → heading, `camera:angle` → tilt, `height` → mounting height);
 * - key public areas: closed ways, multipolygon relations and nodes with the tags of
 *   {@link keyAreaCategoryFromTags}; a node becomes an area later (context.ts).
 *
 * Ids are `node/1`, `way/2`, `relation/3` as in the OSM API. A way that refers to a node the file does
 * not hold is an error (export with complete ways); a relation with missing members is skipped and
 * counted (extracts cut relations at their edge, and osmium does the same).
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { CimError } from '../errors.ts';
import { pointInRing, ringSignedArea } from '../../geom/polygon.ts';
import { checkLonLat, toWgs84, type CrsName } from './crs.ts';
import { propsFieldSource, readDevice } from './device-fields.ts';
import { reverseLine } from './geometry.ts';
import { parseJsonText } from './json-text.ts';
import type { LngLatPolygon, Provenance } from './records.ts';
import { addKeyArea, BuildingCollector, chooseCrs, skip, type ReaderContext } from './reader.ts';
import { keyAreaCategoryFromTags, roadAttributes } from './semantics.ts';
import { isBlank, readString } from './values.ts';

type Tags = Record<string, string>;

export interface OsmNode {
  id: string;
  lon: number;
  lat: number;
  tags?: Tags;
}
export interface OsmWay {
  id: string;
  refs: string[];
  tags?: Tags;
  /** Inline geometry (Overpass `out geom`), used when the nodes are not in the file. */
  geometry?: [number, number][];
}
export interface OsmMember {
  type: 'node' | 'way' | 'relation';
  ref: string;
  role: string;
  geometry?: [number, number][];
}
export interface OsmRelation {
  id: string;
  members: OsmMember[];
  tags?: Tags;
}
export interface OsmData {
  nodes: Map<string, OsmNode>;
  ways: Map<string, OsmWay>;
  relations: Map<string, OsmRelation>;
}

function dupError(file: string, kind: string, id: string): CimError {
  return new CimError(`duplicate ${kind} id ${id} (an OSM file holds each element once; merge overlapping extracts with osmium merge first)`, { file, record: `${kind} ${id}`, field: 'id' });
}

const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

interface XmlTag {
  k: string;
  v: string;
}

function xmlTags(tags: XmlTag[] | undefined): Tags | undefined {
  if (!tags || tags.length === 0) return undefined;
  const out: Tags = {};
  for (const t of tags) out[String(t.k)] = String(t.v ?? '');
  return out;
}

/** Parses OSM XML text. Malformed XML is an error naming the line and column. */
export function parseOsmXml(text: string, file: string): OsmData {
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    const e = valid.err;
    throw new CimError(`broken XML: ${e.msg}`, { file, record: `line ${e.line}, column ${e.col}`, field: 'XML syntax' });
  }
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseAttributeValue: false,
    parseTagValue: false,
    isArray: (name) => ['node', 'way', 'relation', 'tag', 'nd', 'member'].includes(name),
  });
  const doc = parser.parse(text) as { osm?: Record<string, unknown> };
  const osm = doc.osm;
  if (!osm || typeof osm !== 'object') throw new CimError('not an OSM XML file (no <osm> root element)', { file, field: 'osm' });
  const data: OsmData = { nodes: new Map(), ways: new Map(), relations: new Map() };
  const deleted = (e: Record<string, unknown>) => e.action === 'delete' || e.visible === 'false';
  for (const n of asArray(osm.node as Record<string, unknown>[])) {
    if (deleted(n)) continue;
    const id = String(n.id);
    if (data.nodes.has(id)) throw dupError(file, 'node', id);
    const lon = Number(n.lon);
    const lat = Number(n.lat);
    if (n.lon === undefined || n.lat === undefined) throw new CimError('node has no lat/lon', { file, record: `node ${id}`, field: n.lon === undefined ? 'lon' : 'lat' });
    data.nodes.set(id, { id, lon, lat, tags: xmlTags(n.tag as XmlTag[]) });
  }
  for (const w of asArray(osm.way as Record<string, unknown>[])) {
    if (deleted(w)) continue;
    const id = String(w.id);
    if (data.ways.has(id)) throw dupError(file, 'way', id);
    data.ways.set(id, { id, refs: asArray(w.nd as { ref: string }[]).map((nd) => String(nd.ref)), tags: xmlTags(w.tag as XmlTag[]) });
  }
  for (const r of asArray(osm.relation as Record<string, unknown>[])) {
    if (deleted(r)) continue;
    const id = String(r.id);
    if (data.relations.has(id)) throw dupError(file, 'relation', id);
    const members = asArray(r.member as Record<string, string>[]).map((m) => ({ type: m.type as OsmMember['type'], ref: String(m.ref), role: m.role ?? '' }));
    data.relations.set(id, { id, members, tags: xmlTags(r.tag as XmlTag[]) });
  }
  return data;
}

function jsonTags(t: unknown): Tags | undefined {
  if (!t || typeof t !== 'object') return undefined;
  const out: Tags = {};
  for (const [k, v] of Object.entries(t as Record<string, unknown>)) out[k] = String(v);
  return out;
}

const geomOf = (g: unknown): [number, number][] | undefined =>
  Array.isArray(g) ? (g as { lat: number; lon: number }[]).map((p) => [Number(p?.lon), Number(p?.lat)] as [number, number]) : undefined;

/** Parses Overpass API JSON (`{"elements": […]}`). */
export function parseOverpassJson(input: string | unknown, file: string): OsmData {
  const json = (typeof input === 'string' ? parseJsonText(input, file) : input) as { elements?: unknown };
  if (!json || typeof json !== 'object' || !Array.isArray(json.elements)) throw new CimError('not Overpass JSON (no "elements" array)', { file, field: 'elements' });
  const data: OsmData = { nodes: new Map(), ways: new Map(), relations: new Map() };
  json.elements.forEach((raw, i) => {
    const e = raw as Record<string, unknown>;
    const id = String(e?.id);
    const record = `element ${i} (${String(e?.type)} ${id})`;
    if (!e || typeof e !== 'object' || e.id === undefined) throw new CimError('element has no id', { file, record, field: 'id' });
    if (e.type === 'node') {
      if (data.nodes.has(id)) throw dupError(file, 'node', id);
      if (e.lon === undefined || e.lat === undefined) throw new CimError('node has no lat/lon', { file, record, field: e.lon === undefined ? 'lon' : 'lat' });
      data.nodes.set(id, { id, lon: Number(e.lon), lat: Number(e.lat), tags: jsonTags(e.tags) });
    } else if (e.type === 'way') {
      if (data.ways.has(id)) throw dupError(file, 'way', id);
      if (!Array.isArray(e.nodes)) throw new CimError('way has no "nodes" array', { file, record, field: 'nodes' });
      data.ways.set(id, { id, refs: (e.nodes as unknown[]).map(String), tags: jsonTags(e.tags), geometry: geomOf(e.geometry) });
    } else if (e.type === 'relation') {
      if (data.relations.has(id)) throw dupError(file, 'relation', id);
      const members = (Array.isArray(e.members) ? e.members : []).map((m: Record<string, unknown>) => ({
        type: m.type as OsmMember['type'],
        ref: String(m.ref),
        role: String(m.role ?? ''),
        geometry: geomOf(m.geometry),
      }));
      data.relations.set(id, { id, members, tags: jsonTags(e.tags) });
    } else if (e.type !== 'area') {
      throw new CimError(`unknown element type ${JSON.stringify(e.type)}`, { file, record, field: 'type' });
    }
  });
  return data;
}

const isBuilding = (t: Tags | undefined) => !!t && ((!isBlank(t.building) && t.building !== 'no') || (!isBlank(t['building:part']) && t['building:part'] !== 'no'));

/** Converts parsed OSM data into records. */
export function readOsmData(data: OsmData, ctx: ReaderContext): void {
  const file = ctx.report.file;
  const crs = chooseCrs(ctx, undefined, 'file');
  ctx.report.records = data.nodes.size + data.ways.size + data.relations.size;
  const buildings = new BuildingCollector(ctx);
  const scratch = [0, 0];

  const nodeLonLat = (n: OsmNode, record: string): [number, number] => {
    checkLonLat(n.lon, n.lat, { file, record, field: 'lat/lon' });
    toWgs84(crs, n.lon, n.lat, scratch);
    return [scratch[0], scratch[1]];
  };

  /** Flat lon/lat of a way, or an error naming the missing node. */
  const wayCoords = (w: OsmWay): number[] => {
    const record = `way ${w.id}`;
    const out: number[] = [];
    if (w.refs.length && w.refs.every((r) => data.nodes.has(r))) {
      for (const r of w.refs) out.push(...nodeLonLat(data.nodes.get(r)!, record));
      return out;
    }
    if (w.geometry && w.geometry.length === w.refs.length) {
      w.geometry.forEach(([lon, lat], i) => {
        checkLonLat(lon, lat, { file, record, field: `geometry[${i}]` });
        out.push(...(toWgs84(crs, lon, lat, [0, 0]) as [number, number]));
      });
      return out;
    }
    const missing = w.refs.find((r) => !data.nodes.has(r));
    throw new CimError(
      missing === undefined ? 'way has no nodes' : `way refers to node ${missing}, which the file does not hold (export complete ways: JOSM, osmium extract --strategy complete_ways, or Overpass "(._;>;); out body;")`,
      { file, record, field: missing === undefined ? 'nd' : `nd ref=${missing}` },
    );
  };

  const closed = (w: OsmWay) => w.refs.length >= 4 && w.refs[0] === w.refs[w.refs.length - 1];

  // Nodes: signals, cameras, key-area points.
  for (const n of data.nodes.values()) {
    const t = n.tags;
    if (!t) continue;
    const record = `node ${n.id}`;
    const prov: Provenance = { file: ctx.report, record };
    const id = `node/${n.id}`;
    if (t.highway === 'traffic_signals') {
      const [lon, lat] = nodeLonLat(n, record);
      ctx.sink.signals.push({ prov, id, lonDeg: lon, latDeg: lat });
      ctx.report.imported.signals++;
    }
    if (t.man_made === 'surveillance') {
      const st = t['surveillance:type'];
      if (st && st !== 'camera' && st !== 'ALPR') {
        skip(ctx, 'surveillance-not-camera', 'man_made=surveillance nodes that are not cameras (surveillance:type guard, …)', record);
      } else {
        const [lon, lat] = nodeLonLat(n, record);
        const props: Record<string, unknown> = { ...t, type: st === 'ALPR' ? 'epolice' : 'camera', heading: t['camera:direction'], tilt: t['camera:angle'] };
        const rec = readDevice(propsFieldSource(props, ['man_made', 'surveillance:type', 'camera:direction', 'camera:angle']), lon, lat, prov, ctx.opts, id);
        rec.id = id;
        ctx.sink.devices.push(rec);
        ctx.report.imported.devices++;
      }
    }
    const cat = keyAreaCategoryFromTags(t);
    if (cat) addKeyArea(ctx, prov, id, { point: nodeLonLat(n, record) }, cat, t, []);
  }

  // Ways: buildings, roads, key areas.
  const multipolygonWays = new Set<string>();
  for (const r of data.relations.values()) if (r.tags?.type === 'multipolygon') for (const m of r.members) if (m.type === 'way') multipolygonWays.add(m.ref);
  for (const w of data.ways.values()) {
    const t = w.tags;
    if (!t) {
      if (!multipolygonWays.has(w.id)) skip(ctx, 'untagged-way', 'untagged ways that are not members of a multipolygon', `way ${w.id}`);
      continue;
    }
    const record = `way ${w.id}`;
    const prov: Provenance = { file: ctx.report, record };
    const id = `way/${w.id}`;
    const building = isBuilding(t);
    const cat = keyAreaCategoryFromTags(t);
    if (building || cat) {
      if (!closed(w)) {
        if (building) throw new CimError(`building way is not closed: first node ${w.refs[0]}, last node ${w.refs[w.refs.length - 1]}`, { file, record, field: 'nd' });
        skip(ctx, 'key-area-open-way', 'key-area tags on open ways (not an area)', record);
      } else {
        const poly: LngLatPolygon = [wayCoords(w)];
        if (building) buildings.add(prov, id, [poly], t, t.building ?? t['building:part'], []);
        if (cat) addKeyArea(ctx, prov, id, { polygons: [poly] }, cat, t, []);
      }
    }
    if (!isBlank(t.highway) && !(building || cat)) {
      const attrs = roadAttributes(t, prov);
      if ('skip' in attrs) skip(ctx, attrs.kind, attrs.skip, record);
      else {
        const line = wayCoords(w);
        if (attrs.reverse) reverseLine(line);
        ctx.sink.roads.push({ prov, id, lines: [line], roadClass: attrs.roadClass, lanes: attrs.lanes, speedLimitMps: attrs.speedLimitMps, oneway: attrs.oneway, name: readString(t.name), attrs: { ...t } });
        ctx.report.imported.roads++;
      }
    }
    // Ways that are only drawn for context (landuse, waterways, …) are skipped, counted.
    if (isBlank(t.highway) && !building && !cat) skip(ctx, 'not-a-city-layer', 'ways that are not buildings, roads or key areas', record);
  }

  // Multipolygon relations: buildings and key areas.
  for (const r of data.relations.values()) {
    const t = r.tags;
    const record = `relation ${r.id}`;
    if (!t || t.type !== 'multipolygon') {
      skip(ctx, 'relation-not-multipolygon', 'relations that are not multipolygons (routes, restrictions, …)', record);
      continue;
    }
    const building = isBuilding(t);
    const cat = keyAreaCategoryFromTags(t);
    if (!building && !cat) {
      skip(ctx, 'not-a-city-layer', 'multipolygons that are not buildings or key areas', record);
      continue;
    }
    const polygons = assembleMultipolygon(r, data, crs, file, wayCoords);
    if (!polygons) {
      skip(ctx, 'incomplete-relation', 'multipolygon relations with members missing from the file (cut at the extract edge)', record);
      continue;
    }
    const prov: Provenance = { file: ctx.report, record };
    const id = `relation/${r.id}`;
    if (building) buildings.add(prov, id, polygons, t, t.building ?? t['building:part'], ['type']);
    if (cat) addKeyArea(ctx, prov, id, { polygons }, cat, t, ['type']);
  }
  buildings.finish();
}

/**
 * Joins the member ways of a multipolygon into closed rings and groups inner rings under the outer
 * ring that holds them. Returns null when members are missing; throws when rings do not close.
 */
function assembleMultipolygon(r: OsmRelation, data: OsmData, crs: CrsName, file: string, wayCoords: (w: OsmWay) => number[]): LngLatPolygon[] | null {
  const record = `relation ${r.id}`;
  const outer: { refs: string[]; coords: number[] }[] = [];
  const inner: { refs: string[]; coords: number[] }[] = [];
  for (const m of r.members) {
    if (m.type !== 'way') continue;
    const w = data.ways.get(m.ref);
    if (!w) {
      if (m.geometry) {
        const coords: number[] = [];
        for (const [lon, lat] of m.geometry) coords.push(...(toWgs84(crs, lon, lat, [0, 0]) as number[]));
        const refs = m.geometry.map(([lon, lat]) => `${lon},${lat}`);
        (m.role === 'inner' ? inner : outer).push({ refs, coords });
        continue;
      }
      return null;
    }
    if (!w.refs.every((ref) => data.nodes.has(ref)) && !(w.geometry && w.geometry.length === w.refs.length)) return null;
    (m.role === 'inner' ? inner : outer).push({ refs: w.refs, coords: wayCoords(w) });
  }
  if (outer.length === 0) throw new CimError('multipolygon has no outer member way', { file, record, field: 'member role=outer' });
  const outerRings = joinRings(outer, file, record, 'outer');
  const innerRings = joinRings(inner, file, record, 'inner');
  // Largest outer first, so that `id` (not `id#2`) is the main part.
  outerRings.sort((a, b) => Math.abs(ringSignedArea(b)) - Math.abs(ringSignedArea(a)));
  const polys: LngLatPolygon[] = outerRings.map((o) => [o]);
  for (const hole of innerRings) {
    const k = outerRings.findIndex((o) => pointInRing(hole[0], hole[1], o, 0, o.length / 2));
    if (k < 0) throw new CimError('an inner ring lies in no outer ring', { file, record, field: 'member role=inner' });
    polys[k].push(hole);
  }
  return polys;
}

/** Chains way pieces into closed rings by their end node ids. */
function joinRings(pieces: { refs: string[]; coords: number[] }[], file: string, record: string, role: string): number[][] {
  const rings: number[][] = [];
  const left = pieces.map((p) => ({ refs: [...p.refs], coords: [...p.coords] }));
  while (left.length) {
    const cur = left.shift()!;
    while (cur.refs[0] !== cur.refs[cur.refs.length - 1]) {
      const end = cur.refs[cur.refs.length - 1];
      const k = left.findIndex((p) => p.refs[0] === end || p.refs[p.refs.length - 1] === end);
      if (k < 0) throw new CimError(`${role} ring does not close: no member way continues from node ${end}`, { file, record, field: `member role=${role}` });
      const next = left.splice(k, 1)[0];
      if (next.refs[0] !== end) {
        next.refs.reverse();
        reverseLine(next.coords);
      }
      cur.refs.push(...next.refs.slice(1));
      cur.coords.push(...next.coords.slice(2));
    }
    if (cur.refs.length < 4) throw new CimError(`${role} ring has fewer than 3 corners`, { file, record, field: `member role=${role}` });
    rings.push(cur.coords);
  }
  return rings;
}

/** Reads OSM XML text into the sink. */
export function readOsmXml(text: string, ctx: ReaderContext): void {
  readOsmData(parseOsmXml(text, ctx.report.file), ctx);
}

/** Reads Overpass JSON (text or parsed) into the sink. */
export function readOverpassJson(input: string | unknown, ctx: ReaderContext): void {
  readOsmData(parseOverpassJson(input, ctx.report.file), ctx);
}
