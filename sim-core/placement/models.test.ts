import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../random.ts';
import { CoverageMatrix } from './coverage-matrix.ts';
import { greedySolver, MaxCoverage, SetCover } from './models.ts';
import { highsSolver } from './highs.ts';
import { PlacementAbortError } from './solver.ts';
import { randomCoveringInstance } from './random-instance.ts';

/** Independent objective for checks: plain sets, no shared code with the solvers. */
function coveredWeight(lists: number[][], weights: ArrayLike<number>, chosen: readonly number[]): number {
  const seen = new Set<number>();
  for (const j of chosen) for (const i of lists[j]) seen.add(i);
  let w = 0;
  for (const i of seen) w += weights[i];
  return w;
}

/** Areas covered (count) under a share rule, independent of the solver code. */
function coveredAreas(lists: number[][], areaOf: number[], required: number[], chosen: readonly number[]): number {
  const seen = new Set<number>();
  for (const j of chosen) for (const i of lists[j]) seen.add(i);
  const got = new Array(required.length).fill(0);
  for (const i of seen) if (areaOf[i] >= 0) got[areaOf[i]]++;
  return got.filter((g, a) => g >= required[a]).length;
}

function* subsets(n: number, k: number, start = 0, prefix: number[] = []): Generator<number[]> {
  if (prefix.length === k) {
    yield prefix;
    return;
  }
  for (let j = start; j < n; j++) yield* subsets(n, k, j + 1, [...prefix, j]);
}

function randomLists(seed: number, n: number, m: number, density: number): number[][] {
  const rand = mulberry32(seed);
  return Array.from({ length: n }, () => {
    const l: number[] = [];
    for (let i = 0; i < m; i++) if (rand() < density) l.push(i);
    return l;
  });
}

const lists = (c: CoverageMatrix) => Array.from({ length: c.siteCount }, (_, j) => Array.from(c.demandOf(j)));

describe('MaxCoverage on a hand-checked instance', () => {
  // Demand 0..5, unit weights. Site 0 covers {0,1,2}, site 1 {2,3}, site 2 {3,4,5}, site 3 {0,5}.
  // k = 2: {0, 2} covers all six; greedy takes 0 (3 new), then 2 (3 new).
  const cov = CoverageMatrix.fromLists(6, [[0, 1, 2], [2, 3], [3, 4, 5], [0, 5]]);

  it('greedy and exact find the cover of all six', async () => {
    const model = MaxCoverage.fromCoverage(cov, { facilityCount: 2 });
    for (const solver of [greedySolver({ localSearch: 'none' }), greedySolver(), highsSolver()]) {
      const r = await model.solve(solver);
      expect(r.selectedSites).toEqual([0, 2]);
      expect(r.coveredPercent).toBe(100);
      expect(r.uncoveredDemandCount).toBe(0);
      expect(r.siteToDemand).toEqual([[0, 1, 2], [3, 4, 5]]);
      expect(r.demandToSites[3]).toEqual([2]);
    }
  });

  it('locked sites stay in and k counts only new ones', async () => {
    const model = MaxCoverage.fromCoverage(cov, { facilityCount: 1, lockedSites: [1] });
    for (const solver of [greedySolver(), highsSolver()]) {
      const r = await model.solve(solver);
      // With {2,3} built, the best single addition is site 0 ({0,1} new) or site 2 ({4,5} new): both 2.
      expect(r.selectedSites).toContain(1);
      expect(r.lockedSites).toEqual([1]);
      expect(r.newSites).toHaveLength(1);
      expect(r.coveredWeight).toBe(4);
    }
  });

  it('what-if: evaluates a given selection with the same objective and explanations', () => {
    const model = MaxCoverage.fromCoverage(cov, { facilityCount: 2, lockedSites: [3] });
    const r = model.evaluate([1]);
    // Locked {0,5} plus site 1 {2,3}: four of six.
    expect(r.selectedSites).toEqual([1, 3]);
    expect(r.coveredWeight).toBe(4);
    expect(r.explanations).toEqual([{ site: 1, rank: 1, marginalGain: 2, newlyCoveredWeight: 2, newlyCoveredDemand: [2, 3], newlyCoveredAreas: [], cost: 1 }]);
  });

  it('explains each new site: what it newly covers and its marginal gain', async () => {
    const r = await MaxCoverage.fromCoverage(cov, { facilityCount: 2, weights: [1, 1, 1, 1, 1, 5] }).solve(highsSolver());
    // Optimum {0, 2} = 10. Ranked: site 2 first ({3,4,5} = 7), then site 0 ({0,1,2} = 3).
    expect(r.explanations.map((e) => [e.site, e.marginalGain, e.newlyCoveredDemand])).toEqual([
      [2, 7, [3, 4, 5]],
      [0, 3, [0, 1, 2]],
    ]);
    expect(r.explanations.reduce((s, e) => s + e.marginalGain, 0)).toBe(r.objective);
  });
});

describe('MaxCoverage against brute force on random instances', () => {
  const cases = Array.from({ length: 12 }, (_, s) => s + 1);
  it.each(cases)('seed %i: exact = brute force, greedy ≥ (1 − 1/e)·OPT, swap ≥ greedy, bound ≥ OPT', async (seed) => {
    const n = 11, m = 40, k = 3;
    const L = randomLists(seed, n, m, 0.18);
    const rand = mulberry32(seed * 7);
    const weights = Array.from({ length: m }, () => 1 + Math.floor(rand() * 9));
    let best = 0;
    for (const sub of subsets(n, k)) best = Math.max(best, coveredWeight(L, weights, sub));
    const model = MaxCoverage.fromCoverage(CoverageMatrix.fromLists(m, L), { weights, facilityCount: k });
    const greedy = await model.solve(greedySolver({ localSearch: 'none' }));
    const swap = await model.solve(greedySolver());
    const exact = await model.solve(highsSolver());
    expect(exact.status).toBe('optimal');
    expect(exact.objective).toBe(best);
    expect(coveredWeight(L, weights, exact.selectedSites)).toBe(best);
    expect(coveredWeight(L, weights, greedy.selectedSites)).toBe(greedy.objective);
    expect(greedy.objective).toBeGreaterThanOrEqual((1 - 1 / Math.E) * best - 1e-9);
    expect(swap.objective).toBeGreaterThanOrEqual(greedy.objective);
    expect(swap.objective).toBeLessThanOrEqual(best);
    expect(greedy.bound!).toBeGreaterThanOrEqual(best - 1e-9);
    expect(greedy.optimalityGap!).toBeGreaterThanOrEqual((greedy.bound! - best) / greedy.objective - 1e-9);
  });
});

describe('one heading per mount (exclusive groups)', () => {
  it('never picks two sites of one group; exact = brute force; greedy ≥ OPT/2', async () => {
    for (let seed = 1; seed <= 6; seed++) {
      const n = 12, m = 36, k = 3;
      const L = randomLists(100 + seed, n, m, 0.2);
      const group = Array.from({ length: n }, (_, j) => Math.floor(j / 4)); // 3 mounts × 4 headings
      let best = 0;
      for (const sub of subsets(n, k)) {
        if (new Set(sub.map((j) => group[j])).size < sub.length) continue;
        best = Math.max(best, coveredWeight(L, new Array(m).fill(1), sub));
      }
      const model = MaxCoverage.fromCoverage(CoverageMatrix.fromLists(m, L), { facilityCount: k, exclusiveGroups: group });
      for (const solver of [greedySolver(), highsSolver()]) {
        const r = await model.solve(solver);
        const groups = r.selectedSites.map((j) => group[j]);
        expect(new Set(groups).size).toBe(groups.length);
        if (solver.name === 'highs') expect(r.objective).toBe(best);
        else expect(r.objective).toBeGreaterThanOrEqual(best / 2);
        expect(r.bound ?? Infinity).toBeGreaterThanOrEqual(best - 1e-9);
      }
    }
  });
});

describe('areas: an area counts when its covered share reaches the rule', () => {
  it('exact = brute force over areas; greedy + swap is feasible and explained', async () => {
    for (let seed = 1; seed <= 6; seed++) {
      const n = 10, m = 48, k = 3;
      const L = randomLists(200 + seed, n, m, 0.22);
      const areaOf = Array.from({ length: m }, (_, i) => Math.floor(i / 8)); // 6 areas × 8 samples
      const required = new Array(6).fill(Math.ceil(0.75 * 8)); // 6 of 8
      let best = -1;
      let bestGround = -1;
      for (const sub of subsets(n, k)) {
        const a = coveredAreas(L, areaOf, required, sub);
        const g = coveredWeight(L, new Array(m).fill(1), sub);
        if (a > best || (a === best && g > bestGround)) {
          best = a;
          bestGround = g;
        }
      }
      const model = MaxCoverage.fromCoverage(CoverageMatrix.fromLists(m, L), { facilityCount: k, areas: { ofDemand: areaOf, requiredFraction: 0.75 } });
      const exact = await model.solve(highsSolver());
      expect(exact.coveredAreas!.length).toBe(best);
      // The tie-break makes the exact answer lexicographic: areas first, then ground.
      expect(exact.coveredWeight).toBe(bestGround);
      const greedy = await model.solve(greedySolver());
      expect(greedy.coveredAreas!.length).toBe(coveredAreas(L, areaOf, required, greedy.selectedSites));
      expect(greedy.coveredAreas!.length).toBeLessThanOrEqual(best);
      const fromExplanations = greedy.explanations.flatMap((e) => e.newlyCoveredAreas).sort((a, b) => a - b);
      expect(fromExplanations).toEqual(greedy.coveredAreas);
    }
  });
});

describe('redundancy penalty (seed 002:56)', () => {
  // Site 0 (locked, an existing camera) sees 0..9; site 1 sees 4..15 (4..9 again, 10..15 weigh 2);
  // site 2 sees 16..21. One new site: site 1 adds 12, site 2 adds 6, so site 1 wins — but it sees six
  // points site 0 already sees. With λ = 1.5 its value is 12 − 1.5 × 6 = 3 < 6: site 2 wins.
  const L = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
    [16, 17, 18, 19, 20, 21],
  ];
  const weights = Array.from({ length: 22 }, (_, i) => (i >= 10 && i <= 15 ? 2 : 1));
  const cov = CoverageMatrix.fromLists(22, L);
  it('without penalty the overlapping pair wins, with penalty the disjoint pair', async () => {
    const plain = await MaxCoverage.fromCoverage(cov, { weights, facilityCount: 1, lockedSites: [0] }).solve(highsSolver());
    expect(plain.newSites).toEqual([1]);
    const penalised = MaxCoverage.fromCoverage(cov, { weights, facilityCount: 1, lockedSites: [0], redundancyPenalty: 1.5 });
    for (const solver of [greedySolver(), highsSolver()]) {
      const r = await penalised.solve(solver);
      expect(r.newSites).toEqual([2]);
      expect(r.objective).toBeCloseTo(16, 9);
      expect(r.redundancy).toBe(0);
    }
  });
});

describe('SetCover: fewest devices to reach a target', () => {
  it.each([1, 2, 3, 4, 5, 6])('seed %i: exact = brute-force minimum, greedy meets the target within H(d)', async (seed) => {
    const n = 12, m = 30;
    const L = randomLists(300 + seed, n, m, 0.2);
    // Make the full cover possible: every demand point covered by someone.
    for (let i = 0; i < m; i++) if (!L.some((l) => l.includes(i))) L[i % n].push(i);
    const ones = new Array(m).fill(1);
    const need = Math.ceil(0.9 * m);
    let bestK = Infinity;
    for (let k = 1; k <= n && bestK === Infinity; k++) for (const sub of subsets(n, k)) if (coveredWeight(L, ones, sub) >= need) bestK = Math.min(bestK, k);
    const model = SetCover.fromCoverage(CoverageMatrix.fromLists(m, L), { target: { percent: 90 } });
    const exact = await model.solve(highsSolver());
    expect(exact.status).toBe('optimal');
    expect(exact.newSites.length).toBe(bestK);
    expect(exact.targets[0].reached).toBe(true);
    const greedy = await model.solve(greedySolver());
    expect(greedy.feasible).toBe(true);
    expect(coveredWeight(L, ones, greedy.selectedSites)).toBeGreaterThanOrEqual(need);
    const d = Math.max(...L.map((l) => l.length));
    const H = Array.from({ length: need }, (_, q) => 1 / (q + 1)).reduce((a, b) => a + b, 0);
    expect(greedy.newSites.length).toBeLessThanOrEqual(Math.floor(H * bestK + 1e-9));
    expect(greedy.newSites.length).toBeLessThanOrEqual(Math.floor((1 + Math.log(d)) * bestK + 1e-9) + 1);
    expect(greedy.newSites.length).toBeGreaterThanOrEqual(bestK);
  });

  it('reports an unreachable target as infeasible', async () => {
    const model = SetCover.fromCoverage(CoverageMatrix.fromLists(4, [[0], [1]]), { target: { percent: 100 } });
    const g = await model.solve(greedySolver());
    expect(g.feasible).toBe(false);
    const e = await model.solve(highsSolver());
    expect(e.status).toBe('infeasible');
  });

  it('pole sharing: a camera and a 5G cell on one new pole pay the pole once', async () => {
    // Demand 0..3 are video samples (target: all), 4..7 5G samples (target: all). Sites: 0 camera on
    // pole A, 1 cell on pole A, 2 camera on pole B, 3 cell on pole C. Poles cost 10, devices 1.
    // Camera 0 and camera 2 both cover the video demand; cells 1 and 3 the 5G demand.
    // Best: pole A with camera 0 + cell 1 = 10 + 2 = 12 (not B + C = 22).
    const cov = CoverageMatrix.fromLists(8, [[0, 1, 2, 3], [4, 5, 6, 7], [0, 1, 2, 3], [4, 5, 6, 7]]);
    const model = SetCover.fromCoverage(cov, {
      target: [
        { units: [0, 1, 2, 3], percent: 100, label: 'video' },
        { units: [4, 5, 6, 7], percent: 100, label: '5g' },
      ],
      locations: { ofSite: [0, 0, 1, 2], openingCost: [10, 10, 10] },
    });
    for (const solver of [greedySolver(), highsSolver()]) {
      const r = await model.solve(solver);
      expect(r.selectedSites).toEqual([0, 1]);
      expect(r.cost).toBe(12);
      expect(r.targets.map((t) => t.reached)).toEqual([true, true]);
    }
  });
});

describe('solve control', () => {
  it('cancels through the signal and reports progress', async () => {
    const inst = randomCoveringInstance({ sites: 300, demand: 3000, radiusM: 900, seed: 3 });
    const model = MaxCoverage.fromCoverage(inst.coverage, { weights: inst.weights, facilityCount: 30 });
    const signal = { aborted: false };
    let calls = 0;
    await expect(
      model.solve(greedySolver(), {
        signal,
        onProgress: () => {
          calls++;
          signal.aborted = true;
        },
      }),
    ).rejects.toBeInstanceOf(PlacementAbortError);
    expect(calls).toBeGreaterThan(0);
  });
});
