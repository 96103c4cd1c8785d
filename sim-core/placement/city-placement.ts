/**
 * Placement on a city: one or several {@link CityCoverageProblem}s (camera, 5G, weather) solved in
 * one run, explained in city terms and exported as GeoJSON (new sites and remaining blind spots) and
 * CSV.
 *
 * Goals: `{count: k}` (most areas covered with k new devices, max coverage), `{targetStar: n}` (the
 * fewest new devices that reach ★n of each problem's indicator, the thresholds read from the
 * DB37/T 3890 catalogue) or `{targetPercent: p}` (the fewest to reach p % of each indicator's units).
 *
 * Several device types in one run share candidate sites: a location (smart pole, new pole, rooftop)
 * is one shared location of the set cover, so a site carrying a camera and a 5G cell pays its
 * opening cost once (pole sharing, 共建共享). Problems without areas (weather) become areas of one
 * row each, with the rule "all of it" (the same as plain coverage) so that all problems share one
 * area-mode model.
 */
import { LocalFrame } from '../cim/frame.ts';
import type { City } from '../cim/types.ts';
import { blindSpots } from '../coverage/areas-blind-spots.ts';
import { camerasFromDevices, type CameraSpec } from '../coverage/camera.ts';
import { CoverageSession, type CoverageOptions } from '../coverage/session.ts';
import { cellSpecsFromCity, type CellSpec } from '../coverage/cellular/cells.ts';
import { Nr5gAreaSession, type Nr5gAreaOptions } from '../coverage/cellular/key-areas.ts';
import { stationSpacing, type SpacingResult } from '../coverage/weather/spacing.ts';
import { weatherStationsFromCity } from '../coverage/weather/report.ts';
import type { PrismIndex } from '../spatial/prism-index.ts';
import { CoverageMatrixBuilder } from './coverage-matrix.ts';
import type { CityCoverageProblem, PlacementColumn } from './city.ts';
import { greedySolver, MaxCoverage, SetCover, type PlacementResult } from './models.ts';
import type { CoverTargetInput, CoveringOptions } from './problem.ts';
import type { PlacementSolver, SolveOptions } from './solver.ts';
import { starTarget, unitsForThreshold, type StarTarget } from './target.ts';

/** What to optimise. */
export type PlacementGoal = { count: number } | { targetStar: number } | { targetPercent: number };

export interface CityPlacementOptions extends SolveOptions {
  goal: PlacementGoal;
  /** Default: greedy + swap. */
  solver?: PlacementSolver;
  /** Redundancy penalty λ in area units (covering one whole area twice costs λ areas; default 0). */
  redundancyPenalty?: number;
  /** Cost of each new device (default 1: "fewest devices"). */
  deviceCost?: number;
}

/** One proposed device, explained. */
export interface ProposedDevice {
  rank: number;
  device: PlacementColumn['device'];
  /** Candidate site id. */
  siteId: string;
  source: string;
  /** The city record of the site (pole id, road link id, building id, user id). */
  ref: string;
  xM: number;
  yM: number;
  lonDeg: number;
  latDeg: number;
  heightM: number;
  headingDeg: number | null;
  template: string;
  /** Key areas (or grid cells) that reach their rule with this device, given the ones ranked before. */
  newlyCoveredUnits: { id: string; name: string | null }[];
  /** Samples (or cells) this device covers that nothing ranked before covered. */
  newlyCoveredPoints: number;
  /** Key areas where this device newly covers samples, with how many (largest first): its progress toward areas that need several devices. */
  advancedUnits: { id: string; name: string | null; samples: number }[];
  /** Marginal gain in the objective (areas, then ε × samples, less the penalty). */
  marginalGain: number;
  /** Indicator percentage points this device adds (its newly covered units ÷ the denominator × 100). */
  indicatorPointsAdded: number;
  /** Cost given the ones before (device + site opening). */
  cost: number;
}

/** Per indicator, before and after. */
export interface IndicatorChange {
  device: PlacementColumn['device'];
  measure: string;
  unitName: string;
  denominator: number;
  coveredBefore: number;
  coveredAfter: number;
  valueBefore: number;
  valueAfter: number;
  target: { unitsNeeded: number; reached: boolean; star?: StarTarget; percent?: number } | null;
  /** Units (areas, cells) still not covered after the proposal. */
  uncoveredUnits: { id: string; name: string | null }[];
}

export interface CityPlacement {
  goal: PlacementGoal;
  result: PlacementResult;
  proposed: ProposedDevice[];
  indicators: IndicatorChange[];
  problems: CityCoverageProblem[];
  /** Per problem: demand-row coverage count after the proposal (rows of that problem's matrix). */
  rowCoverage: Uint32Array[];
}

interface Combined {
  options: CoveringOptions;
  coverageOptions: { units: number[]; unitOffset: number[]; rowOffset: number[]; columnOffset: number[] };
  matrix: ReturnType<CoverageMatrixBuilder['finish']>;
  areaPerRow: boolean[];
}

/** Joins problems block-diagonally (see the module doc). */
function combine(problems: readonly CityCoverageProblem[], lambda: number, deviceCost: number): Combined {
  const cands = problems[0].candidates;
  for (const p of problems) if (p.candidates !== cands) throw new RangeError('problems solved together must share one candidate list (the shared locations)');
  const anyAreas = problems.some((p) => p.areaOfRow);
  const rowOffset: number[] = [], unitOffset: number[] = [], columnOffset: number[] = [], units: number[] = [];
  let rows = 0, unitCount = 0, cols = 0;
  for (const p of problems) {
    rowOffset.push(rows);
    unitOffset.push(unitCount);
    columnOffset.push(cols);
    const u = p.areaOfRow ? p.units.ids.length : p.coverage.demandCount;
    units.push(u);
    rows += p.coverage.demandCount;
    unitCount += u;
    cols += p.columns.length;
  }
  const b = new CoverageMatrixBuilder(rows);
  const weights = new Float64Array(rows);
  const areaOf = new Int32Array(rows);
  const areaWeights = new Float64Array(anyAreas ? unitCount : 0);
  const fraction = new Float64Array(anyAreas ? unitCount : 0);
  const groups: number[] = [];
  const groupIds = new Map<string, number>();
  const locations: number[] = [];
  const locked: number[] = [];
  const scratch: number[] = [];
  problems.forEach((p, q) => {
    const off = rowOffset[q];
    for (let j = 0; j < p.columns.length; j++) {
      scratch.length = 0;
      for (const r of p.coverage.demandOf(j)) scratch.push(r + off);
      b.addSiteRange(scratch, 0, scratch.length, true);
      const g = p.exclusiveGroups[j];
      if (g >= 0) {
        const key = `${q}:${g}`;
        if (!groupIds.has(key)) groupIds.set(key, groupIds.size);
        groups.push(groupIds.get(key)!);
      } else groups.push(-1);
      locations.push(p.locationOfColumn[j]);
      if (p.columns[j].existing) locked.push(columnOffset[q] + j);
    }
    for (let r = 0; r < p.coverage.demandCount; r++) {
      weights[off + r] = p.weights[r];
      if (!anyAreas) areaOf[off + r] = -1;
      else if (p.areaOfRow) areaOf[off + r] = p.areaOfRow[r] >= 0 ? unitOffset[q] + p.areaOfRow[r] : -1;
      else areaOf[off + r] = unitOffset[q] + r;
    }
    if (anyAreas) {
      for (let u = 0; u < units[q]; u++) {
        areaWeights[unitOffset[q] + u] = p.areaOfRow ? 1 : p.weights[u];
        fraction[unitOffset[q] + u] = p.areaOfRow ? p.requiredFraction : 1;
      }
    }
  });
  const matrix = b.finish();
  const options: CoveringOptions = {
    weights,
    lockedSites: locked,
    exclusiveGroups: groups,
    locations: { ofSite: locations, openingCost: cands.map((c) => c.openingCost) },
    siteCosts: new Float64Array(cols).fill(deviceCost),
    redundancyPenalty: lambda,
    ...(anyAreas ? { areas: { ofDemand: areaOf, count: unitCount, weights: areaWeights, requiredFraction: fraction } } : {}),
  };
  return { options, coverageOptions: { units, unitOffset, rowOffset, columnOffset }, matrix, areaPerRow: problems.map((p) => !p.areaOfRow) };
}

/** Units needed for the goal on problem p (set cover), with the star target when there is one. */
function unitsNeeded(p: CityCoverageProblem, goal: PlacementGoal, unitWeightTotal: number): { weight: number; star?: StarTarget; percent?: number } {
  if ('targetStar' in goal) {
    if (p.device === 'weather') throw new RangeError('weather-station spacing has no star thresholds in DB37/T 3890 (城区气象自动监测点密度 is a city-level measure without a formula); use --target-spacing-km or --count');
    const st = starTarget(p.indicator.measure, goal.targetStar, p.indicator.denominator);
    return { weight: st.unitsNeeded, star: st };
  }
  if ('targetPercent' in goal) {
    if (!(goal.targetPercent > 0 && goal.targetPercent <= 100)) throw new RangeError(`target percent must be in (0, 100], got ${goal.targetPercent}`);
    const w = p.areaOfRow ? unitsForThreshold('>=', goal.targetPercent, p.indicator.denominator) : Math.ceil((goal.targetPercent / 100) * unitWeightTotal - 1e-9);
    return { weight: w, percent: goal.targetPercent };
  }
  throw new RangeError('internal: not a target goal');
}

/**
 * Solves the placement of new devices on a city (see the module doc) and explains the answer.
 * `problems` must share one candidate list.
 */
export async function placeInCity(city: City, problems: readonly CityCoverageProblem[], o: CityPlacementOptions): Promise<CityPlacement> {
  if (problems.length === 0) throw new RangeError('placeInCity needs at least one problem');
  const c = combine(problems, o.redundancyPenalty ?? 0, o.deviceCost ?? 1);
  const { units, unitOffset, rowOffset, columnOffset } = c.coverageOptions;
  const solver = o.solver ?? greedySolver();
  const solveOptions: SolveOptions = { onProgress: o.onProgress, signal: o.signal };
  const unitWeight = (q: number) => problems[q].weights.reduce((s, w) => s + w, 0);
  let result: PlacementResult;
  const targetInfo: ({ weight: number; star?: StarTarget; percent?: number } | null)[] = problems.map(() => null);
  if ('count' in o.goal) {
    if (!Number.isInteger(o.goal.count) || o.goal.count < 0) throw new RangeError(`count must be a whole number ≥ 0, got ${o.goal.count}`);
    result = await MaxCoverage.fromCoverage(c.matrix, { ...c.options, facilityCount: o.goal.count }).solve(solver, solveOptions);
  } else {
    const targets: CoverTargetInput[] = problems.map((p, q) => {
      const t = unitsNeeded(p, o.goal, unitWeight(q));
      // Areas with no samples sit in the denominator but can never be covered: the target may be out of reach.
      targetInfo[q] = t;
      return { units: Array.from({ length: units[q] }, (_, u) => unitOffset[q] + u), weight: Math.min(t.weight, totalUnitWeight(c, q, units)), label: p.indicator.measure };
    });
    result = await SetCover.fromCoverage(c.matrix, { ...c.options, target: targets }).solve(solver, solveOptions);
    // A target clipped to the reachable total cannot reach the indicator's own requirement.
    problems.forEach((_, q) => {
      if (targetInfo[q]!.weight > totalUnitWeight(c, q, units)) result.feasible = false;
    });
  }

  // Coverage per row of each problem after the proposal.
  const count = new Uint32Array(c.matrix.demandCount);
  for (const j of result.selectedSites) for (const r of c.matrix.demandOf(j)) count[r]++;
  const rowCoverage = problems.map((p, q) => count.slice(rowOffset[q], rowOffset[q] + p.coverage.demandCount));
  const before = new Uint32Array(c.matrix.demandCount);
  for (const j of result.lockedSites) for (const r of c.matrix.demandOf(j)) before[r]++;

  const frame = new LocalFrame(city.origin);
  const ll = [0, 0];
  const problemOfColumn = (j: number) => {
    let q = problems.length - 1;
    while (columnOffset[q] > j) q--;
    return q;
  };
  const problemOfUnit = (u: number) => {
    let q = problems.length - 1;
    while (unitOffset[q] > u) q--;
    return q;
  };
  const unitRef = (u: number) => {
    const q = problemOfUnit(u);
    const p = problems[q];
    const local = u - unitOffset[q];
    return p.areaOfRow ? { id: p.units.ids[local], name: p.units.names[local] } : { id: `cells-row-${local}`, name: null };
  };
  const proposed: ProposedDevice[] = result.explanations.map((e) => {
    const q = problemOfColumn(e.site);
    const p = problems[q];
    const col = p.columns[e.site - columnOffset[q]];
    const cand = col.candidate >= 0 ? p.candidates[col.candidate] : null;
    frame.toLngLat(col.xM, col.yM, ll);
    const newlyUnits = c.areaPerRow[q] || !p.areaOfRow ? [] : e.newlyCoveredAreas.map(unitRef);
    let newlyPoints = 0;
    const perUnit = new Map<number, number>();
    for (const r of e.newlyCoveredDemand) {
      const w = c.options.weights![r];
      newlyPoints += w;
      const u = c.options.areas ? (c.options.areas.ofDemand as Int32Array)[r] : -1;
      if (p.areaOfRow && u >= 0) perUnit.set(u, (perUnit.get(u) ?? 0) + w);
    }
    const advanced = [...perUnit].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([u, w]) => ({ ...unitRef(u), samples: w }));
    const unitsAdded = p.areaOfRow ? newlyUnits.length : cellsNewlyCovered(e.newlyCoveredDemand, c, q);
    return {
      rank: e.rank,
      device: col.device,
      siteId: col.id,
      source: cand?.source ?? 'existing',
      ref: cand?.ref ?? col.id,
      xM: col.xM,
      yM: col.yM,
      lonDeg: round9(ll[0]),
      latDeg: round9(ll[1]),
      heightM: col.heightM,
      headingDeg: col.headingDeg,
      template: col.template,
      newlyCoveredUnits: newlyUnits,
      newlyCoveredPoints: newlyPoints,
      advancedUnits: advanced,
      marginalGain: e.marginalGain,
      indicatorPointsAdded: p.indicator.denominator > 0 ? round6((100 * unitsAdded) / p.indicator.denominator) : 0,
      cost: e.cost,
    };
  });

  const indicators: IndicatorChange[] = problems.map((p, q) => {
    const rows = p.coverage.demandCount;
    const after = rowCoverage[q];
    const beforeRows = before.subarray(rowOffset[q], rowOffset[q] + rows);
    let coveredBefore: number, coveredAfter: number;
    const uncoveredUnits: { id: string; name: string | null }[] = [];
    if (p.areaOfRow) {
      const b = areaCoverage(p, beforeRows), a = areaCoverage(p, after);
      coveredBefore = b.filter(Boolean).length;
      coveredAfter = a.filter(Boolean).length;
      a.forEach((ok, u) => ok || uncoveredUnits.push({ id: p.units.ids[u], name: p.units.names[u] }));
    } else {
      coveredBefore = 0;
      coveredAfter = 0;
      for (let r = 0; r < rows; r++) {
        if (beforeRows[r] > 0) coveredBefore += p.weights[r];
        if (after[r] > 0) coveredAfter += p.weights[r];
      }
    }
    const den = p.indicator.denominator;
    const t = targetInfo[q];
    return {
      device: p.device,
      measure: p.indicator.measure,
      unitName: p.indicator.unitName,
      denominator: den,
      coveredBefore,
      coveredAfter,
      valueBefore: den ? round6((100 * coveredBefore) / den) : 0,
      valueAfter: den ? round6((100 * coveredAfter) / den) : 0,
      target: t ? { unitsNeeded: t.weight, reached: coveredAfter >= t.weight, star: t.star, percent: t.percent } : null,
      uncoveredUnits,
    };
  });
  return { goal: o.goal, result, proposed, indicators, problems: [...problems], rowCoverage };
}

function totalUnitWeight(c: Combined, q: number, units: number[]): number {
  const a = c.options.areas;
  if (!a) {
    let s = 0;
    const off = c.coverageOptions.rowOffset[q];
    for (let r = 0; r < units[q]; r++) s += c.options.weights![off + r];
    return s;
  }
  let s = 0;
  const off = c.coverageOptions.unitOffset[q];
  for (let u = 0; u < units[q]; u++) s += (a.weights as Float64Array)[off + u];
  return s;
}

/** Cells (weight) among newly covered rows that belong to problem q. */
function cellsNewlyCovered(rows: readonly number[], c: Combined, q: number): number {
  let s = 0;
  const off = c.coverageOptions.rowOffset[q];
  const end = q + 1 < c.coverageOptions.rowOffset.length ? c.coverageOptions.rowOffset[q + 1] : Infinity;
  for (const r of rows) if (r >= off && r < end) s += c.options.weights![r];
  return s;
}

/** Which areas of an area problem count as covered for a per-row coverage count. */
function areaCoverage(p: CityCoverageProblem, rowCount: ArrayLike<number>): boolean[] {
  const n = p.units.ids.length;
  const covered = new Float64Array(n), total = new Float64Array(n);
  for (let r = 0; r < p.coverage.demandCount; r++) {
    const a = p.areaOfRow![r];
    if (a < 0) continue;
    total[a] += p.weights[r];
    if (rowCount[r] > 0) covered[a] += p.weights[r];
  }
  // The rule of coverage/areas.ts: covered·100 ≥ rulePercent·total.
  return Array.from({ length: n }, (_, a) => total[a] > 0 && covered[a] * 100 >= p.requiredFraction * 100 * total[a] - 1e-9);
}

/** Per demand point (sample or cell) of problem `q`: 1 when covered after the proposal. */
export function pointCoverage(placement: CityPlacement, q: number): Uint8Array {
  const p = placement.problems[q];
  const rows = placement.rowCoverage[q];
  const out = new Uint8Array(p.points.count);
  for (let r = 0; r < p.coverage.demandCount; r++) {
    if (rows[r] === 0) continue;
    for (let k = p.rowMembers.start[r]; k < p.rowMembers.start[r + 1]; k++) out[p.rowMembers.members[k]] = 1;
  }
  return out;
}

const round6 = (v: number) => Math.round(v * 1e6) / 1e6;
const round9 = (v: number) => Math.round(v * 1e9) / 1e9;

/**
 * GeoJSON of the answer: new sites (Points) and what is left uncovered — blind spots of key areas
 * (MultiPolygons traced on the sample grid; `clipBlindSpots` clips them to the areas and buildings
 * with polyclip, slower), uncovered intersections (Points), uncovered weather grid cells (Polygons) —
 * WGS84.
 */
export function placementToGeoJSON(city: City, placement: CityPlacement, prisms: PrismIndex, options: { blindSpots?: boolean; clipBlindSpots?: boolean } = {}): {
  type: 'FeatureCollection';
  placement: Record<string, unknown>;
  features: Record<string, unknown>[];
} {
  const features: Record<string, unknown>[] = placement.proposed.map((d) => ({
    type: 'Feature',
    id: `new-${d.rank}`,
    geometry: { type: 'Point', coordinates: [d.lonDeg, d.latDeg] },
    properties: {
      layer: 'new-site',
      rank: d.rank,
      device: d.device,
      siteId: d.siteId,
      source: d.source,
      ref: d.ref,
      heightM: d.heightM,
      headingDeg: d.headingDeg,
      template: d.template,
      newlyCoveredAreas: d.newlyCoveredUnits.map((u) => u.id),
      newlyCoveredAreaNames: d.newlyCoveredUnits.map((u) => u.name),
      newlyCoveredSamples: d.newlyCoveredPoints,
      advancedAreas: d.advancedUnits.map((u) => ({ id: u.id, samples: u.samples })),
      marginalGain: round6(d.marginalGain),
      indicatorPointsAdded: d.indicatorPointsAdded,
      cost: d.cost,
    },
  }));
  if (options.blindSpots ?? true) {
    const frame = new LocalFrame(city.origin);
    const ll = [0, 0];
    placement.problems.forEach((p, q) => {
      const seen = pointCoverage(placement, q);
      if (p.samples) {
        for (const f of blindSpots(city, p.samples, seen, prisms, { clip: options.clipBlindSpots ?? false }).features) {
          features.push({ ...f, id: `${p.device}-${f.id}`, properties: { ...f.properties, device: p.device } });
        }
      } else if (p.device === 'epolice') {
        const N = city.roadNodes;
        const at = new Map(N.ids.map((id, n) => [id, n]));
        for (const u of placement.indicators[q].uncoveredUnits) {
          const n = at.get(u.id);
          if (n === undefined) continue;
          frame.toLngLat(N.xyM[2 * n], N.xyM[2 * n + 1], ll);
          features.push({ type: 'Feature', id: `epolice-${u.id}`, geometry: { type: 'Point', coordinates: [round9(ll[0]), round9(ll[1])] }, properties: { layer: 'blind-spot', device: 'epolice', nodeId: u.id, name: u.name } });
        }
      } else if (p.grid) {
        const h = p.grid.cellM / 2;
        for (let i = 0; i < p.points.count; i++) {
          if (seen[i]) continue;
          const x = p.points.xM[i], y = p.points.yM[i];
          const ring = [[x - h, y - h], [x + h, y - h], [x + h, y + h], [x - h, y + h], [x - h, y - h]].map(([a, b]) => {
            frame.toLngLat(a, b, ll);
            return [round9(ll[0]), round9(ll[1])];
          });
          features.push({ type: 'Feature', id: `${p.device}-cell-${i}`, geometry: { type: 'Polygon', coordinates: [ring] }, properties: { layer: 'blind-spot', device: p.device, cellM: p.grid.cellM } });
        }
      }
    });
  }
  const r = placement.result;
  return {
    type: 'FeatureCollection',
    placement: {
      goal: placement.goal,
      solver: r.solver,
      status: r.status,
      feasible: r.feasible,
      newDevices: r.newSites.length,
      cost: r.cost,
      objective: r.objective,
      bound: r.bound,
      optimalityGap: r.optimalityGap,
      timeMs: r.timeMs,
      indicators: placement.indicators.map((i) => ({ ...i, uncoveredUnits: i.uncoveredUnits.map((u) => u.id) })),
      problems: placement.problems.map((p) => ({ device: p.device, ...p.stats })),
    },
    features,
  };
}

const CSV_COLUMNS = ['rank', 'device', 'siteId', 'source', 'ref', 'lonDeg', 'latDeg', 'heightM', 'headingDeg', 'newlyCoveredAreas', 'newlyCoveredSamples', 'advancedAreas', 'marginalGain', 'indicatorPointsAdded', 'cost'] as const;

function csvField(v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV of the proposed devices, one row each (UTF-8; areas joined with '|', advanced areas as id:samples). */
export function placementToCsv(placement: CityPlacement): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const d of placement.proposed) {
    const row: Record<(typeof CSV_COLUMNS)[number], unknown> = {
      rank: d.rank,
      device: d.device,
      siteId: d.siteId,
      source: d.source,
      ref: d.ref,
      lonDeg: d.lonDeg,
      latDeg: d.latDeg,
      heightM: d.heightM,
      headingDeg: d.headingDeg,
      newlyCoveredAreas: d.newlyCoveredUnits.map((u) => u.id).join('|'),
      newlyCoveredSamples: d.newlyCoveredPoints,
      advancedAreas: d.advancedUnits.map((u) => `${u.id}:${u.samples}`).join('|'),
      marginalGain: round6(d.marginalGain),
      indicatorPointsAdded: d.indicatorPointsAdded,
      cost: d.cost,
    };
    lines.push(CSV_COLUMNS.map((k) => csvField(row[k])).join(','));
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Cross-check of a camera or e-police proposal with the coverage session itself: existing cameras
 * plus the new ones, the indicators recomputed from scratch (and 完好率, which placement does not
 * optimise).
 */
export function cameraSessionCheck(city: City, placement: CityPlacement, prisms: PrismIndex, coverage: CoverageOptions = {}): { videoHdCoverage: number | null; cameraHealth: number | null; epoliceCoverage: number | null } {
  const newCams: CameraSpec[] = [];
  placement.problems.forEach((p, q) => {
    if (p.device !== 'camera' && p.device !== 'epolice') return;
    const offset = placement.problems.slice(0, q).reduce((s, x) => s + x.columns.length, 0);
    for (const j of placement.result.newSites) {
      const col = p.columns[j - offset];
      if (j >= offset && j < offset + p.columns.length && col.camera) newCams.push({ ...col.camera, id: `new-${col.camera.id}` });
    }
  });
  const session = new CoverageSession(city, [...camerasFromDevices(city.devices), ...newCams], coverage, prisms);
  const ind = session.indicators();
  return { videoHdCoverage: ind.video_hd_coverage?.value ?? null, cameraHealth: ind.video_camera_health?.value ?? null, epoliceCoverage: ind.epolice_coverage?.value ?? null };
}

/**
 * Cross-check of a 5G proposal with the 5G key-area session: the city's cells plus the new sites'
 * cells, the indicator recomputed by the coverage model itself. Returns covered / total areas.
 */
export function cellSessionCheck(city: City, placement: CityPlacement, prisms: PrismIndex, options: Nr5gAreaOptions = {}): { covered: number; total: number; value: number | null } {
  const cells: CellSpec[] = cellSpecsFromCity(city);
  placement.problems.forEach((p, q) => {
    if (p.device !== 'cell5g') return;
    const offset = placement.problems.slice(0, q).reduce((s, x) => s + x.columns.length, 0);
    for (const j of placement.result.newSites) {
      const col = p.columns[j - offset];
      if (j >= offset && j < offset + p.columns.length && col.cells) for (const c of col.cells) cells.push({ ...c, id: `new-${c.id}` });
    }
  });
  const session = new Nr5gAreaSession(city, prisms, { ...options, cells });
  const { covered, total } = session.counts();
  return { covered, total, value: total ? Math.round((1e6 * 100 * covered) / total) / 1e6 : null };
}

/**
 * Station spacing of the weather network before and after a proposal, measured by the weather
 * spacing model (sim-core/coverage/weather): mean spacing √(A/N) and the exact covering radius over
 * the 城区 scope. Null when the city has no such scope.
 */
export function weatherSpacingCheck(city: City, placement: CityPlacement, scopeKind = '城区'): { before: SpacingResult; after: SpacingResult } | null {
  const scope = city.scopes.find((s) => s.kind === scopeKind);
  if (!scope) return null;
  const stations = weatherStationsFromCity(city);
  const added = placement.proposed.filter((d) => d.device === 'weather').map((d) => ({ id: `new-${d.siteId}`, xM: d.xM, yM: d.yM }));
  return { before: stationSpacing(scope.polygons, stations), after: stationSpacing(scope.polygons, [...stations, ...added]) };
}
