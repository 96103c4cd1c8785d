/**
 * Covering problems of a real city, built with the real coverage models:
 *
 * - **camera** (HD video coverage of key public areas, `video_hd_coverage`): demand = the open-ground
 *   samples of the video-set key areas (sim-core/coverage/areas.ts, same grid and rule as the
 *   coverage session); a column = one candidate mount × one heading (default 8 × 45°) of the
 *   template camera, seeing a sample when it is in the frustum, within the DORI range of the area
 *   level and not occluded by a building (the same primitives as `CoverageSession`). The headings of
 *   one mount form an exclusive group: at most one is chosen. Existing counting cameras (kind
 *   camera, healthy, HD) are locked columns. An area counts when `rulePercent` of its samples are seen.
 * - **epolice** (`epolice_coverage`): demand = the stop-line lane points of the important
 *   intersections, an intersection counting when all of them are seen at the recognition level (the
 *   default e-police rule); columns = gantry candidates facing their stop line, and other mounts
 *   hosting e-police cameras at each heading ({@link buildEpoliceProblem}).
 * - **cell5g** (`nr5g_key_area_coverage`): demand = open-ground samples of the 5G-set areas at the UE
 *   height, with the defaults of the 5G key-area session (sim-core/coverage/cellular/key-areas.ts:
 *   5 m grid, SS-RSRP ≥ −105 dBm, 95% of an area's samples, 1,500 m reach); a column = one candidate
 *   site — a 3-sector macro (azimuths 0/120/240°) when the mount is at least `macroMinHeightM` high
 *   (rooftops), else an omnidirectional small cell on the pole. A sample is covered when the site's
 *   best SS-RSRP (TR 38.901 path loss with LOS decided by the buildings, the segment from the antenna
 *   to the UE skipping the building the antenna is mounted in; sector pattern and link budget of
 *   sim-core/coverage/cellular) reaches the threshold. With the RSRP-only rule "some cell reaches the
 *   threshold" is exactly a covering problem; the optional SS-SINR condition of the session is not
 *   (interference couples the sites) and is not supported here. Existing healthy cells are locked,
 *   one column per site.
 * - **weather** (station spacing): demand = cells of a `cellM` grid over the 城区 scope (or the
 *   city's extent); a station covers the cells whose centres lie within `radiusM` (a spacing S on a
 *   square lattice has covering radius S/√2). Existing healthy stations are locked.
 *
 * Samples covered by exactly the same columns within one area are merged ({@link aggregateDemand}),
 * which leaves the problem unchanged and shrinks it several-fold. The builders work in chunks of
 * columns, report `{done, total, phase}` and check `signal.aborted` between chunks, yielding to the
 * event loop there so that a worker can receive a cancel message. The camera and 5G columns are built
 * by range ({@link buildCityColumns}), on this thread or in a worker pool's `placement-columns` job
 * (`columnsRunner`), with the same result.
 */
import KDBush from 'kdbush';
import type { City } from '../cim/types.ts';
import { DEVICE_TYPES } from '../cim/types.ts';
import { cityBBoxM } from '../cim/summary.ts';
import { sampleKeyAreas, type AreaSamples } from '../coverage/areas.ts';
import {
  CAMERA_DEFAULTS,
  camerasFromDevices,
  type CameraKind,
  type PtzMode,
  doriPxPerM,
  isHdCamera,
  maxRangeM,
  newPose,
  poseSeesPoint,
  preparePose,
  type CameraSpec,
} from '../coverage/camera.ts';
import { buildStopLines } from '../coverage/epolice.ts';
import { resolveCoverageOptions, type CoverageOptions } from '../coverage/session.ts';
import { cellsFromCity, makeCellKernel, resolveCell, type CellKernel, type CellSpec, type ResolvedCell } from '../coverage/cellular/cells.ts';
import { DEFAULT_NR5G_AREA_OPTIONS } from '../coverage/cellular/key-areas.ts';
import { pointInScope } from '../coverage/weather/spacing.ts';
import { PrismIndex } from '../spatial/prism-index.ts';
import { aggregateDemand, CoverageMatrixBuilder, type CoverageMatrix } from './coverage-matrix.ts';
import type { CandidateSite, PlacementDevice } from './candidates.ts';
import { PlacementAbortError, type PlacementProgress } from './solver.ts';

/** One column of a city problem: a candidate device as it would be installed, or an existing one. */
export interface PlacementColumn {
  existing: boolean;
  device: PlacementDevice;
  /** Candidate site id (new) or device id / cell site id (existing). */
  id: string;
  /** Index into the problem's candidates, or −1 for existing devices. */
  candidate: number;
  xM: number;
  yM: number;
  heightM: number;
  /** Camera heading, degrees clockwise from north (cameras only). */
  headingDeg: number | null;
  /** Short description of the template, e.g. "3-sector n78 macro". */
  template: string;
  /** The camera as it would be installed (cameras only). */
  camera?: CameraSpec;
  /** The cells as they would be installed (5G only). */
  cells?: CellSpec[];
}

/** The indicator a city problem feeds. */
export interface PlacementIndicator {
  /** Measure id of sim-core/indicators (or `weather_grid_coverage` for the weather grid share). */
  measure: string;
  /** Units counted: key areas (camera, 5G) or grid cells (weather). */
  unitName: 'key areas' | 'intersections' | 'grid cells';
  /** Denominator of the indicator: all units of the set (areas with no open ground included). */
  denominator: number;
}

/** A covering problem built from a city (see the module doc). */
export interface CityCoverageProblem {
  device: PlacementDevice;
  /** Site × demand-row coverage (rows aggregated). */
  coverage: CoverageMatrix;
  /** Weight of each row (number of samples or cells it stands for). */
  weights: Float64Array;
  /** Area (unit) of each row, −1 when none; weather has no areas. */
  areaOfRow: Int32Array | null;
  /** Units: key-area ids and names (camera, 5G), or grid-cell labels (weather). */
  units: { ids: string[]; names: (string | null)[] };
  /** Share of an area's samples needed (camera, 5G). */
  requiredFraction: number;
  columns: PlacementColumn[];
  lockedSites: number[];
  /** Exclusive group of each column (headings of one mount), or −1. */
  exclusiveGroups: Int32Array;
  /** Candidate index of each column (the shared location), or −1. */
  locationOfColumn: Int32Array;
  candidates: readonly CandidateSite[];
  /** Original demand points of each row (samples or cells). */
  rowMembers: { start: Uint32Array; members: Uint32Array };
  /** The demand points themselves (local metres). */
  points: { xM: Float64Array; yM: Float64Array; count: number };
  /** Key-area samples (camera, 5G) for blind-spot polygons. */
  samples: AreaSamples | null;
  /** Grid of the weather demand. */
  grid: { cellM: number } | null;
  indicator: PlacementIndicator;
  /** Sizes and time, for reports. */
  stats: { candidates: number; columns: number; emptyColumnsDropped: number; existing: number; demandPoints: number; rows: number; nonzeros: number; buildMs: number };
}

/** Options common to the builders. */
export interface BuildOptions {
  prisms?: PrismIndex;
  /** Called with progress (throttled to ~100 ms). */
  onProgress?: (p: PlacementProgress) => void;
  /** Checked between chunks; set `aborted` to cancel (the build rejects with a PlacementAbortError). */
  signal?: { aborted: boolean };
  /** Columns per chunk (default 64). */
  chunkSize?: number;
  /** Awaited between chunks (default: a zero-delay timer, so a worker can receive messages). */
  yieldFn?: () => Promise<void>;
  /** Merge identical samples (default true). */
  aggregate?: boolean;
  /**
   * Builds the camera or 5G coverage matrix elsewhere (a worker pool running {@link buildCityColumns}
   * over ranges of `total` columns) instead of in chunks on this thread; the matrix must have `total`
   * columns over the same demand points. Progress and cancellation are then the runner's.
   */
  columnsRunner?: ColumnsRunner;
}

/** The column options of the camera problem (serialisable: what a worker needs besides the city). */
export type CameraColumnOptions = Pick<CameraProblemOptions, 'coverage' | 'headingsDeg' | 'template'>;
/** The column options of the 5G problem (serialisable). */
export type CellColumnOptions = Omit<CellProblemOptions, keyof BuildOptions>;

/** Everything that fixes the columns of a camera or 5G problem, given the city (plain JSON data: it travels to workers as JSON). */
export type CityColumnsParams =
  | { device: 'camera'; candidates: CandidateSite[]; options: CameraColumnOptions }
  | { device: 'cell5g'; candidates: CandidateSite[]; options: CellColumnOptions };

/** Builds the coverage matrix of `params` with `total` columns (see {@link BuildOptions.columnsRunner}). */
export type ColumnsRunner = (params: CityColumnsParams, total: number) => Promise<CoverageMatrix>;

/** The columns of a problem, ready to be computed by ranges (one thread, or one worker per range). */
export interface CityColumns {
  /** Number of columns. */
  total: number;
  /** Demand points (rows before aggregation). */
  demandCount: number;
  phase: string;
  /** Columns per chunk between progress reports and cancellation checks. */
  chunkSize: number;
  /** Appends columns [from, to) to `out`, in order. */
  build(from: number, to: number, out: CoverageMatrixBuilder): void;
}

export interface CameraProblemOptions extends BuildOptions {
  /** Coverage options (grid, level, rule, HD …), as for the coverage session. */
  coverage?: CoverageOptions;
  /** Headings tried at each mount, degrees (default 0, 45, …, 315). */
  headingsDeg?: readonly number[];
  /** Template camera for new sites (defaults: CAMERA_DEFAULTS.camera, 1080p 60° lens tilted 15°). */
  template?: Partial<Pick<CameraSpec, 'hfovDeg' | 'widthPx' | 'heightPx' | 'tiltDeg' | 'doriLevel'>>;
}

export interface CellProblemOptions extends BuildOptions {
  /** SS-RSRP a sample needs, dBm (default −105, as the 5G key-area session). */
  rsrpThresholdDbm?: number;
  /** Sample grid of the 5G areas, metres (default 5, as the 5G key-area session). */
  gridM?: number;
  /** UE height, metres (default 1.5). */
  ueHeightM?: number;
  /** Share of an area's samples that must be covered, percent (default 95, as the 5G key-area session). */
  rulePercent?: number;
  /** Longest link evaluated, metres (default 1,500, as the 5G coverage model). */
  maxRadiusM?: number;
  /** Mounts at least this high get the macro template (default 15 m). */
  macroMinHeightM?: number;
  /** Macro template: 3 sectors; fields of CellSpec (default n78, 53 dBm, 6° tilt). */
  macro?: Partial<CellSpec>;
  /** Small-cell template: omni; fields of CellSpec (default n78, 40 dBm, UMi). */
  small?: Partial<CellSpec>;
}

export interface WeatherProblemOptions extends BuildOptions {
  /** Covering radius of one station, metres (required). */
  radiusM: number;
  /** Demand grid, metres (default 200). */
  cellM?: number;
  /** Scope kind whose polygons bound the grid (default 城区; the city extent when the city has none). */
  scopeKind?: string;
}

const yieldTimer = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Runs `work(from, to)` over [0, total) in chunks with progress, cancellation and yields. */
async function inChunks(total: number, phase: string, o: BuildOptions, work: (from: number, to: number) => void): Promise<void> {
  const size = Math.max(1, o.chunkSize ?? 64);
  const yieldFn = o.yieldFn ?? yieldTimer;
  let last = -Infinity;
  for (let from = 0; from < total; from += size) {
    if (o.signal?.aborted) throw new PlacementAbortError('coverage matrix build');
    const to = Math.min(total, from + size);
    work(from, to);
    const now = Date.now();
    if (o.onProgress && (to === total || now - last >= 100)) {
      last = now;
      o.onProgress({ done: to, total, phase });
    }
    if (to < total) await yieldFn();
  }
  if (o.signal?.aborted) throw new PlacementAbortError('coverage matrix build');
}

/** The coverage matrix of `cols`: through `o.columnsRunner`, or on this thread in chunks. */
async function buildMatrix(cols: CityColumns, params: (() => CityColumnsParams) | null, o: BuildOptions): Promise<CoverageMatrix> {
  if (o.columnsRunner && params && cols.total > 0) {
    const m = await o.columnsRunner(params(), cols.total);
    if (m.siteCount !== cols.total || m.demandCount !== cols.demandCount) {
      throw new Error(`${cols.phase}: the columns runner returned ${m.siteCount} × ${m.demandCount}, expected ${cols.total} × ${cols.demandCount}`);
    }
    return m;
  }
  const builder = new CoverageMatrixBuilder(cols.demandCount, cols.total * 64);
  await inChunks(cols.total, cols.phase, { ...o, chunkSize: o.chunkSize ?? cols.chunkSize }, (from, to) => cols.build(from, to, builder));
  return builder.finish();
}

function pointIndex(xs: Float64Array, ys: Float64Array, n: number): KDBush | null {
  if (n === 0) return null;
  const idx = new KDBush(n, 64, Float64Array);
  for (let i = 0; i < n; i++) idx.add(xs[i], ys[i]);
  return idx.finish();
}

/** Finishes a problem: aggregation and the shared fields. */
function finish(
  device: PlacementDevice,
  matrix: CoverageMatrix,
  columns: PlacementColumn[],
  groups: number[],
  points: { xM: Float64Array; yM: Float64Array; count: number },
  areaOfPoint: Int32Array | null,
  rest: Pick<CityCoverageProblem, 'units' | 'requiredFraction' | 'candidates' | 'samples' | 'grid' | 'indicator'>,
  aggregate: boolean,
  t0: number,
): CityCoverageProblem {
  let raw = matrix;
  // Candidate columns that cover nothing cannot help: leave them out (existing ones stay, locked).
  const keep: number[] = [];
  for (let j = 0; j < columns.length; j++) if (columns[j].existing || raw.degree(j) > 0) keep.push(j);
  const dropped = columns.length - keep.length;
  if (dropped > 0) {
    raw = raw.selectSites(keep);
    columns = keep.map((j) => columns[j]);
    groups = keep.map((j) => groups[j]);
  }
  const m = points.count;
  const ones = new Float64Array(m).fill(1);
  let coverage = raw, weights: Float64Array = ones, areaOfRow = areaOfPoint;
  let rowMembers: { start: Uint32Array; members: Uint32Array } = { start: Uint32Array.from({ length: m + 1 }, (_, i) => i), members: Uint32Array.from({ length: m }, (_, i) => i) };
  if (aggregate) {
    const agg = aggregateDemand(raw, ones, areaOfPoint ?? undefined);
    coverage = agg.matrix;
    weights = agg.weights;
    areaOfRow = areaOfPoint ? agg.keys : null;
    rowMembers = { start: agg.memberStart, members: agg.members };
  }
  const lockedSites: number[] = [];
  columns.forEach((c, j) => c.existing && lockedSites.push(j));
  return {
    device,
    coverage,
    weights,
    areaOfRow,
    columns,
    lockedSites,
    exclusiveGroups: Int32Array.from(groups),
    locationOfColumn: Int32Array.from(columns, (c) => c.candidate),
    rowMembers,
    points,
    ...rest,
    stats: {
      candidates: rest.candidates.length,
      columns: columns.length,
      emptyColumnsDropped: dropped,
      existing: lockedSites.length,
      demandPoints: m,
      rows: coverage.demandCount,
      nonzeros: coverage.nonzeroCount,
      buildMs: Date.now() - t0,
    },
  };
}

const DEFAULT_HEADINGS = [0, 45, 90, 135, 180, 225, 270, 315];

/** Template camera fields for new mounts. */
type CameraTemplate = Pick<CameraSpec, 'hfovDeg' | 'widthPx' | 'heightPx' | 'tiltDeg' | 'doriLevel'>;

/**
 * Camera columns over a point set: for every spec, the points inside its frustum, within the slant
 * range of its level and in clear line of sight (the coverage session's test, `poseSeesPoint`, with
 * the camera's own building skipped). Points at height `zConst`, or per point `zs`.
 */
function cameraColumns(
  specs: readonly CameraSpec[],
  levelOf: (c: CameraSpec) => number,
  ptzMode: PtzMode,
  prisms: PrismIndex,
  points: { xM: Float64Array; yM: Float64Array; count: number },
  zs: Float64Array | null,
  zConst: number,
  phase: string,
): CityColumns {
  const index = pointIndex(points.xM, points.yM, points.count);
  const buf = new Uint32Array(Math.max(1, points.count));
  const pose = newPose();
  const build = (from: number, to: number, builder: CoverageMatrixBuilder) => {
    for (let q = from; q < to; q++) {
      const c = specs[q];
      let n = 0;
      if (index) {
        preparePose(c, ptzMode, pose);
        const rangeM = maxRangeM(c.widthPx, c.hfovDeg, levelOf(c));
        // Horizontal reach: the range sphere cut at the target height (per-point heights: the full radius).
        const dz = zs ? 0 : Math.abs(pose.zM - zConst);
        if (rangeM > dz) {
          const got = index.withinInto(pose.xM, pose.yM, Math.sqrt(rangeM * rangeM - dz * dz), buf);
          const mounted = prisms.buildingAt(c.xM, c.yM, c.heightM);
          const r2 = rangeM * rangeM;
          for (let k = 0; k < got; k++) {
            const s = buf[k];
            if (poseSeesPoint(pose, r2, prisms, mounted, points.xM[s], points.yM[s], zs ? zs[s] : zConst)) buf[n++] = s;
          }
        }
      }
      builder.addSiteRange(buf, 0, n);
    }
  };
  return { total: specs.length, demandCount: points.count, phase, chunkSize: 64, build };
}

/** New-camera columns: every candidate hosting `kind`, at its fixed heading or at each of `headings`; one exclusive group per mount. */
function newCameraColumns(candidates: readonly CandidateSite[], kind: CameraKind, t: CameraTemplate, headings: readonly number[], specs: CameraSpec[], columns: PlacementColumn[], groups: number[]): void {
  candidates.forEach((site, k) => {
    if (!site.hosts.includes(kind)) return;
    for (const h of site.headingDeg !== undefined ? [site.headingDeg] : headings) {
      const spec: CameraSpec = { id: `${site.id}@${h}`, kind, xM: site.xM, yM: site.yM, heightM: site.mountHeightM, headingDeg: h, tiltDeg: t.tiltDeg, hfovDeg: t.hfovDeg, widthPx: t.widthPx, heightPx: t.heightPx, ptz: false, panRangeDeg: 0, doriLevel: t.doriLevel, healthy: true, networked: true, assumed: [] };
      specs.push(spec);
      columns.push({ existing: false, device: kind, id: site.id, candidate: k, xM: site.xM, yM: site.yM, heightM: site.mountHeightM, headingDeg: h, template: `${t.widthPx}×${t.heightPx} ${round1(t.hfovDeg)}° lens, tilt ${t.tiltDeg}°`, camera: spec });
      groups.push(k);
    }
  });
}

/** An existing camera as a locked column. */
function existingCameraColumn(c: CameraSpec, specs: CameraSpec[], columns: PlacementColumn[], groups: number[]): void {
  specs.push(c);
  columns.push({ existing: true, device: c.kind, id: c.id, candidate: -1, xM: c.xM, yM: c.yM, heightM: c.heightM, headingDeg: c.headingDeg, template: `${c.widthPx}×${c.heightPx} ${round1(c.hfovDeg)}° lens${c.ptz ? ' PTZ' : ''}`, camera: c });
  groups.push(-1);
}

/** The common tail of the key-area problems (camera, 5G): demand = the area samples, counted per area. */
function finishKeyAreaProblem(
  city: City,
  device: Parameters<typeof finish>[0],
  measure: string,
  requiredFraction: number,
  matrix: Parameters<typeof finish>[1],
  columns: Parameters<typeof finish>[2],
  groups: Parameters<typeof finish>[3],
  samples: AreaSamples,
  candidates: readonly CandidateSite[],
  aggregate: boolean,
  t0: number,
): ReturnType<typeof finish> {
  const ka = city.keyAreas;
  return finish(
    device,
    matrix,
    columns,
    groups,
    { xM: samples.xM, yM: samples.yM, count: samples.count },
    Int32Array.from(samples.slot),
    {
      units: { ids: Array.from(samples.areas, (a) => ka.ids[a]), names: Array.from(samples.areas, (a) => ka.names[a]) },
      requiredFraction,
      candidates,
      samples,
      grid: null,
      indicator: { measure, unitName: 'key areas', denominator: samples.areas.length },
    },
    aggregate,
    t0,
  );
}

/** The camera problem of a city: HD video coverage of the video-set key areas (see the module doc). */
export async function buildCameraProblem(city: City, candidates: readonly CandidateSite[], o: CameraProblemOptions = {}): Promise<CityCoverageProblem> {
  const t0 = Date.now();
  const prisms = o.prisms ?? PrismIndex.fromBuildings(city.buildings);
  const options: CameraColumnOptions = { coverage: o.coverage, headingsDeg: o.headingsDeg, template: o.template };
  const { co, samples, columns, groups, cols } = prepareCameraColumns(city, candidates, options, prisms);
  const matrix = await buildMatrix(cols, () => ({ device: 'camera', candidates: [...candidates], options }), o);
  return finishKeyAreaProblem(city, 'camera', 'video_hd_coverage', co.rulePercent / 100, matrix, columns, groups, samples, candidates, o.aggregate ?? true, t0);
}

/** The columns of the camera problem (new mounts × headings, then the counting existing cameras) over the video-set samples. */
function prepareCameraColumns(city: City, candidates: readonly CandidateSite[], o: CameraColumnOptions, prisms: PrismIndex) {
  const co = resolveCoverageOptions({ ...o.coverage, areaSet: 'video' });
  const samples = sampleKeyAreas(city, prisms, { gridM: co.gridM, targetHeightM: co.targetHeightM, areaSet: 'video' });
  const d = CAMERA_DEFAULTS.camera;
  const t: CameraTemplate = { hfovDeg: d.hfovDeg, widthPx: d.widthPx, heightPx: d.heightPx, tiltDeg: d.tiltDeg, doriLevel: d.doriLevel, ...o.template };
  const columns: PlacementColumn[] = [];
  const specs: CameraSpec[] = [];
  const groups: number[] = [];
  newCameraColumns(candidates, 'camera', t, o.headingsDeg ?? DEFAULT_HEADINGS, specs, columns, groups);
  // Existing cameras that count for area coverage (the coverage session's rule).
  for (const c of camerasFromDevices(city.devices)) {
    if (co.areaCameraKinds.includes(c.kind) && c.healthy && (!co.requireHd || isHdCamera(c, co.hd))) existingCameraColumn(c, specs, columns, groups);
  }
  const levelOf = (c: CameraSpec) => doriPxPerM(co.areaLevel === 'camera' ? c.doriLevel : co.areaLevel);
  const points = { xM: samples.xM, yM: samples.yM, count: samples.count };
  const cols = cameraColumns(specs, levelOf, co.ptzMode, prisms, points, null, co.targetHeightM, 'camera coverage');
  return { co, samples, columns, groups, cols };
}

/**
 * The e-police problem of a city (`epolice_coverage`): demand = the stop-line lane points of the
 * important intersections (sim-core/coverage/epolice.ts, plate height), seen at the e-police level
 * (recognition, 125 px/m) by e-police cameras; an intersection is a unit. With the default rule (every
 * lane of every approach) "intersection covered" is "all of its lane points seen", an area rule with
 * share 1, so the covering model is exact; other e-police rules (a share of lanes per approach AND a
 * number of approaches) are not a single threshold and are refused. New columns: the gantry
 * candidates (fixed heading) and any other candidate hosting `epolice` (each heading of
 * `headingsDeg`); template: CAMERA_DEFAULTS.epolice (2448 × 2048, 30° lens, tilt 12°). Existing
 * healthy e-police cameras are locked.
 */
export async function buildEpoliceProblem(city: City, candidates: readonly CandidateSite[], o: CameraProblemOptions = {}): Promise<CityCoverageProblem> {
  const t0 = Date.now();
  const prisms = o.prisms ?? PrismIndex.fromBuildings(city.buildings);
  const co = resolveCoverageOptions(o.coverage);
  if (co.epoliceRule.minLaneFraction !== 1 || co.epoliceRule.minApproaches !== 'all') {
    throw new RangeError('e-police placement supports the default rule only (every lane of every approach seen): other rules are not one threshold per intersection');
  }
  const st = buildStopLines(city, co.stopLines);
  const d = CAMERA_DEFAULTS.epolice;
  const t: CameraTemplate = { hfovDeg: d.hfovDeg, widthPx: d.widthPx, heightPx: d.heightPx, tiltDeg: d.tiltDeg, doriLevel: d.doriLevel, ...o.template };
  const columns: PlacementColumn[] = [];
  const specs: CameraSpec[] = [];
  const groups: number[] = [];
  newCameraColumns(candidates, 'epolice', t, o.headingsDeg ?? DEFAULT_HEADINGS, specs, columns, groups);
  for (const c of camerasFromDevices(city.devices)) if (co.epoliceCameraKinds.includes(c.kind) && c.healthy) existingCameraColumn(c, specs, columns, groups);
  const level = doriPxPerM(co.epoliceLevel);
  const points = { xM: st.xM, yM: st.yM, count: st.count };
  const cols = cameraColumns(specs, () => level, co.ptzMode, prisms, points, st.zM, 0, 'e-police coverage');
  // E-police problems are small (stop lines of the important intersections): always built on this thread.
  // E-police problems are small (stop lines of the important intersections): always on this thread.
  const matrix = await buildMatrix(cols, null, o);
  const ixOfPoint = Int32Array.from(st.sampleApproach, (a) => st.approachIntersection[a]);
  const N = city.roadNodes;
  return finish(
    'epolice',
    matrix,
    columns,
    groups,
    points,
    ixOfPoint,
    {
      units: { ids: Array.from(st.nodes, (n) => N.ids[n]), names: Array.from(st.nodes, (n) => N.names[n]) },
      requiredFraction: 1,
      candidates,
      samples: null,
      grid: null,
      indicator: { measure: 'epolice_coverage', unitName: 'intersections', denominator: st.nodes.length },
    },
    o.aggregate ?? true,
    t0,
  );
}

const round1 = (v: number) => Math.round(v * 10) / 10;

/** Greatest horizontal distance at which a cell could still reach `thresholdDbm` (LOS, best gain), metres. */
function cellReachM(k: CellKernel, thresholdDbm: number): number {
  const budget = k.powerDbm + k.cell.antenna.gainDbi - thresholdDbm;
  if (k.pathLoss.losDb(10) > budget) return 0;
  let lo = 10, hi = 5000;
  if (k.pathLoss.losDb(hi) <= budget) return hi;
  for (let it = 0; it < 40; it++) {
    const mid = (lo + hi) / 2;
    if (k.pathLoss.losDb(mid) <= budget) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** The 5G problem of a city: SS-RSRP coverage of the 5G-set key areas (see the module doc). */
export async function buildCellProblem(city: City, candidates: readonly CandidateSite[], o: CellProblemOptions = {}): Promise<CityCoverageProblem> {
  const t0 = Date.now();
  const prisms = o.prisms ?? PrismIndex.fromBuildings(city.buildings);
  const { prisms: _p, onProgress: _op, signal: _s, chunkSize: _c, yieldFn: _y, aggregate: _a, columnsRunner: _r, ...options } = o;
  const { samples, columns, groups, rulePercent, cols } = prepareCellColumns(city, candidates, options, prisms);
  const matrix = await buildMatrix(cols, () => ({ device: 'cell5g', candidates: [...candidates], options }), o);
  return finishKeyAreaProblem(city, 'cell5g', 'nr5g_key_area_coverage', rulePercent / 100, matrix, columns, groups, samples, candidates, o.aggregate ?? true, t0);
}

/** The columns of the 5G problem (candidate sites, then existing sites) over the 5G-set samples. */
function prepareCellColumns(city: City, candidates: readonly CandidateSite[], o: CellColumnOptions, prisms: PrismIndex) {
  const hUt = o.ueHeightM ?? 1.5;
  const thr = o.rsrpThresholdDbm ?? DEFAULT_NR5G_AREA_OPTIONS.rsrpThresholdDbm;
  const rulePercent = o.rulePercent ?? DEFAULT_NR5G_AREA_OPTIONS.rulePercent;
  const maxRadiusM = o.maxRadiusM ?? DEFAULT_NR5G_AREA_OPTIONS.maxRadiusM;
  if (!(rulePercent > 0 && rulePercent <= 100)) throw new RangeError(`rulePercent must be in (0, 100], got ${rulePercent}`);
  const macroMin = o.macroMinHeightM ?? 15;
  const samples = sampleKeyAreas(city, prisms, { gridM: o.gridM ?? DEFAULT_NR5G_AREA_OPTIONS.gridM, targetHeightM: hUt, areaSet: 'nr5g' });
  const index = pointIndex(samples.xM, samples.yM, samples.count);
  const buf = new Uint32Array(Math.max(1, samples.count));

  // A column is one or more masts (cells at the same x, y and height share a line-of-sight test).
  interface Mast {
    kernels: CellKernel[];
    xM: number;
    yM: number;
    heightM: number;
    mounted: number;
    reachM: number;
  }
  const mastsOf = (cells: readonly ResolvedCell[]): Mast[] => {
    const byPos = new Map<string, ResolvedCell[]>();
    for (const c of cells) {
      const key = `${c.xM},${c.yM},${c.heightM}`;
      const list = byPos.get(key) ?? [];
      list.push(c);
      byPos.set(key, list);
    }
    return [...byPos.values()].map((list) => {
      const c0 = list[0];
      const kernels = list.map((c) => makeCellKernel(c, hUt));
      let reach = 0;
      for (const k of kernels) reach = Math.max(reach, cellReachM(k, thr));
      return { kernels, xM: c0.xM, yM: c0.yM, heightM: c0.heightM, mounted: prisms.buildingAt(c0.xM, c0.yM, c0.heightM), reachM: Math.min(reach, maxRadiusM) };
    });
  };
  const sites: Mast[][] = [];
  const columns: PlacementColumn[] = [];
  const groups: number[] = [];
  candidates.forEach((site, k) => {
    if (!site.hosts.includes('cell5g')) return;
    const macro = site.mountHeightM >= macroMin;
    const base: CellSpec = macro
      ? { id: site.id, xM: site.xM, yM: site.yM, heightM: site.mountHeightM, band: 'n78', ...o.macro }
      : { id: site.id, xM: site.xM, yM: site.yM, heightM: site.mountHeightM, band: 'n78', txPowerDbm: 40, scenario: 'umi', antenna: { gainDbi: 8, vBeamwidthDeg: 30 }, ...o.small };
    const cellSpecs: CellSpec[] = macro ? [0, 120, 240].map((az) => ({ ...base, id: `${site.id}/${az}`, siteId: site.id, azimuthDeg: az })) : [{ ...base, siteId: site.id, azimuthDeg: undefined }];
    const cells: ResolvedCell[] = cellSpecs.map(resolveCell);
    sites.push(mastsOf(cells));
    columns.push({ existing: false, device: 'cell5g', id: site.id, candidate: k, xM: site.xM, yM: site.yM, heightM: site.mountHeightM, headingDeg: null, template: macro ? `3-sector ${cells[0].band} macro, ${round1(cells[0].txPowerDbm ?? 0)} dBm` : `omni ${cells[0].band} small cell, ${round1(cells[0].txPowerDbm ?? 0)} dBm`, cells: cellSpecs });
    groups.push(-1);
  });
  // Existing healthy cells, one locked column per site (its sectors may stand at different corners of a roof).
  const bySite = new Map<string, ResolvedCell[]>();
  for (const c of cellsFromCity(city)) {
    const list = bySite.get(c.siteId) ?? [];
    list.push(c);
    bySite.set(c.siteId, list);
  }
  for (const [siteId, cells] of bySite) {
    const c0 = cells[0];
    sites.push(mastsOf(cells));
    columns.push({ existing: true, device: 'cell5g', id: cells.length === 1 ? c0.id : siteId, candidate: -1, xM: c0.xM, yM: c0.yM, heightM: c0.heightM, headingDeg: null, template: `${cells.length} cell${cells.length > 1 ? 's' : ''} ${c0.band}` });
    groups.push(-1);
  }
  const hits = new Uint32Array(Math.max(1, samples.count));
  const stamp = new Int32Array(samples.count).fill(-1);
  const build = (from: number, to: number, builder: CoverageMatrixBuilder) => {
    for (let q = from; q < to; q++) {
      let n = 0;
      for (const m of sites[q]) {
        if (!index || m.reachM <= 0) continue;
        const got = index.withinInto(m.xM, m.yM, m.reachM, buf);
        for (let k = 0; k < got; k++) {
          const i = buf[k];
          if (stamp[i] === q) continue; // already covered by another mast of this column
          const dx = samples.xM[i] - m.xM, dy = samples.yM[i] - m.yM;
          // NLOS path loss is never below LOS: when even the NLOS value passes, the sample is covered;
          // when even the LOS value fails, it is not. Only in between does the ray decide.
          const d2 = Math.sqrt(dx * dx + dy * dy);
          let bestLos = -Infinity, bestNlos = -Infinity;
          for (const cell of m.kernels) {
            const g = cell.powerDbm + cell.antenna.gainTowardDbi(dx, dy, hUt - m.heightM);
            const rl = g - cell.pathLoss.losDb(d2), rn = g - cell.pathLoss.nlosDb(d2);
            if (rl > bestLos) bestLos = rl;
            if (rn > bestNlos) bestNlos = rn;
          }
          if (bestNlos >= thr || (bestLos >= thr && !prisms.segmentBlocked(m.xM, m.yM, m.heightM, samples.xM[i], samples.yM[i], hUt, m.mounted))) {
            stamp[i] = q;
            hits[n++] = i;
          }
        }
      }
      builder.addSiteRange(hits, 0, n);
    }
  };
  const cols: CityColumns = { total: sites.length, demandCount: samples.count, phase: '5G coverage', chunkSize: 8, build };
  return { samples, columns, groups, rulePercent, cols };
}

/**
 * The columns of a camera or 5G problem, ready to be built by ranges: a worker calls this once per
 * (city, params) and then `build(from, to, builder)` for its ranges; merged in order, the ranges give
 * exactly the matrix `buildCameraProblem` / `buildCellProblem` build on one thread.
 */
export function buildCityColumns(city: City, prisms: PrismIndex, params: CityColumnsParams): CityColumns {
  return params.device === 'camera' ? prepareCameraColumns(city, params.candidates, params.options, prisms).cols : prepareCellColumns(city, params.candidates, params.options, prisms).cols;
}

const WEATHER = DEVICE_TYPES.indexOf('weather');

/** The weather-station problem of a city: grid cells within `radiusM` of a station (see the module doc). */
export async function buildWeatherProblem(city: City, candidates: readonly CandidateSite[], o: WeatherProblemOptions): Promise<CityCoverageProblem> {
  const t0 = Date.now();
  if (!(o.radiusM > 0) || !Number.isFinite(o.radiusM)) throw new RangeError(`radiusM must be a positive number of metres, got ${o.radiusM}`);
  const cellM = o.cellM ?? 200;
  if (!(cellM > 0)) throw new RangeError(`cellM must be positive, got ${cellM}`);
  const kind = o.scopeKind ?? '城区';
  const polys = city.scopes.filter((sc) => sc.kind === kind).flatMap((sc) => sc.polygons);
  const inScope = (x: number, y: number) => polys.length === 0 || pointInScope(polys, x, y);
  let bb = cityBBoxM(city);
  if (polys.length) {
    bb = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
    for (const rings of polys) for (const ring of rings) for (let v = 0; v < ring.length; v += 2) {
      bb.minX = Math.min(bb.minX, ring[v]);
      bb.maxX = Math.max(bb.maxX, ring[v]);
      bb.minY = Math.min(bb.minY, ring[v + 1]);
      bb.maxY = Math.max(bb.maxY, ring[v + 1]);
    }
  }
  const xs: number[] = [], ys: number[] = [];
  for (let y = Math.floor(bb.minY / cellM) * cellM + cellM / 2; y < bb.maxY; y += cellM) {
    for (let x = Math.floor(bb.minX / cellM) * cellM + cellM / 2; x < bb.maxX; x += cellM) {
      if (inScope(x, y)) {
        xs.push(x);
        ys.push(y);
      }
    }
  }
  const points = { xM: Float64Array.from(xs), yM: Float64Array.from(ys), count: xs.length };
  const index = pointIndex(points.xM, points.yM, points.count);
  const buf = new Uint32Array(Math.max(1, points.count));
  const columns: PlacementColumn[] = [];
  candidates.forEach((site, k) => {
    if (site.hosts.includes('weather')) columns.push({ existing: false, device: 'weather', id: site.id, candidate: k, xM: site.xM, yM: site.yM, heightM: site.mountHeightM, headingDeg: null, template: 'automatic weather station' });
  });
  const d = city.devices;
  for (let i = 0; i < d.count; i++) {
    if (d.typeCode[i] === WEATHER && d.healthy[i]) columns.push({ existing: true, device: 'weather', id: d.ids[i], candidate: -1, xM: d.xyM[2 * i], yM: d.xyM[2 * i + 1], heightM: d.heightM[i], headingDeg: null, template: 'existing station' });
  }
  const build = (from: number, to: number, builder: CoverageMatrixBuilder) => {
    for (let q = from; q < to; q++) {
      const n = index ? index.withinInto(columns[q].xM, columns[q].yM, o.radiusM, buf) : 0;
      builder.addSiteRange(buf, 0, n);
    }
  };
  const matrix = await buildMatrix({ total: columns.length, demandCount: points.count, phase: 'weather coverage', chunkSize: 256, build }, null, o);
  return finish(
    'weather',
    matrix,
    columns,
    columns.map(() => -1),
    points,
    null,
    {
      units: { ids: xs.map((_, i) => `cell-${i}`), names: xs.map(() => null) },
      requiredFraction: 1,
      candidates,
      samples: null,
      grid: { cellM },
      indicator: { measure: 'weather_grid_coverage', unitName: 'grid cells', denominator: points.count },
    },
    o.aggregate ?? true,
    t0,
  );
}
