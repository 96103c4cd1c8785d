import { describe, expect, it } from 'vitest';
import { DEFAULT_GOVERNOR, FpsMeter, governResolution, initialGovernor, type GovernorState } from './governor.ts';

const run = (fpsList: number[], s: GovernorState = initialGovernor()) => fpsList.reduce<GovernorState[]>((acc, fps) => [...acc, governResolution(acc[acc.length - 1] ?? s, fps)], []);

describe('governResolution', () => {
  it('steps down only after two slow samples in a row, never below minScale', () => {
    const states = run([20, 31, 20, 20]);
    expect(states.map((s) => s.action)).toEqual(['hold', 'hold', 'hold', 'down']);
    expect(states[3].scale).toBe(0.8);
    let s = initialGovernor();
    for (let i = 0; i < 40; i++) s = governResolution(s, 1);
    expect(s.scale).toBe(DEFAULT_GOVERNOR.minScale);
  });

  it('steps up only when the predicted rate at the next scale still beats the target, after three samples', () => {
    const low = { scale: 0.64, slow: 0, headroom: 0, action: 'hold' as const };
    // 0.64 → 0.8 costs (0.8/0.64)² = 1.5625× the pixels: 50 fps predicts 32 (< 33 = 30 × 1.1): hold
    expect(run([50, 50, 50, 50], low).every((s) => s.action === 'hold' && s.scale === 0.64)).toBe(true);
    const up = run([60, 60, 60], low);
    expect(up.map((s) => s.action)).toEqual(['hold', 'hold', 'up']);
    expect(up[2].scale).toBe(0.8);
    // never above maxScale
    expect(run([500, 500, 500, 500]).every((s) => s.scale === 1)).toBe(true);
  });

  it('holds inside the hysteresis band: a rate just under the target neither drops nor raises the scale', () => {
    const mid = { scale: 0.8, slow: 0, headroom: 0, action: 'hold' as const };
    const states = run(Array(20).fill(28), mid); // 28 ≥ 27 (= 30 × 0.9), and 28 × 0.64 < 33
    expect(states.every((s) => s.scale === 0.8 && s.action === 'hold')).toBe(true);
  });

  it('does not oscillate on a steady load: it settles at the largest scale that holds the target', () => {
    // a renderer whose frame time is proportional to pixels: 30 fps at scale 0.75 → fps = 30 × (0.75/scale)²
    let s = initialGovernor();
    const scales: number[] = [];
    for (let i = 0; i < 60; i++) {
      s = governResolution(s, 30 * (0.75 / s.scale) ** 2);
      scales.push(s.scale);
    }
    const tail = scales.slice(-30);
    expect(new Set(tail).size).toBe(1);
    expect(tail[0]).toBeLessThanOrEqual(0.75 / Math.sqrt(0.9)); // holds ≥ 90 % of the target
    expect(tail[0]).toBeGreaterThan(0.75 * 0.8); // not more than one step below what would do
  });

  it('ignores bad samples', () => {
    expect(governResolution(initialGovernor(), NaN)).toMatchObject({ scale: 1, action: 'hold' });
    expect(governResolution(initialGovernor(), -1)).toMatchObject({ scale: 1, action: 'hold' });
  });
});

describe('FpsMeter', () => {
  it('gives one sample per window and restarts after a pause', () => {
    const m = new FpsMeter(1000, 2000);
    const out: (number | null)[] = [];
    for (let t = 0; t <= 1000; t += 100) out.push(m.frame(t));
    expect(out.filter((x) => x !== null)).toEqual([10]);
    expect(m.frame(5000)).toBeNull(); // after a 4 s pause: a new window, not 0.25 fps
    for (let t = 5050; t < 6000; t += 50) expect(m.frame(t)).toBeNull();
    expect(m.frame(6000)).toBe(20);
    expect(m.samples).toEqual([10, 20]);
  });
});
