/**
 * What each job kind computes, given the (scenario's) city — the same sim-core calls as the CLI verbs
 * `coverage`, `place` and `greenwave`. Runs inside a job worker thread (server/jobs/job-worker.ts);
 * results are plain JSON that the server stores.
 *
 * - `coverage` — camera coverage of key areas and e-police intersections with blind spots
 *   (`coverageReport`), the 5G key-area section (`nr5gReport`) and weather-station spacing
 *   (`weatherReport`); `indicators` holds the DB37/T 3890 values that the scenario report scores.
 * - `placement` — new cameras, 5G cells or weather stations for a goal (`count`, `targetStar` or
 *   `targetPercent`) from the city's candidate sites, as GeoJSON (proposals with what each newly
 *   covers, plus the remaining blind spots) and a summary.
 * - `greenwave` — green-wave offsets along a corridor of road nodes (MAXBAND, 数解法 or one-way), with
 *   the SUMO `tlLogic` additional file.
 * - `tiles` — the city's 3D Tiles tileset, built into a folder the `/tiles/` routes serve
 *   (./tiles-job.ts).
 */
import type { City } from '../../sim-core/cim/types.ts';
import { camerasFromDevices } from '../../sim-core/coverage/camera.ts';
import { nr5gReport } from '../../sim-core/coverage/cellular/report.ts';
import { CoverageSession } from '../../sim-core/coverage/session.ts';
import { coverageReport, type CoverageReport } from '../../sim-core/coverage/session-report.ts';
import { weatherReport } from '../../sim-core/coverage/weather/report.ts';
import { generateCandidates, type CandidateSite } from '../../sim-core/placement/candidates.ts';
import { buildCameraProblem, buildCellProblem, buildWeatherProblem, type CityCoverageProblem } from '../../sim-core/placement/city.ts';
import { placeInCity, placementToGeoJSON, type PlacementGoal } from '../../sim-core/placement/city-placement.ts';
import { highsSolver } from '../../sim-core/placement/highs.ts';
import { greedySolver } from '../../sim-core/placement/models.ts';
import { arterialFromCity } from '../../sim-core/signal/corridor-city.ts';
import { solveMaxband } from '../../sim-core/signal/maxband.ts';
import { solveNumerical } from '../../sim-core/signal/numerical.ts';
import { solveOneWay } from '../../sim-core/signal/oneway.ts';
import { sumoOffsetsAdditional } from '../../sim-core/signal/sumo.ts';
import { rankPlansByTraffic } from '../../sim-core/signal/traffic.ts';
import { PrismIndex } from '../../sim-core/spatial/prism-index.ts';

/** The job kinds. */
export const JOB_KINDS = ['coverage', 'placement', 'greenwave', 'tiles'] as const;
export type JobKind = (typeof JOB_KINDS)[number];

/** Progress callback: items done of total in a named phase. */
export type ProgressFn = (done: number, total: number, phase: string) => void;

export interface CoverageParams {
  /** Key-area sample spacing, metres (default 2). */
  gridM?: number;
  /** Share of an area's open ground that must be seen for it to count, percent (default 80). */
  rulePercent?: number;
  /** Include the 5G section (default true). */
  nr5g?: boolean;
  /** Include the weather-station section (default true). */
  weather?: boolean;
}

export interface PlacementParams {
  device: 'camera' | 'cell5g' | 'weather';
  goal: PlacementGoal;
  solver?: 'greedy' | 'exact';
  /** Exact solver time limit, seconds (default 60). */
  timeLimitS?: number;
  /** Weather stations: covering radius of one station, metres (default 3,536 m, i.e. 5 km spacing / √2). */
  radiusM?: number;
}

export interface GreenwaveParams {
  /** Road node ids along the corridor (two or more; consecutive ones joined by the cheapest path). */
  nodeIds: string[];
  /** `best`: of MAXBAND, 数解法 and both one-way waves, the plan the traffic model scores best (as `cimtwin greenwave --method best`). */
  method?: 'maxband' | 'numerical' | 'oneway' | 'best';
  cycleS?: number;
  speedKmh?: number;
  /** `best`: through demand per lane and direction, veh/h (default 500, the CLI's). */
  demandVehH?: number;
}

/** Coverage job result: the `cimtwin coverage` report. */
export type CoverageResult = CoverageReport & { nr5g?: unknown; weather?: unknown };

/** Runs the coverage kind. */
export function runCoverage(city: City, p: CoverageParams, progress: ProgressFn): CoverageResult {
  const steps = 1 + (p.nr5g === false ? 0 : 1) + (p.weather === false ? 0 : 1);
  progress(0, steps, 'camera');
  const session = new CoverageSession(city, camerasFromDevices(city.devices), { gridM: p.gridM, rulePercent: p.rulePercent });
  const report: CoverageResult = coverageReport(session);
  let step = 1;
  if (p.nr5g !== false) {
    progress(step++, steps, 'nr5g');
    const n = nr5gReport(city, session.prisms, {});
    report.nr5g = n.nr5g;
    Object.assign(report.indicators, n.indicators);
  }
  if (p.weather !== false) {
    progress(step++, steps, 'weather');
    const w = weatherReport(city, {});
    report.weather = w.weather;
    Object.assign(report.indicators, w.indicators);
  }
  const computedAt = new Date().toISOString();
  for (const v of Object.values(report.indicators)) v.computedAt = computedAt;
  progress(steps, steps, 'done');
  return report;
}

/** Runs the placement kind: `{summary, geojson}`. */
export async function runPlacement(city: City, p: PlacementParams, progress: ProgressFn): Promise<{ summary: Record<string, unknown>; geojson: unknown }> {
  const prisms = PrismIndex.fromBuildings(city.buildings);
  progress(0, 1, 'candidates');
  const candidates: CandidateSite[] = generateCandidates(city, prisms, { sources: ['pole', 'roadside', 'area', 'rooftop'] });
  if (candidates.length === 0) throw new Error('the city has no candidate sites (poles, road sides, key areas or rooftops)');
  const onProgress = (x: { done: number; total: number; phase: string }) => progress(x.done, x.total, x.phase);
  let problem: CityCoverageProblem;
  if (p.device === 'camera') problem = await buildCameraProblem(city, candidates, { prisms, onProgress, headingsDeg: [0, 45, 90, 135, 180, 225, 270, 315] });
  else if (p.device === 'cell5g') problem = await buildCellProblem(city, candidates, { prisms, onProgress });
  else problem = await buildWeatherProblem(city, candidates, { prisms, onProgress, radiusM: p.radiusM ?? 5000 / Math.SQRT2 });
  const solver = p.solver === 'exact' ? highsSolver({ timeLimitS: p.timeLimitS ?? 60 }) : greedySolver();
  const placement = await placeInCity(city, [problem], { goal: p.goal, solver, onProgress });
  const r = placement.result;
  const summary = {
    device: p.device,
    goal: p.goal,
    solver: r.solver,
    status: r.status,
    feasible: r.feasible,
    newDevices: r.newSites.length,
    cost: r.cost,
    optimalityGap: r.optimalityGap,
    indicators: placement.indicators,
    candidates: problem.stats,
  };
  return { summary, geojson: placementToGeoJSON(city, placement, prisms, { blindSpots: true }) };
}

/** Runs the greenwave kind: the plan and the SUMO additional file. */
export async function runGreenwave(city: City, p: GreenwaveParams, progress: ProgressFn): Promise<{ plan: unknown; pathNodeIds: string[]; sumoAdditional: string }> {
  progress(0, 1, 'corridor');
  const c = arterialFromCity(city, { nodeIds: p.nodeIds, speedMps: p.speedKmh === undefined ? undefined : p.speedKmh / 3.6, cycleS: p.cycleS });
  progress(0, 1, 'solve');
  const method = p.method ?? 'maxband';
  let plan = method === 'maxband' || method === 'best' ? await solveMaxband(c.arterial, {}) : method === 'numerical' ? solveNumerical(c.arterial) : solveOneWay(c.arterial, { direction: 'outbound' });
  if (method === 'best') {
    progress(0, 1, 'traffic');
    const q = p.demandVehH ?? 500;
    const candidates = [plan, solveNumerical(c.arterial), solveOneWay(c.arterial, { direction: 'outbound' }), solveOneWay(c.arterial, { direction: 'inbound' })];
    const ranked = rankPlansByTraffic(c.arterial, candidates, { outboundVehPerH: q, inboundVehPerH: q, turnInVehPerH: 0, seed: 1 });
    plan = ranked[0].plan;
    plan.details = {
      ...plan.details,
      chosenBy: `traffic model, PI = time loss + 20 s × stops, demand ${q} veh/h per lane each way`,
      ranking: ranked.map((r) => ({ method: r.plan.method, direction: r.plan.details.direction, performanceIndexS: r.performanceIndexS, stopsPerVehicle: r.result.all.stopsPerVehicle, timeLossS: r.result.all.timeLossS })),
    };
  }
  const sumoAdditional = sumoOffsetsAdditional(plan, { programs: [], programChanged: plan.signals.map(() => false) }, `cimtwin greenwave (${method}); tlLogic ids are the city's road node ids`);
  progress(1, 1, 'done');
  return { plan, pathNodeIds: c.pathNodeIds, sumoAdditional };
}
