/**
 * Indicator values with provenance.
 *
 * A value comes either from the simulation (`source: 'simulation'`, with the model that computed it)
 * or is entered by hand (with its source and date). The {@link ValueStore} never lets a hand entry
 * replace a simulated value silently: a differing hand entry is an error unless it carries
 * `"override": true` and a `"reason"`, and the override is recorded on the resulting entry.
 *
 * Pure: documents arrive already parsed (JSON.parse is done by the caller); no file access here.
 */
import { measureById, resolveKey, CATALOGUE, CITY_LEVEL_MEASURES, normaliseKey } from './catalogue.ts';
import type { Measure, MeasureUnit, Provenance, ValueEntry } from './types.ts';

/** One simulated value, as the simulation models (camera, 5G, weather, signal timing, …) emit it. */
export interface SimulatedIndicatorValue {
  /** The value in the measure's unit (percentages 0–100). May be omitted when numerator/denominator are given. */
  value: number;
  numerator?: number;
  denominator?: number;
  unit: MeasureUnit;
  source: 'simulation';
  /** The model that computed it, e.g. `camera-coverage`, `nr5g-coverage`, `weather-spacing`. */
  model: string;
  /** ISO timestamp of the computation. */
  computedAt?: string;
}

/**
 * The indicator part of a `cimtwin coverage` report: measure id (e.g. `nr5g_key_area_coverage`,
 * `video_hd_coverage`, `weather_station_spacing`) → simulated value.
 */
export type SimulatedIndicatorValues = { [indicatorId: string]: SimulatedIndicatorValue };

/** A `cimtwin coverage` report, as far as scoring is concerned. */
export interface CoverageReportLike {
  indicators: SimulatedIndicatorValues;
}

/** A hand entry in object form (a bare number is also accepted). */
export interface HandEntryInput {
  value?: number;
  /** Hand-level rows: the levels whose literal text is met. */
  levelsMet?: number[];
  numerator?: number;
  denominator?: number;
  source?: string;
  date?: string;
  note?: string;
  /** Replace a simulated value for the same measure; needs `reason`. */
  override?: boolean;
  reason?: string;
}

/** An input error naming the file, the key and the problem. */
export class ValuesError extends Error {
  readonly file: string;
  readonly key: string | undefined;
  constructor(file: string, key: string | undefined, problem: string) {
    super(key === undefined ? `${file}: ${problem}` : `${file}: key "${key}": ${problem}`);
    this.name = 'ValuesError';
    this.file = file;
    this.key = key;
  }
}

/** A validated entry, before conflicts between documents are resolved. */
export interface ParsedEntry {
  /** The key as written in the document. */
  key: string;
  measure: string;
  value: number;
  numerator?: number;
  denominator?: number;
  levelsMet?: number[];
  provenance: Provenance;
  override?: { reason: string };
}

const UNIT_LABEL: Record<MeasureUnit, string> = {
  percent: 'percent',
  count: 'count',
  'Mbit/s': 'Mbit/s',
  level: 'level',
  flag: '0 or 1',
  km: 'km',
};

/** Tolerance when checking a value against numerator/denominator (percentage points). */
export const RATIO_TOLERANCE_PERCENT = 0.05;

function fmtRange(m: Measure): string {
  if (m.max >= Number.MAX_SAFE_INTEGER) return `≥ ${m.min}`;
  return `${m.min}–${m.max}`;
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function suggestions(key: string): string {
  const k = normaliseKey(key).toLowerCase();
  if (k.length < 2) return '';
  const hits = new Set<string>();
  const consider = (id: string, zh: string) => {
    const z = normaliseKey(zh);
    if (id.includes(k) || (k.length >= 2 && (z.includes(k) || k.includes(z)))) hits.add(`${id} (${zh})`);
  };
  for (const ind of CATALOGUE) {
    consider(ind.id, ind.nameZh);
    for (const m of ind.measures) consider(m.id, m.nameZh);
  }
  for (const m of CITY_LEVEL_MEASURES) consider(m.id, m.nameZh);
  const list = [...hits].slice(0, 4);
  return list.length ? `; did you mean ${list.join(', ')}?` : '';
}

const DATE_RE = /^\d{4}(-\d{2}(-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?)?)?$/;

function checkNumber(file: string, key: string, m: Measure, v: unknown, what = 'value'): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new ValuesError(file, key, `${what} ${JSON.stringify(v)} is not a number (${m.unit === 'percent' ? 'percentages as 0–100' : UNIT_LABEL[m.unit]})`);
  }
  if (v < m.min || v > m.max) throw new ValuesError(file, key, `${v} is out of range ${fmtRange(m)} (${UNIT_LABEL[m.unit]})`);
  if (m.integer && !Number.isInteger(v)) throw new ValuesError(file, key, `${v} is not a whole number (${UNIT_LABEL[m.unit]})`);
  if (m.allowed && !m.allowed.includes(v)) {
    const ind = measureById(m.id)?.indicator;
    throw new ValuesError(
      file,
      key,
      `level ${v} is not graded for ${ind ? ind.nameZh : m.nameZh} ('/' in the table); allowed: ${m.allowed.join(', ')}`,
    );
  }
  return v;
}

function checkRatio(file: string, key: string, m: Measure, value: number | undefined, num: unknown, den: unknown): { value: number; numerator?: number; denominator?: number } {
  if (num === undefined && den === undefined) {
    if (value === undefined) throw new ValuesError(file, key, 'no value given');
    return { value };
  }
  if (num === undefined || den === undefined) throw new ValuesError(file, key, 'give both numerator and denominator, or neither');
  if (m.unit !== 'percent') throw new ValuesError(file, key, `numerator/denominator only apply to rates (this measure is in ${UNIT_LABEL[m.unit]})`);
  if (typeof num !== 'number' || !Number.isFinite(num) || num < 0) throw new ValuesError(file, key, `numerator ${JSON.stringify(num)} must be a number ≥ 0`);
  if (typeof den !== 'number' || !Number.isFinite(den) || den <= 0) throw new ValuesError(file, key, `denominator ${JSON.stringify(den)} must be a number > 0`);
  if (num > den) throw new ValuesError(file, key, `numerator ${num} exceeds denominator ${den}`);
  if (m.counted?.integer && (!Number.isInteger(num) || !Number.isInteger(den))) {
    throw new ValuesError(file, key, `numerator and denominator count ${m.counted.en}; they must be whole numbers`);
  }
  if (m.fixedDenominator !== undefined && den !== m.fixedDenominator) {
    throw new ValuesError(file, key, `the standard fixes the denominator at ${m.fixedDenominator}, got ${den}`);
  }
  const ratio = (100 * num) / den;
  if (value !== undefined && Math.abs(value - ratio) > RATIO_TOLERANCE_PERCENT) {
    throw new ValuesError(file, key, `value ${value} does not match numerator/denominator ${num}/${den} = ${round(ratio, 3)}%`);
  }
  return { value: value ?? ratio, numerator: num, denominator: den };
}

function round(x: number, d: number): number {
  const f = 10 ** d;
  return Math.round(x * f) / f;
}

function resolveMeasure(file: string, key: string): Measure {
  const r = resolveKey(key);
  if (!r) throw new ValuesError(file, key, `unknown indicator (not an id or Chinese name of the DB37/T 3890 county table)${suggestions(key)}`);
  if (r.kind === 'compound') {
    const parts = r.indicator.measures.map((m) => `"${m.nameZh}" (${m.id})`).join(' and ');
    throw new ValuesError(file, key, `"${r.indicator.nameZh}" is graded on ${r.indicator.measures.length} numbers; give them separately as ${parts}`);
  }
  return r.measure;
}

function parseSimulated(file: string, key: string, m: Measure, raw: Record<string, unknown>): ParsedEntry {
  const allowedKeys = new Set(['value', 'numerator', 'denominator', 'unit', 'source', 'model', 'computedAt']);
  for (const k of Object.keys(raw)) if (!allowedKeys.has(k)) throw new ValuesError(file, key, `unexpected field "${k}" in a simulated value`);
  if (typeof raw.model !== 'string' || raw.model.trim() === '') throw new ValuesError(file, key, 'a simulated value needs "model" (the model that computed it)');
  const unit = raw.unit === '%' ? 'percent' : raw.unit;
  if (unit !== m.unit) throw new ValuesError(file, key, `unit ${JSON.stringify(raw.unit)} does not match the indicator's unit "${m.unit}"`);
  if (raw.computedAt !== undefined && (typeof raw.computedAt !== 'string' || !DATE_RE.test(raw.computedAt))) {
    throw new ValuesError(file, key, `computedAt ${JSON.stringify(raw.computedAt)} is not an ISO date/time`);
  }
  const value = raw.value === undefined ? undefined : checkNumber(file, key, m, raw.value);
  const r = checkRatio(file, key, m, value, raw.numerator, raw.denominator);
  checkNumber(file, key, m, r.value);
  return {
    key,
    measure: m.id,
    value: r.value,
    ...(r.numerator !== undefined ? { numerator: r.numerator, denominator: r.denominator! } : {}),
    provenance: { kind: 'simulation', model: raw.model, ...(raw.computedAt ? { computedAt: raw.computedAt as string } : {}), origin: file },
  };
}

function parseHand(file: string, key: string, m: Measure, raw: unknown, meta: { source?: string; date?: string }): ParsedEntry {
  const defaultSource = meta.source ?? file;
  if (typeof raw === 'number' || !isPlainObject(raw)) {
    const v = checkNumber(file, key, m, raw);
    return { key, measure: m.id, value: v, provenance: { kind: 'hand', source: defaultSource, ...(meta.date ? { date: meta.date } : {}), origin: file } };
  }
  if (raw.source === 'simulation') return parseSimulated(file, key, m, raw);
  const allowedKeys = new Set(['value', 'levelsMet', 'numerator', 'denominator', 'source', 'date', 'note', 'override', 'reason', 'unit']);
  for (const k of Object.keys(raw)) if (!allowedKeys.has(k)) throw new ValuesError(file, key, `unexpected field "${k}"`);
  if (raw.unit !== undefined) {
    const unit = raw.unit === '%' ? 'percent' : raw.unit;
    if (unit !== m.unit) throw new ValuesError(file, key, `unit ${JSON.stringify(raw.unit)} does not match the indicator's unit "${m.unit}"`);
  }
  if (raw.source !== undefined && (typeof raw.source !== 'string' || raw.source.trim() === '')) throw new ValuesError(file, key, 'source must be a non-empty string');
  if (raw.date !== undefined && (typeof raw.date !== 'string' || !DATE_RE.test(raw.date))) {
    throw new ValuesError(file, key, `date ${JSON.stringify(raw.date)} is not YYYY, YYYY-MM or YYYY-MM-DD`);
  }
  if (raw.note !== undefined && typeof raw.note !== 'string') throw new ValuesError(file, key, 'note must be a string');
  let override: { reason: string } | undefined;
  if (raw.override !== undefined) {
    if (typeof raw.override !== 'boolean') throw new ValuesError(file, key, 'override must be true or false');
    if (raw.override) {
      if (typeof raw.reason !== 'string' || raw.reason.trim() === '') throw new ValuesError(file, key, 'an override needs a "reason" (it is recorded in the report)');
      override = { reason: raw.reason };
    }
  }
  let levelsMet: number[] | undefined;
  let value: number | undefined = raw.value === undefined ? undefined : checkNumber(file, key, m, raw.value);
  if (raw.levelsMet !== undefined) {
    const ind = measureById(m.id)?.indicator;
    if (!ind || ind.grading !== 'hand-level') throw new ValuesError(file, key, 'levelsMet only applies to text-graded rows (制度机制, 规划计划, 人才保障, 资金投入)');
    if (!Array.isArray(raw.levelsMet)) throw new ValuesError(file, key, 'levelsMet must be a list of levels, e.g. [2, 3, 5]');
    const seen = new Set<number>();
    for (const l of raw.levelsMet) {
      if (typeof l !== 'number' || l === 0) throw new ValuesError(file, key, `levelsMet entry ${JSON.stringify(l)} must be a level 1–5`);
      checkNumber(file, key, m, l, 'level');
      if (seen.has(l)) throw new ValuesError(file, key, `levelsMet lists level ${l} twice`);
      seen.add(l);
    }
    levelsMet = [...seen].sort((a, b) => a - b);
    const literal = levelsMet.length ? levelsMet[levelsMet.length - 1]! : 0;
    if (value !== undefined && value !== literal) throw new ValuesError(file, key, `value ${value} disagrees with levelsMet (highest met level ${literal}); give one of them`);
    value = literal;
  }
  const r = checkRatio(file, key, m, value, raw.numerator, raw.denominator);
  checkNumber(file, key, m, r.value);
  const source = typeof raw.source === 'string' ? raw.source : defaultSource;
  const date = typeof raw.date === 'string' ? raw.date : meta.date;
  return {
    key,
    measure: m.id,
    value: r.value,
    ...(r.numerator !== undefined ? { numerator: r.numerator, denominator: r.denominator! } : {}),
    ...(levelsMet ? { levelsMet } : {}),
    provenance: {
      kind: 'hand',
      source,
      ...(date ? { date } : {}),
      ...(typeof raw.note === 'string' ? { note: raw.note } : {}),
      origin: file,
    },
    ...(override ? { override } : {}),
  };
}

function checkNoDuplicates(file: string, entries: ParsedEntry[]): void {
  const seen = new Map<string, string>();
  for (const e of entries) {
    const prev = seen.get(e.measure);
    if (prev !== undefined) throw new ValuesError(file, e.key, `the same indicator is already given as "${prev}" (${e.measure})`);
    seen.set(e.measure, e.key);
  }
}

/**
 * Validate the indicator part of a `cimtwin coverage` report (or a bare {@link SimulatedIndicatorValues}).
 * Every entry must be `source: 'simulation'` with a `model` and the measure's unit.
 */
export function valuesFromCoverage(report: CoverageReportLike | SimulatedIndicatorValues | unknown, origin = 'coverage'): ParsedEntry[] {
  const part = isPlainObject(report) && isPlainObject(report.indicators) ? report.indicators : report;
  if (!isPlainObject(part)) throw new ValuesError(origin, undefined, 'expected an object of simulated indicator values');
  const out: ParsedEntry[] = [];
  for (const [key, raw] of Object.entries(part)) {
    const m = resolveMeasure(origin, key);
    if (!isPlainObject(raw) || raw.source !== 'simulation') {
      throw new ValuesError(origin, key, 'entries of a coverage report must be objects with source "simulation", a model and a unit');
    }
    out.push(parseSimulated(origin, key, m, raw));
  }
  checkNoDuplicates(origin, out);
  return out;
}

/**
 * Validate a values document: either a coverage report (`{ indicators: SimulatedIndicatorValues, … }`;
 * its other fields are ignored) or a plain map `key → number | entry object`, where a key is an
 * English id or the Chinese name exactly as in the seed table. `$source` / `$date` give the default
 * source and date for bare numbers (otherwise the source is the file itself); `$comment` is ignored.
 */
export function parseValuesDocument(doc: unknown, origin: string): ParsedEntry[] {
  if (!isPlainObject(doc)) throw new ValuesError(origin, undefined, 'expected a JSON object mapping indicator ids or Chinese names to numbers');
  if ('indicators' in doc) {
    if (!isPlainObject(doc.indicators)) throw new ValuesError(origin, 'indicators', 'expected an object of simulated indicator values (SimulatedIndicatorValues)');
    return valuesFromCoverage(doc.indicators, origin);
  }
  const meta: { source?: string; date?: string } = {};
  if (doc.$source !== undefined) {
    if (typeof doc.$source !== 'string' || doc.$source.trim() === '') throw new ValuesError(origin, '$source', 'must be a non-empty string');
    meta.source = doc.$source;
  }
  if (doc.$date !== undefined) {
    if (typeof doc.$date !== 'string' || !DATE_RE.test(doc.$date)) throw new ValuesError(origin, '$date', 'must be YYYY, YYYY-MM or YYYY-MM-DD');
    meta.date = doc.$date;
  }
  const out: ParsedEntry[] = [];
  for (const [key, raw] of Object.entries(doc)) {
    if (key === '$source' || key === '$date' || key === '$comment') continue;
    if (key.startsWith('$')) throw new ValuesError(origin, key, 'unknown meta key (allowed: $source, $date, $comment)');
    const m = resolveMeasure(origin, key);
    out.push(parseHand(origin, key, m, raw, meta));
  }
  checkNoDuplicates(origin, out);
  return out;
}

function sameValue(a: { value: number; numerator?: number; denominator?: number }, b: { value: number; numerator?: number; denominator?: number }): boolean {
  return Math.abs(a.value - b.value) <= 1e-9 * Math.max(1, Math.abs(a.value));
}

function describe(p: Provenance): string {
  return p.kind === 'simulation' ? `simulation model ${p.model}, from ${p.origin}` : `hand entry from ${p.source}${p.date ? `, ${p.date}` : ''}`;
}

interface Slot {
  entry: ValueEntry;
  key: string;
  overrideRequested: boolean;
}

/**
 * Holds one value per measure and enforces the provenance rule:
 * - a hand entry never replaces a simulated value silently: if the numbers differ it is an error,
 *   unless the hand entry says `override: true` with a `reason`, which is recorded in `overrode`;
 * - a hand entry equal to the simulated value is kept as corroboration;
 * - two simulated values (or two hand entries) for the same measure must agree.
 * Order does not matter: a simulated value arriving after an overriding hand entry is recorded too.
 */
export class ValueStore {
  readonly #slots = new Map<string, Slot>();
  /** Reasons of overriding hand entries that arrived before the simulated value they override. */
  readonly #pendingReasons = new Map<string, string>();

  /** Add validated entries (from {@link parseValuesDocument} or {@link valuesFromCoverage}). Throws {@link ValuesError}. */
  add(entries: readonly ParsedEntry[]): this {
    for (const e of entries) this.#addOne(e);
    return this;
  }

  /** Convenience: add a simulated block as a model would emit it. */
  addSimulated(values: SimulatedIndicatorValues | CoverageReportLike, origin = 'coverage'): this {
    return this.add(valuesFromCoverage(values, origin));
  }

  #addOne(e: ParsedEntry): void {
    const incoming: ValueEntry = {
      measure: e.measure,
      value: e.value,
      ...(e.numerator !== undefined ? { numerator: e.numerator, denominator: e.denominator! } : {}),
      ...(e.levelsMet ? { levelsMet: e.levelsMet } : {}),
      provenance: e.provenance,
    };
    const slot = this.#slots.get(e.measure);
    if (!slot) {
      this.#slots.set(e.measure, { entry: incoming, key: e.key, overrideRequested: !!e.override });
      if (e.override) this.#pendingReasons.set(e.measure, e.override.reason);
      return;
    }
    const cur = slot.entry;
    const file = e.provenance.origin;
    const curSim = cur.provenance.kind === 'simulation';
    const newSim = e.provenance.kind === 'simulation';
    if (curSim && newSim) {
      if (sameValue(cur, incoming)) return;
      throw new ValuesError(file, e.key, `simulated value ${e.value} conflicts with another simulated value ${cur.value} (${describe(cur.provenance)})`);
    }
    if (!curSim && !newSim) {
      if (sameValue(cur, incoming) && !e.override && !slot.overrideRequested) {
        cur.corroboratedBy = [...(cur.corroboratedBy ?? []), e.provenance];
        return;
      }
      throw new ValuesError(file, e.key, `given twice by hand: ${e.value} here and ${cur.value} (${describe(cur.provenance)})`);
    }
    if (curSim && !newSim) {
      // A hand entry meets a simulated value.
      if (e.override) {
        incoming.overrode = { value: cur.value, ...(cur.numerator !== undefined ? { numerator: cur.numerator, denominator: cur.denominator! } : {}), provenance: cur.provenance, reason: e.override.reason };
        this.#slots.set(e.measure, { entry: incoming, key: e.key, overrideRequested: true });
        return;
      }
      if (sameValue(cur, incoming)) {
        cur.corroboratedBy = [...(cur.corroboratedBy ?? []), e.provenance];
        return;
      }
      throw new ValuesError(
        file,
        e.key,
        `hand entry ${e.value} conflicts with the simulated value ${cur.value} (${describe(cur.provenance)}); simulated values are never overwritten silently — ` +
          `give the hand entry as {"value": ${e.value}, "override": true, "reason": "…"} to replace it (the override is recorded)`,
      );
    }
    // A simulated value meets a hand entry that came first.
    if (slot.overrideRequested) {
      const reason = this.#pendingReasons.get(e.measure) ?? cur.overrode?.reason ?? '';
      if (cur.overrode) throw new ValuesError(file, e.key, `simulated value ${e.value} conflicts with another simulated value ${cur.overrode.value} (${describe(cur.overrode.provenance)})`);
      cur.overrode = { value: incoming.value, ...(incoming.numerator !== undefined ? { numerator: incoming.numerator, denominator: incoming.denominator! } : {}), provenance: incoming.provenance, reason };
      this.#pendingReasons.delete(e.measure);
      return;
    }
    if (sameValue(cur, incoming)) {
      incoming.corroboratedBy = [cur.provenance, ...(cur.corroboratedBy ?? [])];
      this.#slots.set(e.measure, { entry: incoming, key: e.key, overrideRequested: false });
      return;
    }
    throw new ValuesError(
      cur.provenance.origin,
      slot.key,
      `hand entry ${cur.value} conflicts with the simulated value ${e.value} (${describe(e.provenance)}); simulated values are never overwritten silently — ` +
        `give the hand entry as {"value": ${cur.value}, "override": true, "reason": "…"} to replace it (the override is recorded)`,
    );
  }

  get(measureId: string): ValueEntry | undefined {
    return this.#slots.get(measureId)?.entry;
  }

  has(measureId: string): boolean {
    return this.#slots.has(measureId);
  }

  /** All entries, in catalogue order. */
  entries(): ValueEntry[] {
    const order = new Map<string, number>();
    let i = 0;
    for (const ind of CATALOGUE) for (const m of ind.measures) order.set(m.id, i++);
    for (const m of CITY_LEVEL_MEASURES) order.set(m.id, i++);
    return [...this.#slots.values()].map((s) => s.entry).sort((a, b) => (order.get(a.measure) ?? 0) - (order.get(b.measure) ?? 0));
  }

  /** Entries where a hand value replaced a simulated one (explicitly). */
  overrides(): ValueEntry[] {
    return this.entries().filter((e) => e.overrode);
  }

  /** Warnings worth showing in a report (override without anything to override, hand values without a date). */
  warnings(): string[] {
    const w: string[] = [];
    for (const [id, s] of this.#slots) {
      if (s.overrideRequested && !s.entry.overrode) w.push(`${id}: "override" was given but there is no simulated value to override`);
      if (s.entry.provenance.kind === 'hand' && !s.entry.provenance.date) w.push(`${id}: hand entry without a date (source: ${s.entry.provenance.source})`);
    }
    return w;
  }

  /** A lookup function for scoring. */
  lookup(): (measureId: string) => ValueEntry | undefined {
    return (id) => this.get(id);
  }
}

/** Build a store from plain numbers (tests, quick use). Keys may be ids or Chinese names. */
export function storeFromNumbers(values: Readonly<Record<string, number>>, origin = 'values', extra?: { source?: string; date?: string }): ValueStore {
  const doc: Record<string, unknown> = { ...values };
  if (extra?.source) doc.$source = extra.source;
  if (extra?.date) doc.$date = extra.date;
  return new ValueStore().add(parseValuesDocument(doc, origin));
}

