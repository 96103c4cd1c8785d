import { describe, expect, it } from 'vitest';
import { CimError } from '../cim/errors.ts';
import { mulberry32 } from '../random.ts';
import { float32Raster, RasterGrid, type Float32Raster } from './raster.ts';
import { computeViewshed, sweepAngle, ViewshedEngine, type ViewshedOptions } from './viewshed.ts';

/** A W×H DSM with 1 m cells, west edge at x = 1000, north edge at y = 5000, heights from fn(col, row). */
function dsmOf(W: number, H: number, fn: (col: number, row: number) => number, nodata: number | null = null, px = 1, py = 1): Float32Raster {
  const v = new Float32Array(W * H);
  for (let r = 0; r < H; r++) for (let c = 0; c < W; c++) v[r * W + c] = fn(c, r);
  return float32Raster(new RasterGrid({ width: W, height: H, originX: 1000, originY: 5000, pixelSizeX: px, pixelSizeY: py }), v, nodata);
}

/** Map coordinates of the centre of cell (col, row) of such a DSM. */
const at = (d: Float32Raster, col: number, row: number) => ({ observerX: d.grid.centreX(col), observerY: d.grid.centreY(row) });
const cell = (vis: Uint8Array, d: Float32Raster, col: number, row: number) => vis[row * d.grid.width + col];

const HALVES = [-0.5, 0.5] as const;

/**
 * Brute-force reference of the model in docs/viewshed.md, written independently of the engine: for
 * every target it looks at every cell of the grid, decides geometrically whether the segment crosses
 * the cell's open square, takes the cell's enter and exit corners as the two corners with the extreme
 * directions seen from the observer (atan2), and interpolates the elevation angle linearly in
 * direction. Cost per target: the cells in the box between observer and target.
 */
function referenceViewshed(d: Float32Raster, o: ViewshedOptions): Uint8Array {
  const { width: W, height: H, pixelSizeX: px, pixelSizeY: py } = d.grid;
  const z = (c: number, r: number) => d.values[r * W + c]!;
  const nd = (v: number) => Number.isNaN(v) || v === d.nodata;
  const oc = d.grid.colAt(o.observerX);
  const or = d.grid.rowAt(o.observerY);
  const eye = Math.fround(z(oc, or) + Math.fround(o.observerHeightM));
  const tgt = Math.fround(o.targetHeightM ?? 0);
  const out = new Uint8Array(W * H);
  // direction of an offset in cell units, counter-clockwise from east (rows go south)
  const dir = (dx: number, dy: number) => Math.atan2(-dy, dx);
  const cornerZ = (c: number, r: number, hx: number, hy: number) => {
    const c1 = c + Math.sign(hx);
    const r1 = r + Math.sign(hy);
    if (c1 < 0 || r1 < 0 || c1 >= W || r1 >= H) return z(c, r);
    const vals = [z(c1, r1), z(c, r1), z(c1, r), z(c, r)];
    if (vals.some(nd)) return z(c, r);
    return vals.reduce((a, b) => a + b) / 4;
  };
  const angleOf = (zz: number, dx: number, dy: number) => Math.atan((zz - eye) / Math.hypot(dx * px, dy * py));
  for (let tr = 0; tr < H; tr++) {
    for (let tc = 0; tc < W; tc++) {
      const tx = tc - oc;
      const ty = tr - or;
      if (Math.hypot(tx * px, ty * py) > o.radiusM) continue;
      if (tx === 0 && ty === 0) {
        out[tr * W + tc] = 1;
        continue;
      }
      if (nd(z(tc, tr))) {
        out[tr * W + tc] = o.nodataVisible ? 1 : 0;
        continue;
      }
      const gT = angleOf(Math.fround(z(tc, tr) + tgt), tx, ty);
      const theta = dir(tx, ty);
      let blocked = false;
      // only cells between observer and target along both axes can be crossed
      const rLo = Math.min(or, tr);
      const rHi = Math.max(or, tr);
      const cLo = Math.min(oc, tc);
      const cHi = Math.max(oc, tc);
      for (let r = rLo; r <= rHi && !blocked; r++) {
        const cy = r - or;
        // a cell of this row can only be crossed near where the line runs through the row
        const xc = ty === 0 ? 0 : (cy * tx) / ty;
        const half = ty === 0 ? Infinity : Math.abs(tx / ty) / 2 + 1;
        for (let c = Math.max(cLo, Math.ceil(oc + xc - half)); c <= Math.min(cHi, Math.floor(oc + xc + half)) && !blocked; c++) {
          const cx = c - oc;
          if ((cx === 0 && cy === 0) || (cx === tx && cy === ty) || nd(z(c, r))) continue;
          // the line through observer and target separates the square's corners
          let lo = Infinity;
          let hi = -Infinity;
          for (const hx of HALVES) {
            for (const hy of HALVES) {
              const side = (cx + hx) * ty - (cy + hy) * tx;
              lo = Math.min(lo, side);
              hi = Math.max(hi, side);
            }
          }
          if (!(lo < 0 && hi > 0)) continue;
          // enter/exit corners: smallest and largest direction relative to the cell centre's
          const centreDir = dir(cx, cy);
          let loRel = Infinity;
          let hiRel = -Infinity;
          let loH = [0, 0];
          let hiH = [0, 0];
          for (const hx of HALVES) {
            for (const hy of HALVES) {
              let rel = dir(cx + hx, cy + hy) - centreDir;
              if (rel > Math.PI) rel -= 2 * Math.PI;
              if (rel < -Math.PI) rel += 2 * Math.PI;
              if (rel < loRel) (loRel = rel), (loH = [hx, hy]);
              if (rel > hiRel) (hiRel = rel), (hiH = [hx, hy]);
            }
          }
          let rel = theta - centreDir;
          if (rel > Math.PI) rel -= 2 * Math.PI;
          if (rel < -Math.PI) rel += 2 * Math.PI;
          const gC = angleOf(z(c, r), cx, cy);
          const [kx, ky] = rel < 0 ? loH : hiH;
          const kRel = rel < 0 ? loRel : hiRel;
          const gK = angleOf(cornerZ(c, r, kx!, ky!), cx + kx!, cy + ky!);
          const g = rel === 0 ? gC : gC + ((gK - gC) * rel) / kRel;
          if (g > gT) blocked = true;
        }
      }
      if (!blocked) out[tr * W + tc] = 1;
    }
  }
  return out;
}

describe('viewshed: hand-checkable cases', () => {
  it('flat ground: everything within the radius is visible, nothing beyond it', () => {
    const d = dsmOf(41, 31, () => 5);
    const r = computeViewshed(d, { ...at(d, 20, 15), observerHeightM: 1.7, radiusM: 12 });
    let inside = 0;
    for (let row = 0; row < 31; row++) {
      for (let col = 0; col < 41; col++) {
        const isIn = Math.hypot(col - 20, row - 15) <= 12;
        if (isIn) inside++;
        expect(cell(r.visibility.values, d, col, row)).toBe(isIn ? 1 : 0);
      }
    }
    expect(r.cellsInRadius).toBe(inside);
    expect(r.visibleCount).toBe(inside);
    expect(r.observerEyeM).toBeCloseTo(6.7, 5);
  });

  it('a cell whose centre is exactly at the radius is inside; the next one out is not', () => {
    const d = dsmOf(21, 21, () => 0);
    const v = computeViewshed(d, { ...at(d, 10, 10), observerHeightM: 2, radiusM: 5 }).visibility.values;
    expect(cell(v, d, 15, 10)).toBe(1); // 5 east
    expect(cell(v, d, 13, 14)).toBe(1); // (3, 4): exactly 5
    expect(cell(v, d, 14, 13)).toBe(1);
    expect(cell(v, d, 14, 14)).toBe(0); // 5.66
    expect(cell(v, d, 16, 10)).toBe(0); // 6
    expect(cell(v, d, 15, 11)).toBe(0); // 5.10
  });

  it('a wall between observer and target blocks; the wall itself and the ground before it are seen', () => {
    // wall of height 10 along column 10; observer on the ground at column 0, eye 2 m
    const d = dsmOf(31, 9, (c) => (c === 10 ? 10 : 0));
    const v = computeViewshed(d, { ...at(d, 0, 4), observerHeightM: 2, radiusM: 40 }).visibility.values;
    expect(cell(v, d, 9, 4)).toBe(1);
    expect(cell(v, d, 10, 4)).toBe(1);
    for (let c = 11; c < 31; c++) expect(cell(v, d, c, 4)).toBe(0);
  });

  it('target height lifts a cell over the wall, ties counting as visible', () => {
    // along the observer's row the wall (x = 10, 8 m above the eye) is at elevation angle atan(8/10);
    // a target at x = 20 clears it when (h − 2)/20 ≥ 0.8, i.e. h ≥ 18 m
    const d = dsmOf(31, 9, (c) => (c === 10 ? 10 : 0));
    const o = { ...at(d, 0, 4), observerHeightM: 2, radiusM: 40 };
    expect(cell(computeViewshed(d, { ...o, targetHeightM: 17.9 }).visibility.values, d, 20, 4)).toBe(0);
    expect(cell(computeViewshed(d, { ...o, targetHeightM: 18 }).visibility.values, d, 20, 4)).toBe(1);
    expect(cell(computeViewshed(d, { ...o, targetHeightM: 18.1 }).visibility.values, d, 20, 4)).toBe(1);
    // farther away the same wall needs more: at x = 30, h ≥ 2 + 0.8·30 = 26
    expect(cell(computeViewshed(d, { ...o, targetHeightM: 20 }).visibility.values, d, 30, 4)).toBe(0);
    expect(cell(computeViewshed(d, { ...o, targetHeightM: 26.5 }).visibility.values, d, 30, 4)).toBe(1);
  });

  it('an observer on a tower sees over a ring of buildings that hides everything from the ground', () => {
    // square ring of 10 m buildings at Chebyshev distance 5 around a 30 m tower cell
    const ring = (c: number, r: number) => Math.max(Math.abs(c - 20), Math.abs(r - 20)) === 5;
    const ground = dsmOf(41, 41, (c, r) => (ring(c, r) ? 10 : 0));
    const tower = dsmOf(41, 41, (c, r) => (c === 20 && r === 20 ? 30 : ring(c, r) ? 10 : 0));
    const fromGround = computeViewshed(ground, { ...at(ground, 20, 20), observerHeightM: 2, radiusM: 20 }).visibility.values;
    for (let c = 26; c <= 40; c++) expect(cell(fromGround, ground, c, 20)).toBe(0);
    // eye 32 m; the wall at 5 m is at slope (10 − 32)/5 = −4.4; ground at x is seen once 32/x < 4.4, x ≥ 8
    const fromTower = computeViewshed(tower, { ...at(tower, 20, 20), observerHeightM: 2, radiusM: 20 }).visibility.values;
    expect(cell(fromTower, tower, 26, 20)).toBe(0);
    expect(cell(fromTower, tower, 27, 20)).toBe(0);
    expect(cell(fromTower, tower, 28, 20)).toBe(1);
    expect(cell(fromTower, tower, 40, 20)).toBe(1);
    expect(cell(fromTower, tower, 20, 13)).toBe(0); // the same geometry to the north
    expect(cell(fromTower, tower, 20, 12)).toBe(1);
  });

  it('a segment through a corner is not blocked by the cells that only touch it there', () => {
    // diagonal from (0,0) to (4,4): cell (2,1) meets the diagonal only at the corner (1.5, 1.5)
    const touching = dsmOf(9, 9, (c, r) => (c === 2 && r === 1 ? 50 : 0));
    const v1 = computeViewshed(touching, { ...at(touching, 0, 0), observerHeightM: 2, radiusM: 20 }).visibility.values;
    expect(cell(v1, touching, 4, 4)).toBe(1);
    expect(cell(v1, touching, 4, 2)).toBe(0); // straight behind it
    const crossed = dsmOf(9, 9, (c, r) => (c === 2 && r === 2 ? 50 : 0));
    const v2 = computeViewshed(crossed, { ...at(crossed, 0, 0), observerHeightM: 2, radiusM: 20 }).visibility.values;
    expect(cell(v2, crossed, 4, 4)).toBe(0);
  });

  it('no-data cells never block, are 0 unless nodataVisible, and the observer may not stand on one', () => {
    const ND = -9999;
    const d = dsmOf(21, 5, (c) => (c === 5 ? ND : c === 12 ? ND : 0), ND);
    const o = { ...at(d, 0, 2), observerHeightM: 2, radiusM: 30 };
    const v = computeViewshed(d, o).visibility.values;
    expect(cell(v, d, 5, 2)).toBe(0);
    expect(cell(v, d, 6, 2)).toBe(1); // behind a no-data cell of "height −9999": not a pit, not a wall
    expect(cell(v, d, 20, 2)).toBe(1);
    const v2 = computeViewshed(d, { ...o, nodataVisible: true }).visibility.values;
    expect(cell(v2, d, 5, 2)).toBe(1);
    expect(() => computeViewshed(d, { ...at(d, 5, 2), observerHeightM: 2, radiusM: 5 })).toThrow(/no-data cell \(column 5, row 2\)/);
    const nan = dsmOf(5, 5, (c) => (c === 1 ? NaN : 0));
    expect(cell(computeViewshed(nan, { ...at(nan, 0, 2), observerHeightM: 1, radiusM: 9 }).visibility.values, nan, 1, 2)).toBe(0);
  });

  it('rejects an observer outside the DSM and bad heights or radius, naming the field', () => {
    const d = dsmOf(10, 10, () => 0);
    const ok = { ...at(d, 5, 5), observerHeightM: 2, radiusM: 5 };
    const err = (o: ViewshedOptions) => {
      try {
        computeViewshed(d, o);
      } catch (e) {
        return e as CimError;
      }
      throw new Error('no error');
    };
    const outside = err({ ...ok, observerX: 999.9 });
    expect(outside).toBeInstanceOf(CimError);
    expect(outside.field).toBe('observer');
    expect(outside.message).toMatch(/outside the DSM, which covers x 1000…1010, y 4990…5000/);
    expect(err({ ...ok, radiusM: -1 }).field).toBe('radiusM');
    expect(err({ ...ok, observerHeightM: -0.5 }).field).toBe('observerHeightM');
    expect(err({ ...ok, targetHeightM: Number.NaN }).field).toBe('targetHeightM');
    // the east and north edges belong to the next cell: outside
    expect(err({ ...ok, observerX: 1010 }).field).toBe('observer');
    expect(computeViewshed(d, { ...ok, observerX: 1009.999 }).observerCol).toBe(9);
  });

  it('radius 0 keeps only the observer cell', () => {
    const d = dsmOf(5, 5, () => 0);
    const r = computeViewshed(d, { ...at(d, 2, 2), observerHeightM: 1, radiusM: 0 });
    expect(r.visibleCount).toBe(1);
    expect(r.cellsInRadius).toBe(1);
    expect(cell(r.visibility.values, d, 2, 2)).toBe(1);
  });
});

describe('viewshed: against a brute-force reference of the model', () => {
  const rough = (seed: number, W: number, H: number, nodataShare: number) => {
    const rnd = mulberry32(seed);
    // ground plus random blocks and spikes, a few no-data cells
    const base = new Float32Array(W * H);
    for (let i = 0; i < base.length; i++) base[i] = rnd() * 3;
    for (let b = 0; b < 12; b++) {
      const c0 = Math.floor(rnd() * W);
      const r0 = Math.floor(rnd() * H);
      const w = 1 + Math.floor(rnd() * 6);
      const h = 1 + Math.floor(rnd() * 6);
      const top = 4 + rnd() * 25;
      for (let r = r0; r < Math.min(H, r0 + h); r++) for (let c = c0; c < Math.min(W, c0 + w); c++) base[r * W + c] = top;
    }
    for (let i = 0; i < base.length; i++) if (rnd() < nodataShare) base[i] = -1;
    return base;
  };

  for (const [seed, W, H, oc, or, radius, oh, th, px, py] of [
    [1, 41, 41, 20, 20, 20, 2, 0, 1, 1],
    [2, 37, 29, 3, 25, 30, 10, 1.5, 1, 1],
    [3, 33, 33, 16, 0, 15.5, 5, 0, 1, 1],
    [4, 40, 30, 30, 12, 40, 1.7, 0, 0.5, 0.5],
    [5, 31, 35, 12, 17, 14, 3, 0, 1, 1.5],
  ] as const) {
    it(`seed ${seed}: ${W}×${H}, observer (${oc}, ${or}), radius ${radius}, pixel ${px}×${py}`, () => {
      const values = rough(seed, W, H, 0.02);
      values[or * W + oc] = 1;
      const d = float32Raster(new RasterGrid({ width: W, height: H, originX: 0, originY: 0, pixelSizeX: px, pixelSizeY: py }), values, -1);
      const o: ViewshedOptions = { ...at(d, oc, or), observerHeightM: oh, targetHeightM: th, radiusM: radius };
      const ours = computeViewshed(d, o).visibility.values;
      const ref = referenceViewshed(d, o);
      const diff: string[] = [];
      for (let i = 0; i < ours.length; i++) if (ours[i] !== ref[i]) diff.push(`(${i % W}, ${Math.floor(i / W)}) ours ${ours[i]} ref ${ref[i]}`);
      expect(diff).toEqual([]);
      // a non-trivial case: some cells visible, some blocked
      const visible = ours.reduce((a, b) => a + b, 0);
      expect(visible).toBeGreaterThan(10);
      expect(visible).toBeLessThan(computeViewshed(d, o).cellsInRadius);
    });
  }

  it('a bowl large enough for 64×64 block jumps: observer on a mast, ground rising beyond 50 m, spikes', () => {
    const W = 200;
    const H = 180;
    const rnd = mulberry32(77);
    const values = new Float32Array(W * H);
    for (let r = 0; r < H; r++) {
      for (let c = 0; c < W; c++) {
        const d = Math.hypot(c - 100, r - 90);
        values[r * W + c] = Math.max(0, d - 50) * 0.6 + (rnd() < 0.002 ? 3 + rnd() * 9 : rnd() * 0.5);
      }
    }
    const d = float32Raster(new RasterGrid({ width: W, height: H, originX: 0, originY: 0, pixelSizeX: 1, pixelSizeY: 1 }), values);
    const o: ViewshedOptions = { ...at(d, 100, 90), observerHeightM: 30, radiusM: 95 };
    const ours = computeViewshed(d, o);
    const ref = referenceViewshed(d, o);
    let diff = 0;
    for (let i = 0; i < ref.length; i++) if (ours.visibility.values[i] !== ref[i]) diff++;
    expect(diff).toBe(0);
    expect(ours.visibleCount).toBeGreaterThan(ours.cellsInRadius / 3);
    expect(ours.visibleCount).toBeLessThan(ours.cellsInRadius);
  });

  it('one engine reused for several observers gives the same results as fresh engines', () => {
    const W = 60;
    const H = 50;
    const values = rough(9, W, H, 0);
    const d = float32Raster(new RasterGrid({ width: W, height: H, originX: 0, originY: 0, pixelSizeX: 1, pixelSizeY: 1 }), values);
    const engine = new ViewshedEngine();
    const out = new Uint8Array(W * H);
    for (const [c, r, rad] of [
      [5, 5, 30],
      [50, 40, 45],
      [30, 25, 12],
      [30, 25, 70],
    ] as const) {
      const o = { ...at(d, c, r), observerHeightM: 4, radiusM: rad };
      const reused = engine.compute(d, o, out);
      expect(reused.visibility.values).toBe(out);
      expect(Array.from(out)).toEqual(Array.from(computeViewshed(d, o).visibility.values));
    }
  });
});

describe('sweepAngle', () => {
  it('measures counter-clockwise from east with rows growing south', () => {
    expect(sweepAngle(1, 0)).toBe(0);
    expect(sweepAngle(0, -1)).toBeCloseTo(Math.PI / 2, 15);
    expect(sweepAngle(-1, 0)).toBeCloseTo(Math.PI, 15);
    expect(sweepAngle(0, 1)).toBeCloseTo(1.5 * Math.PI, 15);
    expect(sweepAngle(1, -1)).toBeCloseTo(Math.PI / 4, 15);
    expect(sweepAngle(-1, 1)).toBeCloseTo(1.25 * Math.PI, 15);
    expect(sweepAngle(1, 1)).toBeCloseTo(1.75 * Math.PI, 15);
  });
});
