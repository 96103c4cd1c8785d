/**
 * Running SUMO 1.15 for the green-wave bench: netconvert, duarouter, tlsCoordinator.py and sumo
 * itself, as the peer scripts in ../shared/peers/sumo/ do (run_all.sh), and reading the
 * trip statistics from SUMO's tripinfo output (tripstats.py: through vehicles have ids thruE.* /
 * thruW.*; stops = waitingCount, time loss = timeLoss, travel time = duration).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const SUMO_HOME = process.env.SUMO_HOME ?? '/usr/share/sumo';
/** Debian's python3 (the one sumolib is installed for), not a pyenv shim. */
export const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

function run(cmd: string, args: string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, SUMO_HOME }, maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status}):\n${r.stderr || r.stdout}`);
  return `${r.stdout}\n${r.stderr}`;
}

/** SUMO's version line, or null when SUMO is not installed. */
export function sumoVersion(): string | null {
  const r = spawnSync('sumo', ['--version'], { encoding: 'utf8' });
  if (r.status !== 0 || !existsSync(join(SUMO_HOME, 'tools', 'tlsCoordinator.py'))) return null;
  return r.stdout.split('\n')[0].trim();
}

export function netconvert(dir: string, cycleS: number): void {
  run('netconvert', ['-W', '--node-files', 'corridor.nod.xml', '--edge-files', 'corridor.edg.xml', '--tls.default-type', 'static', '--tls.cycle.time', String(cycleS), '--no-turnarounds', 'true', '-o', 'corridor.net.xml'], dir);
}

/** corridor.net.xml with the programs of a tlLogic file in place of its own (same id and programID). */
export function netconvertPrograms(dir: string, tllogic: string, out: string): void {
  run('netconvert', ['-W', '-s', 'corridor.net.xml', '--tllogic-files', tllogic, '-o', out], dir);
}

export function duarouter(dir: string, flows: string, out: string, seed: number): void {
  run('duarouter', ['-W', '-n', 'corridor.net.xml', '-r', flows, '-o', out, '--seed', String(seed), '--no-step-log'], dir);
}

export function tlsCoordinator(dir: string, routes: string, out: string, speedFactor?: number, net = 'corridor.net.xml'): void {
  const args = [join(SUMO_HOME, 'tools', 'tlsCoordinator.py'), '-n', net, '-r', routes, '-o', out];
  if (speedFactor !== undefined) args.push('--speed-factor', String(speedFactor));
  run(PYTHON, args, dir);
}

export interface TripStats {
  n: number;
  stops: number;
  timeLossS: number;
  travelTimeS: number;
  waitingTimeS: number;
}

export interface SumoRunStats {
  thruE: TripStats;
  thruW: TripStats;
  thru: TripStats;
  all: TripStats;
  teleports: number;
  wallS: number;
}

function summarise(rows: Record<string, number>[]): TripStats {
  const n = rows.length || 1;
  const mean = (k: string) => rows.reduce((a, r) => a + r[k], 0) / n;
  return { n: rows.length, stops: mean('waitingCount'), timeLossS: mean('timeLoss'), travelTimeS: mean('duration'), waitingTimeS: mean('waitingTime') };
}

/** Reads a tripinfo file (only the attributes we need; a regex is enough for SUMO's flat output). */
export function readTripinfo(path: string): { id: string; row: Record<string, number> }[] {
  const text = readFileSync(path, 'utf8');
  const out: { id: string; row: Record<string, number> }[] = [];
  const re = /<tripinfo\s([^>]*?)\/?>/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const attrs: Record<string, string> = {};
    for (const a of m[1].matchAll(/(\w+)="([^"]*)"/g)) attrs[a[1]] = a[2];
    out.push({ id: attrs.id, row: { duration: +attrs.duration, timeLoss: +attrs.timeLoss, waitingCount: +attrs.waitingCount, waitingTime: +attrs.waitingTime } });
  }
  return out;
}

/** Runs sumo headless with optional additional files and summarises the through trips. */
export function sumo(dir: string, routes: string, additional: string[], seed: number, label: string, net = 'corridor.net.xml'): SumoRunStats {
  const trip = `trip_${label}_s${seed}.xml`;
  const args = ['-W', '-n', net, '-r', routes, '--begin', '0', '--seed', String(seed), '--no-step-log', '--duration-log.statistics', '--tripinfo-output', trip];
  if (additional.length) args.push('-a', additional.join(','));
  const t0 = performance.now();
  const log = run('sumo', args, dir);
  const wallS = (performance.now() - t0) / 1000;
  const tele = /Teleports:\s*(\d+)/.exec(log);
  const trips = readTripinfo(join(dir, trip));
  const pick = (p: string) => trips.filter((t) => t.id.startsWith(p)).map((t) => t.row);
  return { thruE: summarise(pick('thruE.')), thruW: summarise(pick('thruW.')), thru: summarise(pick('thru')), all: summarise(trips.map((t) => t.row)), teleports: tele ? Number(tele[1]) : 0, wallS };
}

/** Writes an offsets-only additional file (as ext_offsets.py does). */
export function writeOffsets(path: string, offsets: { id: string; programId: string; offsetS: number }[]): void {
  const lines = ['<additional>', ...offsets.map((o) => `    <tlLogic id="${o.id}" programID="${o.programId}" offset="${o.offsetS.toFixed(2)}"/>`), '</additional>', ''];
  writeFileSync(path, lines.join('\n'));
}
