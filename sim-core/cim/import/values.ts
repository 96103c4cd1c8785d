/**
 * Readers for single attribute values as they appear in OSM tags, GeoJSON properties and ledger cells
 * (numbers, lengths with units, booleans in English and Chinese, camera resolutions, 5G bands).
 *
 * The rule everywhere: an absent value (undefined, null, empty string) is a gap that the caller may
 * repair (and count); a present value that cannot be read is an error naming the field.
 */
import { CimError, type CimErrorLocation } from '../errors.ts';

/** True for undefined, null and strings that are empty after trimming. */
export function isBlank(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
}

const FEET_M = 0.3048;
const INCH_M = 0.0254;

/**
 * A length in metres from a number or a string such as `12`, `12.5 m`, `12m`, `40 ft`, `40'`, `40'6"`
 * (OSM `height` syntax). Returns undefined when blank; throws when present but unreadable.
 */
export function readLengthM(v: unknown, loc: CimErrorLocation): number | undefined {
  if (isBlank(v)) return undefined;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new CimError(`${JSON.stringify(v)} is not a length`, loc);
    return v;
  }
  const s = String(v).trim().replace(/，/g, '.').toLowerCase();
  let m = /^(-?\d+(?:\.\d+)?)\s*(m|metre|metres|meter|meters|米)?$/.exec(s);
  if (m) return Number(m[1]);
  m = /^(\d+(?:\.\d+)?)\s*(?:ft|feet|')\s*(?:(\d+(?:\.\d+)?)\s*(?:in|"|''))?$/.exec(s);
  if (m) return Number(m[1]) * FEET_M + (m[2] ? Number(m[2]) * INCH_M : 0);
  throw new CimError(`${JSON.stringify(v)} is not a length (expected metres such as "12.5" or "12.5 m", or feet such as "40'")`, loc);
}

/** A plain number (also from a numeric string). Undefined when blank; throws when unreadable. */
export function readNumber(v: unknown, loc: CimErrorLocation, what = 'a number'): number | undefined {
  if (isBlank(v)) return undefined;
  const n = typeof v === 'number' ? v : Number(String(v).trim());
  if (!Number.isFinite(n) || (typeof v === 'string' && !/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(v.trim()))) {
    throw new CimError(`${JSON.stringify(v)} is not ${what}`, loc);
  }
  return n;
}

/** A number with an optional unit suffix from `units` (e.g. `°`, `度`); throws on anything else. */
export function readNumberWithUnit(v: unknown, units: string[], loc: CimErrorLocation, what: string): number | undefined {
  if (isBlank(v)) return undefined;
  if (typeof v === 'number') return readNumber(v, loc, what);
  let s = String(v).trim();
  for (const u of units) if (s.toLowerCase().endsWith(u.toLowerCase())) s = s.slice(0, s.length - u.length).trim();
  return readNumber(s, loc, what);
}

const TRUE_WORDS = new Set(['是', '1', 'true', 'yes', 'y', 't', '完好', '正常', '良好', '在线', '已联网', '联网', '有', '已接入', '接入', 'ok']);
const FALSE_WORDS = new Set(['否', '0', 'false', 'no', 'n', 'f', '故障', '损坏', '异常', '离线', '未联网', '不联网', '无', '未接入', '维修', '待修', '坏']);

/** A yes/no value in English or Chinese (是/否, 完好/故障, 在线/离线, 1/0, true/false). Undefined when blank. */
export function readBoolean(v: unknown, loc: CimErrorLocation): boolean | undefined {
  if (isBlank(v)) return undefined;
  if (typeof v === 'boolean') return v;
  const s = String(v).trim().toLowerCase();
  if (TRUE_WORDS.has(s)) return true;
  if (FALSE_WORDS.has(s)) return false;
  throw new CimError(`${JSON.stringify(v)} is not a yes/no value (accepted: 是/否, 完好/故障, 在线/离线, 1/0, true/false, yes/no)`, loc);
}

const NAMED_RESOLUTIONS: Record<string, [number, number]> = {
  '720p': [1280, 720],
  '960p': [1280, 960],
  '1080p': [1920, 1080],
  '1440p': [2560, 1440],
  '2k': [2560, 1440],
  '4k': [3840, 2160],
  '2160p': [3840, 2160],
  '100万': [1280, 720],
  '130万': [1280, 960],
  '200万': [1920, 1080],
  '300万': [2048, 1536],
  '400万': [2560, 1440],
  '500万': [2592, 1944],
  '800万': [3840, 2160],
  '1mp': [1280, 720],
  '2mp': [1920, 1080],
  '3mp': [2048, 1536],
  '4mp': [2560, 1440],
  '5mp': [2592, 1944],
  '8mp': [3840, 2160],
};

/**
 * A camera sensor resolution as [width, height] pixels: `1920x1080` (also ×, *, X), `1080p`, `4K`,
 * `200万` (2 megapixel, the Chinese market name), `4MP`. Undefined when blank.
 */
export function readResolution(v: unknown, loc: CimErrorLocation): [number, number] | undefined {
  if (isBlank(v)) return undefined;
  if (Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number' && Number.isInteger(x) && x > 0)) return [v[0], v[1]];
  const s = String(v).trim().toLowerCase().replace(/\s+/g, '').replace(/像素|pixels?|px/g, '');
  const m = /^(\d{3,5})[x×*](\d{3,5})$/.exec(s);
  if (m) return [Number(m[1]), Number(m[2])];
  const named = NAMED_RESOLUTIONS[s];
  if (named) return [named[0], named[1]];
  throw new CimError(`${JSON.stringify(v)} is not a resolution (expected e.g. 1920x1080, 1080p, 4K, 400万, 4MP)`, loc);
}

const NR_BANDS_GHZ: Record<string, number> = { n78: 3.5, n77: 3.7, n79: 4.9, n41: 2.6, n28: 0.7, n1: 2.1, n3: 1.8, n8: 0.9 };

/** A 5G carrier frequency in GHz from `3.5`, `3.5GHz`, `3500MHz`, `n78`. Undefined when blank. */
export function readBandGHz(v: unknown, loc: CimErrorLocation): number | undefined {
  if (isBlank(v)) return undefined;
  if (typeof v === 'number') return v > 100 ? v / 1000 : v;
  const s = String(v).trim().toLowerCase().replace(/\s+/g, '');
  if (NR_BANDS_GHZ[s] !== undefined) return NR_BANDS_GHZ[s];
  let m = /^(\d+(?:\.\d+)?)ghz$/.exec(s);
  if (m) return Number(m[1]);
  m = /^(\d+(?:\.\d+)?)mhz$/.exec(s);
  if (m) return Number(m[1]) / 1000;
  const n = readNumber(s, loc, 'a frequency band (e.g. 3.5, 3.5GHz, 3500MHz, n78)');
  return n === undefined ? undefined : n > 100 ? n / 1000 : n;
}

/**
 * A compass direction in degrees clockwise from north from a number or a cardinal such as `NE`,
 * `东北` (OSM `camera:direction` allows both). Undefined when blank.
 */
export function readHeadingDeg(v: unknown, loc: CimErrorLocation): number | undefined {
  if (isBlank(v)) return undefined;
  const s = String(v).trim().toUpperCase();
  const CARD = ['N', 'NNE', 'NE', 'ENE', 'E', 'ESE', 'SE', 'SSE', 'S', 'SSW', 'SW', 'WSW', 'W', 'WNW', 'NW', 'NNW'];
  const i = CARD.indexOf(s);
  if (i >= 0) return i * 22.5;
  const ZH: Record<string, number> = { 北: 0, 东北: 45, 东: 90, 东南: 135, 南: 180, 西南: 225, 西: 270, 西北: 315 };
  if (ZH[s] !== undefined) return ZH[s];
  return readNumberWithUnit(v, ['°', '度', 'deg'], loc, 'a direction in degrees (0 = north, clockwise) or a compass point such as NE or 东北');
}

/** A trimmed string or null. */
export function readString(v: unknown): string | null {
  if (isBlank(v)) return null;
  return typeof v === 'string' ? v.trim() : String(v);
}
