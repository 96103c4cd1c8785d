/**
 * `cimtwin import <files…> -o city.json`: GeoJSON, OSM XML, Overpass JSON and CSV device ledgers into one
 * validated, normalised city file. All or nothing: on the first bad record the error names the file, the
 * record and the field, the exit code is 1 and no output is written (an existing output is untouched).
 */
import type { CAC } from 'cac';
import { cityToGeoJSON } from '../../../sim-core/cim/city-file.ts';
import { CimError } from '../../../sim-core/cim/errors.ts';
import { importCity } from '../../../sim-core/cim/import/context.ts';
import { requireCrsName, type CrsName } from '../../../sim-core/cim/import/crs.ts';
import { DEFAULT_MAX_RADIUS_KM, DEFAULT_POI_RADIUS_M, DEFAULT_STOREY_HEIGHT_M, type FileOptions, type ImportOptions } from '../../../sim-core/cim/import/options.ts';
import { formatImportReport } from '../../../sim-core/cim/import/report.ts';
import { checkInputFile, DEFAULT_MAX_FILE_MB, readInputFile } from '../../io/read-input.ts';
import { writeFileAtomic } from '../../io/write-atomic.ts';
import { action, type CliContext } from '../main.ts';

interface ImportCliOptions {
  output?: string;
  crs?: unknown;
  layer?: unknown;
  origin?: unknown;
  bbox?: unknown;
  name?: unknown;
  defaultStoreys?: unknown;
  storeyHeight?: unknown;
  defaultDeviceHeights?: boolean;
  maxRadiusKm?: unknown;
  clip?: boolean;
  poiRadius?: unknown;
  maxFileMb?: unknown;
  report?: string;
  quiet?: boolean;
}

const LAYERS = ['building', 'key-area', 'device', 'road', 'signal', 'scope'] as const;

const list = (v: unknown): string[] => (v === undefined || v === false ? [] : (Array.isArray(v) ? v : [v]).map((x) => String(x)));

function usage(message: string): never {
  throw new CimError(`${message} (see 'cimtwin import --help')`);
}

/** A number option, or undefined. */
function numberOption(v: unknown, name: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(Array.isArray(v) ? v[v.length - 1] : v);
  if (!Number.isFinite(n)) usage(`--${name} must be a number, got '${String(v)}'`);
  return n;
}

/** `a,b,c…` → numbers (exactly `count`). */
function numberList(v: unknown, count: number, name: string, shape: string): number[] {
  const parts = String(Array.isArray(v) ? v[v.length - 1] : v).split(',').map((s) => Number(s.trim()));
  if (parts.length !== count || !parts.every(Number.isFinite)) usage(`--${name} must be ${shape}, got '${String(v)}'`);
  return parts;
}

/**
 * Per-file values: `--crs gcj02` applies to every file, `--crs ledger.csv=gcj02` to one (matched by the
 * path as given or its file name).
 */
export function perFile<T>(values: string[], files: string[], parse: (v: string) => T, name: string): { all?: T; byFile: Map<string, T> } {
  const byFile = new Map<string, T>();
  let all: T | undefined;
  for (const v of values) {
    const eq = v.lastIndexOf('=');
    if (eq < 0) {
      all = parse(v);
      continue;
    }
    const target = v.slice(0, eq);
    const match = files.filter((f) => f === target || f.split(/[\\/]/).pop() === target);
    if (match.length === 0) usage(`--${name} ${v}: '${target}' is not one of the input files`);
    for (const f of match) byFile.set(f, parse(v.slice(eq + 1)));
  }
  return { all, byFile };
}

export function register(cli: CAC, ctx: CliContext): void {
  cli
    .command('import <...files>', 'Import GeoJSON, OSM XML, Overpass JSON and CSV device ledgers into one validated city file')
    .option('-o, --output <file>', 'city file to write (cim-twin GeoJSON, written atomically)')
    .option('--crs <crs>', 'input CRS: wgs84 | epsg:4326 | cgcs2000 | epsg:4490 | gcj02 | bd09; FILE=CRS for one file (repeatable)')
    .option('--layer <layer>', `force the layer of a GeoJSON file: ${LAYERS.join(' | ')}; FILE=LAYER for one file (repeatable)`)
    .option('--origin <lon,lat>', 'origin of the local frame (default: centre of the first file)')
    .option('--name <name>', 'city name', { default: 'imported city' })
    .option('--default-storeys <n>', 'give buildings with no height and no storeys N storeys (counted in the report); without it they are an error')
    .option('--storey-height <m>', 'metres per storey for building:levels and --default-storeys', { default: DEFAULT_STOREY_HEIGHT_M })
    .option('--default-device-heights', 'give devices with no mounting height the documented type default (counted); without it they are an error')
    .option('--max-radius-km <km>', 'records farther than this from the origin are an error', { default: DEFAULT_MAX_RADIUS_KM })
    .option('--bbox <w,s,e,n>', 'city extent as a lon/lat box instead of the radius')
    .option('--clip', 'drop records outside the extent (counted) instead of failing')
    .option('--poi-radius <m>', 'radius of the circle given to key areas that are only a point', { default: DEFAULT_POI_RADIUS_M })
    .option('--max-file-mb <mb>', 'refuse input files larger than this, before reading them', { default: DEFAULT_MAX_FILE_MB })
    .option('--report <file>', 'also write the import report as JSON')
    .option('--quiet', 'print only the one-line summary')
    .example('cimtwin import buildings.geojson roads.osm devices.csv --crs devices.csv=gcj02 --default-storeys 3 -o city.json')
    .action(
      action(ctx, async (files: string[], options: ImportCliOptions) => {
        if (!files || files.length === 0) usage('give at least one input file');
        const output = options.output;
        if (!output || typeof output !== 'string') usage('give the output file with -o city.json');
        if (files.includes(output)) usage(`the output ${output} is also an input`);
        const maxFileMb = numberOption(options.maxFileMb, 'max-file-mb');

        const crs = perFile<CrsName>(list(options.crs), files, (v) => requireCrsName(v, { field: '--crs' }), 'crs');
        const layer = perFile<NonNullable<FileOptions['layer']>>(
          list(options.layer),
          files,
          (v) => {
            if (!(LAYERS as readonly string[]).includes(v)) usage(`--layer must be one of ${LAYERS.join(', ')}, got '${v}'`);
            return v as NonNullable<FileOptions['layer']>;
          },
          'layer',
        );
        const opts: ImportOptions = {
          name: String(options.name ?? 'imported city'),
          storeyHeightM: numberOption(options.storeyHeight, 'storey-height'),
          defaultStoreys: numberOption(options.defaultStoreys, 'default-storeys'),
          defaultDeviceHeights: !!options.defaultDeviceHeights,
          maxRadiusKm: numberOption(options.maxRadiusKm, 'max-radius-km'),
          clip: !!options.clip,
          poiRadiusM: numberOption(options.poiRadius, 'poi-radius'),
        };
        if (options.origin !== undefined) {
          const [lonDeg, latDeg] = numberList(options.origin, 2, 'origin', 'lon,lat in degrees');
          opts.origin = { lonDeg, latDeg };
        }
        if (options.bbox !== undefined) opts.bbox = numberList(options.bbox, 4, 'bbox', 'west,south,east,north in degrees') as [number, number, number, number];

        // Every size is checked before any file is read.
        for (const f of files) checkInputFile(f, { maxFileMb });
        const inputs = files.map((f) => readInputFile(f, { crs: crs.byFile.get(f) ?? crs.all, layer: layer.byFile.get(f) ?? layer.all }, { maxFileMb }));
        let result;
        try {
          result = importCity(inputs, opts);
        } catch (e) {
          if (e instanceof RangeError) usage(e.message);
          throw e;
        }
        const { city, report } = result;
        writeFileAtomic(output, JSON.stringify(cityToGeoJSON(city)));
        if (options.report) writeFileAtomic(String(options.report), JSON.stringify(report, null, 2));
        const lines = formatImportReport(report);
        if (options.quiet) process.stdout.write(`${lines.find((l) => l.startsWith('city:'))}\n`);
        else process.stdout.write(`${lines.join('\n')}\n`);
        process.stdout.write(`wrote ${output}\n`);
      }),
    );
}
