/**
 * The time-space diagram as plain layer data, from a green-wave plan: x = distance along the corridor
 * (metres from the first signal), y = time (seconds). Pure (no deck.gl, no DOM): the panel hands these
 * arrays to deck.gl layers in an OrthographicView, and the tests check them against the plan.
 *
 * - signal bars: per signal and direction, one rectangle per green / yellow / red interval of the
 *   plan's time-space data; the outbound bar just left of the stop line, the inbound bar just right;
 * - bands: per direction and cycle, the band as a polygon through each signal's band window (its
 *   lower edge the band's front, its upper edge the back);
 * - trajectories: vehicles as polylines (see ./platoons.ts);
 * - the clock cursor: a horizontal line at the animation time.
 */
import type { Direction, SignalInterval } from '../../sim-core/signal/arterial.ts';
import type { PlanLike, Trajectory } from './platoons.ts';

/** A 2D position in diagram units: [metres, seconds]. */
export type DiagramXY = [number, number];

export interface SignalBar {
  signalId: string;
  direction: Direction;
  state: SignalInterval['state'];
  /** Rectangle corners, closed implicitly. */
  polygon: DiagramXY[];
}

export interface BandPolygon {
  direction: Direction;
  /** Cycle number of the repetition (0 for the first that shows). */
  repetition: number;
  widthS: number;
  polygon: DiagramXY[];
}

export interface TrajectoryPath {
  direction: Direction;
  inBand: boolean;
  stops: number;
  path: DiagramXY[];
}

export interface TimeSpaceLayerData {
  /** Extent of the diagram: x from `minXM` to `maxXM`, y from 0 to `horizonS`. */
  minXM: number;
  maxXM: number;
  horizonS: number;
  /** Bar width, m (each direction's bar). */
  barWidthM: number;
  bars: SignalBar[];
  bands: BandPolygon[];
  trajectories: TrajectoryPath[];
  /** Stop lines: x of each signal with its id. */
  signals: { id: string; positionM: number }[];
}

/** Options of {@link timeSpaceLayerData}. */
export interface TimeSpaceOptions {
  /** Width of one direction's bar, m (default 1.2 % of the corridor, at least 4 m). */
  barWidthM?: number;
  /** Vehicles to draw. */
  trajectories?: readonly Trajectory[];
}

/** Builds the layer data (see the module doc). */
export function timeSpaceLayerData(plan: PlanLike, options: TimeSpaceOptions = {}): TimeSpaceLayerData {
  const ts = plan.timeSpace;
  const positions = ts.signals.map((s) => s.positionM);
  const minXM = Math.min(...positions), maxXM = Math.max(...positions);
  const barWidthM = options.barWidthM ?? Math.max(4, 0.012 * (maxXM - minXM));
  const bars: SignalBar[] = [];
  for (const s of ts.signals) {
    for (const direction of ['outbound', 'inbound'] as const) {
      const x0 = direction === 'outbound' ? s.positionM - barWidthM : s.positionM;
      const x1 = x0 + barWidthM;
      for (const iv of s[direction]) {
        bars.push({ signalId: s.id, direction, state: iv.state, polygon: [[x0, iv.startS], [x1, iv.startS], [x1, iv.endS], [x0, iv.endS]] });
      }
    }
  }
  const bands: BandPolygon[] = [];
  for (const b of ts.bands) {
    b.repetitions.forEach((rep, k) => {
      if (rep.length < 2 || b.widthS <= 0) return;
      const lower: DiagramXY[] = rep.map((w) => [w.positionM, w.startS]);
      const upper: DiagramXY[] = rep.map((w) => [w.positionM, w.endS] as DiagramXY).reverse();
      bands.push({ direction: b.direction, repetition: k, widthS: b.widthS, polygon: [...lower, ...upper] });
    });
  }
  const trajectories: TrajectoryPath[] = (options.trajectories ?? []).map((tr) => {
    const path: DiagramXY[] = [];
    for (let k = 0; k < tr.points.length; k += 2) path.push([tr.points[k + 1], tr.points[k]]);
    return { direction: tr.direction, inBand: tr.inBand, stops: tr.stops, path };
  });
  return { minXM, maxXM, horizonS: ts.horizonS, barWidthM, bars, bands, trajectories, signals: ts.signals.map((s) => ({ id: s.id, positionM: s.positionM })) };
}

/** RGBA colours of the diagram (also used for the 3D vehicles). */
export const DIAGRAM_COLOURS = {
  green: [22, 163, 74, 255],
  yellow: [234, 179, 8, 255],
  red: [220, 38, 38, 255],
  bandOutbound: [37, 99, 235, 90],
  bandInbound: [147, 51, 234, 90],
  vehicleInBand: [15, 23, 42, 255],
  vehicleStopped: [234, 88, 12, 255],
  cursor: [0, 0, 0, 200],
} as const satisfies Record<string, readonly [number, number, number, number]>;
