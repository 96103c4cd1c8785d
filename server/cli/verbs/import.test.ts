/**
 * `cimtwin import` and `cimtwin info` as a user runs them: child processes of the real CLI entry.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cimtwin } from '../../../test/helpers/cli.ts';

const FIX = 'test/fixtures/import';
const dir = mkdtempSync(join(tmpdir(), 'cimtwin-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('cimtwin import / info', () => {
  it('--help on both verbs lists the options', async () => {
    const imp = await cimtwin('import', '--help');
    expect(imp.code).toBe(0);
    for (const opt of ['--output', '--crs', '--layer', '--origin', '--default-storeys', '--max-file-mb', '--report', '--clip']) expect(imp.stdout).toContain(opt);
    const info = await cimtwin('info', '--help');
    expect(info.code).toBe(0);
    expect(info.stdout).toContain('--json');
  });

  it('imports GeoJSON, a Chinese ledger and OSM XML into one city, and info reads it back', async () => {
    const out = join(dir, 'city.json');
    const report = join(dir, 'report.json');
    const r = await cimtwin('import', `${FIX}/good.geojson`, `${FIX}/devices-zh.csv`, `${FIX}/small.osm`, '-o', out, '--report', report, '--name', '测试城');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/city: 5 buildings, \d+ road nodes \(\d+ signalized\), \d+ road links, 4 key areas, 1 scope, 8 devices/);
    expect(r.stdout).toContain(`wrote ${out}`);
    const rep = JSON.parse(readFileSync(report, 'utf8'));
    expect(rep.files.map((f: { format: string }) => f.format)).toEqual(['geojson', 'csv', 'osm-xml']);

    const info = await cimtwin('info', out, '--json');
    expect(info.code).toBe(0);
    const s = JSON.parse(info.stdout);
    expect(s.name).toBe('测试城');
    expect(s.buildings.count).toBe(5);
    expect(s.devices.camera).toEqual({ count: 3, healthy: 2, networked: 3 });
    expect(s.devices.weather).toEqual({ count: 1, healthy: 1, networked: 0 });
    expect(s.scopes).toEqual([{ id: 'scope-1', kind: '城区', name: '奎文城区 (test)' }]);

    const text = await cimtwin('info', out);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/buildings\s+5 /);
    expect(text.stdout).toContain('城区 奎文城区 (test) (scope-1)');
    expect(text.stdout).toContain('© OpenStreetMap contributors');
  });

  const bad: [string, RegExp][] = [
    ['broken.geojson', /broken\.geojson, line \d+, column \d+ \(in or after feature 5\), field 'JSON syntax': broken JSON/],
    ['unclosed-ring.geojson', /unclosed-ring\.geojson, feature 1 \(id 'u2'\), field 'geometry\.coordinates\[0\]': ring is not closed/],
    ['missing-height.geojson', /missing-height\.geojson, feature 1 \(id 'h2'\), field 'height': no height.*2 of 3 building features/],
    ['unknown-crs.geojson', /unknown-crs\.geojson, field 'crs\.properties\.name': unsupported coordinate reference system "urn:ogc:def:crs:EPSG::3857"/],
    ['outside-city.geojson', /outside-city\.geojson, feature 2 \(id 'o3'\), field 'geometry\.coordinates': position 119\.161000, 3\.671000 is \d+\.\d km from the city origin/],
    ['duplicate-ids.geojson', /duplicate-ids\.geojson, feature 2 \(id 'd1'\), field 'id': duplicate building id 'd1'/],
  ];
  it.each(bad)('rejects %s: names file, record and field, exit 1, the old output untouched', async (name, message) => {
    const out = join(dir, `out-${name}.json`);
    writeFileSync(out, 'OLD');
    const r = await cimtwin('import', `${FIX}/good.geojson`, `${FIX}/${name}`, '-o', out);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(readFileSync(out, 'utf8')).toBe('OLD');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('repairs missing heights when asked, and says so', async () => {
    const out = join(dir, 'storeys.json');
    const r = await cimtwin('import', `${FIX}/missing-height.geojson`, '-o', out, '--default-storeys', '3');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/repaired 2: buildings had no height and no storeys: default 3 storeys × 3 m = 9 m/);
    expect(existsSync(out)).toBe(true);
  });

  it('refuses a 2 GB file before reading it, and writes nothing', async () => {
    const big = join(dir, 'huge.osm');
    writeFileSync(big, '<osm>');
    truncateSync(big, 2 * 1024 ** 3);
    const out = join(dir, 'never.json');
    const r = await cimtwin('import', `${FIX}/good.geojson`, big, '-o', out);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${big}, field 'size': file is 2048 MiB, larger than the 256.0 MiB limit`);
    expect(existsSync(out)).toBe(false);
  });

  it('rejects an unknown --crs by name', async () => {
    const r = await cimtwin('import', `${FIX}/good.geojson`, '--crs', 'good.geojson=EPSG:3857', '-o', join(dir, 'crs.json'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/field '--crs': unsupported coordinate reference system "EPSG:3857"/);
  });

  it('usage errors and non-city files fail with a message', async () => {
    const noOut = await cimtwin('import', `${FIX}/good.geojson`);
    expect(noOut.code).toBe(1);
    expect(noOut.stderr).toMatch(/give the output file with -o/);
    const info = await cimtwin('info', `${FIX}/good.geojson`);
    expect(info.code).toBe(1);
    expect(info.stderr).toMatch(/good\.geojson, field 'cimtwin\.format': not a cim-twin city file/);
  });
});

describe('per-file options', () => {
  it('applies FILE=VALUE to the named file (by path or file name) and VALUE to the rest', async () => {
    const { perFile } = await import('./import.ts');
    const files = ['data/a.geojson', 'b.csv'];
    const r = perFile(['gcj02', 'b.csv=wgs84'], files, (v) => v, 'crs');
    expect(r.all).toBe('gcj02');
    expect([...r.byFile]).toEqual([['b.csv', 'wgs84']]);
    expect(perFile(['a.geojson=bd09'], files, (v) => v, 'crs').byFile.get('data/a.geojson')).toBe('bd09');
    expect(() => perFile(['c.csv=gcj02'], files, (v) => v, 'crs')).toThrow(/--crs c\.csv=gcj02: 'c\.csv' is not one of the input files/);
  });
});
