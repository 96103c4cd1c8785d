/**
 * The spatial hierarchy of a building tileset: a quadtree with additive refinement.
 *
 * The root square is centred on the city origin with a power-of-two half size, so that the grid
 * (and with it every tile address) stays put when a few buildings are edited: only the tiles that
 * hold those buildings change. A tile holding at most `maxFeatures` buildings is a leaf. A fuller
 * tile keeps its `maxFeatures` most significant buildings as its own content and hands the rest to
 * its four quadrants by the building's centroid. Significance is the building's size: the larger
 * of its roof height and its footprint's diagonal, metres; ties go by id, so the tree is
 * deterministic.
 *
 * Geometric error: drawing a tile without its descendants leaves out exactly the buildings below
 * it, the largest of which is at most as big as the tile's own smallest; so a tile's geometric
 * error is the size of the largest building among its descendants (0 for a leaf), in metres. It
 * never grows down the tree, since every descendant's set of missing buildings is a subset of its
 * parent's. With refine ADD, every building is in exactly one tile.
 */

/** One tile of the tree. */
export interface TreeNode {
  /** Quadtree level (root 0) and cell address (x east, y north) at that level. */
  level: number;
  x: number;
  y: number;
  /** `${level}-${x}-${y}`: unique, stable, used in content file names. */
  key: string;
  /** Building indices of this tile's own content, most significant first. */
  buildings: number[];
  children: TreeNode[];
  /** Size of the largest building among the descendants, metres (0 for a leaf). */
  geometricErrorM: number;
}

export interface QuadtreeInput {
  /** Interleaved centroid x, y per building, metres in the city plane. */
  centroidsM: Float64Array;
  /** Significance per building, metres. */
  sizeM: Float64Array;
  /** Building ids (for deterministic tie-breaking). */
  ids: readonly string[];
  /** Only these buildings (all when omitted). */
  include?: ArrayLike<number>;
}

export interface QuadtreeOptions {
  /** Most buildings in one tile's content (≥ 1). */
  maxFeatures: number;
  /** Deepest level; a tile there holds what is left, whatever its count. Default 16. */
  maxLevel?: number;
}

export interface Quadtree {
  root: TreeNode;
  /** Half the side of the root square, metres (the square is centred on the origin). */
  rootHalfM: number;
  /** Deepest level with a tile. */
  depth: number;
  tileCount: number;
}

/** Smallest power-of-two half size (≥ 64 m) whose square around the origin holds every centroid. */
export function rootHalfSize(centroidsM: Float64Array, include?: ArrayLike<number>): number {
  let m = 0;
  const n = include ? include.length : centroidsM.length / 2;
  for (let k = 0; k < n; k++) {
    const i = include ? include[k] : k;
    m = Math.max(m, Math.abs(centroidsM[2 * i]), Math.abs(centroidsM[2 * i + 1]));
  }
  let half = 64;
  while (half <= m) half *= 2;
  return half;
}

/** Builds the quadtree; see the module doc. */
export function buildQuadtree(input: QuadtreeInput, options: QuadtreeOptions): Quadtree {
  const { centroidsM, sizeM, ids } = input;
  const maxFeatures = Math.floor(options.maxFeatures);
  if (!(maxFeatures >= 1)) throw new RangeError(`maxFeatures must be at least 1, got ${options.maxFeatures}`);
  const maxLevel = options.maxLevel ?? 16;
  const all: number[] = input.include ? Array.from(input.include) : Array.from({ length: ids.length }, (_, i) => i);
  // one global order: most significant first, then by id
  all.sort((a, b) => sizeM[b] - sizeM[a] || (ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : 0));
  const rootHalfM = rootHalfSize(centroidsM, all);
  let depth = 0;
  let tileCount = 0;

  const make = (set: number[], level: number, x: number, y: number): TreeNode => {
    tileCount++;
    if (level > depth) depth = level;
    const node: TreeNode = { level, x, y, key: `${level}-${x}-${y}`, buildings: set, children: [], geometricErrorM: 0 };
    if (set.length <= maxFeatures || level >= maxLevel) return node;
    node.buildings = set.slice(0, maxFeatures);
    const cell = (2 * rootHalfM) / 2 ** level;
    const midX = -rootHalfM + (x + 0.5) * cell;
    const midY = -rootHalfM + (y + 0.5) * cell;
    const quads: number[][] = [[], [], [], []];
    let largest = 0;
    for (let k = maxFeatures; k < set.length; k++) {
      const i = set[k];
      if (sizeM[i] > largest) largest = sizeM[i];
      const q = (centroidsM[2 * i] >= midX ? 1 : 0) + (centroidsM[2 * i + 1] >= midY ? 2 : 0);
      quads[q].push(i); // stays in the global order
    }
    node.geometricErrorM = largest;
    for (let q = 0; q < 4; q++) {
      if (quads[q].length) node.children.push(make(quads[q], level + 1, 2 * x + (q & 1), 2 * y + (q >> 1)));
    }
    return node;
  };

  const root = make(all, 0, 0, 0);
  return { root, rootHalfM, depth, tileCount };
}

/** Visits every node, parents before children. */
export function walkTree(node: TreeNode, visit: (node: TreeNode, parent: TreeNode | null) => void, parent: TreeNode | null = null): void {
  visit(node, parent);
  for (const c of node.children) walkTree(c, visit, node);
}
