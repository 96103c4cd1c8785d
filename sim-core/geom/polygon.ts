/**
 * Small planar helpers over flat interleaved x,y arrays (metres). Rings are open: the closing vertex
 * is not repeated. No allocation.
 */

/** Signed area of ring vertices [start, end) of `xy` (vertex indices); > 0 when counter-clockwise. */
export function ringSignedArea(xy: ArrayLike<number>, start = 0, end = xy.length / 2): number {
  let sum = 0;
  for (let i = start, j = end - 1; i < end; j = i++) {
    sum += (xy[2 * j] - xy[2 * i]) * (xy[2 * j + 1] + xy[2 * i + 1]);
  }
  return sum / 2;
}

/** Even-odd test of point (x, y) against ring vertices [start, end) of `xy`. */
export function pointInRing(x: number, y: number, xy: ArrayLike<number>, start: number, end: number): boolean {
  let inside = false;
  for (let i = start, j = end - 1; i < end; j = i++) {
    const xi = xy[2 * i];
    const yi = xy[2 * i + 1];
    const xj = xy[2 * j];
    const yj = xy[2 * j + 1];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/**
 * Point in polygon for feature `f` of a flat polygon table (outer ring plus holes, even-odd rule).
 */
export function pointInTablePolygon(
  x: number,
  y: number,
  ringStart: ArrayLike<number>,
  vertexStart: ArrayLike<number>,
  xy: ArrayLike<number>,
  f: number,
): boolean {
  let inside = false;
  for (let r = ringStart[f]; r < ringStart[f + 1]; r++) {
    if (pointInRing(x, y, xy, vertexStart[r], vertexStart[r + 1])) inside = !inside;
  }
  return inside;
}

/** Area of feature `f` of a flat polygon table (outer minus holes), m². */
export function tablePolygonArea(
  ringStart: ArrayLike<number>,
  vertexStart: ArrayLike<number>,
  xy: ArrayLike<number>,
  f: number,
): number {
  let a = 0;
  for (let r = ringStart[f]; r < ringStart[f + 1]; r++) {
    const ar = Math.abs(ringSignedArea(xy, vertexStart[r], vertexStart[r + 1]));
    a += r === ringStart[f] ? ar : -ar;
  }
  return a;
}

/** Bounding box of feature `f` of a flat polygon table, written into `out` as [minX, minY, maxX, maxY]. */
export function tablePolygonBBox(
  ringStart: ArrayLike<number>,
  vertexStart: ArrayLike<number>,
  xy: ArrayLike<number>,
  f: number,
  out: Float64Array | number[] = new Float64Array(4),
) {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  const v0 = vertexStart[ringStart[f]];
  const v1 = vertexStart[ringStart[f] + 1];
  for (let v = v0; v < v1; v++) {
    const x = xy[2 * v];
    const y = xy[2 * v + 1];
    if (x < minX) minX = x;
    if (y < minY) minY = y;
    if (x > maxX) maxX = x;
    if (y > maxY) maxY = y;
  }
  out[0] = minX;
  out[1] = minY;
  out[2] = maxX;
  out[3] = maxY;
  return out;
}

/**
 * Checks a ring given as a closed or open list of x,y pairs and returns its open, de-duplicated form.
 * Returns a string describing the problem when the ring cannot be used.
 */
export function cleanRing(flat: number[]): number[] | string {
  const out: number[] = [];
  for (let i = 0; i < flat.length; i += 2) {
    const x = flat[i];
    const y = flat[i + 1];
    if (!Number.isFinite(x) || !Number.isFinite(y)) return `vertex ${i / 2} is not a finite coordinate`;
    const n = out.length;
    if (n >= 2 && out[n - 2] === x && out[n - 1] === y) continue; // repeated vertex
    out.push(x, y);
  }
  if (out.length >= 4 && out[0] === out[out.length - 2] && out[1] === out[out.length - 1]) out.length -= 2;
  if (out.length < 6) return `ring has ${out.length / 2} distinct vertices; a polygon ring needs at least 3`;
  if (ringSignedArea(out) === 0) return 'ring has zero area';
  return out;
}

/** Reverses an open flat ring in place when its orientation differs from the wanted one. */
export function orientRing(flat: number[], counterClockwise: boolean): number[] {
  const ccw = ringSignedArea(flat) > 0;
  if (ccw !== counterClockwise) {
    for (let i = 0, j = flat.length - 2; i < j; i += 2, j -= 2) {
      const tx = flat[i];
      const ty = flat[i + 1];
      flat[i] = flat[j];
      flat[i + 1] = flat[j + 1];
      flat[j] = tx;
      flat[j + 1] = ty;
    }
  }
  return flat;
}
