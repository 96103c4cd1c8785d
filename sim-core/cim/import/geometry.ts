/**
 * Reading GeoJSON geometry (RFC 7946) into flat WGS84 lon/lat lists, converting from the file's CRS,
 * with errors that name the coordinate path (`geometry.coordinates[0][5]`).
 */
import { CimError } from '../errors.ts';
import { checkLonLat, toWgs84, type CrsName } from './crs.ts';
import type { LngLatPolygon } from './records.ts';

export interface GeometryContext {
  file: string;
  record: string;
  crs: CrsName;
}

const scratch = [0, 0];

function err(g: GeometryContext, field: string, reason: string): CimError {
  return new CimError(reason, { file: g.file, record: g.record, field });
}

/** One position → pushes WGS84 lon,lat onto `out`. */
export function readPosition(pos: unknown, g: GeometryContext, field: string, out: number[]): void {
  if (!Array.isArray(pos) || pos.length < 2) throw err(g, field, `a position must be [lon, lat] or [lon, lat, height], got ${JSON.stringify(pos)}`);
  checkLonLat(pos[0], pos[1], { file: g.file, record: g.record, field });
  toWgs84(g.crs, pos[0] as number, pos[1] as number, scratch);
  out.push(scratch[0], scratch[1]);
}

/** A LineString's coordinates → flat lon,lat (at least 2 positions). */
export function readLine(coords: unknown, g: GeometryContext, field: string): number[] {
  if (!Array.isArray(coords) || coords.length < 2) throw err(g, field, `a line needs at least 2 positions, got ${Array.isArray(coords) ? coords.length : JSON.stringify(coords)}`);
  const out: number[] = [];
  coords.forEach((p, i) => readPosition(p, g, `${field}[${i}]`, out));
  return out;
}

/**
 * A linear ring → flat lon,lat, closed as in the source. RFC 7946 §3.1.6: a ring has at least four
 * positions and its first and last are identical; an unclosed ring is an error (we do not guess
 * whether the last edge is missing or the ring was cut).
 */
export function readRing(coords: unknown, g: GeometryContext, field: string): number[] {
  if (!Array.isArray(coords)) throw err(g, field, `a ring must be an array of positions, got ${JSON.stringify(coords)}`);
  if (coords.length < 4) throw err(g, field, `a ring needs at least 4 positions (3 corners and the closing one), got ${coords.length}`);
  const first = coords[0] as unknown[];
  const last = coords[coords.length - 1] as unknown[];
  if (!Array.isArray(first) || !Array.isArray(last) || first[0] !== last[0] || first[1] !== last[1]) {
    throw err(
      g,
      field,
      `ring is not closed: the first position ${JSON.stringify(first)} differs from the last ${JSON.stringify(last)} (RFC 7946 §3.1.6: a ring repeats its first position at the end)`,
    );
  }
  const out: number[] = [];
  coords.forEach((p, i) => readPosition(p, g, `${field}[${i}]`, out));
  return out;
}

/** A Polygon's coordinates → rings. */
export function readPolygon(coords: unknown, g: GeometryContext, field: string): LngLatPolygon {
  if (!Array.isArray(coords) || coords.length === 0) throw err(g, field, 'a polygon needs at least one ring');
  return coords.map((r, i) => readRing(r, g, `${field}[${i}]`));
}

/** Polygon or MultiPolygon geometry → polygons. */
export function readPolygons(geometry: { type: string; coordinates: unknown }, g: GeometryContext): LngLatPolygon[] {
  if (geometry.type === 'Polygon') return [readPolygon(geometry.coordinates, g, 'geometry.coordinates')];
  if (geometry.type === 'MultiPolygon') {
    const c = geometry.coordinates;
    if (!Array.isArray(c) || c.length === 0) throw err(g, 'geometry.coordinates', 'a MultiPolygon needs at least one polygon');
    return c.map((p, i) => readPolygon(p, g, `geometry.coordinates[${i}]`));
  }
  throw err(g, 'geometry.type', `expected Polygon or MultiPolygon, got ${geometry.type}`);
}

/** LineString or MultiLineString geometry → lines. */
export function readLines(geometry: { type: string; coordinates: unknown }, g: GeometryContext): number[][] {
  if (geometry.type === 'LineString') return [readLine(geometry.coordinates, g, 'geometry.coordinates')];
  if (geometry.type === 'MultiLineString') {
    const c = geometry.coordinates;
    if (!Array.isArray(c) || c.length === 0) throw err(g, 'geometry.coordinates', 'a MultiLineString needs at least one line');
    return c.map((l, i) => readLine(l, g, `geometry.coordinates[${i}]`));
  }
  throw err(g, 'geometry.type', `expected LineString or MultiLineString, got ${geometry.type}`);
}

/** Point geometry → [lon, lat]. */
export function readPoint(geometry: { type: string; coordinates: unknown }, g: GeometryContext): [number, number] {
  if (geometry.type !== 'Point') throw err(g, 'geometry.type', `expected Point, got ${geometry.type}`);
  const out: number[] = [];
  readPosition(geometry.coordinates, g, 'geometry.coordinates', out);
  return [out[0], out[1]];
}

/** Reverses a flat x,y (or lon,lat) polyline in place. */
export function reverseLine(l: number[]): void {
  for (let i = 0, j = l.length - 2; i < j; i += 2, j -= 2) {
    const x = l[i];
    const y = l[i + 1];
    l[i] = l[j];
    l[i + 1] = l[j + 1];
    l[j] = x;
    l[j + 1] = y;
  }
}
