/**
 * Types for the DB37/T 3890 indicator catalogue (county level, Part 2), its dated city targets and
 * the values that feed it. Pure data types: no I/O.
 *
 * Citation convention (see `../shared/seeds/DIGEST.md`): `000:63` = file 000 line 63;
 * `001@8335` = file 001 at 0-based character offset 8335; `004 (十七)` = file 004 section (十七).
 */

/** Comparison operator of one threshold. 达到/以上/不少于 → `>=`; 超过/多于/超 → `>` (strict). */
export type Comparator = '>=' | '>' | '<=' | '<';

/**
 * Unit of a measure. Percentages are 0–100 (`percent`), counts are whole numbers (`count`), speeds in
 * `Mbit/s`, `level` is a star or grade level entered by an evaluator, `flag` is 0/1, `km` is a distance.
 */
export type MeasureUnit = 'percent' | 'count' | 'Mbit/s' | 'level' | 'flag' | 'km';

/** First-level category (一级指标) as printed in the county table (001@7889–17661). */
export type CategoryId =
  | 'digital_services'
  | 'digital_government'
  | 'digital_economy'
  | 'infrastructure'
  | 'safeguards'
  | 'local_features';

export interface Category {
  id: CategoryId;
  nameZh: string;
  nameEn: string;
}

/** How an indicator row is graded. */
export type Grading =
  /** Thresholds on one or more numeric measures. */
  | 'numeric'
  /** A text-described level: the evaluator reads the level texts and enters the level (0–5) by hand. */
  | 'hand-level'
  /** 信息安全: not graded; each incident deducts from the total score. */
  | 'deduction';

/** Role of the simulation for a measure (digest §a): C computed, A aggregated from assets, I input only. */
export type SimRole = 'C' | 'A' | 'I' | 'C/A' | 'A/I' | 'A/C';

/** What a count-based rate counts, for concrete gap sentences ("还需 4 个重点公共区域实现5G覆盖"). */
export interface CountedItem {
  /** Chinese measure word + noun, e.g. `个重点公共区域`. */
  zh: string;
  /** Chinese action, e.g. `实现5G覆盖`. */
  zhAction: string;
  /** English plural noun phrase, e.g. `key public areas`. */
  en: string;
  /** English singular noun phrase, e.g. `key public area` (used when one item is missing). */
  enOne: string;
  /** English action, e.g. `need 5G coverage`. */
  enAction: string;
  /** Whether the counted things are whole items (areas, cameras) or a continuous quantity (km², km). */
  integer: boolean;
  /** Unit of the numerator when it is not a plain count, e.g. `km²`. */
  unit?: string;
}

/** One number the catalogue reads (a row has one or several: AND conditions need two numbers). */
export interface Measure {
  /** Stable English id, the key in values files. */
  id: string;
  /** Chinese name as printed in the seed table (whitespace of the flattened PDF removed). */
  nameZh: string;
  /** Further exact Chinese spellings used in the seeds, accepted as keys too. */
  aliasesZh?: readonly string[];
  nameEn: string;
  /** Short Chinese label used in threshold cells of multi-part rows (e.g. 预报率, 电子站牌). */
  shortZh?: string;
  unit: MeasureUnit;
  /** Inclusive range; values outside are input errors. */
  min: number;
  max: number;
  /** Whole numbers only (counts, levels, flags). */
  integer: boolean;
  /** Explicit list of allowed values (hand levels with '/' cells). */
  allowed?: readonly number[];
  /** `lower` for rankings and spacings where smaller is better. */
  better: 'higher' | 'lower';
  /** Formula as the seed states it. */
  formula?: { numeratorZh: string; denominatorZh: string; excludesZh?: string; notesZh?: string; notesEn?: string };
  /** Present when the rate is a count ratio and gaps can be said in items. */
  counted?: CountedItem;
  /** Fixed denominator given by the standard itself (22 open-data categories, 10 websites). */
  fixedDenominator?: number;
  sim?: SimRole;
}

/** A threshold on one measure. */
export interface Threshold {
  measure: string;
  op: Comparator;
  value: number;
}

/** A star cell's condition: a threshold, or an AND / OR of conditions. */
export type Condition = Threshold | { all: readonly Condition[] } | { any: readonly Condition[] };

/** One star cell of a row. `null` is a '/' cell: not graded at that star. */
export interface StarCell {
  condition: Condition;
  /** Literal cell wording (zh) for text-graded rows and where the wording matters. */
  textZh?: string;
  textEn?: string;
}

export type StarCells = readonly [StarCell | null, StarCell | null, StarCell | null, StarCell | null, StarCell | null];

/** One row (二级指标) of the county table. */
export interface Indicator {
  /** Stable English id. Single-measure rows use the measure id as row id. */
  id: string;
  category: CategoryId;
  /** Chinese name as printed in the table (二级指标 column). */
  nameZh: string;
  aliasesZh?: readonly string[];
  nameEn: string;
  /** ★ lead indicator (引领性指标, 001@7913). */
  lead: boolean;
  grading: Grading;
  measures: readonly Measure[];
  /** ★1..★5. All null for the deduction row. */
  stars: StarCells;
  /** Definition / formula summary as in the 指标释义 column. */
  definitionZh: string;
  definitionEn: string;
  /** Responsible units (责任单位), first = lead unit (001@1693). */
  responsible: readonly string[];
  /** Where in the seeds this row comes from. */
  cite: readonly string[];
  /** Present when the digest flags the row (or part of it) as uncertain. */
  uncertain?: string;
  /** Further notes (English). */
  notes?: string;
}

/** Provenance of one value. */
export type Provenance =
  | { kind: 'simulation'; model: string; computedAt?: string; origin: string }
  | { kind: 'hand'; source: string; date?: string; note?: string; origin: string };

/** One resolved value for one measure. */
export interface ValueEntry {
  measure: string;
  value: number;
  numerator?: number;
  denominator?: number;
  provenance: Provenance;
  /** Set when a hand entry explicitly overrode a simulated value (never silent). */
  overrode?: { value: number; numerator?: number; denominator?: number; provenance: Provenance; reason: string };
  /** Hand entries that agreed with a simulated value (kept for the record). */
  corroboratedBy?: Provenance[];
  /**
   * Hand-level rows only: the star levels whose literal text the evaluator found met. When present,
   * the scoring setting `handLevelReading` ('literal' | 'cumulative') turns it into the level.
   */
  levelsMet?: number[];
}
