import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { measureBands } from './arterial.ts';
import { loadHighs } from './highs.ts';
import { solveMaxband } from './maxband.ts';
import {
  arterialFromSumo,
  loadPrograms,
  movementWindow,
  parseOffsetsAdditional,
  parseSumoNet,
  parseTlLogicFile,
  phaseGroups,
  programCycleS,
  retimeProgram,
  stretchProgram,
  sumoOffsetsAdditional,
} from './sumo.ts';

/** The smallest plan the writer needs: ids and offsets. */
function solvePlanStub(signals: { id: string; programId: string }[]): Parameters<typeof sumoOffsetsAdditional>[0] {
  return { signals: signals.map((s) => ({ id: s.id, programId: s.programId, nodeId: s.id, positionM: 0, offsetS: 0 })) } as unknown as Parameters<typeof sumoOffsetsAdditional>[0];
}

// corridor3.net.xml: netconvert 1.15 output for W–J1–J2–M–J3–E (J1 at x = 200, J2 at 600, an
// unsignalised node M at 800 where the speed drops from 60 to 40 km/h, J3 at 950), 80-s programs.
const here = dirname(fileURLToPath(import.meta.url));
const NET_FILE = join(here, 'fixtures', 'corridor3.net.xml');
const netText = readFileSync(NET_FILE, 'utf8');
const tlsText = readFileSync(join(here, 'fixtures', 'corridor3.tls.add.xml'), 'utf8');

describe('SUMO network import', () => {
  it('reads edges, programs and signalised connections', () => {
    const net = parseSumoNet(netText, NET_FILE);
    expect(net.edges.get('J1_J2')).toMatchObject({ from: 'J1', to: 'J2', lengthM: 388.8, speedMps: 13.89, lanes: 1 });
    expect([...net.programs.keys()].sort()).toEqual(['J1', 'J2', 'J3']);
    expect(programCycleS(net.programs.get('J2')![0])).toBe(80);
    const through = net.connections.find((c) => c.from === 'J1_J2' && c.to === 'J2_M')!;
    expect(through).toMatchObject({ tl: 'J2', linkIndex: 10, dir: 's', viaLengthM: 14.4 });
  });

  it('builds the arterial stop line to stop line, across the unsignalised node', () => {
    const c = arterialFromSumo(parseSumoNet(netText, NET_FILE), { route: ['J1', 'J2', 'J3'] });
    expect(c.linkEdges).toEqual([
      { outbound: ['J1_J2'], inbound: ['J2_J1'] },
      { outbound: ['J2_M', 'M_J3'], inbound: ['J3_M', 'M_J2'] },
    ]);
    const [l0, l1] = c.arterial.links;
    expect(l0.lengthM).toBeCloseTo(400, 6); // through lane across J1 (11.2 m) + J1_J2 (388.8 m)
    expect(l1.lengthM).toBeCloseTo(14.4 + 192.8 + 0.1 + 142.8, 6);
    // Speed limit: length over time at the lanes' speeds (the lane across J2 counted at J2_M's 16.67).
    const t1 = (14.4 + 192.8) / 16.67 + (0.1 + 142.8) / 11.11;
    expect(l1.speedLimitMps).toBeCloseTo(350.1 / t1, 6);
    expect(l1.speedMps).toBeCloseTo(0.8 * (350.1 / t1), 6); // tlsCoordinator's speed factor
    // J1: phase 0 (37 s) is the arterial's green, then 3 s yellow; same phase both ways.
    expect(c.arterial.signals[0].outbound).toEqual({ greenStartS: 0, greenS: 37, yellowS: 3, queueClearanceS: 0 });
    expect(c.arterial.signals[1].outbound).toEqual({ greenStartS: 0, greenS: 36, yellowS: 4, queueClearanceS: 0 });
    expect(c.arterial.signals.map((s) => [s.id, s.programId])).toEqual([['J1', '0'], ['J2', '0'], ['J3', '0']]);
    expect(c.warnings).toEqual([]);
  });

  it('round-trips offsets through a SUMO additional file', async () => {
    const c = arterialFromSumo(parseSumoNet(netText, NET_FILE), { route: ['J1', 'J2', 'J3'], speedMps: 12 });
    const plan = await solveMaxband(c.arterial, {}, await loadHighs());
    const xml = sumoOffsetsAdditional(plan, c, 'test');
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<!-- test -->\n<additional>\n/);
    expect(xml).not.toMatch(/<phase/);
    const back = parseOffsetsAdditional(xml);
    expect([...back.keys()]).toEqual(['J1', 'J2', 'J3']);
    const offsets = c.arterial.signals.map((s) => back.get(s.id)!.offsetS);
    plan.signals.forEach((s, i) => expect(offsets[i]).toBeCloseTo(s.offsetS, 2));
    // The written offsets (to 10 ms) give the bands of the plan to within 20 ms.
    const m = measureBands(c.arterial, offsets);
    expect(Math.abs(m.outbound.widthS - plan.bandwidthS.outbound)).toBeLessThan(0.02);
    expect(Math.abs(m.inbound.widthS - plan.bandwidthS.inbound)).toBeLessThan(0.02);
  });

  it("imports SUMO tlLogic programs: green splits from their phases, written back in full", async () => {
    const programs = parseTlLogicFile(tlsText, 'corridor3.tls.add.xml');
    expect(programs).toHaveLength(1);
    expect(programs[0].phases[1].attrs).toEqual({ name: 'arterial' });
    const net = loadPrograms(parseSumoNet(netText, NET_FILE), programs, 'corridor3.tls.add.xml');
    const c = arterialFromSumo(net, { route: ['J1', 'J2', 'J3'] });
    expect(c.arterial.signals[1]).toMatchObject({ id: 'J2', programId: 'b', outbound: { greenStartS: 4, greenS: 46, yellowS: 4 } });
    const plan = await solveMaxband(c.arterial, {}, await loadHighs());
    const xml = sumoOffsetsAdditional(plan, { programs: c.programs, programChanged: [false, true, false] });
    expect(xml).toMatch(/<tlLogic type="static" id="J2" programID="b" offset="[\d.]+">\n {8}<phase duration="4" state="rrrrrrrrrrrr"\/>\n {8}<phase duration="46" state="rrrGGgrrrGGg" name="arterial"\/>/);
    expect(() => loadPrograms(parseSumoNet(netText, NET_FILE), [{ ...programs[0], id: 'J9' }], 'x.add.xml')).toThrow(/x\.add\.xml.*tlLogic 'J9' is not a traffic light/);
  });

  it('stretches green phases to a new common cycle, keeping yellow', () => {
    const p = parseSumoNet(netText, NET_FILE).programs.get('J1')![0];
    const q = stretchProgram(p, 100);
    expect(programCycleS(q)).toBeCloseTo(100, 9);
    expect(q.phases.map((ph) => ph.durationS)).toEqual([47, 3, 47, 3]);
    const c = arterialFromSumo(parseSumoNet(netText, NET_FILE), { route: ['J1', 'J2', 'J3'], cycleS: 100 });
    expect(c.arterial.cycleS).toBe(100);
    expect(c.programChanged).toEqual([true, true, true]);
    expect(c.arterial.signals[1].outbound.greenS).toBeCloseTo(46, 9); // (100 − 8) / 2 for J2's 4-s yellows
  });

  it('retimes a program: arterial and side-street greens set, yellows kept; a changed net program gets a new programID', () => {
    const net = parseSumoNet(netText, NET_FILE);
    const c = arterialFromSumo(net, { route: ['J1', 'J2', 'J3'] });
    expect(c.crossGreenS).toEqual([37, 36, 37]); // J2: 36 s arterial, 36 s side, two 4-s yellows
    const p = c.programs[0];
    expect(phaseGroups(p, c.throughLinks[0].outbound)).toMatchObject({ arterial: [0], cross: [2], arterialGreenS: 37, crossGreenS: 37 });
    const q = retimeProgram(p, c.throughLinks[0].outbound, 50.5, 20);
    expect(q.phases.map((ph) => ph.durationS)).toEqual([50.5, 3, 20, 3]);
    expect(programCycleS(q)).toBeCloseTo(76.5, 9);
    // The imported program of J2 (arterial green after a 4-s all-red) keeps its phase order.
    const imported = loadPrograms(net, parseTlLogicFile(tlsText), 'tls.add.xml');
    const ci = arterialFromSumo(imported, { route: ['J1', 'J2', 'J3'] });
    const r = retimeProgram(ci.programs[1], ci.throughLinks[1].outbound, 40, 30);
    expect(r.phases.map((ph) => ph.durationS)).toEqual([4, 40, 4, 30, 4]);
    expect(() => retimeProgram(p, c.throughLinks[0].outbound, 0.5, 20)).toThrow(/tlLogic 'J1'.*arterialGreenS/);
    // Written for SUMO: the net's own programs may not be redefined, so they get a new programID;
    // the imported one (programID b, not in the net) keeps its id.
    // One 80-s cycle: J1 and J3 have 6 s of yellow, J2 12 s of yellow and all-red.
    const retimed = [44, 38, 44].map((g, i) => retimeProgram(ci.programs[i], ci.throughLinks[i].outbound, g, 30));
    const cr = arterialFromSumo(loadPrograms(imported, retimed, 'x'), { route: ['J1', 'J2', 'J3'] });
    expect(cr.arterial.cycleS).toBe(80);
    expect(cr.arterial.signals.map((s) => s.outbound.greenS)).toEqual([44, 38, 44]);
    cr.programs = cr.programs.map((pr, i) => ({ ...pr, imported: ci.programs[i].imported }));
    const xml = sumoOffsetsAdditional(solvePlanStub(cr.arterial.signals), { programs: cr.programs, programChanged: [true, true, true] });
    expect(xml).toMatch(/id="J1" programID="0-cimtwin"/);
    expect(xml).toMatch(/id="J2" programID="b"/);
    expect(xml).toMatch(/id="J3" programID="0-cimtwin"/);
  });

  it('finds the longest green run, wrapping over the end of the program', () => {
    const p = { id: 'x', programId: '0', type: 'static', offsetS: 0, phases: [
      { durationS: 10, state: 'Gr', attrs: {} },
      { durationS: 30, state: 'rG', attrs: {} },
      { durationS: 3, state: 'ry', attrs: {} },
      { durationS: 20, state: 'Gr', attrs: {} },
    ] };
    expect(movementWindow(p, [0])).toEqual({ greenStartS: 43, greenS: 30, yellowS: 0, runs: 1 });
    expect(movementWindow(p, [1])).toEqual({ greenStartS: 10, greenS: 30, yellowS: 3, runs: 1 });
  });

  it('names the file, record and field of bad input', () => {
    const net = parseSumoNet(netText, NET_FILE);
    expect(() => arterialFromSumo(net, { route: ['J1', 'J7'] })).toThrow(/corridor3\.net\.xml, junction 'J7'.*not in the network/);
    expect(() => arterialFromSumo(net, { route: ['J1', 'M', 'J3'] })).toThrow(/signal 1 \(id 'M'\).*no signalised through movement/);
    expect(() => arterialFromSumo(net, { route: ['J1'] })).toThrow(/at least 2 junctions/);
    const uneven = netText.replace('<phase duration="37" state="rrGGGg"/>', '<phase duration="47" state="rrGGGg"/>');
    expect(() => arterialFromSumo(parseSumoNet(uneven, 'u.net.xml'), { route: ['J1', 'J2', 'J3'] })).toThrow(/different cycles \(J1: 80 s, J2: 80 s, J3: 90 s\); pass a common cycle/);
    expect(() => parseSumoNet('<net><edge id="a"', 'broken.net.xml')).toThrow(/broken\.net\.xml, line 1.*broken XML/);
    expect(() => parseSumoNet(netText.replace('length="388.80"', 'length="long"'), 'bad.net.xml')).toThrow(/bad\.net\.xml, edge \d+ \(id 'J1_J2'\) lane 0, field 'length'/);
    expect(() => parseTlLogicFile('<additional><tlLogic id="J1" programID="a"/></additional>', 'empty.add.xml')).toThrow(/empty\.add\.xml, tlLogic 0 \(id 'J1'\).*no phases/);
  });
});
