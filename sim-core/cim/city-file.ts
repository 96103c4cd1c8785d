/**
 * The cim-twin city file: one GeoJSON FeatureCollection (RFC 7946, WGS84/CGCS2000 lon/lat) whose
 * features carry a `layer` property, plus a foreign member `cimtwin` with the format version, the
 * origin of the local frame and the metadata. See docs/city-format.md. `cityToGeoJSON` and
 * `cityFromGeoJSON` round-trip a {@link City} without loss (coordinates to well under a millimetre,
 * every attribute kept).
 */
import { CityBuilder } from './builder.ts';
import { CimError, recordName } from './errors.ts';
import { LocalFrame } from './frame.ts';
import { tablePolygonParts } from '../geom/polygon.ts';
import { DEVICE_TYPES, ROAD_CLASSES, type Attrs, type City, type DeviceType, type RoadClass, type ScopeKind } from './types.ts';

export const CITY_FORMAT = 'cimtwin-city';
export const CITY_FORMAT_VERSION = 1;

type Position = number[];
interface Feature {
  type: 'Feature';
  id?: string | number;
  geometry: { type: string; coordinates: unknown } | null;
  properties: Record<string, unknown> | null;
}

export interface CityFeatureCollection {
  type: 'FeatureCollection';
  cimtwin: {
    format: typeof CITY_FORMAT;
    version: number;
    name: string;
    synthetic: boolean;
    sources: string[];
    attribution: string[];
    origin: { lonDeg: number; latDeg: number; heightM: number };
    crs: 'EPSG:4326';
  };
  features: Feature[];
}

const KPH_PER_MPS = 3.6;

function ringsToLngLat(frame: LocalFrame, xy: ArrayLike<number>, vertexStart: ArrayLike<number>, r0: number, r1: number): Position[][] {
  const rings: Position[][] = [];
  const p = [0, 0];
  for (let r = r0; r < r1; r++) {
    const ring: Position[] = [];
    for (let v = vertexStart[r]; v < vertexStart[r + 1]; v++) {
      frame.toLngLat(xy[2 * v], xy[2 * v + 1], p);
      ring.push([p[0], p[1]]);
    }
    ring.push([...ring[0]]); // GeoJSON rings are closed
    rings.push(ring);
  }
  return rings;
}

function pointToLngLat(frame: LocalFrame, x: number, y: number): Position {
  const p = frame.toLngLat(x, y, [0, 0]) as number[];
  return [p[0], p[1]];
}

const opt = (v: number) => (Number.isNaN(v) ? undefined : v);

/** A key area's geometry: a Polygon, or a MultiPolygon when it holds several outer rings. */
function keyAreaGeometry(frame: LocalFrame, a: City['keyAreas'], i: number): { type: string; coordinates: unknown } {
  const parts = tablePolygonParts(a.ringStart, a.vertexStart, a.xyM, i);
  if (parts.length === 2) return { type: 'Polygon', coordinates: ringsToLngLat(frame, a.xyM, a.vertexStart, parts[0], parts[1]) };
  const coordinates: Position[][][] = [];
  for (let k = 0; k + 1 < parts.length; k++) coordinates.push(ringsToLngLat(frame, a.xyM, a.vertexStart, parts[k], parts[k + 1]));
  return { type: 'MultiPolygon', coordinates };
}

/** Serialises a city as a cim-twin city file (GeoJSON). */
export function cityToGeoJSON(city: City): CityFeatureCollection {
  const frame = new LocalFrame(city.origin);
  const features: Feature[] = [];
  const b = city.buildings;
  for (let i = 0; i < b.count; i++) {
    features.push({
      type: 'Feature',
      id: b.ids[i],
      geometry: { type: 'Polygon', coordinates: ringsToLngLat(frame, b.xyM, b.vertexStart, b.ringStart[i], b.ringStart[i + 1]) },
      properties: { ...b.attrs[i], layer: 'building', baseM: b.baseM[i], roofM: b.roofM[i], use: b.use[i], name: b.names[i] },
    });
  }
  const n = city.roadNodes;
  for (let i = 0; i < n.count; i++) {
    features.push({
      type: 'Feature',
      id: n.ids[i],
      geometry: { type: 'Point', coordinates: pointToLngLat(frame, n.xyM[2 * i], n.xyM[2 * i + 1]) },
      properties: { ...n.attrs[i], layer: 'road-node', roadClass: ROAD_CLASSES[n.classCode[i]], signalized: n.signalized[i] === 1, name: n.names[i] },
    });
  }
  const l = city.roadLinks;
  for (let i = 0; i < l.count; i++) {
    const coords: Position[] = [];
    for (let v = l.vertexStart[i]; v < l.vertexStart[i + 1]; v++) coords.push(pointToLngLat(frame, l.xyM[2 * v], l.xyM[2 * v + 1]));
    features.push({
      type: 'Feature',
      id: l.ids[i],
      geometry: { type: 'LineString', coordinates: coords },
      properties: {
        ...l.attrs[i],
        layer: 'road-link',
        from: n.ids[l.from[i]],
        to: n.ids[l.to[i]],
        roadClass: ROAD_CLASSES[l.classCode[i]],
        lanes: l.lanes[i],
        lengthM: l.lengthM[i],
        speedLimitKph: l.speedLimitMps[i] * KPH_PER_MPS,
        oneway: l.oneway[i] === 1,
        name: l.names[i],
      },
    });
  }
  const a = city.keyAreas;
  for (let i = 0; i < a.count; i++) {
    features.push({
      type: 'Feature',
      id: a.ids[i],
      geometry: keyAreaGeometry(frame, a, i),
      properties: { ...a.attrs[i], layer: 'key-area', category: a.category[i], name: a.names[i], video: a.inVideoSet[i] === 1, nr5g: a.in5gSet[i] === 1 },
    });
  }
  for (const s of city.scopes) {
    const polys = s.polygons.map((rings) => rings.map((ring) => ringsToLngLat(frame, ring, [0, ring.length / 2], 0, 1)[0]));
    features.push({
      type: 'Feature',
      id: s.id,
      geometry: { type: 'MultiPolygon', coordinates: polys },
      properties: { ...s.attrs, layer: 'scope', scope: s.kind, name: s.name },
    });
  }
  const d = city.devices;
  for (let i = 0; i < d.count; i++) {
    features.push({
      type: 'Feature',
      id: d.ids[i],
      geometry: { type: 'Point', coordinates: pointToLngLat(frame, d.xyM[2 * i], d.xyM[2 * i + 1]) },
      properties: {
        ...d.attrs[i],
        layer: 'device',
        deviceType: DEVICE_TYPES[d.typeCode[i]],
        heightM: d.heightM[i],
        headingDeg: opt(d.headingDeg[i]),
        tiltDeg: opt(d.tiltDeg[i]),
        healthy: d.healthy[i] === 1,
        networked: d.networked[i] === 1,
        name: d.names[i],
      },
    });
  }
  return {
    type: 'FeatureCollection',
    cimtwin: {
      format: CITY_FORMAT,
      version: CITY_FORMAT_VERSION,
      name: city.meta.name,
      synthetic: city.meta.synthetic,
      sources: city.meta.sources,
      attribution: city.meta.attribution,
      origin: { ...city.origin },
      crs: 'EPSG:4326',
    },
    features,
  };
}

const RESERVED: Record<string, string[]> = {
  building: ['layer', 'baseM', 'roofM', 'use', 'name'],
  'road-node': ['layer', 'roadClass', 'signalized', 'name'],
  'road-link': ['layer', 'from', 'to', 'roadClass', 'lanes', 'lengthM', 'speedLimitKph', 'oneway', 'name'],
  'key-area': ['layer', 'category', 'name', 'video', 'nr5g'],
  scope: ['layer', 'scope', 'name'],
  device: ['layer', 'deviceType', 'heightM', 'headingDeg', 'tiltDeg', 'healthy', 'networked', 'name'],
};

function restAttrs(props: Record<string, unknown>, layer: string): Attrs {
  const out: Attrs = {};
  const skip = RESERVED[layer];
  for (const k of Object.keys(props)) if (!skip.includes(k)) out[k] = props[k];
  return out;
}

function flatRings(frame: LocalFrame, coords: unknown, field: string): number[][] {
  if (!Array.isArray(coords)) throw new CimError('polygon coordinates must be an array of rings', { field });
  return coords.map((ring, r) => {
    if (!Array.isArray(ring)) throw new CimError(`ring ${r} is not an array`, { field });
    const flat: number[] = [];
    const p = [0, 0];
    ring.forEach((pos: unknown, v: number) => {
      if (!Array.isArray(pos) || typeof pos[0] !== 'number' || typeof pos[1] !== 'number') throw new CimError(`ring ${r} vertex ${v} is not a [lon, lat] position`, { field });
      frame.toLocal(pos[0], pos[1], p);
      flat.push(p[0], p[1]);
    });
    return flat;
  });
}

const str = (v: unknown) => (typeof v === 'string' ? v : v === undefined || v === null ? null : String(v));
const numOr = (v: unknown, d: number | undefined) => (typeof v === 'number' ? v : d);

/**
 * Reads a cim-twin city file. `file` names the source in error messages. Throws {@link CimError}
 * naming the feature and field on the first bad record; nothing partial is returned.
 */
export function cityFromGeoJSON(json: unknown, file = 'city file'): City {
  const fc = json as Partial<CityFeatureCollection>;
  if (!fc || typeof fc !== 'object' || fc.type !== 'FeatureCollection') throw new CimError('not a GeoJSON FeatureCollection', { file, field: 'type' });
  const meta = fc.cimtwin;
  if (!meta || meta.format !== CITY_FORMAT) throw new CimError(`not a cim-twin city file (missing "cimtwin": {"format": "${CITY_FORMAT}"}); use 'cimtwin import' for plain GeoJSON`, { file, field: 'cimtwin.format' });
  if (meta.version !== CITY_FORMAT_VERSION) throw new CimError(`unsupported city file version ${meta.version} (this build reads ${CITY_FORMAT_VERSION})`, { file, field: 'cimtwin.version' });
  const origin = meta.origin;
  if (!origin || typeof origin.lonDeg !== 'number' || typeof origin.latDeg !== 'number') throw new CimError('origin must have numeric lonDeg and latDeg', { file, field: 'cimtwin.origin' });
  const frame = new LocalFrame({ lonDeg: origin.lonDeg, latDeg: origin.latDeg, heightM: origin.heightM ?? 0 });
  const builder = new CityBuilder(frame.origin, { name: meta.name, synthetic: !!meta.synthetic, sources: meta.sources ?? [], attribution: meta.attribution ?? [] });
  if (!Array.isArray(fc.features)) throw new CimError('features must be an array', { file, field: 'features' });
  // Nodes before links, so that links can refer to them whatever the order in the file.
  const order = fc.features.map((f, i) => i);
  const layerOf = (f: Feature) => (f && f.properties ? f.properties.layer : undefined);
  order.sort((i, j) => Number(layerOf(fc.features![j]) === 'road-node') - Number(layerOf(fc.features![i]) === 'road-node'));
  for (const idx of order) {
    const f = fc.features[idx] as Feature;
    const id = f?.id;
    const rec = recordName('feature', idx, id);
    try {
      if (!f || f.type !== 'Feature') throw new CimError('not a GeoJSON Feature', { field: 'type' });
      const props = f.properties ?? {};
      const layer = props.layer;
      const g = f.geometry;
      if (typeof id !== 'string' || !id) throw new CimError('feature needs a string id', { field: 'id' });
      if (!g) throw new CimError('feature has no geometry', { field: 'geometry' });
      switch (layer) {
        case 'building':
          if (g.type !== 'Polygon') throw new CimError(`building geometry must be Polygon, got ${g.type}`, { field: 'geometry.type' });
          builder.addBuilding({ id, rings: flatRings(frame, g.coordinates, 'geometry.coordinates'), baseM: numOr(props.baseM, 0), roofM: props.roofM as number, use: str(props.use) ?? 'unknown', name: str(props.name), attrs: restAttrs(props, layer) });
          break;
        case 'road-node': {
          const c = g.coordinates as number[];
          if (g.type !== 'Point') throw new CimError(`road node geometry must be Point, got ${g.type}`, { field: 'geometry.type' });
          const p = frame.toLocal(c[0], c[1], [0, 0]) as number[];
          builder.addRoadNode({ id, xM: p[0], yM: p[1], signalized: props.signalized === true, name: str(props.name), attrs: restAttrs(props, layer) });
          break;
        }
        case 'road-link': {
          if (g.type !== 'LineString') throw new CimError(`road link geometry must be LineString, got ${g.type}`, { field: 'geometry.type' });
          const xy = flatRings(frame, [g.coordinates], 'geometry.coordinates')[0];
          const kph = props.speedLimitKph;
          if (typeof kph !== 'number') throw new CimError('speedLimitKph must be a number', { field: 'speedLimitKph' });
          builder.addRoadLink({
            id,
            fromId: String(props.from),
            toId: String(props.to),
            roadClass: props.roadClass as RoadClass,
            lanes: props.lanes as number,
            speedLimitMps: kph / KPH_PER_MPS,
            oneway: props.oneway === true,
            xyM: xy,
            lengthM: numOr(props.lengthM, undefined),
            name: str(props.name),
            attrs: restAttrs(props, layer),
          });
          break;
        }
        case 'key-area': {
          if (g.type !== 'Polygon' && g.type !== 'MultiPolygon') throw new CimError(`key area geometry must be Polygon or MultiPolygon, got ${g.type}`, { field: 'geometry.type' });
          const geometry = g.type === 'Polygon'
            ? { rings: flatRings(frame, g.coordinates, 'geometry.coordinates') }
            : { polygons: (Array.isArray(g.coordinates) ? (g.coordinates as unknown[]) : []).map((p, k) => flatRings(frame, p, `geometry.coordinates[${k}]`)) };
          builder.addKeyArea({ id, ...geometry, category: props.category as string, name: str(props.name), inVideoSet: props.video !== false, in5gSet: props.nr5g !== false, attrs: restAttrs(props, layer) });
          break;
        }
        case 'scope': {
          const polys = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? (g.coordinates as unknown[]) : null;
          if (!polys) throw new CimError(`scope geometry must be Polygon or MultiPolygon, got ${g.type}`, { field: 'geometry.type' });
          builder.addScope({ id, kind: props.scope as ScopeKind, name: str(props.name), polygons: polys.map((p, k) => flatRings(frame, p, `geometry.coordinates[${k}]`)), attrs: restAttrs(props, layer) });
          break;
        }
        case 'device': {
          if (g.type !== 'Point') throw new CimError(`device geometry must be Point, got ${g.type}`, { field: 'geometry.type' });
          const c = g.coordinates as number[];
          const p = frame.toLocal(c[0], c[1], [0, 0]) as number[];
          builder.addDevice({
            id,
            type: props.deviceType as DeviceType,
            xM: p[0],
            yM: p[1],
            heightM: props.heightM as number,
            headingDeg: numOr(props.headingDeg, undefined),
            tiltDeg: numOr(props.tiltDeg, undefined),
            healthy: props.healthy !== false,
            networked: props.networked !== false,
            name: str(props.name),
            attrs: restAttrs(props, layer),
          });
          break;
        }
        default:
          throw new CimError(`unknown layer ${JSON.stringify(layer)} (expected building, road-node, road-link, key-area, scope or device)`, { field: 'properties.layer' });
      }
    } catch (e) {
      if (e instanceof CimError) throw e.withLocation({ file, record: rec });
      throw e;
    }
  }
  return builder.build();
}
