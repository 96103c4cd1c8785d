/**
 * SUMO round trip for green waves: read a `.net.xml` (edges, connections, `tlLogic` programs),
 * build the arterial along a route of junction ids, and write the offsets back as a SUMO
 * additional file (`<tlLogic id programID offset/>`: SUMO keeps the program's phases and replaces
 * its offset; phase 0 starts at t = offset). SUMO's own `tlLogic` files (tlsCycleAdaptation output,
 * hand-written programs) can be read too and replace the net's programs.
 *
 * Text in, text out: no file access here (that lives in the CLI).
 */
import FlatQueue from 'flatqueue';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { CimError, recordName } from '../cim/errors.ts';
import { createArterial, type Arterial, type GreenWavePlan, type ThroughPhase } from './arterial.ts';

export interface SumoPhase {
  durationS: number;
  state: string;
  /** Other attributes (minDur, maxDur, name, next…), written back unchanged. */
  attrs: Record<string, string>;
}

export interface SumoProgram {
  /** The traffic light id (`tlLogic` id). */
  id: string;
  programId: string;
  type: string;
  offsetS: number;
  phases: SumoPhase[];
  /** Set by {@link loadPrograms}: the program came from a tlLogic file, not from the net. */
  imported?: boolean;
}

export interface SumoEdge {
  id: string;
  from: string;
  to: string;
  lengthM: number;
  speedMps: number;
  lanes: number;
}

export interface SumoConnection {
  from: string;
  to: string;
  fromLane: number;
  /** Length of the internal lane through the junction (`via`), m; 0 without internal links. */
  viaLengthM: number;
  tl: string | null;
  linkIndex: number;
  dir: string;
}

export interface SumoNet {
  file: string;
  edges: Map<string, SumoEdge>;
  junctions: Map<string, { id: string; type: string; xM: number; yM: number }>;
  /** Programs by traffic-light id, in file order. */
  programs: Map<string, SumoProgram[]>;
  connections: SumoConnection[];
}

type XmlElement = Record<string, unknown>;

function arr<T>(v: T | T[] | undefined): T[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

function parseXml(text: string, file: string): XmlElement {
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new CimError(`broken XML: ${valid.err.msg}`, { file, record: `line ${valid.err.line}, column ${valid.err.col}`, field: 'XML syntax' });
  }
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseAttributeValue: false,
    parseTagValue: false,
    isArray: (name) => ['edge', 'lane', 'junction', 'connection', 'tlLogic', 'phase'].includes(name),
  });
  return parser.parse(text) as XmlElement;
}

function numAttr(el: XmlElement, name: string, file: string, record: string, check: (x: number) => boolean = Number.isFinite): number {
  const raw = el[name];
  const v = typeof raw === 'string' ? Number(raw) : NaN;
  if (!Number.isFinite(v) || !check(v)) throw new CimError(`attribute '${name}' must be a valid number, got ${JSON.stringify(raw)}`, { file, record, field: name });
  return v;
}

function strAttr(el: XmlElement, name: string, file: string, record: string): string {
  const v = el[name];
  if (typeof v !== 'string' || v === '') throw new CimError(`attribute '${name}' is missing`, { file, record, field: name });
  return v;
}

const PHASE_KNOWN = new Set(['duration', 'state']);

function readPrograms(elements: XmlElement[], file: string): SumoProgram[] {
  return elements.map((t, i) => {
    const id = strAttr(t, 'id', file, recordName('tlLogic', i));
    const rec = recordName('tlLogic', i, id);
    const phases = arr(t.phase as XmlElement[]).map((p, k) => {
      const prec = `${rec} phase ${k}`;
      const attrs: Record<string, string> = {};
      for (const [key, val] of Object.entries(p)) if (!PHASE_KNOWN.has(key) && typeof val === 'string') attrs[key] = val;
      const state = strAttr(p, 'state', file, prec);
      if (!/^[rRyYgGsuoOx]+$/.test(state)) throw new CimError(`phase state '${state}' has characters SUMO does not know (expected r y g G s u o O)`, { file, record: prec, field: 'state' });
      return { durationS: numAttr(p, 'duration', file, prec, (x) => x > 0), state, attrs };
    });
    if (phases.length === 0) throw new CimError('tlLogic has no phases', { file, record: rec, field: 'phase' });
    const len = phases[0].state.length;
    phases.forEach((p, k) => {
      if (p.state.length !== len) throw new CimError(`phase state has ${p.state.length} signals, phase 0 has ${len}`, { file, record: `${rec} phase ${k}`, field: 'state' });
    });
    return {
      id,
      programId: typeof t.programID === 'string' ? t.programID : '0',
      type: typeof t.type === 'string' ? t.type : 'static',
      offsetS: t.offset === undefined ? 0 : numAttr(t, 'offset', file, rec),
      phases,
    };
  });
}

/** Cycle of a program: the sum of its phase durations, s. */
export function programCycleS(p: SumoProgram): number {
  return p.phases.reduce((a, ph) => a + ph.durationS, 0);
}

/** Reads a SUMO network (`.net.xml`). Throws {@link CimError} naming the element and attribute. */
export function parseSumoNet(text: string, file = 'net.xml'): SumoNet {
  const doc = parseXml(text, file);
  const net = doc.net as XmlElement | undefined;
  if (!net || typeof net !== 'object') throw new CimError('not a SUMO network (no <net> root element)', { file, field: 'net' });
  const edges = new Map<string, SumoEdge>();
  const internalLaneM = new Map<string, number>();
  arr(net.edge as XmlElement[]).forEach((e, i) => {
    if (e.function === 'internal') {
      for (const l of arr(e.lane as XmlElement[])) if (typeof l.id === 'string') internalLaneM.set(l.id, Number(l.length ?? 0) || 0);
      return;
    }
    if (e.function === 'crossing' || e.function === 'walkingarea') return;
    const id = strAttr(e, 'id', file, recordName('edge', i));
    const rec = recordName('edge', i, id);
    const lanes = arr(e.lane as XmlElement[]);
    if (lanes.length === 0) throw new CimError('edge has no lanes', { file, record: rec, field: 'lane' });
    edges.set(id, {
      id,
      from: strAttr(e, 'from', file, rec),
      to: strAttr(e, 'to', file, rec),
      lengthM: numAttr(lanes[0], 'length', file, `${rec} lane 0`, (x) => x >= 0),
      speedMps: Math.max(...lanes.map((l, k) => numAttr(l, 'speed', file, `${rec} lane ${k}`, (x) => x > 0))),
      lanes: lanes.length,
    });
  });
  const junctions = new Map<string, { id: string; type: string; xM: number; yM: number }>();
  arr(net.junction as XmlElement[]).forEach((j, i) => {
    if (j.type === 'internal') return;
    const id = strAttr(j, 'id', file, recordName('junction', i));
    junctions.set(id, { id, type: typeof j.type === 'string' ? j.type : '', xM: Number(j.x ?? 0), yM: Number(j.y ?? 0) });
  });
  const programs = new Map<string, SumoProgram[]>();
  for (const p of readPrograms(arr(net.tlLogic as XmlElement[]), file)) {
    const list = programs.get(p.id) ?? [];
    list.push(p);
    programs.set(p.id, list);
  }
  const connections: SumoConnection[] = [];
  arr(net.connection as XmlElement[]).forEach((c, i) => {
    const from = strAttr(c, 'from', file, recordName('connection', i));
    if (!edges.has(from)) return; // internal lanes
    const rec = recordName('connection', i);
    const tl = typeof c.tl === 'string' ? c.tl : null;
    connections.push({
      from,
      to: strAttr(c, 'to', file, rec),
      fromLane: Number(c.fromLane ?? 0),
      viaLengthM: typeof c.via === 'string' ? internalLaneM.get(c.via) ?? 0 : 0,
      tl,
      linkIndex: tl ? numAttr(c, 'linkIndex', file, rec, (x) => Number.isInteger(x) && x >= 0) : -1,
      dir: typeof c.dir === 'string' ? c.dir : '',
    });
  });
  return { file, edges, junctions, programs, connections };
}

/** Reads the `tlLogic` programs of a SUMO additional file (or of a net). */
export function parseTlLogicFile(text: string, file = 'tls.add.xml'): SumoProgram[] {
  const doc = parseXml(text, file);
  const root = (doc.additional ?? doc.add ?? doc.net ?? doc.tlLogics) as XmlElement | undefined;
  if (!root || typeof root !== 'object') throw new CimError('no <additional> (or <add>, <net>) root element', { file, field: 'additional' });
  const programs = readPrograms(arr(root.tlLogic as XmlElement[]), file);
  if (programs.length === 0) throw new CimError('no <tlLogic> elements', { file, field: 'tlLogic' });
  return programs;
}

/** Reads the offsets of an additional file: `tlLogic` id → programID and offset (offset-only overrides included). */
export function parseOffsetsAdditional(text: string, file = 'offsets.add.xml'): Map<string, { programId: string; offsetS: number }> {
  const doc = parseXml(text, file);
  const root = (doc.additional ?? doc.add) as XmlElement | undefined;
  if (!root || typeof root !== 'object') throw new CimError('no <additional> root element', { file, field: 'additional' });
  const out = new Map<string, { programId: string; offsetS: number }>();
  arr(root.tlLogic as XmlElement[]).forEach((t, i) => {
    const id = strAttr(t, 'id', file, recordName('tlLogic', i));
    out.set(id, { programId: typeof t.programID === 'string' ? t.programID : '0', offsetS: t.offset === undefined ? 0 : numAttr(t, 'offset', file, recordName('tlLogic', i, id)) });
  });
  return out;
}

/**
 * Loads programs into the net as SUMO does with `-a`: a program with the same id and programID
 * replaces the net's, another programID is added and becomes the active one (first in the list).
 * Offset-only overrides (no phases) are not programs and are rejected by the parser.
 */
export function loadPrograms(net: SumoNet, programs: readonly SumoProgram[], file: string): SumoNet {
  const map = new Map(net.programs);
  programs.forEach((p, i) => {
    if (!map.has(p.id)) throw new CimError(`tlLogic '${p.id}' is not a traffic light of the network ${net.file}`, { file, record: recordName('tlLogic', i, p.id), field: 'id' });
    const list = (map.get(p.id) ?? []).filter((q) => q.programId !== p.programId);
    map.set(p.id, [{ ...p, imported: true }, ...list]);
  });
  return { ...net, programs: map };
}

/** Options for {@link arterialFromSumo}. */
export interface SumoCorridorOptions {
  /** Junction ids along the corridor, in the outbound direction (at least 2). */
  route: readonly string[];
  /** Design speed for every link, m/s. Default: the edges' speed × speedFactor. */
  speedMps?: number;
  /** Ratio of the progression speed to the speed limit (default 0.8, as SUMO's tlsCoordinator.py). */
  speedFactor?: number;
  /** Speed band as factors of the design speed (default [0.9, 1.1]). */
  speedBand?: [number, number];
  /** Common cycle, s. When it differs from the programs', their green phases are stretched. */
  cycleS?: number;
  /** Queue-clearance time for every signal and direction, s (default 0). */
  queueClearanceS?: number;
}

/** The arterial plus what is needed to write the plan back. */
export interface SumoCorridor {
  arterial: Arterial;
  /** The program of each signal (after stretching to the common cycle), signal order. */
  programs: SumoProgram[];
  /** Per signal: true when `programs[i]` differs from the net's own program (phases must be written). */
  programChanged: boolean[];
  /** Edge ids of each link, outbound and inbound. */
  linkEdges: { outbound: string[]; inbound: string[] }[];
  /** Per signal: the link indices of the through movements (inbound null where it mirrors outbound). */
  throughLinks: { outbound: number[]; inbound: number[] | null }[];
  /** Per signal: green time of the phases that do not serve the outbound through movement (side streets, turns), s. */
  crossGreenS: number[];
  warnings: string[];
}

/** Shortest path of edges from junction a to junction b avoiding the other route junctions (Dijkstra on length). */
function edgePath(net: SumoNet, a: string, b: string, avoid: Set<string>): string[] | null {
  const out = new Map<string, SumoEdge[]>();
  for (const e of net.edges.values()) {
    const l = out.get(e.from) ?? [];
    l.push(e);
    out.set(e.from, l);
  }
  const dist = new Map<string, number>([[a, 0]]);
  const prev = new Map<string, SumoEdge>();
  const done = new Set<string>();
  const queue = new FlatQueue<string>();
  queue.push(a, 0);
  while (queue.length) {
    const du = queue.peekValue()!;
    const u = queue.pop()!;
    if (done.has(u)) continue;
    if (u === b) break;
    done.add(u);
    if (u !== a && avoid.has(u)) continue;
    for (const e of out.get(u) ?? []) {
      const nd = du + e.lengthM;
      if (nd < (dist.get(e.to) ?? Infinity)) {
        dist.set(e.to, nd);
        prev.set(e.to, e);
        queue.push(e.to, nd);
      }
    }
  }
  if (!prev.has(b)) return null;
  const path: string[] = [];
  for (let node = b; node !== a; ) {
    const e = prev.get(node)!;
    path.unshift(e.id);
    node = e.from;
  }
  return path;
}

const isGreen = (c: string | undefined) => c === 'G' || c === 'g';

/**
 * The green window of a movement (the links `indices`) in a program: the longest run of phases
 * in which every link is green (cyclic), its start in program time, and the yellow that follows.
 */
export function movementWindow(p: SumoProgram, indices: readonly number[]): { greenStartS: number; greenS: number; yellowS: number; runs: number } {
  const n = p.phases.length;
  const green = p.phases.map((ph) => indices.every((k) => isGreen(ph.state[k])));
  const starts: number[] = [];
  let t = 0;
  for (const ph of p.phases) starts.push(t), (t += ph.durationS);
  if (!green.some(Boolean)) return { greenStartS: 0, greenS: 0, yellowS: 0, runs: 0 };
  if (green.every(Boolean)) return { greenStartS: 0, greenS: t, yellowS: 0, runs: 1 };
  let best = { start: 0, len: 0, end: 0 }, runs = 0;
  for (let i = 0; i < n; i++) {
    if (!green[i] || green[(i - 1 + n) % n]) continue; // runs start after a non-green phase
    runs++;
    let len = 0, j = i;
    while (green[j % n] && len < t) (len += p.phases[j % n].durationS), j++;
    if (len > best.len) best = { start: starts[i], len, end: j % n };
  }
  let yellowS = 0;
  for (let j = best.end; indices.some((k) => p.phases[j % n].state[k] === 'y' || p.phases[j % n].state[k] === 'Y') && yellowS < t; j++) yellowS += p.phases[j % n].durationS;
  return { greenStartS: best.start, greenS: best.len, yellowS, runs };
}

/** Stretches the green phases (those with any G/g) so that the program lasts `cycleS`; yellow and red-only phases keep their length. */
export function stretchProgram(p: SumoProgram, cycleS: number): SumoProgram {
  const old = programCycleS(p);
  const flexible = p.phases.map((ph) => /[Gg]/.test(ph.state));
  const fixed = p.phases.reduce((a, ph, i) => a + (flexible[i] ? 0 : ph.durationS), 0);
  if (!(cycleS > fixed + flexible.filter(Boolean).length)) {
    throw new CimError(`cycle ${cycleS} s is too short: program '${p.id}' has ${fixed} s of yellow and red-only phases`, { record: `tlLogic '${p.id}'`, field: 'cycleS' });
  }
  const k = (cycleS - fixed) / (old - fixed);
  const phases = p.phases.map((ph, i) => ({ ...ph, attrs: { ...ph.attrs }, durationS: flexible[i] ? Math.round(ph.durationS * k * 100) / 100 : ph.durationS }));
  // Put the rounding remainder on the longest green phase so the cycle is exact.
  const rest = cycleS - phases.reduce((a, ph) => a + ph.durationS, 0);
  let longest = -1;
  phases.forEach((ph, i) => {
    if (flexible[i] && (longest < 0 || ph.durationS > phases[longest].durationS)) longest = i;
  });
  phases[longest].durationS = Math.round((phases[longest].durationS + rest) * 100) / 100;
  for (const ph of phases) {
    delete ph.attrs.minDur;
    delete ph.attrs.maxDur;
  }
  return { ...p, phases };
}

/**
 * Builds the arterial along `options.route` (junction ids): link lengths and speeds from the edges
 * between consecutive junctions, through greens from the active program of each junction's traffic
 * light (the first program listed; see {@link loadPrograms}) for the straight movements along the
 * route in both directions.
 */
export function arterialFromSumo(net: SumoNet, options: SumoCorridorOptions): SumoCorridor {
  const file = net.file;
  const route = options.route;
  if (route.length < 2) throw new CimError(`a route needs at least 2 junctions, got ${route.length}`, { file, field: '--route' });
  const seen = new Set<string>();
  for (const j of route) {
    if (!net.junctions.has(j)) throw new CimError(`junction '${j}' of the route is not in the network`, { file, record: `junction '${j}'`, field: '--route' });
    if (seen.has(j)) throw new CimError(`junction '${j}' appears twice in the route`, { file, field: '--route' });
    seen.add(j);
  }
  const speedFactor = options.speedFactor ?? 0.8;
  if (!(speedFactor > 0 && speedFactor <= 1.5)) throw new CimError(`speedFactor must be in (0, 1.5], got ${speedFactor}`, { field: 'speedFactor' });
  const warnings: string[] = [];
  const n = route.length;
  const linkEdges: SumoCorridor['linkEdges'] = [];
  for (let i = 0; i < n - 1; i++) {
    const outbound = edgePath(net, route[i], route[i + 1], seen);
    if (!outbound) throw new CimError(`no road from junction '${route[i]}' to '${route[i + 1]}' that avoids the other route junctions`, { file, record: `link ${i}`, field: '--route' });
    let inbound = edgePath(net, route[i + 1], route[i], seen);
    if (!inbound) {
      warnings.push(`no road from '${route[i + 1]}' back to '${route[i]}': one-way link, the inbound direction mirrors the outbound timing`);
      inbound = [];
    }
    linkEdges.push({ outbound, inbound });
  }
  const tlOf = (junction: string, inEdge: string | null, outEdge: string | null, dirLabel: string): { tl: string; indices: number[] } | null => {
    const cands = net.connections.filter((c) => {
      if (!c.tl) return false;
      const fromEdge = net.edges.get(c.from);
      if (!fromEdge || fromEdge.to !== junction) return false;
      if (inEdge && c.from !== inEdge) return false;
      if (outEdge && c.to !== outEdge) return false;
      if (!inEdge || !outEdge) return c.dir === 's';
      return true;
    });
    if (cands.length === 0) return null;
    const tl = cands[0].tl!;
    const mixed = cands.some((c) => c.tl !== tl);
    if (mixed) warnings.push(`junction '${junction}' ${dirLabel}: the through lanes belong to several traffic lights; using '${tl}'`);
    // Straight lanes only when there are any (turning lanes may have their own phases).
    const straight = cands.filter((c) => c.tl === tl && c.dir === 's');
    return { tl, indices: [...new Set((straight.length ? straight : cands.filter((c) => c.tl === tl)).map((c) => c.linkIndex))] };
  };
  const programs: SumoProgram[] = [];
  const programChanged: boolean[] = [];
  const heads: { id: string; programId: string; nodeId: string; outLinks: number[]; inLinks: number[] | null }[] = [];
  const cycles: number[] = [];
  for (let i = 0; i < n; i++) {
    const j = route[i];
    const rec = recordName('signal', i, j);
    const lastEdge = (p: string[]) => (p.length ? p[p.length - 1] : null);
    const out = tlOf(j, i > 0 ? lastEdge(linkEdges[i - 1].outbound) : null, i < n - 1 ? linkEdges[i].outbound[0] : null, 'outbound');
    const inb = tlOf(j, i < n - 1 ? lastEdge(linkEdges[i].inbound) : null, i > 0 ? linkEdges[i - 1].inbound[0] ?? null : null, 'inbound');
    if (!out) throw new CimError(`junction '${j}' has no signalised through movement along the route (is it a traffic_light junction?)`, { file, record: rec, field: '--route' });
    const list = net.programs.get(out.tl);
    if (!list || list.length === 0) throw new CimError(`traffic light '${out.tl}' has no tlLogic program`, { file, record: rec, field: 'tlLogic' });
    const program = list[0];
    if (program.type !== 'static') warnings.push(`traffic light '${out.tl}' runs a '${program.type}' program; the plan treats it as fixed-time`);
    cycles.push(programCycleS(program));
    programs.push(program);
    heads.push({ id: out.tl, programId: program.programId, nodeId: j, outLinks: out.indices, inLinks: inb && inb.tl === out.tl ? inb.indices : null });
    if (inb && inb.tl !== out.tl) warnings.push(`junction '${j}': inbound through lanes are on traffic light '${inb.tl}', not '${out.tl}'; inbound mirrors outbound`);
  }
  const distinct = [...new Set(cycles)];
  let cycleS = options.cycleS ?? cycles[0];
  if (options.cycleS === undefined && distinct.length > 1) {
    throw new CimError(`the programs along the route have different cycles (${route.map((j, i) => `${j}: ${cycles[i]} s`).join(', ')}); pass a common cycle (--cycle-s)`, { file, field: '--cycle-s' });
  }
  for (let i = 0; i < n; i++) {
    const changed = Math.abs(cycles[i] - cycleS) > 1e-9;
    if (changed) programs[i] = stretchProgram(programs[i], cycleS);
    programChanged.push(changed);
  }
  cycleS = programCycleS(programs[0]);
  const qc = options.queueClearanceS ?? 0;
  const signals = heads.map((s, i) => {
    const phase = (indices: number[], dir: string): ThroughPhase => {
      const w = movementWindow(programs[i], indices);
      if (w.greenS <= 0) throw new CimError(`the ${dir} through movement (links ${indices.join(',')}) is never green in program '${programs[i].programId}'`, { file, record: recordName('signal', i, s.id), field: 'tlLogic' });
      if (w.runs > 1) warnings.push(`traffic light '${s.id}' ${dir}: the through movement is green ${w.runs} times per cycle; the longest green is used`);
      return { greenStartS: w.greenStartS, greenS: w.greenS, yellowS: w.yellowS, queueClearanceS: Math.min(qc, w.greenS / 2) };
    };
    const outbound = phase(s.outLinks, 'outbound');
    const inbound = s.inLinks ? phase(s.inLinks, 'inbound') : outbound;
    return { id: s.id, programId: s.programId, nodeId: s.nodeId, outbound, inbound };
  });
  // Stop line to stop line: the through lane across junction i, the edges, and the lanes across
  // any unsignalised junctions between them.
  const viaM = (fromEdge: string | null, toEdge: string) => {
    const c = net.connections.filter((k) => k.to === toEdge && (fromEdge === null ? k.dir === 's' : k.from === fromEdge));
    return c.length ? Math.max(...c.map((k) => k.viaLengthM)) : 0;
  };
  const links = linkEdges.map((le, i) => {
    const edges = le.outbound.map((id) => net.edges.get(id)!);
    const prevIn = i > 0 ? linkEdges[i - 1].outbound[linkEdges[i - 1].outbound.length - 1] : null;
    let lengthM = viaM(prevIn, edges[0].id);
    let timeS = lengthM / edges[0].speedMps;
    edges.forEach((e, k) => {
      const via = k > 0 ? viaM(edges[k - 1].id, e.id) : 0;
      lengthM += e.lengthM + via;
      timeS += (e.lengthM + via) / e.speedMps;
    });
    const limit = lengthM / timeS;
    if (!(lengthM > 0)) throw new CimError(`link from '${route[i]}' to '${route[i + 1]}' has zero length`, { file, record: `link ${i}`, field: 'length' });
    return { lengthM, speedMps: options.speedMps ?? limit * speedFactor, speedLimitMps: limit };
  });
  const arterial = createArterial({
    name: `${route[0]}–${route[n - 1]}`,
    source: `${file} route ${route.join(',')}`,
    cycleS,
    signals,
    links: links.map((l) => ({ ...l, speedLimitMps: Math.max(l.speedLimitMps, l.speedMps) })),
    speedBand: options.speedBand,
  });
  const throughLinks = heads.map((h) => ({ outbound: h.outLinks, inbound: h.inLinks }));
  const crossGreenS = programs.map((p, i) => phaseGroups(p, throughLinks[i].outbound).crossGreenS);
  return { arterial, programs, programChanged, linkEdges, throughLinks, crossGreenS, warnings };
}

/**
 * Splits a program's phases into three groups: `arterial` (the through movement `links` is green),
 * `cross` (any other green: side streets, protected turns) and fixed (yellow, all-red).
 */
export function phaseGroups(p: SumoProgram, links: readonly number[]): { arterial: number[]; cross: number[]; arterialGreenS: number; crossGreenS: number } {
  const arterial: number[] = [], cross: number[] = [];
  p.phases.forEach((ph, k) => {
    if (links.every((l) => isGreen(ph.state[l]))) arterial.push(k);
    else if (/[Gg]/.test(ph.state)) cross.push(k);
  });
  const sum = (ks: number[]) => ks.reduce((a, k) => a + p.phases[k].durationS, 0);
  return { arterial, cross, arterialGreenS: sum(arterial), crossGreenS: sum(cross) };
}

/**
 * A program with a new split: the phases where the through movement `links` is green are scaled
 * to last `arterialGreenS` together, the other green phases `crossGreenS`; yellow and all-red
 * phases keep their length. The cycle becomes their sum. Durations are rounded to 0.1 s with the
 * remainder on the longest phase of each group, so the totals are exact.
 */
export function retimeProgram(p: SumoProgram, links: readonly number[], arterialGreenS: number, crossGreenS: number): SumoProgram {
  const g = phaseGroups(p, links);
  const rec = `tlLogic '${p.id}'`;
  if (g.arterial.length === 0) throw new CimError('the through movement is never green: the program cannot be retimed', { record: rec, field: 'phases' });
  if (!(arterialGreenS >= g.arterial.length)) throw new CimError(`arterial green ${arterialGreenS} s is too short for ${g.arterial.length} phase(s)`, { record: rec, field: 'arterialGreenS' });
  if (g.cross.length && !(crossGreenS >= g.cross.length)) throw new CimError(`cross green ${crossGreenS} s is too short for ${g.cross.length} phase(s)`, { record: rec, field: 'crossGreenS' });
  const phases = p.phases.map((ph) => ({ ...ph, attrs: { ...ph.attrs } }));
  const scale = (ks: number[], total: number, old: number) => {
    if (ks.length === 0) return;
    for (const k of ks) phases[k].durationS = Math.round(((old > 0 ? p.phases[k].durationS / old : 1 / ks.length) * total) * 10) / 10;
    const longest = ks.reduce((a, k) => (phases[k].durationS > phases[a].durationS ? k : a), ks[0]);
    const rest = total - ks.reduce((a, k) => a + phases[k].durationS, 0);
    phases[longest].durationS = Math.round((phases[longest].durationS + rest) * 100) / 100;
  };
  scale(g.arterial, arterialGreenS, g.arterialGreenS);
  scale(g.cross, crossGreenS, g.crossGreenS);
  for (const ph of phases) {
    delete ph.attrs.minDur;
    delete ph.attrs.maxDur;
  }
  return { ...p, phases };
}

/** Appended to the programID of a net's program that the plan changes (new cycle or split). */
export const CHANGED_PROGRAM_SUFFIX = '-cimtwin';

const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * The plan as a SUMO additional file. For each signal: `<tlLogic id programID offset/>` (SUMO keeps
 * the loaded program's phases and replaces its offset), or the full program with its phases where
 * `corridor.programChanged[i]` (stretched to a new cycle, or imported from a tlLogic file).
 */
export function sumoOffsetsAdditional(plan: GreenWavePlan, corridor: Pick<SumoCorridor, 'programs' | 'programChanged'>, comment?: string): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  if (comment) lines.push(`<!-- ${comment.replace(/--/g, '—')} -->`);
  lines.push('<additional>');
  plan.signals.forEach((s, i) => {
    const p = corridor.programs[i];
    // SUMO refuses a second definition of a program the net already has (same id and programID):
    // a changed program of the net's own goes in under a new programID, which SUMO then runs.
    const programId = corridor.programChanged[i] && p && !p.imported ? `${s.programId}${CHANGED_PROGRAM_SUFFIX}` : s.programId;
    const head = `tlLogic id="${xmlEscape(s.id)}" programID="${xmlEscape(programId)}" offset="${s.offsetS.toFixed(2)}"`;
    if (!corridor.programChanged[i]) {
      lines.push(`    <${head}/>`);
      return;
    }
    lines.push(`    <${head.replace('tlLogic ', `tlLogic type="${xmlEscape(p.type)}" `)}>`);
    for (const ph of p.phases) {
      const extra = Object.entries(ph.attrs).map(([k, v]) => ` ${k}="${xmlEscape(v)}"`).join('');
      lines.push(`        <phase duration="${Number(ph.durationS.toFixed(2))}" state="${ph.state}"${extra}/>`);
    }
    lines.push('    </tlLogic>');
  });
  lines.push('</additional>', '');
  return lines.join('\n');
}
