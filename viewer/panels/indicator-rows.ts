/**
 * The indicator panel's view model: every row of the DB37/T 3890 county catalogue (43 rows) with its
 * value(s), star level, the city's target and the gap to the next star, grouped by category, plus an
 * overall summary. Simulated values (the worker session's, and weather spacing / signal timing computed
 * from the device list) come first; stated values (the city's or the scenario's values document) fill
 * the other rows; a stated value that disagrees with a simulated one is refused and reported (the
 * simulated value stays, as sim-core's ValueStore rules). Pure: no DOM.
 */
import { CATALOGUE, CATEGORIES, CITY_LEVEL_MEASURES, measureById } from '../../sim-core/indicators/catalogue.ts';
import { composite, compare, scoreIndicator, type IndicatorScore, type NextStarGap, type ThresholdGap } from '../../sim-core/indicators/scoring.ts';
import type { CityPlan } from '../../sim-core/indicators/targets.ts';
import type { CategoryId, Comparator, Indicator, MeasureUnit } from '../../sim-core/indicators/types.ts';
import { ValueStore, valuesFromCoverage, type ParsedEntry, type SimulatedIndicatorValues } from '../../sim-core/indicators/values.ts';
import { finalTarget } from './city-values.ts';

/** Measures the workbench simulates (session: the first five; page: weather spacing and signal timing). */
export const SIMULATED_MEASURES = [
  'video_hd_coverage',
  'video_camera_health',
  'video_networking',
  'epolice_coverage',
  'nr5g_key_area_coverage',
  'weather_station_spacing',
  'signal_realtime_timing',
] as const;

const SIMULATED = new Set<string>(SIMULATED_MEASURES);

/** One number of a row. */
export interface RowValue {
  measure: string;
  nameZh: string;
  nameEn: string;
  unit: MeasureUnit;
  value: number | null;
  numerator?: number;
  denominator?: number;
  /** Where it came from: the simulation, a stated document, or nowhere. */
  source: 'simulation' | 'stated' | 'none';
}

/** The city's (final) target for one measure of the row. */
export interface RowTarget {
  measure: string;
  op: Comparator;
  value: number;
  unit: MeasureUnit;
  due: string;
  textZh: string;
  /** Whether the current value meets it (null without a value). */
  met: boolean | null;
}

/** One catalogue row as the panel shows it. */
export interface IndicatorRow {
  id: string;
  category: CategoryId;
  nameZh: string;
  nameEn: string;
  lead: boolean;
  grading: Indicator['grading'];
  /** True when a measure of the row is simulated by the workbench (updates live, can be clicked). */
  simulated: boolean;
  status: IndicatorScore['status'];
  stars: number;
  maxStars: number;
  values: RowValue[];
  targets: RowTarget[];
  /** What is missing for the next star; null at the top or for the deduction row. */
  next: NextStarGap | null;
}

/** A city-level measure outside the county table (weather-station spacing): value and target only. */
export interface CityLevelRow {
  measure: string;
  nameZh: string;
  nameEn: string;
  value: RowValue;
  target: RowTarget | null;
}

export interface IndicatorGroup {
  category: CategoryId;
  nameZh: string;
  nameEn: string;
  rows: IndicatorRow[];
}

export interface IndicatorSummary {
  /** Rows of the catalogue (43). */
  rows: number;
  /** Graded rows with a value (scored or partial), and without one. */
  withValue: number;
  missing: number;
  /** Number of graded rows with a value at 0★ … 5★. */
  byStars: [number, number, number, number, number, number];
  /** Highest N with every graded indicator ≥ N★ (sim-core composite, '/' cells exempt). */
  floorStars: number;
  /** Equal-weight score out of 100 over the rows with a value (sim-core composite defaults). */
  weightedScore: number;
  /** Rows fed by the simulation (live). */
  simulatedRows: number;
}

export interface IndicatorModel {
  groups: IndicatorGroup[];
  rows: IndicatorRow[];
  cityLevel: CityLevelRow[];
  summary: IndicatorSummary;
  /** Stated values refused (conflict with a simulated value, bad document): messages naming file and key. */
  errors: string[];
}

export interface IndicatorInput {
  /** Simulated values: the session's `indicators` merged with the page's (weather, signal). */
  simulated: SimulatedIndicatorValues;
  /** Stated values (city file, scenario). */
  stated?: readonly ParsedEntry[];
  /** The city's plan (dated targets), or null. */
  plan?: CityPlan | null;
}

function rowTargets(plan: CityPlan | null, measures: readonly { id: string; unit: MeasureUnit }[], valueOf: (id: string) => number | undefined): RowTarget[] {
  const out: RowTarget[] = [];
  for (const m of measures) {
    const t = finalTarget(plan, m.id);
    if (!t) continue;
    const v = valueOf(m.id);
    out.push({ measure: m.id, op: t.op, value: t.value, unit: m.unit, due: t.due, textZh: t.textZh, met: v === undefined ? null : compare(v, t.op, t.value) });
  }
  return out;
}

/** Builds the model (see the module doc). */
export function buildIndicatorModel(input: IndicatorInput): IndicatorModel {
  const store = new ValueStore();
  const errors: string[] = [];
  // Simulated first, one by one, so that a bad one is named and the rest still count.
  for (const [id, v] of Object.entries(input.simulated)) {
    try {
      store.add(valuesFromCoverage({ [id]: v }, 'simulation'));
    } catch (e) {
      errors.push((e as Error).message);
    }
  }
  for (const e of input.stated ?? []) {
    try {
      store.add([e]);
    } catch (err) {
      errors.push((err as Error).message);
    }
  }
  const plan = input.plan ?? null;
  const valueOf = (id: string) => store.get(id)?.value;
  const scores = CATALOGUE.map((ind) => scoreIndicator(ind, store));
  const rows: IndicatorRow[] = CATALOGUE.map((ind, k) => {
    const s = scores[k]!;
    const values: RowValue[] = ind.measures.map((m) => {
      const e = store.get(m.id);
      return {
        measure: m.id,
        nameZh: m.nameZh,
        nameEn: m.nameEn,
        unit: m.unit,
        value: e ? e.value : null,
        ...(e?.numerator !== undefined ? { numerator: e.numerator, denominator: e.denominator! } : {}),
        source: !e ? 'none' : e.provenance.kind === 'simulation' ? 'simulation' : 'stated',
      };
    });
    return {
      id: ind.id,
      category: ind.category,
      nameZh: ind.nameZh,
      nameEn: ind.nameEn,
      lead: ind.lead,
      grading: ind.grading,
      simulated: ind.measures.some((m) => SIMULATED.has(m.id)),
      status: s.status,
      stars: s.stars,
      maxStars: s.maxStars,
      values,
      targets: rowTargets(plan, ind.measures, valueOf),
      next: s.next ?? null,
    };
  });
  const comp = composite(scores, store.get('info_security_incidents')?.value);
  const byStars: IndicatorSummary['byStars'] = [0, 0, 0, 0, 0, 0];
  let withValue = 0, missing = 0;
  for (const r of rows) {
    if (r.grading === 'deduction') continue;
    if (r.status === 'missing') missing++;
    else {
      withValue++;
      byStars[r.stars]++;
    }
  }
  const groups: IndicatorGroup[] = CATEGORIES.map((c) => ({ category: c.id, nameZh: c.nameZh, nameEn: c.nameEn, rows: rows.filter((r) => r.category === c.id) })).filter((g) => g.rows.length > 0);
  const cityLevel: CityLevelRow[] = CITY_LEVEL_MEASURES.map((m) => {
    const e = store.get(m.id);
    return {
      measure: m.id,
      nameZh: m.nameZh,
      nameEn: m.nameEn,
      value: { measure: m.id, nameZh: m.nameZh, nameEn: m.nameEn, unit: m.unit, value: e ? e.value : null, source: !e ? 'none' : e.provenance.kind === 'simulation' ? 'simulation' : 'stated' },
      target: rowTargets(plan, [m], valueOf)[0] ?? null,
    };
  });
  return {
    groups,
    rows,
    cityLevel,
    summary: {
      rows: rows.length,
      withValue,
      missing,
      byStars,
      floorStars: comp.floorStars,
      weightedScore: comp.weighted.score,
      simulatedRows: rows.filter((r) => r.simulated).length,
    },
    errors,
  };
}

/** The star glyphs of a level: filled ★ for the level reached, hollow ☆ up to the row's maximum. */
export function starGlyphs(stars: number, maxStars: number): string {
  const s = Math.max(0, Math.min(stars, maxStars));
  return '★'.repeat(s) + '☆'.repeat(Math.max(0, maxStars - s));
}

/**
 * The gap sentence of a row in one language: the first way to the next star (an OR cell gives several;
 * the one with the fewest unmet thresholds), its unmet thresholds joined, each said in items where
 * sim-core can ("还需 4 个重点公共区域实现5G覆盖…"). Null at the top or without a gap.
 */
export function gapText(next: NextStarGap | null, lang: 'zh-CN' | 'en'): string | null {
  if (!next || next.alternatives.length === 0) return null;
  let best = next.alternatives[0]!;
  for (const a of next.alternatives) if (a.length < best.length) best = a;
  if (best.length === 0) return null;
  const one = (g: ThresholdGap) => (lang === 'en' ? (g.items?.en ?? g.en) : (g.items?.zh ?? g.zh));
  return best.map(one).join(lang === 'en' ? '; ' : ';');
}

/** Name of a measure or row in one language. */
export function nameIn(x: { nameZh: string; nameEn: string }, lang: 'zh-CN' | 'en'): string {
  return lang === 'en' ? x.nameEn : x.nameZh;
}

/** The row that a measure id belongs to (for the session's `indicators` keys). */
export function rowOfMeasure(measureId: string): string | null {
  return measureById(measureId)?.indicator?.id ?? null;
}
