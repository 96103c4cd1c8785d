/**
 * Green-wave corridors of a city and their state, as the big screen and the tour show them. A
 * corridor is a named road of the two highest classes (快速路, 主干路) with at least two signalised
 * intersections that have a signal controller (device type `signal`, attribute `nodeId`). Its
 * state comes from the controllers along it:
 *
 * - `coordinated`: every controller runs real-time timing (`realTimeTiming: true`) and is in good
 *   order (完好) and networked (联网) — the wave is on;
 * - `partial`: some are;
 * - `uncoordinated`: none is.
 *
 * Controllers not in good order or not networked are counted (`faulty`): one of them takes a
 * coordinated corridor down to partial, which the big screen shows at once.
 *
 * The seeds define no corridor list; this rule (named arterials, real-time timing as the sign of a
 * coordinated plan) is this project's and is stated in docs/bigscreen.md. Pure and deterministic.
 */
import { DEVICE_TYPES, type City } from '../cim/types.ts';

/** See the module doc. */
export type CorridorState = 'coordinated' | 'partial' | 'uncoordinated';

/** One corridor. */
export interface GreenWaveCorridor {
  /** `corridor-<road name>`. */
  id: string;
  /** The road's name. */
  name: string;
  /** Length of the road's links, metres. */
  lengthM: number;
  /** Road links of the corridor (indices into city.roadLinks), for drawing. */
  links: number[];
  /** Signalised intersections with a controller, in order along the road (west → east, or south → north). */
  nodeIds: string[];
  /** Their controllers (device ids), in the same order. */
  controllerIds: string[];
  /** Controllers running real-time timing that are in good order and networked. */
  coordinated: number;
  /** Controllers not in good order or not networked. */
  faulty: number;
  state: CorridorState;
}

const SIGNAL = DEVICE_TYPES.indexOf('signal');

/** The corridors of `city` (see the module doc), longest first (ties by name). */
export function greenWaveCorridors(city: City, options: { maxClassCode?: number } = {}): GreenWaveCorridor[] {
  const maxClass = options.maxClassCode ?? 1;
  const L = city.roadLinks;
  const N = city.roadNodes;
  const D = city.devices;
  const controllerOf = new Map<string, number>();
  for (let d = 0; d < D.count; d++) {
    if (D.typeCode[d] !== SIGNAL) continue;
    const nodeId = D.attrs[d].nodeId;
    if (typeof nodeId === 'string' && !controllerOf.has(nodeId)) controllerOf.set(nodeId, d);
  }
  const byName = new Map<string, number[]>();
  for (let i = 0; i < L.count; i++) {
    const name = L.names[i];
    if (L.classCode[i] > maxClass || !name) continue;
    let list = byName.get(name);
    if (!list) byName.set(name, (list = []));
    list.push(i);
  }
  const out: GreenWaveCorridor[] = [];
  for (const [name, links] of byName) {
    const nodes = new Set<number>();
    let lengthM = 0;
    for (const l of links) {
      nodes.add(L.from[l]);
      nodes.add(L.to[l]);
      lengthM += L.lengthM[l];
    }
    const list = [...nodes];
    // Order along the road: project on the direction between its two farthest-apart ends (found by two sweeps).
    const far = (from: number) => {
      let best = from, bestD = -1;
      for (const n of list) {
        const d = (N.xyM[2 * n] - N.xyM[2 * from]) ** 2 + (N.xyM[2 * n + 1] - N.xyM[2 * from + 1]) ** 2;
        if (d > bestD || (d === bestD && N.ids[n] < N.ids[best])) (bestD = d), (best = n);
      }
      return best;
    };
    const a = far(list[0]);
    const b = far(a);
    let dx = N.xyM[2 * b] - N.xyM[2 * a], dy = N.xyM[2 * b + 1] - N.xyM[2 * a + 1];
    // west → east for an east-west road, south → north otherwise
    if (Math.abs(dx) >= Math.abs(dy) ? dx < 0 : dy < 0) (dx = -dx), (dy = -dy);
    const along = (n: number) => (N.xyM[2 * n] - N.xyM[2 * a]) * dx + (N.xyM[2 * n + 1] - N.xyM[2 * a + 1]) * dy;
    const signals = list.filter((n) => N.signalized[n] === 1 && controllerOf.has(N.ids[n])).sort((p, q) => along(p) - along(q) || (N.ids[p] < N.ids[q] ? -1 : 1));
    if (signals.length < 2) continue;
    let coordinated = 0, faulty = 0;
    const controllerIds: string[] = [];
    for (const n of signals) {
      const d = controllerOf.get(N.ids[n])!;
      controllerIds.push(D.ids[d]);
      const ok = D.healthy[d] === 1 && D.networked[d] === 1;
      if (!ok) faulty++;
      if (ok && D.attrs[d].realTimeTiming === true) coordinated++;
    }
    const state: CorridorState = coordinated === signals.length ? 'coordinated' : coordinated > 0 ? 'partial' : 'uncoordinated';
    out.push({ id: `corridor-${name}`, name, lengthM: Math.round(lengthM), links: links.sort((p, q) => p - q), nodeIds: signals.map((n) => N.ids[n]), controllerIds, coordinated, faulty, state });
  }
  return out.sort((p, q) => q.lengthM - p.lengthM || (p.name < q.name ? -1 : p.name > q.name ? 1 : 0));
}

/** Corridors by state. */
export function corridorCounts(corridors: readonly GreenWaveCorridor[]): Record<CorridorState, number> {
  const c: Record<CorridorState, number> = { coordinated: 0, partial: 0, uncoordinated: 0 };
  for (const k of corridors) c[k.state]++;
  return c;
}
