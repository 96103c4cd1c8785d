/**
 * Candidate sites for new devices, from the city and from the user:
 *
 * - **smart poles** (`pole` devices, 智慧杆): every pole can carry a camera, a 5G small cell and a
 *   weather sensor; it exists already, so opening it costs nothing (pole sharing, seed 002:56 共建共享);
 * - **road-side points** along every road link at `roadSpacingM`, on both sides, offset from the
 *   centreline by half the road width (lanes × laneWidthM / 2) plus `kerbOffsetM`: where a new pole
 *   would stand. Points inside a building footprint or within `poleMergeM` of an existing pole are
 *   left out. Every point can carry a camera; every `sparseEvery`-th point along a link (default 4th:
 *   200 m) also a 5G small cell and a weather station, whose reach is ten times a camera's;
 * - **in-area points** on a `areaGridM` lattice over the open ground of every key area (squares,
 *   parks, school yards): new poles inside the area, for cameras (盲区补点 inside an area a road-side
 *   camera cannot reach: an observation-level camera sees only some 25 m);
 * - **gantries** for e-police cameras: for every approach of every important intersection
 *   (sim-core/coverage/epolice.ts), a mount over the inbound lanes `gantryOffsetM` (20 m) beyond the
 *   stop line on the intersection side, facing up the approach (the usual 电子警察 pole that films
 *   vehicles arriving at the stop line), at `gantryHeightM` (6.5 m);
 * - **rooftops** of buildings at least `rooftopMinHeightM` tall, the tallest one per `rooftopCellM`
 *   square (macro sites stand hundreds of metres apart; every roof would only repeat its neighbour):
 *   a mast of `rooftopMastM` on the roof at the footprint's area centroid (or, when that falls outside
 *   an L-shaped footprint, the middle of the widest interior run through it), for 5G macro sites;
 * - **user points** from GeoJSON ({@link candidatesFromGeoJSON}).
 *
 * Each site states which device templates it hosts, its mounting height and the cost of opening it
 * (a new pole or a new mast). All positions are local metres.
 */
import { CimError, recordName } from '../cim/errors.ts';
import type { LocalFrame } from '../cim/frame.ts';
import { DEVICE_TYPES, type City } from '../cim/types.ts';
import { pointInRings, pointInTablePolygon, ringSignedArea, ringsBBox, tablePolygonParts } from '../geom/polygon.ts';
import type { PrismIndex } from '../spatial/prism-index.ts';
import { buildStopLines, type StopLineOptions } from '../coverage/epolice.ts';

/** Devices the placement can propose. */
export const PLACEMENT_DEVICES = ['camera', 'epolice', 'cell5g', 'weather'] as const;
export type PlacementDevice = (typeof PLACEMENT_DEVICES)[number];

/** Where a candidate comes from. */
export type CandidateSource = 'pole' | 'roadside' | 'rooftop' | 'area' | 'gantry' | 'user';

/** One physical candidate location. */
export interface CandidateSite {
  id: string;
  source: CandidateSource;
  xM: number;
  yM: number;
  /** Height of the mount above the local ground (pole top, roof + mast), metres. */
  mountHeightM: number;
  /** Device templates the site can carry. */
  hosts: PlacementDevice[];
  /** Cost of opening the site (a new pole or mast); 0 for an existing smart pole. */
  openingCost: number;
  /** Building index the mount stands on (rooftops), or −1. */
  building: number;
  /** The city record it comes from: pole device id, road link id, building id, or the user feature id. */
  ref: string;
  /** Fixed heading of a camera on this mount (gantries face their stop line); absent: the builder tries several. */
  headingDeg?: number;
}

export interface CandidateOptions {
  /** Which sources to use (default all five city sources). */
  sources?: readonly Exclude<CandidateSource, 'user'>[];
  /** Stop-line options (as the coverage session's) for the gantries. */
  stopLines?: StopLineOptions;
  /** Distance of a gantry beyond the stop line toward the intersection, metres (default 20). */
  gantryOffsetM?: number;
  /** Height of an e-police camera on a gantry, metres (default 6.5). */
  gantryHeightM?: number;
  /** Spacing of road-side points along each link, metres (default 50). */
  roadSpacingM?: number;
  /** Lane width used for the road width, metres (default 3.5). */
  laneWidthM?: number;
  /** Extra offset beyond the carriageway edge, metres (default 1). */
  kerbOffsetM?: number;
  /** Height of a new pole (road-side or in an area), metres (default 8, the importers' pole default). */
  roadsidePoleHeightM?: number;
  /** Road-side points closer than this to an existing pole are dropped, metres (default 10). */
  poleMergeM?: number;
  /** Spacing of the in-area lattice, metres (default 15: about half the reach of an observation-level 1080p camera). */
  areaGridM?: number;
  /** Every n-th road-side point along a link also hosts a 5G small cell and a weather station (default 4). */
  sparseEvery?: number;
  /** One rooftop (the tallest) per square of this side, metres (default 150; 0 keeps every roof). */
  rooftopCellM?: number;
  /** Smallest building (roof height) used as a rooftop site, metres (default 18: six storeys). */
  rooftopMinHeightM?: number;
  /** Mast on the roof, metres (default 3). */
  rooftopMastM?: number;
  /** Opening cost of a new pole / mast (default 0: every device costs the same, "fewest devices"). */
  newSiteCost?: number;
  /** Road classes with road-side candidates (default every class except 'service'). */
  roadClasses?: readonly string[];
}

export const CANDIDATE_DEFAULTS = {
  roadSpacingM: 50,
  laneWidthM: 3.5,
  kerbOffsetM: 1,
  roadsidePoleHeightM: 8,
  poleMergeM: 10,
  areaGridM: 15,
  gantryOffsetM: 20,
  gantryHeightM: 6.5,
  sparseEvery: 4,
  rooftopCellM: 150,
  rooftopMinHeightM: 18,
  rooftopMastM: 3,
  newSiteCost: 0,
};

const POLE = DEVICE_TYPES.indexOf('pole');

/** Candidate sites of a city (see the module doc). */
export function generateCandidates(city: City, prisms: PrismIndex, options: CandidateOptions = {}): CandidateSite[] {
  const o = { ...CANDIDATE_DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) } as typeof CANDIDATE_DEFAULTS & CandidateOptions;
  const sources = new Set(options.sources ?? ['pole', 'roadside', 'area', 'gantry', 'rooftop']);
  if (!(o.roadSpacingM > 0)) throw new RangeError(`roadSpacingM must be positive, got ${o.roadSpacingM}`);
  if (!(Number.isInteger(o.sparseEvery) && o.sparseEvery >= 1)) throw new RangeError(`sparseEvery must be a whole number ≥ 1, got ${o.sparseEvery}`);
  const out: CandidateSite[] = [];
  const d = city.devices;
  const poles: number[] = [];
  for (let i = 0; i < d.count; i++) if (d.typeCode[i] === POLE && d.healthy[i]) poles.push(i);
  if (sources.has('pole')) {
    for (const i of poles) {
      out.push({ id: `pole:${d.ids[i]}`, source: 'pole', xM: d.xyM[2 * i], yM: d.xyM[2 * i + 1], mountHeightM: d.heightM[i], hosts: ['camera', 'epolice', 'cell5g', 'weather'], openingCost: 0, building: -1, ref: d.ids[i] });
    }
  }
  if (sources.has('roadside')) {
    const L = city.roadLinks;
    const classes = options.roadClasses ? new Set(options.roadClasses) : null;
    const merge2 = o.poleMergeM * o.poleMergeM;
    const nearPole = (x: number, y: number) => {
      for (const i of poles) {
        const dx = d.xyM[2 * i] - x, dy = d.xyM[2 * i + 1] - y;
        if (dx * dx + dy * dy < merge2) return true;
      }
      return false;
    };
    for (let l = 0; l < L.count; l++) {
      const cls = ['expressway', 'arterial', 'secondary', 'branch', 'service'][L.classCode[l]];
      if (classes ? !classes.has(cls) : cls === 'service') continue;
      const offset = (L.lanes[l] * o.laneWidthM) / 2 + o.kerbOffsetM;
      const v0 = L.vertexStart[l], v1 = L.vertexStart[l + 1];
      let walked = 0;
      let next = o.roadSpacingM / 2;
      let k = 0;
      for (let v = v0; v + 1 < v1; v++) {
        const ax = L.xyM[2 * v], ay = L.xyM[2 * v + 1], bx = L.xyM[2 * v + 2], by = L.xyM[2 * v + 3];
        const len = Math.hypot(bx - ax, by - ay);
        if (len === 0) continue;
        const ux = (bx - ax) / len, uy = (by - ay) / len;
        while (next <= walked + len) {
          const t = next - walked;
          const cx = ax + ux * t, cy = ay + uy * t;
          for (const side of [1, -1]) {
            // Right of travel (side 1) is (uy, −ux).
            const x = cx + side * uy * offset, y = cy - side * ux * offset;
            if (prisms.buildingAt(x, y, 0) >= 0 || nearPole(x, y)) continue;
            const hosts: PlacementDevice[] = k % o.sparseEvery === 0 ? ['camera', 'cell5g', 'weather'] : ['camera'];
            out.push({ id: `road:${L.ids[l]}:${k}${side > 0 ? 'R' : 'L'}`, source: 'roadside', xM: round2(x), yM: round2(y), mountHeightM: o.roadsidePoleHeightM, hosts, openingCost: o.newSiteCost, building: -1, ref: L.ids[l] });
          }
          k++;
          next += o.roadSpacingM;
        }
        walked += len;
      }
    }
  }
  if (sources.has('area')) {
    if (!(o.areaGridM > 0)) throw new RangeError(`areaGridM must be positive, got ${o.areaGridM}`);
    const ka = city.keyAreas;
    const g = o.areaGridM;
    const bb = new Float64Array(4);
    for (let a = 0; a < ka.count; a++) {
      // One lattice per part of the area (a multi-part area holds several outer rings), each aligned
      // on the part's box and centred so that small parts still get a point.
      const parts = tablePolygonParts(ka.ringStart, ka.vertexStart, ka.xyM, a);
      let k = 0;
      for (let p = 0; p + 1 < parts.length; p++) {
        ringsBBox(ka.vertexStart, ka.xyM, parts[p], parts[p + 1], bb);
        const nx = Math.max(1, Math.floor((bb[2] - bb[0]) / g)), ny = Math.max(1, Math.floor((bb[3] - bb[1]) / g));
        const x0 = (bb[0] + bb[2]) / 2 - ((nx - 1) * g) / 2, y0 = (bb[1] + bb[3]) / 2 - ((ny - 1) * g) / 2;
        for (let iy = 0; iy < ny; iy++) {
          for (let ix = 0; ix < nx; ix++) {
            const x = x0 + ix * g, y = y0 + iy * g;
            if (!pointInRings(x, y, ka.vertexStart, ka.xyM, parts[p], parts[p + 1]) || prisms.buildingAt(x, y, 0) >= 0) continue;
            out.push({ id: `area:${ka.ids[a]}:${k++}`, source: 'area', xM: round2(x), yM: round2(y), mountHeightM: o.roadsidePoleHeightM, hosts: ['camera'], openingCost: o.newSiteCost, building: -1, ref: ka.ids[a] });
          }
        }
      }
    }
  }
  if (sources.has('gantry')) {
    const st = buildStopLines(city, options.stopLines);
    const N = city.roadNodes;
    for (let a = 0; a < st.approachLink.length; a++) {
      const s0 = st.sampleStart[a], s1 = st.sampleStart[a + 1];
      if (s1 === s0) continue;
      let cx = 0, cy = 0;
      for (let k = s0; k < s1; k++) {
        cx += st.xM[k];
        cy += st.yM[k];
      }
      cx /= s1 - s0;
      cy /= s1 - s0;
      const node = st.nodes[st.approachIntersection[a]];
      // u: from the node up the approach (through the middle of its stop line).
      let ux = cx - N.xyM[2 * node], uy = cy - N.xyM[2 * node + 1];
      const len = Math.hypot(ux, uy);
      if (len === 0) continue;
      ux /= len;
      uy /= len;
      const x = cx - ux * o.gantryOffsetM, y = cy - uy * o.gantryOffsetM;
      const headingDeg = ((Math.atan2(ux, uy) * 180) / Math.PI + 360) % 360;
      const link = city.roadLinks.ids[st.approachLink[a]];
      out.push({ id: `gantry:${N.ids[node]}:${link}`, source: 'gantry', xM: round2(x), yM: round2(y), mountHeightM: o.gantryHeightM, hosts: ['epolice'], openingCost: o.newSiteCost, building: -1, ref: link, headingDeg: Math.round(headingDeg * 100) / 100 });
    }
  }
  if (sources.has('rooftop')) {
    const B = city.buildings;
    const best = new Map<string, { b: number; c: [number, number] }>();
    for (let b = 0; b < B.count; b++) {
      if (!(B.roofM[b] >= o.rooftopMinHeightM)) continue;
      const c = footprintInteriorPoint(city, b);
      if (!c) continue;
      const key = o.rooftopCellM > 0 ? `${Math.floor(c[0] / o.rooftopCellM)}:${Math.floor(c[1] / o.rooftopCellM)}` : String(b);
      const prev = best.get(key);
      if (!prev || B.roofM[b] > B.roofM[prev.b]) best.set(key, { b, c });
    }
    for (const { b, c } of [...best.values()].sort((x, y) => x.b - y.b)) {
      out.push({ id: `roof:${B.ids[b]}`, source: 'rooftop', xM: round2(c[0]), yM: round2(c[1]), mountHeightM: B.roofM[b] + o.rooftopMastM, hosts: ['cell5g'], openingCost: o.newSiteCost, building: b, ref: B.ids[b] });
    }
  }
  return out;
}

const round2 = (v: number) => Math.round(v * 100) / 100;

/** The outer ring's area centroid when it lies inside the footprint, else the middle of the widest horizontal run through the footprint at the centroid's y. */
function footprintInteriorPoint(city: City, b: number): [number, number] | null {
  const B = city.buildings;
  const r = B.ringStart[b];
  const v0 = B.vertexStart[r], v1 = B.vertexStart[r + 1];
  const xy = B.xyM;
  let cx = 0, cy = 0;
  const a = ringSignedArea(xy, v0, v1);
  if (a === 0) return null;
  for (let i = v0, j = v1 - 1; i < v1; j = i++) {
    const f = xy[2 * j] * xy[2 * i + 1] - xy[2 * i] * xy[2 * j + 1];
    cx += (xy[2 * j] + xy[2 * i]) * f;
    cy += (xy[2 * j + 1] + xy[2 * i + 1]) * f;
  }
  cx /= 6 * a;
  cy /= 6 * a;
  if (pointInTablePolygon(cx, cy, B.ringStart, B.vertexStart, xy, b)) return [cx, cy];
  // Crossings of the line y = cy with the outer ring; the widest inside run.
  const xs: number[] = [];
  for (let i = v0, j = v1 - 1; i < v1; j = i++) {
    const yi = xy[2 * i + 1], yj = xy[2 * j + 1];
    if (yi > cy !== yj > cy) xs.push(xy[2 * i] + ((cy - yi) * (xy[2 * j] - xy[2 * i])) / (yj - yi));
  }
  xs.sort((p, q) => p - q);
  let best: [number, number] | null = null, width = 0;
  for (let k = 0; k + 1 < xs.length; k += 2) {
    const mid = (xs[k] + xs[k + 1]) / 2;
    if (xs[k + 1] - xs[k] > width && pointInTablePolygon(mid, cy, B.ringStart, B.vertexStart, xy, b)) {
      width = xs[k + 1] - xs[k];
      best = [mid, cy];
    }
  }
  return best;
}

/**
 * User candidate points from a GeoJSON FeatureCollection of Points (WGS84/CGCS2000 lon/lat).
 * Properties (all optional): `id` (or the feature id), `hosts` (array or comma list of camera /
 * cell5g / weather; default all three), `heightM` (mount height, default 8), `cost` (opening cost,
 * default 0). Errors name the file, the feature and the field.
 */
export function candidatesFromGeoJSON(json: unknown, frame: LocalFrame, file: string): CandidateSite[] {
  const fail = (reason: string, record?: string, field?: string): never => {
    throw new CimError(reason, { file, record, field });
  };
  if (!json || typeof json !== 'object' || (json as { type?: unknown }).type !== 'FeatureCollection' || !Array.isArray((json as { features?: unknown }).features)) {
    fail('expected a GeoJSON FeatureCollection', undefined, 'type');
  }
  const features = (json as { features: unknown[] }).features;
  const seen = new Set<string>();
  return features.map((f, k) => {
    const feat = f as { id?: unknown; geometry?: { type?: unknown; coordinates?: unknown }; properties?: Record<string, unknown> | null };
    const props = feat?.properties ?? {};
    const rawId = props.id ?? feat?.id ?? `user-${k}`;
    const record = recordName('feature', k, rawId as string);
    if (!feat || typeof feat !== 'object') fail('not a feature object', record);
    if (feat.geometry?.type !== 'Point') fail(`geometry must be a Point, got ${JSON.stringify(feat.geometry?.type ?? null)}`, record, 'geometry.type');
    const c = feat.geometry!.coordinates as number[];
    if (!Array.isArray(c) || c.length < 2 || typeof c[0] !== 'number' || typeof c[1] !== 'number' || !Number.isFinite(c[0]) || !Number.isFinite(c[1]) || Math.abs(c[0]) > 180 || Math.abs(c[1]) > 90) {
      fail(`coordinates must be [lon, lat] in degrees, got ${JSON.stringify(c)}`, record, 'geometry.coordinates');
    }
    const id = String(rawId);
    if (seen.has(id)) fail(`duplicate candidate id '${id}'`, record, 'id');
    seen.add(id);
    let hosts: PlacementDevice[] = [...PLACEMENT_DEVICES];
    if (props.hosts !== undefined) {
      const list = Array.isArray(props.hosts) ? props.hosts : typeof props.hosts === 'string' ? props.hosts.split(',').map((s) => s.trim()) : null;
      if (!list || list.length === 0 || list.some((h) => !PLACEMENT_DEVICES.includes(h as PlacementDevice))) {
        fail(`hosts must list ${PLACEMENT_DEVICES.join(', ')}, got ${JSON.stringify(props.hosts)}`, record, 'properties.hosts');
      }
      hosts = list as PlacementDevice[];
    }
    const num = (field: string, dflt: number, lo: number, hi: number): number => {
      const v = props[field];
      if (v === undefined || v === null) return dflt;
      if (typeof v !== 'number' || !Number.isFinite(v) || v < lo || v > hi) fail(`${field} must be a number in [${lo}, ${hi}], got ${JSON.stringify(v)}`, record, `properties.${field}`);
      return v as number;
    };
    const xy = frame.toLocal(c[0] as number, c[1] as number);
    return { id: `user:${id}`, source: 'user' as const, xM: xy[0], yM: xy[1], mountHeightM: num('heightM', 8, 1.6, 500), hosts, openingCost: num('cost', 0, 0, 1e9), building: -1, ref: id };
  });
}
