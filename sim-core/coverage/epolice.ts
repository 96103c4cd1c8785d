/**
 * E-police (电子警察) coverage of important intersections: the stop lines to be seen, and the rule.
 *
 * DB37/T 3890: 电子警察监控点覆盖率 = 区域电子警察监控点覆盖路口数 / 区域路口总数, counting important
 * intersections only, 支路路口 excluded (seed 001@14464). Which intersections are important comes from
 * {@link isImportantIntersection} (an intersection whose class — the lower of the two principal roads meeting there —
 * is above 支路; `branch` and `service` are left out by default).
 *
 * **Approaches.** Every link incident to the intersection that carries traffic *towards* it is an
 * approach (a one-way link leaving the node is not). Its **stop line** lies across the inbound lanes
 * at a setback from the node centre, measured along the link's polyline:
 *
 *     setback = clamp(widest other road's width / 2 + crossingAllowanceM, minSetbackM, maxSetbackM),
 *     capped at 45% of the link's length;   road width = lanes × laneWidthM (3.5 m)
 *
 * i.e. the stop line sits beyond the crossing carriageway plus room for a crosswalk. One sample point
 * per inbound lane, at the lane's centre (traffic keeps right: a two-way link's inbound lanes,
 * ⌈lanes / 2⌉ of them, lie right of the centreline as seen by inbound drivers; a one-way link's lanes
 * are centred on it), at `plateHeightM` above the ground (number plates).
 *
 * **Rules (defaults, configurable).** A lane point is seen when a healthy e-police camera sees it at
 * the IEC 62676-4 *recognition* level (125 px/m — plates readable). An approach is covered when at
 * least `minLaneFraction` (default all) of its lanes are seen; an intersection is covered when at least
 * `minApproaches` of its approaches are (default: all of them — an e-police point enforces every
 * entry). An intersection with no approach cannot be covered.
 */
import { isImportantIntersection } from '../cim/summary.ts';
import { ROAD_CLASSES, type City, type RoadClass } from '../cim/types.ts';
import { pointInRing } from '../geom/polygon.ts';

export interface StopLineOptions {
  laneWidthM?: number;
  /** Added to half the widest crossing road's width (crosswalk and margin), metres. Default 6. */
  crossingAllowanceM?: number;
  minSetbackM?: number;
  maxSetbackM?: number;
  /** Height of the lane sample points (number plates), metres. Default 0.6. */
  plateHeightM?: number;
  /** Intersection classes left out (default 支路 and service roads). */
  excludedClasses?: readonly RoadClass[];
  /** Keep only intersections inside this scope (id of a city scope, e.g. the 中心城区). */
  scopeId?: string;
}

export const STOP_LINE_DEFAULTS = { laneWidthM: 3.5, crossingAllowanceM: 6, minSetbackM: 8, maxSetbackM: 40, plateHeightM: 0.6, excludedClasses: ['branch', 'service'] as readonly RoadClass[] };

/** Important intersections, their approaches and the stop-line lane points, in flat arrays (CSR). */
export interface StopLines {
  /** Road-node index of each counted intersection. */
  nodes: Uint32Array;
  /** Approaches of intersection k: approachStart[k] … approachStart[k+1] − 1. */
  approachStart: Uint32Array;
  /** Road-link index of each approach. */
  approachLink: Uint32Array;
  /** Intersection (position in `nodes`) of each approach. */
  approachIntersection: Uint32Array;
  /** Setback of each approach's stop line from the node, metres. */
  setbackM: Float32Array;
  /** Lane points of approach a: sampleStart[a] … sampleStart[a+1] − 1. */
  sampleStart: Uint32Array;
  /** Number of lane points. */
  count: number;
  xM: Float64Array;
  yM: Float64Array;
  zM: Float64Array;
  /** Approach of each lane point. */
  sampleApproach: Uint32Array;
}

/** Point at distance `s` along link `l` measured from its end at `fromStart ? from : to`, and the unit direction away from that end. */
function pointAlongFromEnd(city: City, l: number, fromStart: boolean, s: number, out: Float64Array): void {
  const L = city.roadLinks;
  const v0 = L.vertexStart[l], v1 = L.vertexStart[l + 1];
  const n = v1 - v0;
  const vx = (k: number) => L.xyM[2 * (fromStart ? v0 + k : v1 - 1 - k)];
  const vy = (k: number) => L.xyM[2 * (fromStart ? v0 + k : v1 - 1 - k) + 1];
  let remaining = s;
  for (let k = 0; k + 1 < n; k++) {
    const dx = vx(k + 1) - vx(k), dy = vy(k + 1) - vy(k);
    const len = Math.hypot(dx, dy);
    if (len === 0) continue;
    if (remaining <= len || k + 2 === n) {
      const t = Math.min(remaining, len) / len;
      out[0] = vx(k) + t * dx;
      out[1] = vy(k) + t * dy;
      out[2] = dx / len;
      out[3] = dy / len;
      return;
    }
    remaining -= len;
  }
  // Degenerate polyline (all vertices equal): the node itself, pointing east.
  out[0] = vx(0);
  out[1] = vy(0);
  out[2] = 1;
  out[3] = 0;
}

/** Polyline length of link `l`, metres. */
function polylineLength(city: City, l: number): number {
  const L = city.roadLinks;
  let len = 0;
  for (let v = L.vertexStart[l] + 1; v < L.vertexStart[l + 1]; v++) len += Math.hypot(L.xyM[2 * v] - L.xyM[2 * v - 2], L.xyM[2 * v + 1] - L.xyM[2 * v - 1]);
  return len;
}

/** True when (x, y) is inside any polygon of scope `scopeId`. */
function inScope(city: City, scopeId: string, x: number, y: number): boolean {
  const s = city.scopes.find((sc) => sc.id === scopeId);
  if (!s) throw new RangeError(`unknown scope '${scopeId}' (the city has ${city.scopes.map((sc) => `'${sc.id}'`).join(', ') || 'no scopes'})`);
  for (const poly of s.polygons) {
    let inside = false;
    for (const ring of poly) if (pointInRing(x, y, ring, 0, ring.length / 2)) inside = !inside;
    if (inside) return true;
  }
  return false;
}

/** Finds the important intersections of `city`, their approaches and stop-line lane points. */
export function buildStopLines(city: City, options: StopLineOptions = {}): StopLines {
  const o = { ...STOP_LINE_DEFAULTS, ...options };
  const N = city.roadNodes, L = city.roadLinks;
  // Links incident to each node (CSR).
  const deg = new Uint32Array(N.count + 1);
  for (let l = 0; l < L.count; l++) {
    if (L.from[l] === L.to[l]) continue;
    deg[L.from[l] + 1]++;
    deg[L.to[l] + 1]++;
  }
  for (let i = 0; i < N.count; i++) deg[i + 1] += deg[i];
  const incident = new Uint32Array(deg[N.count]);
  const fill = deg.slice(0, N.count);
  for (let l = 0; l < L.count; l++) {
    if (L.from[l] === L.to[l]) continue;
    incident[fill[L.from[l]]++] = l;
    incident[fill[L.to[l]]++] = l;
  }

  const nodes: number[] = [], approachStart: number[] = [0], approachLink: number[] = [], approachIx: number[] = [], setbacks: number[] = [];
  const sampleStart: number[] = [0], xs: number[] = [], ys: number[] = [], apOf: number[] = [];
  const p = new Float64Array(4);
  for (let node = 0; node < N.count; node++) {
    if (!isImportantIntersection(city, node, o.excludedClasses)) continue;
    if (o.scopeId !== undefined && !inScope(city, o.scopeId, N.xyM[2 * node], N.xyM[2 * node + 1])) continue;
    const ix = nodes.length;
    nodes.push(node);
    for (let k = deg[node]; k < deg[node + 1]; k++) {
      const l = incident[k];
      const atStart = L.from[l] === node;
      if (L.oneway[l] && atStart) continue; // one-way away from the node: an exit, not an approach
      let widest = 0;
      for (let m = deg[node]; m < deg[node + 1]; m++) if (incident[m] !== l) widest = Math.max(widest, L.lanes[incident[m]] * o.laneWidthM);
      let setback = Math.min(Math.max(widest / 2 + o.crossingAllowanceM, o.minSetbackM), o.maxSetbackM);
      setback = Math.min(setback, 0.45 * polylineLength(city, l));
      pointAlongFromEnd(city, l, atStart, setback, p);
      const [px, py, ux, uy] = p;
      // Inbound drivers travel along −u; their right-hand side is (−uy, ux).
      const rx = -uy, ry = ux;
      const lanes = L.lanes[l];
      const inbound = L.oneway[l] ? lanes : Math.max(1, Math.ceil(lanes / 2));
      approachLink.push(l);
      approachIx.push(ix);
      setbacks.push(setback);
      for (let k2 = 0; k2 < inbound; k2++) {
        const off = L.oneway[l] ? (k2 - (inbound - 1) / 2) * o.laneWidthM : (k2 + 0.5) * o.laneWidthM;
        xs.push(px + off * rx);
        ys.push(py + off * ry);
        apOf.push(approachLink.length - 1);
      }
      sampleStart.push(xs.length);
    }
    approachStart.push(approachLink.length);
  }
  return {
    nodes: Uint32Array.from(nodes),
    approachStart: Uint32Array.from(approachStart),
    approachLink: Uint32Array.from(approachLink),
    approachIntersection: Uint32Array.from(approachIx),
    setbackM: Float32Array.from(setbacks),
    sampleStart: Uint32Array.from(sampleStart),
    count: xs.length,
    xM: Float64Array.from(xs),
    yM: Float64Array.from(ys),
    zM: new Float64Array(xs.length).fill(o.plateHeightM),
    sampleApproach: Uint32Array.from(apOf),
  };
}

/** The configurable e-police rule. */
export interface EpoliceRule {
  /** Share of an approach's lanes that must be seen, 0–1 (default 1: every lane). */
  minLaneFraction: number;
  /** Approaches that must be covered: 'all' (default) or a number (capped at the intersection's approach count). */
  minApproaches: 'all' | number;
}
export const DEFAULT_EPOLICE_RULE: EpoliceRule = { minLaneFraction: 1, minApproaches: 'all' };

/** Lanes that must be seen for an approach with `lanes` lane points. */
export function lanesRequired(lanes: number, rule: EpoliceRule = DEFAULT_EPOLICE_RULE): number {
  return Math.max(1, Math.ceil(rule.minLaneFraction * lanes - 1e-9));
}

/** Approaches that must be covered for an intersection with `approaches` approaches (0 approaches: never covered). */
export function approachesRequired(approaches: number, rule: EpoliceRule = DEFAULT_EPOLICE_RULE): number {
  if (approaches === 0) return 1;
  return rule.minApproaches === 'all' ? approaches : Math.max(1, Math.min(rule.minApproaches, approaches));
}

/** Name of an intersection's class, for reports. */
export function intersectionClass(city: City, node: number): RoadClass {
  return ROAD_CLASSES[city.roadNodes.classCode[node]];
}
