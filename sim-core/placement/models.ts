/**
 * The two covering models, spopt-shaped:
 *
 * ```ts
 * const model = MaxCoverage.fromCoverage(coverage, { weights, facilityCount: 20, lockedSites });
 * const result = await model.solve(greedySolver());          // or highsSolver({ timeLimitS: 60 })
 * result.selectedSites; result.coveredPercent; result.optimalityGap;
 * ```
 *
 * Both take the options of {@link CoveringOptions} (areas, costs, groups, locations, penalty) and
 * return a {@link PlacementResult}. The solvers share one evaluator ({@link CoverState}), so the
 * objective of a result does not depend on who found it.
 */
import FlatQueue from 'flatqueue';
import type { CoverageMatrix } from './coverage-matrix.ts';
import { greedyUpperBound, lazyGreedyMaxCoverage, lazyGreedySetCover } from './greedy.ts';
import { resolveProblem, type CoverTargetInput, type CoveringOptions, type CoveringProblem } from './problem.ts';
import { solveContext, type PlacementSolver, type SolveOptions, type SolverOutcome, type SolveStatus } from './solver.ts';
import { CoverState } from './state.ts';
import { swapLocalSearch } from './swap.ts';

/** What one proposed site adds, given the sites ranked before it. */
export interface SiteExplanation {
  site: number;
  /** 1-based rank: the greedy order within the selection (largest surrogate gain first, each given the ones before). */
  rank: number;
  /** Marginal gain ΔF: covered unit weight added (areas, then ε × ground), less the redundancy penalty. */
  marginalGain: number;
  /** Demand weight this site covers that nothing ranked before it (or locked) covered. */
  newlyCoveredWeight: number;
  /** Those demand points. */
  newlyCoveredDemand: number[];
  /** Areas that reach their rule with this site (area mode). */
  newlyCoveredAreas: number[];
  /** Cost of this site given the ones ranked before it (device + location opening). */
  cost: number;
}

/** Progress of one set-cover target. */
export interface TargetResult {
  label: string;
  /** Weight to reach. */
  weight: number;
  totalWeight: number;
  coveredWeight: number;
  coveredPercent: number;
  reached: boolean;
}

/** A solved covering model. Demand indices refer to the matrix rows, site indices to its columns. */
export interface PlacementResult {
  model: CoveringProblem['kind'];
  solver: string;
  status: SolveStatus;
  /** False when a set cover could not reach its targets (with every site, or within the time limit). */
  feasible: boolean;
  /** Every selected site, ascending (locked ones included). */
  selectedSites: number[];
  /** New sites in rank order (see {@link SiteExplanation}). */
  newSites: number[];
  lockedSites: number[];
  /** For each entry of `selectedSites`, the demand it covers. */
  siteToDemand: number[][];
  /** For each demand point, the selected sites covering it. */
  demandToSites: number[][];
  uncoveredDemandCount: number;
  /** Covered demand weight ÷ total demand weight × 100. */
  coveredPercent: number;
  coveredWeight: number;
  totalWeight: number;
  /** With areas: the areas counting as covered. */
  coveredAreas: number[] | null;
  coveredAreaWeight: number | null;
  /** Covered area weight ÷ total area weight × 100 (with areas). */
  coveredAreaPercent: number | null;
  /** The model's objective: F(S) for max coverage, cost + λP for set cover. */
  objective: number;
  /** Proven bound on the optimum (upper for max coverage, lower for set cover), or null. */
  bound: number | null;
  /** |bound − objective| ÷ |objective| (0 when proven optimal), or null when no bound is known. */
  optimalityGap: number | null;
  /** Cost of the new sites and locations opened. */
  cost: number;
  /** Redundancy P(S): Σ p_i·max(0, c_i − 1) (λ not applied). */
  redundancy: number;
  targets: TargetResult[];
  explanations: SiteExplanation[];
  stats: Record<string, number | string>;
  /** Wall time of the solve, ms. */
  timeMs: number;
}

/** Options of {@link greedySolver}. */
export interface GreedySolverOptions {
  /** Local search after the greedy (max coverage): 'swap' (default) or 'none'. */
  localSearch?: 'swap' | 'none';
  /** Most swap passes (default 50). */
  maxSwapPasses?: number;
}

/**
 * The lazy greedy (see greedy.ts for the algorithm and its guarantees), followed for max coverage by
 * swap local search (swap.ts) unless `localSearch: 'none'`, and for set cover by reverse delete.
 * Max coverage also reports the a-posteriori bound (λ = 0 only).
 */
export function greedySolver(options: GreedySolverOptions = {}): PlacementSolver {
  const localSearch = options.localSearch ?? 'swap';
  return {
    name: localSearch === 'swap' ? 'greedy+swap' : 'greedy',
    async solve(p, ctx): Promise<SolverOutcome> {
      const state = CoverState.withLocked(p);
      const t0 = Date.now();
      if (p.kind === 'max-coverage') {
        const run = lazyGreedyMaxCoverage(p, state, ctx);
        const tGreedy = Date.now();
        const swap = localSearch === 'swap' ? swapLocalSearch(p, state, ctx, options.maxSwapPasses) : null;
        const tSwap = Date.now();
        const bound = greedyUpperBound(p, state);
        return {
          selected: state.selectedList(),
          added: state.order.filter((j) => !p.locked[j]),
          status: 'feasible',
          bound: Number.isFinite(bound) ? bound : null,
          stats: { evaluations: run.evaluations, greedyMs: tGreedy - t0, swaps: swap?.swaps ?? 0, swapPasses: swap?.passes ?? 0, swapMs: tSwap - tGreedy, boundMs: Date.now() - tSwap },
        };
      }
      const run = lazyGreedySetCover(p, state, ctx);
      return {
        selected: state.selectedList(),
        added: run.added,
        status: run.complete ? 'feasible' : 'infeasible',
        bound: null,
        stats: { evaluations: run.evaluations, greedyMs: Date.now() - t0 },
      };
    },
  };
}

/**
 * Ranks the new sites of a selection and explains each one (see {@link SiteExplanation}). The order
 * is the greedy order within the selection — largest surrogate gain ΔG first, each given the ones
 * before — found with the same lazy evaluation as the greedy (valid because G is submodular), so
 * ranking thousands of sites stays near-linear. The explanations' gains sum to F(S) − F(locked).
 */
export function explainSelection(p: CoveringProblem, newSites: readonly number[]): SiteExplanation[] {
  const s = CoverState.withLocked(p);
  const left = [...new Set(newSites)].filter((j) => !p.locked[j]);
  const out: SiteExplanation[] = [];
  const { siteStart, demandIndex } = p.matrix;
  const queue = new FlatQueue<number>();
  const key = new Map<number, number>();
  const stamp = new Map<number, number>();
  for (const j of left) {
    const g = s.gain(j, 'surrogate');
    key.set(j, g);
    stamp.set(j, 0);
    queue.push(j, -g);
  }
  let round = 0;
  while (queue.length) {
    const pr = queue.peekValue()!;
    const j = queue.pop()!;
    if (-pr !== key.get(j) || s.selected[j]) continue;
    if (stamp.get(j) !== round) {
      const g = s.gain(j, 'surrogate');
      key.set(j, g);
      stamp.set(j, round);
      queue.push(j, -g);
      continue;
    }
    if (!s.canAdd(j)) continue; // conflicts with a site ranked before (not in a feasible selection)
    const newly: number[] = [];
    let weight = 0;
    const touched = new Set<number>();
    for (let k = siteStart[j]; k < siteStart[j + 1]; k++) {
      const i = demandIndex[k];
      if (s.count[i] === 0) {
        newly.push(i);
        weight += p.weights[i];
        if (p.areaOfDemand[i] >= 0) touched.add(p.areaOfDemand[i]);
      }
    }
    const wasMet = new Map<number, boolean>();
    for (const a of touched) wasMet.set(a, s.areaMet(a, s.areaCovered[a]));
    const cost = s.addCost(j);
    const g = s.gain(j, 'true');
    s.add(j);
    round++;
    const newlyAreas = [...touched].filter((a) => !wasMet.get(a) && s.areaMet(a, s.areaCovered[a])).sort((x, y) => x - y);
    out.push({ site: j, rank: out.length + 1, marginalGain: g, newlyCoveredWeight: weight, newlyCoveredDemand: newly, newlyCoveredAreas: newlyAreas, cost });
  }
  return out;
}

/** Builds the result of a selection (whoever found it). */
export function buildResult(p: CoveringProblem, solver: string, outcome: SolverOutcome, timeMs: number): PlacementResult {
  const s = new CoverState(p);
  for (const j of outcome.selected) s.add(j);
  const selectedSites = [...outcome.selected].sort((a, b) => a - b);
  const { siteStart, demandIndex } = p.matrix;
  const siteToDemand = selectedSites.map((j) => Array.from(demandIndex.subarray(siteStart[j], siteStart[j + 1])));
  const demandToSites: number[][] = Array.from({ length: p.demandCount }, () => []);
  for (const j of selectedSites) for (let k = siteStart[j]; k < siteStart[j + 1]; k++) demandToSites[demandIndex[k]].push(j);
  let uncovered = 0, total = 0;
  for (let i = 0; i < p.demandCount; i++) {
    if (s.count[i] === 0) uncovered++;
    total += p.weights[i];
  }
  const coveredAreas: number[] = [];
  if (p.areaCount) for (let a = 0; a < p.areaCount; a++) if (s.areaMet(a, s.areaCovered[a])) coveredAreas.push(a);
  const objective = p.kind === 'max-coverage' ? s.maxObjective() : s.coverObjective();
  const targets: TargetResult[] = p.targets.map((t, k) => ({
    label: t.label,
    weight: t.weight,
    totalWeight: t.totalWeight,
    coveredWeight: s.targetCovered[k],
    coveredPercent: t.totalWeight > 0 ? (100 * s.targetCovered[k]) / t.totalWeight : 0,
    reached: s.targetMet(k),
  }));
  const feasible = p.kind === 'max-coverage' ? outcome.status !== 'infeasible' : s.targetsMet();
  let gap: number | null = null;
  if (outcome.status === 'optimal') gap = 0;
  else if (outcome.bound !== null && feasible) gap = Math.abs(outcome.bound - objective) / Math.max(Math.abs(objective), 1e-12);
  const explanations = explainSelection(p, outcome.added.length ? outcome.added : selectedSites.filter((j) => !p.locked[j]));
  return {
    model: p.kind,
    solver,
    status: outcome.status,
    feasible,
    selectedSites,
    newSites: explanations.map((e) => e.site),
    lockedSites: Array.from(p.lockedList),
    siteToDemand,
    demandToSites,
    uncoveredDemandCount: uncovered,
    coveredPercent: total > 0 ? (100 * s.coveredWeight) / total : 0,
    coveredWeight: s.coveredWeight,
    totalWeight: total,
    coveredAreas: p.areaCount ? coveredAreas : null,
    coveredAreaWeight: p.areaCount ? s.coveredAreaWeight : null,
    coveredAreaPercent: p.areaCount ? (p.totalUnitWeight > 0 ? (100 * s.coveredAreaWeight) / p.totalUnitWeight : 0) : null,
    objective,
    bound: outcome.bound,
    optimalityGap: gap,
    cost: s.cost,
    redundancy: s.penaltyWeight,
    targets,
    explanations,
    stats: outcome.stats,
    timeMs,
  };
}

abstract class CoveringModel {
  readonly problem: CoveringProblem;

  protected constructor(problem: CoveringProblem) {
    this.problem = problem;
  }

  /** Solves the model with `solver` (default: {@link greedySolver}). */
  async solve(solver: PlacementSolver = greedySolver(), options: SolveOptions = {}): Promise<PlacementResult> {
    const t0 = Date.now();
    const ctx = solveContext(options);
    const outcome = await solver.solve(this.problem, ctx);
    return buildResult(this.problem, solver.name, outcome, Date.now() - t0);
  }

  /** Evaluates a given selection (new sites; locked ones are added) as if a solver had returned it. */
  evaluate(newSites: Iterable<number>): PlacementResult {
    const sel = new Set<number>(this.problem.lockedList);
    for (const j of newSites) sel.add(j);
    return buildResult(this.problem, 'given', { selected: [...sel], added: [...sel].filter((j) => !this.problem.locked[j]), status: 'feasible', bound: null, stats: {} }, 0);
  }
}

/** Options of {@link MaxCoverage}. */
export interface MaxCoverageOptions extends CoveringOptions {
  /** k: the number of new sites to place (locked sites come on top). */
  facilityCount: number;
}

/**
 * Maximal covering location problem (Church & ReVelle 1974), extended for key areas, exclusive
 * groups, locked sites and redundancy:
 *
 *     maximise   Σ_a W_a z_a + ε Σ_i w_i y_i − λ Σ_i p_i e_i      (without areas: Σ_i w_i y_i − λ Σ_i p_i e_i)
 *     subject to y_i ≤ Σ_{j ∈ N_i} x_j                    ∀ i     demand i covered only by a selected site
 *                Σ_{i ∈ a} w_i y_i ≥ R_a z_a              ∀ a     area a counts when R_a of its weight is covered
 *                e_i ≥ Σ_{j ∈ N_i} x_j − 1                ∀ i     redundant cover (λ > 0)
 *                Σ_{j ∈ G} x_j ≤ 1                        ∀ G     one site per exclusive group (camera headings)
 *                Σ_{j ∉ L} x_j ≤ k,   x_j = 1  ∀ j ∈ L             k new sites; locked sites L stay
 *                x, z ∈ {0,1},  0 ≤ y ≤ 1,  e ≥ 0
 *
 * N_i: sites covering demand i; w_i: demand weights; W_a, R_a: area weight and required covered
 * weight (requiredFraction × total); ε: tie-break so that covered ground decides between equal area
 * counts; p_i, λ: redundancy weights and penalty (problem.ts). k counts **new** sites only.
 */
export class MaxCoverage extends CoveringModel {
  static fromCoverage(coverage: CoverageMatrix, options: MaxCoverageOptions): MaxCoverage {
    return new MaxCoverage(resolveProblem('max-coverage', coverage, options, { facilityCount: options.facilityCount }));
  }
}

/** Options of {@link SetCover}. */
export interface SetCoverOptions extends CoveringOptions {
  /** One target, or several over disjoint units (e.g. video areas and 5G areas on shared poles). */
  target: CoverTargetInput | readonly CoverTargetInput[];
}

/**
 * Partial set cover (least cost to reach targets; with unit costs, the fewest new devices):
 *
 *     minimise   Σ_{j ∉ L} c_j x_j + Σ_l f_l o_l + λ Σ_i p_i e_i
 *     subject to the cover, area, redundancy, group and lock rows of {@link MaxCoverage}, and
 *                Σ_{u ∈ t} W_u z_u ≥ T_t                  ∀ targets t   (without areas: Σ_{i ∈ t} w_i y_i ≥ T_t)
 *                x_j ≤ o_{l(j)}                           ∀ j at a location with an opening cost
 *                x, z, o ∈ {0,1},  0 ≤ y ≤ 1,  e ≥ 0
 *
 * A location (a smart pole, a rooftop) costs f_l once, whatever it carries: a camera and a 5G cell
 * on one new pole pay the pole once (pole sharing). A location already carrying a locked device is
 * open. A target given in percent of whole-unit weights (areas counted one each) is rounded up to the
 * next whole unit: ★4 on video with 31 areas needs ⌈0.9 × 31⌉ = 28 covered areas.
 */
export class SetCover extends CoveringModel {
  static fromCoverage(coverage: CoverageMatrix, options: SetCoverOptions): SetCover {
    const targets = Array.isArray(options.target) ? (options.target as readonly CoverTargetInput[]) : [options.target as CoverTargetInput];
    return new SetCover(resolveProblem('set-cover', coverage, options, { targets }));
  }
}
