/**
 * The MILP peers of the placement bench: GLPK (`glpsol`) and CBC (`cbc`, one thread) run on the same
 * CPLEX LP file as our HiGHS solve (see ../../../shared/peers/milp/bench.sh for the peer's own
 * harness). Installed by scripts/install-milp-peers.sh; bench-only.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

export interface PeerRun {
  peer: string;
  version: string;
  /** Wall time of the process, ms. */
  wallMs: number;
  objective: number | null;
  /** 'optimal', 'time-limit', 'error: …'. */
  status: string;
  /** Selected x columns (site indices). */
  selected: number[];
}

/** Peers that overrun their own time limit (CBC checks it between nodes only) are killed this much later. */
const HARD_EXTRA_S = 60;
const hardLimitMs = (timeLimitS: number) => (timeLimitS + HARD_EXTRA_S) * 1000;

function which(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).status === 0;
}

/** Versions of the installed peers, or null when missing. */
export function peerVersions(): { glpsol: string | null; cbc: string | null } {
  const glpsol = which('glpsol') ? (spawnSync('glpsol', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0] ?? 'glpsol').trim() : null;
  let cbc: string | null = null;
  if (which('cbc')) {
    const out = spawnSync('cbc', ['-quit'], { encoding: 'utf8', input: '' }).stdout;
    cbc = `CBC ${/Version:\s*(\S+)/.exec(out)?.[1] ?? '?'}`;
  }
  return { glpsol, cbc };
}

function selectedFrom(text: string, pattern: RegExp): number[] {
  const out: number[] = [];
  for (const m of text.matchAll(pattern)) if (Number(m[2]) > 0.5) out.push(Number(m[1]));
  return out.sort((a, b) => a - b);
}

/** glpsol --lp FILE --tmlim T -o SOL. */
export function runGlpk(lpFile: string, solFile: string, timeLimitS: number, version: string): PeerRun {
  const t0 = performance.now();
  const r = spawnSync('glpsol', ['--lp', lpFile, '--tmlim', String(Math.ceil(timeLimitS)), '-o', solFile], { encoding: 'utf8', maxBuffer: 1 << 26, timeout: hardLimitMs(timeLimitS), killSignal: 'SIGKILL' });
  const wallMs = performance.now() - t0;
  if (r.signal) return { peer: 'glpsol', version, wallMs, objective: null, status: `killed ${HARD_EXTRA_S} s past its own limit`, selected: [] };
  if (r.status !== 0 || !existsSync(solFile)) return { peer: 'glpsol', version, wallMs, objective: null, status: `error: exit ${r.status}`, selected: [] };
  const sol = readFileSync(solFile, 'utf8');
  const obj = /Objective:\s+\S+\s*=\s*(\S+)/.exec(sol);
  const st = /Status:\s+(.+)/.exec(sol)?.[1]?.trim() ?? '?';
  const timedOut = /TIME LIMIT EXCEEDED/.test(r.stdout);
  return {
    peer: 'glpsol',
    version,
    wallMs,
    // INTEGER UNDEFINED: no integer solution found (glpsol then prints obj = 0).
    objective: obj && st !== 'INTEGER UNDEFINED' ? Number(obj[1]) : null,
    status: st === 'INTEGER OPTIMAL' && !timedOut ? 'optimal' : timedOut ? `time-limit${st === 'INTEGER UNDEFINED' ? ', no integer solution' : ''}` : st.toLowerCase(),
    // glpsol report rows: "  n x12   *   1   0   1"
    selected: selectedFrom(sol, /^\s*\d+\s+x(\d+)\s+\*\s+(\S+)/gm),
  };
}

/** cbc FILE -threads 1 -seconds T -solve -solu SOL. */
export function runCbc(lpFile: string, solFile: string, timeLimitS: number, version: string): PeerRun {
  const t0 = performance.now();
  const r = spawnSync('cbc', [lpFile, '-threads', '1', '-seconds', String(Math.ceil(timeLimitS)), '-solve', '-solu', solFile], { encoding: 'utf8', maxBuffer: 1 << 26, timeout: hardLimitMs(timeLimitS), killSignal: 'SIGKILL' });
  const wallMs = performance.now() - t0;
  if (r.signal) return { peer: 'cbc', version, wallMs, objective: null, status: `killed ${HARD_EXTRA_S} s past its own limit`, selected: [] };
  if (r.status !== 0 || !existsSync(solFile)) return { peer: 'cbc', version, wallMs, objective: null, status: `error: exit ${r.status}`, selected: [] };
  const sol = readFileSync(solFile, 'utf8');
  const first = sol.split('\n')[0] ?? '';
  const obj = /objective value\s+(\S+)/i.exec(first);
  return {
    peer: 'cbc',
    version,
    wallMs,
    objective: obj ? Number(obj[1]) : null,
    status: /^Optimal/.test(first) ? 'optimal' : /time/i.test(first) ? 'time-limit' : first.trim().toLowerCase(),
    selected: selectedFrom(sol, /^\s*\d+\s+x(\d+)\s+(\S+)/gm),
  };
}
