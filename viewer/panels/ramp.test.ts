import { describe, expect, it } from 'vitest';
import { HOLE_RGB, legendStops, rampColor, rasterStats, rasterToRgba, RSRP_RAMP } from './ramp.ts';

describe('RSRP ramp', () => {
  it('hits its stops and clamps at the ends', () => {
    for (const s of RSRP_RAMP) expect(rampColor(s.dbm)).toEqual(s.rgb);
    expect(rampColor(-200)).toEqual(RSRP_RAMP[0]!.rgb);
    expect(rampColor(-20)).toEqual(RSRP_RAMP[RSRP_RAMP.length - 1]!.rgb);
  });
  it('is sequential: brightness rises with RSRP', () => {
    const lum = (c: readonly number[]) => 0.2126 * c[0]! + 0.7152 * c[1]! + 0.0722 * c[2]!;
    let prev = -1;
    for (let dbm = -125; dbm <= -65; dbm += 2.5) {
      const l = lum(rampColor(dbm));
      expect(l).toBeGreaterThan(prev);
      prev = l;
    }
  });
  it('interpolates between stops', () => {
    const mid = rampColor(-117.5);
    const a = RSRP_RAMP[0]!.rgb, b = RSRP_RAMP[1]!.rgb;
    for (let k = 0; k < 3; k++) expect(mid[k]).toBe(Math.round((a[k]! + b[k]!) / 2));
  });
  it('legend starts at the threshold and lists the stops above it', () => {
    const l = legendStops(-105);
    expect(l[0]!.dbm).toBe(-105);
    expect(l.map((s) => s.dbm)).toEqual([-105, -95, -80, -65]);
  });
});

describe('raster image', () => {
  // 3 × 2 grid, row 0 south: [-90, NaN, -110] / [-70, inactive, -100]
  const raster = {
    grid: { originXM: 0, originYM: 0, cellM: 5, nx: 3, ny: 2 },
    active: Uint8Array.from([1, 1, 1, 1, 0, 1]),
    rsrpDbm: Float64Array.from([-90, NaN, -110, -70, NaN, -100]),
  };
  it('puts the north row first, marks holes and leaves inactive cells transparent', () => {
    const img = rasterToRgba(raster, -105);
    const px = (col: number, imgRow: number) => Array.from(img.slice(4 * (imgRow * 3 + col), 4 * (imgRow * 3 + col) + 4));
    // image row 0 = grid row 1 (north)
    expect(px(0, 0).slice(0, 3)).toEqual([...rampColor(-70)]);
    expect(px(1, 0)[3]).toBe(0);
    expect(px(2, 0).slice(0, 3)).toEqual([...rampColor(-100)]);
    // image row 1 = grid row 0 (south): -90 ok, NaN hole, -110 hole
    expect(px(0, 1).slice(0, 3)).toEqual([...rampColor(-90)]);
    expect(px(1, 1).slice(0, 3)).toEqual([...HOLE_RGB]);
    expect(px(2, 1).slice(0, 3)).toEqual([...HOLE_RGB]);
  });
  it('counts active samples, holes and no-service samples', () => {
    expect(rasterStats(raster, -105)).toEqual({ active: 5, holes: 2, noService: 1, minDbm: -110, maxDbm: -70 });
    expect(rasterStats(raster, -95).holes).toBe(3);
  });
  it('refuses an output of the wrong size', () => {
    expect(() => rasterToRgba(raster, -105, new Uint8ClampedArray(4))).toThrow(/3 × 2/);
  });
});
