/**
 * Device attributes as CSV ledger columns and GeoJSON properties, in English and Chinese. One table
 * serves both readers; docs/importers.md prints it for users.
 */
import { CimError } from '../errors.ts';
import type { Attrs, DeviceType } from '../types.ts';
import { DEFAULT_DEVICE_HEIGHT_M, type ResolvedOptions } from './options.ts';
import type { DeviceRecord, Provenance } from './records.ts';
import { addRepair } from './report.ts';
import { deviceTypeFrom } from './semantics.ts';
import { isBlank, readBandGHz, readBoolean, readHeadingDeg, readNumberWithUnit, readResolution, readString } from './values.ts';

export interface DeviceField {
  key: string;
  /** Accepted names; matched after {@link normaliseFieldName}. The first is the documented English name. */
  names: string[];
  doc: string;
}

/** The documented columns of a device ledger (and properties of a device feature). */
export const DEVICE_FIELDS: DeviceField[] = [
  { key: 'id', names: ['id', '编号', '设备编号', 'device_id', '设备id', '点位编号'], doc: 'unique id within the city (required)' },
  { key: 'name', names: ['name', '名称', '设备名称', '点位名称'], doc: 'name' },
  { key: 'type', names: ['type', 'deviceType', 'device_type', '类型', '设备类型'], doc: 'camera 摄像机, epolice 电子警察, cell5g 5G基站, weather 气象站, signal 信号机, pole 智慧杆 (required)' },
  { key: 'lon', names: ['lon', 'lng', 'longitude', '经度'], doc: 'longitude, degrees (CSV only; GeoJSON uses the Point)' },
  { key: 'lat', names: ['lat', 'latitude', '纬度'], doc: 'latitude, degrees (CSV only)' },
  { key: 'crs', names: ['crs', '坐标系'], doc: 'wgs84, cgcs2000, gcj02 or bd09 for this row (else the file CRS)' },
  { key: 'heightM', names: ['height_m', 'heightM', 'height', '安装高度', '高度', '挂高', '架设高度'], doc: 'mounting height above ground, metres (required unless --default-device-heights)' },
  { key: 'headingDeg', names: ['heading_deg', 'headingDeg', 'heading', 'azimuth', 'direction', '朝向', '方位角', '朝向角'], doc: 'degrees clockwise from north, or N/NE/东北…' },
  { key: 'tiltDeg', names: ['tilt_deg', 'tiltDeg', 'tilt', '俯角', '下倾角', '俯仰角'], doc: 'degrees below the horizon' },
  { key: 'hfovDeg', names: ['hfov_deg', 'hfovDeg', 'hfov', '水平视场角', '视场角'], doc: 'camera horizontal field of view, degrees' },
  { key: 'resolutionPx', names: ['resolution', 'resolutionPx', 'resolution_px', '分辨率'], doc: 'camera resolution: 1920x1080, 1080p, 4K, 400万, 4MP' },
  { key: 'healthy', names: ['healthy', '是否完好', '完好', '完好状态', '设备状态', '状态'], doc: '完好: 是/否, 完好/故障, 1/0, true/false' },
  { key: 'networked', names: ['networked', '是否联网', '联网', '联网状态', '是否接入'], doc: '联网: 是/否, 在线/离线, 已联网/未联网, 1/0' },
  { key: 'realTimeTiming', names: ['real_time_timing', 'realTimeTiming', '实时配时', '是否实时配时', '实时信号配时'], doc: 'signal controllers: real-time timing 是/否' },
  { key: 'bandGHz', names: ['band_ghz', 'bandGHz', 'band', '频段'], doc: '5G carrier: 3.5, 3500MHz, n78, n41, n28' },
  { key: 'txPowerDbm', names: ['tx_power_dbm', 'txPowerDbm', '发射功率'], doc: '5G transmit power, dBm' },
  { key: 'intersectionRef', names: ['intersection', 'intersection_ref', '路口编号', '路口'], doc: 'signal controllers: the ledger\'s intersection code (kept as a reference; the road node is found by position)' },
];

/** Lower-cases, drops spaces/underscores/hyphens and a trailing unit in brackets: `安装高度(m)` → `安装高度`. */
export function normaliseFieldName(name: string): string {
  return name
    .replace(/^\uFEFF/, '')
    .trim()
    .replace(/[（(][^）)]*[）)]\s*$/, '')
    .replace(/[\s_\-]/g, '')
    .toLowerCase();
}

const BY_NAME = new Map<string, string>();
for (const f of DEVICE_FIELDS) for (const n of f.names) BY_NAME.set(normaliseFieldName(n), f.key);

/** The canonical key of a column or property name, or undefined when it is not a device field. */
export function deviceFieldKey(name: string): string | undefined {
  return BY_NAME.get(normaliseFieldName(name));
}

/** Access to one record's fields by canonical key, with the name as written in the source for messages. */
export interface FieldSource {
  get(key: string): { field: string; value: unknown } | undefined;
  /** Fields that are not device fields, kept as attributes. */
  extras(): Attrs;
  /** The source's name of the column/property for `key`, blank or not; undefined when it has none (a ledger without a 完好 column). */
  field(key: string): string | undefined;
}

/** A {@link FieldSource} over plain properties (GeoJSON, OSM tags). */
export function propsFieldSource(props: Record<string, unknown>, skip: readonly string[] = []): FieldSource {
  const byKey = new Map<string, string>();
  for (const k of Object.keys(props)) {
    const c = deviceFieldKey(k);
    // A non-blank value wins over a blank one under another alias.
    if (c && (!byKey.has(c) || (isBlank(props[byKey.get(c)!]) && !isBlank(props[k])))) byKey.set(c, k);
  }
  return {
    get: (key) => {
      const f = byKey.get(key);
      return f === undefined || isBlank(props[f]) ? undefined : { field: f, value: props[f] };
    },
    field: (key) => byKey.get(key),
    extras: () => {
      const out: Attrs = {};
      for (const k of Object.keys(props)) if (!deviceFieldKey(k) && !skip.includes(k)) out[k] = props[k];
      return out;
    },
  };
}

/**
 * Builds a device record from a field source and an already converted WGS84 position. Missing states:
 * a source without a 完好/联网 field at all means the ledger does not track it, and the device counts
 * as healthy/networked (reported once per file); a blank cell in a field the source has is an error,
 * since a rate computed from guessed states would be meaningless.
 */
export function readDevice(src: FieldSource, lonDeg: number, latDeg: number, prov: Provenance, opts: ResolvedOptions, idFallback?: string): DeviceRecord {
  const loc = (field: string) => ({ file: prov.file.file, record: prov.record, field });
  const idF = src.get('id');
  const id = idF ? String(idF.value).trim() : idFallback;
  if (!id) throw new CimError('device has no id', loc(src.field('id') ?? 'id (编号)'));
  const typeF = src.get('type');
  if (!typeF) throw new CimError('device has no type', loc('type (类型)'));
  const type = deviceTypeFrom(typeF.value);
  if (!type) throw new CimError(`unknown device type ${JSON.stringify(typeF.value)} (expected camera/摄像机, epolice/电子警察, cell5g/5G基站, weather/气象站, signal/信号机, pole/智慧杆)`, loc(typeF.field));

  const num = (key: string, what: string, units: string[] = []) => {
    const f = src.get(key);
    return f ? readNumberWithUnit(f.value, units, loc(f.field), what) : undefined;
  };
  let heightM = num('heightM', 'a height in metres', ['m', '米']);
  if (heightM === undefined) {
    if (!opts.defaultDeviceHeights) {
      throw new CimError(`device has no mounting height; give one, or pass --default-device-heights to use the documented defaults`, loc(src.field('heightM') ?? 'height_m (安装高度)'));
    }
    heightM = DEFAULT_DEVICE_HEIGHT_M[type as DeviceType];
    addRepair(prov.file, 'default-device-height', 'devices had no mounting height: type default (camera/e-police 6 m, 5G 25 m, weather 10 m, signal 1.5 m, pole 8 m; --default-device-heights)', prov.record);
  }
  const headF = src.get('headingDeg');
  const headingDeg = headF ? readHeadingDeg(headF.value, loc(headF.field)) : undefined;
  const tiltDeg = num('tiltDeg', 'an angle in degrees', ['°', '度']);
  const attrs: Attrs = src.extras();

  const hfov = num('hfovDeg', 'an angle in degrees', ['°', '度']);
  if (hfov !== undefined) {
    if (!(hfov > 0 && hfov <= 360)) throw new CimError(`field of view ${hfov}° is outside 0–360°`, loc(src.get('hfovDeg')!.field));
    attrs.hfovDeg = hfov;
  }
  const resF = src.get('resolutionPx');
  if (resF) attrs.resolutionPx = readResolution(resF.value, loc(resF.field));
  const bandF = src.get('bandGHz');
  if (bandF) attrs.bandGHz = readBandGHz(bandF.value, loc(bandF.field));
  const tx = num('txPowerDbm', 'a power in dBm', ['dbm']);
  if (tx !== undefined) attrs.txPowerDbm = tx;
  const rtF = src.get('realTimeTiming');
  if (rtF) attrs.realTimeTiming = readBoolean(rtF.value, loc(rtF.field));
  const ref = src.get('intersectionRef');
  if (ref) attrs.intersectionRef = String(ref.value).trim();

  const state = (key: 'healthy' | 'networked', label: string): boolean => {
    const f = src.get(key);
    if (f) return readBoolean(f.value, loc(f.field)) as boolean;
    const name = src.field(key);
    if (name !== undefined) throw new CimError(`${label} state is blank`, loc(name));
    addRepair(prov.file, `assumed-${key}`, `devices had no ${label} field at all (the source does not track it): counted as ${key}`, prov.record);
    return true;
  };
  const healthy = state('healthy', '完好 (healthy)');
  const networked = state('networked', '联网 (networked)');
  const nameF = src.get('name');
  const rec: DeviceRecord = { prov, id, type, lonDeg, latDeg, heightM, healthy, networked, name: nameF ? readString(nameF.value) : null, attrs };
  if (headingDeg !== undefined) rec.headingDeg = headingDeg;
  if (tiltDeg !== undefined) rec.tiltDeg = tiltDeg;
  return rec;
}

/** Reads an optional id-like value (number or string) as a string. */
export function readIdValue(v: unknown): string | undefined {
  if (isBlank(v)) return undefined;
  if (typeof v === 'number' || typeof v === 'string') return String(v).trim();
  return undefined;
}
