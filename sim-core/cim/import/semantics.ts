/**
 * What attributes mean: OSM tags (also as Tilezen `kind`/`kind_detail` and as plain GeoJSON
 * properties) to building heights and uses, road classes, lanes and speeds, key-area categories and
 * device types. Shared by every reader so that one rule holds for every format.
 */
import { CimError } from '../errors.ts';
import { DEVICE_TYPES, KEY_AREA_CATEGORIES, KEY_AREA_CATEGORY_ZH, type DeviceType, type RoadClass, type SeedKeyAreaCategory } from '../types.ts';
import { DEFAULT_LANES_TWO_WAY, DEFAULT_SPEED_KPH, type ResolvedOptions } from './options.ts';
import type { HeightSource, Provenance } from './records.ts';
import { addRepair } from './report.ts';
import { isBlank, readLengthM, readNumber } from './values.ts';

type Props = Record<string, unknown>;

/** The first present (non-blank) property among `keys`, with its key. */
export function pick(props: Props, keys: readonly string[]): { key: string; value: unknown } | undefined {
  for (const k of keys) if (!isBlank(props[k])) return { key: k, value: props[k] };
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Buildings

export const HEIGHT_KEYS = ['height', 'roofM', 'heightM', 'height_m', '建筑高度', '高度'] as const;
export const MIN_HEIGHT_KEYS = ['min_height', 'baseM', 'minHeightM', '底部高度'] as const;
export const LEVELS_KEYS = ['building:levels', 'levels', 'floors', 'storeys', '层数', '楼层数', '地上层数'] as const;
export const MIN_LEVEL_KEYS = ['building:min_level', 'min_level'] as const;

export interface ResolvedHeight {
  baseM: number;
  roofM: number;
  heightSource: HeightSource;
}

/**
 * Base and roof height of a building from its attributes, in this order: a height (`height`, `roofM`,
 * 建筑高度…; a height of 0 or less counts as missing, since it is no building's height), then storeys
 * (`building:levels`, 层数…) × the storey height, then — only when the caller set `defaultStoreys` — the
 * default storeys × the storey height. The base is `min_height` (or `baseM`), else `building:min_level`
 * × the storey height, else 0. Derived heights are counted in the file's report.
 *
 * Returns `{missing}` naming the field to fix (and its unusable value, if any) when there is no height
 * and no default.
 */
export function resolveBuildingHeight(props: Props, opts: ResolvedOptions, prov: Provenance): ResolvedHeight | { missing: string; value?: unknown } {
  const loc = (field: string) => ({ file: prov.file.file, record: prov.record, field });
  const h = pick(props, HEIGHT_KEYS);
  const lv = pick(props, LEVELS_KEYS);
  const mh = pick(props, MIN_HEIGHT_KEYS);
  const ml = pick(props, MIN_LEVEL_KEYS);
  const storeyM = opts.storeyHeightM;
  let baseM = 0;
  if (mh) baseM = readLengthM(mh.value, loc(mh.key)) ?? 0;
  else if (ml) {
    const n = readNumber(ml.value, loc(ml.key), 'a storey count') ?? 0;
    baseM = n * storeyM;
    addRepair(prov.file, 'min-level-to-base', `building:min_level without min_height: base = min_level × ${storeyM} m`, prov.record);
  }
  if (baseM < 0) throw new CimError(`base height ${baseM} m is negative`, loc(mh?.key ?? ml?.key ?? 'min_height'));

  let roofM: number | undefined;
  let source: HeightSource = 'height';
  let zero = false;
  if (h) {
    const v = readLengthM(h.value, loc(h.key));
    if (v !== undefined && v > 0) roofM = v;
    else zero = true;
  }
  if (roofM === undefined && lv) {
    const n = readNumber(lv.value, loc(lv.key), 'a storey count');
    if (n !== undefined && n > 0) {
      roofM = n * storeyM;
      source = 'levels';
      addRepair(prov.file, 'levels-to-height', `buildings had storeys but no height: height = storeys × ${storeyM} m`, prov.record);
    }
  }
  if (roofM === undefined) {
    if (opts.defaultStoreys === undefined) {
      return h ? { missing: h.key, value: h.value } : { missing: 'height' };
    }
    roofM = baseM + opts.defaultStoreys * storeyM;
    source = 'default-storeys';
    if (zero) addRepair(prov.file, 'non-positive-height', `buildings had a height of 0 or less, treated as missing`, prov.record);
    addRepair(
      prov.file,
      'default-storeys',
      `buildings had no height and no storeys: default ${opts.defaultStoreys} storeys × ${storeyM} m = ${+(opts.defaultStoreys * storeyM).toFixed(2)} m above the base (stated by the caller, --default-storeys)`,
      prov.record,
    );
  }
  if (!(roofM > baseM)) {
    throw new CimError(`roof height ${roofM} m is not above the base height ${baseM} m`, loc(h?.key ?? lv?.key ?? 'height'));
  }
  return { baseM, roofM, heightSource: source };
}

const USE_GROUPS: [string, string[]][] = [
  ['residential', ['residential', 'apartments', 'house', 'detached', 'semidetached_house', 'terrace', 'dormitory', 'bungalow', 'villa', '住宅', '居住']],
  ['commercial', ['commercial', 'retail', 'mall', 'shop', 'supermarket', 'hotel', 'bank', 'kiosk', '商业', '商场']],
  ['office', ['office', '办公']],
  ['industrial', ['industrial', 'warehouse', 'factory', 'manufacture', 'storage_tank', '工业', '仓储']],
  [
    'public',
    ['public', 'civic', 'government', 'school', 'university', 'college', 'kindergarten', 'hospital', 'library', 'train_station', 'transportation', 'museum', 'arts_centre', 'place_of_worship', 'church', 'temple', 'mosque', 'embassy', 'fire_station', 'police', 'stadium', 'sports_hall', '公共', '公建', '教育', '医疗'],
  ],
];

/** A building use group (residential, commercial, office, industrial, public, or unknown) from an OSM `building` value or a use string. */
export function buildingUse(raw: unknown): string {
  if (isBlank(raw)) return 'unknown';
  const s = String(raw).trim().toLowerCase();
  for (const [group, values] of USE_GROUPS) if (s === group || values.includes(s)) return group;
  return 'unknown';
}

// ---------------------------------------------------------------------------------------------
// Roads

/**
 * OSM `highway` value → road class (CJJ 37): motorway and trunk are 快速路 (expressway); primary is
 * 主干路 (arterial); secondary and tertiary are 次干路 (secondary: CJJ 37 has no fourth class, and OSM
 * tertiary roads in Chinese cities are collector streets); residential, unclassified, living_street and
 * road are 支路 (branch); service is 内部道路 (service). Ramps (`*_link`) take their road's class.
 */
export const HIGHWAY_CLASS: Record<string, RoadClass> = {
  motorway: 'expressway',
  trunk: 'expressway',
  primary: 'arterial',
  secondary: 'secondary',
  tertiary: 'secondary',
  residential: 'branch',
  unclassified: 'branch',
  living_street: 'branch',
  road: 'branch',
  service: 'service',
};

/** Highway values that are not part of the vehicle graph (reported as skipped). */
export const NON_VEHICLE_HIGHWAYS = new Set([
  'footway', 'path', 'cycleway', 'pedestrian', 'steps', 'bridleway', 'track', 'corridor', 'elevator', 'platform', 'bus_stop',
  'construction', 'proposed', 'abandoned', 'disused', 'raceway', 'escape', 'busway', 'bus_guideway', 'via_ferrata', 'crossing', 'traffic_signals',
  'pier', 'rail', 'ferry', 'aerialway', 'piste',
]);

export interface RoadAttributes {
  roadClass: RoadClass;
  lanes: number;
  speedLimitMps: number;
  oneway: boolean;
  /** The way must be reversed (oneway=-1). */
  reverse: boolean;
  link: boolean;
}

const IMPLICIT_SPEED = /^([a-z]{2}:[a-z_]+|none|signals|walk|variable|implicit)$/i;

/** Speed in km/h from an OSM `maxspeed` value; `implicit` for zone codes such as CN:urban. */
export function readMaxspeedKph(v: unknown, field: string, prov: Provenance): number | 'implicit' | undefined {
  if (isBlank(v)) return undefined;
  const loc = { file: prov.file.file, record: prov.record, field };
  if (typeof v === 'number') return readNumber(v, loc, 'a speed');
  const s = String(v).trim();
  if (IMPLICIT_SPEED.test(s)) return 'implicit';
  const m = /^(\d+(?:\.\d+)?)\s*(km\/h|kmh|kph|mph|knots)?$/i.exec(s);
  if (!m) throw new CimError(`${JSON.stringify(v)} is not a speed (expected km/h such as "60", "60 km/h" or "40 mph")`, loc);
  const n = Number(m[1]);
  const unit = (m[2] ?? '').toLowerCase();
  return unit === 'mph' ? n * 1.609344 : unit === 'knots' ? n * 1.852 : n;
}

/**
 * Road attributes of a way from its tags; `null` with a reason when the way is not part of the vehicle
 * graph. Defaults for lanes and speed are counted in the file's report.
 */
export function roadAttributes(tags: Props, prov: Provenance, explicitClass?: RoadClass): RoadAttributes | { skip: string; kind: string } {
  const loc = (field: string) => ({ file: prov.file.file, record: prov.record, field });
  const hw = isBlank(tags.highway) ? '' : String(tags.highway).trim();
  const link = !explicitClass && hw.endsWith('_link');
  const base = link ? hw.slice(0, -5) : hw;
  const roadClass = explicitClass ?? HIGHWAY_CLASS[base];
  if (!roadClass) {
    if (!hw) return { skip: 'lines without a highway tag or road class', kind: 'no-highway' };
    if (NON_VEHICLE_HIGHWAYS.has(hw)) return { skip: `ways that are not part of the vehicle road graph (footway, path, cycleway, steps, rail, ferry, …)`, kind: 'not-vehicle-road' };
    return { skip: `highway values that are not a road class we map (see docs/importers.md)`, kind: 'unknown-highway' };
  }
  if (tags.area === 'yes' || tags.area === true) return { skip: `highways mapped as areas (area=yes)`, kind: 'highway-area' };

  const ow = isBlank(tags.oneway) ? '' : String(tags.oneway).trim().toLowerCase();
  // oneway: yes/true/1 (also JSON true), -1/reverse (digitised against the flow); roundabouts and motorways imply it.
  const junction = isBlank(tags.junction) ? '' : String(tags.junction).trim().toLowerCase();
  let oneway = ow === 'yes' || ow === 'true' || ow === '1';
  const reverse = ow === '-1' || ow === 'reverse';
  if (reverse) oneway = true;
  if (!ow && (junction === 'roundabout' || junction === 'circular' || base === 'motorway')) oneway = true;

  let lanes: number;
  const lanesTag = isBlank(tags.lanes) ? undefined : tags.lanes;
  if (lanesTag !== undefined) {
    const n = readNumber(lanesTag, loc('lanes'), 'a lane count');
    if (n === undefined || !Number.isInteger(n) || n < 1 || n > 20) throw new CimError(`lanes ${JSON.stringify(lanesTag)} must be an integer from 1 to 20`, loc('lanes'));
    lanes = n;
  } else {
    const two = link ? 2 : DEFAULT_LANES_TWO_WAY[roadClass];
    lanes = oneway ? Math.max(1, Math.round(two / 2)) : two;
    addRepair(prov.file, 'default-lanes', 'roads had no lanes tag: class default (expressway/arterial 6, secondary 4, branch/service 2 both ways; half one-way; ramps 1 one-way)', prov.record);
  }

  let kph: number | 'implicit' | undefined;
  for (const k of ['maxspeed', 'speedLimitKph', 'speed_limit_kph']) {
    if (!isBlank(tags[k])) {
      kph = readMaxspeedKph(tags[k], k, prov);
      break;
    }
  }
  if (typeof kph !== 'number') {
    kph = DEFAULT_SPEED_KPH[roadClass];
    addRepair(prov.file, 'default-speed', 'roads had no numeric maxspeed: CJJ 37-2012 design speed of the class (expressway 80, arterial 50, secondary 40, branch 30, service 20 km/h)', prov.record);
  } else if (!(kph > 0 && kph <= 250)) throw new CimError(`speed ${kph} km/h is outside 0–250 km/h`, loc('maxspeed'));
  return { roadClass, lanes, speedLimitMps: kph / 3.6, oneway, reverse, link };
}

// ---------------------------------------------------------------------------------------------
// Key public areas

/**
 * Key-area category from OSM tags: amenity=hospital (and healthcare=hospital) → 医院; amenity=school,
 * kindergarten, university, college → 学校; amenity=library → 图书馆; amenity=townhall and
 * office=government → 政务服务中心 (OSM has no tag for a service centre alone; government offices are
 * the nearest); railway=station/halt, public_transport=station, amenity=bus_station, aeroway=aerodrome
 * → 机场车站; leisure=park and place=square → 公园广场; tourism=attraction, theme_park, zoo → 旅游景点.
 */
export function keyAreaCategoryFromTags(tags: Props): SeedKeyAreaCategory | null {
  const v = (k: string) => (isBlank(tags[k]) ? '' : String(tags[k]).trim());
  const amenity = v('amenity');
  if (amenity === 'hospital' || v('healthcare') === 'hospital') return 'hospital';
  if (['school', 'kindergarten', 'university', 'college'].includes(amenity)) return 'school';
  if (amenity === 'library') return 'library';
  if (amenity === 'townhall' || v('office') === 'government') return 'gov_service';
  if (amenity === 'bus_station' || ['station', 'halt'].includes(v('railway')) || v('public_transport') === 'station' || v('aeroway') === 'aerodrome') return 'transport_hub';
  if (v('leisure') === 'park' || v('place') === 'square') return 'park_square';
  if (['attraction', 'theme_park', 'zoo'].includes(v('tourism'))) return 'tourist_site';
  return null;
}

/** Key-area category from a Tilezen `kind` (pois, landuse, transit layers); same mapping as the tags. */
export const TILEZEN_KEY_AREA_KINDS: Record<string, SeedKeyAreaCategory> = {
  hospital: 'hospital',
  school: 'school',
  kindergarten: 'school',
  university: 'school',
  college: 'school',
  library: 'library',
  townhall: 'gov_service',
  government: 'gov_service',
  station: 'transport_hub',
  train_station: 'transport_hub',
  bus_station: 'transport_hub',
  aerodrome: 'transport_hub',
  airport: 'transport_hub',
  park: 'park_square',
  square: 'park_square',
  attraction: 'tourist_site',
  theme_park: 'tourist_site',
  zoo: 'tourist_site',
};

const CATEGORY_WORDS: Record<string, SeedKeyAreaCategory> = {
  机场: 'transport_hub',
  车站: 'transport_hub',
  火车站: 'transport_hub',
  汽车站: 'transport_hub',
  客运站: 'transport_hub',
  地铁站: 'transport_hub',
  景点: 'tourist_site',
  景区: 'tourist_site',
  公园: 'park_square',
  广场: 'park_square',
  政务中心: 'gov_service',
  行政服务中心: 'gov_service',
  便民服务中心: 'gov_service',
};

/**
 * A seed category id from a `category` value: the id itself (`hospital`), the Chinese name of the seed
 * list (医院, 机场车站, …) or a common synonym (公园, 广场, 车站, 景区, 政务中心…). Null otherwise.
 */
export function seedCategory(v: unknown): SeedKeyAreaCategory | null {
  if (isBlank(v)) return null;
  const s = String(v).trim();
  if ((KEY_AREA_CATEGORIES as readonly string[]).includes(s)) return s as SeedKeyAreaCategory;
  for (const c of KEY_AREA_CATEGORIES) if (KEY_AREA_CATEGORY_ZH[c] === s) return c;
  return CATEGORY_WORDS[s] ?? null;
}

// ---------------------------------------------------------------------------------------------
// Devices

const DEVICE_WORDS: Record<string, DeviceType> = {
  camera: 'camera', cctv: 'camera', 摄像机: 'camera', 摄像头: 'camera', 视频监控: 'camera', 监控: 'camera', 视频监控摄像机: 'camera', 球机: 'camera', 枪机: 'camera', 高清摄像机: 'camera', 高点监控: 'camera',
  epolice: 'epolice', 'e-police': 'epolice', 电子警察: 'epolice', 电警: 'epolice', 卡口: 'epolice', 闯红灯抓拍: 'epolice',
  cell5g: 'cell5g', '5g': 'cell5g', '5g基站': 'cell5g', '5g小区': 'cell5g', '5g基站小区': 'cell5g', 基站: 'cell5g', gnb: 'cell5g',
  weather: 'weather', 气象站: 'weather', 自动气象站: 'weather', 气象自动监测站: 'weather', 气象监测站: 'weather',
  signal: 'signal', 信号机: 'signal', 信号控制机: 'signal', 交通信号机: 'signal', 信号灯控制机: 'signal',
  pole: 'pole', 智慧杆: 'pole', 多功能杆: 'pole', 智慧灯杆: 'pole', 综合杆: 'pole', 多功能智慧杆: 'pole',
};

/** Device type from an id (`camera`…), a Chinese name (摄像机, 电子警察, 5G基站, 气象站, 信号机, 智慧杆…) or a synonym. */
export function deviceTypeFrom(v: unknown): DeviceType | null {
  if (isBlank(v)) return null;
  const s = String(v).trim().toLowerCase();
  if ((DEVICE_TYPES as readonly string[]).includes(s)) return s as DeviceType;
  return DEVICE_WORDS[s] ?? null;
}
