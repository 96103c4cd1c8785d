import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fromArrayBuffer, writeArrayBuffer } from 'geotiff';
import { afterAll, describe, expect, it } from 'vitest';
import { runViewshed } from './viewshed.ts';

const here = dirname(fileURLToPath(import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'cimtwin-viewshed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A 40×20 DSM with 1 m cells, EPSG:32650, west edge 500000, north edge 2500000: flat ground at 2 m
 * with a 12 m wall along column 20 (rows 5…14), written by the `geotiff` package.
 */
function writeDsm(name = 'dsm.tif'): string {
  const W = 40;
  const H = 20;
  const v = new Float32Array(W * H).fill(2);
  for (let r = 5; r <= 14; r++) v[r * W + 20] = 12;
  const path = join(dir, name);
  const meta = { width: W, height: H, ModelPixelScale: [1, 1, 0], ModelTiepoint: [0, 0, 0, 500000, 2500000, 0], ProjectedCSTypeGeoKey: 32650, GTModelTypeGeoKey: 1, GTRasterTypeGeoKey: 1 };
  writeFileSync(path, new Uint8Array(writeArrayBuffer(v, meta as never)));
  return path;
}

async function readTif(path: string) {
  const b = readFileSync(path);
  const img = await (await fromArrayBuffer(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer)).getImage();
  return { img, values: (await img.readRasters())[0] as Uint8Array };
}

// observer at the centre of cell (5, 10): x = 500005.5, y = 2499989.5
const base = { observer: '500005.5,2499989.5', observerHeight: 1.5, radius: 25 };

describe('cimtwin viewshed', () => {
  it('writes a Byte GeoTIFF on the DSM grid: the wall hides what is behind it', async () => {
    const dsm = writeDsm();
    const out = join(dir, 'vs.tif');
    const r = await runViewshed({ ...base, dsm, output: out });
    const { img, values } = await readTif(out);
    expect([img.getWidth(), img.getHeight()]).toEqual([40, 20]);
    expect(img.getOrigin()).toEqual([500000, 2500000, 0]);
    expect(img.getResolution()).toEqual([1, -1, 0]);
    expect(img.getGeoKeys()?.ProjectedCSTypeGeoKey).toBe(32650);
    const at = (c: number, r2: number) => values[r2 * 40 + c];
    expect(at(5, 10)).toBe(1); // observer
    expect(at(19, 10)).toBe(1); // ground before the wall
    expect(at(20, 10)).toBe(1); // the wall's face
    expect(at(21, 10)).toBe(0); // behind it
    expect(at(29, 10)).toBe(0);
    expect(at(31, 10)).toBe(0); // 26 m away: beyond the radius
    expect(at(25, 0)).toBe(1); // past the wall's end, seen around it
    expect(values.reduce((a, b) => a + b, 0)).toBe(r.visibleCount);
    expect(r.observerEyeM).toBeCloseTo(3.5, 6);
    expect([r.observerCol, r.observerRow]).toEqual([5, 10]);
  });

  it('a target height lifts cells behind the wall into view', async () => {
    const dsm = writeDsm('dsm-th.tif');
    const out = join(dir, 'vs-th.tif');
    // eye 3.5 m; wall top 12 m at 15 m on the observer's row: slope (12 − 3.5)/15; at 24 m a target
    // needs 2 + h − 3.5 ≥ 24·8.5/15 = 13.6, h ≥ 15.1
    await runViewshed({ ...base, dsm, output: out, targetHeight: 15 });
    expect((await readTif(out)).values[10 * 40 + 29]).toBe(0);
    await runViewshed({ ...base, dsm, output: out, targetHeight: 15.2 });
    expect((await readTif(out)).values[10 * 40 + 29]).toBe(1);
  });

  it('rejects bad options with messages naming the file and option, and leaves an existing output alone', async () => {
    const dsm = writeDsm('dsm-bad.tif');
    const out = join(dir, 'keep.tif');
    writeFileSync(out, 'previous result');
    const msg = async (flags: Record<string, unknown>) => {
      try {
        await runViewshed({ ...base, dsm, output: out, ...flags });
      } catch (e) {
        return (e as Error).message;
      }
      return 'no error';
    };
    expect(await msg({ radius: -5 })).toBe("field '--radius': must be ≥ 0, got -5");
    expect(await msg({ radius: undefined })).toBe("field '--radius': is required and takes a number");
    expect(await msg({ observerHeight: 'tall' })).toBe("field '--observer-height': must be a number, got 'tall'");
    expect(await msg({ targetHeight: -1 })).toBe("field '--target-height': must be ≥ 0, got -1");
    expect(await msg({ observer: '500005.5' })).toBe("field '--observer': must be x,y in the DSM's map coordinates, got '500005.5'");
    expect(await msg({ observer: undefined })).toBe("field '--observer': is required as x,y in the DSM's map coordinates");
    expect(await msg({ observer: '400000,2499989.5' })).toBe(
      `${dsm}, field '--observer': observer (400000, 2499989.5) is outside the DSM, which covers x 500000…500040, y 2499980…2500000`,
    );
    expect(await msg({ dsm: undefined })).toBe("field '--dsm': is required and takes a file name");
    expect(await msg({ output: dsm })).toBe(`${dsm}, field '-o/--output': would overwrite the input DSM; choose another output file`);
    expect(await msg({ band: 2 })).toBe(`${dsm}, field 'band': --band 2 does not exist: the file has 1 band (1…1)`);
    expect(await msg({ band: 1.5 })).toBe("field '--band': must be a whole band number, got 1.5");
    expect(await msg({ nodataVisible: 'maybe' })).toBe("field '--nodata-visible': must be true or false, got 'maybe'");
    const lonLat = join(dir, 'lonlat.tif');
    writeFileSync(
      lonLat,
      new Uint8Array(
        writeArrayBuffer(new Float32Array(16), { width: 4, height: 4, ModelPixelScale: [0.001, 0.001, 0], ModelTiepoint: [0, 0, 0, 117, 36, 0], GeographicTypeGeoKey: 4326, GTModelTypeGeoKey: 2 } as never),
      ),
    );
    expect(await msg({ dsm: lonLat, observer: '117.0015,35.9985' })).toBe(
      `${lonLat}, field 'GTModelTypeGeoKey': is in a geographic CRS (EPSG:4326): cells are degrees, not metres; reproject it to a projected CRS first (e.g. gdalwarp -t_srs EPSG:32650)`,
    );
    const notTiff = join(dir, 'dsm.asc');
    writeFileSync(notTiff, 'ncols 4\n');
    expect(await msg({ dsm: notTiff })).toBe(`${notTiff}: is not a TIFF file (no II*/MM* header)`);
    expect(readFileSync(out, 'utf8')).toBe('previous result');
  });

  it('runs as a command: prints the visible count and time, exit 0; a bad observer exits 1 with one line', () => {
    const dsm = writeDsm('dsm-cli.tif');
    const out = join(dir, 'vs-cli.tif');
    const bin = join(here, '..', 'cimtwin.mjs');
    const ok = spawnSync(
      process.execPath,
      [bin, 'viewshed', '--dsm', dsm, '--observer', '500005.5,2499989.5', '--observer-height', '1.5', '--radius', '25', '-o', out, '--nodata-visible', 'false'],
      { encoding: 'utf8' },
    );
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/^viewshed: \d+ visible of \d+ cells within 25 m \(\d+\.\d%\); observer cell 5,10, eye at 3\.50 m\ntime: \d+ ms \(read \d+, compute \d+, write \d+\) -> /);
    const bad = spawnSync(process.execPath, [bin, 'viewshed', '--dsm', dsm, '--observer=-5,3', '--observer-height', '2', '--radius', '10', '-o', out], {
      encoding: 'utf8',
    });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toBe(`cimtwin: ${dsm}, field '--observer': observer (-5, 3) is outside the DSM, which covers x 500000…500040, y 2499980…2500000\n`);
  });
});
