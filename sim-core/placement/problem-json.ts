/**
 * The generic covering problem file of `cimtwin place --problem`: a maximal covering location problem
 * (as in pysal spopt's `MCLP`), or with `targetPercent` a partial set cover, over points in any
 * planar metric frame.
 *
 * ```json
 * {
 *   "sites":  [{ "id": "s1", "x": 120.5, "y": 80 }, …],
 *   "demand": [{ "id": "d1", "x": 100, "y": 95, "weight": 3 }, …],   // weight ≥ 0, default 1
 *   "radiusM": 800,                 // site j covers demand i when their distance ≤ radiusM
 *   "k": 20,                        // new sites to place (or "targetPercent": 90 for the fewest sites)
 *   "locked": ["s7"],               // optional: sites already built (always in, not counted in k)
 *   "redundancyPenalty": 0          // optional: λ per unit weight covered more than once
 * }
 * ```
 *
 * Pure: the caller parses the JSON text; errors are {@link CimError}s naming the file, the record
 * (`site 3 (id 's4')`) and the field.
 */
import { CimError, recordName } from '../cim/errors.ts';
import { coverageWithinRadius, type CoverageMatrix } from './coverage-matrix.ts';
import { MaxCoverage, SetCover, type PlacementResult } from './models.ts';

export interface CoveringProblemFile {
  siteIds: string[];
  siteXyM: Float64Array;
  demandIds: string[];
  demandXyM: Float64Array;
  weights: Float64Array;
  radiusM: number;
  k: number | null;
  targetPercent: number | null;
  locked: number[];
  redundancyPenalty: number;
}

const KNOWN = new Set(['sites', 'demand', 'radiusM', 'k', 'targetPercent', 'locked', 'redundancyPenalty', 'name', 'description', 'crs']);

/** Validates a parsed problem file (see the module doc). */
export function parseCoveringProblem(json: unknown, file: string): CoveringProblemFile {
  const fail = (reason: string, record?: string, field?: string): never => {
    throw new CimError(reason, { file, record, field });
  };
  if (!json || typeof json !== 'object' || Array.isArray(json)) fail('expected a JSON object with sites, demand, radiusM and k (or targetPercent)');
  const o = json as Record<string, unknown>;
  for (const key of Object.keys(o)) if (!KNOWN.has(key)) fail(`unknown field (expected ${[...KNOWN].slice(0, 6).join(', ')})`, undefined, key);
  const points = (key: 'sites' | 'demand', kind: string, withWeight: boolean) => {
    const list = o[key];
    if (!Array.isArray(list)) return fail(`must be an array of {id, x, y${withWeight ? ', weight' : ''}}`, undefined, key);
    if (key === 'sites' && list.length === 0) fail('needs at least one site', undefined, key);
    const ids: string[] = [];
    const xy = new Float64Array(2 * list.length);
    const weights = new Float64Array(list.length);
    const seen = new Map<string, number>();
    list.forEach((item, i) => {
      const rec = item as Record<string, unknown>;
      const record = recordName(kind, i, rec && typeof rec === 'object' ? (rec.id as string | undefined) : undefined);
      if (!rec || typeof rec !== 'object' || Array.isArray(rec)) fail('must be an object {id, x, y}', record);
      const id = rec.id;
      if ((typeof id !== 'string' || id === '') && typeof id !== 'number') fail(`id must be a non-empty string or a number, got ${JSON.stringify(id)}`, record, 'id');
      const sid = String(id);
      if (seen.has(sid)) fail(`duplicate id '${sid}' (also ${kind} ${seen.get(sid)})`, record, 'id');
      seen.set(sid, i);
      for (const f of ['x', 'y'] as const) {
        const v = rec[f];
        if (typeof v !== 'number' || !Number.isFinite(v)) fail(`must be a finite number of metres, got ${JSON.stringify(v)}`, record, f);
      }
      let w = 1;
      if (withWeight && rec.weight !== undefined) {
        if (typeof rec.weight !== 'number' || !Number.isFinite(rec.weight) || rec.weight < 0) fail(`must be a finite number ≥ 0, got ${JSON.stringify(rec.weight)}`, record, 'weight');
        w = rec.weight as number;
      }
      ids.push(sid);
      xy[2 * i] = rec.x as number;
      xy[2 * i + 1] = rec.y as number;
      weights[i] = w;
    });
    return { ids, xy, weights, seen };
  };
  const sites = points('sites', 'site', false);
  const demand = points('demand', 'demand', true);
  const radiusM = o.radiusM;
  if (typeof radiusM !== 'number' || !Number.isFinite(radiusM) || radiusM < 0) fail(`must be a finite number of metres ≥ 0, got ${JSON.stringify(radiusM)}`, undefined, 'radiusM');
  let k: number | null = null, targetPercent: number | null = null;
  if (o.k !== undefined && o.targetPercent !== undefined) fail('give either k (most coverage with k sites) or targetPercent (fewest sites), not both', undefined, 'k');
  if (o.k !== undefined) {
    if (typeof o.k !== 'number' || !Number.isInteger(o.k) || o.k < 0) fail(`must be a whole number ≥ 0, got ${JSON.stringify(o.k)}`, undefined, 'k');
    k = o.k as number;
  } else if (o.targetPercent !== undefined) {
    const t = o.targetPercent;
    if (typeof t !== 'number' || !(t > 0 && t <= 100)) fail(`must be a number in (0, 100], got ${JSON.stringify(t)}`, undefined, 'targetPercent');
    targetPercent = t as number;
  } else fail('missing: give k (the number of new sites) or targetPercent', undefined, 'k');
  const locked: number[] = [];
  if (o.locked !== undefined) {
    if (!Array.isArray(o.locked)) fail('must be an array of site ids', undefined, 'locked');
    (o.locked as unknown[]).forEach((id, i) => {
      const j = sites.seen.get(String(id));
      if (j === undefined) fail(`locked entry ${i}: no site with id ${JSON.stringify(id)}`, undefined, `locked[${i}]`);
      locked.push(j as number);
    });
  }
  let redundancyPenalty = 0;
  if (o.redundancyPenalty !== undefined) {
    const v = o.redundancyPenalty;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) fail(`must be a finite number ≥ 0, got ${JSON.stringify(v)}`, undefined, 'redundancyPenalty');
    redundancyPenalty = v as number;
  }
  return { siteIds: sites.ids, siteXyM: sites.xy, demandIds: demand.ids, demandXyM: demand.xy, weights: demand.weights, radiusM: radiusM as number, k, targetPercent, locked, redundancyPenalty };
}

/** The model of a problem file: MaxCoverage with k, or SetCover with targetPercent. */
export function modelOfProblemFile(p: CoveringProblemFile, coverage: CoverageMatrix = coverageWithinRadius(p.siteXyM, p.demandXyM, p.radiusM)): MaxCoverage | SetCover {
  const common = { weights: p.weights, lockedSites: p.locked, redundancyPenalty: p.redundancyPenalty };
  return p.k !== null ? MaxCoverage.fromCoverage(coverage, { ...common, facilityCount: p.k }) : SetCover.fromCoverage(coverage, { ...common, target: { percent: p.targetPercent! } });
}

/** The result file of the generic form: ids instead of indices. */
export function problemResultJson(p: CoveringProblemFile, r: PlacementResult): Record<string, unknown> {
  const uncovered: string[] = [];
  r.demandToSites.forEach((s, i) => s.length === 0 && uncovered.push(p.demandIds[i]));
  return {
    model: r.model,
    solver: r.solver,
    status: r.status,
    feasible: r.feasible,
    sites: p.siteIds.length,
    demand: p.demandIds.length,
    radiusM: p.radiusM,
    k: p.k,
    targetPercent: p.targetPercent,
    selected: r.selectedSites.map((j) => p.siteIds[j]),
    newSites: r.newSites.map((j) => p.siteIds[j]),
    locked: r.lockedSites.map((j) => p.siteIds[j]),
    objective: r.objective,
    bound: r.bound,
    optimalityGap: r.optimalityGap,
    coveredWeight: r.coveredWeight,
    totalWeight: r.totalWeight,
    coveredPercent: r.coveredPercent,
    uncoveredDemandCount: r.uncoveredDemandCount,
    uncoveredDemand: uncovered,
    explanations: r.explanations.map((e) => ({
      rank: e.rank,
      site: p.siteIds[e.site],
      marginalGain: e.marginalGain,
      newlyCoveredWeight: e.newlyCoveredWeight,
      newlyCovered: e.newlyCoveredDemand.map((i) => p.demandIds[i]),
    })),
    timeMs: r.timeMs,
    stats: r.stats,
  };
}
