/**
 * CLI tests for `cimtwin pathloss`, run as a child process; expected values worked out by hand from
 * TR 38.901 Table 7.4.1-1 (see sim-core/coverage/cellular/path-loss.test.ts for the arithmetic).
 */
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const BIN = join(ROOT, 'server/cli/cimtwin.mjs');

function run(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, 'pathloss', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('cimtwin pathloss', () => {
  it('prints UMa LOS PL1, UMa NLOS and UMi LOS PL2 values', () => {
    const a = run(['--model', 'uma', '--los', '--fc-ghz', '3.5', '--d2d-m', '100', '--hbs-m', '25', '--hut-m', '1.5']);
    expect(a.code).toBe(0);
    expect(a.stdout).toMatch(/^83\.138 dB {2}\(UMa LOS PL1; d3D 102\.724 m, d'BP 560\.000 m, σSF 4 dB\)/);
    const b = run(['--model', 'uma', '--nlos', '--fc-ghz', '3.5', '--d2d-m', '1000']);
    expect(b.stdout).toMatch(/^141\.666 dB .*NLOS'/);
    const c = run(['--model', 'umi', '--los', '--fc-ghz', '3.5', '--d2d-m', '400', '--json']);
    const j = JSON.parse(c.stdout);
    expect(j.formula).toBe('PL2');
    expect(j.pathLossDb).toBeCloseTo(103.2388, 3);
    expect(j.breakpointM).toBeCloseTo(210, 9);
  });

  it('refuses inputs outside the table with exit code 1, and accepts them with --ranges planning', () => {
    const low = run(['--model', 'uma', '--los', '--fc-ghz', '3.5', '--d2d-m', '5']);
    expect(low.code).toBe(1);
    expect(low.stderr).toMatch(/d2DM: 5 m is below UMa's 10 m/);
    const mast = run(['--model', 'uma', '--los', '--fc-ghz', '3.5', '--d2d-m', '100', '--hbs-m', '30']);
    expect(mast.code).toBe(1);
    expect(mast.stderr).toMatch(/hBS = 25 m/);
    expect(run(['--model', 'uma', '--los', '--fc-ghz', '3.5', '--d2d-m', '100', '--hbs-m', '30', '--ranges', 'planning']).code).toBe(0);
  });

  it('needs a model, exactly one of --los / --nlos, and numbers', () => {
    expect(run(['--los', '--fc-ghz', '3.5', '--d2d-m', '100']).stderr).toMatch(/--model must be uma or umi/);
    expect(run(['--model', 'uma', '--fc-ghz', '3.5', '--d2d-m', '100']).stderr).toMatch(/exactly one of --los or --nlos/);
    expect(run(['--model', 'uma', '--los', '--fc-ghz', 'x', '--d2d-m', '100']).stderr).toMatch(/--fc-ghz: expected a number/);
  });
});
