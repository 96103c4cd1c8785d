/**
 * Default-city part of the placement bench: the time to propose the new devices for ★4 on HD video
 * (video_hd_coverage ≥ 90%) and on 5G (nr5g_key_area_coverage ≥ 50%), phase by phase (city, index,
 * candidates, coverage matrix, solve), with the coverage sessions' own recount of the answer; then
 * the exact solver on the same problems where their size allows, with its gap at the time limit.
 */
import type { City } from '../../sim-core/cim/types.ts';
import { PrismIndex } from '../../sim-core/spatial/prism-index.ts';
import { generateCandidates } from '../../sim-core/placement/candidates.ts';
import { buildCameraProblem, buildCellProblem, type CityCoverageProblem } from '../../sim-core/placement/city.ts';
import { cameraSessionCheck, cellSessionCheck, placeInCity } from '../../sim-core/placement/city-placement.ts';
import { highsSolver } from '../../sim-core/placement/highs.ts';
import { greedySolver } from '../../sim-core/placement/models.ts';

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export async function cityBench(scale: number, timeLimitS: number): Promise<void> {
  let generateDefaultCity: ((o: { scale?: number }) => City) | undefined;
  try {
    ({ generateDefaultCity } = (await import('../../sim-core/cim/demo/index.ts')) as { generateDefaultCity?: (o: { scale?: number }) => City });
  } catch (e) {
    console.log(`\n(default city generator not available: ${(e as Error).message}; city part skipped)`);
    return;
  }
  if (!generateDefaultCity) return;
  console.log(`\n--- default city, scale ${scale}: ★4 proposals`);
  let t = performance.now();
  const city = generateDefaultCity({ scale });
  const tCity = performance.now() - t;
  t = performance.now();
  const prisms = PrismIndex.fromBuildings(city.buildings);
  const tIndex = performance.now() - t;
  t = performance.now();
  const cands = generateCandidates(city, prisms);
  const tCands = performance.now() - t;
  const bySource: Record<string, number> = {};
  for (const c of cands) bySource[c.source] = (bySource[c.source] ?? 0) + 1;
  console.log(`  city ${s(tCity)} (${city.buildings.count} buildings, ${city.keyAreas.count} key areas), prism index ${s(tIndex)}, candidates ${s(tCands)}: ${JSON.stringify(bySource)}`);
  const lines: string[] = ['| device | columns (existing) | demand points → rows | nonzeros | matrix | greedy solve | new devices | indicator | session recount | exact (HiGHS) |', '|---|---|---|---:|---:|---:|---:|---|---|---|'];
  for (const device of ['camera', 'cell5g'] as const) {
    t = performance.now();
    const problem: CityCoverageProblem = device === 'camera' ? await buildCameraProblem(city, cands, { prisms }) : await buildCellProblem(city, cands, { prisms });
    const tMatrix = performance.now() - t;
    t = performance.now();
    const pl = await placeInCity(city, [problem], { goal: { targetStar: 4 }, solver: greedySolver() });
    const tPlace = performance.now() - t;
    const i = pl.indicators[0];
    const check = device === 'camera' ? `${cameraSessionCheck(city, pl, prisms).videoHdCoverage}%` : `${cellSessionCheck(city, pl, prisms).value}%`;
    console.log(`  ${device}: matrix ${s(tMatrix)} (${problem.stats.columns} columns, ${problem.stats.rows} rows, ${problem.stats.nonzeros} nonzeros); greedy ★4 ${s(tPlace)} (solver ${pl.result.timeMs} ms): ${pl.result.newSites.length} new, ${i.valueBefore}% → ${i.valueAfter}% (${i.coveredBefore} → ${i.coveredAfter}/${i.denominator}); session recount ${check}`);
    let exact = '—';
    t = performance.now();
    try {
      const ex = await placeInCity(city, [problem], { goal: { targetStar: 4 }, solver: highsSolver({ timeLimitS }) });
      exact = `${ex.result.newSites.length} new, ${ex.result.status}, gap ${ex.result.optimalityGap === null ? '—' : `${(100 * ex.result.optimalityGap).toFixed(2)}%`} (lower bound ${ex.result.bound === null ? '—' : ex.result.bound.toFixed(1)}), ${s(performance.now() - t)}`;
    } catch (e) {
      exact = `not run: ${(e as Error).message.slice(0, 90)}`;
    }
    console.log(`    exact: ${exact}`);
    lines.push(
      `| ${device} | ${problem.stats.columns} (${problem.stats.existing}) | ${problem.stats.demandPoints} → ${problem.stats.rows} | ${problem.stats.nonzeros} | ${s(tMatrix)} | ${s(tPlace)} | ${pl.result.newSites.length} | ${i.valueBefore}% → ${i.valueAfter}% (${i.coveredAfter}/${i.denominator}) | ${check} | ${exact} |`,
    );
  }
  console.log(`\n${lines.join('\n')}`);
}
