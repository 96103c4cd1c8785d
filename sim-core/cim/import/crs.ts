/**
 * Input coordinate reference systems. Everything the importers read is lon/lat; this module names the
 * systems we accept and converts them to WGS84 lon/lat, which the local frame then projects.
 *
 * - WGS84 (EPSG:4326, OGC CRS84) and CGCS2000 (EPSG:4490): the same numbers. The two realisations
 *   differ by a few centimetres at the ellipsoid level, far below any city data (docs/crs.md).
 * - GCJ-02 (the obfuscated datum of Chinese web maps: Amap/高德, Tencent/腾讯, Google China) and BD-09
 *   (Baidu/百度): converted with `gcoord`. gcoord's GCJ-02 → WGS84 is a fixed-point inversion that stops
 *   at 1e-6° (about 0.1 m); we run two more fixed-point steps with gcoord's own forward transform so that
 *   the round trip is exact to the millimetre (measured in crs.test.ts). The GCJ-02 formula itself is the
 *   public reverse-engineered one, which agrees with the official offsets to about 1 m; that is the
 *   accuracy to state for converted data. Outside China's box gcoord leaves coordinates unchanged, as the
 *   official offset does.
 */
import gcoord from 'gcoord';
import { CimError } from '../errors.ts';

export const CRS_NAMES = ['wgs84', 'cgcs2000', 'gcj02', 'bd09'] as const;
export type CrsName = (typeof CRS_NAMES)[number];

const ALIASES: Record<string, CrsName> = {
  wgs84: 'wgs84',
  epsg4326: 'wgs84',
  '4326': 'wgs84',
  crs84: 'wgs84',
  urnogcdefcrsogc13crs84: 'wgs84',
  urnogcdefcrsogc13: 'wgs84',
  urnogcdefcrsepsg4326: 'wgs84',
  httpwwwopengisnetdefcrsepsg04326: 'wgs84',
  cgcs2000: 'cgcs2000',
  epsg4490: 'cgcs2000',
  '4490': 'cgcs2000',
  urnogcdefcrsepsg4490: 'cgcs2000',
  httpwwwopengisnetdefcrsepsg04490: 'cgcs2000',
  '2000国家大地坐标系': 'cgcs2000',
  国家2000: 'cgcs2000',
  国家2000坐标系: 'cgcs2000',
  gcj02: 'gcj02',
  火星坐标: 'gcj02',
  火星坐标系: 'gcj02',
  国测局坐标: 'gcj02',
  国测局坐标系: 'gcj02',
  高德坐标: 'gcj02',
  bd09: 'bd09',
  bd09ll: 'bd09',
  百度坐标: 'bd09',
  百度坐标系: 'bd09',
};

/** The name as written in messages: `WGS84`, `CGCS2000 (EPSG:4490)`, `GCJ-02`, `BD-09`. */
export const CRS_LABEL: Record<CrsName, string> = {
  wgs84: 'WGS84 (EPSG:4326)',
  cgcs2000: 'CGCS2000 (EPSG:4490)',
  gcj02: 'GCJ-02',
  bd09: 'BD-09',
};

const SUPPORTED = 'wgs84 (epsg:4326, CRS84), cgcs2000 (epsg:4490), gcj02, bd09';

/** Recognises a CRS name; returns null when it is not one we read. */
export function parseCrsName(name: unknown): CrsName | null {
  if (typeof name !== 'string' && typeof name !== 'number') return null;
  const key = String(name).toLowerCase().replace(/[\s\-_:./]/g, '');
  return ALIASES[key] ?? null;
}

/** Like {@link parseCrsName} but throws a {@link CimError} naming the CRS and the supported ones. */
export function requireCrsName(name: unknown, loc: { file?: string; record?: string; field?: string } = {}): CrsName {
  const c = parseCrsName(name);
  if (!c) {
    throw new CimError(
      `unsupported coordinate reference system ${JSON.stringify(name)}; supported: ${SUPPORTED}. Projected systems (Web Mercator, CGCS2000 Gauss-Krüger zones, local city grids) must be converted to lon/lat first`,
      loc,
    );
  }
  return c;
}

/**
 * Reads the (2008, pre-RFC 7946) GeoJSON `crs` member: `{"type": "name", "properties": {"name": "…"}}`.
 * Returns undefined when there is none; throws when it names a CRS we do not read.
 */
export function geojsonCrsMember(crs: unknown, file: string): CrsName | undefined {
  if (crs === undefined || crs === null) return undefined;
  const o = crs as { type?: unknown; properties?: { name?: unknown; href?: unknown } };
  if (typeof o !== 'object' || !o.properties) throw new CimError(`the crs member must be {"type": "name", "properties": {"name": …}}`, { file, field: 'crs' });
  const name = o.type === 'name' ? o.properties.name : o.properties.href ?? o.properties.name;
  return requireCrsName(name, { file, field: 'crs.properties.name' });
}

type Pair = [number, number];
type Fn = (p: Pair) => Pair;
const { GCJ02, BD09, WGS84 } = gcoord;
const gcjForward: Fn = (p) => gcoord.transform(p, WGS84, GCJ02) as Pair;
const gcjInverse: Fn = (p) => gcoord.transform(p, GCJ02, WGS84) as Pair;
const bdForward: Fn = (p) => gcoord.transform(p, WGS84, BD09) as Pair;
const bdInverse: Fn = (p) => gcoord.transform(p, BD09, WGS84) as Pair;

/** Two more fixed-point steps x ← x − (f(x) − p) after the library's inverse. */
function refine(forward: Fn, p: Pair, x: Pair): Pair {
  let lon = x[0];
  let lat = x[1];
  for (let k = 0; k < 2; k++) {
    const f = forward([lon, lat]);
    lon -= f[0] - p[0];
    lat -= f[1] - p[1];
  }
  return [lon, lat];
}

/**
 * Converts lon/lat in `crs` to WGS84 lon/lat, written into `out` (returned). WGS84 and CGCS2000 pass
 * through unchanged.
 */
export function toWgs84(crs: CrsName, lonDeg: number, latDeg: number, out: number[] = [0, 0]): number[] {
  if (crs === 'wgs84' || crs === 'cgcs2000') {
    out[0] = lonDeg;
    out[1] = latDeg;
    return out;
  }
  const p: Pair = [lonDeg, latDeg];
  const r = crs === 'gcj02' ? refine(gcjForward, p, gcjInverse(p)) : refine(bdForward, p, bdInverse(p));
  out[0] = r[0];
  out[1] = r[1];
  return out;
}

/** WGS84 lon/lat to `crs` (used by tests and by exporters that must write GCJ-02 for web basemaps). */
export function fromWgs84(crs: CrsName, lonDeg: number, latDeg: number): number[] {
  if (crs === 'wgs84' || crs === 'cgcs2000') return [lonDeg, latDeg];
  return crs === 'gcj02' ? gcjForward([lonDeg, latDeg]) : bdForward([lonDeg, latDeg]);
}

/**
 * Checks that a position is a lon/lat pair. Projected coordinates (metres) are the usual mistake, and
 * the message says so.
 */
export function checkLonLat(lon: unknown, lat: unknown, loc: { file?: string; record?: string; field?: string }): void {
  if (typeof lon !== 'number' || typeof lat !== 'number' || !Number.isFinite(lon) || !Number.isFinite(lat)) {
    throw new CimError(`position must be two finite numbers [lon, lat], got [${String(lon)}, ${String(lat)}]`, loc);
  }
  if (Math.abs(lon) > 180 || Math.abs(lat) > 90) {
    throw new CimError(
      `position [${lon}, ${lat}] is not longitude/latitude in degrees${Math.abs(lon) > 1000 || Math.abs(lat) > 1000 ? ' (it looks like projected metres; convert to lon/lat first)' : ''}`,
      loc,
    );
  }
}
