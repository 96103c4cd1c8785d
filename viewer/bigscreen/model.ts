/**
 * What the big screen shows, computed from the city and the session's results without any DOM (so it
 * is unit-tested): coverage and blind spots by district and by planning scope, alerts from the
 * device changes of a new scenario version, and indicator trends over versions.
 */
import type { DeviceFeature } from '../../sim-core/cim/device-features.ts';
import type { City } from '../../sim-core/cim/types.ts';
import { pointInScope } from '../../sim-core/coverage/weather/spacing.ts';
import type { SessionSnapshotBody } from '../../sim-core/session/session.ts';

/** Coverage of the key areas of one district or scope. */
export interface CoverageRow {
  kind: 'district' | 'scope';
  /** District name (key-area attribute `district`) or scope id. */
  key: string;
  /** What to show: the district's name, or the scope's name (or kind). */
  label: string;
  videoAreas: number;
  videoCovered: number;
  /** Video-set areas not covered: the blind spots. */
  blindSpots: number;
  nr5gAreas: number;
  nr5gCovered: number;
}

/** Rows by district (key areas' `district` attribute; "—" when absent), then by scope (area's first vertex inside the scope). */
export function coverageRows(city: City, results: SessionSnapshotBody): CoverageRow[] {
  const A = city.keyAreas;
  const video = new Map<number, boolean>();
  for (const a of results.video.areas) if (a.inVideoSet) video.set(a.area, a.covered);
  const nr = new Map<number, boolean>();
  for (const a of results.nr5g?.areas ?? []) nr.set(a.area, a.covered);
  const rows = new Map<string, CoverageRow>();
  const row = (kind: CoverageRow['kind'], key: string, label: string) => {
    const k = `${kind}:${key}`;
    let r = rows.get(k);
    if (!r) rows.set(k, (r = { kind, key, label, videoAreas: 0, videoCovered: 0, blindSpots: 0, nr5gAreas: 0, nr5gCovered: 0 }));
    return r;
  };
  const count = (r: CoverageRow, i: number) => {
    const v = video.get(i);
    if (v !== undefined) {
      r.videoAreas++;
      if (v) r.videoCovered++;
      else r.blindSpots++;
    }
    const n = nr.get(i);
    if (n !== undefined) {
      r.nr5gAreas++;
      if (n) r.nr5gCovered++;
    }
  };
  const districts: string[] = [];
  for (let i = 0; i < A.count; i++) {
    const d = A.attrs[i]?.district;
    const key = typeof d === 'string' && d ? d : '—';
    if (!districts.includes(key)) districts.push(key);
  }
  districts.sort((p, q) => (p === '—' ? 1 : q === '—' ? -1 : p < q ? -1 : p > q ? 1 : 0));
  for (const key of districts) row('district', key, key);
  for (let i = 0; i < A.count; i++) {
    const d = A.attrs[i]?.district;
    count(row('district', typeof d === 'string' && d ? d : '—', ''), i);
  }
  for (const s of city.scopes) {
    const r = row('scope', s.id, s.name ?? s.kind);
    for (let i = 0; i < A.count; i++) {
      const v = A.vertexStart[A.ringStart[i]];
      if (pointInScope(s.polygons, A.xyM[2 * v], A.xyM[2 * v + 1])) count(r, i);
    }
  }
  return [...rows.values()].filter((r) => r.videoAreas + r.nr5gAreas > 0);
}

/** Something an operator should see. */
export interface Alert {
  /** Unique, increasing. */
  seq: number;
  kind: 'unhealthy' | 'offline' | 'restored' | 'removed' | 'added' | 'star-down' | 'star-up';
  severity: 'critical' | 'warning' | 'info';
  /** Device id, or the indicator row for star changes. */
  subject: string;
  /** Device type (camera, epolice, cell5g …) or 'indicator'. */
  subjectType: string;
  /** Device name or indicator name, when known. */
  name: string | null;
  version: number;
  /** For star changes: the level before and after. */
  before?: number;
  after?: number;
}

let alertSeq = 0;
const isFalse = (v: unknown) => v === false;
const stateOf = (f: DeviceFeature) => ({ healthy: !isFalse(f.properties.healthy), networked: !isFalse(f.properties.networked) });
const nameOf = (f: DeviceFeature) => (typeof f.properties.name === 'string' ? f.properties.name : null);
const typeOf = (f: DeviceFeature) => String(f.properties.deviceType ?? 'device');

/**
 * The device changes from `before` (by id) to `after`: ids of every changed device (any field), and
 * alerts for the operator: a device that stopped being healthy (critical) or networked (warning), one
 * restored, added or removed.
 */
export function deviceChanges(before: ReadonlyMap<string, DeviceFeature>, after: readonly DeviceFeature[], version: number): { changedIds: string[]; alerts: Alert[] } {
  const changedIds: string[] = [];
  const alerts: Alert[] = [];
  const seen = new Set<string>();
  const alert = (kind: Alert['kind'], severity: Alert['severity'], f: DeviceFeature) => alerts.push({ seq: ++alertSeq, kind, severity, subject: f.id, subjectType: typeOf(f), name: nameOf(f), version });
  for (const f of after) {
    seen.add(f.id);
    const o = before.get(f.id);
    if (!o) {
      changedIds.push(f.id);
      alert('added', 'info', f);
      continue;
    }
    if (JSON.stringify(o.geometry?.coordinates) === JSON.stringify(f.geometry?.coordinates) && JSON.stringify(o.properties) === JSON.stringify(f.properties)) continue;
    changedIds.push(f.id);
    const a = stateOf(o), b = stateOf(f);
    if (a.healthy && !b.healthy) alert('unhealthy', 'critical', f);
    else if (a.networked && !b.networked) alert('offline', 'warning', f);
    else if ((!a.healthy && b.healthy) || (!a.networked && b.networked && b.healthy)) alert('restored', 'info', f);
  }
  for (const [id, o] of before) {
    if (seen.has(id)) continue;
    changedIds.push(id);
    alert('removed', 'warning', o);
  }
  return { changedIds, alerts };
}

/** Alerts for star levels that changed. */
export function starAlerts(changes: readonly { indicator: string; nameZh: string; nameEn: string; stars: number; before: number }[], version: number, lang: 'zh-CN' | 'en'): Alert[] {
  return changes
    .filter((c) => c.stars !== c.before)
    .map((c) => ({ seq: ++alertSeq, kind: c.stars < c.before ? 'star-down' : 'star-up', severity: c.stars < c.before ? 'critical' : 'info', subject: c.indicator, subjectType: 'indicator', name: lang === 'en' ? c.nameEn : c.nameZh, version, before: c.before, after: c.stars }) as Alert);
}

/** One point of an indicator's trend. */
export interface TrendPoint {
  version: number;
  value: number;
}

/** The series with (version, value) set (replacing that version's point), sorted by version, at most `max` points (the latest). */
export function withTrendPoint(series: readonly TrendPoint[], version: number, value: number, max = 12): TrendPoint[] {
  const out = series.filter((p) => p.version !== version);
  out.push({ version, value });
  out.sort((a, b) => a.version - b.version);
  return out.slice(-max);
}

/** A stored indicator value (`{value}` of a coverage job, or a bare number) as a number, or null. */
export function storedValue(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'object' && v !== null && typeof (v as { value?: unknown }).value === 'number') return (v as { value: number }).value;
  return null;
}

/**
 * The indicator values of a stored version's `indicators` (what a coverage job attached): either
 * `{measure: value}` or a report with an `indicators` field of that shape.
 */
export function storedIndicatorValues(indicators: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  if (typeof indicators !== 'object' || indicators === null) return out;
  const o = indicators as Record<string, unknown>;
  const src = typeof o.indicators === 'object' && o.indicators !== null ? (o.indicators as Record<string, unknown>) : o;
  for (const [k, v] of Object.entries(src)) {
    const n = storedValue(v);
    if (n !== null) out[k] = n;
  }
  return out;
}

/** Points of an inline SVG sparkline (viewBox 0 0 100 30) for a series; empty for fewer than two points. */
export function sparklinePoints(series: readonly TrendPoint[]): string {
  if (series.length < 2) return '';
  let lo = Infinity, hi = -Infinity;
  for (const p of series) (lo = Math.min(lo, p.value)), (hi = Math.max(hi, p.value));
  const span = hi - lo || 1;
  return series.map((p, i) => `${((i / (series.length - 1)) * 100).toFixed(1)},${(27 - ((p.value - lo) / span) * 24).toFixed(1)}`).join(' ');
}
