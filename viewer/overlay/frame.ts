/**
 * Frame maths of the three.js overlay, pure (no DOM, no Cesium, no three.js): the east-north-up (ENU)
 * frame at the city origin in which the overlay's scene lives (three.js units are metres, x east,
 * y north, z up), WGS84 ECEF ↔ ENU ↔ geodetic conversions in Float64, the overlay camera's world
 * matrix from Cesium's camera vectors, pixel sizes at a distance, and window projection.
 *
 * Why ENU and Float64: Cesium's camera lives in ECEF, where coordinates are ~6.4e6 m; a Float32
 * matrix there has a resolution of ~0.5 m and glyphs would jitter. The overlay subtracts the origin
 * and rotates into ENU in Float64 on the CPU, so everything the GPU sees is within a few kilometres of
 * zero (millimetre resolution in Float32). three.js keeps its matrices in Float64 (plain arrays) and
 * uploads the model-view product, so the eye's offset never goes through Float32 at ECEF magnitude.
 *
 * Heights: the city's ground is the ellipsoid at the origin's ellipsoidal height (`origin.heightM`,
 * the tiles builder's convention, tiles/ecef.ts); a device `heightM` above ground is at ellipsoidal
 * height `origin.heightM + heightM`.
 */
import type { CityOrigin } from '../../sim-core/cim/frame.ts';
import { geodeticToEcef, WGS84_A_M, WGS84_E2 } from '../../sim-core/geom/ecef.ts';

const DEG = Math.PI / 180;
type Vec = Float64Array | number[];

/**
 * ECEF (metres) → WGS84 lon/lat degrees and ellipsoidal height (metres), written to `out` at
 * `offset`. Fixed-point iteration on the latitude (converges to < 1e-12 rad in a few steps for points
 * near the surface; exact enough for anything from the ground to orbit).
 */
export function ecefToGeodetic(x: number, y: number, z: number, out: Vec = new Float64Array(3), offset = 0): Vec {
  const p = Math.hypot(x, y);
  const lon = Math.atan2(y, x);
  if (p < 1e-9) {
    // on the polar axis
    const b = WGS84_A_M * Math.sqrt(1 - WGS84_E2);
    out[offset] = 0;
    out[offset + 1] = z >= 0 ? 90 : -90;
    out[offset + 2] = Math.abs(z) - b;
    return out;
  }
  let lat = Math.atan2(z, p * (1 - WGS84_E2));
  let h = 0;
  for (let i = 0; i < 10; i++) {
    const s = Math.sin(lat);
    const n = WGS84_A_M / Math.sqrt(1 - WGS84_E2 * s * s);
    h = p / Math.cos(lat) - n;
    const next = Math.atan2(z, p * (1 - (WGS84_E2 * n) / (n + h)));
    if (Math.abs(next - lat) < 1e-14) {
      lat = next;
      break;
    }
    lat = next;
  }
  const s = Math.sin(lat);
  const n = WGS84_A_M / Math.sqrt(1 - WGS84_E2 * s * s);
  // height from the better-conditioned formula for high latitudes too
  h = Math.abs(lat) < Math.PI / 4 ? p / Math.cos(lat) - n : z / s - n * (1 - WGS84_E2);
  out[offset] = lon / DEG;
  out[offset + 1] = lat / DEG;
  out[offset + 2] = h;
  return out;
}

/**
 * The ENU frame at the city origin (at the origin's ellipsoidal height): x east, y north, z up,
 * metres. Equal to Cesium's `Transforms.eastNorthUpToFixedFrame` at the same point.
 */
export class EnuFrame {
  readonly origin: CityOrigin;
  /** ECEF of the frame's origin. */
  readonly originEcef = new Float64Array(3);
  /** Rows east, north, up of the ECEF → ENU rotation (row-major 3×3). */
  readonly rotation = new Float64Array(9);
  private readonly scratch = new Float64Array(3);

  constructor(origin: CityOrigin) {
    const { lonDeg, latDeg } = origin;
    if (!Number.isFinite(lonDeg) || !Number.isFinite(latDeg) || Math.abs(latDeg) > 90) throw new RangeError(`EnuFrame: origin ${lonDeg}, ${latDeg} is not a lon/lat`);
    this.origin = { lonDeg, latDeg, heightM: Number.isFinite(origin.heightM) ? origin.heightM : 0 };
    geodeticToEcef(lonDeg, latDeg, this.origin.heightM, this.originEcef);
    const lon = lonDeg * DEG, lat = latDeg * DEG;
    const sl = Math.sin(lon), cl = Math.cos(lon), sp = Math.sin(lat), cp = Math.cos(lat);
    this.rotation.set([-sl, cl, 0, -sp * cl, -sp * sl, cp, cp * cl, cp * sl, sp]);
  }

  /** ECEF point → ENU, into `out` at `offset`. */
  ecefToEnu(x: number, y: number, z: number, out: Vec = new Float64Array(3), offset = 0): Vec {
    const o = this.originEcef;
    return this.rotateToEnu(x - o[0], y - o[1], z - o[2], out, offset);
  }

  /** ECEF direction → ENU direction (rotation only). */
  rotateToEnu(x: number, y: number, z: number, out: Vec = new Float64Array(3), offset = 0): Vec {
    const r = this.rotation;
    out[offset] = r[0] * x + r[1] * y + r[2] * z;
    out[offset + 1] = r[3] * x + r[4] * y + r[5] * z;
    out[offset + 2] = r[6] * x + r[7] * y + r[8] * z;
    return out;
  }

  /** ENU direction → ECEF direction (the transpose). */
  rotateToEcef(e: number, n: number, u: number, out: Vec = new Float64Array(3), offset = 0): Vec {
    const r = this.rotation;
    out[offset] = r[0] * e + r[3] * n + r[6] * u;
    out[offset + 1] = r[1] * e + r[4] * n + r[7] * u;
    out[offset + 2] = r[2] * e + r[5] * n + r[8] * u;
    return out;
  }

  /** ENU point → ECEF, into `out` at `offset`. */
  enuToEcef(e: number, n: number, u: number, out: Vec = new Float64Array(3), offset = 0): Vec {
    this.rotateToEcef(e, n, u, out, offset);
    out[offset] += this.originEcef[0];
    out[offset + 1] += this.originEcef[1];
    out[offset + 2] += this.originEcef[2];
    return out;
  }

  /** WGS84 lon/lat degrees and ellipsoidal height → ENU. */
  geodeticToEnu(lonDeg: number, latDeg: number, ellipsoidalHeightM: number, out: Vec = new Float64Array(3), offset = 0): Vec {
    const p = geodeticToEcef(lonDeg, latDeg, ellipsoidalHeightM, this.scratch);
    return this.ecefToEnu(p[0], p[1], p[2], out, offset);
  }

  /** A city point (lon/lat degrees, metres above the city's ground) → ENU. */
  cityToEnu(lonDeg: number, latDeg: number, aboveGroundM: number, out: Vec = new Float64Array(3), offset = 0): Vec {
    return this.geodeticToEnu(lonDeg, latDeg, this.origin.heightM + aboveGroundM, out, offset);
  }

  /** ENU → lon/lat degrees and metres above the city's ground. */
  enuToCity(e: number, n: number, u: number, out: Vec = new Float64Array(3), offset = 0): Vec {
    const p = this.enuToEcef(e, n, u, this.scratch);
    ecefToGeodetic(p[0], p[1], p[2], out, offset);
    out[offset + 2] -= this.origin.heightM;
    return out;
  }

  /** The unit up vector (ellipsoid normal) at a lon/lat, in ENU axes of this frame. */
  upAt(lonDeg: number, latDeg: number, out: Vec = new Float64Array(3), offset = 0): Vec {
    const lon = lonDeg * DEG, lat = latDeg * DEG;
    return this.rotateToEnu(Math.cos(lat) * Math.cos(lon), Math.cos(lat) * Math.sin(lon), Math.sin(lat), out, offset);
  }
}

/**
 * The overlay camera's world matrix (column-major 4×4, three.js `Matrix4.elements` order) from an eye
 * position, a view direction and an up vector, all in the overlay's frame. A three.js camera looks
 * down its local −z with +y up, so the columns are right, up, −direction, eye. `up` is
 * re-orthogonalised against `dir`.
 */
export function cameraWorldMatrix(eye: ArrayLike<number>, dir: ArrayLike<number>, up: ArrayLike<number>, out: number[] = new Array<number>(16)): number[] {
  let dx = dir[0], dy = dir[1], dz = dir[2];
  const dl = Math.hypot(dx, dy, dz);
  dx /= dl;
  dy /= dl;
  dz /= dl;
  // right = dir × up
  let rx = dy * up[2] - dz * up[1];
  let ry = dz * up[0] - dx * up[2];
  let rz = dx * up[1] - dy * up[0];
  const rl = Math.hypot(rx, ry, rz);
  if (!(rl > 1e-12)) throw new RangeError('cameraWorldMatrix: up is parallel to the view direction');
  rx /= rl;
  ry /= rl;
  rz /= rl;
  // true up = right × dir
  const ux = ry * dz - rz * dy;
  const uy = rz * dx - rx * dz;
  const uz = rx * dy - ry * dx;
  out[0] = rx; out[1] = ry; out[2] = rz; out[3] = 0;
  out[4] = ux; out[5] = uy; out[6] = uz; out[7] = 0;
  out[8] = -dx; out[9] = -dy; out[10] = -dz; out[11] = 0;
  out[12] = eye[0]; out[13] = eye[1]; out[14] = eye[2]; out[15] = 1;
  return out;
}

/** Metres covered by one pixel at distance `distanceM` along the view axis: 2 d tan(fovy/2) / viewport height. */
export function metresPerPixel(distanceM: number, fovyRad: number, viewportHeightPx: number): number {
  return (2 * distanceM * Math.tan(fovyRad / 2)) / viewportHeightPx;
}

/**
 * Size in metres of a glyph drawn `sizePx` pixels tall at `distanceM`, clamped to [minM, maxM]: a
 * glyph keeps its size on screen until it would be larger than `maxM` metres in the world (close to
 * the camera) or smaller than `minM` (far away).
 */
export function glyphSizeM(sizePx: number, distanceM: number, fovyRad: number, viewportHeightPx: number, minM: number, maxM: number): number {
  const m = sizePx * metresPerPixel(distanceM, fovyRad, viewportHeightPx);
  return m < minM ? minM : m > maxM ? maxM : m;
}

/** A pinhole view for window projection: world matrix inverse (column-major 4×4) and the vertical fov. */
export interface PinholeView {
  /** The camera's world matrix (as {@link cameraWorldMatrix} gives it). */
  world: ArrayLike<number>;
  fovyRad: number;
  /** Width / height. */
  aspect: number;
  widthPx: number;
  heightPx: number;
}

/**
 * Projects a point of the overlay's frame to window pixels (origin top-left, CSS pixels); `out[2]`
 * is the depth along the view axis (metres, > 0 in front). Returns null behind the eye.
 */
export function projectToWindow(view: PinholeView, x: number, y: number, z: number, out: Vec = new Float64Array(3)): Vec | null {
  const w = view.world;
  const px = x - w[12], py = y - w[13], pz = z - w[14];
  // camera-space coordinates: dot with right, up, back
  const cx = px * w[0] + py * w[1] + pz * w[2];
  const cy = px * w[4] + py * w[5] + pz * w[6];
  const depth = -(px * w[8] + py * w[9] + pz * w[10]);
  if (!(depth > 0)) return null;
  const t = Math.tan(view.fovyRad / 2);
  const ndcX = cx / (depth * t * view.aspect);
  const ndcY = cy / (depth * t);
  out[0] = ((ndcX + 1) / 2) * view.widthPx;
  out[1] = ((1 - ndcY) / 2) * view.heightPx;
  out[2] = depth;
  return out;
}
