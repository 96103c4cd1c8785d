/**
 * The camera model: what a surveillance or e-police camera sees of a point, before occlusion.
 *
 * A camera is a pinhole (rectilinear lens) at (x, y, heightM) in the city's local frame, pointing at
 * `headingDeg` (clockwise from north) and `tiltDeg` (down from the horizon), with a horizontal field of
 * view `hfovDeg` (or a focal length and sensor width) and a sensor of `widthPx × heightPx`.
 *
 * **Frustum.** Exact pinhole: the target, expressed in the camera's frame (forward f, right r, up u),
 * must be in front (z_c > 0) with |x_c| ≤ z_c·tan(hfov/2) and |y_c| ≤ z_c·tan(vfov/2), where
 * tan(vfov/2) = tan(hfov/2)·heightPx/widthPx (square pixels).
 *
 * **Pixel density (IEC 62676-4 DORI).** A rectilinear lens with focal length f_px = W / (2 tan(hfov/2))
 * pixels images an object at slant distance d, held square to the line of sight, at no fewer than
 * f_px / d pixels per metre (exactly that on the optical axis, more towards the edges of the image),
 * so we use the conservative
 *
 *     density(d) = W / (2 · d · tan(hfov/2))   [px/m]
 *     maxRange(level) = W / (2 · tan(hfov/2) · density_level)   [m]
 *
 * with IEC 62676-4's levels detection 25, observation 62, recognition 125, identification 250 px/m.
 * A point is "seen at a level" when it is inside the frustum, within maxRange(level) (3D slant
 * distance), and not occluded (the occlusion test lives in sim-core/spatial).
 *
 * **PTZ.** A PTZ camera has `panRangeDeg` centred on its heading (360 = endless pan). Two treatments:
 * - `potential` (default): the union of the frustums over the pan range — the camera *can* be turned to
 *   see the point. This is potential, not simultaneous coverage: a PTZ looks one way at a time.
 *   Evaluated exactly for the sides and the near edge by pointing the camera as straight at the target
 *   as the pan range allows (pan ψ* = heading + clamp(azimuth offset, ±panRange/2)); the far corners of
 *   other pans (which reach slightly farther on the ground than the image centre) are not credited, so
 *   the union is slightly conservative there.
 * - `preset`: the home position only (heading as given), like a fixed camera.
 * Tilt and zoom are not swept: the given tilt and hfov are the working ones.
 */
import { CimError, recordName } from '../cim/errors.ts';
import type { DeviceTable } from '../cim/types.ts';
import { DEVICE_TYPES } from '../cim/types.ts';

/** IEC 62676-4 (2014) DORI pixel densities at the target, px/m. */
export const DORI_PX_PER_M = { detection: 25, observation: 62, recognition: 125, identification: 250 } as const;
export type DoriLevel = keyof typeof DORI_PX_PER_M;
export const DORI_LEVELS = Object.keys(DORI_PX_PER_M) as DoriLevel[];
/** Chinese names used in ledgers: 探测 / 观察 / 识别 / 辨认 (确认). */
const DORI_ZH: Record<string, DoriLevel> = { 探测: 'detection', 观察: 'observation', 识别: 'recognition', 辨认: 'identification', 确认: 'identification' };

/** Which camera devices the coverage model reads. */
export type CameraKind = 'camera' | 'epolice';
export const CAMERA_KINDS: readonly CameraKind[] = ['camera', 'epolice'];

/** How a PTZ camera's pan range counts; see the module doc. */
export type PtzMode = 'potential' | 'preset';

/** A camera, all fields resolved (defaults applied and listed in `assumed`). */
export interface CameraSpec {
  id: string;
  kind: CameraKind;
  xM: number;
  yM: number;
  /** Lens height above the local ground. */
  heightM: number;
  /** Clockwise from north. */
  headingDeg: number;
  /** Down from the horizon. */
  tiltDeg: number;
  hfovDeg: number;
  widthPx: number;
  heightPx: number;
  ptz: boolean;
  /** Pan range centred on the heading (PTZ only; 360 = endless). */
  panRangeDeg: number;
  /** The level this camera is designed for (attribute `doriLevel`); used when a rule asks for each camera's own level. */
  doriLevel: DoriLevel;
  healthy: boolean;
  networked: boolean;
  /** Attribute names that were absent and took the documented default. */
  assumed: string[];
}

/** Defaults for attributes a device ledger leaves out (project choices; see docs/coverage.md). */
export interface CameraDefaults {
  hfovDeg: number;
  widthPx: number;
  heightPx: number;
  tiltDeg: number;
  headingDeg: number;
  /** Pan range of a PTZ camera when `panRangeDeg` is absent. */
  panRangeDeg: number;
  doriLevel: DoriLevel;
}

/**
 * Documented defaults. Surveillance camera: a 1080p fixed bullet with a 60° lens (between the common
 * 4 mm and 6 mm lenses of a 1/2.8" bullet, about 87° and 54°), tilted 15° down, designed for observation. E-police camera: a 5 MP (2448 × 2048)
 * enforcement camera with a 30° lens, tilted 12° down, designed for recognition (number plates).
 * A missing heading is assumed north and flagged in `assumed`.
 */
export const CAMERA_DEFAULTS: Record<CameraKind, CameraDefaults> = {
  camera: { hfovDeg: 60, widthPx: 1920, heightPx: 1080, tiltDeg: 15, headingDeg: 0, panRangeDeg: 360, doriLevel: 'observation' },
  epolice: { hfovDeg: 30, widthPx: 2448, heightPx: 2048, tiltDeg: 12, headingDeg: 0, panRangeDeg: 360, doriLevel: 'recognition' },
};

/**
 * What counts as 高清 (HD): at least 1920 × 1080 (1080p, 2 MP), in either orientation. DB37/T 3890
 * does not define 高清; 1080p is the floor that public-security camera specifications in Chinese cities
 * commonly set for key areas. Configurable.
 */
export interface HdThreshold {
  minWidthPx: number;
  minHeightPx: number;
}
export const HD_1080P: HdThreshold = { minWidthPx: 1920, minHeightPx: 1080 };

/** True when the camera's sensor meets the HD threshold (orientation-agnostic). */
export function isHdCamera(c: Pick<CameraSpec, 'widthPx' | 'heightPx'>, hd: HdThreshold = HD_1080P): boolean {
  return Math.max(c.widthPx, c.heightPx) >= Math.max(hd.minWidthPx, hd.minHeightPx) && Math.min(c.widthPx, c.heightPx) >= Math.min(hd.minWidthPx, hd.minHeightPx);
}

const DEG = Math.PI / 180;

/** Horizontal field of view of a rectilinear lens: 2·atan(sensorWidth / (2·focalLength)), degrees. */
export function hfovFromFocalLength(focalLengthMm: number, sensorWidthMm: number): number {
  return (2 * Math.atan(sensorWidthMm / (2 * focalLengthMm))) / DEG;
}

/** Vertical field of view from the horizontal one and the sensor's aspect ratio (square pixels), degrees. */
export function vfovDeg(hfovDeg: number, widthPx: number, heightPx: number): number {
  return (2 * Math.atan((Math.tan((hfovDeg * DEG) / 2) * heightPx) / widthPx)) / DEG;
}

/** Horizontal pixel density at slant distance `distanceM`: W / (2 d tan(hfov/2)), px/m. */
export function pixelDensityPxPerM(widthPx: number, hfovDeg: number, distanceM: number): number {
  return widthPx / (2 * distanceM * Math.tan((hfovDeg * DEG) / 2));
}

/** Farthest slant distance at which the density is still `pxPerM`: W / (2 tan(hfov/2) pxPerM), metres. */
export function maxRangeM(widthPx: number, hfovDeg: number, pxPerM: number): number {
  return widthPx / (2 * Math.tan((hfovDeg * DEG) / 2) * pxPerM);
}

/** Pixel density of a level name or an explicit px/m number. */
export function doriPxPerM(level: DoriLevel | number): number {
  if (typeof level === 'number') return level;
  return DORI_PX_PER_M[level];
}

/** Parses a DORI level name (English or 探测/观察/识别/辨认); undefined when not one. */
export function parseDoriLevel(v: unknown): DoriLevel | undefined {
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  if ((DORI_LEVELS as string[]).includes(s.toLowerCase())) return s.toLowerCase() as DoriLevel;
  return DORI_ZH[s];
}

const NAMED_RESOLUTIONS: Record<string, [number, number]> = {
  cif: [352, 288],
  d1: [704, 576],
  '720p': [1280, 720],
  '1080p': [1920, 1080],
  '2k': [2560, 1440],
  '1440p': [2560, 1440],
  '4k': [3840, 2160],
  '2160p': [3840, 2160],
};

/** Reads `resolutionPx`: [w, h], {widthPx, heightPx}, "1920x1080" / "1920×1080", or a name (720p, 1080p, 4K …). */
export function parseResolution(v: unknown): [number, number] | string {
  let w: unknown, h: unknown;
  if (Array.isArray(v)) [w, h] = v;
  else if (v && typeof v === 'object') ({ widthPx: w, heightPx: h } = v as { widthPx?: unknown; heightPx?: unknown });
  else if (typeof v === 'string') {
    const named = NAMED_RESOLUTIONS[v.trim().toLowerCase()];
    if (named) return named;
    const m = /^\s*(\d+)\s*[x×*]\s*(\d+)\s*$/i.exec(v);
    if (!m) return `resolution ${JSON.stringify(v)} is not "W×H", [W, H] or one of ${Object.keys(NAMED_RESOLUTIONS).join(', ')}`;
    w = Number(m[1]);
    h = Number(m[2]);
  } else return `resolution must be [W, H], "W×H" or a name, got ${JSON.stringify(v)}`;
  if (typeof w !== 'number' || typeof h !== 'number' || !Number.isInteger(w) || !Number.isInteger(h) || w < 16 || h < 16 || w > 100000 || h > 100000) {
    return `resolution ${JSON.stringify(v)} needs two whole pixel counts between 16 and 100000`;
  }
  return [w, h];
}

/** Kind of device `i` when it is a camera the coverage model reads, else undefined. */
export function cameraKindOf(devices: DeviceTable, i: number): CameraKind | undefined {
  const t = DEVICE_TYPES[devices.typeCode[i]];
  return t === 'camera' || t === 'epolice' ? t : undefined;
}

/**
 * Resolves device `i` (type camera or epolice) into a {@link CameraSpec}: attributes `hfovDeg` (or
 * `focalLengthMm` with `sensorWidthMm` or `pixelPitchUm`), `resolutionPx`, `ptz`, `panRangeDeg`,
 * `doriLevel`; the table's heading and tilt. Missing values take `defaults` and are listed in
 * `assumed`. Bad values throw a {@link CimError} naming the device and the field.
 */
export function cameraFromDevice(devices: DeviceTable, i: number, defaults: Record<CameraKind, CameraDefaults> = CAMERA_DEFAULTS): CameraSpec {
  const kind = cameraKindOf(devices, i);
  const id = devices.ids[i];
  const record = recordName('device', i, id);
  if (!kind) throw new CimError(`device type '${DEVICE_TYPES[devices.typeCode[i]]}' is not a camera`, { record, field: 'deviceType' });
  const d = defaults[kind];
  const a = devices.attrs[i] ?? {};
  const assumed: string[] = [];
  const fail = (field: string, reason: string): never => {
    throw new CimError(reason, { record, field });
  };
  const num = (field: string, lo: number, hi: number, loOpen: boolean): number | undefined => {
    const v = a[field];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v) || (loOpen ? v <= lo : v < lo) || v > hi) fail(field, `${field} must be a number in ${loOpen ? '(' : '['}${lo}, ${hi}], got ${JSON.stringify(v)}`);
    return v as number;
  };

  let widthPx = d.widthPx, heightPx = d.heightPx;
  if (a.resolutionPx === undefined || a.resolutionPx === null) assumed.push('resolutionPx');
  else {
    const r = parseResolution(a.resolutionPx);
    if (typeof r === 'string') fail('resolutionPx', r);
    [widthPx, heightPx] = r as [number, number];
  }

  let hfovDeg = num('hfovDeg', 0, 179, true);
  if (hfovDeg === undefined) {
    const f = num('focalLengthMm', 0, 2000, true);
    if (f !== undefined) {
      let sensorW = num('sensorWidthMm', 0, 100, true);
      const pitch = num('pixelPitchUm', 0, 100, true);
      if (sensorW === undefined && pitch !== undefined) sensorW = (pitch * widthPx) / 1000;
      if (sensorW === undefined) fail('sensorWidthMm', 'focalLengthMm needs sensorWidthMm or pixelPitchUm to give a field of view');
      hfovDeg = hfovFromFocalLength(f, sensorW as number);
    } else {
      hfovDeg = d.hfovDeg;
      assumed.push('hfovDeg');
    }
  }

  const ptzRaw = a.ptz;
  if (ptzRaw !== undefined && ptzRaw !== null && typeof ptzRaw !== 'boolean') fail('ptz', `ptz must be true or false, got ${JSON.stringify(ptzRaw)}`);
  const ptz = ptzRaw === true;
  let panRangeDeg = 0;
  if (ptz) {
    const p = num('panRangeDeg', 0, 360, false);
    if (p === undefined) {
      panRangeDeg = d.panRangeDeg;
      assumed.push('panRangeDeg');
    } else panRangeDeg = p;
  }

  let doriLevel = d.doriLevel;
  if (a.doriLevel === undefined || a.doriLevel === null) assumed.push('doriLevel');
  else {
    const l = parseDoriLevel(a.doriLevel);
    if (!l) fail('doriLevel', `doriLevel ${JSON.stringify(a.doriLevel)} is not one of ${DORI_LEVELS.join(', ')} (探测/观察/识别/辨认)`);
    doriLevel = l as DoriLevel;
  }

  let headingDeg = devices.headingDeg[i];
  if (Number.isNaN(headingDeg)) {
    headingDeg = d.headingDeg;
    // A PTZ with an endless pan has no meaningful heading.
    if (!(ptz && panRangeDeg >= 360)) assumed.push('headingDeg');
  }
  let tiltDeg = devices.tiltDeg[i];
  if (Number.isNaN(tiltDeg)) {
    tiltDeg = d.tiltDeg;
    assumed.push('tiltDeg');
  }

  return {
    id,
    kind,
    xM: devices.xyM[2 * i],
    yM: devices.xyM[2 * i + 1],
    heightM: devices.heightM[i],
    headingDeg,
    tiltDeg,
    hfovDeg,
    widthPx,
    heightPx,
    ptz,
    panRangeDeg,
    doriLevel,
    healthy: devices.healthy[i] === 1,
    networked: devices.networked[i] === 1,
    assumed,
  };
}

/** All cameras (types camera and epolice) of a device table, in table order. */
export function camerasFromDevices(devices: DeviceTable, defaults: Record<CameraKind, CameraDefaults> = CAMERA_DEFAULTS): CameraSpec[] {
  const out: CameraSpec[] = [];
  for (let i = 0; i < devices.count; i++) if (cameraKindOf(devices, i)) out.push(cameraFromDevice(devices, i, defaults));
  return out;
}

/** Checks a spec built by hand (what-if edits); returns a reason string or null. */
export function checkCameraSpec(c: CameraSpec): string | null {
  const finite = (v: number) => typeof v === 'number' && Number.isFinite(v);
  if (typeof c.id !== 'string' || !c.id) return 'camera needs a non-empty id';
  if (!CAMERA_KINDS.includes(c.kind)) return `camera kind must be one of ${CAMERA_KINDS.join(', ')}`;
  for (const f of ['xM', 'yM', 'heightM', 'headingDeg', 'tiltDeg', 'hfovDeg', 'widthPx', 'heightPx', 'panRangeDeg'] as const) {
    if (!finite(c[f])) return `${f} must be a finite number`;
  }
  if (c.heightM < 0) return 'heightM must not be negative';
  if (c.tiltDeg < -90 || c.tiltDeg > 90) return 'tiltDeg must be within −90…90';
  if (!(c.hfovDeg > 0 && c.hfovDeg < 180)) return 'hfovDeg must be within (0, 180)';
  if (!(c.widthPx >= 16 && c.heightPx >= 16)) return 'resolution must be at least 16 × 16 px';
  if (c.panRangeDeg < 0 || c.panRangeDeg > 360) return 'panRangeDeg must be within 0…360';
  if (!DORI_LEVELS.includes(c.doriLevel)) return `doriLevel must be one of ${DORI_LEVELS.join(', ')}`;
  return null;
}

/**
 * A camera's pose prepared for hot loops: position, the trigonometry of heading, tilt and the pan
 * extremes, and the frustum half-angle tangents. Filled in place by {@link preparePose}.
 */
export interface CameraPose {
  xM: number;
  yM: number;
  zM: number;
  sinHeading: number;
  cosHeading: number;
  sinTilt: number;
  cosTilt: number;
  tanHalfH: number;
  tanHalfV: number;
  /** cos(pan half-range); 1 for fixed cameras and presets, −1 for an endless pan. */
  cosPanHalf: number;
  /** Heading ± pan half-range (clockwise side = +). */
  sinRight: number;
  cosRight: number;
  sinLeft: number;
  cosLeft: number;
}

/** A zeroed pose to fill. */
export function newPose(): CameraPose {
  return { xM: 0, yM: 0, zM: 0, sinHeading: 0, cosHeading: 1, sinTilt: 0, cosTilt: 1, tanHalfH: 1, tanHalfV: 1, cosPanHalf: 1, sinRight: 0, cosRight: 1, sinLeft: 0, cosLeft: 1 };
}

/** Fills `out` from a camera spec under a PTZ treatment; returns `out`. */
export function preparePose(c: CameraSpec, ptzMode: PtzMode, out: CameraPose = newPose()): CameraPose {
  const h = c.headingDeg * DEG;
  const t = c.tiltDeg * DEG;
  const panHalf = c.ptz && ptzMode === 'potential' ? (Math.min(c.panRangeDeg, 360) * DEG) / 2 : 0;
  out.xM = c.xM;
  out.yM = c.yM;
  out.zM = c.heightM;
  out.sinHeading = Math.sin(h);
  out.cosHeading = Math.cos(h);
  out.sinTilt = Math.sin(t);
  out.cosTilt = Math.cos(t);
  out.tanHalfH = Math.tan((c.hfovDeg * DEG) / 2);
  out.tanHalfV = (out.tanHalfH * c.heightPx) / c.widthPx;
  out.cosPanHalf = panHalf >= Math.PI ? -1 : Math.cos(panHalf);
  out.sinRight = Math.sin(h + panHalf);
  out.cosRight = Math.cos(h + panHalf);
  out.sinLeft = Math.sin(h - panHalf);
  out.cosLeft = Math.cos(h - panHalf);
  return out;
}

/**
 * True when the point (x, y, z) is inside the camera's frustum (for a PTZ in `potential` mode: inside
 * the frustum of the pan that points most directly at it). No range or occlusion test. No allocation.
 */
export function frustumContains(p: CameraPose, x: number, y: number, z: number): boolean {
  const vx = x - p.xM, vy = y - p.yM, vz = z - p.zM;
  // Along and across the heading, horizontally: ρ cos δ and ρ sin δ (δ clockwise from the heading).
  const along = vx * p.sinHeading + vy * p.cosHeading;
  const across = vx * p.cosHeading - vy * p.sinHeading;
  let fwdH: number; // horizontal component along the effective pan direction
  let right: number; // component along the effective right vector
  const rho = Math.sqrt(vx * vx + vy * vy);
  if (p.cosPanHalf < 1 && along >= rho * p.cosPanHalf) {
    // The pan range lets the camera face the point: it sits on the image's vertical centre line.
    fwdH = rho;
    right = 0;
  } else {
    const s = across >= 0 ? p.sinRight : p.sinLeft;
    const c = across >= 0 ? p.cosRight : p.cosLeft;
    fwdH = vx * s + vy * c;
    right = vx * c - vy * s;
  }
  // forward = (sinψ cos t, cosψ cos t, −sin t); up = (sinψ sin t, cosψ sin t, cos t)
  const zc = fwdH * p.cosTilt - vz * p.sinTilt;
  if (zc <= 0) return false;
  const yc = fwdH * p.sinTilt + vz * p.cosTilt;
  return Math.abs(right) <= zc * p.tanHalfH && Math.abs(yc) <= zc * p.tanHalfV;
}

/** The occlusion query the camera model needs (a {@link import('../spatial/prism-index.ts').PrismIndex} provides it). */
export interface Occluder {
  segmentBlocked(ax: number, ay: number, az: number, bx: number, by: number, bz: number, skip?: number): boolean;
  buildingAt(x: number, y: number, z?: number): number;
}

const SINGLE_POSE = newPose();

/**
 * The per-point test of a prepared pose: slant distance² ≤ `range2M2`, inside the frustum, and a clear
 * line of sight (ignoring building `mounted`, or −1). No allocation.
 */
export function poseSeesPoint(pose: CameraPose, range2M2: number, occluder: Occluder, mounted: number, x: number, y: number, z: number): boolean {
  const dx = x - pose.xM, dy = y - pose.yM, dz = z - pose.zM;
  if (dx * dx + dy * dy + dz * dz > range2M2) return false;
  if (!frustumContains(pose, x, y, z)) return false;
  return !occluder.segmentBlocked(pose.xM, pose.yM, pose.zM, x, y, z, mounted);
}

/**
 * Whether camera `c` sees the point (x, y, z) at pixel density `level`: inside the frustum, within
 * maxRange(level) (slant distance) and not occluded (a building holding the camera itself is ignored).
 * For one-off queries; coverage sessions batch the same test.
 */
export function cameraSeesPoint(c: CameraSpec, occluder: Occluder, x: number, y: number, z: number, level: DoriLevel | number, ptzMode: PtzMode = 'potential'): boolean {
  const pose = preparePose(c, ptzMode, SINGLE_POSE);
  const r = maxRangeM(c.widthPx, c.hfovDeg, doriPxPerM(level));
  return poseSeesPoint(pose, r * r, occluder, occluder.buildingAt(c.xM, c.yM, c.heightM), x, y, z);
}
