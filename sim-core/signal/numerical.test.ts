import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../random.ts';
import { createArterial, measureBands } from './arterial.ts';
import { numericalTrial, solveNumerical } from './numerical.ts';

/**
 * Worked example, computed by hand (the textbook's table for one trial spacing):
 * C = 60 s, v = 10 m/s → ideal spacing a = v·C/2 = 300 m; green 30 s (λ = 0.5) everywhere.
 * Signals at x = 0, 320, 590, 910, 1180 m.
 *   residues x mod 300:            0, 20, 290, 10, 280
 *   sorted:                        0, 10, 20, 280, 290
 *   gaps:                          10, 10, 260, 10, and the wrap 300 − 290 + 0 = 10
 *   largest gap g = 260 (from 20 to 280): the residues fill the arc 280 → 300/0 → 20, length a − g = 40 m
 *   ideal point in the arc's middle: s = (280 + 20) mod 300 = 0 → ideal points 0, 300, 600, 900, 1200
 *   挪移量 e = x − ideal:            0, +20, −10, +10, −20
 *   ideal point index k:           0, 1, 2, 3, 4 → 同步, 交替, 同步, 交替, 同步
 *   band: b/C = λ − (a − g)/(2a) = 0.5 − 40/600 = 0.4333 → b = 26 s each way
 *   green centre at k·C/2 → offset = k·30 − 15 (mod 60), relative to signal 0: 0, 30, 0, 30, 0
 * Check by direct measurement: outbound windows at signal 0 time are [0,30), [−2,28), [1,31), [−1,29),
 * [2,32) → [2,28) = 26 s; inbound (travel from 1180 m) [2,32), [4,34), [1,31), [3,33), [0,30) → [4,30) = 26 s.
 */
const X = [0, 320, 590, 910, 1180];
const example = () =>
  createArterial({
    cycleS: 60,
    signals: X.map((_, i) => ({ id: `S${i}`, outbound: { greenS: 30, yellowS: 0 } })),
    links: X.slice(1).map((x, i) => ({ lengthM: x - X[i], speedMps: 10 })),
  });

describe('numerical method (数解法)', () => {
  it('reproduces the hand-computed table row for a = 300 m', () => {
    const t = numericalTrial(X, 300, 0.5);
    expect(t.largestGapM).toBeCloseTo(260, 9);
    expect(t.spreadM).toBeCloseTo(40, 9);
    expect(t.gridShiftM).toBeCloseTo(0, 9);
    expect(t.bandFraction).toBeCloseTo(0.5 - 40 / 600, 12);
  });

  it('reproduces the hand-computed plan at the design speed', () => {
    const plan = solveNumerical(example(), { fixedSpeed: true });
    expect(plan.details.idealSpacingM).toBe(300);
    expect(plan.details.classification).toEqual(['同步', '交替', '同步', '交替', '同步']);
    expect((plan.details.deviationsM as number[]).map((d) => Math.round(d))).toEqual([0, 20, -10, 10, -20]);
    expect(plan.signals.map((s) => s.offsetS)).toEqual([0, 30, 0, 30, 0]);
    expect(plan.bandwidthS.outbound).toBeCloseTo(26, 6);
    expect(plan.bandwidthS.inbound).toBeCloseTo(26, 6);
    expect(plan.efficiency).toBeCloseTo(26 / 60, 6);
  });

  it('searching the speed band never does worse than the design spacing, and the wave speed is 2a/C', () => {
    const a = example();
    const fixed = solveNumerical(a, { fixedSpeed: true });
    const band = solveNumerical(a, { speedRangeMps: [9, 11] });
    expect(band.details.textbookBandFraction as number).toBeGreaterThanOrEqual(fixed.details.textbookBandFraction as number);
    expect(band.details.waveSpeedMps as number).toBeCloseTo((2 * (band.details.idealSpacingM as number)) / 60, 12);
    expect(band.progressionSpeedsMps.outbound.every((v) => v >= 9 - 1e-9 && v <= 11 + 1e-9)).toBe(true);
  });

  it('measured bands are never narrower than the textbook estimate (one phase both ways, no clearance)', () => {
    const rnd = mulberry32(5);
    for (let trial = 0; trial < 30; trial++) {
      const n = 3 + Math.floor(rnd() * 6);
      const C = 60 + Math.floor(rnd() * 60);
      const a = createArterial({
        cycleS: C,
        signals: Array.from({ length: n }, (_, i) => ({ id: `s${i}`, greenSplit: 0.4 + 0.25 * rnd() })),
        links: Array.from({ length: n - 1 }, () => ({ lengthM: 200 + 600 * rnd(), speedMps: 11 + 3 * rnd() })),
      });
      const plan = solveNumerical(a);
      const estimateS = Math.max(0, (plan.details.textbookBandFraction as number) * C);
      const v = plan.progressionSpeedsMps;
      const m = measureBands(a, plan.signals.map((s) => s.offsetS), v);
      expect(m.outbound.widthS).toBeGreaterThanOrEqual(estimateS - 1e-6);
      expect(m.inbound.widthS).toBeGreaterThanOrEqual(estimateS - 1e-6);
    }
  });
});
