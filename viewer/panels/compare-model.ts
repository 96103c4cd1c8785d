/**
 * Scenario A vs B: per-indicator deltas (each number, and the star level) between two indicator models,
 * and the device diff (added, removed, changed with the fields that changed). Pure.
 */
import type { DeviceFeature } from '../api/client.ts';
import type { IndicatorModel, IndicatorRow } from './indicator-rows.ts';

/** One number of a row on both sides. */
export interface MeasureDelta {
  measure: string;
  nameZh: string;
  nameEn: string;
  unit: IndicatorRow['values'][number]['unit'];
  a: number | null;
  b: number | null;
  /** b − a; null when either side has no value. */
  delta: number | null;
}

export interface IndicatorDelta {
  id: string;
  nameZh: string;
  nameEn: string;
  simulated: boolean;
  measures: MeasureDelta[];
  starsA: number;
  starsB: number;
  /** starsB − starsA. */
  starDelta: number;
  /** A number or the star level differs. */
  changed: boolean;
}

/** Values closer than this are the same (percentages to 1e-9). */
const SAME = 1e-9;

/** Deltas row by row, in catalogue order, plus the city-level rows (weather spacing) as rows without stars. */
export function indicatorDeltas(a: IndicatorModel, b: IndicatorModel): IndicatorDelta[] {
  const byId = new Map(b.rows.map((r) => [r.id, r]));
  const out: IndicatorDelta[] = [];
  const measures = (va: IndicatorRow['values'], vb: IndicatorRow['values']): MeasureDelta[] =>
    va.map((x, k) => {
      const y = vb[k];
      const bv = y ? y.value : null;
      return { measure: x.measure, nameZh: x.nameZh, nameEn: x.nameEn, unit: x.unit, a: x.value, b: bv, delta: x.value !== null && bv !== null ? bv - x.value : null };
    });
  const differs = (m: MeasureDelta[]) => m.some((d) => (d.delta !== null ? Math.abs(d.delta) > SAME : (d.a === null) !== (d.b === null)));
  for (const ra of a.rows) {
    const rb = byId.get(ra.id);
    if (!rb) throw new Error(`compare: row '${ra.id}' is missing on side B`);
    const m = measures(ra.values, rb.values);
    out.push({ id: ra.id, nameZh: ra.nameZh, nameEn: ra.nameEn, simulated: ra.simulated, measures: m, starsA: ra.stars, starsB: rb.stars, starDelta: rb.stars - ra.stars, changed: rb.stars !== ra.stars || differs(m) });
  }
  for (const ca of a.cityLevel) {
    const cb = b.cityLevel.find((x) => x.measure === ca.measure);
    const m = measures([ca.value], cb ? [cb.value] : []);
    out.push({ id: ca.measure, nameZh: ca.nameZh, nameEn: ca.nameEn, simulated: true, measures: m, starsA: 0, starsB: 0, starDelta: 0, changed: differs(m) });
  }
  return out;
}

/** A device present on both sides whose position or properties differ. */
export interface ChangedDevice {
  id: string;
  /** 'position' and the property names that differ, sorted. */
  fields: string[];
}

export interface DeviceDiff {
  /** On B only. */
  added: string[];
  /** On A only. */
  removed: string[];
  changed: ChangedDevice[];
  unchanged: number;
}

/** Positions closer than this (degrees, ~1 cm) are the same. */
const SAME_DEG = 1e-7;

function stable(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'undefined';
  if (Array.isArray(v)) return `[${v.map(stable).join(',')}]`;
  return `{${Object.keys(v as object)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${stable((v as Record<string, unknown>)[k])}`)
    .join(',')}}`;
}

/** What differs between the device lists A and B, by id (ids sorted). */
export function deviceDiff(a: readonly DeviceFeature[], b: readonly DeviceFeature[]): DeviceDiff {
  const ma = new Map(a.map((d) => [d.id, d]));
  const mb = new Map(b.map((d) => [d.id, d]));
  const added = [...mb.keys()].filter((id) => !ma.has(id)).sort();
  const removed = [...ma.keys()].filter((id) => !mb.has(id)).sort();
  const changed: ChangedDevice[] = [];
  let unchanged = 0;
  for (const [id, da] of ma) {
    const db = mb.get(id);
    if (!db) continue;
    const fields: string[] = [];
    const ca = da.geometry.coordinates, cb = db.geometry.coordinates;
    if (ca.length !== cb.length || ca.some((x, k) => Math.abs(x - (cb[k] ?? NaN)) > SAME_DEG || Number.isNaN(cb[k] ?? NaN))) fields.push('position');
    const keys = new Set([...Object.keys(da.properties), ...Object.keys(db.properties)]);
    for (const k of [...keys].sort()) if (stable(da.properties[k]) !== stable(db.properties[k])) fields.push(k);
    if (fields.length) changed.push({ id, fields });
    else unchanged++;
  }
  changed.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  return { added, removed, changed, unchanged };
}
