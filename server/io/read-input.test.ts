import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { CimError } from '../../sim-core/cim/errors.ts';
import { checkInputFile, decodeText, readCityFile, readInputFile } from './read-input.ts';
import { writeFileAtomic } from './write-atomic.ts';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../test/fixtures/import');
const dir = mkdtempSync(join(tmpdir(), 'cimtwin-io-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function error(fn: () => unknown): CimError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CimError);
    return e as CimError;
  }
  throw new Error('expected a CimError');
}

describe('input size limit', () => {
  it('refuses a 2 GB file before reading it (sparse file, nothing written to disk)', () => {
    const big = join(dir, 'huge.geojson');
    writeFileSync(big, '{"type":"FeatureCollection","features":[');
    truncateSync(big, 2 * 1024 ** 3);
    const e = error(() => readInputFile(big));
    expect(e.file).toBe(big);
    expect(e.field).toBe('size');
    expect(e.reason).toMatch(/^file is 2048 MiB, larger than the 256\.0 MiB limit/);
    expect(error(() => readCityFile(big)).field).toBe('size');
    // a raised limit is capped below V8's string limit
    expect(() => checkInputFile(big, { maxFileMb: 4096 })).toThrow(RangeError);
    expect(error(() => checkInputFile(big, { maxFileMb: 500 })).reason).toMatch(/larger than the 500\.0 MiB limit/);
  });

  it('names missing files and folders', () => {
    expect(error(() => checkInputFile(join(dir, 'nope.csv'))).message).toBe(`${join(dir, 'nope.csv')}: no such file`);
    expect(error(() => checkInputFile(dir)).reason).toBe('not a regular file');
  });
});

describe('decoding and format detection', () => {
  it('reads a GB18030 ledger and reports the encoding', () => {
    const input = readInputFile(join(FIXTURES, 'devices-gbk.csv'));
    expect(input.format).toBe('csv');
    expect(input.encoding).toBe('gb18030');
    expect(input.text).toMatch(/^编号,名称,类型,经度,纬度/);
  });

  it('reads UTF-16 with a byte-order mark and UTF-8 with one', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('编号,类型', 'utf16le')]);
    expect(decodeText(le, 'x.csv')).toEqual({ text: '编号,类型', encoding: 'utf-16le' });
    expect(decodeText(Buffer.from('\uFEFF{"a":1}', 'utf8'), 'x.json')).toEqual({ text: '{"a":1}', encoding: 'utf-8' });
  });

  it('detects every fixture format', () => {
    expect(readInputFile(join(FIXTURES, 'small.osm')).format).toBe('osm-xml');
    expect(readInputFile(join(FIXTURES, 'small-overpass.json')).format).toBe('overpass-json');
    expect(readInputFile(join(FIXTURES, 'good.geojson'), { crs: 'gcj02' })).toMatchObject({ format: 'geojson', encoding: 'utf-8', options: { crs: 'gcj02' } });
  });
});

describe('writeFileAtomic', () => {
  it('replaces the target whole and leaves no temporary file', () => {
    const target = join(dir, 'out.json');
    writeFileAtomic(target, 'first');
    writeFileAtomic(target, '第二');
    expect(readFileSync(target, 'utf8')).toBe('第二');
    expect(readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it('leaves the target untouched when the write fails', () => {
    const target = join(dir, 'kept.json');
    writeFileSync(target, 'old');
    expect(() => writeFileAtomic(join(dir, 'no-such-folder', 'x.json'), 'new')).toThrow();
    expect(readFileSync(target, 'utf8')).toBe('old');
    // The rename fails after the temporary file was written (the target is a folder): it is removed.
    const folder = join(dir, 'a-folder');
    mkdirSync(folder);
    writeFileSync(join(folder, 'inside.txt'), 'kept');
    expect(() => writeFileAtomic(folder, 'new')).toThrow(/EISDIR|ENOTEMPTY|EEXIST|directory/i);
    expect(readFileSync(join(folder, 'inside.txt'), 'utf8')).toBe('kept');
    expect(readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
  });
});
