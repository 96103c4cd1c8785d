/**
 * Occlusion of overlay glyphs by the city's buildings, pure (no DOM, no three.js).
 *
 * The overlay draws on its own canvas above Cesium's, so the GPU cannot depth-test a glyph against
 * Cesium's buildings (docs/overlay.md). Instead every glyph anchor is tested on the CPU: the segment
 * from the eye to the anchor, in the city's local frame (sim-core/cim/frame.ts: transverse Mercator
 * x, y and metres above ground), against the building prisms with sim-core's {@link PrismIndex}
 * (`segmentBlocked`, exact, no allocation per test). A blocked anchor is hidden (drawn faded or not at
 * all, by the glyph layer's `hiddenStyle`).
 *
 * A device mounted inside a building's prism (a camera on a façade whose point falls just inside the
 * footprint) would be blocked by its own building from every eye; as in the camera model
 * (sim-core/coverage/camera.ts) that building is skipped for that anchor.
 *
 * Anchors out of view (`inView[i] === 0`) are not tested and never reported hidden: the tests cost
 * O(glyphs in view × log buildings) per camera move. From an eye above the city's highest roof only the
 * part of each segment below that roof is walked (nothing above it can block: the same answer, and
 * 5–10 times faster from the workbench's whole-city view; bench/overlay.bench.ts).
 */
import type { LocalFrame } from '../../sim-core/cim/frame.ts';
import type { PrismIndex } from '../../sim-core/spatial/prism-index.ts';
import { ecefToGeodetic, type EnuFrame } from './frame.ts';

/** Visibility of one anchor: 0 drawn plainly, 1 hidden behind a building, 2 not tested (out of view). */
export const VISIBLE = 0;
export const HIDDEN = 1;
export const UNTESTED = 2;

export class GlyphOcclusion {
  private readonly index: PrismIndex;
  /** The highest roof of the city: nothing above it can block. */
  readonly maxRoofM: number;
  private xyz = new Float64Array(0);
  private skip = new Int32Array(0);
  private count = 0;

  constructor(index: PrismIndex) {
    this.index = index;
    let max = -Infinity;
    for (let b = 0; b < index.count; b++) if (index.roofM[b]! > max) max = index.roofM[b]!;
    this.maxRoofM = max;
  }

  /** Number of anchors set. */
  get anchorCount(): number {
    return this.count;
  }

  /** The building whose prism holds a local-frame point (the one a device there is mounted in), or −1. */
  mountedIn(x: number, y: number, z: number): number {
    return this.index.buildingAt(x, y, z);
  }

  /**
   * Sets the anchors: interleaved x, y, z in the city's local frame (metres). The building each
   * anchor is mounted in (if any) is found here, unless `mounted` gives it (from {@link mountedIn}).
   */
  setAnchors(xyzLocal: ArrayLike<number>, count: number, mounted: ArrayLike<number> | null = null): void {
    if (xyzLocal.length < 3 * count) throw new RangeError(`GlyphOcclusion.setAnchors: ${count} anchors need ${3 * count} coordinates, got ${xyzLocal.length}`);
    if (this.xyz.length < 3 * count) {
      this.xyz = new Float64Array(3 * count);
      this.skip = new Int32Array(count);
    }
    for (let i = 0; i < 3 * count; i++) this.xyz[i] = xyzLocal[i];
    for (let i = 0; i < count; i++) this.skip[i] = mounted ? mounted[i]! : this.mountedIn(this.xyz[3 * i]!, this.xyz[3 * i + 1]!, this.xyz[3 * i + 2]!);
    this.count = count;
  }

  /** Moves anchor `i` (local frame) mounted in building `mounted` (or −1), leaving the others as they are. */
  setAnchor(i: number, x: number, y: number, z: number, mounted: number): void {
    if (i < 0 || i >= this.count) throw new RangeError(`GlyphOcclusion.setAnchor: anchor ${i} of ${this.count}`);
    this.xyz[3 * i] = x;
    this.xyz[3 * i + 1] = y;
    this.xyz[3 * i + 2] = z;
    this.skip[i] = mounted;
  }

  /**
   * Tests every anchor (or those with `inView[i] !== 0`) from the eye (local frame) and writes
   * VISIBLE / HIDDEN / UNTESTED into `out`. Returns the number hidden. No allocation.
   */
  test(eyeX: number, eyeY: number, eyeZ: number, out: Uint8Array, inView: Uint8Array | null = null): number {
    return this.testRange(eyeX, eyeY, eyeZ, out, inView, 0, this.count);
  }

  /**
   * {@link test} for anchors `from` ≤ i < `to` only, so that a pass can be cut into slices that
   * keep the main thread responsive. Returns the number hidden among them. No allocation.
   */
  testRange(eyeX: number, eyeY: number, eyeZ: number, out: Uint8Array, inView: Uint8Array | null, from: number, to: number): number {
    if (out.length < this.count) throw new RangeError(`GlyphOcclusion.test: out holds ${out.length}, need ${this.count}`);
    const xyz = this.xyz;
    const end = Math.min(to, this.count);
    let hidden = 0;
    for (let i = Math.max(0, from); i < end; i++) {
      if (inView && inView[i] === 0) {
        out[i] = UNTESTED;
        continue;
      }
      const ax = xyz[3 * i]!, ay = xyz[3 * i + 1]!, az = xyz[3 * i + 2]!;
      let sx = eyeX, sy = eyeY, sz = eyeZ;
      let blocked: boolean;
      if (az >= this.maxRoofM && eyeZ >= this.maxRoofM) blocked = false;
      else {
        if (eyeZ > this.maxRoofM) {
          // the part of the segment above the highest roof cannot be blocked: start where it comes down to it
          const t = (eyeZ - this.maxRoofM) / (eyeZ - az);
          sx = eyeX + (ax - eyeX) * t;
          sy = eyeY + (ay - eyeY) * t;
          sz = this.maxRoofM;
        }
        blocked = this.index.segmentBlocked(sx, sy, sz, ax, ay, az, this.skip[i]);
      }
      out[i] = blocked ? HIDDEN : VISIBLE;
      if (blocked) hidden++;
    }
    return hidden;
  }
}

const LL = new Float64Array(3);
const XY = new Float64Array(2);

/**
 * The eye, given in the overlay's ENU frame, in the city's local frame (x, y of the transverse
 * Mercator plane, z metres above the city's ground), written to `out`.
 */
export function enuEyeToLocal(enu: EnuFrame, local: LocalFrame, e: number, n: number, u: number, out: Float64Array = new Float64Array(3)): Float64Array {
  const p = enu.enuToEcef(e, n, u, LL);
  ecefToGeodetic(p[0], p[1], p[2], LL);
  local.toLocal(LL[0], LL[1], XY);
  out[0] = XY[0];
  out[1] = XY[1];
  out[2] = LL[2] - enu.origin.heightM;
  return out;
}
