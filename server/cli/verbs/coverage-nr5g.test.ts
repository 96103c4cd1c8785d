/**
 * CLI tests for the 5G and weather sections of `cimtwin coverage` (sim-core/coverage/cellular,
 * sim-core/coverage/weather), run as a child process on a small hand-made city file.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CityBuilder } from '../../../sim-core/cim/builder.ts';
import { cityToGeoJSON } from '../../../sim-core/cim/city-file.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const BIN = join(ROOT, 'server/cli/cimtwin.mjs');
let dir: string;

const run = (args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, 'coverage', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

/**
 * Two 5G-set squares: 'near' 60 m in front of a three-sector mast, 'far' 3 km away behind a tall block;
 * a 城区 of 10.2 km × 10.2 km with four weather stations on a 5 km lattice.
 */
function cityFile(): string {
  const b = new CityBuilder({ lonDeg: 119.16, latDeg: 36.71, heightM: 0 }, { name: 'cli-nr5g', synthetic: true });
  b.addKeyArea({ id: 'near', rings: [[40, -20, 80, -20, 80, 20, 40, 20]], category: 'park_square', in5gSet: true });
  b.addKeyArea({ id: 'far', rings: [[3000, -20, 3040, -20, 3040, 20, 3000, 20]], category: 'school', in5gSet: true });
  b.addBuilding({ id: 'block', rings: [[2900, -200, 2960, -200, 2960, 200, 2900, 200]], roofM: 60 });
  for (const [k, az] of [0, 120, 240].entries()) {
    b.addDevice({ id: `nr${k}`, type: 'cell5g', xM: 0, yM: 0, heightM: 30, headingDeg: 90 + az, tiltDeg: 6, attrs: { siteId: 's1', bandGHz: 3.5, txPowerDbm: 53 } });
  }
  b.addScope({ id: 'urban', kind: '城区', polygons: [[[-5100, -5100, 5100, -5100, 5100, 5100, -5100, 5100]]] });
  for (const [i, [x, y]] of [[-2500, -2500], [2500, -2500], [-2500, 2500], [2500, 2500]].entries()) b.addDevice({ id: `wx${i}`, type: 'weather', xM: x, yM: y, heightM: 1.5 });
  const p = join(dir, 'city.json');
  writeFileSync(p, JSON.stringify(cityToGeoJSON(b.build())));
  return p;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cimtwin-nr5g-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('cimtwin coverage: 5G and weather', () => {
  it('adds the nr5g and weather sections, their indicator values and the 5G holes file', () => {
    const city = cityFile();
    const out = join(dir, 'report.json');
    const holes = join(dir, 'holes.geojson');
    const r = run([city, '-o', out, '--nr5g-holes', holes]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/5G: 3 cells; key areas covered 50\.0% \(1\/2\)/);
    expect(r.stderr).toMatch(/weather stations: 4 in 城区, mean-spacing 5\.10 km → does not meet/);
    const rep = JSON.parse(readFileSync(out, 'utf8'));
    const areas = Object.fromEntries(rep.nr5g.areas.map((a: { id: string }) => [a.id, a]));
    expect(areas.near.covered).toBe(true);
    expect(areas.far.covered).toBe(false);
    expect(rep.indicators.nr5g_key_area_coverage).toMatchObject({ value: 50, numerator: 1, denominator: 2, unit: 'percent', source: 'simulation', model: 'nr5g-coverage' });
    expect(rep.indicators.weather_station_spacing).toMatchObject({ value: 5.1, unit: 'km', source: 'simulation', model: 'weather-spacing:mean-spacing' });
    const h = JSON.parse(readFileSync(holes, 'utf8'));
    expect(h.features.map((f: { properties: { areaId: string } }) => f.properties.areaId)).toEqual(['far']);
  });

  it('options: thresholds, metric, sections off; a bad option writes nothing', () => {
    const city = cityFile();
    const out = join(dir, 'r2.json');
    const r = run([city, '-o', out, '--rsrp-threshold-dbm=-160', '--weather-metric', 'covering-radius', '--weather-threshold-km', '5.3']);
    expect(r.code, r.stderr).toBe(0);
    const rep = JSON.parse(readFileSync(out, 'utf8'));
    expect(rep.nr5g.options.rsrpThresholdDbm).toBe(-160);
    // covering radius: the corners, √(2.6² + 2.6²) = 3.677 km → √2 × radius = 5.2 km < 5.3 km
    expect(rep.weather.spacing.decision).toMatchObject({ metric: 'covering-radius', meets: true });
    const off = join(dir, 'r3.json');
    expect(run([city, '-o', off, '--no-nr5g', '--no-weather']).code).toBe(0);
    const rep3 = JSON.parse(readFileSync(off, 'utf8'));
    expect(rep3.nr5g).toBeUndefined();
    expect(rep3.weather).toBeUndefined();
    expect(rep3.indicators.nr5g_key_area_coverage).toBeUndefined();
    const bad = join(dir, 'bad.json');
    const b = run([city, '-o', bad, '--weather-metric', 'fastest']);
    expect(b.code).toBe(1);
    expect(b.stderr).toMatch(/--weather-metric: "fastest" must be one of mean-spacing/);
    expect(existsSync(bad)).toBe(false);
  });
});
