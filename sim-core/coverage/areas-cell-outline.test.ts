import { describe, expect, it } from 'vitest';
import { outlineCells } from './areas-cell-outline.ts';

/** Grid from rows of '#' (filled) and '.', top row first. */
function grid(rows: string[]): [Uint8Array, number, number] {
  const h = rows.length, w = rows[0].length;
  const f = new Uint8Array(w * h);
  rows.forEach((r, k) => [...r].forEach((c, i) => (f[(h - 1 - k) * w + i] = c === '#' ? 1 : 0)));
  return [f, w, h];
}

const area = (ring: [number, number][]) => ring.reduce((s, [x, y], i) => { const [x2, y2] = ring[(i + 1) % ring.length]; return s + (x * y2 - x2 * y) / 2; }, 0);

describe('outlineCells', () => {
  it('outlines an L with its six corners, counter-clockwise', () => {
    const polys = outlineCells(...grid(['#.', '##']));
    expect(polys).toHaveLength(1);
    expect(polys[0]).toHaveLength(1);
    const ring = polys[0][0];
    expect(ring).toHaveLength(6);
    expect(area(ring)).toBe(3);
    expect(new Set(ring.map(String))).toEqual(new Set(['0,0', '2,0', '2,1', '1,1', '1,2', '0,2']));
  });

  it('gives a ring of cells its hole, clockwise', () => {
    const polys = outlineCells(...grid(['###', '#.#', '###']));
    expect(polys).toHaveLength(1);
    const [outer, hole] = polys[0];
    expect(area(outer)).toBe(9);
    expect(area(hole)).toBe(-1);
    expect(hole).toHaveLength(4);
  });

  it('keeps cells touching at a corner apart, and puts an island in a hole into its own polygon', () => {
    expect(outlineCells(...grid(['.#', '#.']))).toHaveLength(2);
    const polys = outlineCells(...grid(['#####', '#...#', '#.#.#', '#...#', '#####']));
    expect(polys).toHaveLength(2);
    const big = polys.find((p) => area(p[0]) === 25)!;
    expect(big).toHaveLength(2); // outer ring and the 3 × 3 hole
    expect(area(big[1])).toBe(-9);
    const island = polys.find((p) => area(p[0]) === 1)!;
    expect(island).toHaveLength(1);
  });

  it('returns nothing for an empty grid', () => {
    expect(outlineCells(...grid(['...', '...']))).toEqual([]);
  });
});
