/**
 * Lazy greedy (Minoux 1978, "accelerated greedy") for both covering models, and the a-posteriori
 * bound that certifies how far a greedy answer can be from the optimum.
 *
 * **Max coverage.** Repeatedly add the site of largest marginal gain ΔG(j | S) of the submodular
 * surrogate G (equal to the objective F without areas; see state.ts) until k new sites are chosen or
 * no site gains anything. Because G is submodular, a gain computed in an earlier round is an upper
 * bound on the gain now, so sites sit in a max-priority queue keyed by their last computed gain and
 * only the top is re-evaluated: when its fresh gain still tops the queue it is the true argmax. The
 * answer is exactly the plain greedy's, usually with a small fraction of the gain evaluations.
 *
 * Guarantees (for the objective the greedy maximises; with λ = 0 so that G is monotone):
 * - cardinality only: G(S) ≥ (1 − 1/e) · max_{|T| ≤ k} G(T) (Nemhauser, Wolsey & Fisher 1978), with
 *   locked sites: relative to the best completion of the locked set;
 * - with exclusive groups (one heading per camera mount): the feasible sets form a matroid (a
 *   partition matroid truncated at k) and greedy gives ≥ 1/2 of the optimum (Fisher, Nemhauser &
 *   Wolsey 1978);
 * - without areas G = F, so the bounds hold for the covered weight itself. With areas they hold for
 *   the surrogate G ≥ F, not for the covered-area count F: an area needs several devices together
 *   before it counts, which no greedy can guarantee. The exact solver and the bound below say how good
 *   the answer actually is;
 * - λ > 0 makes G non-monotone: the greedy then stops when no gain is positive and no bound is claimed.
 *
 * **A-posteriori bound** (Minoux 1978; Leskovec et al. 2007): for monotone submodular G and any
 * feasible T, G(T) ≤ G(S) + Σ_{j ∈ T} ΔG(j | S), so OPT_F ≤ OPT_G ≤ G(S) + (the largest sum of k
 * marginal gains that respects the groups, itself found greedily because the constraints form a
 * matroid). Reported as `upperBound` and `optimalityGap` = (bound − F(S)) / bound.
 *
 * **Set cover** (fewest devices or least cost to reach targets). Repeatedly add the site with the
 * largest ratio progress / (incremental cost + λ ΔP) until every target is met, where progress is ΔG
 * restricted to the units of unmet targets; then a reverse-delete pass drops every new site whose
 * removal keeps all targets met (dearest first). Guarantee: for a full cover without areas (every
 * demand point, target 100%) this is Chvátal's greedy, cost ≤ H(d) · OPT ≤ (1 + ln d) · OPT with d the
 * largest number of demand points one site covers (a ln n bound); for a partial target the bound is
 * H(target weight) in the unweighted case (Slavík 1997). With areas there is no guarantee.
 */
import FlatQueue from 'flatqueue';
import type { CoveringProblem } from './problem.ts';
import { CoverState } from './state.ts';
import type { SolveContext } from './solver.ts';

const GAIN_EPS = 1e-12;

/** Result of a greedy run. */
export interface GreedyRun {
  state: CoverState;
  /** New sites in the order they were added. */
  added: number[];
  /** The surrogate gain of each added site when it was added. */
  gains: number[];
  /** Gain evaluations (the lazy greedy's work). */
  evaluations: number;
  /** Whether the targets were met (set cover) or k sites found (max coverage). */
  complete: boolean;
}

/** The largest group-respecting sum of `k` values (greedy over a partition matroid). */
function bestIndependentSum(p: CoveringProblem, gains: Float64Array, k: number): number {
  const order: number[] = [];
  for (let j = 0; j < gains.length; j++) if (gains[j] > GAIN_EPS) order.push(j);
  order.sort((a, b) => gains[b] - gains[a] || a - b);
  const used = new Uint8Array(p.groupCount);
  let sum = 0, taken = 0;
  for (const j of order) {
    if (taken >= k) break;
    const g = p.groupOfSite[j];
    if (g >= 0) {
      if (used[g]) continue;
      used[g] = 1;
    }
    sum += gains[j];
    taken++;
  }
  return sum;
}

/**
 * The a-posteriori upper bound on the max-coverage optimum given the greedy state `s` (Infinity when
 * λ > 0). T ranges over all feasible selections, so a group S already uses may hold another of T's
 * sites: every group is open to T here.
 */
export function greedyUpperBound(p: CoveringProblem, s: CoverState): number {
  if (p.redundancyPenalty > 0) return Infinity;
  const gains = new Float64Array(p.siteCount);
  for (let j = 0; j < p.siteCount; j++) if (!s.selected[j]) gains[j] = s.gain(j, 'surrogate');
  return s.surrogateObjective() + bestIndependentSum(p, gains, p.facilityCount);
}

/** Lazy greedy for max coverage, continuing from `state` (locked sites already in). */
export function lazyGreedyMaxCoverage(p: CoveringProblem, state: CoverState, ctx: SolveContext): GreedyRun {
  const n = p.siteCount;
  const queue = new FlatQueue<number>();
  const key = new Float64Array(n);
  const stamp = new Int32Array(n).fill(-1);
  let evaluations = 0;
  for (let j = 0; j < n; j++) {
    if (!state.canAdd(j) || p.locked[j]) continue;
    const g = state.gain(j, 'surrogate');
    evaluations++;
    key[j] = g;
    stamp[j] = 0;
    if (g > GAIN_EPS) queue.push(j, -g);
  }
  const added: number[] = [];
  const gains: number[] = [];
  let round = 0;
  while (state.newCount < p.facilityCount && queue.length > 0) {
    if (ctx.signal?.aborted) throw ctx.abortError();
    const pr = queue.peekValue()!;
    const j = queue.pop()!;
    if (-pr !== key[j] || !state.canAdd(j)) continue; // stale duplicate or blocked
    if (stamp[j] === round) {
      state.add(j);
      added.push(j);
      gains.push(key[j]);
      round++;
      ctx.progress?.(state.newCount, p.facilityCount, 'greedy');
      continue;
    }
    const g = state.gain(j, 'surrogate');
    evaluations++;
    key[j] = g;
    stamp[j] = round;
    if (g > GAIN_EPS) queue.push(j, -g);
  }
  return { state, added, gains, evaluations, complete: state.newCount >= p.facilityCount };
}

/** Lazy greedy for set cover, continuing from `state`; then the reverse-delete pass. */
export function lazyGreedySetCover(p: CoveringProblem, state: CoverState, ctx: SolveContext): GreedyRun {
  const n = p.siteCount;
  const queue = new FlatQueue<number>();
  const key = new Float64Array(n);
  const stamp = new Int32Array(n).fill(-1);
  const pen = new Float64Array(1);
  let evaluations = 0;
  const ratioOf = (j: number): number => {
    const progress = state.gain(j, 'progress', pen);
    evaluations++;
    if (progress <= GAIN_EPS) return 0;
    const price = state.addCost(j) + p.redundancyPenalty * pen[0];
    return price > 0 ? progress / price : progress * 1e12;
  };
  for (let j = 0; j < n; j++) {
    if (!state.canAdd(j) || p.locked[j]) continue;
    const r = ratioOf(j);
    key[j] = r;
    stamp[j] = 0;
    if (r > 0) queue.push(j, -r);
  }
  const added: number[] = [];
  const gains: number[] = [];
  let round = 0;
  const totalTarget = p.targets.reduce((s, t) => s + t.weight, 0);
  while (!state.targetsMet() && queue.length > 0) {
    if (ctx.signal?.aborted) throw ctx.abortError();
    const pr = queue.peekValue()!;
    const j = queue.pop()!;
    if (-pr !== key[j] || !state.canAdd(j)) continue;
    if (stamp[j] === round) {
      const l = p.locationOfSite[j];
      const opens = l >= 0 && state.locationUsed[l] === 0 && p.openingCost[l] > 0;
      state.add(j);
      added.push(j);
      gains.push(key[j]);
      round++;
      if (opens) {
        // The other devices of this location just got cheaper: their ratio bound rises. Re-queue them.
        for (let q = p.locationStart[l]; q < p.locationStart[l + 1]; q++) {
          const s = p.locationSites[q];
          if (!state.canAdd(s) || p.locked[s]) continue;
          const r = ratioOf(s);
          key[s] = r;
          stamp[s] = round;
          if (r > 0) queue.push(s, -r);
        }
      }
      let covered = 0;
      for (let t = 0; t < p.targets.length; t++) covered += Math.min(state.targetCovered[t], p.targets[t].weight);
      ctx.progress?.(covered, totalTarget, 'greedy');
      continue;
    }
    const r = ratioOf(j);
    key[j] = r;
    stamp[j] = round;
    if (r > 0) queue.push(j, -r);
  }
  const complete = state.targetsMet();
  if (complete) reverseDelete(p, state, added);
  return { state, added: added.filter((j) => state.selected[j]), gains: gains.filter((_, q) => state.selected[added[q]]), evaluations, complete };
}

/** Drops new sites whose removal keeps every target met: dearest first, later additions first among equals. */
export function reverseDelete(p: CoveringProblem, state: CoverState, added: readonly number[]): number {
  const order = added.map((j, q) => ({ j, q })).sort((a, b) => p.siteCosts[b.j] - p.siteCosts[a.j] || b.q - a.q);
  let dropped = 0;
  for (const { j } of order) {
    if (!state.selected[j]) continue;
    const before = state.coverObjective();
    state.remove(j);
    if (state.targetsMet() && state.coverObjective() <= before + 1e-12) dropped++;
    else state.add(j);
  }
  return dropped;
}
