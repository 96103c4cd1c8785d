/**
 * CityBuilder: the one way to make a {@link City}. Importers and the generator add records one by
 * one (local metres); `build()` freezes them into flat typed arrays, derives intersection classes and
 * degrees, and checks cross-references. Errors are {@link CimError}s; importers add file and record.
 */
import { CimError } from './errors.ts';
import type { CityOrigin } from './frame.ts';
import { cleanRing, orientRing } from '../geom/polygon.ts';
import {
  DEVICE_TYPES,
  ROAD_CLASSES,
  SCOPE_KINDS,
  type Attrs,
  type City,
  type CityMeta,
  type DeviceType,
  type RoadClass,
  type Scope,
  type ScopeKind,
} from './types.ts';

export interface BuildingInput {
  id: string;
  /** Rings (outer first) as flat x,y metre lists, open or closed, any orientation. */
  rings: number[][];
  baseM?: number;
  roofM: number;
  use?: string;
  name?: string | null;
  attrs?: Attrs;
}

export interface RoadNodeInput {
  id: string;
  xM: number;
  yM: number;
  signalized?: boolean;
  name?: string | null;
  attrs?: Attrs;
}

export interface RoadLinkInput {
  id: string;
  fromId: string;
  toId: string;
  roadClass: RoadClass;
  lanes: number;
  speedLimitMps: number;
  oneway?: boolean;
  /** Polyline x,y metres from the start node to the end node (at least 2 vertices). */
  xyM: number[];
  /** Defaults to the polyline length. */
  lengthM?: number;
  name?: string | null;
  attrs?: Attrs;
}

export interface KeyAreaInput {
  id: string;
  /** One polygon: outer ring first, then holes, as flat x,y metre lists. Give this or `polygons`. */
  rings?: number[][];
  /**
   * Several polygons of one area (an OSM multipolygon park, a school on two plots), each its outer
   * ring then its holes. The area is still counted once by the indicators.
   */
  polygons?: number[][][];
  category: string;
  name?: string | null;
  inVideoSet?: boolean;
  in5gSet?: boolean;
  attrs?: Attrs;
}

export interface ScopeInput {
  id: string;
  kind: ScopeKind;
  name?: string | null;
  /** Polygons, each a list of rings as flat x,y metre lists. */
  polygons: number[][][];
  attrs?: Attrs;
}

export interface DeviceInput {
  id: string;
  type: DeviceType;
  xM: number;
  yM: number;
  heightM: number;
  headingDeg?: number;
  tiltDeg?: number;
  healthy?: boolean;
  networked?: boolean;
  name?: string | null;
  attrs?: Attrs;
}

class PolygonAccumulator {
  ringStart: number[] = [0];
  vertexStart: number[] = [0];
  xy: number[] = [];

  add(rings: number[][], what: string): void {
    this.addPolygons([rings], what);
  }

  /**
   * Adds one feature made of several polygons: each outer ring (CCW) followed by its holes (CW), all
   * polygons' rings consecutively.
   */
  addPolygons(polygons: number[][][], what: string): void {
    if (!Array.isArray(polygons) || polygons.length === 0) throw new CimError(`${what} has no polygon`, { field: 'geometry' });
    const cleaned: number[][] = [];
    polygons.forEach((rings, p) => {
      if (!Array.isArray(rings) || rings.length === 0) throw new CimError(`${what} has no rings`, { field: polygons.length > 1 ? `geometry polygon ${p}` : 'geometry' });
      rings.forEach((ring, r) => {
        const c = cleanRing(ring);
        if (typeof c === 'string') throw new CimError(c, { field: polygons.length > 1 ? `geometry polygon ${p} ring ${r}` : `geometry ring ${r}` });
        cleaned.push(orientRing(c, r === 0));
      });
    });
    for (const ring of cleaned) {
      for (const v of ring) this.xy.push(v);
      this.vertexStart.push(this.xy.length / 2);
    }
    this.ringStart.push(this.vertexStart.length - 1);
  }

  freeze() {
    return {
      ringStart: Uint32Array.from(this.ringStart),
      vertexStart: Uint32Array.from(this.vertexStart),
      xyM: Float64Array.from(this.xy),
    };
  }
}

function checkId(id: unknown, seen: Set<string>, what: string): string {
  if (typeof id !== 'string' || id.length === 0) throw new CimError(`${what} needs a non-empty string id`, { field: 'id' });
  if (seen.has(id)) throw new CimError(`duplicate ${what} id '${id}'`, { field: 'id' });
  seen.add(id);
  return id;
}

function finite(v: unknown, field: string, what: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new CimError(`${what} ${field} must be a finite number, got ${JSON.stringify(v)}`, { field });
  return v;
}

export class CityBuilder {
  private meta: CityMeta;
  readonly origin: CityOrigin;

  private bIds = new Set<string>();
  private b = { poly: new PolygonAccumulator(), ids: [] as string[], base: [] as number[], roof: [] as number[], use: [] as string[], names: [] as (string | null)[], attrs: [] as Attrs[] };

  private nIndex = new Map<string, number>();
  private n = { ids: [] as string[], xy: [] as number[], sig: [] as number[], names: [] as (string | null)[], attrs: [] as Attrs[] };

  private lIds = new Set<string>();
  private l = { ids: [] as string[], from: [] as number[], to: [] as number[], cls: [] as number[], lanes: [] as number[], len: [] as number[], speed: [] as number[], oneway: [] as number[], vstart: [0] as number[], xy: [] as number[], names: [] as (string | null)[], attrs: [] as Attrs[] };

  private aIds = new Set<string>();
  private a = { poly: new PolygonAccumulator(), ids: [] as string[], names: [] as (string | null)[], cat: [] as string[], video: [] as number[], nr: [] as number[], attrs: [] as Attrs[] };

  private sIds = new Set<string>();
  private scopes: Scope[] = [];

  private dIds = new Set<string>();
  private d = { ids: [] as string[], type: [] as number[], xy: [] as number[], h: [] as number[], heading: [] as number[], tilt: [] as number[], healthy: [] as number[], net: [] as number[], names: [] as (string | null)[], attrs: [] as Attrs[] };

  constructor(origin: CityOrigin, meta: Partial<CityMeta> = {}) {
    this.origin = { lonDeg: origin.lonDeg, latDeg: origin.latDeg, heightM: origin.heightM ?? 0 };
    this.meta = { name: meta.name ?? 'city', synthetic: meta.synthetic ?? false, sources: meta.sources ?? [], attribution: meta.attribution ?? [] };
  }

  get counts() {
    return { buildings: this.b.ids.length, roadNodes: this.n.ids.length, roadLinks: this.l.ids.length, keyAreas: this.a.ids.length, scopes: this.scopes.length, devices: this.d.ids.length };
  }

  hasBuilding(id: string) { return this.bIds.has(id); }
  hasRoadNode(id: string) { return this.nIndex.has(id); }
  hasRoadLink(id: string) { return this.lIds.has(id); }
  hasKeyArea(id: string) { return this.aIds.has(id); }
  hasDevice(id: string) { return this.dIds.has(id); }

  addBuilding(input: BuildingInput): number {
    const baseM = input.baseM === undefined ? 0 : finite(input.baseM, 'baseM', 'building');
    const roofM = finite(input.roofM, 'roofM', 'building');
    if (baseM < 0) throw new CimError(`building baseM ${baseM} is negative`, { field: 'baseM' });
    if (!(roofM > baseM)) throw new CimError(`building roofM ${roofM} must be above baseM ${baseM}`, { field: 'roofM' });
    if (roofM > 1000) throw new CimError(`building roofM ${roofM} m is higher than any building on earth`, { field: 'roofM' });
    // Check the id before adding geometry so a rejected record leaves no trace.
    if (typeof input.id !== 'string' || !input.id) throw new CimError('building needs a non-empty string id', { field: 'id' });
    if (this.bIds.has(input.id)) throw new CimError(`duplicate building id '${input.id}'`, { field: 'id' });
    this.b.poly.add(input.rings, 'building');
    checkId(input.id, this.bIds, 'building');
    this.b.ids.push(input.id);
    this.b.base.push(baseM);
    this.b.roof.push(roofM);
    this.b.use.push(input.use ?? 'unknown');
    this.b.names.push(input.name ?? null);
    this.b.attrs.push(input.attrs ?? {});
    return this.b.ids.length - 1;
  }

  addRoadNode(input: RoadNodeInput): number {
    if (typeof input.id !== 'string' || !input.id) throw new CimError('road node needs a non-empty string id', { field: 'id' });
    if (this.nIndex.has(input.id)) throw new CimError(`duplicate road node id '${input.id}'`, { field: 'id' });
    const x = finite(input.xM, 'x', 'road node');
    const y = finite(input.yM, 'y', 'road node');
    const i = this.n.ids.length;
    this.nIndex.set(input.id, i);
    this.n.ids.push(input.id);
    this.n.xy.push(x, y);
    this.n.sig.push(input.signalized ? 1 : 0);
    this.n.names.push(input.name ?? null);
    this.n.attrs.push(input.attrs ?? {});
    return i;
  }

  /** Marks an existing node as signalized (e.g. when a signal controller device is attached). */
  setSignalized(nodeId: string, on = true): void {
    const i = this.nIndex.get(nodeId);
    if (i === undefined) throw new CimError(`unknown road node '${nodeId}'`, { field: 'id' });
    this.n.sig[i] = on ? 1 : 0;
  }

  addRoadLink(input: RoadLinkInput): number {
    if (typeof input.id !== 'string' || !input.id) throw new CimError('road link needs a non-empty string id', { field: 'id' });
    if (this.lIds.has(input.id)) throw new CimError(`duplicate road link id '${input.id}'`, { field: 'id' });
    const from = this.nIndex.get(input.fromId);
    const to = this.nIndex.get(input.toId);
    if (from === undefined) throw new CimError(`link '${input.id}' starts at unknown node '${input.fromId}'`, { field: 'from' });
    if (to === undefined) throw new CimError(`link '${input.id}' ends at unknown node '${input.toId}'`, { field: 'to' });
    const cls = ROAD_CLASSES.indexOf(input.roadClass);
    if (cls < 0) throw new CimError(`unknown road class '${input.roadClass}' (expected one of ${ROAD_CLASSES.join(', ')})`, { field: 'roadClass' });
    const lanes = finite(input.lanes, 'lanes', 'road link');
    if (!Number.isInteger(lanes) || lanes < 1 || lanes > 255) throw new CimError(`lanes must be an integer 1–255, got ${lanes}`, { field: 'lanes' });
    const speed = finite(input.speedLimitMps, 'speedLimitMps', 'road link');
    if (speed <= 0 || speed > 70) throw new CimError(`speed limit ${speed} m/s is outside 0–70 m/s`, { field: 'speedLimitMps' });
    const xy = input.xyM;
    if (!Array.isArray(xy) || xy.length < 4 || xy.length % 2) throw new CimError('link polyline needs at least 2 vertices', { field: 'geometry' });
    let len = 0;
    for (let i = 0; i < xy.length; i++) if (!Number.isFinite(xy[i])) throw new CimError(`link polyline vertex ${i >> 1} is not finite`, { field: 'geometry' });
    for (let i = 2; i < xy.length; i += 2) len += Math.hypot(xy[i] - xy[i - 2], xy[i + 1] - xy[i - 1]);
    const lengthM = input.lengthM === undefined ? len : finite(input.lengthM, 'lengthM', 'road link');
    if (!(lengthM > 0)) throw new CimError(`link length ${lengthM} m must be positive`, { field: 'lengthM' });
    this.lIds.add(input.id);
    this.l.ids.push(input.id);
    this.l.from.push(from);
    this.l.to.push(to);
    this.l.cls.push(cls);
    this.l.lanes.push(lanes);
    this.l.len.push(lengthM);
    this.l.speed.push(speed);
    this.l.oneway.push(input.oneway ? 1 : 0);
    for (const v of xy) this.l.xy.push(v);
    this.l.vstart.push(this.l.xy.length / 2);
    this.l.names.push(input.name ?? null);
    this.l.attrs.push(input.attrs ?? {});
    return this.l.ids.length - 1;
  }

  addKeyArea(input: KeyAreaInput): number {
    if (typeof input.id !== 'string' || !input.id) throw new CimError('key area needs a non-empty string id', { field: 'id' });
    if (this.aIds.has(input.id)) throw new CimError(`duplicate key area id '${input.id}'`, { field: 'id' });
    if (typeof input.category !== 'string' || !input.category) throw new CimError('key area needs a category', { field: 'category' });
    if (input.polygons !== undefined && input.rings !== undefined) throw new CimError(`key area '${input.id}' gives both rings and polygons; give one`, { field: 'geometry' });
    if (input.polygons !== undefined) this.a.poly.addPolygons(input.polygons, 'key area');
    else this.a.poly.add(input.rings ?? [], 'key area');
    this.aIds.add(input.id);
    this.a.ids.push(input.id);
    this.a.names.push(input.name ?? null);
    this.a.cat.push(input.category);
    this.a.video.push(input.inVideoSet === false ? 0 : 1);
    this.a.nr.push(input.in5gSet === false ? 0 : 1);
    this.a.attrs.push(input.attrs ?? {});
    return this.a.ids.length - 1;
  }

  addScope(input: ScopeInput): number {
    if (!SCOPE_KINDS.includes(input.kind)) throw new CimError(`unknown scope kind '${input.kind}' (expected one of ${SCOPE_KINDS.join('、')})`, { field: 'scope' });
    if (typeof input.id !== 'string' || !input.id) throw new CimError('scope needs a non-empty string id', { field: 'id' });
    if (this.sIds.has(input.id)) throw new CimError(`duplicate scope id '${input.id}'`, { field: 'id' });
    if (!input.polygons.length) throw new CimError('scope has no polygon', { field: 'geometry' });
    const polygons = input.polygons.map((rings, p) =>
      rings.map((ring, r) => {
        const c = cleanRing(ring);
        if (typeof c === 'string') throw new CimError(c, { field: `geometry polygon ${p} ring ${r}` });
        return Float64Array.from(orientRing(c, r === 0));
      }),
    );
    this.sIds.add(input.id);
    this.scopes.push({ id: input.id, kind: input.kind, name: input.name ?? null, polygons, attrs: input.attrs ?? {} });
    return this.scopes.length - 1;
  }

  addDevice(input: DeviceInput): number {
    if (typeof input.id !== 'string' || !input.id) throw new CimError('device needs a non-empty string id', { field: 'id' });
    if (this.dIds.has(input.id)) throw new CimError(`duplicate device id '${input.id}'`, { field: 'id' });
    const type = DEVICE_TYPES.indexOf(input.type);
    if (type < 0) throw new CimError(`unknown device type '${input.type}' (expected one of ${DEVICE_TYPES.join(', ')})`, { field: 'deviceType' });
    const x = finite(input.xM, 'x', 'device');
    const y = finite(input.yM, 'y', 'device');
    const h = finite(input.heightM, 'heightM', 'device');
    if (h < 0 || h > 600) throw new CimError(`mounting height ${h} m is outside 0–600 m`, { field: 'heightM' });
    const heading = input.headingDeg === undefined ? NaN : finite(input.headingDeg, 'headingDeg', 'device');
    const tilt = input.tiltDeg === undefined ? NaN : finite(input.tiltDeg, 'tiltDeg', 'device');
    if (tilt < -90 || tilt > 90) throw new CimError(`tilt ${tilt}° is outside −90…90°`, { field: 'tiltDeg' });
    this.dIds.add(input.id);
    this.d.ids.push(input.id);
    this.d.type.push(type);
    this.d.xy.push(x, y);
    this.d.h.push(h);
    this.d.heading.push(Number.isNaN(heading) ? NaN : ((heading % 360) + 360) % 360);
    this.d.tilt.push(tilt);
    this.d.healthy.push(input.healthy === false ? 0 : 1);
    this.d.net.push(input.networked === false ? 0 : 1);
    this.d.names.push(input.name ?? null);
    this.d.attrs.push(input.attrs ?? {});
    return this.d.ids.length - 1;
  }

  build(): City {
    const nNodes = this.n.ids.length;
    // Intersection class: the through road of the highest class takes up to two of the node's links
    // (one each side); the class of the best remaining link is the intersection's. So an arterial
    // crossing an arterial is an arterial intersection, while a 支路 T-junction on a through arterial is
    // a 支路 intersection ("支路路口", excluded from DB37/T 3890's important intersections).
    const nCls = ROAD_CLASSES.length;
    const counts = new Uint16Array(nNodes * nCls);
    const degree = new Uint8Array(nNodes);
    const bump = (node: number, cls: number) => {
      if (degree[node] < 255) degree[node]++;
      counts[node * nCls + cls]++;
    };
    for (let i = 0; i < this.l.ids.length; i++) {
      bump(this.l.from[i], this.l.cls[i]);
      if (this.l.to[i] !== this.l.from[i]) bump(this.l.to[i], this.l.cls[i]);
    }
    const classCode = new Uint8Array(nNodes);
    const majorClassCode = new Uint8Array(nNodes);
    for (let i = 0; i < nNodes; i++) {
      let major = -1;
      let cls = -1;
      for (let c = 0; c < nCls; c++) {
        let k = counts[i * nCls + c];
        if (k === 0) continue;
        if (major < 0) {
          major = c;
          k -= Math.min(k, 2); // the through road
        }
        if (k > 0) {
          cls = c;
          break;
        }
      }
      if (major < 0) major = nCls - 1; // isolated node
      majorClassCode[i] = major;
      // A dead end or a mid-link node takes the class of its road.
      classCode[i] = cls < 0 ? major : cls;
    }
    const bp = this.b.poly.freeze();
    const ap = this.a.poly.freeze();
    return {
      meta: { ...this.meta, sources: [...this.meta.sources], attribution: [...this.meta.attribution] },
      origin: { ...this.origin },
      buildings: {
        count: this.b.ids.length,
        ids: this.b.ids,
        ...bp,
        baseM: Float32Array.from(this.b.base),
        roofM: Float32Array.from(this.b.roof),
        use: this.b.use,
        names: this.b.names,
        attrs: this.b.attrs,
      },
      roadNodes: {
        count: nNodes,
        ids: this.n.ids,
        xyM: Float64Array.from(this.n.xy),
        classCode,
        majorClassCode,
        signalized: Uint8Array.from(this.n.sig),
        degree,
        names: this.n.names,
        attrs: this.n.attrs,
      },
      roadLinks: {
        count: this.l.ids.length,
        ids: this.l.ids,
        from: Uint32Array.from(this.l.from),
        to: Uint32Array.from(this.l.to),
        classCode: Uint8Array.from(this.l.cls),
        lanes: Uint8Array.from(this.l.lanes),
        lengthM: Float32Array.from(this.l.len),
        speedLimitMps: Float32Array.from(this.l.speed),
        oneway: Uint8Array.from(this.l.oneway),
        vertexStart: Uint32Array.from(this.l.vstart),
        xyM: Float64Array.from(this.l.xy),
        names: this.l.names,
        attrs: this.l.attrs,
      },
      keyAreas: {
        count: this.a.ids.length,
        ids: this.a.ids,
        ...ap,
        names: this.a.names,
        category: this.a.cat,
        inVideoSet: Uint8Array.from(this.a.video),
        in5gSet: Uint8Array.from(this.a.nr),
        attrs: this.a.attrs,
      },
      scopes: this.scopes,
      devices: {
        count: this.d.ids.length,
        ids: this.d.ids,
        typeCode: Uint8Array.from(this.d.type),
        xyM: Float64Array.from(this.d.xy),
        heightM: Float32Array.from(this.d.h),
        headingDeg: Float32Array.from(this.d.heading),
        tiltDeg: Float32Array.from(this.d.tilt),
        healthy: Uint8Array.from(this.d.healthy),
        networked: Uint8Array.from(this.d.net),
        names: this.d.names,
        attrs: this.d.attrs,
      },
    };
  }
}
