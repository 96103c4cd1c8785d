/**
 * A small CityJSON reader (versions 1.1 and 2.0) for buildings: every `Building` or `BuildingPart`
 * with geometry becomes one building of a {@link City} (footprint, base and roof height, use, name,
 * attributes) and, for the tiles, keeps its boundary surfaces (LoD1 blocks, LoD2 roofs and walls)
 * exactly as modelled. Pure: the caller reads the file.
 *
 * - Geometry: of an object's geometries the highest LoD of type Solid, MultiSurface,
 *   CompositeSurface, MultiSolid or CompositeSolid is used (GeometryInstance templates are not
 *   read). Vertices are the integer `vertices` times `transform.scale` plus `transform.translate`.
 * - Semantics: RoofSurface → roof, WallSurface → wall, GroundSurface → ground, others → other.
 *   Ground surfaces of objects standing on the ground are left out of the tiles (never seen).
 * - Footprint (the LoD1 prism sim-core works with): the largest GroundSurface; else the largest
 *   horizontal surface at the object's lowest height; else the convex hull of all its vertices.
 * - Heights: the viewer's globe is the bare ellipsoid, so terrain is flattened: every Building
 *   (with its parts) stands on the local ground at its lowest vertex; a part's `baseM` and `roofM`
 *   are its lowest and highest vertex above that. The city origin is the centre of the buildings'
 *   lon/lat box, at ellipsoidal height 0.
 * - CRS (`metadata.referenceSystem`, or the `crs` option): WGS84/CGCS2000 lon/lat (EPSG 4326,
 *   4979, 4490, 4480), UTM on WGS84 (EPSG 326xx/327xx), CGCS2000 Gauss-Krüger (EPSG 4491–4554: 6°
 *   and 3° zones, with and without the zone prefix), Amersfoort / RD New (EPSG 28992, and 7415 =
 *   RD New + NAP), or any proj4 definition string given as `crs`.
 * - Use: attribute `use`, else `usage`, else `function`, else 'unknown'; name: attribute `name`.
 *
 * Errors are {@link CimError}s naming the file, the CityObject and the field.
 */
import proj4 from 'proj4';
import { CityBuilder } from '../sim-core/cim/builder.ts';
import { CimError } from '../sim-core/cim/errors.ts';
import { LocalFrame } from '../sim-core/cim/frame.ts';
import type { Attrs, City } from '../sim-core/cim/types.ts';
import type { BuildingSurfaces } from './mesh.ts';

export interface CityJsonOptions {
  /** Overrides `metadata.referenceSystem`: `EPSG:n` or a proj4 definition. */
  crs?: string;
  /** City name (default: metadata.title, else the file name). */
  name?: string;
}

export interface CityJsonResult {
  city: City;
  /** Boundary surfaces by building index (every building read from CityJSON has them). */
  surfaces: BuildingSurfaces[];
  /** The proj4 definition the coordinates were read with. */
  crs: string;
  /** How many objects of each CityJSON type were read as buildings / skipped (other types). */
  counts: { buildings: number; parts: number; skippedObjects: number };
}

const GEOMETRY_TYPES = ['Solid', 'MultiSurface', 'CompositeSurface', 'MultiSolid', 'CompositeSolid'];
const BUILDING_TYPES = ['Building', 'BuildingPart'];

/** proj4 definition of an EPSG code we know, or null. */
export function epsgToProj4(code: number): string | null {
  if (code === 4326 || code === 4979 || code === 4490 || code === 4480 || code === 4479) return '+proj=longlat +datum=WGS84 +no_defs';
  if (code >= 32601 && code <= 32660) return `+proj=utm +zone=${code - 32600} +datum=WGS84 +units=m +no_defs`;
  if (code >= 32701 && code <= 32760) return `+proj=utm +zone=${code - 32700} +south +datum=WGS84 +units=m +no_defs`;
  const gk = (lon0: number, x0: number) => `+proj=tmerc +lat_0=0 +lon_0=${lon0} +k=1 +x_0=${x0} +y_0=0 +ellps=GRS80 +units=m +no_defs`;
  if (code >= 4491 && code <= 4501) {
    const zone = 13 + (code - 4491); // CGCS2000 / Gauss-Kruger zone 13–23 (6°)
    return gk(6 * zone - 3, zone * 1e6 + 500000);
  }
  if (code >= 4502 && code <= 4512) return gk(75 + 6 * (code - 4502), 500000); // CGCS2000 / Gauss-Kruger CM 75E–135E
  if (code >= 4513 && code <= 4533) {
    const zone = 25 + (code - 4513); // CGCS2000 / 3-degree Gauss-Kruger zone 25–45
    return gk(3 * zone, zone * 1e6 + 500000);
  }
  if (code >= 4534 && code <= 4554) return gk(75 + 3 * (code - 4534), 500000); // CGCS2000 / 3-degree Gauss-Kruger CM 75E–135E
  if (code === 28992 || code === 7415)
    return '+proj=sterea +lat_0=52.15616055555555 +lon_0=5.38763888888889 +k=0.9999079 +x_0=155000 +y_0=463000 +ellps=bessel +towgs84=565.417,50.3319,465.552,-0.398957,0.343988,-1.8774,4.0725 +units=m +no_defs';
  return null;
}

/** The EPSG code in a CityJSON reference system string (URL, URN or `EPSG:n`), or null. */
export function epsgCode(ref: string): number | null {
  const m = /EPSG(?::|\/0\/|::)(\d+)\s*$/i.exec(ref.trim()) ?? /EPSG\D*(\d+)\s*$/i.exec(ref.trim());
  return m ? Number(m[1]) : null;
}

interface Converter {
  forward(p: number[]): number[];
}

interface RawPolygon {
  rings: number[][]; // vertex indices
  kind: number;
}

const kindOf = (type: unknown): number => {
  switch (type) {
    case 'RoofSurface':
      return 0;
    case 'WallSurface':
      return 1;
    case 'GroundSurface':
      return 2;
    default:
      return 3;
  }
};

/** Reads one CityJSON document; see the module doc. */
export function readCityJson(json: unknown, file = 'city.cityjson', options: CityJsonOptions = {}): CityJsonResult {
  const doc = json as Record<string, any>;
  const err = (reason: string, field?: string, record?: string) => new CimError(reason, { file, field, record });
  if (!doc || typeof doc !== 'object' || doc.type !== 'CityJSON') throw err('not a CityJSON document (expected "type": "CityJSON")', 'type');
  const version = String(doc.version ?? '');
  if (!/^(1\.1|2\.0)(\.\d+)?$/.test(version)) throw err(`CityJSON version ${JSON.stringify(doc.version)} is not read (1.1 and 2.0 are)`, 'version');
  if (!Array.isArray(doc.vertices)) throw err('vertices must be an array', 'vertices');
  if (!doc.CityObjects || typeof doc.CityObjects !== 'object') throw err('CityObjects must be an object', 'CityObjects');
  const scale = doc.transform?.scale ?? [1, 1, 1];
  const translate = doc.transform?.translate ?? [0, 0, 0];
  if (![...scale, ...translate].every((v: unknown) => typeof v === 'number' && Number.isFinite(v)) || scale.length !== 3 || translate.length !== 3) throw err('transform.scale and transform.translate must be 3 numbers each', 'transform');

  // CRS
  let def: string | null = null;
  const crsText = options.crs ?? doc.metadata?.referenceSystem;
  if (typeof crsText !== 'string' || !crsText) throw err('no coordinate reference system: give metadata.referenceSystem in the file or the crs option (EPSG:n or a proj4 definition)', 'metadata.referenceSystem');
  if (crsText.trim().startsWith('+')) def = crsText.trim();
  else {
    const code = epsgCode(crsText);
    def = code === null ? null : epsgToProj4(code);
    if (!def) throw err(`reference system ${JSON.stringify(crsText)} is not one this reader knows (WGS84/CGCS2000 lon/lat, UTM, CGCS2000 Gauss-Krüger 4491–4554, RD New 28992/7415); give its proj4 definition as the crs option`, options.crs ? 'crs' : 'metadata.referenceSystem');
  }
  const conv = proj4(def, 'EPSG:4326') as unknown as Converter;
  const geographic = def.includes('+proj=longlat');

  const nVert = doc.vertices.length;
  const vertex = (i: number, out: number[]) => {
    const v = doc.vertices[i];
    out[0] = v[0] * scale[0] + translate[0];
    out[1] = v[1] * scale[1] + translate[1];
    out[2] = v[2] * scale[2] + translate[2];
    return out;
  };

  // the objects to read, with the Building each belongs to (for its ground height)
  const objects = doc.CityObjects as Record<string, Record<string, any>>;
  const ids = Object.keys(objects);
  let skippedObjects = 0;
  interface Item {
    id: string;
    obj: Record<string, any>;
    rootId: string;
    polygons: RawPolygon[];
    lod: string;
    minZ: number;
    maxZ: number;
  }
  const items: Item[] = [];
  const rootOf = (id: string): string => {
    let cur = id;
    for (let guard = 0; guard < 32; guard++) {
      const parents = objects[cur]?.parents;
      if (!Array.isArray(parents) || parents.length === 0 || !objects[parents[0]]) return cur;
      cur = parents[0];
    }
    return cur;
  };
  const p = [0, 0, 0];
  for (const id of ids) {
    const obj = objects[id];
    const record = `CityObject '${id}'`;
    if (!obj || typeof obj !== 'object') throw err('is not an object', undefined, record);
    if (!BUILDING_TYPES.includes(obj.type)) {
      skippedObjects++;
      continue;
    }
    const geoms = Array.isArray(obj.geometry) ? obj.geometry : [];
    let best = -1;
    let bestLod = -Infinity;
    geoms.forEach((g: Record<string, any>, k: number) => {
      const lod = Number(g?.lod);
      if (GEOMETRY_TYPES.includes(g?.type) && Number.isFinite(lod) && lod >= 1 && lod > bestLod) {
        best = k;
        bestLod = lod;
      }
    });
    if (best < 0) {
      if (geoms.length === 0 && Array.isArray(obj.children) && obj.children.length) continue; // a Building made of parts
      throw err(`has no LoD1 or LoD2 geometry of type ${GEOMETRY_TYPES.join('/')} (GeometryInstance and LoD0 are not read)`, 'geometry', record);
    }
    const g = geoms[best];
    const field = `geometry[${best}]`;
    const polygons: RawPolygon[] = [];
    const surfacesSem: unknown[] = Array.isArray(g.semantics?.surfaces) ? g.semantics.surfaces : [];
    const semType = (value: unknown) => (typeof value === 'number' ? (surfacesSem[value] as { type?: string } | undefined)?.type : undefined);
    const addSurface = (surface: unknown, sem: unknown, path: string) => {
      if (!Array.isArray(surface) || surface.length === 0) throw err('a surface must be a non-empty array of rings', `${field}.boundaries${path}`, record);
      const rings = surface.map((ring: unknown, r: number) => {
        if (!Array.isArray(ring)) throw err('a ring must be an array of vertex indices', `${field}.boundaries${path}[${r}]`, record);
        return ring.map((vi: unknown, k: number) => {
          if (typeof vi !== 'number' || !Number.isInteger(vi) || vi < 0 || vi >= nVert) throw err(`vertex index ${JSON.stringify(vi)} is not one of the ${nVert} vertices`, `${field}.boundaries${path}[${r}][${k}]`, record);
          return vi;
        });
      });
      polygons.push({ rings, kind: kindOf(semType(sem)) });
    };
    const b = g.boundaries;
    const values = g.semantics?.values;
    if (!Array.isArray(b)) throw err('boundaries must be an array', `${field}.boundaries`, record);
    if (g.type === 'MultiSurface' || g.type === 'CompositeSurface') b.forEach((s: unknown, i: number) => addSurface(s, values?.[i], `[${i}]`));
    else if (g.type === 'Solid') b.forEach((shell: unknown[], i: number) => shell.forEach((s, j) => addSurface(s, values?.[i]?.[j], `[${i}][${j}]`)));
    else b.forEach((solid: unknown[][], i: number) => solid.forEach((shell, j) => shell.forEach((s, k) => addSurface(s, values?.[i]?.[j]?.[k], `[${i}][${j}][${k}]`))));
    let minZ = Infinity, maxZ = -Infinity;
    for (const poly of polygons)
      for (const ring of poly.rings)
        for (const vi of ring) {
          vertex(vi, p);
          if (!p.every(Number.isFinite)) throw err(`vertex ${vi} is not three finite numbers`, `vertices[${vi}]`, record);
          if (p[2] < minZ) minZ = p[2];
          if (p[2] > maxZ) maxZ = p[2];
        }
    if (!(maxZ > minZ)) throw err('geometry has no height (all vertices at one z)', field, record);
    items.push({ id, obj, rootId: rootOf(id), polygons, lod: String(g.lod), minZ, maxZ });
  }
  if (items.length === 0) throw err('no Building or BuildingPart with LoD1/LoD2 geometry', 'CityObjects');

  // lon/lat of every vertex used, and the origin at the centre of their box
  const lonLat = new Float64Array(2 * nVert).fill(NaN);
  let west = Infinity, south = Infinity, east = -Infinity, north = -Infinity;
  for (const it of items)
    for (const poly of it.polygons)
      for (const ring of poly.rings)
        for (const vi of ring) {
          if (!Number.isNaN(lonLat[2 * vi])) continue;
          vertex(vi, p);
          const ll = geographic ? [p[0], p[1]] : conv.forward([p[0], p[1]]);
          if (!(Math.abs(ll[1]) <= 85 && Math.abs(ll[0]) <= 180)) throw err(`vertex ${vi} does not map to a usable longitude/latitude with ${def}`, `vertices[${vi}]`, `CityObject '${it.id}'`);
          lonLat[2 * vi] = ll[0];
          lonLat[2 * vi + 1] = ll[1];
          west = Math.min(west, ll[0]);
          east = Math.max(east, ll[0]);
          south = Math.min(south, ll[1]);
          north = Math.max(north, ll[1]);
        }
  const origin = { lonDeg: (west + east) / 2, latDeg: (south + north) / 2, heightM: 0 };
  const frame = new LocalFrame(origin);
  const groundOf = new Map<string, number>();
  for (const it of items) groundOf.set(it.rootId, Math.min(groundOf.get(it.rootId) ?? Infinity, it.minZ));

  const meta = doc.metadata ?? {};
  const builder = new CityBuilder(origin, {
    name: options.name ?? (typeof meta.title === 'string' ? meta.title : file.split(/[\\/]/).pop() ?? 'CityJSON city'),
    synthetic: false,
    sources: [`${file} (CityJSON ${version}, ${def})`],
    attribution: typeof meta.pointOfContact?.contactName === 'string' ? [meta.pointOfContact.contactName] : [],
  });
  const surfaces: BuildingSurfaces[] = [];
  const xy = [0, 0];
  let parts = 0;
  for (const it of items) {
    const record = `CityObject '${it.id}'`;
    const ground = groundOf.get(it.rootId) as number;
    const baseM = it.minZ - ground, roofM = it.maxZ - ground;
    // local x, y and z above the ground, per vertex used
    const local = new Map<number, number[]>();
    const loc = (vi: number) => {
      let v = local.get(vi);
      if (!v) {
        frame.toLocal(lonLat[2 * vi], lonLat[2 * vi + 1], xy);
        vertex(vi, p);
        v = [xy[0], xy[1], p[2] - ground];
        local.set(vi, v);
      }
      return v;
    };
    const footprint = footprintOf(it.polygons, loc, it.minZ - ground);
    const a = it.obj.attributes && typeof it.obj.attributes === 'object' ? (it.obj.attributes as Attrs) : {};
    const use = [a.use, a.usage, a.function].find((v) => typeof v === 'string' || typeof v === 'number');
    const attrs: Attrs = { ...a, cityjsonType: it.obj.type, lod: it.lod };
    if (it.rootId !== it.id) attrs.parentId = it.rootId;
    try {
      builder.addBuilding({ id: it.id, rings: footprint, baseM, roofM, use: use === undefined ? 'unknown' : String(use), name: typeof a.name === 'string' ? a.name : null, attrs });
    } catch (e) {
      if (e instanceof CimError) throw e.withLocation({ file, record });
      throw e;
    }
    if (it.obj.type === 'BuildingPart') parts++;
    // boundary surfaces for the tiles
    const xyz: number[] = [], polygonStart = [0], ringStart = [0], kind: number[] = [];
    for (const poly of it.polygons) {
      if (poly.kind === 2 && baseM === 0) continue; // ground surfaces on the ground are never seen
      for (const ring of poly.rings) {
        let n = ring.length;
        if (n > 1 && ring[0] === ring[n - 1]) n--; // tolerate closed rings
        for (let k = 0; k < n; k++) xyz.push(...loc(ring[k]));
        ringStart.push(xyz.length / 3);
      }
      polygonStart.push(ringStart.length - 1);
      kind.push(poly.kind);
    }
    surfaces.push({ xyzM: Float64Array.from(xyz), polygonStart: Uint32Array.from(polygonStart), ringStart: Uint32Array.from(ringStart), kind: Uint8Array.from(kind), lod: it.lod });
  }
  return { city: builder.build(), surfaces, crs: def, counts: { buildings: items.length - parts, parts, skippedObjects } };
}

/** Signed area of a ring of local points in the plane. */
function area2(ring: number[][]): number {
  let s = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) s += (ring[j][0] - ring[i][0]) * (ring[j][1] + ring[i][1]);
  return s / 2;
}

/** The footprint rings (flat x, y lists) of an object; see the module doc. */
function footprintOf(polygons: RawPolygon[], loc: (vi: number) => number[], lowestZ: number): number[][] {
  const toRings = (poly: RawPolygon) => poly.rings.map((ring) => ring.map(loc));
  const largest = (cands: RawPolygon[]) => {
    let best: number[][][] | null = null;
    let bestArea = 0;
    for (const c of cands) {
      const rings = toRings(c);
      const a = Math.abs(area2(rings[0]));
      if (a > bestArea) {
        bestArea = a;
        best = rings;
      }
    }
    return best;
  };
  let rings = largest(polygons.filter((q) => q.kind === 2));
  if (!rings) rings = largest(polygons.filter((q) => q.rings[0].every((vi) => Math.abs(loc(vi)[2] - lowestZ) < 0.01)));
  if (!rings) {
    // convex hull (monotone chain) of every vertex
    const pts = polygons.flatMap((q) => q.rings.flat().map(loc)).sort((u, v) => u[0] - v[0] || u[1] - v[1]);
    const cross = (o: number[], a: number[], b: number[]) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
    const half = (list: number[][]) => {
      const h: number[][] = [];
      for (const q of list) {
        while (h.length >= 2 && cross(h[h.length - 2], h[h.length - 1], q) <= 0) h.pop();
        h.push(q);
      }
      h.pop();
      return h;
    };
    rings = [[...half(pts), ...half([...pts].reverse())]];
  }
  return rings.map((ring) => ring.flatMap((q) => [q[0], q[1]]));
}
