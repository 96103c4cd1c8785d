/**
 * Outline of a set of grid cells as polygons with holes, exactly, in integer cell coordinates.
 *
 * Every side of a filled cell whose neighbour is empty is a boundary edge, oriented with the filled
 * cell on its left; following edges end to end gives closed rings, outer boundaries counter-clockwise
 * and holes clockwise (the GeoJSON / RFC 7946 orientation). Where two filled cells touch only at a
 * corner the walk turns left, so such cells get separate rings and every ring stays simple. Vertices
 * in the middle of straight runs are dropped. Each hole goes to the smallest outer ring around it.
 */

/** One polygon: rings of [x, y] vertices in cell units (open: the first vertex is not repeated), outer first. */
export type CellPolygon = [number, number][][];

// Directions: 0 east, 1 north, 2 west, 3 south.
const DX = [1, 0, -1, 0];
const DY = [0, 1, 0, -1];

/**
 * Outlines the filled cells of a w × h grid (`filled[j * w + i]` non-zero; cell (i, j) spans
 * [i, i+1] × [j, j+1]). Returns polygons in cell coordinates.
 */
export function outlineCells(filled: Uint8Array, w: number, h: number): CellPolygon[] {
  const W = w + 1;
  const at = (i: number, j: number) => i >= 0 && j >= 0 && i < w && j < h && filled[j * w + i] !== 0;
  // Up to two outgoing edges per vertex (two only where filled cells touch at a corner).
  const out = new Int8Array(W * (h + 1) * 2).fill(-1);
  const addEdge = (x: number, y: number, d: number) => {
    const v = (y * W + x) * 2;
    out[out[v] < 0 ? v : v + 1] = d;
  };
  let edges = 0;
  for (let j = 0; j < h; j++) {
    for (let i = 0; i < w; i++) {
      if (!at(i, j)) continue;
      if (!at(i, j - 1)) addEdge(i, j, 0), edges++;
      if (!at(i + 1, j)) addEdge(i + 1, j, 1), edges++;
      if (!at(i, j + 1)) addEdge(i + 1, j + 1, 2), edges++;
      if (!at(i - 1, j)) addEdge(i, j + 1, 3), edges++;
    }
  }
  const used = new Uint8Array(out.length);
  /** Slot (index into `out`) of the edge leaving vertex (x, y) after arriving in direction d. */
  const nextSlot = (x: number, y: number, d: number) => {
    const v = (y * W + x) * 2;
    if (out[v + 1] < 0) return v;
    // Two ways on: turn left (d + 1) rather than right.
    return out[v] === (d + 1) % 4 ? v : v + 1;
  };
  const outers: { ring: [number, number][]; area: number }[] = [];
  const holes: [number, number][][] = [];
  for (let start = 0; start < out.length && edges > 0; start++) {
    if (out[start] < 0 || used[start]) continue;
    const ring: [number, number][] = [];
    let slot = start;
    let x = (start >> 1) % W, y = Math.floor((start >> 1) / W);
    let prevDir = -1;
    do {
      used[slot] = 1;
      edges--;
      const d = out[slot];
      if (d !== prevDir) ring.push([x, y]);
      prevDir = d;
      x += DX[d];
      y += DY[d];
      slot = nextSlot(x, y, d);
    } while (slot !== start);
    // The start vertex is redundant when the ring arrives and leaves in the same direction.
    if (ring.length > 1 && out[start] === prevDir) ring.shift();
    const area = pairsSignedArea(ring);
    if (area > 0) outers.push({ ring, area });
    else holes.push(ring);
  }
  const polys: CellPolygon[] = outers.map((o) => [o.ring]);
  for (const hole of holes) {
    // The filled cell left of the hole's first edge lies in the region of the outer ring that holds the hole.
    const [x0, y0] = hole[0];
    const [x1, y1] = hole[1];
    const dx = Math.sign(x1 - x0), dy = Math.sign(y1 - y0);
    const cx = x0 + 0.5 * dx - 0.5 * dy, cy = y0 + 0.5 * dy + 0.5 * dx;
    let best = -1;
    for (let k = 0; k < outers.length; k++) {
      if ((best < 0 || outers[k].area < outers[best].area) && inRing(cx, cy, outers[k].ring)) best = k;
    }
    if (best >= 0) polys[best].push(hole);
  }
  return polys;
}

/** Signed area of a ring of [x, y] pairs (> 0 counter-clockwise). */
export function pairsSignedArea(ring: readonly (readonly [number, number] | number[])[]): number {
  let s = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) s += (ring[j][0] - ring[i][0]) * (ring[j][1] + ring[i][1]);
  return s / 2;
}

function inRing(x: number, y: number, ring: [number, number][]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
