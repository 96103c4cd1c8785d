/**
 * The import context: several input files accumulate into one set of records, and {@link
 * ImportContext.finish} turns them into ONE city through one {@link CityBuilder}. All or nothing: the
 * first bad record anywhere throws a {@link CimError} naming the file, the record and the field, and
 * no city is returned (the caller discards the context).
 *
 * Cross-file steps happen in `finish`, once the origin is known: the extent check, merging tile pieces
 * that share an id, duplicate ids across files, key-area points, the road graph with its signals, and
 * attaching signal controllers to intersections.
 */
import KDBush from 'kdbush';
import { union } from 'polyclip-ts';
import { CityBuilder } from '../builder.ts';
import { CimError } from '../errors.ts';
import { LocalFrame } from '../frame.ts';
import type { Attrs, City } from '../types.ts';
import { pointInRing, ringSignedArea } from '../../geom/polygon.ts';
import { CRS_LABEL } from './crs.ts';
import { readCsvLedger } from './csv.ts';
import { readGeoJSON } from './geojson.ts';
import { resolveOptions, type FileOptions, type ImportOptions, type ResolvedOptions } from './options.ts';
import { readOsmXml, readOverpassJson } from './osm.ts';
import type { KeyAreaRecord, LngLatPolygon, Provenance, RecordSink } from './records.ts';
import type { ReaderContext } from './reader.ts';
import { addRepair, addSkip, newFileReport, type FileReport, type ImportReport, type InputFormat } from './report.ts';
import { buildRoadGraph, nearestWithin } from './road-graph.ts';

export interface ImportInput {
  /** Name used in messages (usually the path as the user typed it). */
  file: string;
  format: InputFormat;
  /** The file's text; or `json` when already parsed (GeoJSON, Overpass JSON). */
  text?: string;
  json?: unknown;
  options?: FileOptions;
  /** Text encoding the reader used (reported). */
  encoding?: string;
}

export interface ImportResult {
  city: City;
  report: ImportReport;
}

const where = (p: Provenance, field?: string) => ({ file: p.file.file, record: p.record, field });

function duplicateError(what: string, id: string, first: Provenance, again: Provenance): CimError {
  return new CimError(`duplicate ${what} id '${id}' (first in ${first.file.file}, ${first.record})`, where(again, 'id'));
}

/** Remembers the first record of each id; a second one is an error naming both. */
function firstOfId(seen: Map<string, Provenance>, id: string, prov: Provenance, what: string): void {
  const prev = seen.get(id);
  if (prev) throw duplicateError(what, id, prev, prov);
  seen.set(id, prov);
}

/** Re-throws a builder error with the record's location. */
function located<T>(p: Provenance, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof CimError) throw e.withLocation(where(p));
    throw e;
  }
}

/** Median of a list of numbers (sorted copy). */
function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[s.length >> 1];
}

/** A circle of `radiusM` around (x, y) as one open ring of 32 vertices (counter-clockwise). */
function circleRing(x: number, y: number, radiusM: number): number[] {
  const ring: number[] = [];
  for (let k = 0; k < 32; k++) {
    const a = (2 * Math.PI * k) / 32;
    ring.push(x + radiusM * Math.cos(a), y + radiusM * Math.sin(a));
  }
  return ring;
}

type Ring = [number, number][];

/** Polygons (rings as flat x,y) → polyclip geometry. */
const toClip = (polys: number[][][]): Ring[][] =>
  polys.map((rings) =>
    rings.map((r) => {
      const out: Ring = [];
      for (let i = 0; i < r.length; i += 2) out.push([r[i], r[i + 1]]);
      return out;
    }),
  );
const fromClip = (polys: Ring[][]): number[][][] => polys.map((rings) => rings.map((r) => r.flat()));

export class ImportContext {
  readonly opts: ResolvedOptions;
  private readonly files: FileReport[] = [];
  private readonly sink: RecordSink = { buildings: [], roads: [], signals: [], keyAreas: [], scopes: [], devices: [], outlines: [] };
  private finished = false;

  constructor(options: ImportOptions = {}) {
    this.opts = resolveOptions(options);
  }

  /** Reads one file into the context. Throws {@link CimError} on bad input; the context must then be discarded. */
  addFile(input: ImportInput): FileReport {
    if (this.finished) throw new Error('ImportContext.finish() was already called; make a new context');
    const dup = this.files.find((f) => f.file === input.file);
    if (dup) throw new CimError('the same file is given twice', { file: input.file, field: 'file' });
    const report = newFileReport(input.file, input.format, 'wgs84', 'default');
    if (input.encoding) report.encoding = input.encoding;
    const ctx: ReaderContext = { sink: this.sink, opts: this.opts, report, file: input.options ?? {} };
    const body = input.json !== undefined ? input.json : input.text;
    if (body === undefined) throw new CimError('no content given', { file: input.file });
    switch (input.format) {
      case 'geojson':
        readGeoJSON(body, ctx);
        break;
      case 'osm-xml':
        if (typeof body !== 'string') throw new CimError('OSM XML must be given as text', { file: input.file });
        readOsmXml(body, ctx);
        report.attribution.push('© OpenStreetMap contributors');
        break;
      case 'overpass-json':
        readOverpassJson(body, ctx);
        report.attribution.push('© OpenStreetMap contributors');
        break;
      case 'csv':
        if (typeof body !== 'string') throw new CimError('CSV must be given as text', { file: input.file });
        readCsvLedger(body, ctx);
        break;
      default:
        throw new CimError(`unknown input format ${JSON.stringify(input.format)}`, { file: input.file, field: 'format' });
    }
    if (report.crs in CRS_LABEL) report.crs = CRS_LABEL[report.crs as keyof typeof CRS_LABEL];
    this.files.push(report);
    return report;
  }

  /** Builds the city from everything read. Throws {@link CimError} on the first cross-file problem. */
  finish(): ImportResult {
    if (this.finished) throw new Error('ImportContext.finish() was already called');
    this.finished = true;
    const s = this.sink;
    const o = this.opts;
    const total = s.buildings.length + s.roads.length + s.signals.length + s.keyAreas.length + s.scopes.length + s.devices.length;
    if (total === 0) throw new CimError(`nothing to import: no buildings, roads, signals, key areas, scopes or devices in ${this.files.map((f) => f.file).join(', ') || 'no files'}`, {});

    // Origin: the option, else the per-axis median of the first file's coordinates.
    let originSource = 'option';
    let origin = o.origin ? { lonDeg: o.origin.lonDeg, latDeg: o.origin.latDeg, heightM: o.origin.heightM ?? 0 } : null;
    if (!origin) {
      const first = this.files.find((f) => this.lngLatOf(f).length > 0)!;
      origin = this.defaultOrigin(this.lngLatOf(first));
      originSource = `centre of the bbox of ${first.file}`;
    }
    const frame = new LocalFrame(origin);
    const radiusM = o.maxRadiusKm * 1000;
    const extent = o.bbox ? `bbox ${o.bbox.join(',')}` : `${o.maxRadiusKm} km around the origin`;
    const p = [0, 0];

    /** Projects flat lon/lat; checks the extent. Returns null when the record is clipped away. */
    const project = (ll: number[], prov: Provenance): number[] | null => {
      const out: number[] = new Array(ll.length);
      for (let i = 0; i < ll.length; i += 2) {
        const lon = ll[i];
        const lat = ll[i + 1];
        frame.toLocal(lon, lat, p);
        let outside = '';
        if (o.bbox) {
          const [w, so, e, n] = o.bbox;
          if (lon < w || lon > e || lat < so || lat > n) outside = `position ${lon.toFixed(6)}, ${lat.toFixed(6)} is outside the city bbox ${o.bbox.join(',')}`;
        } else {
          const d = Math.hypot(p[0], p[1]);
          if (d > radiusM) outside = `position ${lon.toFixed(6)}, ${lat.toFixed(6)} is ${(d / 1000).toFixed(1)} km from the city origin ${origin!.lonDeg.toFixed(5)}, ${origin!.latDeg.toFixed(5)}, beyond the ${o.maxRadiusKm} km limit`;
        }
        if (outside) {
          if (o.clip) {
            addSkip(prov.file, 'outside-extent', `records outside the city extent (${extent}), dropped because clipping was asked for`, prov.record);
            return null;
          }
          throw new CimError(`${outside} (wrong coordinates or CRS? set the extent with --max-radius-km or --bbox, or drop such records with --clip)`, where(prov, prov.positionField ?? 'geometry.coordinates'));
        }
        out[i] = p[0];
        out[i + 1] = p[1];
      }
      return out;
    };
    const projectPolygons = (polys: LngLatPolygon[], prov: Provenance): number[][][] | null => {
      const out: number[][][] = [];
      for (const poly of polys) {
        const rings: number[][] = [];
        for (const r of poly) {
          const xy = project(r, prov);
          if (!xy) return null;
          rings.push(xy);
        }
        out.push(rings);
      }
      return out;
    };

    const attribution = [...new Set([...o.attribution, ...this.files.flatMap((f) => f.attribution)])];
    const builder = new CityBuilder(origin, {
      name: o.name,
      synthetic: false,
      sources: [...o.sources, ...this.files.map((f) => `${f.file} (${f.format}, ${f.crs})`)],
      attribution,
    });

    /** Projects the pieces of one id (null when clipped away) and unions tile pieces. */
    const groupParts = (group: { polygons: LngLatPolygon[] | null; prov: Provenance }[], what: string): number[][][] | null => {
      const projected: number[][][] = [];
      for (const r of group) {
        const polys = projectPolygons(r.polygons!, r.prov);
        if (!polys) return null;
        projected.push(...polys);
      }
      if (group.length > 1) return this.mergePieces(projected, group[0].prov, what);
      if (projected.length > 1) {
        const how = what === 'key areas' ? 'kept as one area holding all its polygons (counted once)' : 'one per part, ids id, id#2, … (largest first) with attrs partOf, part, parts';
        addRepair(group[0].prov.file, `multipolygon-parts-${what}`, `multi-part ${what}: ${how}`, group[0].prov.record);
      }
      return projected;
    };
    /** Calls `add` once per part of a building: `id`, then `id#2`, …, with partOf/part/parts attributes when there are several. */
    const eachPart = (id: string, attrs: Attrs, parts: number[][][], add: (partId: string, rings: number[][], partAttrs: Attrs) => void) =>
      parts.forEach((rings, k) => add(k === 0 ? id : `${id}#${k + 1}`, rings, parts.length > 1 ? { ...attrs, partOf: id, part: k + 1, parts: parts.length } : { ...attrs }));

    // ---- Buildings: group by id, merge tile pieces, split multipolygons into parts.
    for (const group of this.groupById(s.buildings, 'building').values()) {
      const first = group[0];
      for (const b of group.slice(1)) {
        if (Math.abs(b.roofM - first.roofM) > 0.01 || Math.abs(b.baseM - first.baseM) > 0.01) {
          throw new CimError(`pieces of building '${first.id}' disagree on height (${first.roofM} m in ${first.prov.file.file}, ${first.prov.record})`, where(b.prov, 'height'));
        }
      }
      const parts = groupParts(group, 'buildings');
      if (!parts) continue;
      eachPart(first.id, first.attrs, parts, (id, rings, attrs) =>
        located(first.prov, () => builder.addBuilding({ id, rings, baseM: first.baseM, roofM: first.roofM, use: first.use, name: first.name, attrs })),
      );
    }

    // ---- Key areas: polygons first (merging tile pieces), then points.
    const areaGroups = this.groupById(s.keyAreas.filter((a) => a.polygons), 'key area');
    const areaPolys: { id: string; category: string; polygons: number[][][]; buffer?: boolean }[] = [];
    /** One key area however many polygons it has: DB37/T 3890 counts areas (重点公共区域个数), not parts. */
    const addArea = (a: KeyAreaRecord, attrs: Attrs, polygons: number[][][]) => {
      const geometry = polygons.length === 1 ? { rings: polygons[0] } : { polygons };
      located(a.prov, () => builder.addKeyArea({ id: a.id, ...geometry, category: a.category, name: a.name, inVideoSet: a.inVideoSet, in5gSet: a.in5gSet, attrs: { ...attrs } }));
      areaPolys.push({ id: a.id, category: a.category, polygons });
    };
    for (const group of areaGroups.values()) {
      const parts = groupParts(group, 'key areas');
      if (parts) addArea(group[0], group[0].attrs, parts);
    }
    const outlines = new Map<string, { prov: Provenance; polygons: LngLatPolygon[] }[]>();
    for (const ol of s.outlines) {
      const list = outlines.get(ol.id);
      if (list) list.push(ol);
      else outlines.set(ol.id, [ol]);
    }
    const pointIds = new Map<string, Provenance>();
    for (const a of s.keyAreas) {
      if (!a.point) continue;
      if (areaGroups.has(a.id)) {
        addSkip(a.prov.file, 'key-area-label-point', 'key-area points that are the label point of a key-area polygon with the same id', a.prov.record);
        continue;
      }
      const prev = pointIds.get(a.id);
      if (prev && a.tileIndex !== undefined && prev.file === a.prov.file) {
        addSkip(a.prov.file, 'tile-duplicate-point', 'key-area points repeated in another tile', a.prov.record);
        continue;
      }
      firstOfId(pointIds, a.id, a.prov, 'key area');
      const xy = project(a.point, a.prov);
      if (!xy) continue;
      const [x, y] = xy;
      // The polygon of the same id (a Tilezen POI is the label point of its way), when the point lies in it.
      let outline: { prov: Provenance } | null = null;
      let found: number[][][] = [];
      for (const ol of outlines.get(a.id) ?? []) {
        let polys: number[][][] | null = null;
        try {
          polys = projectPolygons(ol.polygons, ol.prov);
        } catch {
          polys = null; // an outline outside the extent is no outline for this city
        }
        if (polys && polys.some((rings) => pointInRing(x, y, rings[0], 0, rings[0].length / 2))) {
          outline = ol;
          found = polys;
          break;
        }
      }
      if (outline) {
        const from = outline.prov;
        addRepair(a.prov.file, 'key-area-outline', 'key-area points took the outline of the polygon with the same id (e.g. a pedestrian area, a building)', `${a.prov.record} ← ${from.file.file} ${from.record}`);
        addArea(a, { ...a.attrs, geometrySource: `outline of ${from.record}` }, found);
        continue;
      }
      // Only real outlines absorb a point: circles drawn around other points do not.
      const inside = areaPolys.find((ap) => ap.category === a.category && !ap.buffer && ap.polygons.some((rings) => pointInRing(x, y, rings[0], 0, rings[0].length / 2)));
      if (inside) {
        addSkip(a.prov.file, 'key-area-point-inside', 'key-area points inside a key area of the same category (already counted)', `${a.prov.record} in '${inside.id}'`);
        continue;
      }
      addRepair(a.prov.file, 'key-area-point-buffer', `key areas given only as a point: a circle of ${o.poiRadiusM} m radius (--poi-radius), attrs geometrySource=point-buffer`, a.prov.record);
      const rings = [circleRing(x, y, o.poiRadiusM)];
      located(a.prov, () => builder.addKeyArea({ id: a.id, rings, category: a.category, name: a.name, inVideoSet: a.inVideoSet, in5gSet: a.in5gSet, attrs: { ...a.attrs, geometrySource: 'point-buffer', poiRadiusM: o.poiRadiusM } }));
      areaPolys.push({ id: a.id, category: a.category, polygons: [rings], buffer: true });
    }

    // ---- Scopes.
    const scopeIds = new Map<string, Provenance>();
    for (const sc of s.scopes) {
      firstOfId(scopeIds, sc.id, sc.prov, 'scope');
      const polygons = projectPolygons(sc.polygons, sc.prov);
      if (!polygons) continue;
      located(sc.prov, () => builder.addScope({ id: sc.id, kind: sc.kind, name: sc.name, polygons, attrs: sc.attrs }));
    }

    // ---- Roads and signals → graph.
    const roadGroups = this.groupById(s.roads, 'road');
    const ways: { rec: (typeof s.roads)[number]; lines: number[][] }[] = [];
    for (const group of roadGroups.values()) {
      const lines: number[][] = [];
      let clipped = false;
      for (const r of group) {
        for (const l of r.lines) {
          const xy = project(l, r.prov);
          if (!xy) {
            clipped = true;
            break;
          }
          lines.push(xy);
        }
        if (clipped) break;
      }
      if (clipped) continue;
      const joined = group.length > 1 ? this.chainLines(lines) : lines;
      if (group.length > 1) addRepair(group[0].prov.file, 'tile-pieces-joined', 'roads cut into pieces by the tiles of a tiled source: pieces with the same id joined end to end', group[0].prov.record);
      ways.push({ rec: group[0], lines: joined });
    }
    const signalIds = new Map<string, Provenance>();
    const signals: (typeof s.signals)[number][] = [];
    const signalXy: number[] = [];
    for (const sg of s.signals) {
      firstOfId(signalIds, sg.id, sg.prov, 'traffic signal');
      const xy = project([sg.lonDeg, sg.latDeg], sg.prov);
      if (!xy) continue;
      signals.push(sg);
      signalXy.push(xy[0], xy[1]);
    }
    const graph = buildRoadGraph(
      ways.map((w) => w.lines),
      signalXy,
      o.snapToleranceM,
      o.signalMatchToleranceM,
    );
    for (const w of graph.degenerateWays) addSkip(ways[w].rec.prov.file, 'degenerate-road', `roads shorter than the ${o.snapToleranceM} m snap tolerance`, ways[w].rec.prov.record);
    const nodeIds: string[] = [];
    for (let n = 0; n < graph.nodeXyM.length / 2; n++) {
      const id = `n${n + 1}`;
      nodeIds.push(id);
      builder.addRoadNode({ id, xM: graph.nodeXyM[2 * n], yM: graph.nodeXyM[2 * n + 1] });
    }
    const linkCount = new Map<string, number>();
    for (const l of graph.links) {
      const w = ways[l.way].rec;
      const k = (linkCount.get(w.id) ?? 0) + 1;
      linkCount.set(w.id, k);
      located(w.prov, () =>
        builder.addRoadLink({ id: `${w.id}:${k}`, fromId: nodeIds[l.from], toId: nodeIds[l.to], roadClass: w.roadClass, lanes: w.lanes, speedLimitMps: w.speedLimitMps, oneway: w.oneway, xyM: l.xyM, name: w.name, attrs: { ...w.attrs, way: w.id } }),
      );
    }
    const signalized = new Uint8Array(nodeIds.length);
    signals.forEach((sg, i) => {
      const n = graph.signalNode[i];
      if (n < 0) {
        addSkip(sg.prov.file, 'signal-unmatched', `traffic signals with no road node within ${o.signalMatchToleranceM} m (not on the vehicle road graph)`, sg.prov.record);
        return;
      }
      if (graph.signalDistanceM[i] > o.snapToleranceM) {
        addRepair(sg.prov.file, 'signal-nearest-node', `traffic signals not on a road vertex: attached to the nearest road node within ${o.signalMatchToleranceM} m`, `${sg.prov.record} → ${graph.signalDistanceM[i].toFixed(1)} m`);
      }
      signalized[n] = 1;
      builder.setSignalized(nodeIds[n]);
    });

    // ---- Devices; signal controllers mark the nearest road node.
    const deviceIds = new Map<string, Provenance>();
    let nodeIndex: KDBush | null = null;
    for (const d of s.devices) {
      firstOfId(deviceIds, d.id, d.prov, 'device');
      const xy = project([d.lonDeg, d.latDeg], d.prov);
      if (!xy) continue;
      const attrs: Attrs = { ...d.attrs };
      if (d.type === 'signal' && nodeIds.length > 0) {
        if (!nodeIndex) {
          nodeIndex = new KDBush(nodeIds.length);
          for (let n = 0; n < nodeIds.length; n++) nodeIndex.add(graph.nodeXyM[2 * n], graph.nodeXyM[2 * n + 1]);
          nodeIndex.finish();
        }
        const hit = nearestWithin(nodeIndex, graph.nodeXyM, xy[0], xy[1], o.signalMatchToleranceM);
        if (hit.i >= 0) {
          attrs.nodeId = nodeIds[hit.i];
          if (!signalized[hit.i]) {
            signalized[hit.i] = 1;
            builder.setSignalized(nodeIds[hit.i]);
          }
          addRepair(d.prov.file, 'controller-node', `signal controllers attached to the nearest road node within ${o.signalMatchToleranceM} m (attrs nodeId; the node is marked signalized)`, `${d.prov.record} → ${nodeIds[hit.i]} at ${hit.d.toFixed(1)} m`);
        } else addSkip(d.prov.file, 'controller-no-node', `signal controllers with no road node within ${o.signalMatchToleranceM} m (kept as devices, attached to no intersection)`, d.prov.record);
      }
      located(d.prov, () =>
        builder.addDevice({ id: d.id, type: d.type, xM: xy[0], yM: xy[1], heightM: d.heightM, headingDeg: d.headingDeg, tiltDeg: d.tiltDeg, healthy: d.healthy, networked: d.networked, name: d.name, attrs }),
      );
    }

    const city = builder.build();
    let signalizedNodes = 0;
    for (let i = 0; i < city.roadNodes.count; i++) signalizedNodes += city.roadNodes.signalized[i];
    const report: ImportReport = {
      files: this.files,
      origin: { lonDeg: origin.lonDeg, latDeg: origin.latDeg, source: originSource },
      extent,
      city: { buildings: city.buildings.count, roadNodes: city.roadNodes.count, roadLinks: city.roadLinks.count, signalizedNodes, keyAreas: city.keyAreas.count, scopes: city.scopes.length, devices: city.devices.count },
      notes: [],
    };
    return { city, report };
  }

  /**
   * The default origin: the centre of the bounding box of the first file's coordinates, leaving out
   * any that lie beyond the city extent from their per-axis median, so that one mistyped coordinate
   * cannot drag the origin away (the extent check then names that record, not the good ones).
   */
  private defaultOrigin(ll: number[]): { lonDeg: number; latDeg: number; heightM: number } {
    const lons: number[] = [];
    const lats: number[] = [];
    for (let i = 0; i < ll.length; i += 2) {
      lons.push(ll[i]);
      lats.push(ll[i + 1]);
    }
    const mid = new LocalFrame({ lonDeg: median(lons), latDeg: Math.max(-85, Math.min(85, median(lats))), heightM: 0 });
    const limitM = this.opts.maxRadiusKm * 1000;
    let w = Infinity, so = Infinity, e = -Infinity, n = -Infinity;
    const p = [0, 0];
    for (let i = 0; i < lons.length; i++) {
      mid.toLocal(lons[i], lats[i], p);
      if (Math.hypot(p[0], p[1]) > limitM) continue;
      if (lons[i] < w) w = lons[i];
      if (lons[i] > e) e = lons[i];
      if (lats[i] < so) so = lats[i];
      if (lats[i] > n) n = lats[i];
    }
    return { lonDeg: (w + e) / 2, latDeg: (so + n) / 2, heightM: 0 };
  }

  /** Every lon/lat a file's accepted records hold (for the default origin). */
  private lngLatOf(file: FileReport): number[] {
    const out: number[] = [];
    const s = this.sink;
    const polys = (list: { prov: Provenance; polygons: LngLatPolygon[] | null }[]) => {
      for (const r of list) if (r.prov.file === file && r.polygons) for (const p of r.polygons) for (const ring of p) out.push(...ring);
    };
    polys(s.buildings);
    polys(s.keyAreas);
    polys(s.scopes);
    for (const r of s.roads) if (r.prov.file === file) for (const l of r.lines) out.push(...l);
    for (const r of s.keyAreas) if (r.prov.file === file && r.point) out.push(...r.point);
    for (const r of s.signals) if (r.prov.file === file) out.push(r.lonDeg, r.latDeg);
    for (const r of s.devices) if (r.prov.file === file) out.push(r.lonDeg, r.latDeg);
    return out;
  }

  /**
   * Groups records by id. Records with one id are pieces of one feature only in a tiled source: every
   * one carries a tile index (Tilezen `tile_index`) and they come from the same file. Tilezen cuts
   * features at tile edges and also splits a line inside one tile where its properties change (a road
   * entering a park), and the pieces keep the OSM id. Any other repeated id is an error naming both
   * records.
   */
  private groupById<T extends { id: string; prov: Provenance; tileIndex?: number }>(list: T[], what: string): Map<string, T[]> {
    const groups = new Map<string, T[]>();
    for (const r of list) {
      const g = groups.get(r.id);
      if (!g) {
        groups.set(r.id, [r]);
        continue;
      }
      const tiled = r.tileIndex !== undefined && g.every((x) => x.tileIndex !== undefined && x.prov.file === r.prov.file);
      if (!tiled) throw duplicateError(what, r.id, g[0].prov, r.prov);
      g.push(r);
    }
    return groups;
  }

  /** Unions tile-clipped pieces (local metres) into polygons; counted in the report. */
  private mergePieces(pieces: number[][][], prov: Provenance, what: string): number[][][] {
    let merged: number[][][];
    try {
      const [a, ...rest] = toClip(pieces);
      merged = fromClip(union(a, ...rest));
    } catch (e) {
      throw new CimError(`could not merge the tile pieces of this feature: ${e instanceof Error ? e.message : String(e)}`, where(prov, 'geometry'));
    }
    if (merged.length === 0) throw new CimError('the tile pieces of this feature have no area', where(prov, 'geometry'));
    merged.sort((x, y) => Math.abs(ringSignedArea(y[0])) - Math.abs(ringSignedArea(x[0])));
    addRepair(prov.file, `tile-pieces-merged-${what.replace(/\s/g, '-')}`, `${what} cut into pieces by the tiles of a tiled source: pieces with the same id unioned into one`, prov.record);
    return merged;
  }

  /** Joins polylines whose end meets the next one's start (within the snap tolerance), keeping direction. */
  private chainLines(lines: number[][]): number[][] {
    const tol = this.opts.snapToleranceM;
    const left = lines.map((l) => [...l]);
    const out: number[][] = [];
    const near = (l: number[], i: number, m: number[], j: number) => Math.hypot(l[i] - m[j], l[i + 1] - m[j + 1]) <= tol;
    while (left.length) {
      let cur = left.shift()!;
      for (let grew = true; grew; ) {
        grew = false;
        for (let k = 0; k < left.length; k++) {
          const l = left[k];
          if (near(cur, cur.length - 2, l, 0)) {
            cur = cur.concat(l.slice(2));
          } else if (near(l, l.length - 2, cur, 0)) {
            cur = l.concat(cur.slice(2));
          } else continue;
          left.splice(k, 1);
          grew = true;
          break;
        }
      }
      out.push(cur);
    }
    return out;
  }
}

/**
 * Imports several files into one city. All or nothing: throws {@link CimError} (naming file, record and
 * field) on the first problem and returns no city.
 */
export function importCity(inputs: ImportInput[], options: ImportOptions = {}): ImportResult {
  const ctx = new ImportContext(options);
  for (const input of inputs) ctx.addFile(input);
  return ctx.finish();
}
