/**
 * The SS-RSRP raster as an image: a sequential colour ramp in dBm (viridis stops, dark = weak,
 * yellow = strong), coverage holes (no service, or best-server RSRP below the threshold) marked in one
 * opaque red, samples outside the scope or inside buildings transparent. Pure: writes RGBA bytes that a
 * canvas (and Cesium's SingleTileImageryProvider) takes as they are; row 0 of the image is the north
 * edge of the grid.
 */
import type { GridSpec } from '../../sim-core/coverage/cellular/grid.ts';

export type Rgb = readonly [number, number, number];

/** Ramp stops (dBm ascending → colour): viridis at 0, .25, .5, .75, 1 over −125 … −65 dBm. */
export const RSRP_RAMP: readonly { dbm: number; rgb: Rgb }[] = [
  { dbm: -125, rgb: [68, 1, 84] },
  { dbm: -110, rgb: [59, 82, 139] },
  { dbm: -95, rgb: [33, 145, 140] },
  { dbm: -80, rgb: [94, 201, 98] },
  { dbm: -65, rgb: [253, 231, 37] },
];

/** Colour of a coverage hole. */
export const HOLE_RGB: Rgb = [215, 25, 28];
/** Opacity of ramp pixels and of hole pixels (0–255). */
export const RAMP_ALPHA = 150;
export const HOLE_ALPHA = 230;

/** The ramp colour of `dbm` (clamped to the ramp's ends), linear between stops. */
export function rampColor(dbm: number): Rgb {
  const r = RSRP_RAMP;
  if (!(dbm > r[0]!.dbm)) return r[0]!.rgb;
  if (dbm >= r[r.length - 1]!.dbm) return r[r.length - 1]!.rgb;
  let k = 0;
  while (dbm >= r[k + 1]!.dbm) k++;
  const a = r[k]!, b = r[k + 1]!;
  const t = (dbm - a.dbm) / (b.dbm - a.dbm);
  return [Math.round(a.rgb[0] + t * (b.rgb[0] - a.rgb[0])), Math.round(a.rgb[1] + t * (b.rgb[1] - a.rgb[1])), Math.round(a.rgb[2] + t * (b.rgb[2] - a.rgb[2]))];
}

/** What the image needs of a raster (sim-core/session/jobs.ts `Nr5gRaster`). */
export interface RasterLike {
  grid: GridSpec;
  active: Uint8Array;
  rsrpDbm: Float64Array;
}

/** Counts of a raster against a threshold. */
export interface RasterStats {
  /** Samples evaluated (outdoors, inside the scope). */
  active: number;
  /** Active samples with no service or below the threshold. */
  holes: number;
  /** Active samples with no serving cell at all. */
  noService: number;
  /** Weakest and strongest served RSRP, dBm (null without any served sample). */
  minDbm: number | null;
  maxDbm: number | null;
}

/** True when an active sample is a hole: no service (NaN) or RSRP below the threshold. */
export const isHole = (dbm: number, thresholdDbm: number): boolean => !(dbm >= thresholdDbm);

/** The raster's counts (see {@link RasterStats}). */
export function rasterStats(r: RasterLike, thresholdDbm: number): RasterStats {
  let active = 0, holes = 0, noService = 0;
  let min = Infinity, max = -Infinity;
  const n = r.grid.nx * r.grid.ny;
  for (let i = 0; i < n; i++) {
    if (!r.active[i]) continue;
    active++;
    const v = r.rsrpDbm[i]!;
    if (Number.isNaN(v)) noService++;
    else {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    if (isHole(v, thresholdDbm)) holes++;
  }
  return { active, holes, noService, minDbm: Number.isFinite(min) ? min : null, maxDbm: Number.isFinite(max) ? max : null };
}

/**
 * The raster as RGBA bytes, `nx` × `ny`, row 0 at the north (image order): ramp colours, holes in
 * {@link HOLE_RGB}, inactive samples transparent.
 */
export function rasterToRgba(r: RasterLike, thresholdDbm: number, out: Uint8ClampedArray = new Uint8ClampedArray(4 * r.grid.nx * r.grid.ny)): Uint8ClampedArray {
  const { nx, ny } = r.grid;
  if (out.length !== 4 * nx * ny) throw new RangeError(`rasterToRgba: the output holds ${out.length} bytes, the ${nx} × ${ny} raster needs ${4 * nx * ny}`);
  for (let row = 0; row < ny; row++) {
    const imgRow = ny - 1 - row;
    for (let col = 0; col < nx; col++) {
      const i = row * nx + col;
      const o = 4 * (imgRow * nx + col);
      if (!r.active[i]) {
        out[o] = out[o + 1] = out[o + 2] = out[o + 3] = 0;
        continue;
      }
      const v = r.rsrpDbm[i]!;
      const [cr, cg, cb] = isHole(v, thresholdDbm) ? HOLE_RGB : rampColor(v);
      out[o] = cr;
      out[o + 1] = cg;
      out[o + 2] = cb;
      out[o + 3] = isHole(v, thresholdDbm) ? HOLE_ALPHA : RAMP_ALPHA;
    }
  }
  return out;
}

/** Legend entries: the threshold first, then the ramp's stops at and above it, each with its CSS colour. */
export function legendStops(thresholdDbm: number): { dbm: number; css: string }[] {
  const css = (c: Rgb) => `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
  const stops = [{ dbm: thresholdDbm, css: css(rampColor(thresholdDbm)) }];
  for (const s of RSRP_RAMP) if (s.dbm > thresholdDbm) stops.push({ dbm: s.dbm, css: css(s.rgb) });
  return stops;
}

/** CSS colour of holes, for the legend. */
export const HOLE_CSS = `rgb(${HOLE_RGB[0]}, ${HOLE_RGB[1]}, ${HOLE_RGB[2]})`;
