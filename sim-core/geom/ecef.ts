/**
 * WGS84 geodesy shared by the tiles builder and the viewer: geodetic → earth-centred earth-fixed
 * (ECEF) coordinates and the east-north-up (ENU) → ECEF matrix. Textbook formulas (e.g.
 * Hofmann-Wellenhof et al., GNSS, §10.2), the WGS84 constants of NIMA TR8350.2; the same ellipsoid as
 * Cesium's `Ellipsoid.WGS84`.
 */

/** Semi-major axis, metres. */
export const WGS84_A_M = 6378137;
/** Flattening. */
export const WGS84_F = 1 / 298.257223563;
/** First eccentricity squared. */
export const WGS84_E2 = WGS84_F * (2 - WGS84_F);

const DEG = Math.PI / 180;

/** Writes the ECEF position (metres) of a WGS84 lon/lat/ellipsoidal height into `out` at `offset`. */
export function geodeticToEcef(lonDeg: number, latDeg: number, heightM: number, out: Float64Array | number[] = new Float64Array(3), offset = 0) {
  const lon = lonDeg * DEG;
  const lat = latDeg * DEG;
  const sinLat = Math.sin(lat);
  const cosLat = Math.cos(lat);
  const n = WGS84_A_M / Math.sqrt(1 - WGS84_E2 * sinLat * sinLat); // prime vertical radius of curvature
  out[offset] = (n + heightM) * cosLat * Math.cos(lon);
  out[offset + 1] = (n + heightM) * cosLat * Math.sin(lon);
  out[offset + 2] = (n * (1 - WGS84_E2) + heightM) * sinLat;
  return out;
}

/**
 * The 4×4 matrix (column-major, as 3D Tiles `transform` and glTF want it) taking ENU coordinates at
 * (lonDeg, latDeg, heightM) to ECEF: columns east, north, up, origin. Equal to Cesium's
 * `Transforms.eastNorthUpToFixedFrame`.
 */
export function enuToEcefMatrix(lonDeg: number, latDeg: number, heightM: number): number[] {
  const lon = lonDeg * DEG;
  const lat = latDeg * DEG;
  const sl = Math.sin(lon), cl = Math.cos(lon), sp = Math.sin(lat), cp = Math.cos(lat);
  const o = geodeticToEcef(lonDeg, latDeg, heightM, [0, 0, 0]) as number[];
  return [-sl, cl, 0, 0, -sp * cl, -sp * sl, cp, 0, cp * cl, cp * sl, sp, 0, o[0], o[1], o[2], 1];
}

