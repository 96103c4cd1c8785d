/**
 * Tests for `cimtwin greenwave`: the verb's function in-process, and the real CLI as a child
 * process (the verb loader skips *.test.ts). No SUMO needed: the network is a committed fixture.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cityToGeoJSON } from '../../../sim-core/cim/city-file.ts';
import { corridorTestCity } from '../../../sim-core/signal/fixtures/corridor-city.ts';
import { parseOffsetsAdditional } from '../../../sim-core/signal/sumo.ts';
import { reportPathFor, runGreenwave } from './greenwave.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const BIN = join(ROOT, 'server/cli/cimtwin.mjs');
const FIX = join(ROOT, 'sim-core/signal/fixtures');
const NET = join(FIX, 'corridor3.net.xml');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cimtwin-greenwave-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('cimtwin greenwave', () => {
  it('writes the SUMO offsets and a JSON report beside them (in-process, all three methods)', async () => {
    for (const method of ['maxband', 'numerical', 'oneway']) {
      const out = join(dir, `${method}.add.xml`);
      const r = await runGreenwave({ sumoNet: NET, route: 'J1,J2,J3', method, speedKmh: 45, output: out });
      expect(r.reportPath).toBe(join(dir, `${method}.report.json`));
      const offsets = parseOffsetsAdditional(readFileSync(out, 'utf8'), out);
      expect([...offsets.keys()]).toEqual(['J1', 'J2', 'J3']);
      r.plan.signals.forEach((s) => {
        expect(offsets.get(s.id)!.programId).toBe('0');
        expect(offsets.get(s.id)!.offsetS).toBeCloseTo(s.offsetS, 2);
      });
      const report = JSON.parse(readFileSync(r.reportPath, 'utf8'));
      expect(report.method).toBe(method);
      expect(report.plan.bandwidthS.outbound).toBeGreaterThan(0);
      expect(report.plan.efficiency).toBeCloseTo((report.plan.bandwidthS.outbound + report.plan.bandwidthS.inbound) / (2 * 80), 9);
      expect(report.plan.timeSpace.signals).toHaveLength(3);
      expect(report.arterial.links[0].speedMps).toBeCloseTo(12.5, 9);
    }
    // No temporary files are left behind.
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('imports tlLogic programs, stretches to a cycle and evaluates the plans in the traffic model', async () => {
    const out = join(dir, 'full.add.xml');
    const r = await runGreenwave({ sumoNet: NET, route: 'J1,J2,J3', tllogic: join(FIX, 'corridor3.tls.add.xml'), cycleS: 90, evaluate: true, demandVehH: 400, seed: 2, output: out });
    const xml = readFileSync(out, 'utf8');
    // Every program changed (stretched to 90 s), so each is written with its phases; J2 keeps programID "b".
    expect(xml.match(/<tlLogic type="static"/g)).toHaveLength(3);
    expect(xml).toMatch(/id="J2" programID="b"/);
    const durations = [...xml.matchAll(/<tlLogic[^>]*id="J2"[\s\S]*?<\/tlLogic>/g)][0][0].match(/duration="([\d.]+)"/g)!.map((d) => Number(d.slice(10, -1)));
    expect(durations.reduce((a, b) => a + b, 0)).toBeCloseTo(90, 6);
    const ev = r.report.evaluation as Record<string, { outbound: { vehicles: number; stopsPerVehicle: number } }>;
    expect(Object.keys(ev)).toEqual(['uncoordinated', 'numerical', 'maxband']);
    expect(ev.maxband.outbound.vehicles).toBeGreaterThan(300);
  });

  it('--method best picks the plan with the lowest performance index in the traffic model', async () => {
    const r = await runGreenwave({ sumoNet: NET, route: 'J1,J2,J3', method: 'best', demandVehH: 300, output: join(dir, 'best.add.xml') });
    const ranking = r.plan.details.ranking as { method: string; performanceIndexS: number; stopsPerVehicle: number; timeLossS: number }[];
    expect(ranking.map((x) => x.method).sort()).toEqual(['maxband', 'numerical', 'oneway', 'oneway']);
    for (let i = 1; i < ranking.length; i++) expect(ranking[i].performanceIndexS).toBeGreaterThanOrEqual(ranking[i - 1].performanceIndexS);
    expect(ranking[0].performanceIndexS).toBeCloseTo(ranking[0].timeLossS + 20 * ranking[0].stopsPerVehicle, 9);
    expect(r.plan.method).toBe(ranking[0].method);
  });

  it('takes a corridor from a city file', async () => {
    const cityFile = join(dir, 'city.json');
    writeFileSync(cityFile, JSON.stringify(cityToGeoJSON(corridorTestCity())));
    const out = join(dir, 'city.add.xml');
    const r = await runGreenwave({ city: cityFile, nodes: 'A0,A4', webster: '500,500,300', output: out });
    expect(r.report.source).toMatchObject({ nodes: ['A0', 'A4'], pathNodeIds: ['A0', 'A1', 'A2', 'A3', 'A4'] });
    expect([...parseOffsetsAdditional(readFileSync(out, 'utf8')).keys()]).toEqual(['A1', 'A2', 'A3', 'A4']);
    // Webster: y = 500/1800 + 300/1800 = 0.444 → C0 = (1.5·8 + 5)/(1 − 0.444) = 30.6 → the 40-s floor.
    expect(r.plan.cycleS).toBe(40);
  });

  it('--optimise-timing chooses cycle and split in the model and writes the retimed programs in full', async () => {
    const out = join(dir, 'timing.add.xml');
    const r = await runGreenwave({ sumoNet: NET, route: 'J1,J2,J3', method: 'best', optimiseTiming: true, cycleRange: '60,100', crossVehH: 100, demandVehH: 300, turnInVehH: 20, output: out });
    const timing = r.report.timing as { chosen: { cycleS: number; scoreS: number; crossGreenS: number[]; arterialGreenS: number[] }; start: { scoreS: number; cycleS: number }; evaluated: { cycleS: number }[] };
    expect(timing.start.cycleS).toBe(80);
    expect(timing.chosen.scoreS).toBeLessThanOrEqual(timing.start.scoreS + 1e-9);
    for (const e of timing.evaluated.slice(1)) expect(e.cycleS >= 60 && e.cycleS <= 100).toBe(true);
    expect(r.plan.cycleS).toBe(timing.chosen.cycleS);
    const xml = readFileSync(out, 'utf8');
    if (timing.chosen.cycleS !== 80 || timing.chosen.crossGreenS[0] !== 37) {
      // Changed programs: every signal written with its phases, under a new programID (SUMO refuses a redefinition).
      expect(xml.match(/<tlLogic type="static" id="J\d" programID="0-cimtwin"/g)).toHaveLength(3);
      const j1 = [...xml.matchAll(/<tlLogic[^>]*id="J1"[\s\S]*?<\/tlLogic>/g)][0][0].match(/duration="([\d.]+)"/g)!.map((d) => Number(d.slice(10, -1)));
      expect(j1.reduce((a, b) => a + b, 0)).toBeCloseTo(timing.chosen.cycleS, 6);
      expect(j1[0]).toBeCloseTo(timing.chosen.arterialGreenS[0], 6);
    }
    await expect(runGreenwave({ sumoNet: NET, route: 'J1,J2,J3', optimiseTiming: true, cycleRange: '90,60', output: out })).rejects.toThrow(/--cycle-range must be/);
    await expect(runGreenwave({ sumoNet: NET, route: 'J1,J2,J3', method: 'best', sumo: true, output: out })).rejects.toThrow(/--sumo .*--sumo-routes/);
  }, 120_000);

  it('rejects contradictory or bad options, naming them, and writes nothing', async () => {
    const out = join(dir, 'bad.add.xml');
    await expect(runGreenwave({ sumoNet: NET, city: 'x.json', route: 'J1,J2', output: out })).rejects.toThrow(/either --sumo-net.*or --city/);
    await expect(runGreenwave({ sumoNet: NET, route: 'J1,J2' })).rejects.toThrow(/-o <offsets.add.xml> is required/);
    await expect(runGreenwave({ sumoNet: NET, route: 'J1,J2', method: 'transyt', output: out })).rejects.toThrow(/--method must be one of maxband, numerical, oneway, best/);
    await expect(runGreenwave({ sumoNet: NET, route: 'J1', output: out })).rejects.toThrow(/--route needs at least two/);
    await expect(runGreenwave({ sumoNet: NET, route: 'J1,J2', speedKmh: -5, output: out })).rejects.toThrow(/--speed-kmh must be/);
    await expect(runGreenwave({ sumoNet: NET, route: 'J1,J2', speedMode: 'free', output: out })).rejects.toThrow(/--speed-mode must be fixed, uniform or band/);
    await expect(runGreenwave({ sumoNet: NET, route: 'J1,J2', sumoRaceRuns: 11, output: out })).rejects.toThrow(/--sumo-race-runs must be an integer 0–10, got '11'/);
    await expect(runGreenwave({ sumoNet: NET, route: 'J1,J2', sumoRaceRuns: 1.5, output: out })).rejects.toThrow(/--sumo-race-runs must be/);
    await expect(runGreenwave({ sumoNet: join(dir, 'missing.net.xml'), route: 'J1,J2', output: out })).rejects.toThrow(/missing\.net\.xml: no such file/);
    expect(existsSync(out)).toBe(false);
    expect(existsSync(reportPathFor(out))).toBe(false);
  });

  it('runs as a CLI verb with an exit code', () => {
    const out = join(dir, 'cli.add.xml');
    const ok = spawnSync(process.execPath, [BIN, 'greenwave', '--sumo-net', NET, '--route', 'J1,J2,J3', '--method', 'numerical', '-o', out], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/^numerical: cycle 80 s, band [\d.]+ s outbound/);
    expect(ok.stdout).toMatch(/wrote .*cli\.add\.xml and .*cli\.report\.json/);
    const bad = spawnSync(process.execPath, [BIN, 'greenwave', '--sumo-net', NET, '--route', 'J1,M,J3', '-o', out], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/cimtwin: .*corridor3\.net\.xml, signal 1 \(id 'M'\).*no signalised through movement/);
  });
});
