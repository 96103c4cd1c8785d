/**
 * Axis-aligned rectangles and small planar helpers for the default-city generator. The generated
 * district is laid out on a north–south / east–west grid (as central Weifang is), so lots, key
 * areas and building bounding boxes are axis-aligned rectangles; footprints may be cut inside their
 * box (chamfers, L shapes) but never leave it, which is what makes "no overlap" hold by construction.
 */

/** Axis-aligned rectangle in local metres, x0 < x1 and y0 < y1. */
export interface Rect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export const rect = (x0: number, y0: number, x1: number, y1: number): Rect => ({ x0, y0, x1, y1 });
export const rectWidth = (r: Rect) => r.x1 - r.x0;
export const rectHeight = (r: Rect) => r.y1 - r.y0;
export const rectArea = (r: Rect) => (r.x1 - r.x0) * (r.y1 - r.y0);

/** Shrinks a rectangle by west, south, east and north margins; null when nothing is left. */
export function insetRect(r: Rect, west: number, south: number, east: number, north: number): Rect | null {
  const out = { x0: r.x0 + west, y0: r.y0 + south, x1: r.x1 - east, y1: r.y1 - north };
  return out.x1 - out.x0 > 0.5 && out.y1 - out.y0 > 0.5 ? out : null;
}

/** True when the two rectangles share interior area (touching edges do not count). */
export function rectsOverlap(a: Rect, b: Rect): boolean {
  return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

/** Distance from (x, y) to the rectangle (0 inside). */
export function rectDistance(r: Rect, x: number, y: number): number {
  const dx = Math.max(r.x0 - x, 0, x - r.x1);
  const dy = Math.max(r.y0 - y, 0, y - r.y1);
  return Math.hypot(dx, dy);
}

/** Rounds to centimetres so that the file stays compact and values print the same everywhere. */
export const cm = (v: number) => Math.round(v * 100) / 100;

/** Counter-clockwise ring of a rectangle as flat x,y (open). */
export function rectRing(r: Rect): number[] {
  return [cm(r.x0), cm(r.y0), cm(r.x1), cm(r.y0), cm(r.x1), cm(r.y1), cm(r.x0), cm(r.y1)];
}

/** Rectangle with its four corners cut by `c` metres (an octagon inside the rectangle). */
export function chamferRing(r: Rect, c: number): number[] {
  const k = Math.min(c, rectWidth(r) / 3, rectHeight(r) / 3);
  const { x0, y0, x1, y1 } = r;
  return [x0 + k, y0, x1 - k, y0, x1, y0 + k, x1, y1 - k, x1 - k, y1, x0 + k, y1, x0, y1 - k, x0, y0 + k].map(cm);
}

/**
 * L-shaped footprint: the rectangle minus one corner block `cutW` × `cutH` at corner `corner`
 * (0 south-west, 1 south-east, 2 north-east, 3 north-west).
 */
export function lShapeRing(r: Rect, cutW: number, cutH: number, corner: number): number[] {
  const { x0, y0, x1, y1 } = r;
  let ring: number[];
  switch (corner & 3) {
    case 0:
      ring = [x0 + cutW, y0, x1, y0, x1, y1, x0, y1, x0, y0 + cutH, x0 + cutW, y0 + cutH];
      break;
    case 1:
      ring = [x0, y0, x1 - cutW, y0, x1 - cutW, y0 + cutH, x1, y0 + cutH, x1, y1, x0, y1];
      break;
    case 2:
      ring = [x0, y0, x1, y0, x1, y1 - cutH, x1 - cutW, y1 - cutH, x1 - cutW, y1, x0, y1];
      break;
    default:
      ring = [x0, y0, x1, y0, x1, y1, x0 + cutW, y1, x0 + cutW, y1 - cutH, x0, y1 - cutH];
  }
  return ring.map(cm);
}

/** Compass bearing of the vector (dx, dy): degrees clockwise from north, in [0, 360). */
export function bearingDeg(dx: number, dy: number): number {
  const b = (Math.atan2(dx, dy) * 180) / Math.PI;
  return b < 0 ? b + 360 : b;
}

