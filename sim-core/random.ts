/**
 * Seeded pseudo-random numbers for deterministic generators, tests and benchmarks.
 *
 * `mulberry32` is Tommy Ettinger's 32-bit generator (public domain): one 32-bit state word, period
 * 2^32, good enough statistical quality for procedural content and sampling, and identical results
 * on every JavaScript engine because it uses only 32-bit integer arithmetic (`Math.imul`, `>>>`).
 * Never use `Math.random` in sim-core: results must be reproducible from a seed.
 */

/** A function returning uniform numbers in [0, 1). */
export type RandomFn = () => number;

/**
 * Returns a mulberry32 generator seeded with `seed` (any number; it is reduced to 32 bits, so
 * seeds that differ only above bit 31 give the same sequence). Each call returns a uniform number in
 * [0, 1) with 32 bits of resolution.
 */
export function mulberry32(seed: number): RandomFn {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Uniform number in [min, max). */
export function randomRange(rand: RandomFn, min: number, max: number): number {
  return min + (max - min) * rand();
}

/** Uniform integer in [min, max] (both inclusive). */
export function randomInt(rand: RandomFn, min: number, max: number): number {
  return min + Math.floor(rand() * (max - min + 1));
}

/** One element of a non-empty array, uniformly. */
export function randomPick<T>(rand: RandomFn, items: readonly T[]): T {
  if (items.length === 0) throw new RangeError('randomPick needs a non-empty array');
  return items[Math.floor(rand() * items.length)];
}

/** Index chosen with probability proportional to `weights[i]` (non-negative, not all zero). */
export function randomWeightedIndex(rand: RandomFn, weights: readonly number[]): number {
  let total = 0;
  for (const w of weights) total += w;
  if (!(total > 0)) throw new RangeError('randomWeightedIndex needs at least one positive weight');
  let r = rand() * total;
  for (let i = 0; i < weights.length; i++) {
    r -= weights[i];
    if (r < 0) return i;
  }
  return weights.length - 1;
}

/** Fisher–Yates shuffle in place; returns `items`. */
export function shuffleInPlace<T>(rand: RandomFn, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = items[i];
    items[i] = items[j];
    items[j] = t;
  }
  return items;
}
