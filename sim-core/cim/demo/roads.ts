/**
 * The road plan of the default city: an arterial grid roughly aligned north–south / east–west with
 * 650–900 m spacing (the pattern of central Weifang), one secondary road (次干路) between each pair
 * of arterials, the 白浪河 river corridor replacing one secondary road, and 支路 inside the blocks.
 *
 * Cross-sections (lanes, design speed, red-line width) follow CJJ 37-2012 《城市道路工程设计规范》
 * (design speed: 主干路 40–60 km/h, 次干路 30–50 km/h, 支路 20–40 km/h; posted limits here are the
 * upper design speed) and the red-line widths of GB 50220-95 (主干路 40–55 m, 次干路 25–40 m, 支路
 * 12–25 m). Building setbacks from the red line are typical values of Chinese municipal planning
 * technical regulations (主干路 ≥ 10–15 m, 次干路 ≥ 8 m, 支路 ≥ 5 m), chosen, not quoted.
 */
import type { RoadLinkInput, RoadNodeInput } from '../builder.ts';
import type { RoadClass } from '../types.ts';
import { randomRange, type RandomFn } from '../../random.ts';
import { cm, rect, type Rect } from './geometry.ts';
import { branchName, EW_ARTERIAL_NAMES, EW_SECONDARY_NAMES, NamePool, NS_ARTERIAL_NAMES, NS_SECONDARY_NAMES } from './names.ts';

/** Extents of the generated district (the area that holds the road grid), local metres. */
export interface Extents {
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
  /** √scale: the linear scale factor. */
  k: number;
}

export type LineKind = 'arterial' | 'secondary' | 'river';

export interface GridLine {
  axis: 'ns' | 'ew';
  /** Index in its axis list (west→east for ns, south→north for ew). */
  index: number;
  /** x of a north–south line, y of an east–west line. */
  pos: number;
  kind: LineKind;
  name: string;
  lanes: number;
  speedKph: number;
  /** Half the red-line width (for the river: half the water and banks). */
  halfWidthM: number;
  /** Building setback from the red line. */
  setbackM: number;
}

export interface Grid {
  ext: Extents;
  ns: GridLine[];
  ew: GridLine[];
}

/** Cross-section per class. Source: see module doc. */
export const ROAD_SPECS = {
  arterial8: { lanes: 8, speedKph: 60, redLineM: 50, setbackM: 12 },
  arterial6: { lanes: 6, speedKph: 60, redLineM: 44, setbackM: 12 },
  secondary: { lanes: 4, speedKph: 50, redLineM: 30, setbackM: 8 },
  branch: { lanes: 2, speedKph: 40, redLineM: 16, setbackM: 5 },
  /** 支路 in the historic quarter and in residential areas: 30 km/h. */
  branchSlow: { lanes: 2, speedKph: 30, redLineM: 14, setbackM: 5 },
  /** 白浪河: water and embankments, then a 15 m greenway before any building. */
  river: { halfWidthM: 45, setbackM: 15 },
} as const;

/** Target spacing of arterials, metres, and the jitter around it. */
const ARTERIAL_SPACING_M = 780;
const ARTERIAL_JITTER_M = 70;
/** Where the 白浪河 corridor runs, as a fraction of the district width from the west. */
export const RIVER_FRACTION = 0.14;
/** Dead-end stubs: how far roads run past the outermost crossing (they continue beyond the demo). */
const STUB_M = 150;

function arterialPositions(rand: RandomFn, lo: number, hi: number): number[] {
  const n = Math.max(2, Math.round((hi - lo) / ARTERIAL_SPACING_M) + 1);
  const step = (hi - lo) / (n - 1);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const jitter = i === 0 || i === n - 1 ? 0 : randomRange(rand, -ARTERIAL_JITTER_M, ARTERIAL_JITTER_M);
    out.push(cm(lo + i * step + jitter));
  }
  return out;
}

function makeLines(rand: RandomFn, axis: 'ns' | 'ew', lo: number, hi: number, arterialNames: NamePool, secondaryNames: NamePool): GridLine[] {
  const arts = arterialPositions(rand, lo, hi);
  const lines: GridLine[] = [];
  for (let a = 0; a < arts.length; a++) {
    const wide = rand() < 0.4;
    const spec = wide ? ROAD_SPECS.arterial8 : ROAD_SPECS.arterial6;
    lines.push({ axis, index: 0, pos: arts[a], kind: 'arterial', name: arterialNames.take(), lanes: spec.lanes, speedKph: spec.speedKph, halfWidthM: spec.redLineM / 2, setbackM: spec.setbackM });
    if (a + 1 < arts.length) {
      const mid = (arts[a] + arts[a + 1]) / 2 + randomRange(rand, -50, 50);
      const s = ROAD_SPECS.secondary;
      lines.push({ axis, index: 0, pos: cm(mid), kind: 'secondary', name: secondaryNames.take(), lanes: s.lanes, speedKph: s.speedKph, halfWidthM: s.redLineM / 2, setbackM: s.setbackM });
    }
  }
  lines.forEach((l, i) => (l.index = i));
  return lines;
}

/** Lays out the grid lines. The secondary line nearest the river fraction becomes the 白浪河 corridor. */
export function planGrid(rand: RandomFn, ext: Extents): Grid {
  const nsNames = new NamePool(NS_ARTERIAL_NAMES, (k) => `经${k}路`);
  const ewNames = new NamePool(EW_ARTERIAL_NAMES, (k) => `纬${k}街`);
  const ns2 = new NamePool(NS_SECONDARY_NAMES, (k) => `规划${k}路`);
  const ew2 = new NamePool(EW_SECONDARY_NAMES, (k) => `规划${k}街`);
  const ns = makeLines(rand, 'ns', ext.xMin, ext.xMax, nsNames, ns2);
  const ew = makeLines(rand, 'ew', ext.yMin, ext.yMax, ewNames, ew2);
  const secondaries = ns.filter((l) => l.kind === 'secondary');
  if (secondaries.length >= 3) {
    const target = ext.xMin + RIVER_FRACTION * (ext.xMax - ext.xMin);
    let best = secondaries[0];
    for (const l of secondaries) if (Math.abs(l.pos - target) < Math.abs(best.pos - target)) best = l;
    best.kind = 'river';
    best.name = '白浪河';
    best.lanes = 0;
    best.speedKph = 0;
    best.halfWidthM = ROAD_SPECS.river.halfWidthM;
    best.setbackM = ROAD_SPECS.river.setbackM;
  }
  return { ext, ns, ew };
}

export const riverLine = (grid: Grid) => grid.ns.find((l) => l.kind === 'river') ?? null;

/** A 支路 through one block, from its low end (south / west) to its high end. */
export interface Branch {
  axis: 'ns' | 'ew';
  pos: number;
  /** Coordinates of the two ends along the branch. */
  lo: number;
  hi: number;
  /** Whether each end joins the bounding road (otherwise a dead end, e.g. facing an arterial or the river). */
  loJoins: boolean;
  hiJoins: boolean;
  name: string | null;
  speedKph: number;
  halfWidthM: number;
  setbackM: number;
}

/** One block of the grid: the land between four grid lines. */
export interface Block {
  i: number;
  j: number;
  /** Land between the red lines (or river banks) of the four bounding lines. */
  interior: Rect;
  west: GridLine;
  east: GridLine;
  south: GridLine;
  north: GridLine;
  nsBranch: Branch | null;
  ewBranch: Branch | null;
}

export const blockKey = (i: number, j: number) => `${i}:${j}`;

/** Probability that a block gets a north–south / east–west 支路, and that a 支路 may join an arterial. */
const BRANCH_PROBABILITY = 0.55;
const JOIN_ARTERIAL_PROBABILITY = 0.45;
const MIN_SPLIT_SIDE_M = 250;

/**
 * Decides the 支路 of every block. Blocks in `wholeBlocks` (reserved for a railway station, a big
 * park, a civic centre) get none. `slowAt(x, y)` says where 支路 are 30 km/h rather than 40.
 */
export function planBlocks(rand: RandomFn, grid: Grid, wholeBlocks: Set<string>, slowAt: (x: number, y: number) => boolean): Block[] {
  const blocks: Block[] = [];
  for (let j = 0; j + 1 < grid.ew.length; j++) {
    for (let i = 0; i + 1 < grid.ns.length; i++) {
      const west = grid.ns[i], east = grid.ns[i + 1], south = grid.ew[j], north = grid.ew[j + 1];
      const interior = rect(west.pos + west.halfWidthM, south.pos + south.halfWidthM, east.pos - east.halfWidthM, north.pos - north.halfWidthM);
      const block: Block = { i, j, interior, west, east, south, north, nsBranch: null, ewBranch: null };
      const reserved = wholeBlocks.has(blockKey(i, j));
      const w = interior.x1 - interior.x0, h = interior.y1 - interior.y0;
      const cx = (interior.x0 + interior.x1) / 2, cy = (interior.y0 + interior.y1) / 2;
      const spec = slowAt(cx, cy) ? ROAD_SPECS.branchSlow : ROAD_SPECS.branch;
      const joins = (l: GridLine) => l.kind === 'secondary' || (l.kind === 'arterial' && rand() < JOIN_ARTERIAL_PROBABILITY);
      // draw every random number whether or not it is used, so reserving a block does not shift the rest
      const wantNs = rand() < BRANCH_PROBABILITY, wantEw = rand() < BRANCH_PROBABILITY;
      const fx = randomRange(rand, 0.38, 0.62), fy = randomRange(rand, 0.38, 0.62);
      const nameNs = rand() < 0.6 ? branchName(rand) : null, nameEw = rand() < 0.6 ? branchName(rand) : null;
      const jS = joins(south), jN = joins(north), jW = joins(west), jE = joins(east);
      if (!reserved && wantNs && w >= MIN_SPLIT_SIDE_M) {
        const x = cm(interior.x0 + fx * w);
        block.nsBranch = {
          axis: 'ns', pos: x,
          lo: jS ? south.pos : interior.y0 + 10, hi: jN ? north.pos : interior.y1 - 10,
          loJoins: jS, hiJoins: jN, name: nameNs, speedKph: spec.speedKph, halfWidthM: spec.redLineM / 2, setbackM: spec.setbackM,
        };
      }
      if (!reserved && wantEw && h >= MIN_SPLIT_SIDE_M) {
        const y = cm(interior.y0 + fy * h);
        const wj = west.kind !== 'river' && jW, ej = east.kind !== 'river' && jE;
        block.ewBranch = {
          axis: 'ew', pos: y,
          lo: wj ? west.pos : west.kind === 'river' ? interior.x0 : interior.x0 + 10,
          hi: ej ? east.pos : east.kind === 'river' ? interior.x1 : interior.x1 - 10,
          loJoins: wj, hiJoins: ej, name: nameEw, speedKph: spec.speedKph, halfWidthM: spec.redLineM / 2, setbackM: spec.setbackM,
        };
      }
      blocks.push(block);
    }
  }
  return blocks;
}

/** Extra facts the generator keeps about a road node (not written to the file). */
export interface NodeInfo {
  key: string;
  x: number;
  y: number;
  kind: 'crossing' | 'tee' | 'inner' | 'end' | 'deadend';
}

/** Extra facts the generator keeps about a road link. */
export interface LinkInfo {
  fromKey: string;
  toKey: string;
  roadClass: RoadClass;
  halfWidthM: number;
  lanes: number;
}

export interface RoadNet {
  nodes: RoadNodeInput[];
  links: RoadLinkInput[];
  nodeInfo: NodeInfo[];
  linkInfo: LinkInfo[];
}

interface Station {
  t: number;
  key: string;
}

const lineClass = (l: GridLine): RoadClass => (l.kind === 'arterial' ? 'arterial' : 'secondary');

/**
 * Builds nodes and links: a node at every crossing of two grid roads, at every 支路 junction, at
 * interior 支路 crossings and at dead ends; one straight link between consecutive nodes of a road.
 */
export function buildRoadNet(grid: Grid, blocks: Block[]): RoadNet {
  const nodeByKey = new Map<string, number>();
  const net: RoadNet = { nodes: [], links: [], nodeInfo: [], linkInfo: [] };
  const nodeNames = new Map<string, string | null>();

  const node = (key: string, x: number, y: number, kind: NodeInfo['kind'], name: string | null) => {
    if (!nodeByKey.has(key)) {
      nodeByKey.set(key, net.nodes.length);
      net.nodes.push({ id: `rn-${String(net.nodes.length + 1).padStart(5, '0')}`, xM: cm(x), yM: cm(y), name });
      net.nodeInfo.push({ key, x: cm(x), y: cm(y), kind });
      nodeNames.set(key, name);
    }
    return key;
  };
  const link = (fromKey: string, toKey: string, cls: RoadClass, lanes: number, speedKph: number, halfWidthM: number, name: string | null) => {
    const a = net.nodes[nodeByKey.get(fromKey)!], b = net.nodes[nodeByKey.get(toKey)!];
    net.links.push({
      id: `rl-${String(net.links.length + 1).padStart(5, '0')}`,
      fromId: a.id,
      toId: b.id,
      roadClass: cls,
      lanes,
      speedLimitMps: speedKph / 3.6,
      xyM: [a.xM, a.yM, b.xM, b.yM],
      name,
      attrs: { redLineWidthM: halfWidthM * 2 },
    });
    net.linkInfo.push({ fromKey, toKey, roadClass: cls, halfWidthM, lanes });
  };

  const nsRoads = grid.ns.filter((l) => l.kind !== 'river');
  const ewRoads = grid.ew.filter((l) => l.kind !== 'river');
  const stations = new Map<string, Station[]>();
  const addStation = (line: GridLine, t: number, key: string) => {
    const k = `${line.axis}${line.index}`;
    let list = stations.get(k);
    if (!list) stations.set(k, (list = []));
    list.push({ t, key });
  };

  // crossings of grid roads, in a fixed order (south to north, west to east)
  for (const e of ewRoads) {
    for (const n of nsRoads) {
      const key = node(`c${n.index}_${e.index}`, n.pos, e.pos, 'crossing', `${e.name}与${n.name}交叉口`);
      addStation(n, e.pos, key);
      addStation(e, n.pos, key);
    }
  }
  // stubs past the outermost crossings
  const y0 = grid.ew[0].pos - STUB_M, y1 = grid.ew[grid.ew.length - 1].pos + STUB_M;
  const x0 = grid.ns[0].pos - STUB_M, x1 = grid.ns[grid.ns.length - 1].pos + STUB_M;
  for (const n of nsRoads) {
    addStation(n, y0, node(`e${n.axis}${n.index}s`, n.pos, y0, 'end', null));
    addStation(n, y1, node(`e${n.axis}${n.index}n`, n.pos, y1, 'end', null));
  }
  for (const e of ewRoads) {
    addStation(e, x0, node(`e${e.axis}${e.index}w`, x0, e.pos, 'end', null));
    addStation(e, x1, node(`e${e.axis}${e.index}e`, x1, e.pos, 'end', null));
  }

  // 支路: junctions on the bounding roads, interior crossings, dead ends
  for (const b of blocks) {
    const ns = b.nsBranch, ew = b.ewBranch;
    const innerKey = ns && ew ? node(`b${b.i}_${b.j}`, ns.pos, ew.pos, 'inner', ns.name && ew.name ? `${ns.name}与${ew.name}路口` : null) : null;
    if (ns) {
      const loKey = ns.loJoins ? node(`t${b.south.axis}${b.south.index}_${ns.pos}`, ns.pos, ns.lo, 'tee', `${b.south.name}与${ns.name ?? '支路'}路口`) : node(`d${b.i}_${b.j}ns_lo`, ns.pos, ns.lo, 'deadend', null);
      const hiKey = ns.hiJoins ? node(`t${b.north.axis}${b.north.index}_${ns.pos}`, ns.pos, ns.hi, 'tee', `${b.north.name}与${ns.name ?? '支路'}路口`) : node(`d${b.i}_${b.j}ns_hi`, ns.pos, ns.hi, 'deadend', null);
      if (ns.loJoins) addStation(b.south, ns.pos, loKey);
      if (ns.hiJoins) addStation(b.north, ns.pos, hiKey);
      const chain = innerKey ? [loKey, innerKey, hiKey] : [loKey, hiKey];
      for (let c = 0; c + 1 < chain.length; c++) link(chain[c], chain[c + 1], 'branch', 2, ns.speedKph, ns.halfWidthM, ns.name);
    }
    if (ew) {
      const loKey = ew.loJoins ? node(`t${b.west.axis}${b.west.index}_${ew.pos}`, ew.lo, ew.pos, 'tee', `${b.west.name}与${ew.name ?? '支路'}路口`) : node(`d${b.i}_${b.j}ew_lo`, ew.lo, ew.pos, 'deadend', null);
      const hiKey = ew.hiJoins ? node(`t${b.east.axis}${b.east.index}_${ew.pos}`, ew.hi, ew.pos, 'tee', `${b.east.name}与${ew.name ?? '支路'}路口`) : node(`d${b.i}_${b.j}ew_hi`, ew.hi, ew.pos, 'deadend', null);
      if (ew.loJoins) addStation(b.west, ew.pos, loKey);
      if (ew.hiJoins) addStation(b.east, ew.pos, hiKey);
      const chain = innerKey ? [loKey, innerKey, hiKey] : [loKey, hiKey];
      for (let c = 0; c + 1 < chain.length; c++) link(chain[c], chain[c + 1], 'branch', 2, ew.speedKph, ew.halfWidthM, ew.name);
    }
  }

  // grid roads: one link between consecutive stations
  for (const line of [...nsRoads, ...ewRoads]) {
    const list = stations.get(`${line.axis}${line.index}`)!;
    list.sort((a, b) => a.t - b.t);
    for (let s = 0; s + 1 < list.length; s++) {
      if (list[s].key === list[s + 1].key) continue;
      link(list[s].key, list[s + 1].key, lineClass(line), line.lanes, line.speedKph, line.halfWidthM, line.name);
    }
  }
  return net;
}
