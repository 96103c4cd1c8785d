/**
 * The city information model (CIM) held by sim-core.
 *
 * Every table is "struct of arrays": geometry and numbers for hot loops live in flat typed arrays,
 * strings and rarely-read attributes in plain arrays beside them. Coordinates are local metres in
 * the city's {@link LocalFrame} (x east, y north). Polygons are stored earcut-style: for each
 * feature a range of rings (`ringStart`), for each ring a range of vertices (`vertexStart`), and the
 * vertices interleaved x,y in `xyM`. Rings are stored open (the closing vertex is not repeated);
 * the first ring of a feature is its outer ring, counter-clockwise; holes follow, clockwise. A key
 * area may hold several such polygons one after another (each CCW outer ring starts a new one).
 */
import type { CityOrigin } from './frame.ts';

/** Chinese urban road classes (CJJ 37): 快速路, 主干路, 次干路, 支路, plus unclassified service ways. */
export const ROAD_CLASSES = ['expressway', 'arterial', 'secondary', 'branch', 'service'] as const;
export type RoadClass = (typeof ROAD_CLASSES)[number];
export const ROAD_CLASS_ZH: Record<RoadClass, string> = {
  expressway: '快速路',
  arterial: '主干路',
  secondary: '次干路',
  branch: '支路',
  service: '内部道路',
};
/** Rank of a road class: 0 = highest (expressway). */
export const roadClassRank = (c: RoadClass) => ROAD_CLASSES.indexOf(c);

/**
 * Key public area (重点公共区域) categories listed in the 5G indicator of DB37/T 3890 Part 2
 * (001@15279): 机场车站、旅游景点、公园广场、图书馆、医院、学校、政务服务中心. Users may add their own
 * category strings; these seven are the seed list.
 */
export const KEY_AREA_CATEGORIES = [
  'transport_hub',
  'tourist_site',
  'park_square',
  'library',
  'hospital',
  'school',
  'gov_service',
] as const;
export type SeedKeyAreaCategory = (typeof KEY_AREA_CATEGORIES)[number];
export const KEY_AREA_CATEGORY_ZH: Record<SeedKeyAreaCategory, string> = {
  transport_hub: '机场车站',
  tourist_site: '旅游景点',
  park_square: '公园广场',
  library: '图书馆',
  hospital: '医院',
  school: '学校',
  gov_service: '政务服务中心',
};

/** Planning scopes used as indicator regions. */
export const SCOPE_KINDS = ['城区', '中心城区', '建成区', '规划区'] as const;
export type ScopeKind = (typeof SCOPE_KINDS)[number];

export const DEVICE_TYPES = ['camera', 'epolice', 'cell5g', 'weather', 'signal', 'pole'] as const;
export type DeviceType = (typeof DEVICE_TYPES)[number];
export const DEVICE_TYPE_ZH: Record<DeviceType, string> = {
  camera: '视频监控摄像机',
  epolice: '电子警察',
  cell5g: '5G基站小区',
  weather: '气象自动监测站',
  signal: '信号控制机',
  pole: '智慧杆',
};

/** Extra attributes carried unchanged through import/export. Values are JSON values. */
export type Attrs = Record<string, unknown>;

/**
 * Polygons in flat arrays (see module doc). A building holds one outer ring (CCW) followed by its
 * holes (CW). A key area may hold several polygons: each outer ring (CCW) followed by its holes (CW),
 * all consecutively — so a CCW ring starts a new polygon, and signed ring areas sum to the area.
 */
export interface PolygonTable {
  /** For feature i, its rings are ringStart[i] .. ringStart[i+1]-1. Length count+1. */
  ringStart: Uint32Array;
  /** For ring r, its vertices are vertexStart[r] .. vertexStart[r+1]-1. Length nRings+1. */
  vertexStart: Uint32Array;
  /** Interleaved x,y in metres, length 2 × nVertices. */
  xyM: Float64Array;
}

export interface BuildingTable extends PolygonTable {
  count: number;
  ids: string[];
  /** Height of the prism's bottom above ground (0 for most buildings; > 0 for building parts on podia). */
  baseM: Float32Array;
  /** Height of the roof above ground. */
  roofM: Float32Array;
  /** Use, e.g. residential, commercial, office, public, industrial, or 'unknown'. */
  use: string[];
  names: (string | null)[];
  attrs: Attrs[];
}

export interface RoadNodeTable {
  count: number;
  ids: string[];
  xyM: Float64Array;
  /**
   * The intersection's class: the through road of the highest class takes up to two links (one on
   * each side), and the best class among the remaining links is the intersection's. An arterial
   * crossing an arterial is an arterial intersection; a 支路 joining a through 主干路 is a 支路
   * intersection (a "支路路口" in the sense of DB37/T 3890's exclusion, 001@14464).
   * Code = index into ROAD_CLASSES.
   */
  classCode: Uint8Array;
  /** Class of the highest road meeting at the node. */
  majorClassCode: Uint8Array;
  /** 1 when the node carries a traffic signal (OSM highway=traffic_signals or a signal controller). */
  signalized: Uint8Array;
  /** Number of distinct links meeting at the node. Intersections have degree ≥ 3 or a signal. */
  degree: Uint8Array;
  names: (string | null)[];
  attrs: Attrs[];
}

export interface RoadLinkTable {
  count: number;
  ids: string[];
  /** Index of the start/end node in the node table. */
  from: Uint32Array;
  to: Uint32Array;
  classCode: Uint8Array;
  /** Lanes in both directions together. */
  lanes: Uint8Array;
  lengthM: Float32Array;
  speedLimitMps: Float32Array;
  oneway: Uint8Array;
  /** Polyline of link i: vertices vertexStart[i] .. vertexStart[i+1]-1 in xyM. */
  vertexStart: Uint32Array;
  xyM: Float64Array;
  names: (string | null)[];
  attrs: Attrs[];
}

export interface KeyAreaTable extends PolygonTable {
  count: number;
  ids: string[];
  names: (string | null)[];
  /** One of KEY_AREA_CATEGORIES or a user category. */
  category: string[];
  /** 1 when the area belongs to the HD-video key-area set (set by the public-security authority). */
  inVideoSet: Uint8Array;
  /** 1 when the area belongs to the 5G key-area set. */
  in5gSet: Uint8Array;
  attrs: Attrs[];
}

export interface Scope {
  id: string;
  kind: ScopeKind;
  name: string | null;
  /** One or more polygons; each polygon a list of open rings (outer first) of interleaved x,y metres. */
  polygons: Float64Array[][];
  attrs: Attrs;
}

export interface DeviceTable {
  count: number;
  ids: string[];
  typeCode: Uint8Array;
  xyM: Float64Array;
  /** Mounting height above ground (camera lens, antenna centre, sensor). */
  heightM: Float32Array;
  /** Heading clockwise from north, degrees; NaN where it does not apply. */
  headingDeg: Float32Array;
  /** Downward tilt below the horizon, degrees; NaN where it does not apply. */
  tiltDeg: Float32Array;
  /** 完好: 1 when the device is in good working order. */
  healthy: Uint8Array;
  /** 联网: 1 when the device is connected to its sharing platform. */
  networked: Uint8Array;
  names: (string | null)[];
  /** Type-specific attributes (hfovDeg, resolutionPx, bandGHz, txPowerDbm, realTimeTiming, …). */
  attrs: Attrs[];
}

export interface CityMeta {
  name: string;
  /** True when the content is generated, not surveyed (the embedded default city). */
  synthetic: boolean;
  /** Where the data came from (files, generator and seed, licences). */
  sources: string[];
  /** Attribution lines that must be shown with the data, e.g. "© OpenStreetMap contributors". */
  attribution: string[];
}

export interface City {
  meta: CityMeta;
  origin: CityOrigin;
  buildings: BuildingTable;
  roadNodes: RoadNodeTable;
  roadLinks: RoadLinkTable;
  keyAreas: KeyAreaTable;
  scopes: Scope[];
  devices: DeviceTable;
}

export interface BBoxM {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}
