/** Screen-space picking of overlay anchors, pure: the nearest eligible anchor within a pixel radius. */
import { projectToWindow, type PinholeView } from './frame.ts';

const P = new Float64Array(3);

/**
 * Index of the anchor (interleaved x, y, z in the view's frame) whose window projection is nearest to
 * (windowX, windowY) and within `radiusPx(i)` of it, among those `eligible(i)` accepts; −1 for none.
 * Ties go to the anchor nearer the eye.
 */
export function pickNearest(view: PinholeView, xyz: ArrayLike<number>, count: number, windowX: number, windowY: number, radiusPx: (i: number) => number, eligible: (i: number) => boolean = () => true): number {
  let best = -1;
  let bestD2 = Infinity;
  let bestDepth = Infinity;
  for (let i = 0; i < count; i++) {
    if (!eligible(i)) continue;
    const p = projectToWindow(view, xyz[3 * i]!, xyz[3 * i + 1]!, xyz[3 * i + 2]!, P);
    if (!p) continue;
    const dx = p[0]! - windowX, dy = p[1]! - windowY;
    const d2 = dx * dx + dy * dy;
    const r = radiusPx(i);
    if (d2 > r * r) continue;
    if (d2 < bestD2 - 1e-9 || (Math.abs(d2 - bestD2) <= 1e-9 && p[2]! < bestDepth)) {
      best = i;
      bestD2 = d2;
      bestDepth = p[2]!;
    }
  }
  return best;
}

/**
 * Marks anchors whose projection lies inside the viewport grown by `marginPx` (1) or not (0, also
 * behind the eye), into `out`. Used to test occlusion only for what can be seen.
 */
export function inViewMask(view: PinholeView, xyz: ArrayLike<number>, count: number, marginPx: number, out: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < count; i++) {
    const p = projectToWindow(view, xyz[3 * i]!, xyz[3 * i + 1]!, xyz[3 * i + 2]!, P);
    const inside = p !== null && p[0]! >= -marginPx && p[0]! <= view.widthPx + marginPx && p[1]! >= -marginPx && p[1]! <= view.heightPx + marginPx;
    out[i] = inside ? 1 : 0;
    if (inside) n++;
  }
  return n;
}
