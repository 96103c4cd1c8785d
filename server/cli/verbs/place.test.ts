/**
 * CLI tests for `cimtwin place`, run as a child process (the verb loader skips *.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cityToGeoJSON } from '../../../sim-core/cim/city-file.ts';
import { syntheticCity } from '../../../sim-core/coverage/session-synthetic-city.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const BIN = join(ROOT, 'server/cli/cimtwin.mjs');
let dir: string;

function run(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, 'place', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
function file(name: string, content: unknown): string {
  const p = join(dir, name);
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
  return p;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cimtwin-place-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

// Three clusters of demand on a line; sites near each cluster and one in between covering two.
const PROBLEM = {
  sites: [
    { id: 'west', x: 0, y: 0 },
    { id: 'mid', x: 150, y: 0 },
    { id: 'east', x: 300, y: 0 },
    { id: 'far', x: 1000, y: 0 },
  ],
  demand: [
    { id: 'w1', x: 10, y: 0, weight: 4 },
    { id: 'w2', x: -10, y: 5, weight: 4 },
    { id: 'c1', x: 150, y: 20, weight: 1 },
    { id: 'e1', x: 300, y: 10, weight: 6 },
    { id: 'f1', x: 1000, y: 30, weight: 2 },
  ],
  radiusM: 50,
  k: 2,
};

describe('cimtwin place --problem (generic covering problem)', () => {
  it('solves exactly and writes the selection with explanations', () => {
    const out = join(dir, 'result.json');
    const r = run(['--problem', file('p.json', PROBLEM), '--solver', 'exact', '-o', out, '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const res = JSON.parse(readFileSync(out, 'utf8'));
    // k = 2: west (8) + east (6) = 14 is the best pair.
    expect(res.selected.sort()).toEqual(['east', 'west']);
    expect(res.objective).toBe(14);
    expect(res.status).toBe('optimal');
    expect(res.optimalityGap).toBe(0);
    expect(res.uncoveredDemand.sort()).toEqual(['c1', 'f1']);
    expect(res.explanations.map((e: { site: string; newlyCovered: string[] }) => [e.site, e.newlyCovered.sort()])).toEqual([
      ['west', ['w1', 'w2']],
      ['east', ['e1']],
    ]);
  });

  it('honours locked sites with the greedy solver and prints JSON to stdout without -o', () => {
    const r = run(['--problem', file('p2.json', { ...PROBLEM, k: 1, locked: ['far'] })]);
    expect(r.code).toBe(0);
    const res = JSON.parse(r.stdout);
    expect(res.locked).toEqual(['far']);
    expect(res.newSites).toEqual(['west']);
    expect(res.coveredWeight).toBe(10);
  });

  it('names the file, the record and the field of a bad problem', () => {
    const bad = { ...PROBLEM, sites: [PROBLEM.sites[0], { id: 'mid', x: '150', y: 0 }] };
    const p = file('bad.json', bad);
    const out = join(dir, 'never.json');
    const r = run(['--problem', p, '-o', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${p}, site 1 (id 'mid'), field 'x': must be a finite number of metres, got "150"`);
    expect(existsSync(out)).toBe(false);
    const r2 = run(['--problem', file('bad2.json', { ...PROBLEM, locked: ['nowhere'] })]);
    expect(r2.code).toBe(1);
    expect(r2.stderr).toContain(`field 'locked[0]': locked entry 0: no site with id "nowhere"`);
    const r3 = run(['--problem', file('bad3.json', { ...PROBLEM, demand: [{ id: 'd', x: 0, y: 0, weight: -1 }] })]);
    expect(r3.stderr).toContain(`demand 0 (id 'd'), field 'weight'`);
    const r4 = run(['--problem', file('bad4.json', '{"sites": [')]);
    expect(r4.code).toBe(1);
    expect(r4.stderr).toMatch(/bad4\.json.*line 1/);
  });
});

describe('cimtwin place <city>', () => {
  it('proposes k cameras on a city file and writes GeoJSON and CSV', () => {
    const city = file('city.json', cityToGeoJSON(syntheticCity({ seed: 4, blocksX: 4, blocksY: 4, keyAreaShare: 0.3, cameras: 5 })));
    const out = join(dir, 'cams.geojson');
    const csv = join(dir, 'cams.csv');
    const r = run([city, '--device', 'camera', '--count', '3', '--sources', 'area', '-o', out, '--csv', csv]);
    expect(r.code).toBe(0);
    const gj = JSON.parse(readFileSync(out, 'utf8'));
    const sites = gj.features.filter((f: { properties: { layer: string } }) => f.properties.layer === 'new-site');
    expect(sites).toHaveLength(3);
    for (const s of sites) {
      expect(s.geometry.type).toBe('Point');
      expect(s.properties.device).toBe('camera');
      expect(s.properties.newlyCoveredSamples).toBeGreaterThan(0);
    }
    expect(gj.placement.indicators[0].measure).toBe('video_hd_coverage');
    expect(readFileSync(csv, 'utf8').trim().split('\n')).toHaveLength(4);
    expect(r.stdout).toContain('video_hd_coverage');
    expect(r.stdout).toContain('check: coverage session with the new cameras');
  });

  it('refuses a star target for weather stations and a missing goal', () => {
    const city = file('city2.json', cityToGeoJSON(syntheticCity({ seed: 4, blocksX: 2, blocksY: 2 })));
    const r = run([city, '--device', 'weather', '--target-star', '4', '--radius-m', '500']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no star thresholds/);
    const r2 = run([city, '--device', 'camera']);
    expect(r2.code).toBe(1);
    expect(r2.stderr).toMatch(/give exactly one goal/);
  });
});
