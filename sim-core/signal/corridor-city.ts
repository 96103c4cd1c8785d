/**
 * Builds an arterial from the city's road graph: a corridor picked by node ids (clicked in the
 * viewer or typed). Between consecutive given nodes the corridor follows the cheapest path over the
 * links, where a metre of road costs more the lower its class (so the path prefers arterials);
 * give just the two end nodes for a whole corridor. Signals are the signalised nodes on the path,
 * spacing is the link lengths between them, and the design speed is the links' speed limit ×
 * `speedFactor` (default 0.8, the ratio SUMO's tlsCoordinator.py assumes between the average speed
 * of traffic and the limit), taken as a length-weighted harmonic mean between signals.
 *
 * Timing of each signal: from its signal controller device (type `signal`, attribute `nodeId`),
 * attributes `cycleS` and `greenSplit` (share of the cycle for the arterial through phase, green +
 * yellow) when present, otherwise `options.greenSplit` (default 0.5). The common cycle is
 * `options.cycleS`, else the largest controller `cycleS`, else 90 s (SUMO netconvert's default).
 */
import FlatQueue from 'flatqueue';
import { CimError } from '../cim/errors.ts';
import { DEVICE_TYPES, type City } from '../cim/types.ts';
import { createArterial, type Arterial } from './arterial.ts';

export interface CityCorridorOptions {
  /** Road node ids along the corridor, in the outbound direction (at least 2). */
  nodeIds: readonly string[];
  /** Ratio of the design speed to the speed limit (default 0.8). */
  speedFactor?: number;
  /** Design speed for every link, m/s (overrides speedFactor). */
  speedMps?: number;
  cycleS?: number;
  greenSplit?: number;
  queueClearanceS?: number;
  speedBand?: [number, number];
  /** Cost per metre by road class, expressway … service (default 0.9, 1, 1.3, 2, 3). */
  classCost?: readonly number[];
}

export interface CityCorridor {
  arterial: Arterial;
  /** Road node ids of the whole path, and the link ids, in order. */
  pathNodeIds: string[];
  pathLinkIds: string[];
}

function cheapestPath(city: City, from: number, to: number, classCost: readonly number[]): { nodes: number[]; links: number[] } | null {
  const L = city.roadLinks;
  const adj: [number, number][][] = Array.from({ length: city.roadNodes.count }, () => []);
  for (let i = 0; i < L.count; i++) {
    adj[L.from[i]].push([L.to[i], i]);
    if (!L.oneway[i]) adj[L.to[i]].push([L.from[i], i]);
  }
  const dist = new Float64Array(city.roadNodes.count).fill(Infinity);
  const prevLink = new Int32Array(city.roadNodes.count).fill(-1);
  const done = new Uint8Array(city.roadNodes.count);
  dist[from] = 0;
  const queue = new FlatQueue<number>();
  queue.push(from, 0);
  while (queue.length) {
    const d = queue.peekValue()!;
    const u = queue.pop()!;
    if (done[u]) continue;
    done[u] = 1;
    if (u === to) break;
    for (const [w, link] of adj[u]) {
      const nd = d + L.lengthM[link] * (classCost[L.classCode[link]] ?? 1);
      if (nd < dist[w]) {
        dist[w] = nd;
        prevLink[w] = link;
        queue.push(w, nd);
      }
    }
  }
  if (!done[to]) return null;
  const nodes = [to], links: number[] = [];
  for (let u = to; u !== from; ) {
    const link = prevLink[u];
    links.unshift(link);
    u = L.from[link] === u ? L.to[link] : L.from[link];
    nodes.unshift(u);
  }
  return { nodes, links };
}

/** Builds the arterial along the given road nodes; see the module doc. */
export function arterialFromCity(city: City, options: CityCorridorOptions): CityCorridor {
  const ids = options.nodeIds;
  if (ids.length < 2) throw new CimError(`a corridor needs at least 2 road nodes, got ${ids.length}`, { field: '--nodes' });
  const index = new Map(city.roadNodes.ids.map((id, i) => [id, i]));
  const idx = ids.map((id) => {
    const i = index.get(id);
    if (i === undefined) throw new CimError(`road node '${id}' is not in the city`, { record: `road node '${id}'`, field: '--nodes' });
    return i;
  });
  const classCost = options.classCost ?? [0.9, 1, 1.3, 2, 3];
  const nodes: number[] = [idx[0]], links: number[] = [];
  for (let k = 0; k + 1 < idx.length; k++) {
    const p = cheapestPath(city, idx[k], idx[k + 1], classCost);
    if (!p) throw new CimError(`no road from node '${ids[k]}' to '${ids[k + 1]}'`, { record: `road node '${ids[k + 1]}'`, field: '--nodes' });
    nodes.push(...p.nodes.slice(1));
    links.push(...p.links);
  }
  if (new Set(nodes).size !== nodes.length) throw new CimError('the corridor passes a node twice; give intermediate nodes to make it a simple path', { field: '--nodes' });
  const speedFactor = options.speedFactor ?? 0.8;
  const signalDevice = new Map<string, Record<string, unknown>>();
  const D = city.devices;
  const sigCode = DEVICE_TYPES.indexOf('signal');
  for (let i = 0; i < D.count; i++) {
    const nodeId = D.attrs[i].nodeId;
    if (D.typeCode[i] === sigCode && typeof nodeId === 'string') signalDevice.set(nodeId, D.attrs[i]);
  }
  // Signals along the path, with the road between them.
  const sig: number[] = [];
  const spans: { lengthM: number; timeAtLimitS: number }[] = [];
  let acc = { lengthM: 0, timeAtLimitS: 0 };
  nodes.forEach((node, k) => {
    if (k > 0) {
      const link = links[k - 1];
      acc.lengthM += city.roadLinks.lengthM[link];
      acc.timeAtLimitS += city.roadLinks.lengthM[link] / city.roadLinks.speedLimitMps[link];
    }
    if (city.roadNodes.signalized[node]) {
      if (sig.length > 0) spans.push(acc);
      sig.push(node);
      acc = { lengthM: 0, timeAtLimitS: 0 };
    }
  });
  if (sig.length < 2) {
    throw new CimError(`the corridor ${ids[0]} → ${ids[ids.length - 1]} has ${sig.length} signalised node(s); a green wave needs at least 2`, { field: '--nodes' });
  }
  const deviceCycles = sig.map((n) => Number(signalDevice.get(city.roadNodes.ids[n])?.cycleS)).filter((c) => Number.isFinite(c) && c > 0);
  const cycleS = options.cycleS ?? (deviceCycles.length ? Math.max(...deviceCycles) : 90);
  const arterial = createArterial({
    name: `${city.roadNodes.ids[sig[0]]}–${city.roadNodes.ids[sig[sig.length - 1]]}`,
    source: `city '${city.meta.name}' nodes ${ids.join(',')}`,
    cycleS,
    signals: sig.map((n) => {
      const dev = signalDevice.get(city.roadNodes.ids[n]);
      const split = typeof dev?.greenSplit === 'number' ? dev.greenSplit : options.greenSplit ?? 0.5;
      const qc = options.queueClearanceS ?? 0;
      return { id: city.roadNodes.ids[n], nodeId: city.roadNodes.ids[n], greenSplit: split, outbound: { queueClearanceS: qc } };
    }),
    links: spans.map((s) => {
      const limit = s.lengthM / s.timeAtLimitS;
      return { lengthM: s.lengthM, speedMps: options.speedMps ?? limit * speedFactor, speedLimitMps: Math.max(limit, options.speedMps ?? 0) };
    }),
    speedBand: options.speedBand,
  });
  return { arterial, pathNodeIds: nodes.map((n) => city.roadNodes.ids[n]), pathLinkIds: links.map((l) => city.roadLinks.ids[l]) };
}
