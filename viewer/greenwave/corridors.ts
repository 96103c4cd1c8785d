/**
 * The corridors a planner can pick for a green wave: every named road of a class (主干路 by default),
 * followed link by link through the city's road graph, as an ordered chain of road nodes with the
 * number of signalised intersections on it. Pure (no DOM): tested in Node.
 *
 * A named road whose links form a simple chain gives one corridor; a road in several pieces gives one
 * corridor per piece; where a road forks (a loop, a dual carriageway drawn twice) the longest path
 * through the piece (by length, found by two sweeps from the ends) is kept.
 */
import { ROAD_CLASSES, type City, type RoadClass } from '../../sim-core/cim/types.ts';

/** One pickable corridor. */
export interface CorridorChoice {
  /** Stable id: the road's name and the piece number (`和平路#0`). */
  id: string;
  /** The road's name (or the first link's id for an unnamed road). */
  name: string;
  roadClass: RoadClass;
  /** Road node ids along the corridor, in order (the outbound direction). */
  nodeIds: string[];
  /** Signalised nodes on it. */
  signalCount: number;
  /** Sum of the link lengths, m. */
  lengthM: number;
}

/** Options of {@link findCorridors}. */
export interface CorridorOptions {
  /** Road classes to follow (default `['arterial']`, 主干路). */
  classes?: readonly RoadClass[];
  /** Fewest signalised nodes a corridor needs (default 2: a green wave needs two signals). */
  minSignals?: number;
}

/** The corridors along the city's named roads of the given classes; most signals first, then by name. */
export function findCorridors(city: City, options: CorridorOptions = {}): CorridorChoice[] {
  const classes = new Set((options.classes ?? ['arterial']).map((c) => ROAD_CLASSES.indexOf(c)));
  const minSignals = options.minSignals ?? 2;
  const L = city.roadLinks;
  const N = city.roadNodes;
  const byName = new Map<string, number[]>();
  for (let i = 0; i < L.count; i++) {
    if (!classes.has(L.classCode[i])) continue;
    const name = L.names[i] ?? `#${L.ids[i]}`;
    let list = byName.get(name);
    if (!list) byName.set(name, (list = []));
    list.push(i);
  }
  const out: CorridorChoice[] = [];
  for (const [name, links] of byName) {
    // Adjacency of this road's nodes: node → [neighbour, link].
    const adj = new Map<number, [number, number][]>();
    const add = (a: number, b: number, link: number) => {
      let l = adj.get(a);
      if (!l) adj.set(a, (l = []));
      l.push([b, link]);
    };
    for (const k of links) {
      if (L.from[k] === L.to[k]) continue;
      add(L.from[k], L.to[k], k);
      add(L.to[k], L.from[k], k);
    }
    const seen = new Set<number>();
    let piece = 0;
    const starts = [...adj.keys()].sort((a, b) => a - b);
    for (const s of starts) {
      if (seen.has(s)) continue;
      const component = collect(adj, s);
      for (const n of component) seen.add(n);
      // Two sweeps: the farthest node from any node, then the farthest from it, gives the longest path of a tree (and a long one otherwise).
      const first = farthest(adj, Math.min(...component));
      const second = farthest(adj, first.node);
      const nodes = second.path;
      if (nodes.length < 2) continue;
      let lengthM = 0;
      for (let k = 0; k + 1 < nodes.length; k++) lengthM += linkBetween(adj, nodes[k], nodes[k + 1]).lengthM;
      let signalCount = 0;
      for (const n of nodes) signalCount += N.signalized[n];
      if (signalCount < minSignals) continue;
      // Outbound runs west→east or south→north, whichever the road mostly runs along.
      const a = nodes[0], b = nodes[nodes.length - 1];
      const dx = N.xyM[2 * b] - N.xyM[2 * a], dy = N.xyM[2 * b + 1] - N.xyM[2 * a + 1];
      if ((Math.abs(dx) >= Math.abs(dy) && dx < 0) || (Math.abs(dy) > Math.abs(dx) && dy < 0)) nodes.reverse();
      out.push({ id: `${name}#${piece++}`, name, roadClass: ROAD_CLASSES[L.classCode[links[0]]], nodeIds: nodes.map((n) => N.ids[n]), signalCount, lengthM });
    }
  }
  return out.sort((p, q) => q.signalCount - p.signalCount || (p.name < q.name ? -1 : p.name > q.name ? 1 : p.id < q.id ? -1 : 1));

  function linkBetween(adj: Map<number, [number, number][]>, a: number, b: number): { lengthM: number } {
    let best = Infinity;
    for (const [w, link] of adj.get(a) ?? []) if (w === b) best = Math.min(best, L.lengthM[link]);
    return { lengthM: best };
  }

  function farthest(adj: Map<number, [number, number][]>, from: number): { node: number; path: number[] } {
    // Dijkstra by length over this road only (small graphs: a linear scan for the minimum is enough).
    const dist = new Map<number, number>([[from, 0]]);
    const prev = new Map<number, number>();
    const done = new Set<number>();
    for (;;) {
      let u = -1, du = Infinity;
      for (const [n, d] of dist) if (!done.has(n) && d < du) (u = n), (du = d);
      if (u < 0) break;
      done.add(u);
      for (const [w, link] of adj.get(u) ?? []) {
        const nd = du + L.lengthM[link];
        if (nd < (dist.get(w) ?? Infinity)) {
          dist.set(w, nd);
          prev.set(w, u);
        }
      }
    }
    let node = from, far = 0;
    for (const [n, d] of dist) if (d > far || (d === far && n < node)) (node = n), (far = d);
    const path = [node];
    for (let u = node; u !== from; ) {
      u = prev.get(u)!;
      path.unshift(u);
    }
    return { node, path };
  }
}

function collect(adj: Map<number, [number, number][]>, start: number): number[] {
  const out = [start];
  const seen = new Set(out);
  for (let k = 0; k < out.length; k++) {
    for (const [w] of adj.get(out[k]) ?? []) {
      if (!seen.has(w)) {
        seen.add(w);
        out.push(w);
      }
    }
  }
  return out;
}

/**
 * The node ids to send for a corridor: all of them when at most `maxNodes` (the server's limit, 200),
 * else the ends and the signalised nodes, thinned evenly.
 */
export function corridorRequestNodes(city: City, nodeIds: readonly string[], maxNodes = 200): string[] {
  if (nodeIds.length <= maxNodes) return [...nodeIds];
  const index = new Map(city.roadNodes.ids.map((id, i) => [id, i]));
  const keep = nodeIds.filter((id, k) => k === 0 || k === nodeIds.length - 1 || city.roadNodes.signalized[index.get(id) ?? -1] === 1);
  if (keep.length <= maxNodes) return keep;
  const out: string[] = [];
  for (let k = 0; k < maxNodes; k++) out.push(keep[Math.round((k * (keep.length - 1)) / (maxNodes - 1))]);
  return [...new Set(out)];
}
