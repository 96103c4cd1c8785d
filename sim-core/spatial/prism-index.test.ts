import { describe, expect, it } from 'vitest';
import { CityBuilder } from '../cim/builder.ts';
import { pointInTablePolygon } from '../geom/polygon.ts';
import type { BuildingTable } from '../cim/types.ts';
import { PRISM_INDEX_MAGIC, PrismIndex } from './prism-index.ts';
import { mulberry32 } from '../random.ts';

const ORIGIN = { lonDeg: 119.16, latDeg: 36.71, heightM: 0 };

/** A city with only the given buildings: [rings, baseM, roofM]. */
function buildings(list: [number[][], number, number][]): BuildingTable {
  const b = new CityBuilder(ORIGIN);
  list.forEach(([rings, baseM, roofM], i) => b.addBuilding({ id: `b${i}`, rings, baseM, roofM }));
  return b.build().buildings;
}

const square = (x0: number, y0: number, x1: number, y1: number) => [x0, y0, x1, y0, x1, y1, x0, y1];

describe('PrismIndex segment vs prism', () => {
  // One box 10 × 10 m, 0–20 m high; one raised slab (base 5 m, roof 20 m) at x 30–40.
  const idx = PrismIndex.fromBuildings(buildings([[[square(0, 0, 10, 10)], 0, 20], [[square(30, 0, 40, 10)], 5, 20]]));

  it('blocks a segment through the wall and reports where it enters', () => {
    expect(idx.segmentBlocked(-5, 5, 5, 15, 5, 5)).toBe(true);
    // enters at x = 0: a quarter of the way from x = -5 to x = 15
    expect(idx.firstHitT(-5, 5, 5, 15, 5, 5)).toBeCloseTo(0.25, 12);
    expect(idx.firstHitT(15, 5, 5, -5, 5, 5)).toBeCloseTo(0.25, 12);
  });

  it('lets a segment above the roof pass and blocks one that comes down through the roof', () => {
    expect(idx.segmentBlocked(-5, 5, 25, 15, 5, 21)).toBe(false);
    // z = 30 − 20t, x = −5 + 20t: over the footprint for t in [0.25, 0.75], below the roof from t = 0.5
    expect(idx.segmentBlocked(-5, 5, 30, 15, 5, 10)).toBe(true);
    expect(idx.firstHitT(-5, 5, 30, 15, 5, 10)).toBeCloseTo(0.5, 12);
    // skimming the roof plane exactly is contact, not blocking
    expect(idx.segmentBlocked(-5, 5, 20, 15, 5, 20)).toBe(false);
  });

  it('lets a segment pass below a raised base', () => {
    expect(idx.segmentBlocked(25, 5, 3, 45, 5, 3)).toBe(false);
    expect(idx.segmentBlocked(25, 5, 5, 45, 5, 5)).toBe(false); // along the base plane: contact
    expect(idx.segmentBlocked(25, 5, 6, 45, 5, 6)).toBe(true);
    // from a 2 m camera under the slab up into it
    expect(idx.segmentBlocked(35, 5, 2, 35, 5, 8)).toBe(true);
    expect(idx.firstHitT(35, 5, 2, 35, 5, 8)).toBeCloseTo(0.5, 12);
  });

  it('does not block a segment grazing a corner or running along a wall', () => {
    expect(idx.segmentBlocked(-5, 5, 5, 5, -5, 5)).toBe(false); // touches only the corner (0, 0)
    expect(idx.segmentBlocked(-5, 0, 5, 15, 0, 5)).toBe(false); // along the wall y = 0
    expect(idx.segmentBlocked(-5, -5, 5, 15, 15, 5)).toBe(true); // corner to corner through the inside
    expect(idx.firstHitT(-5, -5, 5, 15, 15, 5)).toBeCloseTo(0.25, 12);
  });

  it('treats end points on a wall as clear and end points inside as blocked', () => {
    expect(idx.segmentBlocked(10, 5, 5, 20, 5, 0)).toBe(false); // starts on the east wall, goes out
    expect(idx.segmentBlocked(20, 5, 0, 10, 5, 0)).toBe(false); // ground point at the foot of the wall
    expect(idx.segmentBlocked(5, 5, 5, 20, 5, 5)).toBe(true); // starts inside
    expect(idx.firstHitT(5, 5, 5, 20, 5, 5)).toBe(0);
    expect(idx.segmentBlocked(20, 5, 5, 9.9, 5, 0)).toBe(true); // ends just inside
    expect(idx.segmentBlocked(5, 5, 5, 20, 5, 5, 0)).toBe(false); // ... unless that building is skipped
  });

  it('finds the building holding a point, leaving the ground under a raised part open', () => {
    expect(idx.buildingAt(5, 5, 0)).toBe(0);
    expect(idx.buildingAt(35, 5, 0)).toBe(-1);
    expect(idx.buildingAt(35, 5, 6)).toBe(1);
    expect(idx.buildingAt(5, 5, 20)).toBe(-1); // on the roof
    expect(idx.buildingAt(20, 5, 0)).toBe(-1);
  });
});

describe('PrismIndex footprints with holes and notches', () => {
  // A courtyard building: 0–30 square with a 10–20 hole; an L-shape notched at its north-east.
  const idx = PrismIndex.fromBuildings(
    buildings([
      [[square(0, 0, 30, 30), square(10, 10, 20, 20)], 0, 15],
      [[[50, 0, 70, 0, 70, 10, 60, 10, 60, 20, 50, 20]], 0, 15],
    ]),
  );

  it('sees across a courtyard but not through the ring', () => {
    expect(idx.segmentBlocked(12, 12, 1, 18, 18, 1)).toBe(false);
    expect(idx.segmentBlocked(15, 15, 1, 15, 35, 1)).toBe(true);
    expect(idx.firstHitT(15, 15, 1, 15, 35, 1)).toBeCloseTo(0.25, 12);
  });

  it('sees through the notch of an L but not through its arm', () => {
    expect(idx.segmentBlocked(62, 12, 1, 75, 18, 1)).toBe(false);
    expect(idx.segmentBlocked(45, 15, 1, 75, 15, 1)).toBe(true);
  });
});

describe('PrismIndex serialisation', () => {
  it('round-trips through its ArrayBuffer and rejects foreign data', () => {
    const idx = PrismIndex.fromBuildings(buildings([[[square(0, 0, 10, 10)], 0, 20]]));
    expect(new Uint8Array(idx.data)[0]).toBe(PRISM_INDEX_MAGIC);
    const copy = PrismIndex.from(idx.data.slice(0));
    expect(copy.count).toBe(1);
    expect(copy.segmentBlocked(-5, 5, 5, 15, 5, 5)).toBe(true);
    expect(copy.segmentBlocked(-5, 5, 25, 15, 5, 25)).toBe(false);
    expect(() => PrismIndex.from(new ArrayBuffer(64))).toThrow(/magic/);
    expect(() => PrismIndex.from(new Float64Array(8) as unknown as ArrayBuffer)).toThrow(/ArrayBuffer/);
  });

  it('works with no buildings', () => {
    const idx = PrismIndex.fromBuildings(buildings([]));
    expect(idx.segmentBlocked(0, 0, 0, 10, 10, 10)).toBe(false);
    expect(PrismIndex.from(idx.data).buildingAt(0, 0)).toBe(-1);
  });
});

/** Oracle: exact, tree-free, written independently: all edge crossings of the z-clipped segment, midpoints by pointInTablePolygon. */
function oracleBlocked(b: BuildingTable, a: number[], c: number[]): boolean {
  const dx = c[0] - a[0], dy = c[1] - a[1], dz = c[2] - a[2];
  for (let i = 0; i < b.count; i++) {
    let lo = 0, hi = 1;
    if (dz === 0) {
      if (!(a[2] > b.baseM[i] && a[2] < b.roofM[i])) continue;
    } else {
      const t1 = (b.baseM[i] - a[2]) / dz, t2 = (b.roofM[i] - a[2]) / dz;
      lo = Math.max(lo, Math.min(t1, t2));
      hi = Math.min(hi, Math.max(t1, t2));
    }
    if (hi <= lo) continue;
    const ts = [lo, hi];
    for (let r = b.ringStart[i]; r < b.ringStart[i + 1]; r++) {
      for (let v = b.vertexStart[r]; v < b.vertexStart[r + 1]; v++) {
        const w = v + 1 < b.vertexStart[r + 1] ? v + 1 : b.vertexStart[r];
        const qx = b.xyM[2 * v], qy = b.xyM[2 * v + 1], ex = b.xyM[2 * w] - qx, ey = b.xyM[2 * w + 1] - qy;
        const den = dx * ey - dy * ex;
        if (den === 0) continue;
        const t = ((qx - a[0]) * ey - (qy - a[1]) * ex) / den;
        const u = ((qx - a[0]) * dy - (qy - a[1]) * dx) / den;
        if (t > lo && t < hi && u >= 0 && u <= 1) ts.push(t);
      }
    }
    ts.sort((p, q) => p - q);
    for (let k = 1; k < ts.length; k++) {
      const m = (ts[k - 1] + ts[k]) / 2;
      if (ts[k] - ts[k - 1] > 1e-12 && pointInTablePolygon(a[0] + m * dx, a[1] + m * dy, b.ringStart, b.vertexStart, b.xyM, i)) return true;
    }
  }
  return false;
}

describe('PrismIndex against a brute-force oracle', () => {
  it('agrees on 4,000 random segments among 300 random prisms', () => {
    const rnd = mulberry32(7);
    const list: [number[][], number, number][] = [];
    for (let i = 0; i < 300; i++) {
      const cx = rnd() * 500, cy = rnd() * 500, w = 5 + rnd() * 25, h = 5 + rnd() * 25;
      const base = rnd() < 0.2 ? 3 + rnd() * 10 : 0;
      // a rotated rectangle, sometimes an L (concave)
      const ang = rnd() * Math.PI;
      const pts = rnd() < 0.3 ? [0, 0, w, 0, w, h / 2, w / 2, h / 2, w / 2, h, 0, h] : [0, 0, w, 0, w, h, 0, h];
      const ring: number[] = [];
      for (let k = 0; k < pts.length; k += 2) {
        const x = pts[k] - w / 2, y = pts[k + 1] - h / 2;
        ring.push(cx + x * Math.cos(ang) - y * Math.sin(ang), cy + x * Math.sin(ang) + y * Math.cos(ang));
      }
      list.push([[ring], base, base + 5 + rnd() * 60]);
    }
    const b = buildings(list);
    const idx = PrismIndex.fromBuildings(b, 8);
    let blocked = 0;
    for (let s = 0; s < 4000; s++) {
      const a = [rnd() * 500, rnd() * 500, rnd() * 40];
      const len = rnd() < 0.5 ? 30 : 300;
      const ang = rnd() * 2 * Math.PI;
      const c = [a[0] + len * Math.cos(ang), a[1] + len * Math.sin(ang), rnd() * 40];
      const expected = oracleBlocked(b, a, c);
      expect(idx.segmentBlocked(a[0], a[1], a[2], c[0], c[1], c[2])).toBe(expected);
      expect(idx.firstHitT(a[0], a[1], a[2], c[0], c[1], c[2]) < Infinity).toBe(expected);
      if (s % 10 === 0) {
        let any = false;
        for (let k = 0; k < b.count && !any; k++) any = idx.segmentBlockedBy(k, a[0], a[1], a[2], c[0], c[1], c[2]);
        expect(any).toBe(expected);
      }
      if (expected) blocked++;
    }
    // the sample is not degenerate: both outcomes occur often
    expect(blocked).toBeGreaterThan(400);
    expect(blocked).toBeLessThan(3600);
  });
});
