/**
 * Swap (1-opt exchange) local search for max coverage, in the manner of Teitz & Bart's vertex
 * substitution: take one new site out, put the best other site in, keep the exchange when the real
 * objective F (covered areas, then covered weight, less the redundancy penalty) strictly improves.
 * Passes repeat until one pass finds nothing or `maxPasses` is reached. The result is a local optimum
 * for single exchanges, never worse than the start.
 *
 * Cost. The gain of every site with the current selection is kept (`baseGain`, one pass over the
 * matrix after each accepted exchange). Removing site o changes the gain only of sites that share
 * demand with o (and, with areas, sites touching an area o touches: the area may have fallen below
 * its rule). Without areas and penalty the new gain is exact and cheap — base gain plus the weight
 * only o covered (the classic fast interchange). Otherwise the affected sites are re-evaluated and
 * the others keep their base gain.
 */
import type { CoveringProblem } from './problem.ts';
import type { SolveContext } from './solver.ts';
import type { CoverState } from './state.ts';

const IMPROVE_EPS = 1e-9;

export interface SwapStats {
  swaps: number;
  passes: number;
  evaluations: number;
}

/** Improves the max-coverage state in place by single exchanges; returns what it did. */
export function swapLocalSearch(p: CoveringProblem, state: CoverState, ctx: SolveContext, maxPasses = 50): SwapStats {
  const n = p.siteCount;
  const stats: SwapStats = { swaps: 0, passes: 0, evaluations: 0 };
  if (p.facilityCount === 0) return stats;
  const { siteStart, demandIndex } = p.matrix;
  const { demandStart, siteIndex } = p.matrix.demandToSites();
  const baseGain = new Float64Array(n);
  const extra = new Float64Array(n);
  const touchedSites = new Uint32Array(n);
  const seen = new Uint8Array(n);
  const plain = p.areaCount === 0 && p.redundancyPenalty === 0;
  const refreshBase = () => {
    for (let j = 0; j < n; j++) baseGain[j] = state.selected[j] ? 0 : state.gain(j, 'true');
    stats.evaluations += n;
  };
  refreshBase();
  const areaSites = p.areaCount > 0 ? sitesByArea(p) : null;
  const areaSeen = new Uint8Array(p.areaCount);
  const areaList: number[] = [];
  let nTouched = 0;
  const touch = (s: number) => {
    if (!seen[s]) {
      seen[s] = 1;
      touchedSites[nTouched++] = s;
    }
  };
  for (let pass = 0; pass < maxPasses; pass++) {
    stats.passes++;
    let improved = false;
    const current = state.order.filter((j) => !p.locked[j]);
    for (let q = 0; q < current.length; q++) {
      if (ctx.signal?.aborted) throw ctx.abortError();
      ctx.progress?.(q, current.length, `swap pass ${pass + 1}`);
      const o = current[q];
      if (!state.selected[o]) continue;
      const before = state.maxObjective();
      state.remove(o);
      const loss = before - state.maxObjective();
      // Sites whose gain may have changed: those covering o's demand and, with areas, every site
      // touching an area o touches (the area may have dropped below its rule).
      nTouched = 0;
      for (let k = siteStart[o]; k < siteStart[o + 1]; k++) {
        const i = demandIndex[k];
        if (plain && state.count[i] !== 0) continue; // still covered: no site gains more there
        for (let r = demandStart[i]; r < demandStart[i + 1]; r++) {
          const s = siteIndex[r];
          if (plain) extra[s] += p.weights[i];
          touch(s);
        }
        const a = p.areaOfDemand[i];
        if (areaSites && a >= 0 && !areaSeen[a]) {
          areaSeen[a] = 1;
          areaList.push(a);
        }
      }
      if (areaSites) {
        for (const a of areaList) {
          areaSeen[a] = 0;
          for (let r = areaSites.start[a]; r < areaSites.start[a + 1]; r++) touch(areaSites.sites[r]);
        }
        areaList.length = 0;
      }
      let best = -1;
      let bestGain = -Infinity;
      if (plain) {
        // Exact: gain after removal = base gain + weight only o covered.
        for (let j = 0; j < n; j++) {
          if (j === o || !state.canAdd(j) || p.locked[j]) continue;
          const g = baseGain[j] + extra[j];
          if (g > bestGain) {
            bestGain = g;
            best = j;
          }
        }
      } else {
        // Untouched sites keep their base gain; touched ones are re-evaluated.
        for (let j = 0; j < n; j++) {
          if (j === o || seen[j] || !state.canAdd(j) || p.locked[j]) continue;
          if (baseGain[j] > bestGain) {
            bestGain = baseGain[j];
            best = j;
          }
        }
        for (let t = 0; t < nTouched; t++) {
          const j = touchedSites[t];
          if (j === o || !state.canAdd(j) || p.locked[j]) continue;
          const g = state.gain(j, 'true');
          stats.evaluations++;
          if (g > bestGain) {
            bestGain = g;
            best = j;
          }
        }
      }
      for (let t = 0; t < nTouched; t++) {
        seen[touchedSites[t]] = 0;
        extra[touchedSites[t]] = 0;
      }
      if (best >= 0 && bestGain > loss + IMPROVE_EPS * Math.max(1, Math.abs(before))) {
        state.add(best);
        stats.swaps++;
        improved = true;
        refreshBase();
      } else state.add(o);
    }
    if (!improved) break;
  }
  return stats;
}

/** For each area, the sites covering at least one of its demand points (CSR). */
function sitesByArea(p: CoveringProblem): { start: Uint32Array; sites: Uint32Array } {
  const { siteStart, demandIndex } = p.matrix;
  const last = new Int32Array(p.areaCount).fill(-1);
  const start = new Uint32Array(p.areaCount + 1);
  for (let j = 0; j < p.siteCount; j++) {
    for (let k = siteStart[j]; k < siteStart[j + 1]; k++) {
      const a = p.areaOfDemand[demandIndex[k]];
      if (a >= 0 && last[a] !== j) {
        last[a] = j;
        start[a + 1]++;
      }
    }
  }
  for (let a = 0; a < p.areaCount; a++) start[a + 1] += start[a];
  const fill = start.slice(0, p.areaCount);
  const sites = new Uint32Array(start[p.areaCount]);
  last.fill(-1);
  for (let j = 0; j < p.siteCount; j++) {
    for (let k = siteStart[j]; k < siteStart[j + 1]; k++) {
      const a = p.areaOfDemand[demandIndex[k]];
      if (a >= 0 && last[a] !== j) {
        last[a] = j;
        sites[fill[a]++] = j;
      }
    }
  }
  return { start, sites };
}
