/**
 * Crash test: `cimtwin serve` on a PGlite data directory is killed with SIGKILL while a save is in
 * flight and while a job runs; after a restart on the same directory every acknowledged save is there
 * (the one in flight is either fully there or not at all), and the job is failed with the restart
 * message instead of staying "running".
 */
import { describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './app.ts';
import { makeTestCity } from './test-city.ts';
import { cityToGeoJSON } from '../sim-core/cim/city-file.ts';
import { RESTART_MESSAGE } from './jobs/service.ts';

const CLI = join(REPO_ROOT, 'server', 'cli', 'cimtwin.mjs');
const PASSWORD = 'crash-test-admin-password';

async function start(dataDir: string, cityFile: string, env: Record<string, string> = {}): Promise<{ child: ChildProcess; url: string; exited: Promise<unknown> }> {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--data-dir', dataDir, '--city', cityFile], {
    cwd: REPO_ROOT,
    env: { ...process.env, DATABASE_URL: '', CIMTWIN_ADMIN_PASSWORD: PASSWORD, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise((r) => child.on('exit', r));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      const m = /cim-twin: (http:\/\/127\.0\.0\.1:\d+\/)\n/.exec(stdout);
      if (m) resolve(m[1]);
    });
    void exited.then((code) => reject(new Error(`serve exited (${String(code)}) before listening: ${stderr}`)));
  });
  return { child, url, exited };
}

async function call(url: string, path: string, init: { method?: string; token?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const res = await fetch(new URL(path, url), {
    method: init.method ?? 'GET',
    headers: { ...(init.token ? { authorization: `Bearer ${init.token}` } : {}), ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return { status: res.status, headers: res.headers, json: (await res.json()) as Record<string, any> };
}

describe('crash and restart of cimtwin serve on PGlite', () => {
  it('keeps every acknowledged save and fails the interrupted job', { timeout: 240_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cimtwin-crash-'));
    const cityFile = join(dir, 'city.city.json');
    writeFileSync(cityFile, JSON.stringify(cityToGeoJSON(makeTestCity())));
    const dataDir = join(dir, 'data');
    let server: Awaited<ReturnType<typeof start>> | undefined;
    try {
      // The job stays in its first phase for a minute, so that it is surely running when the kill comes.
      server = await start(dataDir, cityFile, { CIMTWIN_TEST_JOB_DELAY_MS: '60000' });
      const token = (await call(server.url, 'api/auth/login', { method: 'POST', body: { username: 'admin', password: PASSWORD } })).json.token as string;
      const created = await call(server.url, 'api/scenarios', { method: 'POST', token, body: { cityId: 'default', name: 'crash' } });
      expect(created.status).toBe(201);
      const id = created.json.id as string;
      const base = created.json.devices as { id: string; properties: Record<string, unknown> }[];
      // Version v carries headingDeg = v on the first camera, so each version's content is checkable.
      const devicesOf = (v: number) => base.map((d, k) => (k === 0 ? { ...d, properties: { ...d.properties, headingDeg: v } } : d));

      const job = await call(server.url, 'api/jobs', { method: 'POST', token, body: { kind: 'coverage', scenarioId: id } });
      expect(job.status).toBe(202);
      for (let k = 0; k < 100; k++) {
        if ((await call(server.url, `api/jobs/${job.json.id}`)).json.status === 'running') break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect((await call(server.url, `api/jobs/${job.json.id}`)).json.status).toBe('running');

      let acked = 1;
      for (let v = 2; v <= 12; v++) {
        const r = await call(server.url, `api/scenarios/${id}`, { method: 'PUT', token, headers: { 'if-match': `"${v - 1}"` }, body: { devices: devicesOf(v), message: `save ${v}` } });
        expect(r.status).toBe(200);
        acked = r.json.version as number;
      }
      // One more save, killed while in flight.
      const inFlight = call(server.url, `api/scenarios/${id}`, { method: 'PUT', token, headers: { 'if-match': `"${acked}"` }, body: { devices: devicesOf(acked + 1), message: 'in flight' } }).catch((e: Error) => e);
      await new Promise((r) => setTimeout(r, 5));
      server.child.kill('SIGKILL');
      await server.exited;
      const answer = await inFlight;
      if (!(answer instanceof Error) && answer.status === 200) acked = answer.json.version as number;

      server = await start(dataDir, cityFile);
      const after = await call(server.url, `api/scenarios/${id}`);
      expect(after.json.version).toBeGreaterThanOrEqual(acked);
      expect(after.json.version).toBeLessThanOrEqual(acked + 1);
      const versions = (await call(server.url, `api/scenarios/${id}/versions`)).json as unknown as { version: number; message: string }[];
      expect(versions.map((v) => v.version)).toEqual(Array.from({ length: after.json.version }, (_, k) => k + 1));
      for (let v = 2; v <= after.json.version; v++) {
        const got = await call(server.url, `api/scenarios/${id}/versions/${v}`);
        expect(got.json.devices[0].properties.headingDeg).toBe(v);
      }
      const stuck = await call(server.url, `api/jobs/${job.json.id}`);
      expect(stuck.json).toMatchObject({ status: 'failed', error: RESTART_MESSAGE });
      expect(stuck.json.finishedAt).not.toBeNull();
      // The restarted server runs jobs again.
      const token2 = (await call(server.url, 'api/auth/login', { method: 'POST', body: { username: 'admin', password: PASSWORD } })).json.token as string;
      const again = await call(server.url, 'api/jobs', { method: 'POST', token: token2, body: { kind: 'coverage', scenarioId: id } });
      expect(again.status).toBe(202);
      let status = '';
      for (let k = 0; k < 300 && status !== 'done' && status !== 'failed'; k++) {
        await new Promise((r) => setTimeout(r, 200));
        status = (await call(server.url, `api/jobs/${again.json.id}`)).json.status as string;
      }
      expect(status).toBe('done');
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
      server = undefined;
    } finally {
      if (server && server.child.exitCode === null) server.child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
