/**
 * `cimtwin greenwave`: green-wave offsets for an arterial, written as a SUMO additional file
 * (`<tlLogic id programID offset/>`) plus a JSON report beside it (offsets, bands, efficiency,
 * time-space data, and with `--evaluate` the traffic model's stops and delay for the uncoordinated,
 * numerical and MAXBAND plans side by side).
 *
 *   cimtwin greenwave --sumo-net net.xml --route J1,J2,J3 [--speed-kmh 50] [--cycle-s 90] [--method maxband] -o offsets.add.xml
 *   cimtwin greenwave --city city.json --nodes n1,n9 -o offsets.add.xml
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { CAC } from 'cac';
import { CimError } from '../../../sim-core/cim/errors.ts';
import { applyWebsterTiming, assemblePlan, uncoordinatedPlan, planOffsets, type Arterial, type GreenWavePlan } from '../../../sim-core/signal/arterial.ts';
import { arterialFromCity } from '../../../sim-core/signal/corridor-city.ts';
import { solveMaxband } from '../../../sim-core/signal/maxband.ts';
import { solveNumerical } from '../../../sim-core/signal/numerical.ts';
import { solveOneWay, solveSplitWave } from '../../../sim-core/signal/oneway.ts';
import { arterialFromSumo, loadPrograms, parseSumoNet, parseTlLogicFile, retimeProgram, sumoOffsetsAdditional, type SumoCorridor, type SumoCorridorOptions, type SumoNet } from '../../../sim-core/signal/sumo.ts';
import { chooseJudged, distinctOffsetPlans, isThroughRoute, linkTraversalsS, measuredProgressionSpeedsMps, poolJudged, raceShortlist, SPEED_FACTORS, type JudgedCandidate, type JudgedChoice } from '../../../sim-core/signal/judge.ts';
import { optimiseTiming, scaleDesignSpeed, type TimingCandidate } from '../../../sim-core/signal/timing.ts';
import { rankPlansByTraffic, simulateCorridor, SUMO_LIKE_DRIVER, type TrafficDemand, type TrafficResult } from '../../../sim-core/signal/traffic.ts';
import { checkInputFile, decodeText, readCityFile } from '../../io/read-input.ts';
import { writeFileAtomic } from '../../io/write-atomic.ts';
import { action, type CliContext } from '../main.ts';

const METHODS = ['maxband', 'numerical', 'oneway', 'best'] as const;
type Method = (typeof METHODS)[number];

export interface GreenwaveOptions {
  sumoNet?: string;
  route?: string;
  city?: string;
  nodes?: string;
  tllogic?: string;
  speedKmh?: number;
  speedFactor?: number;
  speedBand?: string;
  speedMode?: string;
  cycleS?: number;
  webster?: string;
  method?: string;
  inboundWeight?: number;
  direction?: string;
  queueClearanceS?: number;
  evaluate?: boolean;
  demandVehH?: number;
  inboundDemandVehH?: number;
  turnInVehH?: number;
  seed?: number;
  optimiseTiming?: boolean;
  cycleRange?: string;
  crossVehH?: number;
  minCrossGreenS?: number;
  keepSplit?: boolean;
  arterialLanes?: number;
  sumo?: boolean;
  sumoRoutes?: string;
  sumoSeed?: number;
  sumoRuns?: number;
  sumoRaceRuns?: number;
  sumoEndS?: number;
  sumoCache?: string;
  sumoTop?: number;
  output?: string;
  quiet?: boolean;
}

/** One candidate plan with what is needed to write it for SUMO. */
interface Candidate {
  label: string;
  plan: GreenWavePlan;
  arterial: Arterial;
  corridor: Pick<SumoCorridor, 'programs' | 'programChanged'> | null;
  timing?: TimingCandidate;
  /** An offsets-only plan at the arterial's starting timing (the arterial guard's reference set). */
  start?: boolean;
}

/**
 * Judges candidate plans in SUMO itself: one short run per candidate on the user's routes (`--sumo-routes`),
 * seed `--sumo-seed`, scored over every vehicle of the run (tripinfo): mean time loss + 20 s × stops; and,
 * for the arterial guard, the same over the through traffic (vehicles whose route, from SUMO's vehroute
 * output, drives every link of the corridor in one direction). SUMO must be installed (`sumo` on the PATH).
 */
function judgeInSumo(netPath: string, routesPath: string, candidates: Candidate[], seeds: readonly number[], endS: number | undefined, linkEdges: SumoCorridor['linkEdges'], cacheDir?: string): Promise<JudgedCandidate[]> {
  const probe = spawnSync('sumo', ['--version'], { encoding: 'utf8' });
  if (probe.status !== 0) throw new CimError('--sumo needs SUMO (`sumo` on the PATH; see scripts/install-sumo.sh)', { field: '--sumo' });
  // --sumo-cache: a run's result is kept under the hash of everything it depends on (SUMO's version, the
  // net, the routes, the candidate's additional file, the seed, the run length, the corridor's edges).
  const inputsHash = cacheDir ? createHash('sha256').update(probe.stdout.split('\n')[0]).update(readFileSync(netPath)).update(readFileSync(routesPath)).update(JSON.stringify([endS ?? null, linkEdges])).digest('hex') : '';
  return withTempDir(async (dir) => {
    // One SUMO process per core: the runs (candidate × seed) are independent and each is single-threaded.
    const jobs = candidates.flatMap((c, k) => seeds.map((seed, s) => ({ c, k, seed, name: `c${k}s${s}`, additional: sumoOffsetsAdditional(c.plan, c.corridor!) })));
    const cachePath = (j: (typeof jobs)[number]) => join(cacheDir!, `${createHash('sha256').update(inputsHash).update(j.additional).update(String(j.seed)).digest('hex').slice(0, 40)}.json`);
    const run = async (j: (typeof jobs)[number]): Promise<JudgedCandidate> => {
      if (!cacheDir) return judgeOne(dir, j.name, netPath, routesPath, j.c, j.additional, j.seed, endS, linkEdges);
      const path = cachePath(j);
      if (existsSync(path)) return { ...(JSON.parse(readFileSync(path, 'utf8')) as JudgedCandidate), label: j.c.label, start: j.c.start === true };
      const r = await judgeOne(dir, j.name, netPath, routesPath, j.c, j.additional, j.seed, endS, linkEdges);
      mkdirSync(cacheDir, { recursive: true });
      writeFileAtomic(path, JSON.stringify(r));
      return r;
    };
    const out: JudgedCandidate[] = new Array(jobs.length);
    let next = 0;
    let failed = false;
    // After the first failed run no worker takes another job; the runs still going end before the
    // temporary directory is removed (allSettled), and the first error is the one reported.
    const worker = async () => {
      for (let j = next++; j < jobs.length && !failed; j = next++) {
        try {
          out[j] = await run(jobs[j]);
        } catch (e) {
          failed = true;
          throw e;
        }
      }
    };
    const settled = await Promise.allSettled(Array.from({ length: Math.min(availableParallelism(), jobs.length) }, worker));
    const error = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (error) throw error.reason;
    return candidates.map((_, k) => meanJudged(out.slice(k * seeds.length, (k + 1) * seeds.length)));
  });
}

/** The mean of one candidate's judging runs (one per seed). */
function meanJudged(runs: JudgedCandidate[]): JudgedCandidate {
  if (runs.length === 1) return runs[0];
  const m = (f: (j: JudgedCandidate) => number) => runs.reduce((a, j) => a + f(j), 0) / runs.length;
  return { ...runs[0], scoreS: m((j) => j.scoreS), stops: m((j) => j.stops), timeLossS: m((j) => j.timeLossS), vehicles: m((j) => j.vehicles), thruStops: m((j) => j.thruStops), thruTimeLossS: m((j) => j.thruTimeLossS), thruVehicles: Math.min(...runs.map((j) => j.thruVehicles)), linkTraversalsS: runs[0].linkTraversalsS?.map((_, i) => runs.flatMap((j) => j.linkTraversalsS?.[i] ?? [])) };
}

async function withTempDir<T>(f: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'cimtwin-gw-'));
  try {
    return await f(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One judging run of one candidate: SUMO's tripinfo and vehroute outputs read into a {@link JudgedCandidate}. */
async function judgeOne(dir: string, name: string, netPath: string, routesPath: string, c: Candidate, additional: string, seed: number, endS: number | undefined, linkEdges: SumoCorridor['linkEdges']): Promise<JudgedCandidate> {
  const add = join(dir, `${name}.add.xml`);
  writeFileSync(add, additional);
  const trip = join(dir, `${name}.trip.xml`);
  const vehroute = join(dir, `${name}.vehroute.xml`);
  const r = await new Promise<{ status: number | null; text: string }>((done, fail) => {
    // Without --end SUMO runs until the last vehicle of the routes has arrived.
    const end = endS === undefined ? [] : ['--end', String(endS)];
    const p = spawn('sumo', ['-W', '-n', resolve(netPath), '-r', resolve(routesPath), '-a', add, '--begin', '0', ...end, '--seed', String(seed), '--no-step-log', '--tripinfo-output', trip, '--vehroute-output', vehroute, '--vehroute-output.exit-times'], {
      env: { SUMO_HOME: '/usr/share/sumo', ...process.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    const keep = (b: Buffer) => {
      if (text.length < 4096) text += b.toString('utf8');
    };
    p.stdout.on('data', keep);
    p.stderr.on('data', keep);
    p.on('error', fail);
    p.on('close', (status) => done({ status, text }));
  });
  if (r.status !== 0) throw new CimError(`SUMO failed on candidate ${c.label}: ${r.text.trim().slice(0, 500)}`, { file: netPath, field: '--sumo' });
  // Through vehicles: their route (vehroute output, the last <route> of each vehicle) drives the whole corridor.
  // Their stop-line-to-stop-line times per link (exit times) measure the speed the platoons really drive.
  const through = new Set<string>();
  const linkTraversals: number[][] = linkEdges.map(() => []);
  for (const m of readFileSync(vehroute, 'utf8').matchAll(/<vehicle\s[^>]*?id="([^"]+)"[^>]*>([\s\S]*?)<\/vehicle>/g)) {
    const routes = [...m[2].matchAll(/<route\s([^>]*?)\/?>/g)];
    const last = routes.length ? routes[routes.length - 1][1] : '';
    const edges = (/\bedges="([^"]*)"/.exec(last)?.[1] ?? '').trim().split(/\s+/);
    if (!isThroughRoute(edges, linkEdges)) continue;
    through.add(m[1]);
    const exits = /\bexitTimes="([^"]*)"/.exec(last)?.[1].trim().split(/\s+/).map(Number) ?? [];
    linkTraversalsS(edges, exits, linkEdges).forEach((t, i) => {
      if (Number.isFinite(t)) linkTraversals[i].push(t);
    });
  }
  let n = 0, loss = 0, stops = 0, tn = 0, tloss = 0, tstops = 0;
  for (const m of readFileSync(trip, 'utf8').matchAll(/<tripinfo\s([^>]*?)\/?>/g)) {
    const id = /\bid="([^"]+)"/.exec(m[1]), tl = /timeLoss="([\d.eE+-]+)"/.exec(m[1]), wc = /waitingCount="(\d+)"/.exec(m[1]);
    if (!id || !tl || !wc) continue;
    n++;
    loss += Number(tl[1]);
    stops += Number(wc[1]);
    if (through.has(id[1])) {
      tn++;
      tloss += Number(tl[1]);
      tstops += Number(wc[1]);
    }
  }
  if (n === 0) throw new CimError(`SUMO finished no trip${endS === undefined ? '' : ` in ${endS} s`} with candidate ${c.label}`, { file: routesPath, field: '--sumo-routes' });
  return {
    label: c.label,
    scoreS: (loss + 20 * stops) / n,
    stops: stops / n,
    timeLossS: loss / n,
    vehicles: n,
    thruStops: tn ? tstops / tn : 0,
    thruTimeLossS: tn ? tloss / tn : 0,
    thruVehicles: tn,
    linkTraversalsS: linkTraversals,
    start: c.start === true,
  };
}

/**
 * The report's account of a SUMO-judged choice: the ranking, the guard's reference and whom it excluded.
 * `finalists` are the candidates the choice was made among (after the race: their runs on every seed
 * pooled), `dropped` those left after the first round (their first-round means).
 */
function sumoReportOf(finalists: JudgedCandidate[], dropped: JudgedCandidate[], choice: JudgedChoice, seeds: readonly number[], raceSeeds: readonly number[], endS: number | undefined): Record<string, unknown> {
  const seedText = (xs: readonly number[]) => (xs.length === 1 ? `seed ${xs[0]}` : `seeds ${xs.join(', ')}`);
  const strip = ({ linkTraversalsS: _t, ...j }: JudgedCandidate) => j;
  return {
    judgedBy: `SUMO, ${endS === undefined ? "runs over the routes' whole period" : `${endS}-s runs`}, every candidate on ${seedText(seeds)}${raceSeeds.length ? `, the ${finalists.length} closest again on ${seedText(raceSeeds)} (the choice on the mean of all their runs)` : ' (mean)'}; every vehicle: time loss + 20 s × stops; arterial guard: no candidate with more through stops or through time loss than the starting timing's best offsets-only candidate`,
    chosen: finalists[choice.index].label,
    guard: choice.guardOff
      ? { applied: false, why: choice.guardOff }
      : { applied: true, reference: finalists[choice.referenceIndex].label, referenceThruStops: finalists[choice.referenceIndex].thruStops, referenceThruTimeLossS: finalists[choice.referenceIndex].thruTimeLossS, excluded: choice.excluded.map((i) => finalists[i].label) },
    ranking: [
      ...finalists.map((j, i) => ({ ...strip(j), runs: seeds.length + raceSeeds.length, excludedByGuard: choice.excluded.includes(i) })).sort((a, b) => a.scoreS - b.scoreS),
      ...dropped.map((j) => ({ ...strip(j), runs: seeds.length, droppedAfterFirstRound: true })).sort((a, b) => a.scoreS - b.scoreS),
    ],
  };
}

function readText(path: string): string {
  checkInputFile(path);
  return decodeText(readFileSync(path), path).text;
}

function list(value: string | undefined, flag: string): string[] {
  if (value === undefined || value === '') throw new CimError(`${flag} is required`, { field: flag });
  const parts = String(value).split(',').map((s) => s.trim()).filter(Boolean);
  if (parts.length < 2) throw new CimError(`${flag} needs at least two comma-separated ids, got '${value}'`, { field: flag });
  return parts;
}

function optNumber(v: unknown, flag: string, check: (x: number) => boolean, what: string): number | undefined {
  if (v === undefined) return undefined;
  const x = Number(v);
  if (!Number.isFinite(x) || !check(x)) throw new CimError(`${flag} must be ${what}, got '${String(v)}'`, { field: flag });
  return x;
}

/** The report path beside the additional file: `offsets.add.xml` → `offsets.report.json`. */
export function reportPathFor(output: string): string {
  return output.replace(/(\.add)?\.xml$/i, '') + '.report.json';
}

/** Runs the verb; returns what it wrote (for tests and the bench). */
export async function runGreenwave(o: GreenwaveOptions): Promise<{ additionalPath: string; reportPath: string; plan: GreenWavePlan; report: Record<string, unknown> }> {
  if (!o.output) throw new CimError('-o <offsets.add.xml> is required', { field: '-o' });
  if (!!o.sumoNet === !!o.city) throw new CimError('give either --sumo-net <net.xml> with --route, or --city <city.json> with --nodes', { field: '--sumo-net' });
  const method = (o.method ?? 'maxband') as Method;
  if (!METHODS.includes(method)) throw new CimError(`--method must be one of ${METHODS.join(', ')}, got '${o.method}'`, { field: '--method' });
  const speedMps = optNumber(o.speedKmh, '--speed-kmh', (x) => x > 0 && x <= 250, 'a speed in km/h (0–250)');
  const speedFactor = optNumber(o.speedFactor, '--speed-factor', (x) => x > 0 && x <= 1.5, 'a factor in (0, 1.5]');
  const cycleS = optNumber(o.cycleS, '--cycle-s', (x) => x >= 10 && x <= 600, 'a cycle of 10–600 s');
  const queueClearanceS = optNumber(o.queueClearanceS, '--queue-clearance-s', (x) => x >= 0 && x < 120, 'a time of 0–120 s');
  const inboundWeight = optNumber(o.inboundWeight, '--inbound-weight', (x) => x >= 0 && x <= 100, 'a weight ≥ 0');
  let speedBand: [number, number] | undefined;
  if (o.speedBand !== undefined) {
    const p = String(o.speedBand).split(',').map(Number);
    if (p.length !== 2 || !(p[0] > 0 && p[0] <= 1 && p[1] >= 1 && p[1] < 3)) throw new CimError(`--speed-band must be 'lo,hi' factors with lo ≤ 1 ≤ hi, got '${o.speedBand}'`, { field: '--speed-band' });
    speedBand = [p[0], p[1]];
  }
  const speedMode = (o.speedMode ?? 'fixed') as 'fixed' | 'uniform' | 'band';
  if (!['fixed', 'uniform', 'band'].includes(speedMode)) throw new CimError(`--speed-mode must be fixed, uniform or band, got '${o.speedMode}'`, { field: '--speed-mode' });
  const direction = o.direction ?? 'outbound';
  if (direction !== 'outbound' && direction !== 'inbound') throw new CimError(`--direction must be outbound or inbound, got '${direction}'`, { field: '--direction' });

  let arterial: Arterial;
  let corridor: SumoCorridor | null = null;
  let sumoNet: SumoNet | null = null;
  let sumoOpts: SumoCorridorOptions | null = null;
  const warnings: string[] = [];
  let source: Record<string, unknown>;
  if (o.sumoNet) {
    const route = list(o.route, '--route');
    let net = parseSumoNet(readText(o.sumoNet), o.sumoNet);
    let imported = new Set<string>();
    if (o.tllogic) {
      const programs = parseTlLogicFile(readText(o.tllogic), o.tllogic);
      net = loadPrograms(net, programs, o.tllogic);
      imported = new Set(programs.map((p) => p.id));
    }
    sumoOpts = { route, speedMps: speedMps === undefined ? undefined : speedMps / 3.6, speedFactor, speedBand, cycleS, queueClearanceS };
    const c = arterialFromSumo(net, sumoOpts);
    sumoNet = net;
    // Imported programs are written in full, so that the output works without the tlLogic file.
    c.programChanged = c.programChanged.map((changed, i) => changed || imported.has(c.arterial.signals[i].id));
    arterial = c.arterial;
    corridor = c;
    warnings.push(...c.warnings);
    source = { sumoNet: o.sumoNet, route, tllogic: o.tllogic ?? null };
  } else {
    const nodeIds = list(o.nodes, '--nodes');
    const city = readCityFile(o.city!);
    const c = arterialFromCity(city, { nodeIds, speedMps: speedMps === undefined ? undefined : speedMps / 3.6, speedFactor, speedBand, cycleS, queueClearanceS });
    arterial = c.arterial;
    source = { city: o.city, nodes: nodeIds, pathNodeIds: c.pathNodeIds, pathLinkIds: c.pathLinkIds };
  }
  if (o.webster !== undefined) {
    // --webster out,in,cross veh/h per lane for every signal: Webster cycle and splits.
    const f = String(o.webster).split(',').map(Number);
    if (f.length !== 3 || f.some((x) => !(x >= 0))) throw new CimError(`--webster must be 'outbound,inbound,cross' flows in veh/h per lane, got '${o.webster}'`, { field: '--webster' });
    if (corridor) throw new CimError('--webster rewrites the splits; it works with --city corridors (for SUMO nets use tlsCycleAdaptation.py and --tllogic)', { field: '--webster' });
    arterial = applyWebsterTiming(arterial, arterial.signals.map(() => ({ outboundVehPerH: f[0], inboundVehPerH: f[1], crossVehPerH: f[2] })));
  }

  const demand: TrafficDemand = {
    outboundVehPerH: optNumber(o.demandVehH ?? 500, '--demand-veh-h', (x) => x >= 0 && x <= 3000, 'a flow of 0–3000 veh/h per lane')!,
    inboundVehPerH: optNumber(o.inboundDemandVehH ?? o.demandVehH ?? 500, '--inbound-demand-veh-h', (x) => x >= 0 && x <= 3000, 'a flow of 0–3000 veh/h per lane')!,
    turnInVehPerH: optNumber(o.turnInVehH ?? 0, '--turn-in-veh-h', (x) => x >= 0 && x <= 1000, 'a flow of 0–1000 veh/h')!,
    seed: optNumber(o.seed ?? 1, '--seed', Number.isInteger, 'an integer')!,
  };
  const solve = async (m: Method): Promise<GreenWavePlan> => {
    if (m === 'maxband') return solveMaxband(arterial, { inboundWeight, speedMode });
    if (m === 'numerical') return solveNumerical(arterial);
    if (m === 'oneway') return solveOneWay(arterial, { direction });
    // best: the candidates of every method, judged in the traffic model with the given demand.
    const candidates = [await solve('maxband'), await solve('numerical'), solveOneWay(arterial, { direction: 'outbound' }), solveOneWay(arterial, { direction: 'inbound' })];
    const ranked = rankPlansByTraffic(arterial, candidates, demand);
    const best = ranked[0].plan;
    best.details = {
      ...best.details,
      chosenBy: `traffic model, PI = time loss + 20 s × stops, demand ${demand.outboundVehPerH}/${demand.inboundVehPerH} veh/h per lane, turn-ins ${demand.turnInVehPerH} veh/h`,
      ranking: ranked.map((r) => ({ method: r.plan.method, direction: r.plan.details.direction, performanceIndexS: r.performanceIndexS, stopsPerVehicle: r.result.all.stopsPerVehicle, timeLossS: r.result.all.timeLossS })),
    };
    return best;
  };
  let plan: GreenWavePlan;
  let written: Pick<SumoCorridor, 'programs' | 'programChanged'> | null = corridor;
  let timingReport: Record<string, unknown> | null = null;
  let sumoReport: Record<string, unknown> | null = null;
  if (o.sumo && (!o.sumoRoutes || !o.sumoNet)) throw new CimError('--sumo judges the candidates in SUMO: it needs --sumo-net and --sumo-routes <routes.rou.xml>', { field: '--sumo-routes' });
  if (o.sumoRoutes) checkInputFile(o.sumoRoutes);
  const sumoSeed = optNumber(o.sumoSeed ?? 101, '--sumo-seed', Number.isInteger, 'an integer')!;
  // --sumo-runs n: each candidate judged on seeds sumoSeed … sumoSeed + n − 1, the results averaged.
  const sumoRuns = optNumber(o.sumoRuns ?? 1, '--sumo-runs', (x) => Number.isInteger(x) && x >= 1 && x <= 10, 'an integer 1–10')!;
  const sumoSeeds = Array.from({ length: sumoRuns }, (_, i) => sumoSeed + i);
  // --sumo-race-runs n: the closest candidates after the first round judged again on n more seeds.
  const sumoRaceRuns = optNumber(o.sumoRaceRuns ?? 4, '--sumo-race-runs', (x) => Number.isInteger(x) && x >= 0 && x <= 10, 'an integer 0–10')!;
  const raceSeeds = Array.from({ length: sumoRaceRuns }, (_, i) => sumoSeed + sumoRuns + i);
  // Judging runs last until the routes' last vehicle has arrived unless --sumo-end-s cuts them short: a
  // plan judged on the first half hour of an hour's demand is judged on the lighter, filling network.
  const sumoEndS = optNumber(o.sumoEndS, '--sumo-end-s', (x) => x >= 300 && x <= 86400, 'a time of 300–86400 s');
  const sumoCache = o.sumoCache === undefined ? undefined : resolve(String(o.sumoCache));
  const sumoTop = optNumber(o.sumoTop ?? 3, '--sumo-top', (x) => Number.isInteger(x) && x >= 1 && x <= 20, 'an integer 1–20')!;
  // The offsets-only candidates at the arterial's own timing.
  // With --sumo there are more of them (SUMO is the judge): the split waves too, and MAXBAND and both split
  // waves at each progression speed of SPEED_FACTORS × the design speed; plans with the same offsets (up to a
  // common shift) are judged once.
  const offsetCandidates = async (a: Arterial): Promise<GreenWavePlan[]> => {
    if (method !== 'best') return [await solve(method)];
    const list = [await solveMaxband(a, { inboundWeight, speedMode }), solveNumerical(a), solveOneWay(a, { direction: 'outbound' }), solveOneWay(a, { direction: 'inbound' })];
    if (!o.sumo) return list;
    const at = (f: number, p: GreenWavePlan): GreenWavePlan => (f === 1 ? p : assemblePlan(a, p.method, planOffsets(p), { details: { ...p.details, designSpeedFactor: f } }));
    for (const f of SPEED_FACTORS) {
      const af = f === 1 ? a : scaleDesignSpeed(a, f);
      if (f !== 1) list.push(at(f, await solveMaxband(af, { inboundWeight, speedMode })));
      list.push(at(f, solveSplitWave(af, { kind: 'diverging' })), at(f, solveSplitWave(af, { kind: 'converging' })));
    }
    return distinctOffsetPlans(list.map(planOffsets), a.cycleS).map((i) => list[i]);
  };
  const labelOf = (p: GreenWavePlan) => `${p.method}${p.method === 'oneway' ? ` ${String(p.details.direction)}` : ''}${p.details.designSpeedFactor ? ` ×${String(p.details.designSpeedFactor)} speed` : ''}${p.details.measuredSpeedsMps ? ' at measured speeds' : ''}`;
  // With --sumo: after a first judging, the offsets-only candidates again at the progression speeds the
  // through traffic really drove in those runs (per link, from SUMO's exit times), judged with the rest.
  // A design speed is a guess (tlsCoordinator's: 0.8 × the limit); the platoons' own speed is measured.
  const measuredCandidates = async (a: Arterial, judged: readonly JudgedCandidate[], existing: readonly GreenWavePlan[]): Promise<GreenWavePlan[]> => {
    if (method !== 'best') return [];
    const pooled = a.links.map((_, i) => judged.flatMap((j) => j.linkTraversalsS?.[i] ?? []));
    const v = measuredProgressionSpeedsMps(a.links.map((l) => l.lengthM), pooled);
    if (v.some((x) => !Number.isFinite(x))) return [];
    const am: Arterial = {
      ...a,
      links: a.links.map((l, i) => ({ ...l, speedMps: v[i], minSpeedMps: (l.minSpeedMps * v[i]) / l.speedMps, maxSpeedMps: (l.maxSpeedMps * v[i]) / l.speedMps, speedLimitMps: Math.max(l.speedLimitMps, v[i]) })),
    };
    const raw = [await solveMaxband(am, { inboundWeight, speedMode: 'fixed' }), solveSplitWave(am, { kind: 'diverging' }), solveSplitWave(am, { kind: 'converging' }), solveOneWay(am, { direction: 'outbound' }), solveOneWay(am, { direction: 'inbound' })];
    const plans = raw.map((p) => assemblePlan(a, p.method, planOffsets(p), { speeds: p.progressionSpeedsMps, details: { ...p.details, measuredSpeedsMps: v.map((x) => Math.round(x * 1000) / 1000) } }));
    const all = [...existing, ...plans];
    return distinctOffsetPlans(all.map(planOffsets), a.cycleS).filter((i) => i >= existing.length).map((i) => all[i]);
  };
  // With --sumo: every candidate judged on the first seeds; then the offsets-only candidates again at the
  // progression speeds measured in those runs; then the race (the closest judged on more seeds); then the
  // choice (arterial guard, ties to the through traffic) among the finalists.
  const judgeAndChoose = async (cands: Candidate[], startPlans: readonly GreenWavePlan[], label: (p: GreenWavePlan) => string): Promise<{ chosen: Candidate; report: Record<string, unknown> }> => {
    const judged = await judgeInSumo(o.sumoNet!, o.sumoRoutes!, cands, sumoSeeds, sumoEndS, corridor!.linkEdges, sumoCache);
    const extra: Candidate[] = (await measuredCandidates(arterial, judged.filter((_, i) => cands[i].start), startPlans)).map((p) => ({ label: label(p), plan: p, arterial, corridor, start: true }));
    cands.push(...extra);
    judged.push(...(await judgeInSumo(o.sumoNet!, o.sumoRoutes!, extra, sumoSeeds, sumoEndS, corridor!.linkEdges, sumoCache)));
    let finalIdx = judged.map((_, i) => i);
    let finalists = judged;
    if (raceSeeds.length) {
      finalIdx = raceShortlist(judged);
      const again = await judgeInSumo(o.sumoNet!, o.sumoRoutes!, finalIdx.map((i) => cands[i]), raceSeeds, sumoEndS, corridor!.linkEdges, sumoCache);
      finalists = finalIdx.map((i, k) => poolJudged(judged[i], sumoSeeds.length, again[k], raceSeeds.length));
    }
    const choice = chooseJudged(finalists, { guard: true });
    const dropped = judged.filter((_, i) => !finalIdx.includes(i));
    return { chosen: cands[finalIdx[choice.index]], report: sumoReportOf(finalists, dropped, choice, sumoSeeds, raceSeeds, sumoEndS) };
  };
  if (o.optimiseTiming) {
    let lo = 50, hi = 120;
    if (o.cycleRange !== undefined) {
      const p = String(o.cycleRange).split(',').map(Number);
      if (p.length !== 2 || !(p[0] >= 10 && p[1] >= p[0] && p[1] <= 600)) throw new CimError(`--cycle-range must be 'min,max' seconds with 10 ≤ min ≤ max ≤ 600, got '${o.cycleRange}'`, { field: '--cycle-range' });
      [lo, hi] = p;
    }
    const crossVehPerH = optNumber(o.crossVehH ?? 0, '--cross-veh-h', (x) => x >= 0 && x <= 1800, 'a flow of 0–1800 veh/h per lane')!;
    const minCrossGreenS = optNumber(o.minCrossGreenS ?? 20, '--min-cross-green-s', (x) => x >= 1 && x <= 120, 'a time of 1–120 s')!;
    const arterialLanes = optNumber(o.arterialLanes ?? 1, '--arterial-lanes', (x) => Number.isInteger(x) && x >= 1 && x <= 8, 'an integer 1–8')!;
    const solvers = async (a: Arterial): Promise<GreenWavePlan[]> => {
      if (method !== 'best') return [method === 'maxband' ? await solveMaxband(a, { inboundWeight, speedMode }) : method === 'numerical' ? solveNumerical(a) : solveOneWay(a, { direction })];
      return [await solveMaxband(a, { inboundWeight, speedMode }), solveNumerical(a)];
    };
    const search = await optimiseTiming(arterial, demand, solvers, {
      minCycleS: lo,
      maxCycleS: hi,
      crossVehPerH,
      minCrossGreenS,
      keepSplit: !!o.keepSplit,
      crossGreenS: corridor?.crossGreenS,
      arterialLanes,
      keepTop: o.sumo ? sumoTop : 1,
      // With SUMO as the judge and the arterial guard, also the timings best for the arterial's own traffic.
      keepTopArterial: o.sumo ? 2 : 0,
      traffic: { driver: SUMO_LIKE_DRIVER },
    });
    // Each timing kept, made real: SUMO programs rewritten and the arterial read back from them.
    const realise = async (t: { arterial: Arterial; plan: GreenWavePlan; candidate: TimingCandidate }): Promise<Candidate> => {
      if (!corridor || !sumoNet || !sumoOpts) return { label: `C=${t.candidate.cycleS}s`, plan: t.plan, arterial: t.arterial, corridor: null, timing: t.candidate };
      const c0 = corridor;
      const programs = c0.programs.map((p, i) => retimeProgram(p, c0.throughLinks[i].outbound, t.candidate.arterialGreenS[i], t.candidate.crossGreenS[i]));
      const c = arterialFromSumo(loadPrograms(sumoNet, programs, 'retimed'), { ...sumoOpts, cycleS: undefined });
      c.programs = c.programs.map((p, i) => ({ ...p, imported: c0.programs[i].imported }));
      c.programChanged = c.programs.map(() => true);
      const plans = method === 'best' ? rankPlansByTraffic(c.arterial, await solvers(c.arterial), { arrivals: 'uniform', durationS: 1200, ...demand }, { driver: SUMO_LIKE_DRIVER, drainS: 600 }).map((r) => r.plan) : await solvers(c.arterial);
      return { label: `C=${t.candidate.cycleS}s ${plans[0].method}`, plan: plans[0], arterial: c.arterial, corridor: c, timing: t.candidate };
    };
    const retimed = [];
    for (const t of [...search.top, ...search.topArterial]) retimed.push(await realise(t));
    // At the given timing: with --sumo every distinct offsets-only candidate goes to SUMO with the retimed ones
    // (they are the arterial guard's reference set).
    const startPlans = o.sumo ? await offsetCandidates(arterial) : [];
    let chosen: Candidate = retimed[0];
    if (search.best === search.start && !o.sumo) {
      chosen = { label: 'start', plan: search.plan, arterial, corridor };
    }
    if (o.sumo) {
      const given = (p: GreenWavePlan) => `C=${arterial.cycleS}s (given) ${labelOf(p)}`;
      const cands: Candidate[] = [...startPlans.map((p) => ({ label: given(p), plan: p, arterial, corridor, start: true })), ...retimed];
      const r = await judgeAndChoose(cands, startPlans, given);
      chosen = r.chosen;
      sumoReport = r.report;
    }
    arterial = chosen.arterial;
    written = chosen.corridor;
    plan = chosen.plan;
    timingReport = {
      chosen: chosen.timing ?? search.start,
      start: search.start,
      evaluated: search.evaluated,
      options: { cycleRangeS: [lo, hi], crossVehPerH, minCrossGreenS, arterialLanes, keepSplit: !!o.keepSplit, surrogate: 'traffic model with SUMO_LIKE_DRIVER + Webster side streets' },
    };
    plan.details = { ...plan.details, timing: timingReport.chosen };
  } else if (o.sumo) {
    const starts = await offsetCandidates(arterial);
    const r = await judgeAndChoose(starts.map((p) => ({ label: labelOf(p), plan: p, arterial, corridor, start: true })), starts, labelOf);
    plan = r.chosen.plan;
    sumoReport = r.report;
  } else {
    plan = await solve(method);
  }
  if (sumoReport) plan.details = { ...plan.details, sumo: sumoReport };

  let evaluation: Record<string, TrafficResult> | null = null;
  if (o.evaluate) {
    const plans: GreenWavePlan[] = [uncoordinatedPlan(arterial)];
    for (const m of ['numerical', 'maxband'] as const) plans.push(m === method ? plan : await solve(m));
    if (method === 'oneway' || (method === 'best' && plan.method === 'oneway')) plans.push(plan);
    if (corridor) {
      // The net's own offsets, when any are set.
      const given = corridor.programs.map((p) => p.offsetS);
      if (given.some((x) => x !== 0)) plans.push(assemblePlan(arterial, 'given', given));
    }
    evaluation = {};
    for (const p of plans) evaluation[p.method] = simulateCorridor(arterial, planOffsets(p), demand);
  }

  const comment = `cimtwin greenwave (${method === 'best' ? `best: ${plan.method}` : method}): cycle ${arterial.cycleS} s, bands ${plan.bandwidthS.outbound.toFixed(1)} s outbound / ${plan.bandwidthS.inbound.toFixed(1)} s inbound, efficiency ${(100 * plan.efficiency).toFixed(1)}%`;
  const xml = written
    ? sumoOffsetsAdditional(plan, written, comment)
    : sumoOffsetsAdditional(plan, { programs: [], programChanged: plan.signals.map(() => false) }, `${comment}; tlLogic ids are the city's road node ids`);
  const report: Record<string, unknown> = {
    tool: 'cimtwin greenwave',
    method,
    source,
    arterial,
    plan,
    warnings,
    ...(timingReport ? { timing: timingReport } : {}),
    ...(sumoReport ? { sumo: sumoReport } : {}),
    ...(evaluation ? { evaluation } : {}),
  };
  const additionalPath = o.output;
  const reportPath = reportPathFor(additionalPath);
  writeFileAtomic(additionalPath, xml);
  writeFileAtomic(reportPath, `${JSON.stringify(report, null, 2)}\n`);
  return { additionalPath, reportPath, plan, report };
}

function summaryLines(plan: GreenWavePlan, report: Record<string, unknown>): string[] {
  const out = [
    `${plan.method}: cycle ${plan.cycleS} s, band ${plan.bandwidthS.outbound.toFixed(1)} s outbound, ${plan.bandwidthS.inbound.toFixed(1)} s inbound, efficiency ${(100 * plan.efficiency).toFixed(1)}%`,
    `offsets: ${plan.signals.map((s) => `${s.id} ${s.offsetS.toFixed(1)}`).join(', ')}`,
  ];
  const ev = report.evaluation as Record<string, TrafficResult> | undefined;
  if (ev) {
    out.push('traffic model (per direction: stops/veh, time loss s, travel time s):');
    for (const [name, r] of Object.entries(ev)) {
      const f = (d: TrafficResult['outbound']) => `${d.stopsPerVehicle.toFixed(2)} stops ${d.timeLossS.toFixed(1)} s ${d.travelTimeS.toFixed(1)} s`;
      out.push(`  ${name.padEnd(14)} outbound ${f(r.outbound)} | inbound ${f(r.inbound)}`);
    }
  }
  for (const w of report.warnings as string[]) out.push(`warning: ${w}`);
  return out;
}

export function register(cli: CAC, ctx: CliContext): void {
  cli
    .command('greenwave', 'Green-wave offsets for an arterial (MAXBAND, 数解法 numerical method, one-way) as a SUMO tlLogic additional file plus a JSON report')
    .option('--sumo-net <net.xml>', 'SUMO network to read the corridor and its tlLogic programs from')
    .option('--route <J1,J2,…>', 'junction ids along the corridor, outbound order (with --sumo-net)')
    .option('--tllogic <file>', "SUMO tlLogic programs to use instead of the net's (e.g. tlsCycleAdaptation.py output); green splits come from their phases")
    .option('--city <city.json>', 'cim-twin city file to take the corridor from')
    .option('--nodes <n1,n2,…>', 'road node ids along the corridor (two end nodes: the cheapest path, preferring arterials) (with --city)')
    .option('--method <method>', 'maxband | numerical | oneway | best (the plan of these with the least time loss + 20 s × stops in the traffic model, at --demand-veh-h)', { default: 'maxband' })
    .option('--speed-kmh <v>', 'design speed for every link (default: speed limit × speed factor)')
    .option('--speed-factor <f>', 'design speed ÷ speed limit (default 0.8, as SUMO tlsCoordinator.py)')
    .option('--speed-band <lo,hi>', 'speed band as factors of the design speed (default 0.9,1.1)')
    .option('--speed-mode <mode>', 'MAXBAND progression speed: fixed (design speed) | uniform (one speed chosen in the band) | band (each link free in the band); the numerical method always searches the band', { default: 'fixed' })
    .option('--cycle-s <s>', "common cycle (default: the programs' cycle; green phases are stretched when it differs)")
    .option('--webster <out,in,cross>', 'flows in veh/h per lane at every signal: cycle and splits by Webster (city corridors)')
    .option('--inbound-weight <k>', 'MAXBAND weight of the inbound band (default 1)')
    .option('--direction <dir>', 'oneway: outbound | inbound', { default: 'outbound' })
    .option('--queue-clearance-s <s>', 'queue-clearance time at every signal and direction (default 0)')
    .option('--evaluate', 'run the traffic model for the uncoordinated, numerical and MAXBAND plans')
    .option('--demand-veh-h <q>', 'through demand per lane per direction for --evaluate and --method best (default 500)')
    .option('--inbound-demand-veh-h <q>', 'inbound demand per lane, when it differs')
    .option('--turn-in-veh-h <q>', 'side-street vehicles turning in at every signal, per direction (default 0)')
    .option('--seed <n>', 'seed of the arrivals for --evaluate (default 1)')
    .option('--optimise-timing', 'also choose the common cycle and the split (side streets get what they need, the arterial the rest), judged in the traffic model; changed programs are written in full')
    .option('--cycle-range <min,max>', 'cycles searched by --optimise-timing, s (default 50,120)')
    .option('--cross-veh-h <q>', 'side-street flow per approach lane at every signal, veh/h (for --optimise-timing; default 0)')
    .option('--min-cross-green-s <s>', 'shortest side-street green, s (default 20)')
    .option('--keep-split', '--optimise-timing changes the cycle only (greens stretched in proportion)')
    .option('--arterial-lanes <n>', 'arterial lanes per direction (weights arterial against side-street delay; default 1)')
    .option('--sumo', 'judge the candidate plans in SUMO itself (short runs on --sumo-routes) instead of the traffic model')
    .option('--sumo-routes <routes.rou.xml>', 'SUMO routes with the demand, for --sumo')
    .option('--sumo-seed <n>', 'SUMO seed of the judging runs (default 101)')
    .option('--sumo-runs <n>', 'judging runs per candidate, on seeds --sumo-seed, +1, …, averaged (default 1)')
    .option('--sumo-race-runs <n>', 'the closest candidates after the first round (the 4 best for every vehicle, the 4 best for the through traffic) judged on n more seeds, the choice on all their runs; 0: no second round (default 4)')
    .option('--sumo-end-s <s>', "length of a judging run, s (default: until the routes' last vehicle has arrived)")
    .option('--sumo-cache <dir>', 'keep each judging run\'s result in this directory, under the hash of its inputs (SUMO version, net, routes, plan, seed, run length), and reuse it')
    .option('--sumo-top <n>', 'how many of the traffic model\'s best timings SUMO judges with --optimise-timing (default 3)')
    .option('-o, --output <offsets.add.xml>', 'the SUMO additional file to write; the report goes beside it (*.report.json)')
    .option('--quiet', 'print nothing')
    .example('cimtwin greenwave --sumo-net arterial.net.xml --route J1,J2,J3,J4 --speed-kmh 50 --method maxband -o offsets.add.xml')
    .example('cimtwin greenwave --city city.json --nodes n12,n48 --evaluate -o corridor.add.xml')
    .action(
      action(ctx, async (options: GreenwaveOptions) => {
        const { plan, report, additionalPath, reportPath } = await runGreenwave(options);
        if (!options.quiet) process.stdout.write(`${summaryLines(plan, report).join('\n')}\nwrote ${additionalPath} and ${reportPath}\n`);
      }),
    );
}
