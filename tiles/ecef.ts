/**
 * WGS84 geodesy for the tiles: geodetic → earth-centred earth-fixed (ECEF) coordinates, the local
 * east-north-up (ENU) frame at the city origin, and the map from the city's local frame (the
 * transverse Mercator plane of sim-core/cim/frame.ts plus heights above the local ground) into that
 * ENU frame. Textbook formulas (e.g. Hofmann-Wellenhof et al., GNSS, §10.2), the WGS84 constants of
 * NIMA TR8350.2; the same ellipsoid as Cesium's `Ellipsoid.WGS84`.
 *
 * Why the detour through longitude and latitude: the city's plane is a map projection, the ENU frame
 * a tangent plane. Five kilometres from the origin the ellipsoid lies 2 m below the tangent plane, so
 * buildings placed with their plane coordinates straight into ENU would float 2 m above the ground
 * at the edge of a district. Here every footprint vertex goes plane → lon/lat → ECEF → ENU exactly.
 */
import { LocalFrame, type CityOrigin } from '../sim-core/cim/frame.ts';
import { enuToEcefMatrix, geodeticToEcef } from '../sim-core/geom/ecef.ts';

const DEG = Math.PI / 180;

export { WGS84_A_M, WGS84_F, WGS84_E2, geodeticToEcef, enuToEcefMatrix } from '../sim-core/geom/ecef.ts';

/**
 * Maps the city's local frame (x east, y north in the transverse Mercator plane, metres; z metres
 * above the local ground) into the ENU frame at the city origin (whose up axis passes through the
 * origin at the origin's ellipsoidal height). Ground points and the local vertical are computed per
 * plane vertex once; a point `h` metres above the ground is then `ground + h·up` exactly (the
 * ellipsoid normal is the same at every height).
 */
export class LocalToEnu {
  readonly origin: CityOrigin;
  private readonly frame: LocalFrame;
  private readonly o = new Float64Array(3);
  /** Rows of the ECEF → ENU rotation. */
  private readonly r = new Float64Array(9);
  private readonly p = new Float64Array(3);
  private readonly ll = new Float64Array(2);

  constructor(origin: CityOrigin) {
    this.frame = new LocalFrame(origin);
    this.origin = this.frame.origin;
    const { lonDeg, latDeg, heightM } = this.origin;
    geodeticToEcef(lonDeg, latDeg, heightM, this.o);
    const lon = lonDeg * DEG, lat = latDeg * DEG;
    const sl = Math.sin(lon), cl = Math.cos(lon), sp = Math.sin(lat), cp = Math.cos(lat);
    this.r.set([-sl, cl, 0, -sp * cl, -sp * sl, cp, cp * cl, cp * sl, sp]);
  }

  /** Root `transform` of the tileset: ENU at the origin → ECEF. */
  transform(): number[] {
    return enuToEcefMatrix(this.origin.lonDeg, this.origin.latDeg, this.origin.heightM);
  }

  /**
   * The ENU position of the ground under plane point (xM, yM), written to `ground` at `offset`, and
   * the unit up vector (ellipsoid normal) there, in ENU axes, written to `up` at `offset`.
   */
  groundAndUp(xM: number, yM: number, ground: Float64Array, up: Float64Array, offset: number): void {
    const ll = this.frame.toLngLat(xM, yM, this.ll);
    const lonDeg = ll[0], latDeg = ll[1];
    const p = geodeticToEcef(lonDeg, latDeg, this.origin.heightM, this.p);
    const r = this.r;
    const dx = p[0] - this.o[0], dy = p[1] - this.o[1], dz = p[2] - this.o[2];
    ground[offset] = r[0] * dx + r[1] * dy + r[2] * dz;
    ground[offset + 1] = r[3] * dx + r[4] * dy + r[5] * dz;
    ground[offset + 2] = r[6] * dx + r[7] * dy + r[8] * dz;
    const lon = lonDeg * DEG, lat = latDeg * DEG;
    const cp = Math.cos(lat);
    const ux = cp * Math.cos(lon), uy = cp * Math.sin(lon), uz = Math.sin(lat);
    up[offset] = r[0] * ux + r[1] * uy + r[2] * uz;
    up[offset + 1] = r[3] * ux + r[4] * uy + r[5] * uz;
    up[offset + 2] = r[6] * ux + r[7] * uy + r[8] * uz;
  }
}
