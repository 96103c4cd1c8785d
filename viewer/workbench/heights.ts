/**
 * Where the workbench draws things above the city's ground. The ground of a city is the ellipsoid at
 * the origin's ellipsoidal height (`origin.heightM`, the tiles builder's convention, tiles/ecef.ts), so
 * a device `heightM` above the ground is at ellipsoidal height `origin.heightM + heightM` — as the
 * three.js overlay places its glyphs (viewer/overlay/frame.ts `EnuFrame.cityToEnu`). Pure (no Cesium),
 * so the agreement is tested in Node.
 */
import type { CityOrigin } from '../../sim-core/cim/frame.ts';
import { geodeticToEcef } from '../../sim-core/geom/ecef.ts';

/** Ellipsoidal height, metres, of a point `aboveGroundM` over the city's ground. */
export function ellipsoidalHeightM(origin: CityOrigin, aboveGroundM: number): number {
  return origin.heightM + aboveGroundM;
}

/** ECEF metres (x, y, z into `out`) of a point at lon/lat degrees `aboveGroundM` over the city's ground. */
export function cityPointEcef(origin: CityOrigin, lonDeg: number, latDeg: number, aboveGroundM: number, out: Float64Array | number[] = new Float64Array(3)): Float64Array | number[] {
  return geodeticToEcef(lonDeg, latDeg, ellipsoidalHeightM(origin, aboveGroundM), out);
}
