#!/usr/bin/env node
// Runs a command with a throwaway PostgreSQL server for the tests that run the server's SQL on a real
// PostgreSQL as well as on PGlite. When Debian's PostgreSQL is missing, this installs the `postgresql`
// package with apt-get (through sudo when not root), saying what it runs. It then creates a cluster
// in a temporary folder (initdb; as the `postgres` user when running as root, since PostgreSQL refuses
// to run as root), starts it on a free 127.0.0.1 port, runs the command with
// CIMTWIN_TEST_PG_URL=postgres://cimtwin@127.0.0.1:PORT/postgres, stops the server, removes the folder,
// and exits with the command's exit code.
//
//   node scripts/ensure-postgres.mjs -- vitest run        run the tests with a cluster
//   node scripts/ensure-postgres.mjs --dry-run            check, and only print what it would install
//
// When CIMTWIN_TEST_PG_URL is already set, the command runs against that server unchanged.
import { spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const args = process.argv.slice(2);
const dryRun = args.includes('--dry-run');
const dash = args.indexOf('--');
const command = dash >= 0 ? args.slice(dash + 1) : args.filter((a) => a !== '--dry-run');

const log = (message) => console.log(`ensure-postgres: ${message}`);
function fail(message) {
  console.error(`ensure-postgres: ${message}`);
  process.exit(1);
}

function runCommand(env) {
  if (command.length === 0) return Promise.resolve(0);
  return new Promise((resolve) => {
    const child = spawn(command[0], command.slice(1), { stdio: 'inherit', env, shell: process.platform === 'win32' });
    child.on('error', (e) => fail(`could not start ${command[0]}: ${e.message}`));
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

if (process.env.CIMTWIN_TEST_PG_URL) {
  log('CIMTWIN_TEST_PG_URL is set: using that server');
  process.exit(await runCommand(process.env));
}

/** The bin folder of the newest Debian PostgreSQL with initdb and pg_ctl, or null. */
function findBin() {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
  for (const v of versions) {
    const bin = join(root, v, 'bin');
    if (existsSync(join(bin, 'initdb')) && existsSync(join(bin, 'pg_ctl'))) return bin;
  }
  return null;
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
let bin = findBin();
if (!bin) {
  if (process.platform !== 'linux' || !existsSync('/usr/bin/apt-get')) fail('PostgreSQL is missing and this machine has no apt-get; install PostgreSQL (initdb, pg_ctl) or set CIMTWIN_TEST_PG_URL to a server');
  let prefix = [];
  if (!isRoot) {
    if (!existsSync('/usr/bin/sudo')) fail('PostgreSQL is missing and installing it needs root; run as root: apt-get update && apt-get install -y postgresql');
    prefix = process.stdin.isTTY ? ['sudo'] : ['sudo', '-n'];
  }
  const apt = (a) => {
    const argv = [...prefix, 'env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', '-o', 'DPkg::Lock::Timeout=300', ...a];
    log(`${dryRun ? 'would run' : 'running'}: ${argv.join(' ')}`);
    if (dryRun) return;
    const r = spawnSync(argv[0], argv.slice(1), { stdio: 'inherit' });
    if (r.error) fail(`could not start ${argv[0]}: ${r.error.message}`);
    if (r.status !== 0) fail(`'${argv.join(' ')}' failed with exit code ${r.status ?? r.signal}`);
  };
  log("PostgreSQL is missing: installing Debian's postgresql package for the server tests (about a minute)");
  apt(['update']);
  // --no-install-recommends: the server and its tools, without the extra client packages.
  apt(['install', '-y', '--no-install-recommends', 'postgresql']);
  if (dryRun) process.exit(0);
  bin = findBin();
  if (!bin) fail('apt-get finished but no /usr/lib/postgresql/<version>/bin/initdb was found');
} else if (dryRun) {
  log(`PostgreSQL is present (${bin})`);
  process.exit(0);
}

const freePort = () =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

const dir = mkdtempSync(join(tmpdir(), 'cimtwin-pg-'));
const data = join(dir, 'data');
const port = await freePort();
/** Runs a PostgreSQL tool, as the postgres user when we are root. */
function pgTool(tool, toolArgs) {
  const argv = isRoot ? ['runuser', '-u', 'postgres', '--', join(bin, tool), ...toolArgs] : [join(bin, tool), ...toolArgs];
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new Error(`${tool} failed (${r.error?.message ?? `exit ${r.status}`}):\n${r.stdout ?? ''}${r.stderr ?? ''}`);
  }
}
let started = false;
function stop() {
  if (started) {
    started = false;
    try {
      pgTool('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
    } catch (e) {
      console.error(`ensure-postgres: ${e.message}`);
    }
  }
  rmSync(dir, { recursive: true, force: true });
}
try {
  if (isRoot) chownSync(dir, Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim()), Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim()));
  // Throwaway test data: trust auth on loopback, no fsync.
  pgTool('initdb', ['-D', data, '-U', 'cimtwin', '-A', 'trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
  pgTool('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '60', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`, 'start']);
  started = true;
} catch (e) {
  stop();
  fail(e.message);
}
const url = `postgres://cimtwin@127.0.0.1:${port}/postgres`;
log(`PostgreSQL (${bin}) on ${url}`);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => {
  stop();
  process.exit(130);
});
const code = await runCommand({ ...process.env, CIMTWIN_TEST_PG_URL: url });
stop();
process.exit(code);
