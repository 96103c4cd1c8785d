/**
 * Building records of the default city, collected before they go into the CityBuilder. Every
 * footprint lies inside its axis-aligned box; boxes of buildings standing on the ground never
 * overlap (towers on podia overlap their podium in plan but not in height).
 */
import type { Attrs } from '../types.ts';
import { chamferRing, cm, lShapeRing, rectHeight, rectRing, rectWidth, type Rect } from './geometry.ts';

/** Storey heights, metres (floor to floor). Residential 3.0 m; shops and offices 4.0–4.5 m. */
export const STOREY_M = {
  residential: 3.0,
  historic: 3.3,
  office: 4.0,
  commercial: 4.5,
  school: 3.9,
  hospital: 4.2,
  public: 4.5,
  industrial: 6.0,
} as const;

/** Parapet or roof structure above the top storey, metres. */
const ROOF_EXTRA_M = 0.9;

export interface BuildingSpec {
  ring: number[];
  box: Rect;
  baseM: number;
  roofM: number;
  use: string;
  name: string | null;
  attrs: Attrs;
}

export interface AddBuildingOptions {
  storeys: number;
  storeyM: number;
  use: string;
  name?: string | null;
  shape?: 'rect' | 'chamfer' | 'l';
  /** For 'l': which corner is cut (0 SW, 1 SE, 2 NE, 3 NW). */
  corner?: number;
  baseM?: number;
  /** Height of the roof above the top storey (default 0.9 m parapet). */
  roofExtraM?: number;
  attrs?: Attrs;
}

export class BuildingSink {
  readonly specs: BuildingSpec[] = [];

  /** Adds a building filling `box` (or a chamfered / L-shaped cut of it). Returns its index. */
  add(box: Rect, o: AddBuildingOptions): number {
    const b = { x0: cm(box.x0), y0: cm(box.y0), x1: cm(box.x1), y1: cm(box.y1) };
    const w = rectWidth(b), h = rectHeight(b);
    if (!(w >= 2 && h >= 2)) throw new Error(`default city: building box ${w}×${h} m is too small`);
    let ring: number[];
    if (o.shape === 'chamfer') ring = chamferRing(b, Math.min(w, h) * 0.18);
    else if (o.shape === 'l' && w >= 12 && h >= 12) ring = lShapeRing(b, w * 0.4, h * 0.45, o.corner ?? 0);
    else ring = rectRing(b);
    const baseM = o.baseM ?? 0;
    const roofM = cm(baseM + o.storeys * o.storeyM + (o.roofExtraM ?? ROOF_EXTRA_M));
    this.specs.push({ ring, box: b, baseM, roofM, use: o.use, name: o.name ?? null, attrs: { storeys: o.storeys, ...o.attrs } });
    return this.specs.length - 1;
  }

  get count() {
    return this.specs.length;
  }
}

/**
 * Places boxes of the given lengths along x from `x0` to `x1` at [y0, y1], with gaps drawn by
 * `gap()`; stops when the next box does not fit. Returns the boxes.
 */
export function packAlongX(x0: number, x1: number, y0: number, y1: number, length: () => number, gap: () => number): Rect[] {
  const out: Rect[] = [];
  let x = x0;
  for (;;) {
    const len = length();
    if (x + len > x1) {
      // a shorter last box when at least 60% of the drawn length fits
      if (x1 - x >= len * 0.6 && x1 - x >= 8) out.push({ x0: x, y0, x1, y1 });
      break;
    }
    out.push({ x0: x, y0, x1: x + len, y1 });
    x += len + gap();
  }
  return out;
}

/** The same along y. */
export function packAlongY(y0: number, y1: number, x0: number, x1: number, length: () => number, gap: () => number): Rect[] {
  return packAlongX(y0, y1, x0, x1, length, gap).map((r) => ({ x0: r.y0, y0: r.x0, x1: r.y1, y1: r.x1 }));
}
