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

/** Even-odd test of point (x, y) against rings r0 … r1−1 of a flat polygon table (one part: outer ring and its holes). */
export function pointInRings(x: number, y: number, vertexStart: ArrayLike<number>, xy: ArrayLike<number>, r0: number, r1: number): boolean {
  let inside = false;
  for (let r = r0; r < r1; r++) {
    if (pointInRing(x, y, xy, vertexStart[r], vertexStart[r + 1])) inside = !inside;
  }
  return inside;
}

/**
 * Point in polygon for feature `f` of a flat polygon table (even-odd rule over all its rings: outer
 * rings and holes, of every part of a multi-part key area).
 */
export function pointInTablePolygon(
  x: number,
  y: number,
  ringStart: ArrayLike<number>,
  vertexStart: ArrayLike<number>,
  xy: ArrayLike<number>,
  f: number,
): boolean {
  return pointInRings(x, y, vertexStart, xy, ringStart[f], ringStart[f + 1]);
}

/**
 * Area of feature `f` of a flat polygon table, m²: the sum of signed ring areas (outer rings CCW count
 * +, holes CW count −), so a multi-part key area sums its parts minus their holes.
 */
export function tablePolygonArea(
  ringStart: ArrayLike<number>,
  vertexStart: ArrayLike<number>,
  xy: ArrayLike<number>,
  f: number,
): number {
  let a = 0;
  for (let r = ringStart[f]; r < ringStart[f + 1]; r++) a += ringSignedArea(xy, vertexStart[r], vertexStart[r + 1]);
  return a;
}

/**
 * True when ring `r` of a flat polygon table is an outer ring (counter-clockwise, as the builder
 * stores them); a feature's polygons each start at such a ring, its holes (clockwise) follow.
 */
export function isOuterRing(vertexStart: ArrayLike<number>, xy: ArrayLike<number>, r: number): boolean {
  return ringSignedArea(xy, vertexStart[r], vertexStart[r + 1]) > 0;
}

/**
 * The polygons of feature `f`: ring indices where each starts (an outer CCW ring), then the feature's
 * end ring, so polygon k holds rings out[k] … out[k+1]−1. A building gives [r0, r1]; a multi-part key
 * area one start per part. A first ring that is not CCW still starts the first polygon.
 */
export function tablePolygonParts(ringStart: ArrayLike<number>, vertexStart: ArrayLike<number>, xy: ArrayLike<number>, f: number): number[] {
  const r0 = ringStart[f], r1 = ringStart[f + 1];
  const out = [r0];
  for (let r = r0 + 1; r < r1; r++) if (isOuterRing(vertexStart, xy, r)) out.push(r);
  out.push(r1);
  return out;
}

/**
 * Bounding box of feature `f` of a flat polygon table over all its rings, written into `out` as
 * [minX, minY, maxX, maxY].
 */
export function tablePolygonBBox(
  ringStart: ArrayLike<number>,
  vertexStart: ArrayLike<number>,
  xy: ArrayLike<number>,
  f: number,
  out: Float64Array | number[] = new Float64Array(4),
) {
  return ringsBBox(vertexStart, xy, ringStart[f], ringStart[f + 1], out);
}

/** Bounding box of rings r0 … r1−1 of a flat polygon table, written into `out` as [minX, minY, maxX, maxY]. */
export function ringsBBox(
  vertexStart: ArrayLike<number>,
  xy: ArrayLike<number>,
  r0: number,
  r1: number,
  out: Float64Array | number[] = new Float64Array(4),
) {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  const v0 = vertexStart[r0];
  const v1 = vertexStart[r1];
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
