/**
 * Sector antenna pattern in the form of 3GPP TR 38.901 Table 7.3-1 (the same form as TR 36.814
 * Table A.2.1.1-2), with its parameters per antenna:
 *
 *   A_V(θ'') = −min{ 12 ((θ'' − 90° − θetilt) / θ3dB)², SLA_V }      vertical cut (zenith angle θ'')
 *   A_H(φ'') = −min{ 12 (φ'' / φ3dB)², A_max }                         horizontal cut
 *   A(θ'', φ'') = −min{ −(A_V + A_H), A_max }                          3D pattern, dB relative to boresight
 *   G(θ'', φ'') = G_max + A(θ'', φ'')                                   dBi
 *
 * θ'', φ'' are the zenith and azimuth angles in the antenna's local coordinate system after the
 * mechanical orientation (bearing α, mechanical downtilt β, slant γ = 0) of TR 38.901 clause 7.1.3
 * (eq. 7.1-7 / 7.1-8). The rotation is done here with the antenna's forward/right/up unit vectors, which
 * is the same rotation. The electrical downtilt shifts the vertical cut by θetilt in every azimuth (it
 * steers the array, it does not rotate the panel).
 *
 * Defaults ({@link DEFAULT_SECTOR_ANTENNA}): horizontal φ3dB = 65° and front-to-back A_max = 30 dB from
 * TR 38.901 Table 7.3-1; the 38.901 *element* has θ3dB = 65°, but a macro sector *panel* is a vertical
 * column of elements, so the vertical beamwidth θ3dB = 10°, side-lobe SLA_V = 20 dB and the gain
 * G_max = 14 dBi are those of the 3-sector macro antenna of TR 36.814 Table A.2.1.1-2. Each cell may
 * override any of them (city device attrs `hBeamwidthDeg`, `vBeamwidthDeg`, `frontToBackDb`,
 * `sideLobeDb`, `antennaGainDbi`). {@link TR38901_ELEMENT} is the 38.901 element for checks.
 */

export interface SectorAntennaPattern {
  /** Horizontal 3 dB beamwidth φ3dB, degrees. */
  hBeamwidthDeg: number;
  /** Vertical 3 dB beamwidth θ3dB, degrees. */
  vBeamwidthDeg: number;
  /** Front-to-back ratio A_max (also the floor of the 3D pattern), dB. */
  frontToBackDb: number;
  /** Vertical side-lobe attenuation SLA_V, dB. */
  sideLobeDb: number;
  /** Maximum directional gain G_max, dBi. */
  gainDbi: number;
}

/** TR 38.901 Table 7.3-1 antenna element. */
export const TR38901_ELEMENT: Readonly<SectorAntennaPattern> = Object.freeze({
  hBeamwidthDeg: 65,
  vBeamwidthDeg: 65,
  frontToBackDb: 30,
  sideLobeDb: 30,
  gainDbi: 8,
});

/** Default macro sector panel (see module doc for the sources of each number). */
export const DEFAULT_SECTOR_ANTENNA: Readonly<SectorAntennaPattern> = Object.freeze({
  hBeamwidthDeg: 65,
  vBeamwidthDeg: 10,
  frontToBackDb: 30,
  sideLobeDb: 20,
  gainDbi: 14,
});

export function checkAntennaPattern(p: SectorAntennaPattern, where = 'antenna'): void {
  const pos = (k: keyof SectorAntennaPattern, max: number) => {
    const v = p[k];
    if (!Number.isFinite(v) || v <= 0 || v > max) throw new RangeError(`${where}: ${k} must be in (0, ${max}], got ${v}`);
  };
  pos('hBeamwidthDeg', 360);
  pos('vBeamwidthDeg', 180);
  pos('frontToBackDb', 100);
  pos('sideLobeDb', 100);
  if (!Number.isFinite(p.gainDbi) || p.gainDbi < -20 || p.gainDbi > 40) throw new RangeError(`${where}: gainDbi must be in [-20, 40] dBi, got ${p.gainDbi}`);
}

/** Horizontal cut A_H(φ'') in dB (≤ 0); `phiDeg` off boresight, any sign, wrapped to [−180°, 180°]. */
export function horizontalPatternDb(p: SectorAntennaPattern, phiDeg: number): number {
  let phi = ((((phiDeg + 180) % 360) + 360) % 360) - 180;
  if (phi < 0) phi = -phi;
  const a = 12 * (phi / p.hBeamwidthDeg) ** 2;
  return -(a < p.frontToBackDb ? a : p.frontToBackDb);
}

/**
 * Vertical cut A_V in dB (≤ 0) for a zenith angle `thetaDeg` (90° = horizon, > 90° below it) and an
 * electrical downtilt `eTiltDeg`.
 */
export function verticalPatternDb(p: SectorAntennaPattern, thetaDeg: number, eTiltDeg = 0): number {
  const a = 12 * ((thetaDeg - 90 - eTiltDeg) / p.vBeamwidthDeg) ** 2;
  return -(a < p.sideLobeDb ? a : p.sideLobeDb);
}

/** 3D pattern A(θ'', φ'') = −min{−(A_V + A_H), A_max} in dB relative to boresight. */
export function patternDb(p: SectorAntennaPattern, thetaDeg: number, phiDeg: number, eTiltDeg = 0): number {
  const s = -(verticalPatternDb(p, thetaDeg, eTiltDeg) + horizontalPatternDb(p, phiDeg));
  return -(s < p.frontToBackDb ? s : p.frontToBackDb);
}

const DEG = Math.PI / 180;
const RAD_TO_DEG = 180 / Math.PI;

/**
 * A mounted sector antenna: position-free orientation (bearing clockwise from north, mechanical
 * downtilt, electrical downtilt) plus its pattern. `gainTowardDbi(dx, dy, dz)` gives the gain in dBi
 * toward a direction in the local east-north-up frame without allocating.
 */
export class MountedAntenna {
  readonly pattern: SectorAntennaPattern;
  readonly azimuthDeg: number;
  readonly mechanicalTiltDeg: number;
  readonly electricalTiltDeg: number;
  /** Omnidirectional in azimuth: the horizontal cut is 0 dB everywhere (small cells). */
  readonly omni: boolean;
  // forward (boresight), right, up unit vectors of the panel in ENU
  private readonly fx: number;
  private readonly fy: number;
  private readonly fz: number;
  private readonly rx: number;
  private readonly ry: number;
  private readonly ux: number;
  private readonly uy: number;
  private readonly uz: number;
  private readonly invHBeamwidth: number;
  /** Upper bound of the gain toward any direction behind the panel's plane (|φ''| ≥ 90°), dBi. */
  private readonly backBoundDbi: number;
  private readonly invVBeamwidth: number;

  constructor(pattern: SectorAntennaPattern, azimuthDeg: number, mechanicalTiltDeg = 0, electricalTiltDeg = 0, omni = false) {
    checkAntennaPattern(pattern);
    for (const [k, v] of [['azimuthDeg', azimuthDeg], ['mechanicalTiltDeg', mechanicalTiltDeg], ['electricalTiltDeg', electricalTiltDeg]] as const) {
      if (!Number.isFinite(v)) throw new RangeError(`antenna ${k} must be finite, got ${v}`);
    }
    if (Math.abs(mechanicalTiltDeg) > 90 || Math.abs(electricalTiltDeg) > 90) throw new RangeError('antenna tilts must be within ±90°');
    this.pattern = pattern;
    this.azimuthDeg = azimuthDeg;
    this.mechanicalTiltDeg = mechanicalTiltDeg;
    this.electricalTiltDeg = electricalTiltDeg;
    this.omni = omni;
    this.invHBeamwidth = 1 / pattern.hBeamwidthDeg;
    this.invVBeamwidth = 1 / pattern.vBeamwidthDeg;
    const back = 12 * (90 / pattern.hBeamwidthDeg) ** 2;
    this.backBoundDbi = omni ? pattern.gainDbi : pattern.gainDbi - (back < pattern.frontToBackDb ? back : pattern.frontToBackDb);
    const a = azimuthDeg * DEG;
    const b = mechanicalTiltDeg * DEG;
    const sa = Math.sin(a);
    const ca = Math.cos(a);
    const sb = Math.sin(b);
    const cb = Math.cos(b);
    this.fx = sa * cb;
    this.fy = ca * cb;
    this.fz = -sb;
    this.rx = ca;
    this.ry = -sa;
    this.ux = sa * sb;
    this.uy = ca * sb;
    this.uz = cb;
  }

  /** The panel's forward (3), right (2: no up component) and up (3) unit vectors in ENU. */
  frame(): [number, number, number, number, number, number, number, number] {
    return [this.fx, this.fy, this.fz, this.rx, this.ry, this.ux, this.uy, this.uz];
  }

  /**
   * A cheap upper bound of {@link gainTowardDbi} (one dot product, no trigonometry): G_max in front of
   * the panel's plane, and behind it G_max − min(12 (90°/φ3dB)², A_max), because there |φ''| ≥ 90° and
   * the 3D pattern never exceeds its horizontal cut (A = −min{−(A_V + A_H), A_max} ≤ A_H as A_V ≤ 0).
   */
  gainBoundDbi(dx: number, dy: number, dz: number): number {
    return dx * this.fx + dy * this.fy + dz * this.fz > 0 ? this.pattern.gainDbi : this.backBoundDbi;
  }

  /** Gain in dBi toward the direction (dx, dy, dz) metres (east, north, up) from the antenna. */
  gainTowardDbi(dx: number, dy: number, dz: number): number {
    // components in the panel frame (forward, right, up); no normalisation needed for angles
    const xf = dx * this.fx + dy * this.fy + dz * this.fz;
    const yr = dx * this.rx + dy * this.ry;
    const zu = dx * this.ux + dy * this.uy + dz * this.uz;
    const p = this.pattern;
    // θ'' − 90° − θetilt = −(elevation + θetilt), elevation = atan2(up, horizontal) in the panel frame
    const tv = (Math.atan2(zu, Math.sqrt(xf * xf + yr * yr)) * RAD_TO_DEG + this.electricalTiltDeg) * this.invVBeamwidth;
    let av = 12 * tv * tv;
    if (av > p.sideLobeDb) av = p.sideLobeDb;
    let ah = 0;
    if (!this.omni) {
      const th = Math.atan2(yr, xf) * RAD_TO_DEG * this.invHBeamwidth;
      ah = 12 * th * th;
      if (ah > p.frontToBackDb) ah = p.frontToBackDb;
    }
    const s = av + ah;
    return p.gainDbi - (s < p.frontToBackDb ? s : p.frontToBackDb);
  }
}
