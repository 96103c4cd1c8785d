/**
 * The sample grid of a coverage raster and scanline rasterisation of flat polygons onto it.
 *
 * A {@link GridSpec} is north-up in the city's local frame: cell (col, row) covers
 * `originXM + col·cellM ≤ x < originXM + (col+1)·cellM` and `originYM + row·cellM ≤ y < …`, i.e. row 0
 * is the *southern* row (y grows with the row, like the local frame), and its sample point is the
 * cell centre. Sample index = row · nx + col.
 *
 * Rasterisation decides each cell by its centre with the even-odd rule, row by row: the crossings of
 * the row's centre line with every ring edge (half-open in y so that a vertex on the line counts
 * once) are sorted and the cells whose centre x lies in [x₂ᵢ, x₂ᵢ₊₁) are filled. That is the same
 * decision as `pointInRing` of sim-core/geom/polygon.ts for every centre, at the cost of the edges
 * and the filled cells only.
 */
import type { BBoxM } from '../../cim/types.ts';

export interface GridSpec {
  /** West edge of column 0, local metres. */
  originXM: number;
  /** South edge of row 0, local metres. */
  originYM: number;
  /** Cell size, metres. */
  cellM: number;
  nx: number;
  ny: number;
}

/** A grid of `cellM` cells covering a bounding box (the box is grown to whole cells). */
export function gridOverBBox(b: BBoxM, cellM: number): GridSpec {
  if (!(cellM > 0) || !Number.isFinite(cellM)) throw new RangeError(`cellM must be a positive number of metres, got ${cellM}`);
  if (!(b.maxX > b.minX && b.maxY > b.minY)) throw new RangeError('the grid box is empty');
  const nx = Math.max(1, Math.ceil((b.maxX - b.minX) / cellM - 1e-9));
  const ny = Math.max(1, Math.ceil((b.maxY - b.minY) / cellM - 1e-9));
  if (nx * ny > 2 ** 28) throw new RangeError(`a ${nx} × ${ny} grid is too large; use a coarser cellM`);
  return { originXM: b.minX, originYM: b.minY, cellM, nx, ny };
}

export const cellCentreX = (g: GridSpec, col: number) => g.originXM + (col + 0.5) * g.cellM;
export const cellCentreY = (g: GridSpec, row: number) => g.originYM + (row + 0.5) * g.cellM;

let XS = new Float64Array(256);

/**
 * Calls `fill(row, col0, col1)` (col1 exclusive) for every run of cells whose centre lies inside the
 * polygon made of rings `ringFrom .. ringTo-1` (even-odd over all of them) of a flat polygon table.
 * No allocation apart from growing a module scratch array.
 */
export function scanlinePolygon(
  g: GridSpec,
  vertexStart: ArrayLike<number>,
  xy: ArrayLike<number>,
  ringFrom: number,
  ringTo: number,
  fill: (row: number, col0: number, col1: number) => void,
): void {
  let minY = Infinity;
  let maxY = -Infinity;
  for (let v = vertexStart[ringFrom]; v < vertexStart[ringTo]; v++) {
    const y = xy[2 * v + 1];
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  const c = g.cellM;
  let r0 = Math.ceil((minY - g.originYM) / c - 0.5);
  let r1 = Math.floor((maxY - g.originYM) / c - 0.5);
  if (r0 < 0) r0 = 0;
  if (r1 > g.ny - 1) r1 = g.ny - 1;
  for (let row = r0; row <= r1; row++) {
    const yc = g.originYM + (row + 0.5) * c;
    let n = 0;
    for (let r = ringFrom; r < ringTo; r++) {
      const v0 = vertexStart[r];
      const v1 = vertexStart[r + 1];
      for (let i = v0, j = v1 - 1; i < v1; j = i++) {
        const yi = xy[2 * i + 1];
        const yj = xy[2 * j + 1];
        if (yi > yc !== yj > yc) {
          const xi = xy[2 * i];
          const xj = xy[2 * j];
          if (n === XS.length) {
            const grown = new Float64Array(n * 2);
            grown.set(XS);
            XS = grown;
          }
          XS[n++] = ((xj - xi) * (yc - yi)) / (yj - yi) + xi;
        }
      }
    }
    if (n < 2) continue;
    sortPrefix(XS, n);
    for (let k = 0; k + 1 < n; k += 2) {
      // centre x_c = origin + (col + 0.5)·c inside when xa ≤ x_c < xb
      let col0 = Math.ceil((XS[k] - g.originXM) / c - 0.5);
      let col1 = Math.ceil((XS[k + 1] - g.originXM) / c - 0.5);
      if (col0 < 0) col0 = 0;
      if (col1 > g.nx) col1 = g.nx;
      if (col1 > col0) fill(row, col0, col1);
    }
  }
}

function sortPrefix(a: Float64Array, n: number): void {
  for (let i = 1; i < n; i++) {
    const v = a[i];
    let j = i - 1;
    while (j >= 0 && a[j] > v) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = v;
  }
}

/**
 * For every cell, the index of a building whose footprint holds the centre and whose prism stands on
 * the ground (baseM ≤ 0 < roofM), or −1: the indoor/outdoor split of ground samples. Raised parts
 * (base above ground) leave the ground under them outdoor, as PrismIndex.buildingAt(x, y, 0) does.
 * Where footprints overlap, the later building wins.
 */
export function rasterizeFootprints(
  g: GridSpec,
  b: { count: number; ringStart: ArrayLike<number>; vertexStart: ArrayLike<number>; xyM: ArrayLike<number>; baseM: ArrayLike<number>; roofM: ArrayLike<number> },
  out: Int32Array = new Int32Array(g.nx * g.ny),
): Int32Array {
  out.fill(-1);
  const nx = g.nx;
  let current = 0;
  const fill = (row: number, c0: number, c1: number) => {
    out.fill(current, row * nx + c0, row * nx + c1);
  };
  for (let i = 0; i < b.count; i++) {
    if (!(b.baseM[i] <= 0 && b.roofM[i] > 0)) continue;
    current = i;
    scanlinePolygon(g, b.vertexStart, b.xyM, b.ringStart[i], b.ringStart[i + 1], fill);
  }
  return out;
}

/**
 * 1 for every cell whose centre lies inside any of the polygons (each a list of open rings of
 * interleaved x,y metres, outer first; even-odd within a polygon), else 0.
 */
export function rasterizePolygons(g: GridSpec, polygons: Float64Array[][], out: Uint8Array = new Uint8Array(g.nx * g.ny)): Uint8Array {
  const nx = g.nx;
  const fill = (row: number, c0: number, c1: number) => {
    out.fill(1, row * nx + c0, row * nx + c1);
  };
  for (const poly of polygons) {
    let total = 0;
    for (const ring of poly) total += ring.length;
    const xy = new Float64Array(total);
    const vs = new Uint32Array(poly.length + 1);
    let o = 0;
    poly.forEach((ring, r) => {
      xy.set(ring, o);
      o += ring.length;
      vs[r + 1] = o / 2;
    });
    scanlinePolygon(g, vs, xy, 0, poly.length, fill);
  }
  return out;
}

/** Distance from (x, y) to the nearest edge of feature `f` of a flat polygon table, metres. */
export function distanceToBoundaryM(
  x: number,
  y: number,
  ringStart: ArrayLike<number>,
  vertexStart: ArrayLike<number>,
  xy: ArrayLike<number>,
  f: number,
): number {
  let best = Infinity;
  for (let r = ringStart[f]; r < ringStart[f + 1]; r++) {
    const v0 = vertexStart[r];
    const v1 = vertexStart[r + 1];
    for (let i = v0, j = v1 - 1; i < v1; j = i++) {
      const x0 = xy[2 * j];
      const y0 = xy[2 * j + 1];
      const ex = xy[2 * i] - x0;
      const ey = xy[2 * i + 1] - y0;
      const l2 = ex * ex + ey * ey;
      let t = l2 > 0 ? ((x - x0) * ex + (y - y0) * ey) / l2 : 0;
      if (t < 0) t = 0;
      else if (t > 1) t = 1;
      const dx = x - (x0 + t * ex);
      const dy = y - (y0 + t * ey);
      const d = dx * dx + dy * dy;
      if (d < best) best = d;
    }
  }
  return Math.sqrt(best);
}
