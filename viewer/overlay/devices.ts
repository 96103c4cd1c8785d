/**
 * The overlay's view of the device inventory, pure: GeoJSON device features (as the workbench holds
 * them, `viewer/api/client.ts` DeviceFeature; fields in docs/city-format.md) → positions in the ENU
 * frame and the city's local frame, glyph style, and what the per-type layers need (camera frustum
 * and DORI ranges from sim-core's camera model, 5G sector wedges, weather spacing circles).
 *
 * Bad fields never stop the overlay: the device is skipped (no usable position) or drawn with the
 * field's default, and a problem naming the source, the record and the field is returned.
 */
import { CimError, recordName } from '../../sim-core/cim/errors.ts';
import type { LocalFrame } from '../../sim-core/cim/frame.ts';
import { DEVICE_TYPES, type DeviceTable, type DeviceType } from '../../sim-core/cim/types.ts';
import { cameraFromDevice, type CameraSpec } from '../../sim-core/coverage/camera.ts';
import { DEFAULT_SECTOR_ANTENNA } from '../../sim-core/coverage/cellular/antenna.ts';
import { UMI_BELOW_HEIGHT_M } from '../../sim-core/coverage/cellular/cells.ts';
import type { EnuFrame } from './frame.ts';

/** The subset of a device feature the overlay reads (structurally a `DeviceFeature`). */
export interface DeviceFeatureLike {
  id: string | number;
  geometry: { type: string; coordinates: number[] } | null;
  properties: Record<string, unknown> | null;
}

/** A device as the overlay draws it. */
export interface OverlayDevice {
  id: string;
  type: DeviceType;
  lonDeg: number;
  latDeg: number;
  /** Mounting height above the city's ground, metres. */
  heightM: number;
  /** Clockwise from north; NaN where none is given. */
  headingDeg: number;
  /** Down from the horizon; NaN where none is given. */
  tiltDeg: number;
  /** A proposal (ghost), not part of the inventory. */
  proposal: boolean;
  properties: Record<string, unknown>;
}

/** Devices read from features, with the problems found. */
export interface ReadDevices {
  devices: OverlayDevice[];
  problems: string[];
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * Reads device features. `source` names where they came from ('devices', 'proposals') in problems,
 * with record numbers counted from `firstIndex`.
 * A feature without a usable id, type or point is skipped; a bad height, heading or tilt falls back
 * (0 m, none, none) with a problem.
 */
export function readDevices(features: readonly DeviceFeatureLike[] | null | undefined, source: string, proposal = false, firstIndex = 0): ReadDevices {
  const devices: OverlayDevice[] = [];
  const problems: string[] = [];
  if (!features) return { devices, problems };
  features.forEach((f, i) => {
    const props = (f && f.properties) || {};
    const id = f?.id ?? props.id;
    const record = recordName('record', firstIndex + i, id);
    const problem = (field: string, reason: string) => problems.push(`${source}, ${record}, field '${field}': ${reason}`);
    if ((typeof id !== 'string' && typeof id !== 'number') || id === '') return void problem('id', 'a device needs a non-empty id; not drawn');
    const type = props.deviceType;
    if (typeof type !== 'string' || !(DEVICE_TYPES as readonly string[]).includes(type)) {
      return void problem('properties.deviceType', `${JSON.stringify(type)} is not one of ${DEVICE_TYPES.join(', ')}; not drawn`);
    }
    const c = f.geometry?.type === 'Point' ? f.geometry.coordinates : null;
    if (!c || !isNum(c[0]) || !isNum(c[1]) || Math.abs(c[0]) > 180 || Math.abs(c[1]) > 90) {
      return void problem('geometry.coordinates', `needs a Point with lon/lat degrees, got ${JSON.stringify(f.geometry?.coordinates ?? null)}; not drawn`);
    }
    let heightM = 0;
    if (props.heightM !== undefined && props.heightM !== null) {
      if (isNum(props.heightM) && props.heightM >= 0 && props.heightM < 1000) heightM = props.heightM;
      else problem('properties.heightM', `must be metres in [0, 1000), got ${JSON.stringify(props.heightM)}; drawn at 0 m`);
    }
    const angle = (field: 'headingDeg' | 'tiltDeg', lo: number, hi: number) => {
      const v = props[field];
      if (v === undefined || v === null) return NaN;
      if (isNum(v) && v >= lo && v <= hi) return v;
      problem(`properties.${field}`, `must be degrees in [${lo}, ${hi}], got ${JSON.stringify(v)}; ignored`);
      return NaN;
    };
    devices.push({
      id: String(id),
      type: type as DeviceType,
      lonDeg: c[0],
      latDeg: c[1],
      heightM,
      headingDeg: angle('headingDeg', -360, 360),
      tiltDeg: angle('tiltDeg', -90, 90),
      proposal,
      properties: props,
    });
  });
  return { devices, problems };
}

/** Positions of devices: ENU (overlay frame) of the anchor and of the ground under it, and the city-local anchor. */
export interface DevicePositions {
  /** Interleaved x, y, z of each anchor in the overlay's ENU frame. */
  enu: Float64Array;
  /** ENU z of the ground under each anchor. */
  groundEnuZ: Float64Array;
  /** Interleaved x, y, z (metres above ground) of each anchor in the city's local frame. */
  local: Float64Array;
}

/** Positions every device in both frames. */
export function positionDevices(devices: readonly OverlayDevice[], enu: EnuFrame, local: LocalFrame | null): DevicePositions {
  const n = devices.length;
  const out: DevicePositions = { enu: new Float64Array(3 * n), groundEnuZ: new Float64Array(n), local: new Float64Array(3 * n) };
  const g = new Float64Array(3);
  const xy = new Float64Array(2);
  for (let i = 0; i < n; i++) {
    const d = devices[i]!;
    enu.cityToEnu(d.lonDeg, d.latDeg, d.heightM, out.enu, 3 * i);
    enu.cityToEnu(d.lonDeg, d.latDeg, 0, g);
    out.groundEnuZ[i] = g[2];
    if (local) {
      local.toLocal(d.lonDeg, d.latDeg, xy);
      out.local[3 * i] = xy[0];
      out.local[3 * i + 1] = xy[1];
      out.local[3 * i + 2] = d.heightM;
    }
  }
  return out;
}

/**
 * The camera model of a camera or e-police device, exactly as sim-core's coverage reads it
 * (`cameraFromDevice`: the same defaults and validation). Position fields are left at 0 (the overlay
 * has its own). Throws a CimError naming the device and the field on a bad attribute.
 */
export function cameraSpecOf(d: OverlayDevice): CameraSpec {
  const { deviceType: _t, heightM: _h, headingDeg: _hd, tiltDeg: _td, healthy: _he, networked: _n, name: _na, layer: _l, ...attrs } = d.properties;
  const table: DeviceTable = {
    count: 1,
    ids: [d.id],
    typeCode: new Uint8Array([DEVICE_TYPES.indexOf(d.type)]),
    xyM: new Float64Array(2),
    heightM: new Float32Array([d.heightM]),
    headingDeg: new Float32Array([d.headingDeg]),
    tiltDeg: new Float32Array([d.tiltDeg]),
    healthy: new Uint8Array([d.properties.healthy === false ? 0 : 1]),
    networked: new Uint8Array([d.properties.networked === false ? 0 : 1]),
    names: [typeof d.properties.name === 'string' ? d.properties.name : null],
    attrs: [attrs],
  };
  try {
    return cameraFromDevice(table, 0);
  } catch (e) {
    if (e instanceof CimError) throw new CimError(e.reason, { record: `device '${d.id}'`, field: e.field ? `properties.${e.field}` : undefined });
    throw e;
  }
}

/** Default nominal wedge range of a macro cell (UMa, antenna ≥ 15 m), metres: a drawing convention, not coverage. */
export const WEDGE_RANGE_MACRO_M = 300;
/** Default nominal wedge range of a small cell (UMi, antenna below 15 m), metres. */
export const WEDGE_RANGE_SMALL_M = 120;

/** A 5G cell's sector wedge: azimuth and beamwidth as the cellular model reads them, and a nominal range. */
export interface WedgeSpec {
  /** Boresight clockwise from north; NaN = omnidirectional (a full disc). */
  azimuthDeg: number;
  /** Horizontal 3 dB beamwidth, degrees (attribute `hBeamwidthDeg`, default the sector antenna's 65°). */
  beamwidthDeg: number;
  /** Attribute `nominalRangeM`, else {@link WEDGE_RANGE_MACRO_M} / {@link WEDGE_RANGE_SMALL_M} by antenna height. */
  rangeM: number;
}

/** The wedge of a `cell5g` device. */
export function wedgeOf(d: OverlayDevice): WedgeSpec {
  const p = d.properties;
  const bw = isNum(p.hBeamwidthDeg) && p.hBeamwidthDeg > 0 && p.hBeamwidthDeg <= 360 ? p.hBeamwidthDeg : DEFAULT_SECTOR_ANTENNA.hBeamwidthDeg;
  const range = isNum(p.nominalRangeM) && p.nominalRangeM > 0 ? p.nominalRangeM : d.heightM < UMI_BELOW_HEIGHT_M ? WEDGE_RANGE_SMALL_M : WEDGE_RANGE_MACRO_M;
  return { azimuthDeg: d.headingDeg, beamwidthDeg: bw, rangeM: range };
}
