/**
 * Scoring against the DB37/T 3890 county table: star level per indicator, the gap to the next star
 * (in the indicator's own units and, for count-based rates with numerator/denominator, in items),
 * and a configurable composite.
 *
 * What the seeds define and what they do not (DIGEST §0, §b, §e.7):
 * - defined: per-indicator star thresholds; the 信息安全 deduction of 2% of the total indicator score
 *   (指标总分值) per leak incident (001@17113); Zoucheng's goals "综合指标 four-star" (001@684) and
 *   "各项指标…达到四星及以上" (001@6539).
 * - NOT defined: weights, points per star, how '/' cells count, any special rule for ★ lead indicators,
 *   how text-graded rows mix with rates. These are {@link CompositeOptions}, with stated defaults
 *   ({@link DEFAULT_COMPOSITE_OPTIONS}).
 *
 * Star rule: an indicator's star is the highest level whose cell condition holds (levels are read
 * from ★5 down; '/' cells are skipped). For monotone numeric rows this equals "every lower graded
 * level also holds"; it matters only for the OR rows 工作试点 / 宣传体验.
 */
import { CATALOGUE, DEDUCTION, gradedLevels, indicatorById, maxStars, measureById } from './catalogue.ts';
import type { Comparator, Condition, Indicator, Measure, Threshold, ValueEntry } from './types.ts';

/** Relative tolerance for threshold comparisons (so that 3/10 × 100 = 30.000000000000004 still "reaches 30" but does not "exceed 30"). */
export const COMPARE_EPSILON = 1e-9;

export function compare(v: number, op: Comparator, t: number): boolean {
  const eps = COMPARE_EPSILON * Math.max(1, Math.abs(t));
  switch (op) {
    case '>=':
      return v >= t - eps;
    case '>':
      return v > t + eps;
    case '<=':
      return v <= t + eps;
    case '<':
      return v < t - eps;
  }
}

/** A value lookup: measure id → value entry (or a plain number). */
export type ValueLookup = (measureId: string) => ValueEntry | number | undefined;

/** Accepts a lookup function, a map, a record of numbers, or anything with `get(id)` (e.g. a ValueStore). */
export type ValuesInput =
  | ValueLookup
  | ReadonlyMap<string, ValueEntry | number>
  | Readonly<Record<string, ValueEntry | number>>
  | { get(measureId: string): ValueEntry | undefined };

export function toLookup(values: ValuesInput): ValueLookup {
  if (typeof values === 'function') return values;
  if (values instanceof Map) return (id) => values.get(id);
  if (typeof (values as { get?: unknown }).get === 'function') return (id) => (values as { get(id: string): ValueEntry | undefined }).get(id);
  const rec = values as Readonly<Record<string, ValueEntry | number>>;
  return (id) => (Object.prototype.hasOwnProperty.call(rec, id) ? rec[id] : undefined);
}

function entryOf(v: ValueEntry | number | undefined): ValueEntry | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'number') return { measure: '', value: v, provenance: { kind: 'hand', source: 'inline', origin: 'inline' } };
  return v;
}

/** How a text-graded row's `levelsMet` list becomes a level. */
export type HandLevelReading = 'literal' | 'cumulative';

/** Value of a measure, applying the hand-level reading when the entry lists the levels met. */
function numericValue(ind: Indicator | null, e: ValueEntry | undefined, reading: HandLevelReading): number | undefined {
  if (!e) return undefined;
  if (e.levelsMet && ind && ind.grading === 'hand-level') {
    const met = new Set(e.levelsMet);
    if (reading === 'literal') return e.levelsMet.length ? Math.max(...e.levelsMet) : 0;
    let level = 0;
    for (const n of gradedLevels(ind)) {
      if (met.has(n)) level = n;
      else break;
    }
    return level;
  }
  return e.value;
}

/** Three-valued evaluation: `undefined` when a needed value is missing. */
export function evalCondition(c: Condition, get: (measureId: string) => number | undefined): boolean | undefined {
  if ('all' in c) {
    let unknown = false;
    for (const x of c.all) {
      const r = evalCondition(x, get);
      if (r === false) return false;
      if (r === undefined) unknown = true;
    }
    return unknown ? undefined : true;
  }
  if ('any' in c) {
    let unknown = false;
    for (const x of c.any) {
      const r = evalCondition(x, get);
      if (r === true) return true;
      if (r === undefined) unknown = true;
    }
    return unknown ? undefined : false;
  }
  const v = get(c.measure);
  if (v === undefined) return undefined;
  return compare(v, c.op, c.value);
}

/** Measures a condition reads. */
export function conditionMeasures(c: Condition): string[] {
  if ('all' in c) return [...new Set(c.all.flatMap(conditionMeasures))];
  if ('any' in c) return [...new Set(c.any.flatMap(conditionMeasures))];
  return [c.measure];
}

/** One unmet threshold on the way to the next star. */
export interface ThresholdGap {
  measure: string;
  op: Comparator;
  threshold: number;
  /** Current value; absent when no value was given. */
  current?: number;
  /** Shortfall in the measure's own unit (for '>' on whole numbers: up to threshold + 1). */
  shortfall?: number;
  /** For count-based rates with numerator/denominator: how many more items are needed. */
  items?: { count: number; unit?: string; zh: string; en: string };
  zh: string;
  en: string;
}

export interface NextStarGap {
  star: number;
  /** Alternatives (OR cells give several); each alternative lists the thresholds still unmet (AND). */
  alternatives: ThresholdGap[][];
}

export interface IndicatorScore {
  id: string;
  nameZh: string;
  nameEn: string;
  category: Indicator['category'];
  lead: boolean;
  grading: Indicator['grading'];
  /** 'scored': all needed values present; 'partial': some part missing (star may be higher); 'missing': no value. */
  status: 'scored' | 'partial' | 'missing' | 'deduction';
  /** Achieved star level, 0 = below the lowest graded level (or no value). */
  stars: number;
  maxStars: number;
  gradedLevels: number[];
  /** Levels that could not be decided for lack of a value. */
  undetermined: number[];
  missingMeasures: string[];
  next?: NextStarGap;
  values: Array<{ measure: string; value: number; numerator?: number; denominator?: number; entry: ValueEntry }>;
  uncertain?: string;
}

const UNIT_ZH: Record<Measure['unit'], string> = { percent: '%', count: '个', 'Mbit/s': 'Mbit/s', level: '级', flag: '', km: '公里' };
const UNIT_EN: Record<Measure['unit'], string> = { percent: '%', count: '', 'Mbit/s': ' Mbit/s', level: '', flag: '', km: ' km' };
const OP_ZH: Record<Comparator, string> = { '>=': '达到', '>': '超过', '<=': '不高于', '<': '小于' };
const OP_EN: Record<Comparator, string> = { '>=': 'reach', '>': 'exceed', '<=': 'be at most', '<': 'be below' };

export function fmtNumber(x: number, maxDecimals = 2): string {
  const r = Math.round(x * 10 ** maxDecimals) / 10 ** maxDecimals;
  return Object.is(r, -0) ? '0' : String(r);
}

function shortfallUnitZh(m: Measure): string {
  return m.unit === 'percent' ? '个百分点' : UNIT_ZH[m.unit];
}
function shortfallUnitEn(m: Measure): string {
  return m.unit === 'percent' ? ' percentage points' : UNIT_EN[m.unit];
}

function thresholdGap(t: Threshold, star: number, e: ValueEntry | undefined, current: number | undefined): ThresholdGap {
  const info = measureById(t.measure);
  const m = info!.measure;
  const base = { measure: t.measure, op: t.op, threshold: t.value };
  const target = `${OP_ZH[t.op]}${fmtNumber(t.value)}${UNIT_ZH[m.unit]}`;
  const targetEn = `${OP_EN[t.op]} ${fmtNumber(t.value)}${UNIT_EN[m.unit]}`;
  if (current === undefined) {
    return { ...base, zh: `需提供“${m.nameZh}”的数值(★${star}要求${target})`, en: `no value for ${m.id}; ★${star} needs it to ${targetEn}` };
  }
  let shortfall: number;
  if (t.op === '>=' || t.op === '>') {
    shortfall = t.op === '>' && m.integer ? t.value + 1 - current : t.value - current;
  } else {
    shortfall = t.op === '<' && m.integer ? current - (t.value - 1) : current - t.value;
  }
  const strict = (t.op === '>' || t.op === '<') && !m.integer;
  const gap: ThresholdGap = {
    ...base,
    current,
    shortfall,
    zh: `“${m.nameZh}”需${target}才能达到★${star}(当前${fmtNumber(current)}${UNIT_ZH[m.unit]},${strict ? '须多于' : '还差'}${fmtNumber(shortfall)}${shortfallUnitZh(m)})`,
    en: `${m.id} must ${targetEn} for ★${star} (now ${fmtNumber(current)}${UNIT_EN[m.unit]}, ${strict ? 'more than ' : ''}${fmtNumber(shortfall)}${shortfallUnitEn(m)} short)`,
  };
  // Concrete items for count-based rates.
  const c = m.counted;
  if (c && m.unit === 'percent' && (t.op === '>=' || t.op === '>')) {
    let num = e?.numerator;
    let den = e?.denominator;
    if ((num === undefined || den === undefined) && m.fixedDenominator !== undefined) {
      den = m.fixedDenominator;
      num = Math.round((current * den) / 100);
    }
    if (num !== undefined && den !== undefined && den > 0) {
      const need = (t.value * den) / 100 - num;
      const eps = COMPARE_EPSILON * Math.max(1, Math.abs(need));
      let count: number;
      if (c.integer) count = t.op === '>=' ? Math.ceil(need - eps) : Math.floor(need + eps) + 1;
      else count = need;
      if (count > 0 && num + count <= den + eps) {
        const n = c.integer ? String(count) : fmtNumber(count);
        const more = !c.integer && t.op === '>' ? '超过' : '';
        const moreEn = !c.integer && t.op === '>' ? 'more than ' : '';
        const one = c.integer && count === 1;
        const noun = one ? c.enOne : c.en;
        const action = one ? c.enAction.replace(/^need /, 'needs ') : c.enAction;
        gap.items = {
          count,
          ...(c.unit ? { unit: c.unit } : {}),
          zh: `还需${more} ${n} ${c.zh}${c.zhAction}才能达到★${star}`,
          en: `${moreEn}${n} more ${noun} ${action} for ★${star}`,
        };
      }
    }
  }
  return gap;
}

function gapsFor(
  c: Condition,
  star: number,
  get: (id: string) => number | undefined,
  entry: (id: string) => ValueEntry | undefined,
): ThresholdGap[][] {
  if ('all' in c) {
    let acc: ThresholdGap[][] = [[]];
    for (const x of c.all) {
      const alts = gapsFor(x, star, get, entry);
      const next: ThresholdGap[][] = [];
      for (const a of acc) for (const b of alts) next.push([...a, ...b]);
      acc = next;
    }
    return acc;
  }
  if ('any' in c) {
    const alts = c.any.flatMap((x) => gapsFor(x, star, get, entry));
    if (alts.some((a) => a.length === 0)) return [[]];
    return alts;
  }
  const v = get(c.measure);
  if (v !== undefined && compare(v, c.op, c.value)) return [[]];
  return [[thresholdGap(c, star, entry(c.measure), v)]];
}

export interface ScoreOptions {
  handLevelReading?: HandLevelReading;
}

/** Score one indicator row. */
export function scoreIndicator(ind: Indicator, values: ValuesInput, opts: ScoreOptions = {}): IndicatorScore {
  const reading = opts.handLevelReading ?? DEFAULT_COMPOSITE_OPTIONS.handLevelReading;
  const look = toLookup(values);
  const entry = (id: string) => {
    const e = entryOf(look(id));
    return e ? { ...e, measure: id } : undefined;
  };
  const get = (id: string) => numericValue(ind, entry(id), reading);
  const present = ind.measures.filter((m) => get(m.id) !== undefined);
  const missingMeasures = ind.measures.filter((m) => get(m.id) === undefined).map((m) => m.id);
  const vals = present.map((m) => {
    const e = entry(m.id)!;
    return {
      measure: m.id,
      value: get(m.id)!,
      ...(e.numerator !== undefined ? { numerator: e.numerator, denominator: e.denominator! } : {}),
      entry: e,
    };
  });
  const common = {
    id: ind.id,
    nameZh: ind.nameZh,
    nameEn: ind.nameEn,
    category: ind.category,
    lead: ind.lead,
    grading: ind.grading,
    maxStars: maxStars(ind),
    gradedLevels: gradedLevels(ind),
    missingMeasures,
    values: vals,
    ...(ind.uncertain ? { uncertain: ind.uncertain } : {}),
  };
  if (ind.grading === 'deduction') return { ...common, status: 'deduction', stars: 0, undetermined: [] };
  if (present.length === 0) {
    const first = gradedLevels(ind)[0]!;
    return {
      ...common,
      status: 'missing',
      stars: 0,
      undetermined: gradedLevels(ind),
      next: { star: first, alternatives: gapsFor(ind.stars[first - 1]!.condition, first, get, entry) },
    };
  }
  let stars = 0;
  const undetermined: number[] = [];
  for (let n = 5; n >= 1; n--) {
    const cell = ind.stars[n - 1];
    if (!cell) continue;
    const r = evalCondition(cell.condition, get);
    if (r === true) {
      stars = n;
      break;
    }
    if (r === undefined) undetermined.push(n);
  }
  undetermined.reverse();
  const nextLevel = gradedLevels(ind).find((n) => n > stars);
  const next = nextLevel ? { star: nextLevel, alternatives: gapsFor(ind.stars[nextLevel - 1]!.condition, nextLevel, get, entry) } : undefined;
  return { ...common, status: undetermined.length ? 'partial' : 'scored', stars, undetermined, ...(next ? { next } : {}) };
}

// ---------------------------------------------------------------------------------------------
// Composite

/**
 * Composite settings. The seeds define none of these (DIGEST §e.7); the defaults are stated choices.
 */
export interface CompositeOptions {
  /**
   * Weight per indicator row id. Default: 1 for each of the 42 graded rows (equal weights), because
   * the weights of DB37/T 3890 ("4 指标权重") are not in the seeds (DIGEST §b).
   */
  weights?: Readonly<Record<string, number>>;
  /**
   * Share of an indicator's weight earned at 0★..5★. Default linear: [0, 0.2, 0.4, 0.6, 0.8, 1].
   */
  pointsPerStar?: readonly [number, number, number, number, number, number];
  /**
   * How a '/' cell counts in "every graded indicator ≥ N★". Default `'exempt'`: an indicator whose ★N
   * cell is '/' sets no requirement at level N (the table prints no condition there). `'strict'`: it
   * must still reach N★ through a higher graded level.
   */
  slashCells?: 'exempt' | 'strict';
  /**
   * Indicators without a value. Default `'exclude'`: left out of the weighted score (the report says
   * how many were counted) and "undetermined" in the "all ≥ N★" test. `'zero'`: counted as 0★.
   */
  missing?: 'exclude' | 'zero';
  /** Percent of the total score deducted per 信息安全 incident. Default 2 (001@17113). */
  deductionPercentPerIncident?: number;
  /**
   * What the 2% is taken of. Default `'maximum'`: 指标总分值 read as the full score (100), so each
   * incident removes 2 points. `'achieved'`: 2% of the score reached before the deduction.
   */
  deductionBase?: 'maximum' | 'achieved';
  /** Text-graded rows given as `levelsMet`: highest literal level met (default) or highest level with all lower levels met. */
  handLevelReading?: HandLevelReading;
}

export const DEFAULT_COMPOSITE_OPTIONS = {
  pointsPerStar: [0, 0.2, 0.4, 0.6, 0.8, 1] as const,
  slashCells: 'exempt' as const,
  missing: 'exclude' as const,
  deductionPercentPerIncident: DEDUCTION.percentOfTotalPerIncident,
  deductionBase: 'maximum' as const,
  handLevelReading: 'literal' as const,
};

export interface AllAtLeast {
  stars: number;
  /** pass: every required indicator has a value and reaches N★; fail: at least one is below; undetermined: none below but some missing. */
  status: 'pass' | 'fail' | 'undetermined';
  failing: string[];
  missing: string[];
  /** Indicators exempt at this level because their ★N cell is '/'. */
  exempt: string[];
}

export interface CompositeResult {
  allAtLeast: AllAtLeast[];
  /** Highest N for which "every graded indicator ≥ N★" passes (0 if none). */
  floorStars: number;
  weighted: {
    /** Score out of 100 after the deduction (never below 0). */
    score: number;
    beforeDeduction: number;
    deduction: number;
    incidents: number;
    incidentsGiven: boolean;
    counted: number;
    missing: number;
    total: number;
  };
  options: Required<Omit<CompositeOptions, 'weights'>> & { weights: 'equal' | Record<string, number> };
  notes: string[];
}

export class CompositeOptionsError extends Error {}

export function validateCompositeOptions(o: CompositeOptions): void {
  if (o.weights) {
    for (const [k, w] of Object.entries(o.weights)) {
      const ind = indicatorById(k);
      if (!ind) throw new CompositeOptionsError(`weights: unknown indicator id "${k}"`);
      if (ind.grading === 'deduction') throw new CompositeOptionsError(`weights: "${k}" is the deduction item and has no weight`);
      if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) throw new CompositeOptionsError(`weights: "${k}": ${String(w)} must be a number ≥ 0`);
    }
  }
  if (o.pointsPerStar) {
    if (o.pointsPerStar.length !== 6 || o.pointsPerStar.some((p) => typeof p !== 'number' || !Number.isFinite(p) || p < 0 || p > 1)) {
      throw new CompositeOptionsError('pointsPerStar: give 6 numbers in 0–1 for 0★..5★');
    }
  }
  if (o.slashCells && o.slashCells !== 'exempt' && o.slashCells !== 'strict') throw new CompositeOptionsError(`slashCells: "${String(o.slashCells)}" must be exempt or strict`);
  if (o.missing && o.missing !== 'exclude' && o.missing !== 'zero') throw new CompositeOptionsError(`missing: "${String(o.missing)}" must be exclude or zero`);
  if (o.deductionBase && o.deductionBase !== 'maximum' && o.deductionBase !== 'achieved') {
    throw new CompositeOptionsError(`deductionBase: "${String(o.deductionBase)}" must be maximum or achieved`);
  }
  if (o.handLevelReading && o.handLevelReading !== 'literal' && o.handLevelReading !== 'cumulative') {
    throw new CompositeOptionsError(`handLevelReading: "${String(o.handLevelReading)}" must be literal or cumulative`);
  }
  const d = o.deductionPercentPerIncident;
  if (d !== undefined && (typeof d !== 'number' || !Number.isFinite(d) || d < 0 || d > 100)) {
    throw new CompositeOptionsError('deductionPercentPerIncident: must be a number in 0–100');
  }
}

export function composite(scores: readonly IndicatorScore[], incidents: number | undefined, opts: CompositeOptions = {}): CompositeResult {
  validateCompositeOptions(opts);
  const o = { ...DEFAULT_COMPOSITE_OPTIONS, ...stripUndefined(opts) };
  const graded = scores.filter((s) => s.grading !== 'deduction');
  const allAtLeast: AllAtLeast[] = [];
  for (let n = 1; n <= 5; n++) {
    const failing: string[] = [];
    const missing: string[] = [];
    const exempt: string[] = [];
    for (const s of graded) {
      if (!s.gradedLevels.includes(n) && o.slashCells === 'exempt') {
        exempt.push(s.id);
        continue;
      }
      if (s.stars >= n) continue;
      if (s.status === 'missing') {
        if (o.missing === 'zero') failing.push(s.id);
        else missing.push(s.id);
        continue;
      }
      // Partial: the missing part might still lift it to N★.
      if (s.status === 'partial' && s.undetermined.some((u) => u >= n)) {
        if (o.missing === 'zero') failing.push(s.id);
        else missing.push(s.id);
        continue;
      }
      failing.push(s.id);
    }
    allAtLeast.push({ stars: n, status: failing.length ? 'fail' : missing.length ? 'undetermined' : 'pass', failing, missing, exempt });
  }
  let floorStars = 0;
  for (const a of allAtLeast) {
    if (a.status === 'pass') floorStars = a.stars;
    else break;
  }
  let sumW = 0;
  let sumP = 0;
  let counted = 0;
  let missingCount = 0;
  for (const s of graded) {
    const w = opts.weights ? (opts.weights[s.id] ?? 0) : 1;
    if (s.status === 'missing' && o.missing === 'exclude') {
      missingCount++;
      continue;
    }
    if (s.status === 'missing') missingCount++;
    counted++;
    sumW += w;
    sumP += w * o.pointsPerStar[s.stars]!;
  }
  const before = sumW > 0 ? (100 * sumP) / sumW : 0;
  const k = incidents ?? 0;
  const deduction = o.deductionBase === 'maximum' ? (k * o.deductionPercentPerIncident * 100) / 100 : (before * k * o.deductionPercentPerIncident) / 100;
  const score = Math.max(0, before - deduction);
  const notes = [
    'The seeds define no composite, weights or points per star (DIGEST §b, §e.7); both "every graded indicator ≥ N★" and a weighted score are shown.',
    `Weighted score: ${opts.weights ? 'weights as configured' : 'equal weights for the 42 graded indicators'}, points per star ${o.pointsPerStar.join('/')}, out of 100.`,
    `'/' cells in "all ≥ N★": ${o.slashCells === 'exempt' ? "exempt (no requirement printed at that level)" : 'strict (the indicator must still reach N★)'}.`,
    `Missing values: ${o.missing === 'exclude' ? `excluded (${missingCount} of ${graded.length} graded indicators have no value)` : 'counted as 0★'}.`,
    `信息安全 deduction: ${o.deductionPercentPerIncident}% per incident of ${o.deductionBase === 'maximum' ? 'the full score (100)' : 'the score reached'} (001@17113)${incidents === undefined ? '; no incident count given, assumed 0' : ''}.`,
    '★ lead indicators (引领性指标) carry no special rule in the seeds; they are flagged only.',
  ];
  return {
    allAtLeast,
    floorStars,
    weighted: {
      score: round6(score),
      beforeDeduction: round6(before),
      deduction: round6(Math.min(deduction, before)),
      incidents: k,
      incidentsGiven: incidents !== undefined,
      counted,
      missing: missingCount,
      total: graded.length,
    },
    options: {
      pointsPerStar: o.pointsPerStar as CompositeResult['options']['pointsPerStar'],
      slashCells: o.slashCells,
      missing: o.missing,
      deductionPercentPerIncident: o.deductionPercentPerIncident,
      deductionBase: o.deductionBase,
      handLevelReading: o.handLevelReading,
      weights: opts.weights ? { ...opts.weights } : 'equal',
    },
    notes,
  };
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Score every row of the catalogue and the composite. */
export function scoreAll(values: ValuesInput, opts: CompositeOptions = {}): { indicators: IndicatorScore[]; composite: CompositeResult } {
  validateCompositeOptions(opts);
  const so: ScoreOptions = opts.handLevelReading ? { handLevelReading: opts.handLevelReading } : {};
  const indicators = CATALOGUE.map((ind) => scoreIndicator(ind, values, so));
  const look = toLookup(values);
  const inc = entryOf(look(DEDUCTION.measureId))?.value;
  return { indicators, composite: composite(indicators, inc, opts) };
}


