/**
 * `cimtwin score`: score indicator values against the DB37/T 3890 county table.
 *
 *   cimtwin score --values values.json [--values coverage.json] [--targets laixi] -o report.md
 *   cimtwin coverage … -o - | cimtwin score --values - -o -
 *
 * A values file maps indicator ids or their Chinese names (exactly as in the seed table) to numbers
 * (percentages 0–100, counts as counts, Mbit/s), or is a coverage report `{ indicators: {…} }`.
 * Several `--values` are merged; a hand entry that conflicts with a simulated value is an error unless
 * it says `"override": true` with a `"reason"`. Output format from `--format` or the `-o` extension
 * (.json .csv .md .html); `-o -` or no `-o` writes to stdout. On any error nothing is written.
 */
import type { CAC } from 'cac';
import { readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { action, type CliContext } from '../main.ts';
import {
  CATALOGUE,
  CITY_LEVEL_MEASURES,
  CITY_PLANS,
  ValueStore,
  ValuesError,
  buildReport,
  formatFromPath,
  parseValuesDocument,
  planById,
  renderReport,
  validateCompositeOptions,
  type CompositeOptions,
  type ReportFormat,
} from '../../../sim-core/indicators/index.ts';

interface ScoreFlags {
  values?: string | boolean | Array<string | boolean | number> | number;
  targets?: string;
  output?: string | boolean | number;
  format?: string;
  composite?: string;
  missing?: string;
  slashCells?: string;
  handLevelReading?: string;
  deductionBase?: string;
  listIndicators?: boolean;
}

/** Raw string values of an option as typed (cac drops a lone "-" and converts numbers). */
export function rawOptionValues(argv: readonly string[], names: readonly string[]): Array<string | null> {
  const out: Array<string | null> = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') break;
    for (const n of names) {
      if (a === n) {
        const next = argv[i + 1];
        if (next !== undefined && (next === '-' || !next.startsWith('-'))) {
          out.push(next);
          i++;
        } else out.push(null);
      } else if (a.startsWith(`${n}=`)) out.push(a.slice(n.length + 1));
    }
  }
  return out;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

async function readJson(path: string): Promise<unknown> {
  const label = path === '-' ? '<stdin>' : path;
  let text: string;
  try {
    text = path === '-' ? await readStdin() : await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(`${label}: cannot read (${code === 'ENOENT' ? 'no such file' : code ?? String(err)})`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') throw new Error(`${label}: empty input (expected JSON)`);
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new Error(`${label}: not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
}

function pick<T extends string>(name: string, v: string | undefined, allowed: readonly T[]): T | undefined {
  if (v === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(v)) throw new Error(`--${name}: "${v}" must be one of ${allowed.join(', ')}`);
  return v as T;
}

async function compositeOptions(flags: ScoreFlags): Promise<CompositeOptions> {
  let o: CompositeOptions = {};
  if (flags.composite !== undefined) {
    const path = String(flags.composite);
    const doc = await readJson(path);
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new Error(`${path}: expected a JSON object of composite options`);
    const known = new Set(['weights', 'pointsPerStar', 'slashCells', 'missing', 'deductionPercentPerIncident', 'deductionBase', 'handLevelReading', '$comment']);
    for (const k of Object.keys(doc)) if (!known.has(k)) throw new Error(`${path}: key "${k}": unknown composite option (allowed: ${[...known].filter((x) => x !== '$comment').join(', ')})`);
    const { $comment: _c, ...rest } = doc as Record<string, unknown>;
    o = rest as CompositeOptions;
    try {
      validateCompositeOptions(o);
    } catch (err) {
      throw new Error(`${path}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const missing = pick('missing', flags.missing, ['exclude', 'zero'] as const);
  const slash = pick('slash-cells', flags.slashCells, ['exempt', 'strict'] as const);
  const reading = pick('hand-level-reading', flags.handLevelReading, ['literal', 'cumulative'] as const);
  const base = pick('deduction-base', flags.deductionBase, ['maximum', 'achieved'] as const);
  return {
    ...o,
    ...(missing ? { missing } : {}),
    ...(slash ? { slashCells: slash } : {}),
    ...(reading ? { handLevelReading: reading } : {}),
    ...(base ? { deductionBase: base } : {}),
  };
}

function resolveFormat(flagFormat: string | undefined, output: string): ReportFormat {
  if (flagFormat !== undefined) {
    const f = String(flagFormat).toLowerCase();
    if (f === 'json' || f === 'csv' || f === 'html' || f === 'md') return f;
    if (f === 'markdown') return 'md';
    if (f === 'htm') return 'html';
    throw new Error(`--format: "${flagFormat}" must be one of json, csv, md, html`);
  }
  if (output === '-') return 'json';
  const f = formatFromPath(output);
  if (!f) throw new Error(`-o ${output}: cannot tell the format from the extension; use .json, .csv, .md or .html, or give --format`);
  return f;
}

async function writeAtomically(path: string, text: string): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    await writeFile(tmp, text, 'utf8');
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw new Error(`${path}: cannot write (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
}

function listIndicators(): string {
  const lines = ['id\tname_zh\tunit\trow'];
  for (const ind of CATALOGUE) {
    for (const m of ind.measures) lines.push(`${m.id}\t${m.nameZh}\t${m.unit}\t${ind.id}${ind.lead ? ' ★' : ''}`);
  }
  for (const m of CITY_LEVEL_MEASURES) lines.push(`${m.id}\t${m.nameZh}\t${m.unit}\t(city-level target only)`);
  return `${lines.join('\n')}\n`;
}

export function register(cli: CAC, ctx: CliContext): void {
  cli
    .command('score', 'Score indicator values against the DB37/T 3890 county table (stars, gaps, composite, city targets)')
    .option('--values [path]', 'Values JSON (ids or Chinese names → numbers) or a coverage report; repeatable; - reads stdin')
    .option('--targets <city>', `Compare with a plan's dated targets: ${CITY_PLANS.map((p) => p.id).join(', ')}`)
    .option('-o, --output [path]', 'Output file (.json .csv .md .html); - or omitted = stdout')
    .option('--format <format>', 'json | csv | md | html (default: from the -o extension, json on stdout)')
    .option('--composite <path>', 'JSON with composite options: weights, pointsPerStar, slashCells, missing, deductionPercentPerIncident, deductionBase, handLevelReading')
    .option('--missing <mode>', 'Indicators without a value: exclude (default) | zero')
    .option('--slash-cells <mode>', "'/' cells in \"all ≥ N★\": exempt (default) | strict")
    .option('--hand-level-reading <mode>', 'levelsMet of text-graded rows: literal (default) | cumulative')
    .option('--deduction-base <mode>', '2% per security incident of: maximum (default, = 2 points) | achieved')
    .option('--list-indicators', 'Print the accepted ids and Chinese names, then exit')
    .example('cimtwin score --values values.json --targets laixi -o report.md')
    .example('cimtwin coverage … -o - | cimtwin score --values - -o report.html')
    .action(
      action(ctx, async (flags: ScoreFlags) => {
        if (flags.listIndicators) {
          process.stdout.write(listIndicators());
          return 0;
        }
        const argv = process.argv;
        const start = Math.max(0, argv.indexOf('score'));
        const tail = argv.slice(start + 1);
        const valuePaths = rawOptionValues(tail, ['--values']);
        if (valuePaths.length === 0) throw new Error('score: give at least one --values <file> (or --values - for stdin)');
        if (valuePaths.some((p) => p === null || p === '')) throw new Error('--values needs a path (or - for stdin)');
        const paths = valuePaths as string[];
        if (paths.filter((p) => p === '-').length > 1) throw new Error('--values -: stdin can be read only once');
        const outs = rawOptionValues(tail, ['-o', '--output']);
        if (outs.length > 1) throw new Error('-o/--output given more than once');
        if (outs.length === 1 && (outs[0] === null || outs[0] === '')) throw new Error('-o needs a path (or - for stdout)');
        const output = outs[0] ?? '-';
        const format = resolveFormat(flags.format, output);
        const plan = flags.targets !== undefined ? planById(String(flags.targets)) : undefined;
        if (flags.targets !== undefined && !plan) {
          throw new Error(`--targets: unknown city "${String(flags.targets)}" (known: ${CITY_PLANS.map((p) => `${p.id}/${p.nameZh}`).join(', ')})`);
        }
        const comp = await compositeOptions(flags);

        const store = new ValueStore();
        for (const p of paths) {
          const doc = await readJson(p);
          const label = p === '-' ? '<stdin>' : p;
          try {
            store.add(parseValuesDocument(doc, label));
          } catch (err) {
            if (err instanceof ValuesError) throw new Error(err.message);
            throw err;
          }
        }
        const report = buildReport(store, { composite: comp, ...(plan ? { plan } : {}) });
        const text = renderReport(report, format);
        if (output === '-') process.stdout.write(text);
        else {
          await writeAtomically(output, text);
          process.stderr.write(
            `cimtwin score: wrote ${output} (${format}); ${report.summary.assessed}/${report.summary.graded} indicators with values, all ≥ ${report.summary.floorStars}★, weighted ${report.summary.weightedScore.toFixed(2)}/100\n`,
          );
        }
        return 0;
      }),
    );
}
