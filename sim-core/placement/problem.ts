/**
 * The covering problem every placement solver reads: a {@link CoverageMatrix} plus weights, optional
 * key-area rules, costs, locked sites, mounting groups, shared locations and the redundancy penalty,
 * all resolved into flat arrays once ({@link resolveProblem}). The two models of this folder
 * ({@link MaxCoverage}, {@link SetCover}) are thin shells around it; see their TSDoc for the
 * mathematical formulations.
 *
 * Vocabulary:
 * - **site** (column j): one candidate device as it would be installed — for a camera, one mount and
 *   one heading; the matrix row of site j lists the demand it covers.
 * - **demand** (i): a point to cover with weight w_i (a ground sample, an intersection, a grid cell;
 *   after {@link aggregateDemand} a group of identical points with the summed weight).
 * - **area** (a): optional. A group of demand with a rule: the area counts as covered when the covered
 *   weight of its demand reaches R_a = requiredFraction_a × (its total weight) — DB37/T 3890 counts
 *   covered *areas*, each judged by the share of its open ground that is seen.
 * - **unit**: what the objective and the targets count — areas when areas are given, demand otherwise.
 * - **exclusive group**: sites of which at most one may be chosen (the headings of one camera mount).
 * - **location**: sites sharing a physical mount (a smart pole, a rooftop). Opening a location costs
 *   `openingCost` once, however many devices (camera, 5G cell, …) it then carries: pole sharing.
 */
import type { CoverageMatrix } from './coverage-matrix.ts';

/** Key-area rule: the area counts as covered when the covered weight of its demand reaches its share. */
export interface AreaRuleInput {
  /** Area of each demand point, or −1 when the point belongs to no area (it then only breaks ties). */
  ofDemand: ArrayLike<number>;
  /** Number of areas (default: largest index + 1). */
  count?: number;
  /** Weight of each area in the objective and targets (default 1 each). */
  weights?: ArrayLike<number>;
  /** Share of an area's demand weight that must be covered, 0 < f ≤ 1 (default 0.8; one number or one per area). */
  requiredFraction?: number | ArrayLike<number>;
}

/** Sites at shared physical locations (pole sharing). */
export interface LocationsInput {
  /** Location of each site, or −1 for a site that needs no shared mount. */
  ofSite: ArrayLike<number>;
  /** Cost of opening each location, paid once when the first new device is put there (0 for an existing pole). */
  openingCost: ArrayLike<number>;
}

/** Options shared by both models. */
export interface CoveringOptions {
  /** Weight of each demand point (default 1). */
  weights?: ArrayLike<number>;
  /** Area rules; when present, the objective counts covered areas (see {@link AreaRuleInput}). */
  areas?: AreaRuleInput;
  /** Sites that are already built (existing devices): always selected, not counted in k, no cost. */
  lockedSites?: Iterable<number>;
  /** Cost of each site's device (default 1: "fewest devices"). */
  siteCosts?: ArrayLike<number>;
  /** Group of each site (or −1): at most one site per group may be selected. */
  exclusiveGroups?: ArrayLike<number>;
  /** Shared locations with an opening cost. */
  locations?: LocationsInput;
  /**
   * Redundancy penalty λ ≥ 0 (default 0): every demand point covered by c ≥ 2 selected sites costs
   * λ·(c − 1)·p_i, with p_i = w_i without areas, and p_i = W_a·w_i / (total weight of area a) with areas,
   * so that covering one whole area twice costs λ × its area weight. Seed 002:56: 不得在同一区域重复部署
   * 感知监控设施 — duplicate sensing in one area is discouraged in proportion to the ground seen twice.
   */
  redundancyPenalty?: number;
  /**
   * Weight of the covered-demand tie-break in area mode, per unit of demand weight. Default: half the
   * smallest area weight divided by the total demand weight, so that samples never outweigh one area
   * (a lexicographic objective: areas first, then covered ground). 0 turns it off. Ignored without areas.
   */
  tieBreak?: number;
}

/** A covering problem in flat arrays, after defaults and checks. Shared by all solvers. */
export interface CoveringProblem {
  kind: 'max-coverage' | 'set-cover';
  matrix: CoverageMatrix;
  siteCount: number;
  demandCount: number;
  /** w_i. */
  weights: Float64Array;
  /** Area of each demand point or −1 (all −1 without areas). */
  areaOfDemand: Int32Array;
  /** Number of areas (0 without areas). */
  areaCount: number;
  /** W_a. */
  areaWeights: Float64Array;
  /** R_a: covered demand weight needed for the area to count (rounded up to whole units when an area's weights are whole). */
  areaRequired: Float64Array;
  /** Total demand weight of each area. */
  areaTotal: Float64Array;
  /** ε for the tie-break (0 without areas). */
  tieBreak: number;
  /** 1 for locked sites. */
  locked: Uint8Array;
  lockedList: Uint32Array;
  /** c_j. */
  siteCosts: Float64Array;
  /** Group of each site or −1. */
  groupOfSite: Int32Array;
  groupCount: number;
  /** Location of each site or −1. */
  locationOfSite: Int32Array;
  locationCount: number;
  openingCost: Float64Array;
  /** Sites of each location (CSR). */
  locationStart: Uint32Array;
  locationSites: Uint32Array;
  /** λ. */
  redundancyPenalty: number;
  /** p_i: the penalty weight of each demand point (λ not included). */
  penaltyWeights: Float64Array;
  /** Max coverage: the number of new sites k. */
  facilityCount: number;
  /** Set cover: the targets. */
  targets: ResolvedTarget[];
  /** Target of each unit (area or demand) or −1. */
  targetOfUnit: Int32Array;
  /** Total unit weight (Σ W_a with areas, Σ w_i without). */
  totalUnitWeight: number;
}

/** A set-cover target after resolution. */
export interface ResolvedTarget {
  /** Covered unit weight to reach. */
  weight: number;
  /** Total weight of the units in this target. */
  totalWeight: number;
  /** Units (areas or demand) counted, ascending. */
  units: Uint32Array;
  label: string;
}

/** One set-cover target: a share or a weight of the units (all units, or those listed). */
export interface CoverTargetInput {
  /** Units (areas with areas, demand points without) counted by this target; default all. Targets must not share units. */
  units?: ArrayLike<number>;
  /** Share of the units' weight to cover, percent (0–100]. */
  percent?: number;
  /** Or: the weight to cover (e.g. a number of areas). */
  weight?: number;
  /** Name used in messages and results, e.g. 'video_hd_coverage'. */
  label?: string;
}

const isWhole = (v: number) => Math.abs(v - Math.round(v)) < 1e-9;

function numberArray(name: string, v: ArrayLike<number> | undefined, n: number, dflt: number, check: (x: number) => boolean, what: string): Float64Array {
  const out = new Float64Array(n).fill(dflt);
  if (v === undefined) return out;
  if (v.length !== n) throw new RangeError(`${name} has ${v.length} entries, expected ${n}`);
  for (let i = 0; i < n; i++) {
    const x = v[i];
    if (typeof x !== 'number' || !check(x)) throw new RangeError(`${name}[${i}] must be ${what}, got ${x}`);
    out[i] = x;
  }
  return out;
}

function indexArray(name: string, v: ArrayLike<number> | undefined, n: number): { of: Int32Array; count: number } {
  const of = new Int32Array(n).fill(-1);
  let count = 0;
  if (v === undefined) return { of, count };
  if (v.length !== n) throw new RangeError(`${name} has ${v.length} entries, expected ${n}`);
  for (let i = 0; i < n; i++) {
    const x = v[i];
    if (!Number.isInteger(x) || x < -1) throw new RangeError(`${name}[${i}] must be a whole number ≥ −1, got ${x}`);
    of[i] = x;
    if (x + 1 > count) count = x + 1;
  }
  return { of, count };
}

/** Resolves the options shared by both models. */
export function resolveProblem(
  kind: CoveringProblem['kind'],
  matrix: CoverageMatrix,
  o: CoveringOptions,
  extra: { facilityCount?: number; targets?: readonly CoverTargetInput[] },
): CoveringProblem {
  const n = matrix.siteCount, m = matrix.demandCount;
  const weights = numberArray('weights', o.weights, m, 1, (x) => Number.isFinite(x) && x >= 0, 'a finite weight ≥ 0');
  const locked = new Uint8Array(n);
  const lockedList: number[] = [];
  for (const j of o.lockedSites ?? []) {
    if (!Number.isInteger(j) || j < 0 || j >= n) throw new RangeError(`locked site ${j} is not a site index 0…${n - 1}`);
    if (!locked[j]) lockedList.push(j);
    locked[j] = 1;
  }
  lockedList.sort((a, b) => a - b);
  const siteCosts = numberArray('siteCosts', o.siteCosts, n, 1, (x) => Number.isFinite(x) && x >= 0, 'a finite cost ≥ 0');
  const groups = indexArray('exclusiveGroups', o.exclusiveGroups, n);
  const locs = indexArray('locations.ofSite', o.locations?.ofSite, n);
  const locationCount = o.locations ? Math.max(locs.count, o.locations.openingCost.length) : 0;
  const openingCost = numberArray('locations.openingCost', o.locations?.openingCost, locationCount, 0, (x) => Number.isFinite(x) && x >= 0, 'a finite cost ≥ 0');
  const locationStart = new Uint32Array(locationCount + 1);
  for (let j = 0; j < n; j++) if (locs.of[j] >= 0) locationStart[locs.of[j] + 1]++;
  for (let l = 0; l < locationCount; l++) locationStart[l + 1] += locationStart[l];
  const locationSites = new Uint32Array(locationStart[locationCount]);
  {
    const fill = locationStart.slice(0, locationCount);
    for (let j = 0; j < n; j++) if (locs.of[j] >= 0) locationSites[fill[locs.of[j]]++] = j;
  }
  // Locked sites in one group must not conflict.
  if (groups.count) {
    const seen = new Int32Array(groups.count).fill(-1);
    for (const j of lockedList) {
      const g = groups.of[j];
      if (g < 0) continue;
      if (seen[g] >= 0) throw new RangeError(`locked sites ${seen[g]} and ${j} are in the same exclusive group ${g}; at most one per group`);
      seen[g] = j;
    }
  }

  // Areas.
  let areaCount = 0;
  let areaOfDemand: Int32Array = new Int32Array(m).fill(-1);
  let areaWeights: Float64Array = new Float64Array(0), areaRequired: Float64Array = new Float64Array(0), areaTotal: Float64Array = new Float64Array(0);
  if (o.areas) {
    const a = indexArray('areas.ofDemand', o.areas.ofDemand, m);
    areaOfDemand = a.of;
    areaCount = o.areas.count ?? a.count;
    if (!Number.isInteger(areaCount) || areaCount < a.count) throw new RangeError(`areas.count ${areaCount} is below the largest area index + 1 (${a.count})`);
    areaWeights = numberArray('areas.weights', o.areas.weights, areaCount, 1, (x) => Number.isFinite(x) && x >= 0, 'a finite weight ≥ 0');
    const rf = o.areas.requiredFraction ?? 0.8;
    const fraction = typeof rf === 'number' ? new Float64Array(areaCount).fill(rf) : numberArray('areas.requiredFraction', rf, areaCount, 0.8, () => true, '');
    areaTotal = new Float64Array(areaCount);
    const whole = new Uint8Array(areaCount).fill(1);
    for (let i = 0; i < m; i++) {
      const k = areaOfDemand[i];
      if (k < 0) continue;
      areaTotal[k] += weights[i];
      if (!isWhole(weights[i])) whole[k] = 0;
    }
    areaRequired = new Float64Array(areaCount);
    for (let k = 0; k < areaCount; k++) {
      const f = fraction[k];
      if (!(f > 0 && f <= 1)) throw new RangeError(`areas.requiredFraction of area ${k} must be in (0, 1], got ${f}`);
      const r = f * areaTotal[k];
      // Whole weights (sample counts): the covered weight is whole too, so round R up (the rule of
      // coverage/areas.ts: covered·100 ≥ rulePercent·total).
      areaRequired[k] = areaTotal[k] === 0 ? Infinity : whole[k] ? Math.max(1, Math.ceil(r - 1e-9)) : r;
    }
  }

  const lambda = o.redundancyPenalty ?? 0;
  if (!(lambda >= 0) || !Number.isFinite(lambda)) throw new RangeError(`redundancyPenalty must be a finite number ≥ 0, got ${lambda}`);
  const penaltyWeights = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    if (areaCount === 0) penaltyWeights[i] = weights[i];
    else {
      const k = areaOfDemand[i];
      penaltyWeights[i] = k >= 0 && areaTotal[k] > 0 ? (areaWeights[k] * weights[i]) / areaTotal[k] : 0;
    }
  }

  let totalDemand = 0;
  for (let i = 0; i < m; i++) totalDemand += weights[i];
  let tieBreak = 0;
  let totalUnitWeight = totalDemand;
  if (areaCount > 0) {
    let minW = Infinity;
    totalUnitWeight = 0;
    for (let k = 0; k < areaCount; k++) {
      totalUnitWeight += areaWeights[k];
      if (areaWeights[k] > 0 && areaWeights[k] < minW) minW = areaWeights[k];
    }
    tieBreak = o.tieBreak ?? (Number.isFinite(minW) && totalDemand > 0 ? (0.5 * minW) / totalDemand : 0);
    if (!(tieBreak >= 0) || !Number.isFinite(tieBreak)) throw new RangeError(`tieBreak must be a finite number ≥ 0, got ${tieBreak}`);
  }

  const facilityCount = extra.facilityCount ?? 0;
  if (kind === 'max-coverage' && (!Number.isInteger(facilityCount) || facilityCount < 0)) throw new RangeError(`facilityCount must be a whole number ≥ 0, got ${facilityCount}`);

  // Targets (set cover).
  const unitCount = areaCount > 0 ? areaCount : m;
  const unitWeight = areaCount > 0 ? areaWeights : weights;
  const targetOfUnit = new Int32Array(unitCount).fill(-1);
  const targets: ResolvedTarget[] = [];
  (extra.targets ?? []).forEach((t, k) => {
    const label = t.label ?? `target ${k}`;
    let units: Uint32Array;
    if (t.units === undefined) units = Uint32Array.from({ length: unitCount }, (_, u) => u);
    else {
      units = Uint32Array.from(t.units);
      units.sort();
      for (let q = 0; q < units.length; q++) {
        const u = units[q];
        if (u >= unitCount || !Number.isInteger(t.units[q] as number) || (q > 0 && units[q - 1] === u)) throw new RangeError(`${label}: unit ${u} is not a distinct ${areaCount ? 'area' : 'demand'} index 0…${unitCount - 1}`);
      }
    }
    let total = 0;
    for (const u of units) {
      if (targetOfUnit[u] >= 0) throw new RangeError(`${label}: unit ${u} already belongs to ${targets[targetOfUnit[u]].label}; targets must not share units`);
      targetOfUnit[u] = k;
      total += unitWeight[u];
    }
    let weight: number;
    if (t.weight !== undefined) {
      if (!(t.weight >= 0) || !Number.isFinite(t.weight)) throw new RangeError(`${label}: weight must be a finite number ≥ 0, got ${t.weight}`);
      weight = t.weight;
    } else if (t.percent !== undefined) {
      if (!(t.percent > 0 && t.percent <= 100)) throw new RangeError(`${label}: percent must be in (0, 100], got ${t.percent}`);
      weight = (t.percent / 100) * total;
      // Whole unit weights: a share of whole things is reached at the next whole number.
      let whole = true;
      for (const u of units) if (!isWhole(unitWeight[u])) whole = false;
      if (whole) weight = Math.ceil(weight - 1e-9);
    } else throw new RangeError(`${label}: give percent or weight`);
    if (weight > total + 1e-9) throw new RangeError(`${label}: target weight ${weight} exceeds the total weight ${total} of its units`);
    targets.push({ weight, totalWeight: total, units, label });
  });
  if (kind === 'set-cover' && targets.length === 0) throw new RangeError('a set cover needs at least one target');

  return {
    kind,
    matrix,
    siteCount: n,
    demandCount: m,
    weights,
    areaOfDemand,
    areaCount,
    areaWeights,
    areaRequired,
    areaTotal,
    tieBreak,
    locked,
    lockedList: Uint32Array.from(lockedList),
    siteCosts,
    groupOfSite: groups.of,
    groupCount: groups.count,
    locationOfSite: locs.of,
    locationCount,
    openingCost,
    locationStart,
    locationSites,
    redundancyPenalty: lambda,
    penaltyWeights,
    facilityCount,
    targets,
    targetOfUnit,
    totalUnitWeight,
  };
}
