/**
 * Blind spots of the selected indicator, sample by sample, computed in the blind-spot worker
 * (blindspots.worker.ts) with the very models the session scores the city with (sim-core's
 * SimulationSession: CoverageSession for cameras and e-police, Nr5gAreaSession for 5G):
 *
 * - `video`   — key-area samples of the HD-video set that no counting camera sees (`areaSeen == 0`);
 * - `epolice` — stop-line lane points of the approaches of important intersections that are not
 *               covered (an intersection is covered when all its approaches are, by default);
 * - `nr5g`    — key-area samples of the 5G set that fail the sample rule (SS-RSRP below the threshold).
 *
 * The engine keeps one session and follows the device list with the smallest edit batch (devices added,
 * removed, or changed by value), so a camera moved costs one camera. Each result comes with flat ground
 * squares (ECEF positions of 4 corners per point, and triangle indices) ready for one Cesium primitive.
 * Pure: no DOM; runs in Node for the tests.
 */
import { LocalFrame } from '../../sim-core/cim/frame.ts';
import { cityWithDevices, type DeviceFeature } from '../../sim-core/cim/device-features.ts';
import type { City } from '../../sim-core/cim/types.ts';
import { geodeticToEcef } from '../../sim-core/geom/ecef.ts';
import { inventoryFromCity, type DeviceInventory, type Edit } from '../../sim-core/session/devices.ts';
import { SimulationSession, type SessionOptions, type SessionSnapshotBody } from '../../sim-core/session/session.ts';

export type BlindSpotKind = 'video' | 'epolice' | 'nr5g';

/** The blind-spot kind of an indicator row, or null for a row without blind spots. */
export function blindSpotKindOf(rowId: string): BlindSpotKind | null {
  if (rowId === 'video_completeness' || rowId === 'video_hd_coverage') return 'video';
  if (rowId === 'epolice_coverage') return 'epolice';
  if (rowId === 'nr5g_key_area_coverage') return 'nr5g';
  return null;
}

/** Points of one kind, local metres. */
export interface BlindSpotPoints {
  kind: BlindSpotKind;
  /** Uncovered points (samples, or lane points). */
  count: number;
  xM: Float64Array;
  yM: Float64Array;
  /** Side of each point's square, metres (the sample grid; lane points: 2 m). */
  cellM: number;
  /** What the count is of: samples (video, nr5g), or uncovered approaches (epolice; `count` is then their lane points). */
  approaches?: number;
}

/** Flat squares ready for a Cesium Geometry. */
export interface SquareMesh {
  /** ECEF x, y, z of 4 corners per square, metres. */
  positionsM: Float64Array;
  indices: Uint32Array;
  squares: number;
}

/** Lane points are drawn as squares of this side. */
export const LANE_POINT_SIDE_M = 2;

/** Video-set samples seen by no counting camera. */
export function videoBlindSpots(s: SimulationSession): BlindSpotPoints {
  const cov = s.coverage;
  const seen = cov.areaSeen;
  const smp = cov.samples;
  let n = 0;
  for (let k = 0; k < smp.count; k++) if (seen[k] === 0) n++;
  const xM = new Float64Array(n), yM = new Float64Array(n);
  let j = 0;
  for (let k = 0; k < smp.count; k++) {
    if (seen[k] !== 0) continue;
    xM[j] = smp.xM[k]!;
    yM[j] = smp.yM[k]!;
    j++;
  }
  return { kind: 'video', count: n, xM, yM, cellM: smp.gridM };
}

/** Lane points of the approaches that are not covered. */
export function epoliceBlindSpots(s: SimulationSession): BlindSpotPoints {
  const cov = s.coverage;
  const st = cov.stopLines;
  const nAp = st.approachLink.length;
  const xs: number[] = [], ys: number[] = [];
  let approaches = 0;
  for (let a = 0; a < nAp; a++) {
    if (cov.approachCovered(a)) continue;
    approaches++;
    for (let k = st.sampleStart[a]!; k < st.sampleStart[a + 1]!; k++) {
      xs.push(st.xM[k]!);
      ys.push(st.yM[k]!);
    }
  }
  return { kind: 'epolice', count: xs.length, xM: Float64Array.from(xs), yM: Float64Array.from(ys), cellM: LANE_POINT_SIDE_M, approaches };
}

/** 5G-set samples failing the sample rule (empty when the session leaves 5G out). */
export function nr5gBlindSpots(s: SimulationSession): BlindSpotPoints {
  const nr = s.nr5g;
  if (!nr) return { kind: 'nr5g', count: 0, xM: new Float64Array(0), yM: new Float64Array(0), cellM: 5 };
  const smp = nr.samples;
  let n = 0;
  for (let k = 0; k < smp.count; k++) if (!nr.sampleCovered(k)) n++;
  const xM = new Float64Array(n), yM = new Float64Array(n);
  let j = 0;
  for (let k = 0; k < smp.count; k++) {
    if (nr.sampleCovered(k)) continue;
    xM[j] = smp.xM[k]!;
    yM[j] = smp.yM[k]!;
    j++;
  }
  return { kind: 'nr5g', count: n, xM, yM, cellM: smp.gridM };
}

/**
 * One flat square per point, `heightM` above the ellipsoid, side `cellM × shrink` (a small gap keeps
 * neighbouring samples apart): the centre through the city's local frame, the corners along the east
 * and north axes at the city origin (within a city the axes turn by less than a millimetre per 2 m square).
 */
export function squareMesh(city: City, p: BlindSpotPoints, heightM = 0.8, shrink = 0.8): SquareMesh {
  const frame = new LocalFrame(city.origin);
  const lon0 = (city.origin.lonDeg * Math.PI) / 180, lat0 = (city.origin.latDeg * Math.PI) / 180;
  const e = [-Math.sin(lon0), Math.cos(lon0), 0];
  const nn = [-Math.sin(lat0) * Math.cos(lon0), -Math.sin(lat0) * Math.sin(lon0), Math.cos(lat0)];
  const h = (p.cellM * shrink) / 2;
  const positionsM = new Float64Array(12 * p.count);
  const indices = new Uint32Array(6 * p.count);
  const ll = new Float64Array(2);
  const c = new Float64Array(3);
  const corners = [
    [-h, -h],
    [h, -h],
    [h, h],
    [-h, h],
  ];
  for (let k = 0; k < p.count; k++) {
    frame.toLngLat(p.xM[k]!, p.yM[k]!, ll);
    geodeticToEcef(ll[0]!, ll[1]!, heightM, c);
    for (let v = 0; v < 4; v++) {
      const [dx, dy] = corners[v]!;
      const o = 12 * k + 3 * v;
      positionsM[o] = c[0]! + dx! * e[0]! + dy! * nn[0]!;
      positionsM[o + 1] = c[1]! + dx! * e[1]! + dy! * nn[1]!;
      positionsM[o + 2] = c[2]! + dx! * e[2]! + dy! * nn[2]!;
    }
    const b = 4 * k, i = 6 * k;
    indices[i] = b;
    indices[i + 1] = b + 1;
    indices[i + 2] = b + 2;
    indices[i + 3] = b;
    indices[i + 4] = b + 2;
    indices[i + 5] = b + 3;
  }
  return { positionsM, indices, squares: p.count };
}

/**
 * Aggregation levels for the far view: cells of the sample grid × these factors (video, 2 m samples:
 * 16, 48, 128, 384 m). The layer draws the finest level whose cells stay a few pixels wide.
 */
export const AGGREGATION_FACTORS: readonly number[] = [8, 24, 64, 192];

/**
 * Upper bounds of the count classes of an aggregated cell, as a share of the samples the cell can hold,
 * `(cellM / sampleCellM)²`: class 0 below 5 %, 1 below 20 %, 2 below 50 %, 3 from 50 % (the colour darkens
 * with the class).
 */
export const COUNT_CLASS_BOUNDS: readonly number[] = [0.05, 0.2, 0.5];

/** The uncovered points gathered into square cells of one size, each cell's count in one of the count classes. */
export interface AggregatedLevel {
  /** Side of a cell, metres. */
  cellM: number;
  /** Cells holding at least one point. */
  cells: number;
  /** Σ counts over the cells (= the points aggregated). */
  total: number;
  /** Largest count of one cell. */
  maxCount: number;
  /** One square mesh per count class (side 0.9 × `cellM`), class 0 first. */
  classes: SquareMesh[];
  /** Cells per class. */
  classCells: number[];
}

/**
 * The points of `p` in square cells of `cellM` metres on the city's local grid (cell (i, j) spans
 * [i·cellM, (i+1)·cellM) east and likewise north), classed by count against what a cell can hold
 * (see {@link COUNT_CLASS_BOUNDS}), as ground squares `heightM` above the ellipsoid.
 */
export function aggregateLevel(city: City, p: BlindSpotPoints, cellM: number, heightM = 0.8): AggregatedLevel {
  const counts = new Map<number, number>();
  // key = i · 2^26 + j with i, j offset by 2^25 (cells of ≥ 1 m over ±33,000 km: exact in a double)
  const OFFSET = 2 ** 25, SPAN = 2 ** 26;
  for (let k = 0; k < p.count; k++) {
    const i = Math.floor(p.xM[k]! / cellM) + OFFSET, j = Math.floor(p.yM[k]! / cellM) + OFFSET;
    const key = i * SPAN + j;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const capacity = (cellM / p.cellM) ** 2;
  const classOf = (n: number) => {
    let c = 0;
    while (c < COUNT_CLASS_BOUNDS.length && n / capacity >= COUNT_CLASS_BOUNDS[c]!) c++;
    return c;
  };
  const nClasses = COUNT_CLASS_BOUNDS.length + 1;
  const classCells = new Array<number>(nClasses).fill(0);
  let total = 0, maxCount = 0;
  for (const n of counts.values()) {
    classCells[classOf(n)]!++;
    total += n;
    if (n > maxCount) maxCount = n;
  }
  const xs = classCells.map((n) => new Float64Array(n));
  const ys = classCells.map((n) => new Float64Array(n));
  const fill = new Array<number>(nClasses).fill(0);
  for (const [key, n] of counts) {
    const c = classOf(n);
    const i = Math.floor(key / SPAN) - OFFSET, j = (key % SPAN) - OFFSET;
    xs[c]![fill[c]!] = (i + 0.5) * cellM;
    ys[c]![fill[c]!] = (j + 0.5) * cellM;
    fill[c]!++;
  }
  const classes = classCells.map((n, c) => squareMesh(city, { kind: p.kind, count: n, xM: xs[c]!, yM: ys[c]!, cellM }, heightM, 0.9));
  return { cellM, cells: counts.size, total, maxCount, classes, classCells };
}

/** The samples' own squares show while they are at least this wide on screen, pixels. */
export const FINE_MIN_PX = 2;
/** Otherwise the finest aggregation level whose cells are at least this wide on screen, pixels. */
export const CELL_MIN_PX = 3;

/**
 * What to draw at `metresPerPixel` (at the centre of the view): −1 for the samples' own squares (side
 * `0.8 × sampleCellM`), else the index of the finest level in `levelCellM` (ascending) whose squares
 * (0.9 × the cell) are {@link CELL_MIN_PX} wide, else the coarsest.
 */
export function levelForScale(metresPerPixel: number, sampleCellM: number, levelCellM: readonly number[]): number {
  if (!(metresPerPixel > 0) || (0.8 * sampleCellM) / metresPerPixel >= FINE_MIN_PX) return -1;
  for (let i = 0; i < levelCellM.length; i++) if ((0.9 * levelCellM[i]!) / metresPerPixel >= CELL_MIN_PX) return i;
  return levelCellM.length - 1;
}

/** The edits that turn inventory `from` into `to` (changed devices: removed and added again). */
export function inventoryEdits(from: DeviceInventory, to: DeviceInventory): Edit[] {
  const edits: Edit[] = [];
  const key = (x: unknown) => JSON.stringify(x);
  const fc = new Map(from.cameras.map((c) => [c.id, key(c)]));
  const tc = new Map(to.cameras.map((c) => [c.id, c]));
  const fl = new Map(from.cells.map((c) => [c.id, key(c)]));
  const tl = new Map(to.cells.map((c) => [c.id, c]));
  for (const [id, k] of fc) {
    const t = tc.get(id);
    if (!t || key(t) !== k) edits.push({ op: 'remove', id });
  }
  for (const [id, k] of fl) {
    const t = tl.get(id);
    if (!t || key(t) !== k) edits.push({ op: 'remove', id });
  }
  for (const [id, c] of tc) if (fc.get(id) !== key(c)) edits.push({ op: 'add', camera: c });
  for (const [id, c] of tl) if (fl.get(id) !== key(c)) edits.push({ op: 'add', cell: c });
  return edits;
}

/** A session that follows a device list and answers blind spots (see the module doc). */
export class BlindSpotEngine {
  readonly session: SimulationSession;
  private inventory: DeviceInventory = { cameras: [], cells: [] };

  constructor(readonly city: City, options: SessionOptions = {}) {
    this.session = new SimulationSession(city, options);
  }

  /** Follows `devices` (city-file features); returns the number of edits it took. A bad device throws, naming it. */
  setDevices(devices: readonly DeviceFeature[]): number {
    const next = inventoryFromCity(cityWithDevices(this.city, devices, 'workbench devices'));
    const edits = inventoryEdits(this.inventory, next);
    if (edits.length) {
      const d = this.session.edit(edits);
      if (d.rejected.length) throw new Error(`blind spots: ${d.rejected.length} device edit(s) refused, first: ${d.rejected[0]!.message}`);
    }
    this.inventory = next;
    return edits.length;
  }

  /** Uncovered points of one kind. */
  points(kind: BlindSpotKind): BlindSpotPoints {
    return kind === 'video' ? videoBlindSpots(this.session) : kind === 'epolice' ? epoliceBlindSpots(this.session) : nr5gBlindSpots(this.session);
  }

  /** The session's results (what the indicator panel reads from the workbench's own session). */
  snapshot(): SessionSnapshotBody {
    return this.session.snapshot();
  }
}

/**
 * The count the workbench's results give for a kind, to check the layer against: uncovered video
 * samples Σ(sampleCount − coveredSamples), 5G samples Σ(samples − coveredSamples), or uncovered
 * approaches Σ(approaches − coveredApproaches).
 */
export function expectedCount(kind: BlindSpotKind, results: SessionSnapshotBody): number {
  if (kind === 'video') return results.video.areas.reduce((n, a) => n + (a.sampleCount - a.coveredSamples), 0);
  if (kind === 'nr5g') return (results.nr5g?.areas ?? []).reduce((n, a) => n + (a.samples - a.coveredSamples), 0);
  return results.video.intersections.reduce((n, x) => n + (x.approaches - x.coveredApproaches), 0);
}
