/**
 * Lots: the land between road red lines, cut further where a key public area takes part of a lot.
 * Each lot knows what lies beyond each of its four edges, and how far buildings stay back from that
 * edge. Buildings are only ever placed inside a lot's buildable rectangle, so buildings of different
 * lots cannot overlap, and no building reaches a road's red line.
 */
import { insetRect, rect, type Rect } from './geometry.ts';
import type { Block, GridLine } from './roads.ts';

export type EdgeKind = 'arterial' | 'secondary' | 'branch' | 'river' | 'split';

/** Edge order everywhere: 0 west, 1 south, 2 east, 3 north. */
export const WEST = 0, SOUTH = 1, EAST = 2, NORTH = 3;

export interface Lot {
  r: Rect;
  /** Distance from each edge to the buildable rectangle. */
  setback: [number, number, number, number];
  edge: [EdgeKind, EdgeKind, EdgeKind, EdgeKind];
  /** Name of the road beyond each edge (for addresses and shop rows), null inside a lot. */
  edgeName: [string | null, string | null, string | null, string | null];
  block: Block;
}

/** Half the fire-separation gap kept on each side of a lot split (8 m between buildings in all). */
export const SPLIT_SETBACK_M = 4;

const lineEdge = (l: GridLine): EdgeKind => l.kind;

export function buildableOf(lot: Lot): Rect | null {
  const [w, s, e, n] = lot.setback;
  return insetRect(lot.r, w, s, e, n);
}

/** Cuts a block into up to four lots along its 支路 corridors. */
export function lotsOfBlock(block: Block): Lot[] {
  const { interior: r, nsBranch: nb, ewBranch: eb } = block;
  const xs: [number, number, EdgeKind, number, string | null][] = [[r.x0, r.x0, lineEdge(block.west), block.west.setbackM, block.west.name]];
  if (nb) xs.push([nb.pos - nb.halfWidthM, nb.pos + nb.halfWidthM, 'branch', nb.setbackM, nb.name]);
  xs.push([r.x1, r.x1, lineEdge(block.east), block.east.setbackM, block.east.name]);
  const ys: [number, number, EdgeKind, number, string | null][] = [[r.y0, r.y0, lineEdge(block.south), block.south.setbackM, block.south.name]];
  if (eb) ys.push([eb.pos - eb.halfWidthM, eb.pos + eb.halfWidthM, 'branch', eb.setbackM, eb.name]);
  ys.push([r.y1, r.y1, lineEdge(block.north), block.north.setbackM, block.north.name]);
  const lots: Lot[] = [];
  for (let b = 0; b + 1 < ys.length; b++) {
    for (let a = 0; a + 1 < xs.length; a++) {
      const W = xs[a], E = xs[a + 1], S = ys[b], N = ys[b + 1];
      lots.push({
        r: rect(W[1], S[1], E[0], N[0]),
        setback: [W[3], S[3], E[3], N[3]],
        edge: [W[2], S[2], E[2], N[2]],
        edgeName: [W[4], S[4], E[4], N[4]],
        block,
      });
    }
  }
  return lots;
}

/**
 * Splits a lot at x = `at` (axis 'x') or y = `at` (axis 'y') into the low and high part; the new
 * edges are 'split' edges with a {@link SPLIT_SETBACK_M} setback.
 */
export function splitLot(lot: Lot, axis: 'x' | 'y', at: number): [Lot, Lot] {
  const lo: Lot = { ...lot, r: { ...lot.r }, setback: [...lot.setback], edge: [...lot.edge], edgeName: [...lot.edgeName] };
  const hi: Lot = { ...lot, r: { ...lot.r }, setback: [...lot.setback], edge: [...lot.edge], edgeName: [...lot.edgeName] };
  if (axis === 'x') {
    lo.r.x1 = at;
    hi.r.x0 = at;
    lo.edge[EAST] = hi.edge[WEST] = 'split';
    lo.setback[EAST] = hi.setback[WEST] = SPLIT_SETBACK_M;
    lo.edgeName[EAST] = hi.edgeName[WEST] = null;
  } else {
    lo.r.y1 = at;
    hi.r.y0 = at;
    lo.edge[NORTH] = hi.edge[SOUTH] = 'split';
    lo.setback[NORTH] = hi.setback[SOUTH] = SPLIT_SETBACK_M;
    lo.edgeName[NORTH] = hi.edgeName[SOUTH] = null;
  }
  return [lo, hi];
}

/** The busiest road edge of a lot (arterial before secondary before 支路), or -1 when none. */
export function frontEdge(lot: Lot): number {
  const rank: Record<EdgeKind, number> = { arterial: 3, secondary: 2, branch: 1, river: 0, split: 0 };
  let best = -1, bestRank = 0;
  for (let e = 0; e < 4; e++) {
    if (rank[lot.edge[e]] > bestRank) {
      bestRank = rank[lot.edge[e]];
      best = e;
    }
  }
  return best;
}
