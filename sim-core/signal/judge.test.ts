import { describe, expect, it } from 'vitest';
import { chooseJudged, distinctOffsetPlans, isThroughRoute, linkTraversalsS, measuredProgressionSpeedsMps, poolJudged, raceShortlist, SPEED_FACTORS, type JudgedCandidate } from './judge.ts';

const cand = (label: string, scoreS: number, thruStops: number, thruTimeLossS: number, start: boolean, thruVehicles = 100): JudgedCandidate => ({
  label,
  scoreS,
  stops: 1,
  timeLossS: scoreS - 20,
  vehicles: 200,
  thruStops,
  thruTimeLossS,
  thruVehicles,
  start,
});

describe('the race: the closest candidates judged again on more seeds', () => {
  it('keeps the best few by every vehicle and by the through traffic, and the guard reference', () => {
    const judged = [
      cand('a', 80, 1.2, 76, true), // best all-vehicle score: the reference
      cand('b', 80.5, 1.1, 75, true), // 2nd by score, best through score (75 + 22 = 97)
      cand('c', 81, 1.25, 76, true),
      cand('d', 90, 1.15, 75.5, true), // far behind on score, 2nd by through score (98.5)
      cand('e', 95, 2.0, 90, true),
      cand('C=60s', 70, 3.0, 90, false), // best score of all, poor for the arterial
    ];
    expect(raceShortlist(judged, 2).map((i) => judged[i].label)).toEqual(['a', 'b', 'd', 'C=60s']);
    // The reference is kept even when neither list has it.
    const j2 = [cand('given', 99, 3, 99, true), cand('x', 50, 1, 50, false), cand('y', 51, 1.1, 51, false)];
    expect(raceShortlist(j2, 1).map((i) => j2[i].label)).toEqual(['given', 'x']);
    // Candidates without through vehicles do not enter the through list.
    const j3 = [cand('p', 60, 0, 0, true, 0), cand('q', 70, 1, 60, true)];
    expect(raceShortlist(j3, 1)).toEqual([0, 1]);
    expect(() => raceShortlist(judged, 0)).toThrow(/perCriterion/);
  });

  it('pools two rounds weighted by their runs, through vehicles as a floor', () => {
    const first = { ...cand('a', 80, 1.2, 76, true, 700), stops: 1.1, timeLossS: 56, vehicles: 1700 };
    const second = { ...cand('a', 83, 1.5, 79, true, 650), stops: 1.4, timeLossS: 59, vehicles: 1650 };
    const p = poolJudged(first, 2, second, 4);
    expect(p.scoreS).toBeCloseTo((80 * 2 + 83 * 4) / 6, 9);
    expect(p.thruStops).toBeCloseTo((1.2 * 2 + 1.5 * 4) / 6, 9);
    expect(p.thruTimeLossS).toBeCloseTo(78, 9);
    expect(p.stops).toBeCloseTo(1.3, 9);
    expect(p.vehicles).toBeCloseTo(1666.6667, 3);
    expect(p.thruVehicles).toBe(650);
    expect(p.label).toBe('a');
    expect(() => poolJudged(first, 2, { ...second, label: 'b' }, 4)).toThrow(/cannot pool/);
    expect(() => poolJudged(first, 0, second, 4)).toThrow(/run counts/);
  });

  it('the race can reverse a first-round choice made on two noisy seeds', () => {
    // First round: 'lucky' leads by a hair; over four more seeds 'steady' is clearly better.
    const round1 = [cand('lucky', 79.7, 1.16, 76.7, true), cand('steady', 80.0, 1.18, 76.0, true)];
    const round2 = [cand('lucky', 83, 1.25, 78, true), cand('steady', 80.5, 1.1, 75.5, true)];
    expect(round1[chooseJudged(round1, { guard: true }).index].label).toBe('lucky');
    const pooled = round1.map((j, k) => poolJudged(j, 2, round2[k], 4));
    expect(pooled[chooseJudged(pooled, { guard: true }).index].label).toBe('steady');
  });

  it('tries progression speeds over the band 0.9–1.1 in 2.5 % steps', () => {
    expect(SPEED_FACTORS.length).toBe(9);
    expect(SPEED_FACTORS[0]).toBe(0.9);
    expect(SPEED_FACTORS[SPEED_FACTORS.length - 1]).toBe(1.1);
    for (let i = 1; i < SPEED_FACTORS.length; i++) expect(SPEED_FACTORS[i] - SPEED_FACTORS[i - 1]).toBeCloseTo(0.025, 9);
  });
});

describe('chooseJudged (the arterial guard)', () => {
  it('refuses a retimed candidate that buys the all-vehicle score with more through stops', () => {
    // U700-60 at 300 veh/h in short: C=50 s wins on every vehicle's score but stops the arterial more.
    const judged = [cand('given maxband', 60, 1.5, 65, true), cand('given numerical', 62, 1.4, 66, true), cand('C=50s', 45, 2.4, 59, false), cand('C=98s', 55, 1.2, 60, false)];
    const c = chooseJudged(judged, { guard: true });
    expect(judged[c.referenceIndex].label).toBe('given maxband');
    expect(c.excluded.map((i) => judged[i].label)).toEqual(['given numerical', 'C=50s']);
    expect(judged[c.index].label).toBe('C=98s');
    // Without the guard the all-vehicle score alone would pick C=50 s.
    expect(judged[chooseJudged(judged, { guard: false }).index].label).toBe('C=50s');
  });

  it('gives a near tie of the all-vehicle score (within 5 %) to the plan best for the through traffic', () => {
    const judged = [cand('given', 70.7, 1.83, 68.5, true), cand('C=95s', 72.1, 0.96, 40.3, false), cand('C=90s', 75.5, 0.5, 30, false)];
    // 72.1 is 2 % above 70.7 and far better for the arterial; 75.5 is 6.8 % above: not a tie.
    expect(judged[chooseJudged(judged, { guard: true }).index].label).toBe('C=95s');
    expect(judged[chooseJudged(judged, { guard: true, tieFraction: 0.07 }).index].label).toBe('C=90s');
    expect(judged[chooseJudged(judged, { guard: true, tieFraction: 0.01 }).index].label).toBe('given');
    expect(judged[chooseJudged(judged, { guard: true, tieFraction: 0 }).index].label).toBe('given');
  });

  it('refuses a candidate with more through time loss even when it stops less', () => {
    const judged = [cand('given', 60, 1.5, 65, true), cand('C=70s', 50, 1.0, 65.5, false)];
    expect(judged[chooseJudged(judged, { guard: true }).index].label).toBe('given');
  });

  it('keeps the starting timing when nothing passes the guard but the reference', () => {
    const judged = [cand('C=60s', 40, 1.6, 70, false), cand('given', 60, 1.5, 65, true)];
    const c = chooseJudged(judged, { guard: true });
    expect(c.index).toBe(1);
    expect(c.excluded).toEqual([0]);
  });

  it('says why the guard is off: no start candidate, or no through vehicle', () => {
    expect(chooseJudged([cand('a', 50, 2, 70, false), cand('b', 40, 3, 80, false)], { guard: true })).toMatchObject({ index: 1, guardOff: 'no candidate at the starting timing' });
    expect(chooseJudged([cand('given', 50, 0, 0, true, 0), cand('b', 40, 3, 80, false)], { guard: true })).toMatchObject({ index: 1, guardOff: expect.stringMatching(/whole corridor/) });
    expect(() => chooseJudged([], { guard: true })).toThrow(/no candidate/);
  });
});

describe('isThroughRoute', () => {
  const linkEdges = [
    { outbound: ['J1_J2'], inbound: ['J2_J1'] },
    { outbound: ['J2_a', 'a_J3'], inbound: ['J3_a', 'a_J2'] },
  ];
  it('accepts routes that drive every link in one direction, and only those', () => {
    expect(isThroughRoute(['W_J1', 'J1_J2', 'J2_a', 'a_J3', 'J3_E'], linkEdges)).toBe(true);
    expect(isThroughRoute(['E_J3', 'J3_a', 'a_J2', 'J2_J1', 'J1_W'], linkEdges)).toBe(true);
    expect(isThroughRoute(['S1_J1', 'J1_J2', 'J2_a', 'a_J3'], linkEdges)).toBe(true); // turned in at the first signal
    expect(isThroughRoute(['W_J1', 'J1_J2', 'J2_N2'], linkEdges)).toBe(false); // turned off halfway
    expect(isThroughRoute(['S2_J2', 'J2_a', 'a_J3', 'J3_E'], linkEdges)).toBe(false); // turned in halfway
    expect(isThroughRoute(['J1_J2', 'a_J3'], linkEdges)).toBe(false); // not contiguous
    expect(isThroughRoute([], linkEdges)).toBe(false);
  });
});

describe('distinctOffsetPlans', () => {
  it('keeps one of each group of equal offsets, also when shifted as a whole or wrapped around the cycle', () => {
    const plans = [
      [0, 50, 0, 50],
      [10, 60, 10, 60], // the first moved by 10 s: same plan
      [0, 50, 0, 51], // differs by 1 s at one signal
      [99.98, 49.99, 0, 50], // the first wrapped around C = 100 s
      [0, 50, 0, 51.02],
    ];
    expect(distinctOffsetPlans(plans, 100)).toEqual([0, 2]);
  });
});

describe('progression speeds measured from SUMO exit times', () => {
  // Two links; outbound edges a1 (link 0, one edge), b1 b2 (link 1, two edges); inbound the reverse.
  const linkEdges = [
    { outbound: ['a1'], inbound: ['a1r'] },
    { outbound: ['b1', 'b2'], inbound: ['b2r', 'b1r'] },
  ];

  it('times each link from leaving the edge before it to leaving its last edge, both directions', () => {
    // Outbound: approach W, then a1, b1, b2, then the exit edge E.
    expect(linkTraversalsS(['W', 'a1', 'b1', 'b2', 'E'], [10, 50, 70, 95, 120], linkEdges)).toEqual([40, 45]);
    // Inbound: E', b2r, b1r, a1r, W'.
    expect(linkTraversalsS(['Er', 'b2r', 'b1r', 'a1r', 'Wr'], [5, 30, 52, 90, 99], linkEdges)).toEqual([38, 47]);
  });

  it('leaves out a link the route starts on, drives only in part, or a route without matching exit times', () => {
    const r = linkTraversalsS(['a1', 'b1', 'X'], [40, 60, 80], linkEdges);
    expect(Number.isNaN(r[0])).toBe(true); // starts on a1: no entry time
    expect(Number.isNaN(r[1])).toBe(true); // b1 then X, not b2
    expect(linkTraversalsS(['W', 'a1'], [10], linkEdges).every(Number.isNaN)).toBe(true);
  });

  it('takes a low quantile so that vehicles held at the red do not slow the measured platoon', () => {
    // 70 free vehicles at 50 s, 30 held at the red for 20–40 s more on a 700-m link.
    const times = [...Array.from({ length: 70 }, (_, i) => 49 + (i % 3)), ...Array.from({ length: 30 }, (_, i) => 70 + i)];
    const [v] = measuredProgressionSpeedsMps([700], [times]);
    expect(v).toBeGreaterThan(700 / 51);
    expect(v).toBeLessThan(700 / 49);
    // The median (0.5) would be pulled by the held ones only if they were the majority; with 60 % held it is.
    const mostlyHeld = [...Array.from({ length: 40 }, () => 50), ...Array.from({ length: 60 }, () => 80)];
    expect(measuredProgressionSpeedsMps([700], [mostlyHeld], { quantile: 0.35 })[0]).toBeCloseTo(14, 6);
    expect(measuredProgressionSpeedsMps([700], [mostlyHeld], { quantile: 0.5 })[0]).toBeCloseTo(700 / 80, 6);
  });

  it('says NaN where too few vehicles were timed', () => {
    const v = measuredProgressionSpeedsMps([500, 500], [Array(25).fill(40), Array(5).fill(40)]);
    expect(v[0]).toBeCloseTo(12.5, 9);
    expect(Number.isNaN(v[1])).toBe(true);
  });
});
