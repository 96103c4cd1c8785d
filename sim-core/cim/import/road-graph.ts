/**
 * Road ways (polylines in local metres) → a road graph: nodes at way ends, at vertices that two or more
 * ways share, and at traffic-signal positions on a way; links between consecutive nodes along each way.
 *
 * Vertices closer than the snap tolerance (default 0.5 m) are one vertex: OSM ways meet at shared
 * nodes, which arrive as identical coordinates, and 0.5 m absorbs the rounding of re-projected or
 * tile-quantised sources (Tilezen tiles round to about 1 cm) while staying far below the width of a lane,
 * so no two real junctions are merged. Ways that merely cross without a shared vertex (bridges,
 * tunnels) are not connected, as in OSM.
 */
import KDBush from 'kdbush';

/** Grid-hash snapping of points: a new point within `toleranceM` of an earlier one gets its index. */
export class VertexSnapper {
  readonly xy: number[] = [];
  private readonly cells = new Map<string, number[]>();
  constructor(readonly toleranceM: number) {}

  get count(): number {
    return this.xy.length / 2;
  }

  /** Index of the nearest existing vertex within the tolerance, or -1. */
  find(x: number, y: number): number {
    const t = this.toleranceM;
    const cx = Math.floor(x / t);
    const cy = Math.floor(y / t);
    let best = -1;
    let bestD = t * t;
    for (let i = cx - 1; i <= cx + 1; i++) {
      for (let j = cy - 1; j <= cy + 1; j++) {
        const list = this.cells.get(`${i},${j}`);
        if (!list) continue;
        for (const v of list) {
          const dx = this.xy[2 * v] - x;
          const dy = this.xy[2 * v + 1] - y;
          const d = dx * dx + dy * dy;
          // Nearest wins; ties go to the earlier vertex, so the result does not depend on the hash order.
          if (d <= bestD && (best < 0 || d < bestD || v < best)) {
            best = v;
            bestD = d;
          }
        }
      }
    }
    return best;
  }

  /** Index of the vertex at (x, y): an existing one within the tolerance, else a new one. */
  add(x: number, y: number): number {
    const found = this.find(x, y);
    if (found >= 0) return found;
    const v = this.count;
    this.xy.push(x, y);
    const key = `${Math.floor(x / this.toleranceM)},${Math.floor(y / this.toleranceM)}`;
    const list = this.cells.get(key);
    if (list) list.push(v);
    else this.cells.set(key, [v]);
    return v;
  }
}

export interface GraphLink {
  /** Index of the way (input order) and of its line. */
  way: number;
  from: number;
  to: number;
  /** Polyline from the `from` node to the `to` node, x,y metres. */
  xyM: number[];
}

export interface RoadGraph {
  /** Node positions, x,y metres. */
  nodeXyM: number[];
  links: GraphLink[];
  /** Per signal point: the node it marks, or -1 when no node is within the match tolerance. */
  signalNode: Int32Array;
  /** Per signal point: distance to that node, metres (0 when it lies on a way vertex). */
  signalDistanceM: Float64Array;
  /** Indices of ways all of whose vertices collapsed into one point (no link). */
  degenerateWays: number[];
}

/**
 * Builds the graph. `ways[i]` is a list of polylines (flat x,y metres); `signals` flat x,y metres.
 * A signal that lies on a way vertex (within the snap tolerance) splits the way there; one that does
 * not is attached to the nearest node within `signalToleranceM`.
 */
export function buildRoadGraph(ways: number[][][], signals: number[], snapToleranceM: number, signalToleranceM: number): RoadGraph {
  const snap = new VertexSnapper(snapToleranceM);
  const lines: { way: number; v: number[] }[] = [];
  const degenerateWays: number[] = [];
  ways.forEach((wayLines, w) => {
    let kept = 0;
    for (const line of wayLines) {
      const v: number[] = [];
      for (let i = 0; i < line.length; i += 2) {
        const k = snap.add(line[i], line[i + 1]);
        if (v.length === 0 || v[v.length - 1] !== k) v.push(k);
      }
      if (v.length >= 2) {
        lines.push({ way: w, v });
        kept++;
      }
    }
    if (kept === 0) degenerateWays.push(w);
  });

  const nVert = snap.count;
  const uses = new Uint16Array(nVert);
  const split = new Uint8Array(nVert);
  for (const { v } of lines) {
    for (const k of v) if (uses[k] < 65535) uses[k]++;
    split[v[0]] = 1;
    split[v[v.length - 1]] = 1;
  }
  for (let k = 0; k < nVert; k++) if (uses[k] >= 2) split[k] = 1;

  const nSignals = signals.length / 2;
  const signalVertex = new Int32Array(nSignals).fill(-1);
  for (let s = 0; s < nSignals; s++) {
    const k = snap.find(signals[2 * s], signals[2 * s + 1]);
    if (k >= 0 && uses[k] > 0) {
      signalVertex[s] = k;
      split[k] = 1;
    }
  }

  const nodeOfVertex = new Int32Array(nVert).fill(-1);
  const nodeXyM: number[] = [];
  const nodeAt = (k: number) => {
    if (nodeOfVertex[k] < 0) {
      nodeOfVertex[k] = nodeXyM.length / 2;
      nodeXyM.push(snap.xy[2 * k], snap.xy[2 * k + 1]);
    }
    return nodeOfVertex[k];
  };
  const links: GraphLink[] = [];
  for (const { way, v } of lines) {
    let start = 0;
    for (let i = 1; i < v.length; i++) {
      if (!split[v[i]]) continue;
      const xyM: number[] = [];
      for (let j = start; j <= i; j++) xyM.push(snap.xy[2 * v[j]], snap.xy[2 * v[j] + 1]);
      links.push({ way, from: nodeAt(v[start]), to: nodeAt(v[i]), xyM });
      start = i;
    }
  }

  const signalNode = new Int32Array(nSignals).fill(-1);
  const signalDistanceM = new Float64Array(nSignals).fill(NaN);
  const nNodes = nodeXyM.length / 2;
  let index: KDBush | null = null;
  for (let s = 0; s < nSignals; s++) {
    const k = signalVertex[s];
    if (k >= 0) {
      signalNode[s] = nodeOfVertex[k];
      signalDistanceM[s] = Math.hypot(snap.xy[2 * k] - signals[2 * s], snap.xy[2 * k + 1] - signals[2 * s + 1]);
      continue;
    }
    if (nNodes === 0) continue;
    if (!index) {
      index = new KDBush(nNodes);
      for (let n = 0; n < nNodes; n++) index.add(nodeXyM[2 * n], nodeXyM[2 * n + 1]);
      index.finish();
    }
    const hit = nearestWithin(index, nodeXyM, signals[2 * s], signals[2 * s + 1], signalToleranceM);
    if (hit.i >= 0) {
      signalNode[s] = hit.i;
      signalDistanceM[s] = hit.d;
    }
  }
  return { nodeXyM, links, signalNode, signalDistanceM, degenerateWays };
}

/** The nearest point (index into flat `xy`) within `radiusM` of (x, y), or -1. */
export function nearestWithin(index: KDBush, xy: ArrayLike<number>, x: number, y: number, radiusM: number): { i: number; d: number } {
  let best = -1;
  let bestD = Infinity;
  for (const n of index.within(x, y, radiusM)) {
    const d = Math.hypot(xy[2 * n] - x, xy[2 * n + 1] - y);
    if (d < bestD || (d === bestD && n < best)) {
      best = n;
      bestD = d;
    }
  }
  return { i: best, d: bestD };
}
