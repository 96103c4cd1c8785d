/**
 * `cimtwin demo` as a user runs it: child processes of the real CLI entry.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cimtwin } from '../../../test/helpers/cli.ts';
import { cityFromGeoJSON, summarizeCity } from '../../../sim-core/cim/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'cimtwin-demo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('cimtwin demo', () => {
  it('--help lists the options and exits 0', async () => {
    const r = await cimtwin('demo', '--help');
    expect(r.code).toBe(0);
    for (const opt of ['--out', '--seed', '--scale', '20200608']) expect(r.stdout).toContain(opt);
  });

  it('writes a city file that reads back, and prints its counts', async () => {
    const out = join(dir, 'small.city.json');
    const r = await cimtwin('demo', '-o', out, '--scale', '0.1', '--seed', '7');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const city = cityFromGeoJSON(JSON.parse(readFileSync(out, 'utf8')), out);
    const s = summarizeCity(city);
    expect(city.meta.synthetic).toBe(true);
    expect(city.meta.sources.join(' ')).toMatch(/seed 7, scale 0\.1/);
    expect(r.stdout).toContain(`buildings: ${s.buildings.count}`);
    expect(r.stdout).toContain(`${s.roads.intersections} intersections`);
    expect(r.stdout).toContain(`key areas: ${s.keyAreas.count}`);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]); // no temp file left
  });

  it("'-o -' writes the city to stdout and the counts to stderr", async () => {
    const r = await cimtwin('demo', '-o', '-', '--scale', '0.05');
    expect(r.code).toBe(0);
    const city = cityFromGeoJSON(JSON.parse(r.stdout), 'stdout');
    expect(r.stderr).toContain(`buildings: ${city.buildings.count}`);
  });

  it('fails with a clear message and a non-zero exit, leaving an existing file as it was', async () => {
    const out = join(dir, 'keep.city.json');
    writeFileSync(out, 'precious');
    const badSeed = await cimtwin('demo', '-o', out, '--seed', 'abc');
    expect(badSeed.code).not.toBe(0);
    expect(badSeed.stderr).toMatch(/--seed must be an integer/);
    const badScale = await cimtwin('demo', '-o', out, '--scale', '9');
    expect(badScale.code).not.toBe(0);
    expect(badScale.stderr).toMatch(/--scale must be a number from 0\.05 to 4/);
    expect(readFileSync(out, 'utf8')).toBe('precious');
    const noOut = await cimtwin('demo');
    expect(noOut.code).not.toBe(0);
    expect(noOut.stderr).toMatch(/missing output/);
    const missingDir = join(dir, 'no-such-folder', 'c.json');
    const badPath = await cimtwin('demo', '-o', missingDir, '--scale', '0.05');
    expect(badPath.code).not.toBe(0);
    expect(badPath.stderr).toContain(`cannot write ${missingDir}: folder ${dirname(missingDir)} does not exist`);
    expect(existsSync(missingDir)).toBe(false);
  });
});
