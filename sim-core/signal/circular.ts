/**
 * Sets of times on a circle of circumference `periodS` (one signal cycle), kept as sorted disjoint
 * intervals inside [0, period). Used to intersect the green windows of many signals, each shifted by
 * the travel time to a reference signal: what survives is the set of reference times at which a
 * vehicle at the progression speed passes every green, and its longest run is the bandwidth.
 */

/** Sorted disjoint intervals [start, end) inside [0, period), flat: [s0, e0, s1, e1, …]. */
export type CircularSet = number[];

const EPS = 1e-9;

/** Floored modulo: the result is in [0, period). */
export function mod(x: number, period: number): number {
  const r = x % period;
  return r < 0 ? r + period : r;
}

/** The set covered by the circular interval starting at `start` of length `length` (clamped to 0…period). */
export function circularInterval(start: number, length: number, period: number): CircularSet {
  if (length <= EPS) return [];
  if (length >= period - EPS) return [0, period];
  const s = mod(start, period);
  const e = s + length;
  if (e <= period) return [s, e];
  return [0, e - period, s, period];
}

/** Intersection of two circular sets (two-pointer sweep, O(n + m)). */
export function intersectCircular(a: CircularSet, b: CircularSet): CircularSet {
  const out: CircularSet = [];
  let i = 0, j = 0;
  while (i < a.length && j < b.length) {
    const s = Math.max(a[i], b[j]);
    const e = Math.min(a[i + 1], b[j + 1]);
    if (e - s > EPS) out.push(s, e);
    if (a[i + 1] < b[j + 1]) i += 2;
    else j += 2;
  }
  return out;
}

/**
 * Longest run of a circular set, joining a run that ends at `period` with one that starts at 0.
 * Returns `{ startS, lengthS }` with `startS` in [0, period); length 0 for the empty set.
 */
export function longestRun(set: CircularSet, period: number): { startS: number; lengthS: number } {
  const n = set.length;
  if (n === 0) return { startS: 0, lengthS: 0 };
  let bestStart = set[0], bestLen = set[1] - set[0];
  for (let k = 2; k < n; k += 2) {
    const len = set[k + 1] - set[k];
    if (len > bestLen + EPS) {
      bestLen = len;
      bestStart = set[k];
    }
  }
  // Wrap-around run: the last interval reaches the period and the first starts at 0.
  if (n >= 4 && set[n - 1] >= period - EPS && set[0] <= EPS) {
    const len = set[n - 1] - set[n - 2] + (set[1] - set[0]);
    if (len > bestLen + EPS) {
      bestLen = len;
      bestStart = set[n - 2];
    }
  }
  return { startS: bestStart, lengthS: Math.min(bestLen, period) };
}
