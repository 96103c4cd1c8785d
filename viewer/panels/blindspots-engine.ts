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
