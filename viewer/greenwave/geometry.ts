/**
 * A corridor's road geometry for drawing and animating along it: the polylines of the links joining
 * consecutive path nodes, measured in the arterial's own chainage (the sum of the links' `lengthM`,
 * as sim-core/signal/corridor-city.ts measures signal positions), so that a position of the plan
 * (metres from the first signal) lands on the drawn road even where a link's `lengthM` and its
 * polyline differ a little. Pure (no DOM): tested in Node.
 */
import type { City } from '../../sim-core/cim/types.ts';

/** A point on the corridor: local metres (x east, y north) and the road's heading there. */
export interface CorridorPoint {
  xM: number;
  yM: number;
  /** Direction of the road towards increasing chainage, degrees clockwise from north, [0, 360). */
  headingDeg: number;
}

/** See the module doc. */
export class CorridorPath {
  /** Road node ids of the path, in order. */
  readonly nodeIds: readonly string[];
  /** Chainage of each path node, m (first 0). */
  readonly nodeChainageM: Float64Array;
  /** Interleaved x, y of the whole polyline, m. */
  readonly xyM: Float64Array;
  /** Per polyline vertex: its chainage, m (non-decreasing). */
  readonly vertexChainageM: Float64Array;
  /** Chainage of the first signal of the plan (positions of the plan are relative to it), m. */
  originM = 0;

  private constructor(nodeIds: readonly string[], nodeChainageM: Float64Array, xyM: Float64Array, vertexChainageM: Float64Array) {
    this.nodeIds = nodeIds;
    this.nodeChainageM = nodeChainageM;
    this.xyM = xyM;
    this.vertexChainageM = vertexChainageM;
  }

  /**
   * The path through `pathNodeIds` (as a green-wave job returns it); consecutive nodes must be joined
   * by a link (the shortest one is taken where several are). Throws naming the node pair.
   */
  static fromNodes(city: City, pathNodeIds: readonly string[]): CorridorPath {
    if (pathNodeIds.length < 2) throw new Error(`corridor path: needs at least 2 road nodes, got ${pathNodeIds.length}`);
    const N = city.roadNodes, L = city.roadLinks;
    const index = new Map(N.ids.map((id, i) => [id, i]));
    const linksAt = new Map<number, number[]>();
    for (let i = 0; i < L.count; i++) {
      for (const n of [L.from[i], L.to[i]]) {
        let l = linksAt.get(n);
        if (!l) linksAt.set(n, (l = []));
        l.push(i);
      }
    }
    const nodeChainageM = new Float64Array(pathNodeIds.length);
    const xy: number[] = [];
    const ch: number[] = [];
    const nodeOf = (id: string, k: number) => {
      const n = index.get(id);
      if (n === undefined) throw new Error(`corridor path: road node '${id}' (path node ${k}) is not in the city`);
      return n;
    };
    let a = nodeOf(pathNodeIds[0], 0);
    xy.push(N.xyM[2 * a], N.xyM[2 * a + 1]);
    ch.push(0);
    for (let k = 1; k < pathNodeIds.length; k++) {
      const b = nodeOf(pathNodeIds[k], k);
      let link = -1;
      for (const i of linksAt.get(a) ?? []) {
        if ((L.from[i] === a && L.to[i] === b) || (L.from[i] === b && L.to[i] === a)) {
          if (link < 0 || L.lengthM[i] < L.lengthM[link]) link = i;
        }
      }
      if (link < 0) throw new Error(`corridor path: no road link joins '${pathNodeIds[k - 1]}' and '${pathNodeIds[k]}' (path nodes ${k - 1}, ${k})`);
      // The link's vertices from a to b.
      const v0 = L.vertexStart[link], v1 = L.vertexStart[link + 1];
      const pts: number[] = [];
      for (let v = v0; v < v1; v++) pts.push(L.xyM[2 * v], L.xyM[2 * v + 1]);
      if (L.from[link] !== a) {
        const rev: number[] = [];
        for (let p = pts.length - 2; p >= 0; p -= 2) rev.push(pts[p], pts[p + 1]);
        pts.splice(0, pts.length, ...rev);
      }
      if (pts.length < 4) pts.splice(0, pts.length, N.xyM[2 * a], N.xyM[2 * a + 1], N.xyM[2 * b], N.xyM[2 * b + 1]);
      // Geometric length of this piece, then chainage scaled so the piece spans exactly the link's lengthM.
      let geomM = 0;
      for (let p = 2; p < pts.length; p += 2) geomM += Math.hypot(pts[p] - pts[p - 2], pts[p + 1] - pts[p - 1]);
      const lengthM = L.lengthM[link] > 0 ? L.lengthM[link] : geomM;
      const scale = geomM > 0 ? lengthM / geomM : 0;
      const c0 = nodeChainageM[k - 1];
      let run = 0;
      for (let p = 2; p < pts.length; p += 2) {
        run += Math.hypot(pts[p] - pts[p - 2], pts[p + 1] - pts[p - 1]);
        xy.push(pts[p], pts[p + 1]);
        ch.push(c0 + (geomM > 0 ? run * scale : (lengthM * p) / (pts.length - 2)));
      }
      nodeChainageM[k] = c0 + lengthM;
      ch[ch.length - 1] = nodeChainageM[k];
      a = b;
    }
    return new CorridorPath([...pathNodeIds], nodeChainageM, Float64Array.from(xy), Float64Array.from(ch));
  }

  /** Total chainage, m. */
  get lengthM(): number {
    return this.nodeChainageM[this.nodeChainageM.length - 1];
  }

  /** Chainage of a path node, m; throws for a node not on the path. */
  chainageOfNode(nodeId: string): number {
    const k = this.nodeIds.indexOf(nodeId);
    if (k < 0) throw new Error(`corridor path: road node '${nodeId}' is not on the path`);
    return this.nodeChainageM[k];
  }

  /**
   * The point at `chainageM` (clamped to the path), written into `out` (returned). Heading: of the
   * polyline segment the point lies on.
   */
  pointAt(chainageM: number, out: CorridorPoint = { xM: 0, yM: 0, headingDeg: 0 }): CorridorPoint {
    const c = this.vertexChainageM;
    const n = c.length;
    const s = Math.min(Math.max(chainageM, 0), c[n - 1]);
    // Binary search: the last vertex with chainage ≤ s, kept below n − 1.
    let lo = 0, hi = n - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (c[mid] <= s) lo = mid;
      else hi = mid;
    }
    // Skip zero-length segments for the heading.
    let i = lo, j = lo + 1;
    const span = c[j] - c[i];
    const f = span > 0 ? (s - c[i]) / span : 0;
    const x0 = this.xyM[2 * i], y0 = this.xyM[2 * i + 1], x1 = this.xyM[2 * j], y1 = this.xyM[2 * j + 1];
    out.xM = x0 + (x1 - x0) * f;
    out.yM = y0 + (y1 - y0) * f;
    let dx = x1 - x0, dy = y1 - y0;
    while (dx === 0 && dy === 0 && j + 1 < n) {
      j++;
      dx = this.xyM[2 * j] - x0;
      dy = this.xyM[2 * j + 1] - y0;
    }
    while (dx === 0 && dy === 0 && i > 0) {
      i--;
      dx = x1 - this.xyM[2 * i];
      dy = y1 - this.xyM[2 * i + 1];
    }
    const h = (Math.atan2(dx, dy) * 180) / Math.PI;
    out.headingDeg = h < 0 ? h + 360 : h;
    return out;
  }

  /** The point at a plan position (metres from the first signal, see {@link originM}). */
  pointAtPlanM(positionM: number, out?: CorridorPoint): CorridorPoint {
    return this.pointAt(this.originM + positionM, out);
  }
}
