import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../app.ts';
import { makeTestCity } from '../../test-city.ts';
import { cityToGeoJSON } from '../../../sim-core/cim/city-file.ts';
import { parsePort } from './serve.ts';

const CLI = join(REPO_ROOT, 'server', 'cli', 'cimtwin.mjs');

describe('parsePort', () => {
  it('accepts 0–65535 and rejects the rest with a clear message', () => {
    expect(parsePort(8080)).toBe(8080);
    expect(parsePort('0')).toBe(0);
    expect(parsePort(' 65535 ')).toBe(65535);
    for (const bad of [-1, 65536, 80.5, 'http', '', Number.NaN]) expect(() => parsePort(bad), String(bad)).toThrow(/--port must be an integer from 0 to 65535/);
  });
});

describe('cimtwin serve', () => {
  it('serves a city file, prints the URL on stdout, and exits 0 on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cimtwin-serve-'));
    const file = join(dir, 'small.city.json');
    writeFileSync(file, JSON.stringify(cityToGeoJSON(makeTestCity('served from a file'))));
    const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--city', file], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => {
          stdout += d.toString();
          const m = /cim-twin: (http:\/\/127\.0\.0\.1:\d+\/)\n/.exec(stdout);
          if (m) resolve(m[1]);
        });
        void exited.then((code) => reject(new Error(`serve exited (${code}) before printing its URL; stderr: ${stderr}`)));
      });
      expect(stderr).toContain(`loading ${file}`);
      const summary = await (await fetch(new URL('api/city/summary', url))).json();
      expect(summary).toMatchObject({ name: 'served from a file', buildings: { count: 17 } });
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(stdout).toContain('SIGTERM, closing');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits non-zero with the reason when the city file is missing', async () => {
    const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--city', '/nonexistent/x.city.json'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect(code).toBe(1);
    expect(stderr).toContain('cimtwin: /nonexistent/x.city.json: file not found');
  });
});
