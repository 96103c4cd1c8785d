/**
 * `cimtwin demo -o city.json [--seed N] [--scale S]`: writes the embedded default city (a synthetic
 * district of central Weifang, see docs/default-city.md) as a cim-twin city file. The file is written
 * to a temporary name beside the target and renamed, so an existing file is never left half-written.
 * `-o -` writes the city to stdout and the counts to stderr.
 */
import type { CAC } from 'cac';
import { rename, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { cityToGeoJSON, summarizeCity, type City } from '../../../sim-core/cim/index.ts';
import { DEFAULT_SEED, generateDefaultCity, heightMix } from '../../../sim-core/cim/demo/index.ts';
import { action, type CliContext } from '../main.ts';

interface DemoOptions {
  out?: string | boolean;
  seed: unknown;
  scale: unknown;
}

function parseSeed(v: unknown): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new Error(`--seed must be an integer from 0 to 4294967295, got '${String(v)}'`);
  return n;
}

function parseScale(v: unknown): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  if (!Number.isFinite(n) || n < 0.05 || n > 4) throw new Error(`--scale must be a number from 0.05 to 4, got '${String(v)}'`);
  return n;
}

/** Writes `text` to `file` through a temporary file in the same folder and a rename. */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  const target = resolve(file);
  const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
  try {
    await writeFile(tmp, text);
    await rename(tmp, target);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? `folder ${dirname(target)} does not exist` : code === 'EACCES' ? `no permission to write in ${dirname(target)}` : err instanceof Error ? err.message : String(err);
    throw new Error(`cannot write ${file}: ${reason}`);
  }
}

/** The lines printed after generation: what the city holds. */
export function describeCity(city: City, ms: number): string {
  const s = summarizeCity(city);
  const mix = heightMix(city);
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const lines = [
    `${s.name} (synthetic: ${s.synthetic}), generated in ${ms.toFixed(0)} ms`,
    `buildings: ${s.buildings.count} (median roof ${mix.medianRoofM.toFixed(1)} m, max ${mix.maxRoofM.toFixed(1)} m)`,
    ...mix.classes.map((c) => `  ${c.label}: ${c.count} (${pct(c.share)})`),
    `roads: ${s.roads.nodes} nodes, ${s.roads.links} links, ${s.roads.intersections} intersections (${s.roads.importantIntersections} important, ${s.roads.signalized} signalized)`,
    `  length km: arterial ${s.roads.lengthKmByClass.arterial}, secondary ${s.roads.lengthKmByClass.secondary}, branch ${s.roads.lengthKmByClass.branch}`,
    `key areas: ${s.keyAreas.count} (video set ${s.keyAreas.video}, 5G set ${s.keyAreas.nr5g}): ${Object.entries(s.keyAreas.byCategory).map(([k, v]) => `${k} ${v}`).join(', ')}`,
    `devices: ${Object.entries(s.devices).map(([k, v]) => `${k} ${v.count} (${v.healthy} healthy, ${v.networked} networked)`).join(', ')}`,
    `scopes: ${s.scopes.map((x) => x.kind).join(', ')}`,
  ];
  return lines.join('\n') + '\n';
}

export function register(cli: CAC, ctx: CliContext): void {
  cli
    .command('demo', 'Write the embedded default city: a synthetic demo district of central Weifang')
    // '[file]' rather than '<file>': the option parser (mri) swallows a lone '-', so '-o -' arrives
    // as out === true; the action then looks for the '-' in the process arguments ('-o=-' also works)
    .option('-o, --out [file]', 'Output city file (.city.json); - writes to stdout')
    .option('--seed <n>', 'Random seed (integer 0–4294967295)', { default: DEFAULT_SEED })
    .option('--scale <factor>', 'Area factor of the district, 0.05–4 (1 ≈ 51 km², 15,000+ buildings)', { default: 1 })
    .example('cimtwin demo -o city.json')
    .example('cimtwin demo -o small.city.json --scale 0.1 --seed 7')
    .action(
      action(ctx, async (opts: DemoOptions) => {
        const out = opts.out === true && process.argv.slice(2).includes('-') ? '-' : opts.out;
        if (typeof out !== 'string' || out === '') throw new Error("missing output: use -o <file> (or '-o -' for stdout)");
        const seed = parseSeed(opts.seed);
        const scale = parseScale(opts.scale);
        const t0 = performance.now();
        const city = generateDefaultCity({ seed, scale });
        const ms = performance.now() - t0;
        const text = JSON.stringify(cityToGeoJSON(city));
        const report = describeCity(city, ms);
        if (out === '-') {
          await new Promise<void>((ok, fail) => process.stdout.write(text + '\n', (err) => (err ? fail(err) : ok())));
          process.stderr.write(report);
        } else {
          await writeFileAtomic(out, text);
          process.stdout.write(`wrote ${out} (${(text.length / 1e6).toFixed(1)} MB)\n${report}`);
        }
      }),
    );
}
