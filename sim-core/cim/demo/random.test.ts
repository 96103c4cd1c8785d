import { describe, expect, it } from 'vitest';
import { mulberry32, randomInt, randomWeightedIndex, shuffleInPlace } from '../../random.ts';

describe('mulberry32', () => {
  it('matches an independent 32-bit implementation (Python port, values written here)', () => {
    const a = mulberry32(20200608);
    expect([a(), a(), a()]).toEqual([0.43819457083009183, 0.8213086246978492, 0.09252737858332694]);
    const b = mulberry32(0);
    expect([b(), b(), b()]).toEqual([0.26642920868471265, 0.0003297457005828619, 0.2232720274478197]);
    const c = mulberry32(2 ** 32 - 1);
    expect([c(), c()]).toEqual([0.8964226141106337, 0.189478256739676]);
  });

  it('stays in [0, 1) with a flat histogram', () => {
    const r = mulberry32(7);
    const bins = new Array(10).fill(0);
    let outside = 0;
    for (let i = 0; i < 100_000; i++) {
      const v = r();
      if (!(v >= 0 && v < 1)) outside++;
      else bins[Math.floor(v * 10)]++;
    }
    expect(outside).toBe(0);
    for (const n of bins) expect(Math.abs(n - 10_000)).toBeLessThan(500); // > 5 sigma for a fair die
  });

  it('helpers draw from the stated ranges and keep every element', () => {
    const r = mulberry32(1);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) seen.add(randomInt(r, 3, 5));
    expect([...seen].sort()).toEqual([3, 4, 5]);
    const counts = [0, 0, 0];
    for (let i = 0; i < 3000; i++) counts[randomWeightedIndex(r, [1, 0, 2])]++;
    expect(counts[1]).toBe(0);
    expect(counts[2] / counts[0]).toBeGreaterThan(1.6);
    const arr = Array.from({ length: 50 }, (_, i) => i);
    expect([...shuffleInPlace(r, [...arr])].sort((x, y) => x - y)).toEqual(arr);
    expect(() => randomWeightedIndex(r, [0, 0])).toThrow(RangeError);
  });
});
