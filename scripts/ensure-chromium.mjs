#!/usr/bin/env node
// Makes sure a Chromium for the browser tests is installed. Playwright never downloads a browser in
// this project: the tests run Debian's Chromium (/usr/bin/chromium, or the binary named by
// CHROMIUM_PATH). When it is missing, this installs Debian's `chromium` package with apt-get (through
// sudo when not root), saying what it runs, and fails with a clear message when it cannot.
//
//   node scripts/ensure-chromium.mjs            check, install when missing
//   node scripts/ensure-chromium.mjs --dry-run  check, and only print what it would run
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const DEBIAN_CHROMIUM = '/usr/bin/chromium';
const dryRun = process.argv.includes('--dry-run');
const custom = process.env.CHROMIUM_PATH;
const target = custom || DEBIAN_CHROMIUM;

const log = (message) => console.log(`ensure-chromium: ${message}`);
function fail(message) {
  console.error(`ensure-chromium: ${message}`);
  process.exit(1);
}

function versionOf(binary) {
  const r = spawnSync(binary, ['--version'], { encoding: 'utf8', timeout: 60_000 });
  return r.status === 0 ? r.stdout.trim() : null;
}

if (existsSync(target)) {
  log(`${target} is present (${versionOf(target) ?? 'it did not report a version'})`);
  process.exit(0);
}
if (custom) fail(`CHROMIUM_PATH=${custom} does not exist; point it at a Chromium binary, or unset it to use Debian's ${DEBIAN_CHROMIUM}`);
if (process.platform !== 'linux' || !existsSync('/usr/bin/apt-get')) {
  fail(`${DEBIAN_CHROMIUM} is missing and this machine has no apt-get to install it; install Chromium and set CHROMIUM_PATH to its binary`);
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
/** How commands get root: nothing as root; sudo otherwise (non-interactive when nobody can type a password). */
let prefix = [];
if (!isRoot) {
  if (!existsSync('/usr/bin/sudo')) fail(`${DEBIAN_CHROMIUM} is missing and installing it needs root; run as root: apt-get update && apt-get install -y chromium`);
  prefix = process.stdin.isTTY ? ['sudo'] : ['sudo', '-n'];
}

function run(args) {
  // `env` carries DEBIAN_FRONTEND through sudo, which resets the environment.
  const argv = [...prefix, 'env', 'DEBIAN_FRONTEND=noninteractive', ...args];
  log(`${dryRun ? 'would run' : 'running'}: ${argv.join(' ')}`);
  if (dryRun) return;
  const r = spawnSync(argv[0], argv.slice(1), { stdio: 'inherit' });
  if (r.error) fail(`could not start ${argv[0]}: ${r.error.message}`);
  if (r.status !== 0) {
    const hint = prefix.includes('-n') ? ' (sudo needs a password here: run the command above yourself, then npm test again)' : '';
    fail(`'${argv.join(' ')}' failed with exit code ${r.status ?? r.signal}${hint}`);
  }
}

log(`${DEBIAN_CHROMIUM} is missing: installing Debian's chromium package for the browser tests (about a minute)`);
// Wait for the dpkg lock rather than fail when unattended upgrades hold it on a fresh machine.
run(['apt-get', '-o', 'DPkg::Lock::Timeout=300', 'update']);
run(['apt-get', '-o', 'DPkg::Lock::Timeout=300', 'install', '-y', 'chromium']);
if (dryRun) process.exit(0);
if (!existsSync(DEBIAN_CHROMIUM)) {
  fail(
    `apt-get finished but ${DEBIAN_CHROMIUM} is still missing (a damaged install? try: apt-get install --reinstall chromium; ` +
      `on Ubuntu the chromium package is only a snap stub: install a Chromium and set CHROMIUM_PATH)`,
  );
}
const version = versionOf(DEBIAN_CHROMIUM);
if (!version) fail(`${DEBIAN_CHROMIUM} was installed but does not run ('chromium --version' failed)`);
log(`installed ${version}`);
