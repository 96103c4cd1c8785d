/**
 * `cimtwin place`: propose new devices, or solve a generic covering problem.
 *
 *   cimtwin place <city> --device camera|epolice|cell5g|weather --target-star 4 | --count k
 *                 [--candidates points.geojson] [--solver greedy|exact] -o result.geojson [--csv result.csv]
 *   cimtwin place default --device camera,cell5g --target-star 4 --new-site-cost 5 -o both.geojson
 *   cimtwin place --problem problem.json [--solver greedy|exact] -o result.json
 *
 * `<city>` is a cim-twin city file, or `default` for the embedded default city. The city form writes
 * GeoJSON (new sites with what each newly covers, its marginal gain and the indicator points it adds,
 * plus the remaining blind spots) and prints a summary; `--csv` writes the proposals as a table. The
 * generic form reads sites, weighted demand points, a covering radius and k (or a target percentage)
 * and writes the selection as JSON. Outputs are written atomically; on error nothing is written.
 * The camera and 5G coverage matrices are built in a pool of `--threads` worker threads (default
 * the machine's parallelism, at most 4; `--threads 1` builds them on this thread), with progress on
 * stderr; Ctrl-C (SIGINT) cancels the build or the solve and nothing is written.
 * Exit codes: 0 done, 1 error (bad input, with the file, record and field), 3 the target could not
 * be reached with the candidates (the best effort is still written), 130 interrupted.
 */
import type { CAC } from 'cac';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { LocalFrame } from '../../../sim-core/cim/frame.ts';
import type { City } from '../../../sim-core/cim/types.ts';
import { parseJsonText } from '../../../sim-core/cim/import/json-text.ts';
import { PrismIndex } from '../../../sim-core/spatial/prism-index.ts';
import {
  buildCameraProblem,
  buildCellProblem,
  buildEpoliceProblem,
  buildWeatherProblem,
  type BuildOptions,
  type CityCoverageProblem,
  type ColumnsRunner,
} from '../../../sim-core/placement/city.ts';
import { candidatesFromGeoJSON, generateCandidates, PLACEMENT_DEVICES, type CandidateSite, type PlacementDevice } from '../../../sim-core/placement/candidates.ts';
import {
  cameraSessionCheck,
  cellSessionCheck,
  placeInCity,
  placementToCsv,
  placementToGeoJSON,
  weatherSpacingCheck,
  type CityPlacement,
  type PlacementGoal,
} from '../../../sim-core/placement/city-placement.ts';
import { greedySolver, type PlacementSolver, type PlacementProgress } from '../../../sim-core/placement/index.ts';
import { highsSolver } from '../../../sim-core/placement/highs.ts';
import { modelOfProblemFile, parseCoveringProblem, problemResultJson } from '../../../sim-core/placement/problem-json.ts';
import { checkInputFile, decodeText, DEFAULT_MAX_FILE_MB, readCityFile } from '../../io/read-input.ts';
import { writeFileAtomic } from '../../io/write-atomic.ts';
import { placementColumnsParams } from '../../../sim-core/session/jobs.ts';
import { createNodePool, type WorkerPool } from '../../../workers/node.ts';
import { action, type CliContext } from '../main.ts';

interface PlaceFlags {
  device?: string;
  targetStar?: unknown;
  targetPercent?: unknown;
  count?: unknown;
  targetSpacingKm?: unknown;
  radiusM?: unknown;
  candidates?: string;
  sources?: string;
  roadSpacing?: unknown;
  areaGrid?: unknown;
  newSiteCost?: unknown;
  deviceCost?: unknown;
  headings?: unknown;
  redundancyPenalty?: unknown;
  solver?: string;
  timeLimit?: unknown;
  problem?: string;
  output?: string;
  csv?: string;
  blindSpots?: boolean;
  clipBlindSpots?: boolean;
  scale?: unknown;
  quiet?: boolean;
  maxFileMb?: unknown;
  threads?: unknown;
}

/** Default `--threads`: the machine's parallelism, at most 4 (the matrix build gains little beyond). */
export const DEFAULT_PLACE_THREADS = Math.max(1, Math.min(4, availableParallelism()));

/** Exit code of a run cancelled by SIGINT (128 + 2, the shell convention). */
const EXIT_INTERRUPTED = 130;

/** A column runner on a worker pool: the matrix of the params, built by ranges in the workers. */
async function poolRunner(pool: WorkerPool, city: City, signal: AbortSignal, onProgress: ((p: PlacementProgress) => void) | undefined): Promise<ColumnsRunner> {
  const key = await pool.loadCity(city);
  return (columns, total) =>
    pool.run('placement-columns', key, placementColumnsParams(columns, total), {
      signal,
      onProgress: onProgress && ((p) => onProgress({ ...p, phase: `${columns.device === 'camera' ? 'camera' : '5G'} coverage (${pool.size} threads)` })),
    });
}

/** A number option: absent → undefined; present → finite number within [lo, hi] or an error naming the flag. */
function numberFlag(v: unknown, flag: string, lo: number, hi: number, integer = false): number | undefined {
  if (v === undefined) return undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (!Number.isFinite(n) || n < lo || n > hi || (integer && !Number.isInteger(n))) {
    throw new Error(`${flag} must be ${integer ? 'a whole number' : 'a number'} from ${lo} to ${hi}, got ${JSON.stringify(v)}`);
  }
  return n;
}

function readJsonFile(path: string, maxFileMb: number): unknown {
  checkInputFile(path, { maxFileMb });
  const { text } = decodeText(readFileSync(path), path);
  return parseJsonText(text, path);
}

function solverOf(flags: PlaceFlags): PlacementSolver {
  const name = flags.solver ?? 'greedy';
  const timeLimitS = numberFlag(flags.timeLimit, '--time-limit', 0.1, 86_400) ?? 60;
  if (name === 'greedy') return greedySolver();
  if (name === 'exact') return highsSolver({ timeLimitS });
  throw new Error(`--solver must be greedy or exact, got '${name}'`);
}

function progressPrinter(quiet: boolean | undefined): ((p: PlacementProgress) => void) | undefined {
  if (quiet) return undefined;
  let last = 0;
  return (p) => {
    const now = Date.now();
    if (p.done < p.total && now - last < 1000) return;
    last = now;
    process.stderr.write(`  ${p.phase}: ${p.done}/${p.total}\n`);
  };
}

async function loadCity(arg: string, flags: PlaceFlags, maxFileMb: number): Promise<City> {
  if (arg !== 'default') return readCityFile(arg, { maxFileMb });
  const scale = numberFlag(flags.scale, '--scale', 0.05, 4) ?? 1;
  let mod: { generateDefaultCity?: (o: { scale?: number }) => City };
  try {
    mod = (await import('../../../sim-core/cim/demo/index.ts')) as typeof mod;
  } catch (e) {
    throw new Error(`the default city generator (sim-core/cim/demo) is not available in this build: ${(e as Error).message}`);
  }
  if (typeof mod.generateDefaultCity !== 'function') throw new Error('sim-core/cim/demo does not export generateDefaultCity');
  return mod.generateDefaultCity({ scale });
}

function goalOf(flags: PlaceFlags, devices: PlacementDevice[]): PlacementGoal {
  const star = numberFlag(flags.targetStar, '--target-star', 1, 5, true);
  const percent = numberFlag(flags.targetPercent, '--target-percent', 0.001, 100);
  const count = numberFlag(flags.count, '--count', 0, 1_000_000, true);
  const spacing = numberFlag(flags.targetSpacingKm, '--target-spacing-km', 0.01, 1000);
  const given = [star, percent, count, spacing].filter((v) => v !== undefined).length;
  if (given !== 1) throw new Error('give exactly one goal: --target-star n, --target-percent p, --count k (or --target-spacing-km for weather)');
  if (star !== undefined) return { targetStar: star };
  if (percent !== undefined) return { targetPercent: percent };
  if (count !== undefined) return { count };
  if (!(devices.length === 1 && devices[0] === 'weather')) throw new Error('--target-spacing-km is for --device weather alone');
  return { targetPercent: 100 };
}

function fmt(v: number | null | undefined, digits = 1): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(digits);
}

/** Pads or cuts to `n` terminal columns (CJK characters take two). */
function cut(s: string, n: number): string {
  let w = 0, out = '';
  for (const ch of s) {
    const cw = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
    if (w + cw > n) break;
    out += ch;
    w += cw;
  }
  return out + ' '.repeat(n - w);
}

function summary(city: City, pl: CityPlacement, checks: string[]): string {
  const r = pl.result;
  const out: string[] = [];
  out.push(`${city.meta.name}: ${r.newSites.length} new device${r.newSites.length === 1 ? '' : 's'} (${r.solver}, ${r.status}${r.feasible ? '' : ', TARGET NOT REACHED'}), cost ${fmt(r.cost, 2)}, ${r.timeMs} ms solve`);
  if (r.optimalityGap !== null) out.push(`  optimality gap ≤ ${(100 * r.optimalityGap).toFixed(2)}% (bound ${fmt(r.bound, 3)}, objective ${fmt(r.objective, 3)})`);
  for (const i of pl.indicators) {
    const t = i.target ? `; target ${i.target.unitsNeeded} of ${i.denominator} ${i.unitName}${i.target.star ? ` (★${i.target.star.star}: ${i.target.star.op} ${i.target.star.thresholdPercent}%)` : ''} ${i.target.reached ? 'reached' : 'NOT reached'}` : '';
    out.push(`  ${i.measure}: ${fmt(i.valueBefore, 2)}% → ${fmt(i.valueAfter, 2)}% (${i.coveredBefore} → ${i.coveredAfter} of ${i.denominator} ${i.unitName})${t}`);
    const also = i.target?.star?.alsoRequired ?? [];
    for (const a of also) out.push(`    ★${i.target!.star!.star} also needs ${a.measure} ${a.op} ${a.value}: not addressed by placement`);
  }
  out.push(...checks.map((c) => `  check: ${c}`));
  const top = pl.proposed.slice(0, 10);
  if (top.length) out.push('  rank  device   site                              heading  completes ✓ / advances (samples) +points');
  for (const d of top) {
    const done = d.newlyCoveredUnits.map((u) => `✓${u.name ?? u.id}`).join(', ');
    const adv = d.advancedUnits[0] ? `${d.advancedUnits[0].name ?? d.advancedUnits[0].id} +${d.advancedUnits[0].samples}` : `${d.newlyCoveredPoints} points`;
    out.push(`  ${String(d.rank).padStart(4)}  ${d.device.padEnd(7)}  ${d.siteId.slice(0, 32).padEnd(32)}  ${d.headingDeg === null ? '   —   ' : `${d.headingDeg.toFixed(0).padStart(5)}° `}  ${cut(done || adv, 30)} ${fmt(d.indicatorPointsAdded, 2)}`);
  }
  if (pl.proposed.length > top.length) out.push(`  … ${pl.proposed.length - top.length} more in the output`);
  return `${out.join('\n')}\n`;
}

async function placeGeneric(flags: PlaceFlags, maxFileMb: number): Promise<number> {
  const file = flags.problem!;
  const problem = parseCoveringProblem(readJsonFile(file, maxFileMb), file);
  const model = modelOfProblemFile(problem);
  const result = await model.solve(solverOf(flags), { onProgress: progressPrinter(flags.quiet) });
  const text = `${JSON.stringify(problemResultJson(problem, result), null, 2)}\n`;
  if (flags.output && flags.output !== '-') {
    writeFileAtomic(flags.output, text);
    if (!flags.quiet) {
      process.stderr.write(
        `cimtwin place: ${result.newSites.length} sites (${result.solver}, ${result.status}), covered ${result.coveredPercent.toFixed(2)}% of the weight, objective ${result.objective}${result.optimalityGap !== null ? `, gap ${(100 * result.optimalityGap).toFixed(3)}%` : ''}; wrote ${flags.output}\n`,
      );
    }
  } else process.stdout.write(text);
  return result.feasible ? 0 : 3;
}

async function placeCity(cityArg: string, flags: PlaceFlags, maxFileMb: number): Promise<number> {
  const devices = (flags.device ?? 'camera').split(',').map((s) => s.trim()) as PlacementDevice[];
  for (const d of devices) if (!PLACEMENT_DEVICES.includes(d)) throw new Error(`--device must be ${PLACEMENT_DEVICES.join(', ')} (or a comma list), got '${d}'`);
  if (new Set(devices).size !== devices.length) throw new Error('--device lists a type twice');
  const goal = goalOf(flags, devices);
  const solver = solverOf(flags);
  const t0 = Date.now();
  const city = await loadCity(cityArg, flags, maxFileMb);
  const prisms = PrismIndex.fromBuildings(city.buildings);
  const sourcesFlag = flags.sources ?? 'pole,roadside,area,gantry,rooftop';
  const sources = sourcesFlag === 'none' ? [] : sourcesFlag.split(',').map((s) => s.trim());
  for (const s of sources) if (!['pole', 'roadside', 'area', 'gantry', 'rooftop'].includes(s)) throw new Error(`--sources lists pole, roadside, area, gantry, rooftop or none; got '${s}'`);
  const newSiteCost = numberFlag(flags.newSiteCost, '--new-site-cost', 0, 1e9) ?? 0;
  const candidates: CandidateSite[] = generateCandidates(city, prisms, {
    sources: sources as ('pole' | 'roadside' | 'area' | 'gantry' | 'rooftop')[],
    roadSpacingM: numberFlag(flags.roadSpacing, '--road-spacing', 1, 10_000),
    areaGridM: numberFlag(flags.areaGrid, '--area-grid', 1, 10_000),
    newSiteCost,
  });
  if (flags.candidates) candidates.push(...candidatesFromGeoJSON(readJsonFile(flags.candidates, maxFileMb), new LocalFrame(city.origin), flags.candidates));
  if (candidates.length === 0) throw new Error('no candidate sites: check --sources and --candidates');
  const threads = numberFlag(flags.threads, '--threads', 1, 64, true) ?? DEFAULT_PLACE_THREADS;
  const ctl = new AbortController();
  const onSigint = () => {
    if (!flags.quiet) process.stderr.write('cimtwin place: interrupted, cancelling\n');
    ctl.abort();
  };
  process.on('SIGINT', onSigint);
  // Small ranges (16 per worker): the costly columns (rooftop macros, existing sites) sit at the end of the list.
  const pool = threads > 1 && (devices.includes('camera') || devices.includes('cell5g')) ? createNodePool({ size: threads, maxActive: 1, tasksPerWorker: 16 }) : null;
  try {
    return await placeCityWith(city, prisms, candidates, devices, goal, solver, flags, t0, ctl.signal, pool);
  } catch (e) {
    if (!ctl.signal.aborted) throw e;
    process.stderr.write('cimtwin place: cancelled; nothing written\n');
    return EXIT_INTERRUPTED;
  } finally {
    process.off('SIGINT', onSigint);
    await pool?.terminate();
  }
}

async function placeCityWith(
  city: City,
  prisms: PrismIndex,
  candidates: CandidateSite[],
  devices: PlacementDevice[],
  goal: PlacementGoal,
  solver: PlacementSolver,
  flags: PlaceFlags,
  t0: number,
  signal: AbortSignal,
  pool: WorkerPool | null,
): Promise<number> {
  const onProgress = progressPrinter(flags.quiet);
  const build: BuildOptions = { prisms, onProgress, signal, columnsRunner: pool ? await poolRunner(pool, city, signal, onProgress) : undefined };
  const problems: CityCoverageProblem[] = [];
  const headings = numberFlag(flags.headings, '--headings', 1, 72, true) ?? 8;
  for (const d of devices) {
    const headingsDeg = Array.from({ length: headings }, (_, k) => (360 * k) / headings);
    if (d === 'camera') problems.push(await buildCameraProblem(city, candidates, { ...build, headingsDeg }));
    else if (d === 'epolice') problems.push(await buildEpoliceProblem(city, candidates, { ...build, headingsDeg }));
    else if (d === 'cell5g') problems.push(await buildCellProblem(city, candidates, build));
    else {
      const spacing = numberFlag(flags.targetSpacingKm, '--target-spacing-km', 0.01, 1000);
      const radiusM = numberFlag(flags.radiusM, '--radius-m', 1, 1e6) ?? (spacing !== undefined ? (spacing * 1000) / Math.SQRT2 : undefined);
      if (radiusM === undefined) throw new Error('--device weather needs --target-spacing-km (the covering radius is spacing / √2) or --radius-m');
      problems.push(await buildWeatherProblem(city, candidates, { ...build, radiusM }));
    }
  }
  const tBuild = Date.now();
  const placement = await placeInCity(city, problems, {
    goal,
    solver,
    redundancyPenalty: numberFlag(flags.redundancyPenalty, '--redundancy-penalty', 0, 1e9),
    deviceCost: numberFlag(flags.deviceCost, '--device-cost', 0, 1e9),
    onProgress: progressPrinter(flags.quiet),
    signal,
  });
  const checks: string[] = [];
  if (devices.includes('camera') || devices.includes('epolice')) {
    const c = cameraSessionCheck(city, placement, prisms);
    if (devices.includes('camera')) checks.push(`coverage session with the new cameras: video_hd_coverage ${fmt(c.videoHdCoverage, 2)}%, video_camera_health ${fmt(c.cameraHealth, 2)}%`);
    if (devices.includes('epolice')) checks.push(`coverage session with the new e-police cameras: epolice_coverage ${fmt(c.epoliceCoverage, 2)}%`);
  }
  if (devices.includes('cell5g')) {
    const c = cellSessionCheck(city, placement, prisms);
    checks.push(`5G key-area session with the new cells: ${c.covered}/${c.total} areas, nr5g_key_area_coverage ${fmt(c.value, 2)}%`);
  }
  if (devices.includes('weather')) {
    const w = weatherSpacingCheck(city, placement);
    if (w) checks.push(`weather spacing (城区): mean √(A/N) ${fmt(w.before.meanSpacingKm, 2)} → ${fmt(w.after.meanSpacingKm, 2)} km, covering radius ${fmt(w.before.coveringRadius.km, 2)} → ${fmt(w.after.coveringRadius.km, 2)} km`);
  }
  const sizes = problems.map((p) => `${p.device}: ${p.stats.candidates} candidates → ${p.stats.columns} columns (${p.stats.existing} existing), ${p.stats.demandPoints} points → ${p.stats.rows} rows, ${p.stats.nonzeros} nonzeros, ${p.stats.buildMs} ms`);
  if (!flags.quiet) process.stderr.write(`${sizes.map((s) => `  ${s}`).join('\n')}\n  total ${((Date.now() - t0) / 1000).toFixed(1)} s (matrix ${((tBuild - t0) / 1000).toFixed(1)} s incl. city)\n`);
  if (flags.output && flags.output !== '-') {
    const gj = placementToGeoJSON(city, placement, prisms, { blindSpots: flags.blindSpots !== false, clipBlindSpots: flags.clipBlindSpots });
    writeFileAtomic(flags.output, `${JSON.stringify(gj)}\n`);
  } else if (flags.output === '-') process.stdout.write(`${JSON.stringify(placementToGeoJSON(city, placement, prisms, { blindSpots: flags.blindSpots !== false, clipBlindSpots: flags.clipBlindSpots }))}\n`);
  if (flags.csv) writeFileAtomic(flags.csv, placementToCsv(placement));
  if (flags.output !== '-') process.stdout.write(summary(city, placement, checks));
  return placement.result.feasible ? 0 : 3;
}

export function register(cli: CAC, ctx: CliContext): void {
  cli
    .command('place [city]', 'Propose new cameras / 5G cells / weather stations (fewest for a target star, or the best k), or solve a generic covering problem (--problem)')
    .option('--device <types>', 'camera | epolice | cell5g | weather, or a comma list on shared poles (default camera)')
    .option('--target-star <n>', 'Fewest new devices to reach ★n of the indicator (DB37/T 3890 thresholds)')
    .option('--target-percent <p>', 'Fewest new devices to reach p % of the counted areas, intersections or grid cells')
    .option('--count <k>', 'Most areas covered with k new devices')
    .option('--target-spacing-km <km>', 'Weather: fewest stations for this spacing (covering radius = spacing / √2)')
    .option('--radius-m <m>', 'Weather: covering radius of one station (with --count or --target-percent)')
    .option('--candidates <geojson>', 'Extra candidate points (GeoJSON Points; properties id, hosts, heightM, cost)')
    .option('--sources <list>', 'City candidate sources: pole,roadside,area,gantry,rooftop (default all) or none')
    .option('--road-spacing <m>', 'Spacing of road-side candidates (default 50)')
    .option('--area-grid <m>', 'Spacing of in-area candidates (default 15)')
    .option('--new-site-cost <c>', 'Cost of a new pole or mast, paid once per site (default 0: fewest devices)')
    .option('--device-cost <c>', 'Cost of each new device (default 1)')
    .option('--headings <n>', 'Camera headings tried per mount (default 8, every 45°)')
    .option('--redundancy-penalty <λ>', 'Penalty for covering ground twice, in areas per area covered twice (default 0)')
    .option('--solver <name>', 'greedy (lazy greedy + swap, default) | exact (HiGHS MILP)')
    .option('--time-limit <s>', 'Exact solver time limit, seconds (default 60; the gap is reported)')
    .option('--problem <file>', 'Generic covering problem JSON: sites {id,x,y}, demand {id,x,y,weight}, radiusM, k, locked')
    .option('-o, --output <file>', 'GeoJSON (city) or JSON (--problem) output; - for stdout')
    .option('--csv <file>', 'Also write the proposals as CSV')
    .option('--no-blind-spots', 'Leave the remaining blind spots out of the GeoJSON')
    .option('--clip-blind-spots', 'Clip blind spots to the area outlines and buildings (polyclip; slower)')
    .option('--scale <f>', "Scale of the 'default' city (default 1)")
    .option('--threads <n>', `Worker threads building the camera and 5G matrices (default ${DEFAULT_PLACE_THREADS}: this machine's parallelism, at most 4; 1 = this thread)`)
    .option('--quiet', 'No progress or summary on stderr')
    .option('--max-file-mb <mb>', 'Refuse input files larger than this', { default: DEFAULT_MAX_FILE_MB })
    .example('cimtwin place default --device camera --target-star 4 -o cameras.geojson --csv cameras.csv')
    .example('cimtwin place city.json --device cell5g --count 5 --solver exact -o cells.geojson')
    .example('cimtwin place --problem problem.json --solver exact -o result.json')
    .action(
      action(ctx, async (cityArg: string | undefined, flags: PlaceFlags) => {
        const maxFileMb = Number(flags.maxFileMb);
        if (flags.problem !== undefined) {
          if (cityArg) throw new Error('give either a city or --problem, not both');
          if (typeof flags.problem !== 'string' || flags.problem === '') throw new Error('--problem needs a file path');
          return placeGeneric(flags, maxFileMb);
        }
        if (!cityArg) throw new Error("place: give a city file (or 'default'), or --problem <file>; see cimtwin place --help");
        return placeCity(cityArg, flags, maxFileMb);
      }),
    );
}
