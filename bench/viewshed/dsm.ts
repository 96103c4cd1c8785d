/**
 * Synthetic DSMs for the viewshed bench, deterministic from a seed (mulberry32): a city (ground with a
 * gentle slope, a street grid, building blocks of varied heights, street clutter) and rolling
 * terrain (a sum of waves with a lake of no-data cells). 1 m cells, heights in metres, float32.
 */
import { mulberry32 } from '../../sim-core/random.ts';

export interface SyntheticDsm {
  name: string;
  width: number;
  height: number;
  values: Float32Array;
  nodata: number | null;
  /** Observer cells (column, row) on open ground, chosen by the generator. */
  observers: Array<[number, number]>;
  description: string;
}

/**
 * A city: streets 10–24 m wide every 60–110 m, each block split into 1–4 lots, most lots built with
 * a building inset 2–6 m from the lot edge: 70 % 6–24 m, 25 % 24–60 m, 5 % towers 60–150 m; small
 * 3×3 m objects (trees, kiosks, 4–9 m) along the streets. Observers at street crossings near the
 * given fractions of the extent.
 */
export function cityDsm(name: string, seed: number, size: number, observerAt: Array<[number, number]>): SyntheticDsm {
  const rnd = mulberry32(seed);
  const W = size;
  const H = size;
  const v = new Float32Array(W * H);
  for (let r = 0; r < H; r++) {
    for (let c = 0; c < W; c++) v[r * W + c] = 3 + (4 * c) / W + (2 * r) / H + 0.3 * Math.sin(c / 37) * Math.cos(r / 53);
  }
  const cuts = (n: number) => {
    // [start, end) of each block along one axis, and street centre lines
    const blocks: Array<[number, number]> = [];
    const streets: number[] = [];
    let p = Math.floor(rnd() * 30);
    while (p < n) {
      const street = 10 + Math.floor(rnd() * 15);
      streets.push(p + (street >> 1));
      const a = p + street;
      const b = Math.min(n, a + 60 + Math.floor(rnd() * 51));
      if (b - a > 15) blocks.push([a, b]);
      p = b;
    }
    return { blocks, streets };
  };
  const xs = cuts(W);
  const ys = cuts(H);
  const raise = (c0: number, r0: number, c1: number, r1: number, h: number) => {
    for (let r = Math.max(0, r0); r < Math.min(H, r1); r++) {
      for (let c = Math.max(0, c0); c < Math.min(W, c1); c++) {
        const i = r * W + c;
        const top = Math.fround(v[i]! + h);
        if (top > v[i]!) v[i] = top;
      }
    }
  };
  for (const [bx0, bx1] of xs.blocks) {
    for (const [by0, by1] of ys.blocks) {
      const splitX = rnd() < 0.5 ? 1 : 2;
      const splitY = rnd() < 0.5 ? 1 : 2;
      for (let i = 0; i < splitX; i++) {
        for (let j = 0; j < splitY; j++) {
          if (rnd() > 0.85) continue;
          const lx0 = bx0 + Math.floor(((bx1 - bx0) * i) / splitX);
          const lx1 = bx0 + Math.floor(((bx1 - bx0) * (i + 1)) / splitX);
          const ly0 = by0 + Math.floor(((by1 - by0) * j) / splitY);
          const ly1 = by0 + Math.floor(((by1 - by0) * (j + 1)) / splitY);
          const inset = 2 + Math.floor(rnd() * 5);
          const u = rnd();
          const h = u < 0.7 ? 6 + rnd() * 18 : u < 0.95 ? 24 + rnd() * 36 : 60 + rnd() * 90;
          raise(lx0 + inset, ly0 + inset, lx1 - inset, ly1 - inset, h);
        }
      }
    }
  }
  // street clutter: small objects along street edges
  for (const sx of xs.streets) {
    for (let r = 0; r < H; r += 8 + Math.floor(rnd() * 20)) if (rnd() < 0.5) raise(sx + 4, r, sx + 7, r + 3, 4 + rnd() * 5);
  }
  for (const sy of ys.streets) {
    for (let c = 0; c < W; c += 8 + Math.floor(rnd() * 20)) if (rnd() < 0.5) raise(c, sy - 7, c + 3, sy - 4, 4 + rnd() * 5);
  }
  const nearest = (lines: number[], p: number) => lines.reduce((a, b) => (Math.abs(b - p) < Math.abs(a - p) ? b : a), lines[0]!);
  const observers = observerAt.map(([fx, fy]) => [nearest(xs.streets, fx * W), nearest(ys.streets, fy * H)] as [number, number]);
  // keep each observer's crossing open: clear a 5 m square of clutter
  for (const [c, r] of observers) {
    for (let rr = r - 2; rr <= r + 2; rr++) {
      for (let cc = c - 2; cc <= c + 2; cc++) v[rr * W + cc] = 3 + (4 * cc) / W + (2 * rr) / H + 0.3 * Math.sin(cc / 37) * Math.cos(rr / 53);
    }
  }
  return {
    name,
    width: W,
    height: H,
    values: v,
    nodata: null,
    observers,
    description: `city, seed ${seed}: ${xs.blocks.length}×${ys.blocks.length} blocks, buildings 6–150 m, street clutter`,
  };
}

/**
 * Rolling terrain: 40 m plus six waves of 3–20 m amplitude and 150–900 m wavelength, small 2–4 m
 * bumps (tree clumps), and a lake: cells below the 15th percentile of a smooth field inside a disc
 * are no-data (−9999).
 */
export function terrainDsm(name: string, seed: number, size: number, observerAt: Array<[number, number]>): SyntheticDsm {
  const rnd = mulberry32(seed);
  const W = size;
  const H = size;
  const waves = Array.from({ length: 6 }, () => {
    const wavelength = 150 + rnd() * 750;
    const dir = rnd() * Math.PI;
    return { a: 3 + rnd() * 17, kx: (Math.cos(dir) * 2 * Math.PI) / wavelength, ky: (Math.sin(dir) * 2 * Math.PI) / wavelength, phase: rnd() * 2 * Math.PI };
  });
  const v = new Float32Array(W * H);
  for (let r = 0; r < H; r++) {
    for (let c = 0; c < W; c++) {
      let z = 40;
      for (const w of waves) z += w.a * Math.sin(w.kx * c + w.ky * r + w.phase);
      v[r * W + c] = z;
    }
  }
  for (let n = 0; n < (W * H) / 400; n++) {
    const c0 = Math.floor(rnd() * W);
    const r0 = Math.floor(rnd() * H);
    const h = 2 + rnd() * 2;
    for (let r = r0; r < Math.min(H, r0 + 3); r++) for (let c = c0; c < Math.min(W, c0 + 3); c++) v[r * W + c] = Math.fround(v[r * W + c]! + h);
  }
  const NODATA = -9999;
  const lc = W * (0.2 + 0.6 * rnd());
  const lr = H * (0.2 + 0.6 * rnd());
  const lrad = size * 0.12;
  const observers = observerAt.map(([fx, fy]) => [Math.floor(fx * W), Math.floor(fy * H)] as [number, number]);
  for (let r = 0; r < H; r++) {
    for (let c = 0; c < W; c++) {
      const d = Math.hypot(c - lc, r - lr);
      if (d < lrad * (0.8 + 0.2 * Math.sin(c / 17 + r / 23)) && !observers.some(([oc, or]) => Math.hypot(c - oc, r - or) < 5)) v[r * W + c] = NODATA;
    }
  }
  return {
    name,
    width: W,
    height: H,
    values: v,
    nodata: NODATA,
    observers,
    description: `rolling terrain, seed ${seed}: six waves 3–20 m, tree clumps, a no-data lake`,
  };
}
