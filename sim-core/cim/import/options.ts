/**
 * Import options and the defaults every importer shares. Each default states where it comes from;
 * docs/importers.md repeats them for users.
 */
import type { DeviceType, RoadClass } from '../types.ts';
import type { CrsName } from './crs.ts';

/**
 * Storey height used to turn `building:levels` (or the default storey count) into metres: 3.0 m.
 * GB 50096-2011 (住宅设计规范) §5.5.1 gives 2.80 m as the usual residential storey height and offices
 * run 3.6–4.5 m; 3.0 m is the figure the OSM Simple 3D Buildings convention and most OSM renderers use
 * for one level. A planner can change it (`storeyHeightM`, `--storey-height`).
 */
export const DEFAULT_STOREY_HEIGHT_M = 3.0;

/** Largest distance of any record from the city origin, unless a bounding box is given: 50 km. */
export const DEFAULT_MAX_RADIUS_KM = 50;

/** Vertices of road ways closer than this are one graph vertex (0.5 m; see docs/importers.md). */
export const DEFAULT_SNAP_TOLERANCE_M = 0.5;

/** A traffic-signal point or a signal controller is attached to the nearest road node within this distance. */
export const DEFAULT_SIGNAL_MATCH_TOLERANCE_M = 20;

/** A key public area given only as a point becomes a circle of this radius. */
export const DEFAULT_POI_RADIUS_M = 50;

/**
 * Mounting heights used for devices without one, only when the caller asks for them
 * (`defaultDeviceHeights`, `--default-device-heights`). Project defaults, typical of Chinese urban
 * installations; none is a normative value: street cameras and e-police cameras on 6 m poles and
 * gantries, 5G macro antennas at 25 m, weather stations at the 10 m wind mast of WMO-No. 8, signal
 * controller cabinets at 1.5 m, smart poles 8 m.
 */
export const DEFAULT_DEVICE_HEIGHT_M: Record<DeviceType, number> = {
  camera: 6,
  epolice: 6,
  cell5g: 25,
  weather: 10,
  signal: 1.5,
  pole: 8,
};

/**
 * Design speeds of CJJ 37-2012 (2016 edition) 城市道路工程设计规范 §3.0.2 (快速路 100/80/60,
 * 主干路 60/50/40, 次干路 50/40/30, 支路 40/30/20 km/h): the middle value of each class is the default
 * speed limit when a road has no `maxspeed`. Service ways (内部道路) are not in CJJ 37: 20 km/h is ours.
 */
export const DEFAULT_SPEED_KPH: Record<RoadClass, number> = {
  expressway: 80,
  arterial: 50,
  secondary: 40,
  branch: 30,
  service: 20,
};

/**
 * Lanes (both directions) when a road has no `lanes` tag: typical Chinese urban cross sections
 * (expressway and arterial 双向六车道, secondary 双向四车道, branch and service 双向两车道). These are
 * project defaults, not values a standard prescribes. One-way carriageways get half (at least one);
 * ramps (`*_link`) get one lane one-way, two two-way.
 */
export const DEFAULT_LANES_TWO_WAY: Record<RoadClass, number> = {
  expressway: 6,
  arterial: 6,
  secondary: 4,
  branch: 2,
  service: 2,
};

/** Options of one input file. */
export interface FileOptions {
  /** CRS of the coordinates; overrides a GeoJSON `crs` member (the report says so). */
  crs?: CrsName;
  /** Forces every feature of a GeoJSON file into one layer. */
  layer?: 'building' | 'key-area' | 'device' | 'road' | 'signal' | 'scope';
}

export interface ImportOptions {
  /** City name (metadata). */
  name?: string;
  /** Origin of the local frame; default: the per-axis median of the first file's coordinates. */
  origin?: { lonDeg: number; latDeg: number; heightM?: number };
  /**
   * Storeys given to buildings with no height, no levels: the repair is made only when this is set;
   * without it such a building is an error (naming the file, the feature and the field).
   */
  defaultStoreys?: number;
  storeyHeightM?: number;
  /** Fill missing device mounting heights from {@link DEFAULT_DEVICE_HEIGHT_M}; otherwise an error. */
  defaultDeviceHeights?: boolean;
  /** City extent as a radius around the origin (default {@link DEFAULT_MAX_RADIUS_KM}). */
  maxRadiusKm?: number;
  /** City extent as a lon/lat box [west, south, east, north]; replaces the radius. */
  bbox?: [number, number, number, number];
  /** Drop records outside the extent (counted) instead of failing. */
  clip?: boolean;
  snapToleranceM?: number;
  signalMatchToleranceM?: number;
  poiRadiusM?: number;
  /** Sources and attribution lines to add to the city metadata. */
  sources?: string[];
  attribution?: string[];
}

/** Options with every default filled in. */
export interface ResolvedOptions extends Required<Omit<ImportOptions, 'origin' | 'bbox' | 'defaultStoreys' | 'name'>> {
  name: string;
  origin?: ImportOptions['origin'];
  bbox?: ImportOptions['bbox'];
  defaultStoreys?: number;
}

function positive(v: number | undefined, d: number, name: string): number {
  if (v === undefined) return d;
  if (!Number.isFinite(v) || v <= 0) throw new RangeError(`${name} must be a positive number, got ${v}`);
  return v;
}

/** Checks options and fills in defaults. Throws RangeError on a bad option. */
export function resolveOptions(o: ImportOptions = {}): ResolvedOptions {
  if (o.defaultStoreys !== undefined && (!Number.isInteger(o.defaultStoreys) || o.defaultStoreys < 1 || o.defaultStoreys > 200)) {
    throw new RangeError(`defaultStoreys must be an integer from 1 to 200, got ${o.defaultStoreys}`);
  }
  if (o.bbox) {
    const [w, s, e, n] = o.bbox;
    if (![w, s, e, n].every(Number.isFinite) || w >= e || s >= n || w < -180 || e > 180 || s < -90 || n > 90) {
      throw new RangeError(`bbox must be west,south,east,north in degrees with west < east and south < north, got ${o.bbox.join(',')}`);
    }
  }
  if (o.origin && (!Number.isFinite(o.origin.lonDeg) || !Number.isFinite(o.origin.latDeg) || Math.abs(o.origin.lonDeg) > 180 || Math.abs(o.origin.latDeg) > 85)) {
    throw new RangeError(`origin must be lon,lat in degrees, got ${o.origin.lonDeg},${o.origin.latDeg}`);
  }
  return {
    name: o.name ?? 'imported city',
    origin: o.origin,
    bbox: o.bbox,
    defaultStoreys: o.defaultStoreys,
    storeyHeightM: positive(o.storeyHeightM, DEFAULT_STOREY_HEIGHT_M, 'storeyHeightM'),
    defaultDeviceHeights: o.defaultDeviceHeights ?? false,
    maxRadiusKm: positive(o.maxRadiusKm, DEFAULT_MAX_RADIUS_KM, 'maxRadiusKm'),
    clip: o.clip ?? false,
    snapToleranceM: positive(o.snapToleranceM, DEFAULT_SNAP_TOLERANCE_M, 'snapToleranceM'),
    signalMatchToleranceM: positive(o.signalMatchToleranceM, DEFAULT_SIGNAL_MATCH_TOLERANCE_M, 'signalMatchToleranceM'),
    poiRadiusM: positive(o.poiRadiusM, DEFAULT_POI_RADIUS_M, 'poiRadiusM'),
    sources: o.sources ?? [],
    attribution: o.attribution ?? [],
  };
}
