import { fromArrayBuffer, writeArrayBuffer } from 'geotiff';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CimError } from '../../sim-core/cim/errors.ts';
import { RasterGrid } from '../../sim-core/raster/raster.ts';
import { decodeGeoTiffRaster, encodeGeoTiff, readGeoTiffRaster, writeGeoTiff, type GeoTiffGeoref } from './geotiff.ts';

const dir = mkdtempSync(join(tmpdir(), 'cimtwin-geotiff-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A small Float32 DSM GeoTIFF written by the `geotiff` package (an independent writer). */
function writeDsm(name: string, W: number, H: number, metadata: Record<string, unknown>, fn = (c: number, r: number) => c + 10 * r): string {
  const v = new Float32Array(W * H);
  for (let r = 0; r < H; r++) for (let c = 0; c < W; c++) v[r * W + c] = fn(c, r);
  const path = join(dir, name);
  writeFileSync(path, new Uint8Array(writeArrayBuffer(v, { width: W, height: H, ...metadata } as never)));
  return path;
}

const UTM50 = { ProjectedCSTypeGeoKey: 32650, GTModelTypeGeoKey: 1, GTRasterTypeGeoKey: 1 };

const ab = (u: Uint8Array) => u.buffer.slice(u.byteOffset, u.byteOffset + u.byteLength) as ArrayBuffer;

/** Renames the given tags of a big-endian TIFF's first IFD to private tag numbers (hides them from readers). */
function stripTags(file: Uint8Array, tags: number[]): Uint8Array {
  const b = new Uint8Array(file);
  const v = new DataView(b.buffer);
  expect(v.getUint16(0)).toBe(0x4d4d); // the geotiff writer writes big-endian
  const ifd = v.getUint32(4);
  const n = v.getUint16(ifd);
  for (let i = 0; i < n; i++) {
    const at = ifd + 2 + 12 * i;
    if (tags.includes(v.getUint16(at))) v.setUint16(at, 65000 + i);
  }
  return b;
}

async function errorOf(p: Promise<unknown>): Promise<CimError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(CimError);
    return e as CimError;
  }
  throw new Error('expected an error');
}

describe('readGeoTiffRaster', () => {
  it('reads values, grid, no-data and CRS of a single-band float DSM', async () => {
    const path = writeDsm('dsm.tif', 6, 4, { ModelPixelScale: [0.5, 0.5, 0], ModelTiepoint: [0, 0, 0, 500000, 2500000, 0], ...UTM50, GDAL_NODATA: '-9999' });
    const d = await readGeoTiffRaster(path);
    expect([d.grid.width, d.grid.height]).toEqual([6, 4]);
    expect([d.grid.originX, d.grid.originY, d.grid.pixelSizeX, d.grid.pixelSizeY]).toEqual([500000, 2500000, 0.5, 0.5]);
    expect(d.nodata).toBe(-9999);
    expect(d.values[2 * 6 + 3]).toBe(23);
    expect(d.band).toBe(1);
    expect(d.sampleType).toBe('float32');
    const g = d.grid.georef as GeoTiffGeoref;
    expect(g.epsg).toBe(32650);
    expect(g.rasterType).toBe('area');
    expect(d.grid.centreX(3)).toBe(500001.75);
    expect(d.grid.centreY(2)).toBe(2499998.75);
  });

  it('places a tie point at another pixel and a PixelIsPoint raster as GDAL does', async () => {
    const tie = await readGeoTiffRaster(writeDsm('tie.tif', 4, 4, { ModelPixelScale: [2, 3, 0], ModelTiepoint: [1, 2, 0, 100, 200, 0], ...UTM50 }));
    expect([tie.grid.originX, tie.grid.originY]).toEqual([98, 206]);
    const point = await readGeoTiffRaster(
      writeDsm('point.tif', 4, 4, { ModelPixelScale: [2, 2, 0], ModelTiepoint: [0, 0, 0, 100, 200, 0], ...UTM50, GTRasterTypeGeoKey: 2 }),
    );
    expect([point.grid.originX, point.grid.originY]).toEqual([99, 201]);
    expect((point.grid.georef as GeoTiffGeoref).rasterType).toBe('point');
  });

  it('reads the chosen band of a multi-band file and refuses to guess', async () => {
    const path = join(dir, 'two-bands.tif');
    writeFileSync(
      path,
      new Uint8Array(
        writeArrayBuffer(
          [
            [
              [1, 2],
              [3, 4],
            ],
            [
              [10, 20],
              [30, 40],
            ],
          ],
          { ModelPixelScale: [1, 1, 0], ModelTiepoint: [0, 0, 0, 0, 10, 0], ...UTM50 } as never,
        ),
      ),
    );
    const e = await errorOf(readGeoTiffRaster(path));
    expect(e.message).toBe(`${path}, field 'band': has 2 bands; choose one with --band (1…2)`);
    const b2 = await readGeoTiffRaster(path, { band: 2 });
    expect(Array.from(b2.values)).toEqual([10, 20, 30, 40]);
    expect(b2.bandCount).toBe(2);
    expect((await errorOf(readGeoTiffRaster(path, { band: 3 }))).message).toMatch(/field 'band': --band 3 does not exist: the file has 2 bands/);
  });

  it('rejects files that are not TIFFs, have no georeferencing, or describe rotated grids', async () => {
    const notTiff = join(dir, 'not.tif');
    writeFileSync(notTiff, 'ncols 10\nnrows 10\n');
    expect((await errorOf(readGeoTiffRaster(notTiff))).message).toBe(`${notTiff}: is not a TIFF file (no II*/MM* header)`);
    const missing = join(dir, 'missing.tif');
    expect((await errorOf(readGeoTiffRaster(missing))).message).toMatch(new RegExp(`^${missing}: cannot be read: ENOENT`));

    const bare = writeDsm('bare.tif', 3, 3, { ModelPixelScale: [1, 1, 0], ModelTransformation: [1, 0, 0, 0, 0, -1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1] });
    // a plain north-up ModelTransformation is accepted
    const plain = await readGeoTiffRaster(bare);
    expect([plain.grid.originX, plain.grid.pixelSizeY]).toEqual([0, 1]);

    const rotated = writeDsm('rotated.tif', 3, 3, {
      ModelPixelScale: [1, 1, 0],
      ModelTransformation: [0.8, 0.6, 0, 1000, 0.6, -0.8, 0, 2000, 0, 0, 1, 0, 0, 0, 0, 1],
    });
    const e = await errorOf(readGeoTiffRaster(rotated));
    expect(e.file).toBe(rotated);
    expect(e.field).toBe('ModelTransformation');
    expect(e.message).toMatch(/rotated or sheared grid/);

    const shearedBytes = new Uint8Array(
      writeArrayBuffer(new Float32Array(4), { width: 2, height: 2, ModelTransformation: [1, 1, 0, 0, 0, -1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1], ...UTM50 } as never),
    );
    expect((await errorOf(decodeGeoTiffRaster(shearedBytes, 'sheared.tif'))).message).toMatch(
      /^sheared\.tif, field 'ModelTransformation': describes a rotated or sheared grid \(terms 1, 0\)/,
    );

    // a plain TIFF: the same file with its tie point and pixel scale tags renamed to private tags
    const plain2 = stripTags(readFileSync(writeDsm('plain.tif', 3, 3, { ModelPixelScale: [1, 1, 0], ModelTiepoint: [0, 0, 0, 0, 3, 0], ...UTM50 })), [33550, 33922]);
    const noGeo = await errorOf(decodeGeoTiffRaster(plain2, 'plain.tif'));
    expect(noGeo.message).toBe(
      "plain.tif, field 'ModelTiepoint': is missing: the file has no georeferencing (needs ModelTiepoint + ModelPixelScale or ModelTransformation)",
    );
  });
});

describe('encodeGeoTiff', () => {
  it('round-trips a viewshed on the DSM grid with the same georeferencing tags', async () => {
    const dsmPath = writeDsm('src.tif', 7, 5, { ModelPixelScale: [1, 1, 0], ModelTiepoint: [0, 0, 0, 500000, 2500000, 0], ...UTM50 });
    const dsm = await readGeoTiffRaster(dsmPath);
    const values = new Uint8Array(35).map((_, i) => (i * 7) % 3 === 0 ? 1 : 0);
    for (const compress of [true, false]) {
      const bytes = encodeGeoTiff({ grid: dsm.grid, values }, { compress });
      // an independent reader sees the same pixels and the same tags
      const img = await (await fromArrayBuffer(ab(bytes))).getImage();
      const src = await (await fromArrayBuffer(ab(readFileSync(dsmPath)))).getImage();
      expect(Array.from((await img.readRasters())[0] as Uint8Array)).toEqual(Array.from(values));
      expect(img.getBitsPerSample()).toBe(8);
      expect(img.getFileDirectory().getValue('Compression')).toBe(compress ? 8 : 1);
      for (const tag of ['ModelTiepoint', 'ModelPixelScale', 'GeoKeyDirectory'] as const) {
        expect(Array.from(img.getFileDirectory().getValue(tag) as ArrayLike<number>)).toEqual(Array.from(src.getFileDirectory().getValue(tag) as ArrayLike<number>));
      }
      expect(img.getGeoKeys()).toEqual(src.getGeoKeys());
      // and our reader puts it on the same grid
      const back = await decodeGeoTiffRaster(bytes, 'back.tif');
      expect(back.grid.sameGeometry(dsm.grid)).toBe(true);
      expect(back.sampleType).toBe('uint8');
    }
  });

  it('round-trips a Float32 DSM with its no-data value', async () => {
    const grid = new RasterGrid({ width: 5, height: 3, originX: 400000, originY: 4000000, pixelSizeX: 2, pixelSizeY: 2 });
    const values = new Float32Array(15).map((_, i) => (i === 7 ? -9999 : 100 + i * 0.25));
    const bytes = encodeGeoTiff({ grid, values }, { nodata: -9999 });
    const img = await (await fromArrayBuffer(ab(bytes))).getImage();
    expect(img.getGDALNoData()).toBe(-9999);
    expect(img.getSampleFormat()).toBe(3);
    expect(Array.from((await img.readRasters())[0] as Float32Array)).toEqual(Array.from(values));
    const back = await decodeGeoTiffRaster(bytes, 'dsm.tif');
    expect(back.nodata).toBe(-9999);
    expect(back.sampleType).toBe('float32');
    expect(back.grid.sameGeometry(grid)).toBe(true);
  });

  it('writes a tie point and pixel scale for a grid without GeoTIFF georeferencing', async () => {
    const grid = new RasterGrid({ width: 3, height: 2, originX: 10, originY: 20, pixelSizeX: 0.25, pixelSizeY: 0.5 });
    const back = await decodeGeoTiffRaster(encodeGeoTiff({ grid, values: new Uint8Array([1, 0, 1, 0, 1, 0]) }), 'x.tif');
    expect([back.grid.originX, back.grid.originY, back.grid.pixelSizeX, back.grid.pixelSizeY]).toEqual([10, 20, 0.25, 0.5]);
    expect(Array.from(back.values)).toEqual([1, 0, 1, 0, 1, 0]);
  });

  it('keeps a long GeoAsciiParams whole (the tag area is not fixed-size)', async () => {
    const citation = `${'custom CRS citation '.repeat(80)}|`;
    const grid = new RasterGrid({
      width: 2,
      height: 2,
      originX: 0,
      originY: 2,
      pixelSizeX: 1,
      pixelSizeY: 1,
      georef: {
        kind: 'geotiff',
        rasterType: 'area',
        modelTiepoint: [0, 0, 0, 0, 2, 0],
        modelPixelScale: [1, 1, 0],
        geoKeyDirectory: [1, 1, 0, 2, 1024, 0, 1, 1, 1026, 34737, citation.length, 0],
        geoAsciiParams: citation,
      } satisfies GeoTiffGeoref,
    });
    const img = await (await fromArrayBuffer(ab(encodeGeoTiff({ grid, values: new Uint8Array(4) })))).getImage();
    expect(img.getGeoKeys()?.GTCitationGeoKey).toBe(citation.slice(0, -1));
  });

  it('writes atomically: a failed write leaves no temporary file and names the path', async () => {
    const grid = new RasterGrid({ width: 1, height: 1, originX: 0, originY: 1, pixelSizeX: 1, pixelSizeY: 1 });
    const target = join(dir, 'no-such-dir', 'out.tif');
    const e = await errorOf(writeGeoTiff(target, { grid, values: new Uint8Array(1) }));
    expect(e.message).toMatch(new RegExp(`^${target}: cannot be written`));
    const ok = join(dir, 'ok.tif');
    await writeGeoTiff(ok, { grid, values: new Uint8Array([1]) });
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(Array.from((await readGeoTiffRaster(ok)).values)).toEqual([1]);
  });
});
