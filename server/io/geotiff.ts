/**
 * GeoTIFF input and output for rasters (DSMs in, viewsheds out).
 *
 * Reading uses the `geotiff` package: one band of any integer or float type becomes a
 * {@link Float32Raster}; the grid comes from ModelTiepoint + ModelPixelScale (or an axis-aligned
 * ModelTransformation), PixelIsPoint rasters are shifted half a cell as GDAL does, no-data comes
 * from the GDAL_NODATA tag, and the georeferencing tags themselves (tie point, pixel scale or
 * transformation, GeoKeyDirectory, GeoDoubleParams, GeoAsciiParams) are kept raw in the grid's
 * `georef` so that an output on the same grid carries exactly the input's CRS.
 *
 * Writing is a small baseline-TIFF encoder of our own for single-band Byte or Float32 rasters
 * (little-endian, Deflate strips, the georeferencing tags copied back, GDAL_NODATA when given): `geotiff`'s `writeArrayBuffer` allocates per
 * pixel (about 0.4 s for 1000×1000) and reserves a fixed 1000 bytes for the tag area, which a long
 * GeoAsciiParams would overflow. Outputs are written to a temporary file and renamed into place.
 */
import { addDecoder, BaseDecoder, fromArrayBuffer, type GeoTIFFImage } from 'geotiff';
import { randomBytes } from 'node:crypto';
import { readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { deflateSync, inflateSync } from 'node:zlib';
import { CimError } from '../../sim-core/cim/errors.ts';
import { float32Raster, RasterGrid, type Float32Raster } from '../../sim-core/raster/raster.ts';

/** The raw georeferencing tags of a GeoTIFF, carried in {@link RasterGrid.georef}. */
export interface GeoTiffGeoref {
  kind: 'geotiff';
  modelTiepoint?: number[];
  modelPixelScale?: number[];
  modelTransformation?: number[];
  geoKeyDirectory?: number[];
  geoDoubleParams?: number[];
  geoAsciiParams?: string;
  /** GTRasterTypeGeoKey: 'area' (1, the default) or 'point' (2). */
  rasterType: 'area' | 'point';
  /** EPSG code of the projected (ProjectedCSTypeGeoKey) or geographic CRS, when the keys give one. */
  epsg?: number;
  /** GTModelTypeGeoKey: 1 projected, 2 geographic (lon/lat), 3 geocentric. */
  modelType?: 'projected' | 'geographic' | 'geocentric';
}

export interface ReadGeoTiffOptions {
  /** 1-based band to read; required when the file has more than one. */
  band?: number;
}

export interface DsmRaster extends Float32Raster {
  /** The band that was read (1-based). */
  band: number;
  /** Bands in the file. */
  bandCount: number;
  /** Sample type as stored, e.g. 'float32', 'int16'. */
  sampleType: string;
}

/** Deflate tiles and strips through Node's native zlib instead of the package's pure-JS inflate (3–4× faster). */
class NodeDeflateDecoder extends BaseDecoder {
  override decodeBlock(buffer: ArrayBufferLike): ArrayBufferLike {
    const out = inflateSync(new Uint8Array(buffer));
    return out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength);
  }
}
addDecoder([8, 32946], async () => NodeDeflateDecoder, undefined, false);

const TIFF_LE = [0x49, 0x49, 0x2a, 0x00];
const TIFF_BE = [0x4d, 0x4d, 0x00, 0x2a];
const BIGTIFF_LE = [0x49, 0x49, 0x2b, 0x00];
const BIGTIFF_BE = [0x4d, 0x4d, 0x00, 0x2b];

function startsWith(bytes: Uint8Array, sig: number[]): boolean {
  return sig.every((b, i) => bytes[i] === b);
}

/** Reads one band of a GeoTIFF as a DSM. Errors name the file and the tag or option at fault. */
export async function readGeoTiffRaster(path: string, options: ReadGeoTiffOptions = {}): Promise<DsmRaster> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw new CimError(`cannot be read: ${(err as Error).message}`, { file: path });
  }
  return decodeGeoTiffRaster(bytes, path, options);
}

/** Decodes GeoTIFF bytes (see {@link readGeoTiffRaster}); `name` is used in messages. */
export async function decodeGeoTiffRaster(bytes: Uint8Array, name: string, options: ReadGeoTiffOptions = {}): Promise<DsmRaster> {
  const at = (field: string) => ({ file: name, field });
  if (bytes.length < 8 || !(startsWith(bytes, TIFF_LE) || startsWith(bytes, TIFF_BE) || startsWith(bytes, BIGTIFF_LE) || startsWith(bytes, BIGTIFF_BE))) {
    throw new CimError('is not a TIFF file (no II*/MM* header)', { file: name });
  }
  let image: GeoTIFFImage;
  try {
    const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
    const ab = whole ? (bytes.buffer as ArrayBuffer) : (bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    const tiff = await fromArrayBuffer(ab);
    image = await tiff.getImage(0);
  } catch (err) {
    throw new CimError(`is not a readable TIFF: ${(err as Error).message}`, { file: name });
  }
  const fd = image.getFileDirectory();
  const width = image.getWidth();
  const height = image.getHeight();
  const bandCount = image.getSamplesPerPixel();
  let band = options.band;
  if (band === undefined) {
    if (bandCount !== 1) throw new CimError(`has ${bandCount} bands; choose one with --band (1…${bandCount})`, at('band'));
    band = 1;
  } else if (!Number.isInteger(band) || band < 1 || band > bandCount) {
    throw new CimError(`--band ${band} does not exist: the file has ${bandCount} band${bandCount === 1 ? '' : 's'} (1…${bandCount})`, at('band'));
  }
  const sampleFormat = image.getSampleFormat(band - 1) ?? 1;
  const bits = image.getBitsPerSample(band - 1);
  const kind = sampleFormat === 1 ? 'uint' : sampleFormat === 2 ? 'int' : sampleFormat === 3 ? 'float' : null;
  if (kind === null) throw new CimError(`SampleFormat ${sampleFormat} is not an integer or float type`, at('SampleFormat'));
  const sampleType = `${kind}${bits}`;

  const georef = readGeoref(fd);
  const geometry = gridGeometry(georef, name);
  const grid = new RasterGrid({ width, height, ...geometry, georef });

  let raw: ArrayLike<number>;
  try {
    const rasters = await image.readRasters({ samples: [band - 1] });
    raw = rasters[0] as ArrayLike<number>;
  } catch (err) {
    throw new CimError(`band ${band} cannot be decoded: ${(err as Error).message}`, at('band'));
  }
  const values = raw instanceof Float32Array ? raw : Float32Array.from(raw);
  return { ...float32Raster(grid, values, readNodata(fd, name)), band, bandCount, sampleType };
}

type FileDirectory = ReturnType<GeoTIFFImage['getFileDirectory']>;

function tagArray(fd: FileDirectory, tag: string): number[] | undefined {
  if (!fd.hasTag(tag as never)) return undefined;
  const v = fd.getValue(tag as never) as unknown;
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number') return [v];
  return Array.from(v as ArrayLike<number>, Number);
}

function readNodata(fd: FileDirectory, name: string): number | null {
  if (!fd.hasTag('GDAL_NODATA')) return null;
  const raw = String(fd.getValue('GDAL_NODATA') ?? '').replace(/\0+$/, '').trim();
  if (raw === '') return null;
  const lower = raw.toLowerCase();
  const v = lower === 'nan' ? NaN : lower === 'inf' || lower === '+inf' ? Infinity : lower === '-inf' ? -Infinity : Number(raw);
  if (Number.isNaN(v) && lower !== 'nan') throw new CimError(`'${raw}' is not a number`, { file: name, field: 'GDAL_NODATA' });
  return v;
}

function readGeoref(fd: FileDirectory): GeoTiffGeoref {
  const georef: GeoTiffGeoref = { kind: 'geotiff', rasterType: 'area' };
  georef.modelTiepoint = tagArray(fd, 'ModelTiepoint');
  georef.modelPixelScale = tagArray(fd, 'ModelPixelScale');
  georef.modelTransformation = tagArray(fd, 'ModelTransformation');
  georef.geoKeyDirectory = tagArray(fd, 'GeoKeyDirectory');
  georef.geoDoubleParams = tagArray(fd, 'GeoDoubleParams');
  if (fd.hasTag('GeoAsciiParams')) georef.geoAsciiParams = String(fd.getValue('GeoAsciiParams') ?? '');
  const keys = georef.geoKeyDirectory;
  if (keys && keys.length >= 4) {
    for (let i = 4; i + 3 < keys.length && i < 4 + 4 * keys[3]!; i += 4) {
      const id = keys[i]!;
      const location = keys[i + 1]!;
      const value = keys[i + 3]!;
      if (location !== 0) continue;
      if (id === 1025) georef.rasterType = value === 2 ? 'point' : 'area'; // GTRasterTypeGeoKey
      if (id === 1024 && value >= 1 && value <= 3) georef.modelType = (['projected', 'geographic', 'geocentric'] as const)[value - 1]; // GTModelTypeGeoKey
      if ((id === 3072 || (id === 2048 && georef.epsg === undefined)) && value > 0 && value < 32767) georef.epsg = value;
    }
  }
  for (const [k, v] of Object.entries(georef)) if (v === undefined) delete (georef as unknown as Record<string, unknown>)[k];
  return georef;
}

/** Origin and pixel size from the georeferencing tags; rejects rotated, sheared or south-up grids. */
function gridGeometry(g: GeoTiffGeoref, name: string) {
  let originX: number;
  let originY: number;
  let pixelSizeX: number;
  let pixelSizeY: number;
  if (g.modelTransformation && g.modelTransformation.length >= 16 && !g.modelTiepoint) {
    const [a, b, , d, e, f, , h] = g.modelTransformation as [number, number, number, number, number, number, number, number];
    if (b !== 0 || e !== 0) {
      throw new CimError(
        `describes a rotated or sheared grid (terms ${b}, ${e}); only north-up grids are supported — warp it first, e.g. gdalwarp`,
        { file: name, field: 'ModelTransformation' },
      );
    }
    if (!(a > 0) || !(f < 0)) {
      throw new CimError(`describes a grid that is not north-up (x step ${a}, y step ${f})`, { file: name, field: 'ModelTransformation' });
    }
    originX = d;
    originY = h;
    pixelSizeX = a;
    pixelSizeY = -f;
  } else {
    const tie = g.modelTiepoint;
    const scale = g.modelPixelScale;
    if (!tie || !scale) {
      const missing = !tie ? 'ModelTiepoint' : 'ModelPixelScale';
      throw new CimError('is missing: the file has no georeferencing (needs ModelTiepoint + ModelPixelScale or ModelTransformation)', {
        file: name,
        field: missing,
      });
    }
    if (tie.length !== 6) {
      throw new CimError(
        `holds ${tie.length / 6} tie points (ground control points); only one tie point with a pixel scale is supported — warp it first, e.g. gdalwarp`,
        { file: name, field: 'ModelTiepoint' },
      );
    }
    if (scale.length < 2 || !(scale[0]! > 0) || !(scale[1]! > 0)) {
      throw new CimError(`must hold two positive cell sizes for a north-up grid, got [${scale.join(', ')}]`, { file: name, field: 'ModelPixelScale' });
    }
    const [i, j, , x, y] = tie as [number, number, number, number, number];
    pixelSizeX = scale[0]!;
    pixelSizeY = scale[1]!;
    originX = x - i * pixelSizeX;
    originY = y + j * pixelSizeY;
  }
  if (g.rasterType === 'point') {
    // PixelIsPoint: the tie point is the centre of cell (0, 0); GDAL reads such files shifted half a cell
    originX -= pixelSizeX / 2;
    originY += pixelSizeY / 2;
  }
  if (![originX, originY, pixelSizeX, pixelSizeY].every(Number.isFinite)) {
    throw new CimError('holds non-finite numbers', { file: name, field: g.modelTiepoint ? 'ModelTiepoint' : 'ModelTransformation' });
  }
  return { originX, originY, pixelSizeX, pixelSizeY };
}

// --------------------------------------------------------------------------------------------
// Writing

const SHORT = 3;
const LONG = 4;
const DOUBLE = 12;
const ASCII = 2;

interface Tag {
  id: number;
  type: number;
  /** numbers for SHORT/LONG/DOUBLE, a string for ASCII (NUL appended on write). */
  value: number[] | string;
}

const TYPE_SIZE: Record<number, number> = { [ASCII]: 1, [SHORT]: 2, [LONG]: 4, [DOUBLE]: 8 };

export interface EncodeOptions {
  /** Deflate the strips (default true). */
  compress?: boolean;
  /** Software tag. */
  software?: string;
  /** Written as the GDAL_NODATA tag. */
  nodata?: number | null;
}

/** A single-band raster to encode: Byte (e.g. a viewshed) or Float32 (e.g. a DSM). */
export interface EncodableRaster {
  grid: RasterGrid;
  values: Uint8Array | Float32Array;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The little-endian bytes of rows a…b of the values. */
function rowBytes(values: Uint8Array | Float32Array, a: number, b: number): Uint8Array {
  if (values instanceof Uint8Array) return values.subarray(a, b);
  if (LITTLE_ENDIAN) return new Uint8Array(values.buffer, values.byteOffset + 4 * a, 4 * (b - a));
  const out = new Uint8Array(4 * (b - a));
  const view = new DataView(out.buffer);
  for (let i = a; i < b; i++) view.setFloat32(4 * (i - a), values[i]!, true);
  return out;
}

/**
 * The georeferencing tags to write for a grid: the raw tags it was read with when they still
 * describe the same geometry, otherwise a tie point and pixel scale from the grid (plus the GeoKeys).
 */
function georefTags(grid: RasterGrid): Tag[] {
  const g = isGeoTiffGeoref(grid.georef) ? grid.georef : undefined;
  const tags: Tag[] = [];
  let geometryFromGeoref = false;
  if (g) {
    try {
      const geo = gridGeometry(g, 'georef');
      geometryFromGeoref =
        geo.originX === grid.originX && geo.originY === grid.originY && geo.pixelSizeX === grid.pixelSizeX && geo.pixelSizeY === grid.pixelSizeY;
    } catch {
      geometryFromGeoref = false;
    }
  }
  if (g && geometryFromGeoref) {
    if (g.modelPixelScale) tags.push({ id: 33550, type: DOUBLE, value: g.modelPixelScale });
    if (g.modelTiepoint) tags.push({ id: 33922, type: DOUBLE, value: g.modelTiepoint });
    if (g.modelTransformation && !g.modelTiepoint) tags.push({ id: 34264, type: DOUBLE, value: g.modelTransformation });
  } else {
    const point = g?.rasterType === 'point';
    const x = point ? grid.originX + grid.pixelSizeX / 2 : grid.originX;
    const y = point ? grid.originY - grid.pixelSizeY / 2 : grid.originY;
    tags.push({ id: 33550, type: DOUBLE, value: [grid.pixelSizeX, grid.pixelSizeY, 0] });
    tags.push({ id: 33922, type: DOUBLE, value: [0, 0, 0, x, y, 0] });
  }
  if (g?.geoKeyDirectory) tags.push({ id: 34735, type: SHORT, value: g.geoKeyDirectory });
  else tags.push({ id: 34735, type: SHORT, value: [1, 1, 0, 1, 1025, 0, 1, 1] }); // only GTRasterTypeGeoKey = PixelIsArea
  if (g?.geoDoubleParams) tags.push({ id: 34736, type: DOUBLE, value: g.geoDoubleParams });
  if (g?.geoAsciiParams !== undefined) tags.push({ id: 34737, type: ASCII, value: g.geoAsciiParams.replace(/\0+$/, '') });
  return tags;
}

function isGeoTiffGeoref(v: unknown): v is GeoTiffGeoref {
  return typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'geotiff';
}

/**
 * Encodes a single-band Byte or Float32 raster as a GeoTIFF (little-endian classic TIFF, Deflate
 * strips of about 64 KiB raw, BlackIsZero) carrying the grid's georeferencing.
 */
export function encodeGeoTiff(raster: EncodableRaster, options: EncodeOptions = {}): Uint8Array {
  const { grid, values } = raster;
  const { width, height } = grid;
  if (values.length !== width * height) throw new CimError(`has ${values.length} values for a ${width}×${height} grid`, { field: 'values' });
  const float = values instanceof Float32Array;
  const bytesPerSample = float ? 4 : 1;
  const compress = options.compress ?? true;
  const rowsPerStrip = Math.max(1, Math.min(height, Math.floor(65536 / (width * bytesPerSample))));
  const stripCount = Math.ceil(height / rowsPerStrip);
  const strips: Uint8Array[] = [];
  for (let s = 0; s < stripCount; s++) {
    const raw = rowBytes(values, s * rowsPerStrip * width, Math.min(height, (s + 1) * rowsPerStrip) * width);
    strips.push(compress ? deflateSync(raw, { level: 6 }) : raw);
  }
  const nodataTag: Tag[] = options.nodata === undefined || options.nodata === null ? [] : [{ id: 42113, type: ASCII, value: gdalNumber(options.nodata) }];
  const tags: Tag[] = [
    ...nodataTag,
    { id: 256, type: LONG, value: [width] },
    { id: 257, type: LONG, value: [height] },
    { id: 258, type: SHORT, value: [8 * bytesPerSample] },
    { id: 259, type: SHORT, value: [compress ? 8 : 1] },
    { id: 262, type: SHORT, value: [1] },
    { id: 273, type: LONG, value: new Array<number>(stripCount).fill(0) }, // filled below
    { id: 277, type: SHORT, value: [1] },
    { id: 278, type: LONG, value: [rowsPerStrip] },
    { id: 279, type: LONG, value: strips.map((s) => s.length) },
    { id: 284, type: SHORT, value: [1] },
    { id: 305, type: ASCII, value: options.software ?? 'cim-twin' },
    { id: 339, type: SHORT, value: [float ? 3 : 1] },
    ...georefTags(grid),
  ].sort((p, q) => p.id - q.id);

  // layout: header | IFD | out-of-line values | strips
  const ifdOffset = 8;
  const ifdSize = 2 + 12 * tags.length + 4;
  let extra = ifdOffset + ifdSize;
  const extraAt = new Map<Tag, number>();
  const sizeOf = (t: Tag) => (typeof t.value === 'string' ? t.value.length + 1 : t.value.length) * TYPE_SIZE[t.type]!;
  for (const t of tags) {
    const n = sizeOf(t);
    if (n > 4) {
      extraAt.set(t, extra);
      extra += n + (n & 1); // word alignment
    }
  }
  let dataAt = extra;
  const stripOffsets = tags.find((t) => t.id === 273)!.value as number[];
  for (let s = 0; s < stripCount; s++) {
    stripOffsets[s] = dataAt;
    dataAt += strips[s]!.length;
  }
  if (dataAt > 0xffffffff) throw new CimError(`would be ${dataAt} bytes, over the 4 GiB classic TIFF limit`, { field: 'values' });

  const out = new Uint8Array(dataAt);
  const view = new DataView(out.buffer);
  out.set([0x49, 0x49, 0x2a, 0x00]);
  view.setUint32(4, ifdOffset, true);
  view.setUint16(ifdOffset, tags.length, true);
  let p = ifdOffset + 2;
  for (const t of tags) {
    const count = typeof t.value === 'string' ? t.value.length + 1 : t.value.length;
    view.setUint16(p, t.id, true);
    view.setUint16(p + 2, t.type, true);
    view.setUint32(p + 4, count, true);
    const where = extraAt.get(t);
    let q = p + 8;
    if (where !== undefined) {
      view.setUint32(p + 8, where, true);
      q = where;
    }
    if (typeof t.value === 'string') {
      for (let i = 0; i < t.value.length; i++) out[q + i] = t.value.charCodeAt(i) & 0x7f; // GeoTIFF ASCII; NUL follows (zeroed)
    } else {
      for (let i = 0; i < t.value.length; i++) {
        const v = t.value[i]!;
        if (t.type === SHORT) view.setUint16(q + 2 * i, v, true);
        else if (t.type === LONG) view.setUint32(q + 4 * i, v, true);
        else view.setFloat64(q + 8 * i, v, true);
      }
    }
    p += 12;
  }
  view.setUint32(p, 0, true); // no next IFD
  for (let s = 0; s < stripCount; s++) out.set(strips[s]!, stripOffsets[s]!);
  return out;
}

/**
 * Writes bytes to `path` atomically: a temporary file beside it, then a rename, so that an existing
 * file is either replaced whole or left as it was.
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, bytes);
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw new CimError(`cannot be written: ${(err as Error).message}`, { file: path });
  }
}

/** Encodes and writes a GeoTIFF atomically. */
export async function writeGeoTiff(path: string, raster: EncodableRaster, options: EncodeOptions = {}): Promise<void> {
  await writeFileAtomic(path, encodeGeoTiff(raster, options));
}

/** A no-data value as GDAL writes it in the GDAL_NODATA tag. */
function gdalNumber(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  return String(v);
}
