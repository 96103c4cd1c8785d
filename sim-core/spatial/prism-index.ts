/**
 * PrismIndex: the occlusion engine. Every building is a right prism: its footprint polygon (outer ring
 * plus holes) extruded from `baseM` to `roofM` above the local ground. The index answers exact
 * line-of-sight questions between two 3D points in the city's local frame (x east, y north, z up,
 * metres): does the segment pass through the inside of any prism, and where does it first enter one.
 *
 * One engine for every line-of-sight user: cameras, 5G LOS/NLOS, any "can A see B" query.
 *
 * **What blocks.** A segment is blocked when some point of it lies in the *open interior* of a prism:
 * strictly inside the footprint and strictly between base and roof. Touching a face, running along a
 * wall, grazing a corner or an edge, or skimming the roof plane does not block. Consequences, stated
 * on purpose:
 * - an end point on a wall or on the ground beside a building is not blocked by that building;
 * - an end point inside a prism (a target inside a building, a camera whose position falls inside the
 *   footprint below the roof) is blocked by that prism as soon as the segment spends any length inside
 *   it; callers that mount a device on a building pass that building as `skip` (see
 *   {@link PrismIndex.buildingAt});
 * - the ground under a raised part (base above the target height) is reachable from below the base.
 *
 * **How.** A flatbush R-tree over the footprint boxes, walked with our own stack (module scratch, no
 * allocation per ray): inner nodes by their box and their lowest base / highest roof against the
 * segment's box and height range, leaves by a slab test that also bounds the segment's height over the
 * footprint's box. At a leaf, the segment is clipped to the prism's open z-range and the 2D part is
 * tested against the footprint: a proper crossing of an edge inside the z-window blocks at once;
 * otherwise the window is split at every vertex touch / collinear overlap and the middle of each piece
 * is classified strictly inside or not.
 *
 * **Serialisation.** `index.data` is one ArrayBuffer (footprints, heights, per-node height bounds and
 * the flatbush tree), opening with a magic byte and a version; `PrismIndex.from(buffer)` reopens it
 * without copying, so a worker can receive it transferred.
 */
import Flatbush from 'flatbush';
import type { BuildingTable } from '../cim/types.ts';
import { pointInTablePolygon } from '../geom/polygon.ts';

/** First byte of a serialised PrismIndex. */
export const PRISM_INDEX_MAGIC = 0xc7;
/** Format version of a serialised PrismIndex. */
export const PRISM_INDEX_VERSION = 1;
const HEADER_BYTES = 48;

/**
 * Geometric tolerance in metres. Distances below it count as contact (touching, not crossing). One
 * micrometre: far below the accuracy of any city data, far above double rounding at city scale.
 */
export const CONTACT_EPS_M = 1e-6;

// Module-level scratch: a traversal stack (node position, level) and the contact events of one prism.
let STACK = new Int32Array(256);
let EVENTS = new Float64Array(64);

interface Sections {
  count: number;
  ringCount: number;
  vertexCount: number;
  nodeCount: number;
  xyM: Float64Array;
  ringStart: Uint32Array;
  vertexStart: Uint32Array;
  baseM: Float32Array;
  roofM: Float32Array;
  nodeMinBaseM: Float32Array;
  nodeMaxRoofM: Float32Array;
  treeOffset: number;
}

const align8 = (n: number) => (n + 7) & ~7;

/** Byte layout of the sections after the header; the same function lays out a new buffer and reads one. */
function layout(count: number, ringCount: number, vertexCount: number, nodeCount: number) {
  let off = HEADER_BYTES;
  const take = (bytes: number) => {
    const at = off;
    off = align8(off + bytes);
    return at;
  };
  return {
    xy: take(vertexCount * 16),
    ringStart: take((count + 1) * 4),
    vertexStart: take((ringCount + 1) * 4),
    base: take(count * 4),
    roof: take(count * 4),
    nodeMinBase: take(nodeCount * 4),
    nodeMaxRoof: take(nodeCount * 4),
    tree: off,
  };
}

function views(buffer: ArrayBuffer, count: number, ringCount: number, vertexCount: number, nodeCount: number): Sections {
  const l = layout(count, ringCount, vertexCount, nodeCount);
  return {
    count,
    ringCount,
    vertexCount,
    nodeCount,
    xyM: new Float64Array(buffer, l.xy, vertexCount * 2),
    ringStart: new Uint32Array(buffer, l.ringStart, count + 1),
    vertexStart: new Uint32Array(buffer, l.vertexStart, ringCount + 1),
    baseM: new Float32Array(buffer, l.base, count),
    roofM: new Float32Array(buffer, l.roof, count),
    nodeMinBaseM: new Float32Array(buffer, l.nodeMinBase, nodeCount),
    nodeMaxRoofM: new Float32Array(buffer, l.nodeMaxRoof, nodeCount),
    treeOffset: l.tree,
  };
}

/** Number of tree nodes flatbush allocates for `numItems` items (leaves included). */
function flatbushNodeCount(numItems: number, nodeSize: number): number {
  if (numItems === 0) return 0;
  let n = numItems;
  let total = n;
  do {
    n = Math.ceil(n / nodeSize);
    total += n;
  } while (n !== 1);
  return total;
}

/** Building prisms in a flatbush R-tree with exact segment tests. See the module doc. */
export class PrismIndex {
  /** The serialised index (transferable). */
  readonly data: ArrayBuffer;
  /** Number of buildings; building indices match the `BuildingTable` the index was built from. */
  readonly count: number;
  readonly xyM: Float64Array;
  readonly ringStart: Uint32Array;
  readonly vertexStart: Uint32Array;
  readonly baseM: Float32Array;
  readonly roofM: Float32Array;
  /** The flatbush tree over footprint boxes (null when there are no buildings). */
  readonly tree: Flatbush | null;
  private readonly nodeMinBaseM: Float32Array;
  private readonly nodeMaxRoofM: Float32Array;
  private readonly boxes: Float64Array;
  private readonly indices: Uint16Array | Uint32Array;
  private readonly levelBounds: number[];
  private readonly nodeSize: number;

  private constructor(data: ArrayBuffer, s: Sections, tree: Flatbush | null) {
    this.data = data;
    this.count = s.count;
    this.xyM = s.xyM;
    this.ringStart = s.ringStart;
    this.vertexStart = s.vertexStart;
    this.baseM = s.baseM;
    this.roofM = s.roofM;
    this.nodeMinBaseM = s.nodeMinBaseM;
    this.nodeMaxRoofM = s.nodeMaxRoofM;
    this.tree = tree;
    if (tree) {
      this.boxes = tree._boxes as Float64Array;
      this.indices = tree._indices as Uint16Array | Uint32Array;
      this.levelBounds = tree._levelBounds;
      this.nodeSize = tree.nodeSize;
    } else {
      this.boxes = new Float64Array(0);
      this.indices = new Uint32Array(0);
      this.levelBounds = [];
      this.nodeSize = 16;
    }
  }

  /**
   * Builds the index from a city's buildings (`city.buildings`). `nodeSize` is flatbush's node size.
   * Building `i` of the table is prism `i` of the index.
   */
  static fromBuildings(b: BuildingTable, nodeSize = 16): PrismIndex {
    const count = b.count;
    const ringCount = b.ringStart[count] ?? 0;
    const vertexCount = b.vertexStart[ringCount] ?? 0;
    let tree: Flatbush | null = null;
    if (count > 0) {
      tree = new Flatbush(count, nodeSize, Float64Array);
      for (let i = 0; i < count; i++) {
        const v0 = b.vertexStart[b.ringStart[i]];
        const v1 = b.vertexStart[b.ringStart[i] + 1];
        let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
        for (let v = v0; v < v1; v++) {
          const x = b.xyM[2 * v], y = b.xyM[2 * v + 1];
          if (x < minX) minX = x;
          if (y < minY) minY = y;
          if (x > maxX) maxX = x;
          if (y > maxY) maxY = y;
        }
        tree.add(minX, minY, maxX, maxY);
      }
      tree.finish();
    }
    const nodeCount = tree ? tree._indices.length : 0;
    const l = layout(count, ringCount, vertexCount, nodeCount);
    const treeBytes = tree ? (tree.data as ArrayBuffer).byteLength : 0;
    const data = new ArrayBuffer(l.tree + treeBytes);
    const head = new DataView(data);
    head.setUint8(0, PRISM_INDEX_MAGIC);
    head.setUint8(1, PRISM_INDEX_VERSION);
    head.setUint16(2, nodeSize, true);
    head.setUint32(4, count, true);
    head.setUint32(8, ringCount, true);
    head.setUint32(12, vertexCount, true);
    head.setUint32(16, nodeCount, true);
    const s = views(data, count, ringCount, vertexCount, nodeCount);
    s.xyM.set(b.xyM.subarray(0, vertexCount * 2));
    s.ringStart.set(b.ringStart.subarray(0, count + 1));
    s.vertexStart.set(b.vertexStart.subarray(0, ringCount + 1));
    s.baseM.set(b.baseM.subarray(0, count));
    s.roofM.set(b.roofM.subarray(0, count));
    let reopened: Flatbush | null = null;
    if (tree) {
      new Uint8Array(data, l.tree, treeBytes).set(new Uint8Array(tree.data as ArrayBuffer));
      reopened = Flatbush.from(data, l.tree);
      fillNodeHeights(reopened, s);
    }
    return new PrismIndex(data, s, reopened);
  }

  /** Reopens a serialised index (e.g. received by a worker) without copying. */
  static from(data: ArrayBuffer): PrismIndex {
    if (!(data instanceof ArrayBuffer) && !(typeof SharedArrayBuffer !== 'undefined' && (data as unknown) instanceof SharedArrayBuffer)) {
      throw new TypeError('PrismIndex.from expects an ArrayBuffer (pass index.data, not a typed array)');
    }
    if (data.byteLength < HEADER_BYTES) throw new Error('PrismIndex.from: buffer too short to be a PrismIndex');
    const head = new DataView(data);
    if (head.getUint8(0) !== PRISM_INDEX_MAGIC) throw new Error('PrismIndex.from: data does not start with the PrismIndex magic byte');
    const version = head.getUint8(1);
    if (version !== PRISM_INDEX_VERSION) throw new Error(`PrismIndex.from: got format v${version}, this build reads v${PRISM_INDEX_VERSION}`);
    const count = head.getUint32(4, true);
    const s = views(data, count, head.getUint32(8, true), head.getUint32(12, true), head.getUint32(16, true));
    const tree = count > 0 ? Flatbush.from(data, s.treeOffset) : null;
    return new PrismIndex(data, s, tree);
  }

  /**
   * True when the segment A→B passes through the open interior of some prism (see the module doc).
   * `skip` is a building index to ignore (the building a device is mounted on), or -1.
   * No allocation.
   */
  segmentBlocked(ax: number, ay: number, az: number, bx: number, by: number, bz: number, skip = -1): boolean {
    return this.walk(ax, ay, az, bx, by, bz, skip, true) < Infinity;
  }

  /**
   * Segment parameter t ∈ [0, 1] at which A→B first enters the open interior of a prism (the hit point
   * is A + t (B − A), at distance t·|AB|), or Infinity when the segment is clear. No allocation.
   */
  firstHitT(ax: number, ay: number, az: number, bx: number, by: number, bz: number, skip = -1): number {
    return this.walk(ax, ay, az, bx, by, bz, skip, false);
  }

  /**
   * True when the segment A→B passes through the open interior of prism `b` alone (no tree walk).
   * For callers with their own candidate list; {@link segmentBlocked} is the fast path over the city.
   */
  segmentBlockedBy(b: number, ax: number, ay: number, az: number, bx: number, by: number, bz: number): boolean {
    return this.prismEntryT(b, ax, ay, az, bx - ax, by - ay, bz - az, 0, 1, true) < Infinity;
  }

  /**
   * Index of a building whose prism holds the point: (x, y) inside its footprint (even-odd rule) and
   * baseM ≤ z < roofM; -1 when none. Used to drop ground samples that fall inside buildings (z = 0:
   * raised parts leave the ground under them open) and to find the building a device is mounted on.
   * No allocation.
   */
  buildingAt(x: number, y: number, z = 0): number {
    if (this.count === 0) return -1;
    const { boxes, indices, levelBounds, nodeSize } = this;
    const leafEnd4 = this.count * 4;
    let stack: Int32Array = STACK;
    let sp = 0;
    stack[sp++] = boxes.length - 4;
    stack[sp++] = levelBounds.length - 1;
    while (sp > 0) {
      const level = stack[--sp];
      const nodeIndex = stack[--sp];
      const end = Math.min(nodeIndex + nodeSize * 4, levelBounds[level]);
      const isNode = nodeIndex >= leafEnd4;
      for (let pos = nodeIndex; pos < end; pos += 4) {
        if (x < boxes[pos] || y < boxes[pos + 1] || x > boxes[pos + 2] || y > boxes[pos + 3]) continue;
        const k = pos >> 2;
        if (z < this.nodeMinBaseM[k] || z >= this.nodeMaxRoofM[k]) continue;
        const index = indices[k];
        if (isNode) {
          if (sp + 2 > stack.length) stack = growStack();
          stack[sp++] = index;
          stack[sp++] = level - 1;
        } else if (z >= this.baseM[index] && z < this.roofM[index] && this.footprintParity(index, x, y)) {
          return index;
        }
      }
    }
    return -1;
  }

  /** Even-odd point-in-footprint test for building `b` (boundary points may go either way). */
  footprintParity(b: number, x: number, y: number): boolean {
    return pointInTablePolygon(x, y, this.ringStart, this.vertexStart, this.xyM, b);
  }

  /** Strictly inside the footprint of building `b`: inside by parity and farther than CONTACT_EPS_M from every edge. */
  private strictlyInside(b: number, x: number, y: number): boolean {
    const xy = this.xyM;
    const vs = this.vertexStart;
    for (let r = this.ringStart[b]; r < this.ringStart[b + 1]; r++) {
      const v0 = vs[r], v1 = vs[r + 1];
      for (let i = v0, j = v1 - 1; i < v1; j = i++) {
        if (pointSegmentDistance(x, y, xy[2 * j], xy[2 * j + 1], xy[2 * i], xy[2 * i + 1]) <= CONTACT_EPS_M) return false;
      }
    }
    return this.footprintParity(b, x, y);
  }

  /**
   * Tree walk shared by segmentBlocked (anyHit: stop at the first prism entered, return its entry t or
   * any t < Infinity) and firstHitT (the smallest entry t over all prisms).
   */
  private walk(ax: number, ay: number, az: number, bx: number, by: number, bz: number, skip: number, anyHit: boolean): number {
    if (this.count === 0) return Infinity;
    const dx = bx - ax, dy = by - ay, dz = bz - az;
    const { boxes, indices, levelBounds, nodeSize, nodeMinBaseM, nodeMaxRoofM } = this;
    const leafEnd4 = this.count * 4;
    // The segment's box (padded) for a cheap first rejection, and inverse directions for the slab test.
    const e = CONTACT_EPS_M;
    const sMinX = (ax < bx ? ax : bx) - e, sMaxX = (ax > bx ? ax : bx) + e;
    const sMinY = (ay < by ? ay : by) - e, sMaxY = (ay > by ? ay : by) + e;
    const invDx = dx === 0 ? 0 : 1 / dx, invDy = dy === 0 ? 0 : 1 / dy;
    const zMin = az < bz ? az : bz, zMax = az > bz ? az : bz;
    let best = Infinity;
    let stack: Int32Array = STACK;
    let sp = 0;
    stack[sp++] = boxes.length - 4;
    stack[sp++] = levelBounds.length - 1;
    while (sp > 0) {
      const level = stack[--sp];
      const nodeIndex = stack[--sp];
      const end = Math.min(nodeIndex + nodeSize * 4, levelBounds[level]);
      const isNode = nodeIndex >= leafEnd4;
      for (let pos = nodeIndex; pos < end; pos += 4) {
        // Box against the segment's box, loading lazily (most boxes fail the first or second test).
        const bx0 = boxes[pos];
        if (bx0 > sMaxX) continue;
        const by0 = boxes[pos + 1];
        if (by0 > sMaxY) continue;
        const bx1 = boxes[pos + 2];
        if (bx1 < sMinX) continue;
        const by1 = boxes[pos + 3];
        if (by1 < sMinY) continue;
        if (isNode) {
          // Inner node: the box test and the segment's overall height range only (a slab test here
          // costs more than it prunes, measured); the exact work waits for the leaves.
          const k = pos >> 2;
          if (zMin >= nodeMaxRoofM[k] || zMax <= nodeMinBaseM[k]) continue;
          if (sp + 2 > stack.length) stack = growStack();
          stack[sp++] = indices[k];
          stack[sp++] = level - 1;
          continue;
        }
        const x0 = bx0 - e, y0 = by0 - e, x1 = bx1 + e, y1 = by1 + e;
        // Slab test: the parameter interval [t0, t1] of the segment inside the box.
        let t0 = 0, t1 = best < 1 ? best : 1;
        if (dx !== 0) {
          let ta = (x0 - ax) * invDx, tb = (x1 - ax) * invDx;
          if (ta > tb) {
            const sw = ta;
            ta = tb;
            tb = sw;
          }
          if (ta > t0) t0 = ta;
          if (tb < t1) t1 = tb;
        }
        if (dy !== 0) {
          let ta = (y0 - ay) * invDy, tb = (y1 - ay) * invDy;
          if (ta > tb) {
            const sw = ta;
            ta = tb;
            tb = sw;
          }
          if (ta > t0) t0 = ta;
          if (tb < t1) t1 = tb;
        }
        if (t0 > t1) continue;
        const k = pos >> 2;
        // Leaf: height pruning with the segment's z over the part of it inside the footprint's box.
        const za = az + t0 * dz, zb = az + t1 * dz;
        if ((za < zb ? za : zb) >= nodeMaxRoofM[k] || (za > zb ? za : zb) <= nodeMinBaseM[k]) continue;
        const index = indices[k];
        if (index !== skip) {
          const t = this.prismEntryT(index, ax, ay, az, dx, dy, dz, t0, t1, anyHit);
          if (t < best) {
            best = t;
            if (anyHit) return best;
          }
        }
      }
    }
    return best;
  }

  /**
   * Entry parameter of segment A + t·D into the open interior of prism `b`, looking only at t in
   * [t0, t1] (the part inside the footprint's box); Infinity when it never enters. With `anyHit` a
   * proper edge crossing returns at once (its t, not necessarily the smallest).
   */
  private prismEntryT(b: number, ax: number, ay: number, az: number, dx: number, dy: number, dz: number, t0: number, t1: number, anyHit: boolean): number {
    const base = this.baseM[b], roof = this.roofM[b];
    let lo = t0, hi = t1;
    if (dz === 0) {
      if (!(az > base && az < roof)) return Infinity;
    } else {
      let ta = (base - az) / dz, tb = (roof - az) / dz;
      if (ta > tb) {
        const s = ta;
        ta = tb;
        tb = s;
      }
      if (ta > lo) lo = ta;
      if (tb < hi) hi = tb;
    }
    const len2 = dx * dx + dy * dy;
    const len = Math.sqrt(len2);
    if (len <= CONTACT_EPS_M) {
      // Vertical (or null) segment: inside when the z-window has length and the point is strictly inside.
      if ((hi - lo) * Math.abs(dz) <= CONTACT_EPS_M) return Infinity;
      return this.strictlyInside(b, ax, ay) ? lo : Infinity;
    }
    const epsT = CONTACT_EPS_M / len;
    if (hi - lo <= epsT) return Infinity;
    const tol = CONTACT_EPS_M * len;
    const xy = this.xyM;
    const vs = this.vertexStart;
    // Midpoint of the window, classified by crossing number in the same pass (used when nothing touches).
    const tm = (lo + hi) / 2;
    const mx = ax + tm * dx, my = ay + tm * dy;
    let midInside = false;
    let nEvents = 0;
    let firstCrossing = Infinity;
    for (let r = this.ringStart[b]; r < this.ringStart[b + 1]; r++) {
      const v0 = vs[r], v1 = vs[r + 1];
      let qx = xy[2 * (v1 - 1)], qy = xy[2 * (v1 - 1) + 1];
      let c = dx * (qy - ay) - dy * (qx - ax); // cross(D, Q − A): signed distance × len
      let s = c > tol ? 1 : c < -tol ? -1 : 0;
      for (let i = v0; i < v1; i++) {
        const px = xy[2 * i], py = xy[2 * i + 1];
        const cp = dx * (py - ay) - dy * (px - ax);
        const sp = cp > tol ? 1 : cp < -tol ? -1 : 0;
        // edge Q → P
        if (s * sp < 0) {
          const ex = px - qx, ey = py - qy;
          const t = ((qx - ax) * ey - (qy - ay) * ex) / (dx * ey - dy * ex);
          if (t > lo + epsT && t < hi - epsT) {
            if (anyHit) return t;
            if (t < firstCrossing) firstCrossing = t;
            nEvents = addEvent(nEvents, t);
          } else if (t >= lo - epsT && t <= hi + epsT) {
            nEvents = addEvent(nEvents, t);
          }
        } else if (s === 0) {
          // Q lies on the segment's line: a vertex touch (and, with sp === 0, a collinear overlap).
          const t = ((qx - ax) * dx + (qy - ay) * dy) / len2;
          if (t >= lo - epsT && t <= hi + epsT) nEvents = addEvent(nEvents, t);
          if (sp === 0) {
            const tp = ((px - ax) * dx + (py - ay) * dy) / len2;
            if (tp >= lo - epsT && tp <= hi + epsT) nEvents = addEvent(nEvents, tp);
          }
        }
        if (qy > my !== py > my && mx < ((px - qx) * (my - qy)) / (py - qy) + qx) midInside = !midInside;
        qx = px;
        qy = py;
        c = cp;
        s = sp;
      }
    }
    if (nEvents === 0) return midInside ? lo : Infinity;
    // Split [lo, hi] at every contact and classify the middle of each piece, in order of t.
    nEvents = addEvent(nEvents, lo);
    nEvents = addEvent(nEvents, hi);
    sortEvents(nEvents);
    let prev = lo;
    for (let e = 0; e < nEvents; e++) {
      let t = EVENTS[e];
      if (t < lo) t = lo;
      if (t > hi) t = hi;
      if (t - prev > epsT) {
        if (prev > firstCrossing) return firstCrossing;
        const mid = (prev + t) / 2;
        if (this.strictlyInside(b, ax + mid * dx, ay + mid * dy)) return prev;
      }
      if (t > prev) prev = t;
    }
    return firstCrossing;
  }
}

/** Doubles the traversal stack (deep trees only; 256 entries hold a tree of 16^127 items). */
function growStack(): Int32Array {
  const grown = new Int32Array(STACK.length * 2);
  grown.set(STACK);
  STACK = grown;
  return grown;
}

function addEvent(n: number, t: number): number {
  if (n === EVENTS.length) {
    const grown = new Float64Array(EVENTS.length * 2);
    grown.set(EVENTS);
    EVENTS = grown;
  }
  EVENTS[n] = t;
  return n + 1;
}

/** Insertion sort of EVENTS[0..n) (a handful of contacts per prism). */
function sortEvents(n: number): void {
  for (let i = 1; i < n; i++) {
    const v = EVENTS[i];
    let j = i - 1;
    while (j >= 0 && EVENTS[j] > v) {
      EVENTS[j + 1] = EVENTS[j];
      j--;
    }
    EVENTS[j + 1] = v;
  }
}

/** Distance from (x, y) to the segment (x0, y0)–(x1, y1). */
function pointSegmentDistance(x: number, y: number, x0: number, y0: number, x1: number, y1: number): number {
  const ex = x1 - x0, ey = y1 - y0;
  const l2 = ex * ex + ey * ey;
  let t = l2 > 0 ? ((x - x0) * ex + (y - y0) * ey) / l2 : 0;
  if (t < 0) t = 0;
  else if (t > 1) t = 1;
  return Math.hypot(x - (x0 + t * ex), y - (y0 + t * ey));
}

/** Lowest base and highest roof under every tree node, leaves included, in flatbush's node order. */
function fillNodeHeights(tree: Flatbush, s: Sections): void {
  const indices = tree._indices;
  const bounds = tree._levelBounds;
  const n = tree.numItems;
  for (let k = 0; k < n; k++) {
    s.nodeMinBaseM[k] = s.baseM[indices[k]];
    s.nodeMaxRoofM[k] = s.roofM[indices[k]];
  }
  // Level L occupies node slots [bounds[L-1]/4, bounds[L]/4); each parent's children start at indices[k]
  // (a box position) and run for at most nodeSize boxes, capped at the level below's end.
  for (let level = 1; level < bounds.length; level++) {
    const childEnd = bounds[level - 1] >> 2;
    for (let k = bounds[level - 1] >> 2; k < bounds[level] >> 2; k++) {
      const first = indices[k] >> 2;
      const last = Math.min(first + tree.nodeSize, childEnd);
      let lo = Infinity, hi = -Infinity;
      for (let c = first; c < last; c++) {
        if (s.nodeMinBaseM[c] < lo) lo = s.nodeMinBaseM[c];
        if (s.nodeMaxRoofM[c] > hi) hi = s.nodeMaxRoofM[c];
      }
      s.nodeMinBaseM[k] = lo;
      s.nodeMaxRoofM[k] = hi;
    }
  }
}

/** Node count flatbush uses for a given item count (exported for tests of the layout). */
export const prismIndexNodeCount = flatbushNodeCount;
