/**
 * `cimtwin viewshed`: the raster viewshed of one observer on a DSM GeoTIFF.
 *
 *   cimtwin viewshed --dsm dsm.tif --observer 500500.5,2499499.5 --observer-height 10 \
 *     [--target-height 0] --radius 300 -o viewshed.tif [--band 1] [--nodata-visible false]
 *
 * The output is a Byte GeoTIFF on exactly the DSM's grid and CRS: 1 = visible, 0 = not visible or
 * beyond the radius. The observer is given in the DSM's map coordinates (write a negative coordinate
 * as `--observer=-120.5,42`); heights are metres above the DSM surface; no earth curvature. The
 * definition is GRASS r.viewshed's (see docs/viewshed.md). The output is written to a temporary file
 * and renamed, so an existing file is never left half-written. Prints the visible cell count and the
 * time taken.
 */
import type { CAC } from 'cac';
import { resolve } from 'node:path';
import { CimError } from '../../../sim-core/cim/errors.ts';
import type { GeoTiffGeoref } from '../../io/geotiff.ts';
import { action, type CliContext } from '../main.ts';

interface ViewshedFlags {
  dsm?: unknown;
  observer?: unknown;
  observerHeight?: unknown;
  targetHeight?: unknown;
  radius?: unknown;
  output?: unknown;
  band?: unknown;
  nodataVisible?: unknown;
}

/** A finite number from an option value (cac hands numbers or strings). */
function numberOption(v: unknown, name: string, { required = true, min = -Infinity } = {}): number | undefined {
  if (v === undefined || v === true) {
    if (!required && v === undefined) return undefined;
    throw new CimError('is required and takes a number', { field: name });
  }
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (!Number.isFinite(n)) throw new CimError(`must be a number, got '${String(v)}'`, { field: name });
  if (n < min) throw new CimError(`must be ≥ ${min}, got ${n}`, { field: name });
  return n;
}

function stringOption(v: unknown, name: string): string {
  if (typeof v !== 'string' || v === '') throw new CimError('is required and takes a file name', { field: name });
  return v;
}

function booleanOption(v: unknown, name: string): boolean {
  if (v === undefined || v === false) return false;
  if (v === true) return true;
  const s = String(v).toLowerCase();
  if (['true', '1', 'yes'].includes(s)) return true;
  if (['false', '0', 'no'].includes(s)) return false;
  throw new CimError(`must be true or false, got '${String(v)}'`, { field: name });
}

/** `x,y` in map units. */
function pointOption(v: unknown, name: string): [number, number] {
  if (typeof v !== 'string') {
    throw new CimError(`is required as x,y in the DSM's map coordinates${v === undefined ? '' : `, got '${String(v)}'`}`, { field: name });
  }
  const parts = v.split(',').map((s) => s.trim());
  const xy = parts.map(Number);
  if (parts.length !== 2 || parts.some((s) => s === '') || !xy.every(Number.isFinite)) {
    throw new CimError(`must be x,y in the DSM's map coordinates, got '${v}'`, { field: name });
  }
  return [xy[0]!, xy[1]!];
}

export interface ViewshedRun {
  visibleCount: number;
  cellsInRadius: number;
  observerCol: number;
  observerRow: number;
  observerEyeM: number;
  readMs: number;
  computeMs: number;
  writeMs: number;
}

/** The verb's work, callable from tests and benches without a process. */
export async function runViewshed(flags: ViewshedFlags): Promise<ViewshedRun> {
  const dsmPath = stringOption(flags.dsm, '--dsm');
  const outPath = stringOption(flags.output, '-o/--output');
  const [observerX, observerY] = pointOption(flags.observer, '--observer');
  const observerHeightM = numberOption(flags.observerHeight, '--observer-height', { min: 0 })!;
  const targetHeightM = numberOption(flags.targetHeight, '--target-height', { required: false, min: 0 }) ?? 0;
  const radiusM = numberOption(flags.radius, '--radius', { min: 0 })!;
  const band = numberOption(flags.band, '--band', { required: false, min: 1 });
  if (band !== undefined && !Number.isInteger(band)) throw new CimError(`must be a whole band number, got ${band}`, { field: '--band' });
  const nodataVisible = booleanOption(flags.nodataVisible, '--nodata-visible');
  if (resolve(outPath) === resolve(dsmPath)) throw new CimError('would overwrite the input DSM; choose another output file', { file: outPath, field: '-o/--output' });

  // loaded here so that other verbs do not pay for them at start-up
  const { readGeoTiffRaster, writeGeoTiff } = await import('../../io/geotiff.ts');
  const { ViewshedEngine } = await import('../../../sim-core/raster/viewshed.ts');

  const t0 = performance.now();
  const dsm = await readGeoTiffRaster(dsmPath, { band });
  const t1 = performance.now();
  const georef = dsm.grid.georef as GeoTiffGeoref;
  if (georef.modelType === 'geographic') {
    throw new CimError(
      `is in a geographic CRS${georef.epsg ? ` (EPSG:${georef.epsg})` : ''}: cells are degrees, not metres; reproject it to a projected CRS first (e.g. gdalwarp -t_srs EPSG:32650)`,
      { file: dsmPath, field: 'GTModelTypeGeoKey' },
    );
  }
  let result;
  try {
    result = new ViewshedEngine().compute(dsm, { observerX, observerY, observerHeightM, targetHeightM, radiusM, nodataVisible });
  } catch (err) {
    if (err instanceof CimError && err.field === 'observer') throw new CimError(err.reason, { file: dsmPath, field: '--observer' });
    throw err;
  }
  const t2 = performance.now();
  await writeGeoTiff(outPath, result.visibility);
  const t3 = performance.now();
  return {
    visibleCount: result.visibleCount,
    cellsInRadius: result.cellsInRadius,
    observerCol: result.observerCol,
    observerRow: result.observerRow,
    observerEyeM: result.observerEyeM,
    readMs: t1 - t0,
    computeMs: t2 - t1,
    writeMs: t3 - t2,
  };
}

export function register(cli: CAC, ctx: CliContext): void {
  cli
    .command('viewshed', 'Raster viewshed of one observer on a DSM GeoTIFF (1 = visible), as GRASS r.viewshed defines it')
    .option('--dsm <file>', 'DSM GeoTIFF (heights in metres, north-up grid)')
    .option('--observer <x,y>', "Observer in the DSM's map coordinates (negative: --observer=-120.5,42)")
    .option('--observer-height <m>', 'Eye height above the DSM surface, metres')
    .option('--target-height <m>', 'Height of each target above the DSM surface, metres', { default: 0 })
    .option('--radius <m>', 'Cells whose centre is farther than this from the observer cell centre are 0, metres')
    .option('-o, --output <file>', 'Output Byte GeoTIFF, same grid and CRS as the DSM')
    .option('--band <n>', 'DSM band to read (1-based); required when the file has several')
    .option('--nodata-visible <bool>', 'Mark no-data cells inside the radius as visible (they never block)', { default: 'false' })
    .example('cimtwin viewshed --dsm dsm.tif --observer 500500.5,2499499.5 --observer-height 10 --radius 300 -o vs.tif')
    .action(
      action(ctx, async (flags: ViewshedFlags) => {
        const t0 = performance.now();
        const r = await runViewshed(flags);
        const pct = r.cellsInRadius ? ((100 * r.visibleCount) / r.cellsInRadius).toFixed(1) : '0.0';
        process.stdout.write(
          `viewshed: ${r.visibleCount} visible of ${r.cellsInRadius} cells within ${String(flags.radius)} m (${pct}%); ` +
            `observer cell ${r.observerCol},${r.observerRow}, eye at ${r.observerEyeM.toFixed(2)} m\n` +
            `time: ${(performance.now() - t0).toFixed(0)} ms (read ${r.readMs.toFixed(0)}, compute ${r.computeMs.toFixed(0)}, ` +
            `write ${r.writeMs.toFixed(0)}) -> ${String(flags.output)}\n`,
        );
      }),
    );
}
