import { describe, expect, it } from 'vitest';
import { aggregateDemand, bitsetWords, CoverageMatrix, coverageWithinRadius } from './coverage-matrix.ts';
import { MaxCoverage } from './models.ts';
import { highsSolver } from './highs.ts';
import { randomCoveringInstance } from './random-instance.ts';

describe('CoverageMatrix', () => {
  const lists = [[5, 1, 1, 3], [], [0, 2, 4, 6, 31, 32, 40], [40]];
  const c = CoverageMatrix.fromLists(41, lists);

  it('stores sorted, de-duplicated lists and answers both directions', () => {
    expect(Array.from(c.demandOf(0))).toEqual([1, 3, 5]);
    expect(c.degree(1)).toBe(0);
    expect(c.nonzeroCount).toBe(11);
    expect(c.covers(2, 31)).toBe(true);
    expect(c.covers(2, 30)).toBe(false);
    expect(Array.from(c.sitesOf(40))).toEqual([2, 3]);
    expect(Array.from(c.sitesOf(7))).toEqual([]);
  });

  it('round-trips through bitsets and through its buffer', () => {
    const bits = c.toBitsets();
    expect(bits.length).toBe(4 * bitsetWords(41));
    expect(bits[2 * 2 + 1]).toBe((1 << 0) | (1 << 8)); // site 2: 32 and 40 in the second word
    const back = CoverageMatrix.fromBitsets(4, 41, bits);
    expect(Array.from(back.demandIndex)).toEqual(Array.from(c.demandIndex));
    const reopened = CoverageMatrix.from(c.data.slice(0));
    expect(Array.from(reopened.siteStart)).toEqual(Array.from(c.siteStart));
    expect(Array.from(reopened.demandOf(2))).toEqual([0, 2, 4, 6, 31, 32, 40]);
    const bad = c.data.slice(0);
    new Uint8Array(bad)[0] = 0;
    expect(() => CoverageMatrix.from(bad)).toThrow(/magic/);
  });

  it('rejects demand indices out of range', () => {
    expect(() => CoverageMatrix.fromLists(3, [[0, 3]])).toThrow(/site 0: demand index 3/);
  });

  it('covers within a radius like a brute-force distance test', () => {
    const inst = randomCoveringInstance({ sites: 30, demand: 200, radiusM: 1500, seed: 9 });
    for (let j = 0; j < 30; j++) {
      const expected: number[] = [];
      for (let i = 0; i < 200; i++) {
        const d = Math.hypot(inst.siteXyM[2 * j] - inst.demandXyM[2 * i], inst.siteXyM[2 * j + 1] - inst.demandXyM[2 * i + 1]);
        if (d <= 1500) expected.push(i);
      }
      expect(Array.from(inst.coverage.demandOf(j))).toEqual(expected);
    }
    expect(coverageWithinRadius([0, 0], [], 10).siteCount).toBe(1);
  });
});

describe('aggregateDemand', () => {
  it('merges identical covering sets within a key, and leaves the optimum unchanged', async () => {
    const c = CoverageMatrix.fromLists(6, [[0, 1, 2, 5], [2, 3], [3, 4, 5]]);
    const keys = [0, 0, 0, 1, 1, 1];
    const agg = aggregateDemand(c, [1, 2, 3, 4, 5, 6], keys);
    // Sets: 0 {0}, 1 {0}, 2 {0,1}, 3 {1,2}, 4 {2}, 5 {0,2}. 0 and 1 merge (same key, same set).
    expect(agg.matrix.demandCount).toBe(5);
    expect(Array.from(agg.rowOf)).toEqual([0, 0, 1, 2, 3, 4]);
    expect(Array.from(agg.weights)).toEqual([3, 3, 4, 5, 6]);
    expect(Array.from(agg.members.subarray(agg.memberStart[0], agg.memberStart[1]))).toEqual([0, 1]);

    const inst = randomCoveringInstance({ sites: 40, demand: 600, radiusM: 1800, seed: 4, maxWeight: 1 });
    const full = await MaxCoverage.fromCoverage(inst.coverage, { weights: inst.weights, facilityCount: 4 }).solve(highsSolver());
    const a = aggregateDemand(inst.coverage, inst.weights);
    expect(a.matrix.demandCount).toBeLessThan(600);
    const small = await MaxCoverage.fromCoverage(a.matrix, { weights: a.weights, facilityCount: 4 }).solve(highsSolver());
    expect(small.objective).toBe(full.objective);
  });
});
