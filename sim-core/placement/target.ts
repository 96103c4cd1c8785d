/**
 * "Target star N on indicator X" → how many counted units (areas, intersections) must be covered,
 * read from the DB37/T 3890 catalogue of sim-core/indicators (its thresholds and operators), never
 * restated here.
 *
 * For a count ratio num/den × 100 with threshold t:
 * - `≥ t` (达到, 以上): num ≥ ⌈t/100 × den⌉ (e.g. ★4 video, 90% of 31 areas → 28);
 * - `> t` (超过): num ≥ ⌊t/100 × den⌋ + 1.
 * Other conditions of the same star cell (AND) are listed in `alsoRequired` so that the caller can
 * say what placement does not address (★4 on video also needs 完好率 ≥ 90%).
 */
import { indicatorById, measureById } from '../indicators/catalogue.ts';
import type { Condition, Threshold } from '../indicators/types.ts';

export interface StarTarget {
  measure: string;
  star: number;
  op: Threshold['op'];
  thresholdPercent: number;
  /** Units to cover (of `denominator`). */
  unitsNeeded: number;
  denominator: number;
  /** Other thresholds of the same star cell (AND), as "measure op value". */
  alsoRequired: Threshold[];
}

function thresholds(c: Condition): Threshold[] {
  if ('all' in c) return c.all.flatMap(thresholds);
  if ('any' in c) return c.any.flatMap(thresholds);
  return [c];
}

/** Covered units needed for threshold `op t` (percent) of `denominator` whole units. */
export function unitsForThreshold(op: Threshold['op'], thresholdPercent: number, denominator: number): number {
  const exact = (thresholdPercent / 100) * denominator;
  if (op === '>=') return Math.ceil(exact - 1e-9);
  if (op === '>') return Math.floor(exact + 1e-9) + 1;
  throw new RangeError(`a coverage target needs a '≥' or '>' threshold, got '${op}'`);
}

/** The target for `star` on coverage measure `measureId` over `denominator` units (see the module doc). */
export function starTarget(measureId: string, star: number, denominator: number): StarTarget {
  const found = measureById(measureId);
  if (!found) throw new RangeError(`unknown indicator measure '${measureId}'`);
  const ind = found.indicator ? indicatorById(found.indicator.id) : undefined;
  if (!ind) throw new RangeError(`${measureId} (${found.measure.nameZh}) has no star thresholds in DB37/T 3890 (a city-level measure); give a target percentage or a count instead`);
  if (!Number.isInteger(star) || star < 1 || star > 5) throw new RangeError(`target star must be 1…5, got ${star}`);
  const cell = ind.stars[star - 1];
  const graded = ind.stars.flatMap((c, i) => (c ? [i + 1] : []));
  if (!cell) throw new RangeError(`★${star} is not graded for ${ind.nameZh} ('/' cell); graded levels: ${graded.map((n) => `★${n}`).join(', ')}`);
  const all = thresholds(cell.condition);
  const own = all.find((t) => t.measure === measureId);
  if (!own) throw new RangeError(`★${star} of ${ind.nameZh} has no threshold on ${measureId}`);
  return {
    measure: measureId,
    star,
    op: own.op,
    thresholdPercent: own.value,
    unitsNeeded: unitsForThreshold(own.op, own.value, denominator),
    denominator,
    alsoRequired: all.filter((t) => t !== own),
  };
}
