/**
 * `cimtwin tiles -i <city.json|buildings.geojson|city.cityjson> -o <dir>`: a 3D Tiles 1.1 tileset of
 * the city's buildings (tiles/, docs/tiles.md). Input: a cim-twin city file, plain GeoJSON buildings
 * (through the importer, as `cimtwin import` reads them) or CityJSON 1.1/2.0 (LoD1/LoD2 kept).
 * Incremental when the output folder holds a previous build (`--no-incremental` rebuilds all);
 * never a half-written tileset (tiles/write.ts). Progress on stderr, a summary on stdout;
 * `--validate` checks the result (tiles/validate.ts) and fails on any error.
 */
import type { CAC } from 'cac';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { cityFromGeoJSON } from '../../../sim-core/cim/city-file.ts';
import { CimError } from '../../../sim-core/cim/errors.ts';
import { importCity } from '../../../sim-core/cim/import/context.ts';
import { parseJsonText } from '../../../sim-core/cim/import/json-text.ts';
import type { TilesetSource } from '../../../tiles/build.ts';
import { readCityJson } from '../../../tiles/cityjson.ts';
import { COMPRESSIONS, type Compression } from '../../../tiles/glb.ts';
import { validateTileset } from '../../../tiles/validate.ts';
import { MANIFEST_FILE, TILESET_FILE, readManifest, writeTileset, type WriteProgress } from '../../../tiles/write.ts';
import { checkInputFile, readInputFile, DEFAULT_MAX_FILE_MB } from '../../io/read-input.ts';
import { action, type CliContext } from '../main.ts';

interface TilesCliOptions {
  input?: unknown;
  output?: unknown;
  maxFeatures?: unknown;
  compress?: unknown;
  incremental?: boolean;
  validate?: boolean;
  crs?: unknown;
  defaultStoreys?: unknown;
  maxFileMb?: unknown;
  quiet?: boolean;
}

function usage(message: string): never {
  throw new CimError(`${message} (see 'cimtwin tiles --help')`);
}

const one = (v: unknown) => (Array.isArray(v) ? v[v.length - 1] : v);

function intOption(v: unknown, name: string, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(one(v));
  if (!Number.isInteger(n) || n < min || n > max) usage(`--${name} must be an integer from ${min} to ${max}, got '${String(v)}'`);
  return n;
}

/**
 * Reads the input of `cimtwin tiles`: CityJSON (by `.cityjson` or `"type": "CityJSON"`), a cim-twin
 * city file, or plain GeoJSON buildings through the importer. Errors name the file, record and field.
 */
export function readTilesInput(path: string, options: { crs?: string; defaultStoreys?: number; maxFileMb?: number } = {}): TilesetSource & { kind: string } {
  checkInputFile(path, { maxFileMb: options.maxFileMb });
  const input = readInputFile(path, {}, { maxFileMb: options.maxFileMb });
  if (input.format !== 'geojson') throw new CimError(`expected JSON (a cim-twin city file, GeoJSON buildings or CityJSON), found ${input.format}`, { file: path, field: 'format' });
  const json = parseJsonText(input.text as string, path) as Record<string, any>;
  if (json?.type === 'CityJSON' || path.toLowerCase().endsWith('.cityjson')) {
    const r = readCityJson(json, path, { crs: options.crs });
    return { city: r.city, surfaces: r.surfaces, kind: `CityJSON ${json.version} (${r.counts.buildings} buildings, ${r.counts.parts} parts, ${r.counts.skippedObjects} other objects skipped)` };
  }
  if (json?.cimtwin?.format === 'cimtwin-city') return { city: cityFromGeoJSON(json, path), kind: 'cim-twin city file' };
  const { city } = importCity([{ ...input, text: undefined, json, options: { layer: 'building' } }], { name: path.split(/[\\/]/).pop(), defaultStoreys: options.defaultStoreys });
  return { city, kind: 'GeoJSON buildings (imported)' };
}

const mb = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : `${(n / 1e3).toFixed(1)} kB`);

export function register(cli: CAC, ctx: CliContext): void {
  cli
    .command('tiles', 'Build a 3D Tiles 1.1 tileset (glb + per-building metadata) of a city\'s buildings')
    .option('-i, --input <file>', 'city: a cim-twin city file, GeoJSON buildings or CityJSON (.cityjson, LoD1/LoD2)')
    .option('-o, --output <dir>', 'tileset folder (tileset.json, content/*.glb, cimtwin-tiles.json)')
    .option('--max-features <n>', 'most buildings in one tile', { default: 1000 })
    .option('--compress <method>', `content compression: ${COMPRESSIONS.join(' | ')} (meshopt: quantized + EXT_meshopt_compression)`, { default: 'none' })
    .option('--no-incremental', 'rebuild every tile even when the folder holds a previous build')
    .option('--validate', 'check the tileset afterwards (glTF Validator + cim-twin\'s 3D Tiles checks); exit 1 on errors')
    .option('--crs <crs>', 'CityJSON only: EPSG:n or a proj4 definition, overriding metadata.referenceSystem')
    .option('--default-storeys <n>', 'GeoJSON only: give buildings with no height N storeys (see cimtwin import)')
    .option('--max-file-mb <mb>', 'refuse input files larger than this', { default: DEFAULT_MAX_FILE_MB })
    .option('--quiet', 'no progress, only the summary')
    .example('cimtwin tiles -i city.json -o tiles/ --max-features 500 --compress meshopt')
    .action(
      action(ctx, async (options: TilesCliOptions) => {
        const input = one(options.input);
        const output = one(options.output);
        if (typeof input !== 'string' || !input) usage('give the input with -i city.json');
        if (typeof output !== 'string' || !output) usage('give the output folder with -o DIR');
        const maxFeatures = intOption(options.maxFeatures, 'max-features', 1, 1_000_000);
        const compress = String(one(options.compress)) as Compression;
        if (!COMPRESSIONS.includes(compress)) usage(`--compress must be one of ${COMPRESSIONS.join(', ')}, got '${compress}'`);
        const dir = resolve(output);
        if (existsSync(join(dir, TILESET_FILE)) && !readManifest(dir)) {
          throw new CimError(`holds a ${TILESET_FILE} that cimtwin tiles did not write (no ${MANIFEST_FILE}); choose another folder or empty this one`, { file: dir });
        }
        if (existsSync(dir) && !existsSync(join(dir, TILESET_FILE)) && readdirSync(dir).some((f) => f !== 'content')) {
          throw new CimError('is a folder with other files in it; give an empty or new folder for the tileset', { file: dir });
        }
        const t0 = performance.now();
        const source = readTilesInput(input, {
          crs: options.crs === undefined ? undefined : String(one(options.crs)),
          defaultStoreys: intOption(options.defaultStoreys, 'default-storeys', 1, 200),
          maxFileMb: options.maxFileMb === undefined ? undefined : Number(one(options.maxFileMb)),
        });
        const readMs = performance.now() - t0;
        const quiet = !!options.quiet;
        if (!quiet) process.stderr.write(`tiles: read ${input}: ${source.kind}, ${source.city.buildings.count.toLocaleString('en')} buildings (${(readMs / 1000).toFixed(1)} s)\n`);
        let last = 0;
        const tty = process.stderr.isTTY;
        const onProgress = (p: WriteProgress) => {
          if (quiet) return;
          const now = performance.now();
          if (p.phase === 'tiles' && p.done < p.total && now - last < (tty ? 100 : 2000)) return;
          last = now;
          const line = p.phase === 'plan' ? `tiles: planned ${p.total} tiles` : p.phase === 'commit' ? 'tiles: writing tileset.json' : `tiles: ${p.done}/${p.total} tiles (${p.reused} unchanged)`;
          process.stderr.write(tty ? `\r\x1b[K${line}${p.phase === 'tiles' && p.done < p.total ? '' : '\n'}` : `${line}\n`);
        };
        const r = await writeTileset(dir, source, { maxFeatures, compress, incremental: options.incremental !== false, onProgress });
        const lines = [
          `tileset: ${join(dir, TILESET_FILE)}`,
          `tiles: ${r.tiles} (${r.written} written, ${r.reused} unchanged, ${r.removed} removed), depth ${r.depth}`,
          `buildings: ${r.buildings.toLocaleString('en')}${r.skippedIds.length ? ` (${r.skippedIds.length} left out: footprint could not be triangulated: ${r.skippedIds.slice(0, 5).join(', ')}${r.skippedIds.length > 5 ? ', …' : ''})` : ''}`,
          `bytes: ${mb(r.bytes)} (content ${mb(r.contentBytes)}, tileset.json ${mb(r.tilesetJsonBytes)}); ${r.vertices.toLocaleString('en')} vertices, ${r.triangles.toLocaleString('en')} triangles; compression ${compress}`,
          `time: ${((readMs + r.totalMs) / 1000).toFixed(1)} s (read ${(readMs / 1000).toFixed(1)} s, tiles ${(r.totalMs / 1000).toFixed(1)} s)`,
        ];
        process.stdout.write(`${lines.join('\n')}\n`);
        if (options.validate) {
          const v = await validateTileset(dir);
          for (const e of v.errors.slice(0, 50)) process.stdout.write(`error: ${e}\n`);
          for (const w of v.warnings.slice(0, 20)) process.stdout.write(`warning: ${w}\n`);
          process.stdout.write(`validate: ${v.ok ? 'ok' : 'FAILED'}: ${v.errors.length} errors, ${v.warnings.length} warnings; ${v.stats.contents} glb checked, ${v.stats.buildings.toLocaleString('en')} buildings, ${v.stats.vertices.toLocaleString('en')} vertices inside their bounding volumes\n`);
          process.stdout.write(`note: ${v.notes[0]}\n`);
          if (!v.ok) return 1;
        }
      }),
    );
}
