/**
 * CoverState: a selection of sites and everything the objectives need, updated site by site.
 *
 * Per demand point it keeps c_i, the number of selected sites covering it; per area the covered
 * weight D_a; per exclusive group and location the number of selected sites. Adding or removing one
 * site touches only that site's demand, and the marginal gain of a site is one pass over its demand
 * with no allocation (module scratch is sized once per state). Greedy, swap and the explanations all
 * evaluate the objective through this one class, so they cannot disagree.
 *
 * Objective terms (see problem.ts for the symbols):
 * - covered demand weight D(S) = Σ_i w_i [c_i ≥ 1]
 * - covered areas A(S) = Σ_a W_a [D_a(S) ≥ R_a]
 * - redundancy P(S) = Σ_i p_i · max(0, c_i − 1)
 * - max coverage: F(S) = A(S) + ε D(S) − λ P(S) with areas, D(S) − λ P(S) without
 * - the greedy's surrogate with areas: G(S) = Σ_a W_a min(1, D_a / R_a) + ε D(S) − λ P(S), which is
 *   submodular (a truncated coverage function) and never below F(S).
 */
import type { CoveringProblem } from './problem.ts';

const AREA_EPS = 1e-9;

export class CoverState {
  readonly p: CoveringProblem;
  /** c_i. */
  readonly count: Uint32Array;
  /** D_a. */
  readonly areaCovered: Float64Array;
  readonly selected: Uint8Array;
  /** Selected sites per exclusive group. */
  readonly groupTaken: Uint32Array;
  /** Selected sites per location. */
  readonly locationUsed: Uint32Array;
  /** Selected sites in the order they were added (removals take them out). */
  readonly order: number[] = [];
  /** Per target: covered unit weight. */
  readonly targetCovered: Float64Array;

  coveredWeight = 0;
  coveredAreaWeight = 0;
  /** Σ_a W_a min(1, D_a / R_a). */
  partialAreaWeight = 0;
  penaltyWeight = 0;
  newCount = 0;
  /** Cost of the new sites and the locations they opened. */
  cost = 0;

  private readonly delta: Float64Array;
  private readonly mark: Uint8Array;
  private readonly touched: Int32Array;

  constructor(problem: CoveringProblem) {
    this.p = problem;
    this.count = new Uint32Array(problem.demandCount);
    this.areaCovered = new Float64Array(problem.areaCount);
    this.selected = new Uint8Array(problem.siteCount);
    this.groupTaken = new Uint32Array(problem.groupCount);
    this.locationUsed = new Uint32Array(problem.locationCount);
    this.targetCovered = new Float64Array(problem.targets.length);
    this.delta = new Float64Array(problem.areaCount);
    this.mark = new Uint8Array(problem.areaCount);
    this.touched = new Int32Array(problem.areaCount);
  }

  /** A state holding the locked sites. */
  static withLocked(problem: CoveringProblem): CoverState {
    const s = new CoverState(problem);
    for (const j of problem.lockedList) s.add(j);
    return s;
  }

  /** Whether an area counts as covered at covered weight `d`. */
  areaMet(a: number, d: number): boolean {
    return d >= this.p.areaRequired[a] - AREA_EPS * Math.max(1, this.p.areaRequired[a]);
  }

  /** F(S) for max coverage. */
  maxObjective(): number {
    const p = this.p;
    const base = p.areaCount ? this.coveredAreaWeight + p.tieBreak * this.coveredWeight : this.coveredWeight;
    return base - p.redundancyPenalty * this.penaltyWeight;
  }

  /** G(S), the greedy's surrogate (equals F without areas). */
  surrogateObjective(): number {
    const p = this.p;
    const base = p.areaCount ? this.partialAreaWeight + p.tieBreak * this.coveredWeight : this.coveredWeight;
    return base - p.redundancyPenalty * this.penaltyWeight;
  }

  /** Set-cover objective: cost + λ P(S). */
  coverObjective(): number {
    return this.cost + this.p.redundancyPenalty * this.penaltyWeight;
  }

  /** Whether every target is met. */
  targetsMet(): boolean {
    const t = this.p.targets;
    for (let k = 0; k < t.length; k++) if (!this.targetMet(k)) return false;
    return true;
  }

  targetMet(k: number): boolean {
    const w = this.p.targets[k].weight;
    return this.targetCovered[k] >= w - 1e-9 * Math.max(1, w);
  }

  /** Whether site j may be added (not selected, its exclusive group free). */
  canAdd(j: number): boolean {
    if (this.selected[j]) return false;
    const g = this.p.groupOfSite[j];
    return g < 0 || this.groupTaken[g] === 0;
  }

  /** Cost of adding site j now: its device plus its location's opening cost when the location is still closed. */
  addCost(j: number): number {
    const p = this.p;
    if (p.locked[j]) return 0;
    const l = p.locationOfSite[j];
    return p.siteCosts[j] + (l >= 0 && this.locationUsed[l] === 0 ? p.openingCost[l] : 0);
  }

  /** Selects site j. */
  add(j: number): void {
    const p = this.p;
    if (this.selected[j]) throw new RangeError(`site ${j} is already selected`);
    this.cost += this.addCost(j);
    this.selected[j] = 1;
    this.order.push(j);
    if (!p.locked[j]) this.newCount++;
    const g = p.groupOfSite[j];
    if (g >= 0) this.groupTaken[g]++;
    const l = p.locationOfSite[j];
    if (l >= 0) this.locationUsed[l]++;
    const { siteStart, demandIndex } = p.matrix;
    for (let k = siteStart[j]; k < siteStart[j + 1]; k++) {
      const i = demandIndex[k];
      const c = this.count[i]++;
      if (c === 0) this.coverDemand(i, +1);
      else this.penaltyWeight += p.penaltyWeights[i];
    }
  }

  /** Deselects site j. */
  remove(j: number): void {
    const p = this.p;
    if (!this.selected[j]) throw new RangeError(`site ${j} is not selected`);
    this.selected[j] = 0;
    const at = this.order.lastIndexOf(j);
    this.order.splice(at, 1);
    if (!p.locked[j]) this.newCount--;
    const g = p.groupOfSite[j];
    if (g >= 0) this.groupTaken[g]--;
    const l = p.locationOfSite[j];
    if (l >= 0) this.locationUsed[l]--;
    this.cost -= this.addCost(j);
    const { siteStart, demandIndex } = p.matrix;
    for (let k = siteStart[j]; k < siteStart[j + 1]; k++) {
      const i = demandIndex[k];
      const c = --this.count[i];
      if (c === 0) this.coverDemand(i, -1);
      else this.penaltyWeight -= p.penaltyWeights[i];
    }
  }

  private coverDemand(i: number, sign: 1 | -1): void {
    const p = this.p;
    const w = p.weights[i];
    this.coveredWeight += sign * w;
    const a = p.areaOfDemand[i];
    if (a >= 0) {
      const before = this.areaCovered[a];
      const after = before + sign * w;
      this.areaCovered[a] = after;
      const R = p.areaRequired[a], W = p.areaWeights[a];
      this.partialAreaWeight += W * (Math.min(1, after / R) - Math.min(1, before / R));
      const was = this.areaMet(a, before), is = this.areaMet(a, after);
      if (was !== is) {
        this.coveredAreaWeight += is ? W : -W;
        const t = p.targetOfUnit[a];
        if (t >= 0) this.targetCovered[t] += is ? W : -W;
      }
    } else if (p.areaCount === 0) {
      const t = p.targetOfUnit[i];
      if (t >= 0) this.targetCovered[t] += sign * w;
    }
  }

  /**
   * Marginal gain of adding site j (no allocation).
   * - `surrogate`: ΔG (the lazy greedy's submodular objective);
   * - `true`: ΔF (the real max-coverage objective);
   * - `progress`: set-cover progress, ΔG restricted to units of targets not yet met, without the
   *   tie-break and the penalty (the caller prices those).
   * `penaltyOut[0]` receives ΔP when given.
   */
  gain(j: number, mode: 'surrogate' | 'true' | 'progress', penaltyOut?: Float64Array): number {
    const p = this.p;
    const { siteStart, demandIndex } = p.matrix;
    const count = this.count, w = p.weights, area = p.areaOfDemand, pw = p.penaltyWeights;
    const areaMode = p.areaCount > 0;
    const progress = mode === 'progress';
    let dD = 0, pen = 0, plainProgress = 0, nTouched = 0;
    for (let k = siteStart[j]; k < siteStart[j + 1]; k++) {
      const i = demandIndex[k];
      if (count[i] !== 0) {
        pen += pw[i];
        continue;
      }
      dD += w[i];
      if (areaMode) {
        const a = area[i];
        if (a < 0) continue;
        if (!this.mark[a]) {
          this.mark[a] = 1;
          this.touched[nTouched++] = a;
        }
        this.delta[a] += w[i];
      } else if (progress) {
        const t = p.targetOfUnit[i];
        if (t >= 0 && !this.targetMet(t)) plainProgress += w[i];
      }
    }
    if (penaltyOut) penaltyOut[0] = pen;
    let g = 0;
    if (areaMode) {
      for (let q = 0; q < nTouched; q++) {
        const a = this.touched[q];
        const before = this.areaCovered[a], after = before + this.delta[a];
        this.mark[a] = 0;
        this.delta[a] = 0;
        if (progress) {
          const t = p.targetOfUnit[a];
          if (t < 0 || this.targetMet(t)) continue;
        }
        const R = p.areaRequired[a], W = p.areaWeights[a];
        if (mode === 'true') {
          if (!this.areaMet(a, before) && this.areaMet(a, after)) g += W;
        } else g += W * (Math.min(1, after / R) - Math.min(1, before / R));
      }
      if (progress) return g;
      g += p.tieBreak * dD;
    } else {
      if (progress) return plainProgress;
      g = dD;
    }
    return g - p.redundancyPenalty * pen;
  }

  /** The selected sites, ascending. */
  selectedList(): number[] {
    const out: number[] = [];
    for (let j = 0; j < this.selected.length; j++) if (this.selected[j]) out.push(j);
    return out;
  }
}
