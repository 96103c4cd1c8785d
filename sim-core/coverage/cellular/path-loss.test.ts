/**
 * TR 38.901 Table 7.4.1-1 checked against values worked out by hand from the table's formulas
 * (each expectation's arithmetic is written beside it; log10 values to 6 digits).
 */
import { describe, expect, it } from 'vitest';
import { PathLossKernel, PathLossRangeError, breakpointDistanceM, pathLoss38901 } from './path-loss.ts';
import { MEAN_D2D_IN_UMA_UMI_M, o2iLossDb, throughWallLossDb } from './o2i.ts';

describe('TR 38.901 UMa', () => {
  it('breakpoint d\'BP = 4 h\'BS h\'UT fc / c', () => {
    // 4 × (25 − 1) × (1.5 − 1) × 3.5e9 / 3e8 = 48 × 11.6667 = 560 m
    expect(breakpointDistanceM(3.5, 25, 1.5)).toBeCloseTo(560, 9);
  });

  it('LOS below the breakpoint uses PL1', () => {
    // d3D = √(100² + 23.5²) = 102.7241; PL1 = 28 + 22·log10(102.7241) + 20·log10(3.5)
    //     = 28 + 22·2.011672 + 20·0.544068 = 28 + 44.25678 + 10.88136 = 83.1381
    const r = pathLoss38901({ scenario: 'uma', los: true, fcGHz: 3.5, d2DM: 100, hBsM: 25, hUtM: 1.5 });
    expect(r.formula).toBe('PL1');
    expect(r.d3DM).toBeCloseTo(102.7241, 4);
    expect(r.pathLossDb).toBeCloseTo(83.1382, 3);
    expect(r.sigmaSfDb).toBe(4);
  });

  it('LOS above the breakpoint uses PL2', () => {
    // d3D = √(1000² + 23.5²) = 1000.2761; PL2 = 28 + 40·log10(1000.2761) + 10.88136 − 9·log10(560² + 23.5²)
    //     = 28 + 40·3.000120 + 10.88136 − 9·log10(314152.25) = 28 + 120.00479 + 10.88136 − 9·5.497141 = 109.4119
    const r = pathLoss38901({ scenario: 'uma', los: true, fcGHz: 3.5, d2DM: 1000 });
    expect(r.formula).toBe('PL2');
    expect(r.breakpointM).toBeCloseTo(560, 9);
    expect(r.pathLossDb).toBeCloseTo(109.4119, 3);
  });

  it('NLOS = max(LOS, NLOS\')', () => {
    // NLOS' = 13.54 + 39.08·3.000120 + 10.88136 − 0.6·0 = 13.54 + 117.24468 + 10.88136 = 141.6660 > 109.41 (LOS)
    const r = pathLoss38901({ scenario: 'uma', los: false, fcGHz: 3.5, d2DM: 1000 });
    expect(r.formula).toBe("NLOS'");
    expect(r.pathLossDb).toBeCloseTo(141.666, 3);
    expect(r.sigmaSfDb).toBe(6);
  });

  it('the UE-height term −0.6 (hUT − 1.5) and a breakpoint beyond d2D', () => {
    // n28 0.7 GHz, hUT = 10 m: d'BP = 4·24·9·0.7e9/3e8 = 2016 m; d3D = √(300² + 15²) = 300.3748
    // LOS (PL1) = 28 + 22·2.477664 + 20·(−0.154902) = 28 + 54.50861 − 3.09804 = 79.4106
    // NLOS' = 13.54 + 39.08·2.477664 + (−3.09804) − 0.6·8.5 = 13.54 + 96.82711 − 3.09804 − 5.1 = 102.1690
    const los = pathLoss38901({ scenario: 'uma', los: true, fcGHz: 0.7, d2DM: 300, hUtM: 10 });
    const nlos = pathLoss38901({ scenario: 'uma', los: false, fcGHz: 0.7, d2DM: 300, hUtM: 10 });
    expect(los.breakpointM).toBeCloseTo(2016, 6);
    expect(los.pathLossDb).toBeCloseTo(79.4106, 3);
    expect(nlos.pathLossDb).toBeCloseTo(102.169, 3);
  });
});

describe('TR 38.901 UMi-Street Canyon', () => {
  it('LOS PL1, NLOS\' and the 10 m default antenna', () => {
    // d'BP = 4·9·0.5·3.5e9/3e8 = 210 m; d3D = √(100² + 8.5²) = 100.3606
    // PL1 = 32.4 + 21·2.001563 + 10.88136 = 85.3142; NLOS' = 35.3·2.001563 + 22.4 + 21.3·0.544068 = 104.6438
    const los = pathLoss38901({ scenario: 'umi', los: true, fcGHz: 3.5, d2DM: 100 });
    const nlos = pathLoss38901({ scenario: 'umi', los: false, fcGHz: 3.5, d2DM: 100 });
    expect(los.breakpointM).toBeCloseTo(210, 9);
    expect(los.hBsM).toBe(10);
    expect(los.pathLossDb).toBeCloseTo(85.3142, 3);
    expect(nlos.pathLossDb).toBeCloseTo(104.6438, 3);
    expect(nlos.sigmaSfDb).toBe(7.82);
  });

  it('LOS PL2 beyond the breakpoint', () => {
    // d3D = √(400² + 8.5²) = 400.0903; PL2 = 32.4 + 40·2.602158 + 10.88136 − 9.5·log10(210² + 8.5²)
    //     = 32.4 + 104.08632 + 10.88136 − 9.5·4.645129 = 103.2388
    const r = pathLoss38901({ scenario: 'umi', los: true, fcGHz: 3.5, d2DM: 400 });
    expect(r.formula).toBe('PL2');
    expect(r.pathLossDb).toBeCloseTo(103.2388, 3);
  });

  it('NLOS takes the LOS value where PL2 exceeds NLOS\' (low mast, low frequency, planning ranges)', () => {
    // hBS = 5, fc = 0.5: d'BP = 4·4·0.5·0.5e9/3e8 = 13.333 m; d3D = √(1000² + 3.5²) = 1000.0061
    // PL2 = 32.4 + 40·3.0000027 − 6.0206 − 9.5·log10(13.333² + 3.5²) = 32.4 + 120.0001 − 6.0206 − 9.5·2.278822 = 124.7307
    // NLOS' = 35.3·3.0000027 + 22.4 + 21.3·(−0.30103) = 105.9001 + 22.4 − 6.4119 = 121.8882 → max is the LOS value
    const r = pathLoss38901({ scenario: 'umi', los: false, fcGHz: 0.5, d2DM: 1000, hBsM: 5, ranges: 'planning' });
    expect(r.formula).toBe('PL2');
    expect(r.pathLossDb).toBeCloseTo(124.7307, 3);
  });
});

describe('validity ranges of Table 7.4.1-1', () => {
  const base = { scenario: 'uma' as const, los: true, fcGHz: 3.5, d2DM: 100 };
  it('strict: d2D below 10 m, above 5 km, hUT outside 1.5–22.5 m, hBS ≠ 25 m, fc outside 0.5–100 GHz throw', () => {
    const cases: [Partial<Parameters<typeof pathLoss38901>[0]>, string][] = [
      [{ d2DM: 9.99 }, 'd2DM'],
      [{ d2DM: 5000.1 }, 'd2DM'],
      [{ hUtM: 1.4 }, 'hUtM'],
      [{ hUtM: 22.6 }, 'hUtM'],
      [{ hBsM: 30 }, 'hBsM'],
      [{ fcGHz: 0.45 }, 'fcGHz'],
      [{ fcGHz: 101 }, 'fcGHz'],
    ];
    for (const [patch, param] of cases) {
      let err: unknown;
      try {
        pathLoss38901({ ...base, ...patch });
      } catch (e) {
        err = e;
      }
      expect(err, JSON.stringify(patch)).toBeInstanceOf(PathLossRangeError);
      expect((err as PathLossRangeError).parameter).toBe(param);
    }
    expect(() => pathLoss38901({ ...base, d2DM: 10 })).not.toThrow();
    expect(() => pathLoss38901({ ...base, d2DM: 5000 })).not.toThrow();
  });

  it('planning: real mast heights are used, d2D < 10 m is clamped to 10 m, 5 km and fc still throw', () => {
    const at10 = pathLoss38901({ ...base, d2DM: 10, hBsM: 30, ranges: 'planning' });
    const at3 = pathLoss38901({ ...base, d2DM: 3, hBsM: 30, ranges: 'planning' });
    expect(at3.pathLossDb).toBe(at10.pathLossDb);
    expect(at3.d2DM).toBe(10);
    // hBS = 30 changes the result through d3D and d'BP: d'BP = 4·29·0.5·11.6667 = 676.67 m
    expect(at10.breakpointM).toBeCloseTo(676.667, 2);
    expect(() => pathLoss38901({ ...base, d2DM: 6000, ranges: 'planning' })).toThrow(/5 km/);
    expect(() => pathLoss38901({ ...base, fcGHz: 0.3, ranges: 'planning' })).toThrow(/0\.5–100 GHz/);
  });
});

describe('PathLossKernel', () => {
  it('matches pathLoss38901 in planning mode at many distances', () => {
    for (const scenario of ['uma', 'umi'] as const) {
      const hBsM = scenario === 'uma' ? 32 : 8;
      const k = new PathLossKernel(scenario, 2.6, hBsM, 1.5);
      for (const d of [0, 5, 10, 37, 150, 420, 999, 2500, 4999]) {
        for (const los of [true, false]) {
          const ref = pathLoss38901({ scenario, los, fcGHz: 2.6, d2DM: d, hBsM, hUtM: 1.5, ranges: 'planning' }).pathLossDb;
          expect(k.db(d, los)).toBeCloseTo(ref, 9);
        }
      }
    }
  });
});

describe('TR 38.901 7.4.3 O2I', () => {
  it('low-loss and high-loss through-wall loss at 3.5 GHz', () => {
    // L_glass = 2 + 0.7 = 2.7, L_concrete = 5 + 14 = 19: 5 − 10·log10(0.3·10^−0.27 + 0.7·10^−1.9)
    //   = 5 − 10·log10(0.160355 + 0.008812) = 5 − 10·(−0.771686) = 12.6975
    expect(throughWallLossDb('low-loss', 3.5)).toBeCloseTo(12.6975, 3);
    // L_IRR = 23 + 1.05 = 24.05: 5 − 10·log10(0.7·10^−2.405 + 0.3·10^−1.9) = 5 − 10·log10(0.002757 + 0.003777) = 26.8498
    expect(throughWallLossDb('high-loss', 3.5)).toBeCloseTo(26.8498, 3);
    expect(throughWallLossDb('sub6-20db', 3.5)).toBe(20);
    // PL_in = 0.5 d2D-in
    expect(o2iLossDb('low-loss', 3.5, 10) - throughWallLossDb('low-loss', 3.5)).toBeCloseTo(5, 12);
    expect(MEAN_D2D_IN_UMA_UMI_M).toBeCloseTo(8.3333, 4);
    expect(() => o2iLossDb('low-loss', 3.5, -1)).toThrow(/d2DInM/);
  });
});
