/**
 * `cimtwin tiles` as a user runs it: child processes of the real CLI entry, on the three kinds of
 * input (cim-twin city file, plain GeoJSON buildings, CityJSON), incremental reruns, validation,
 * and clear errors.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cimtwin, ROOT } from '../../../test/helpers/cli.ts';
import { cityToGeoJSON } from '../../../sim-core/cim/city-file.ts';
import { generateDefaultCity } from '../../../sim-core/cim/demo/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'cimtwin-tiles-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const city = generateDefaultCity({ scale: 0.05 });
const cityFile = join(dir, 'small.city.json');
beforeAll(() => writeFileSync(cityFile, JSON.stringify(cityToGeoJSON(city))));

describe('cimtwin tiles', () => {
  it('--help lists the options', async () => {
    const r = await cimtwin('tiles', '--help');
    expect(r.code).toBe(0);
    for (const opt of ['--input', '--output', '--max-features', '--compress', '--no-incremental', '--validate', 'meshopt']) expect(r.stdout).toContain(opt);
  });

  it('builds a validated tileset from a city file, with progress on stderr and a summary on stdout', async () => {
    const out = join(dir, 'city-tiles');
    const r = await cimtwin('tiles', '-i', cityFile, '-o', out, '--max-features', '100', '--validate');
    expect(r.stderr).toMatch(/tiles: read .*cim-twin city file/);
    expect(r.stderr).toMatch(/tiles: \d+\/\d+ tiles/);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const tiles = Number(/tiles: (\d+) \((\d+) written, 0 unchanged/.exec(r.stdout)?.[1]);
    expect(tiles).toBeGreaterThan(3);
    expect(r.stdout).toContain(`buildings: ${city.buildings.count.toLocaleString('en')}`);
    expect(r.stdout).toMatch(/depth [1-9]/);
    expect(r.stdout).toMatch(/bytes: [\d.]+ (kB|MB)/);
    expect(r.stdout).toMatch(/validate: ok: 0 errors/);
    expect(r.stdout).toMatch(/3d-tiles-validator/);
    const ts = JSON.parse(readFileSync(join(out, 'tileset.json'), 'utf8'));
    expect(ts.metadata.properties.tileCount).toBe(tiles);

    // the same input again: nothing rewritten
    const again = await cimtwin('tiles', '-i', cityFile, '-o', out, '--max-features', '100', '--quiet');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`tiles: ${tiles} (0 written, ${tiles} unchanged, 0 removed)`);
    expect(again.stderr).toBe('');
  });

  it('reads plain GeoJSON buildings through the importer and CityJSON with its LoD2', async () => {
    const gj = join(dir, 'buildings.geojson');
    const square = (x: number, y: number) => [[[x, y], [x + 0.0004, y], [x + 0.0004, y + 0.0003], [x, y + 0.0003], [x, y]]];
    writeFileSync(
      gj,
      JSON.stringify({
        type: 'FeatureCollection',
        features: [
          { type: 'Feature', id: 'a', properties: { building: 'yes', height: 20 }, geometry: { type: 'Polygon', coordinates: square(119.16, 36.71) } },
          { type: 'Feature', id: 'b', properties: { building: 'office', 'building:levels': 10 }, geometry: { type: 'Polygon', coordinates: square(119.161, 36.71) } },
        ],
      }),
    );
    const r = await cimtwin('tiles', '-i', gj, '-o', join(dir, 'gj-tiles'), '--validate');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('buildings: 2');
    expect(r.stderr).toContain('GeoJSON buildings (imported)');

    const cj = await cimtwin('tiles', '-i', join(ROOT, 'tiles/fixtures/small.city.cityjson'), '-o', join(dir, 'cj-tiles'), '--compress', 'meshopt', '--validate');
    expect(cj.code, cj.stdout + cj.stderr).toBe(0);
    expect(cj.stderr).toContain('CityJSON 2.0 (1 buildings, 2 parts, 1 other objects skipped)');
    expect(cj.stdout).toContain('compression meshopt');
  });

  it('fails with a clear message and writes nothing on bad input', async () => {
    const bad = join(dir, 'bad.cityjson');
    const doc = JSON.parse(readFileSync(join(ROOT, 'tiles/fixtures/small.city.cityjson'), 'utf8'));
    doc.CityObjects['house-1'].geometry[1].boundaries[0][0][0][0] = -4;
    writeFileSync(bad, JSON.stringify(doc));
    const out = join(dir, 'bad-tiles');
    const r = await cimtwin('tiles', '-i', bad, '-o', out);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad\.cityjson, CityObject 'house-1', field 'geometry\[1\]\.boundaries\[0\]\[0\]\[0\]\[0\]': vertex index -4/);
    expect(existsSync(join(out, 'tileset.json'))).toBe(false);

    const missing = await cimtwin('tiles', '-i', join(dir, 'nope.json'), '-o', out);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nope\.json: no such file/);

    const badMax = await cimtwin('tiles', '-i', cityFile, '-o', out, '--max-features', '0');
    expect(badMax.code).toBe(1);
    expect(badMax.stderr).toContain('--max-features must be an integer from 1');

    // a folder holding something else is not overwritten
    const foreign = join(dir, 'foreign');
    mkdirSync(foreign);
    writeFileSync(join(foreign, 'notes.txt'), 'keep me');
    const f = await cimtwin('tiles', '-i', cityFile, '-o', foreign);
    expect(f.code).toBe(1);
    expect(f.stderr).toContain('give an empty or new folder');
    expect(readFileSync(join(foreign, 'notes.txt'), 'utf8')).toBe('keep me');
  });
});
