/**
 * The `tiles` job through `app.inject` on PGlite: a planner builds the served (small test) city's
 * tileset, follows it by polling, and the result URL serves tileset.json and glb content; a second
 * build reuses every tile; roles, bad parameters, one build per city at a time, cancel; and the
 * builder stopping between tiles when its signal aborts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from './app.ts';
import { ADMIN_PASSWORD, expectError, loginRoles, until } from './test-api.ts';
import { makeTestCity } from './test-city.ts';
import { TEST_DATABASES } from './db/test-db.ts';
import { runTiles, tilesetNameOf, JOB_TILESET_NAME } from './jobs/tiles-job.ts';
import { CONTENT_DIR, TILESET_FILE } from '../tiles/write.ts';




interface TileJson {
  content?: { uri: string };
  children?: TileJson[];
}
const contentUris = (t: TileJson): string[] => [...(t.content ? [t.content.uri] : []), ...(t.children ?? []).flatMap(contentUris)];

describe('tilesetNameOf', () => {
  it('is stable, safe for URLs and file names, and tells ids apart that differ only in unsafe characters', () => {
    expect(tilesetNameOf('default')).toBe(tilesetNameOf('default'));
    for (const id of ['default', '../../etc', 'a/b', '城市 1', 'x'.repeat(100)]) expect(tilesetNameOf(id)).toMatch(JOB_TILESET_NAME);
    expect(tilesetNameOf('a/b')).not.toBe(tilesetNameOf('a_b'));
    expect(tilesetNameOf('../../etc')).not.toContain('/');
  });
});

describe('runTiles', () => {
  it('stops between tiles once its signal aborts, leaving no tileset.json behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cimtwin-tiles-abort-'));
    try {
      const ac = new AbortController();
      const seen: string[] = [];
      const run = runTiles(makeTestCity(), { maxFeatures: 2 }, { dir, url: '/tiles/x/tileset.json' }, (done, total, phase) => {
        seen.push(`${phase} ${done}/${total}`);
        if (phase === 'tiles' && done === 1) ac.abort();
      }, ac.signal);
      await expect(run).rejects.toMatchObject({ name: 'AbortError' });
      expect(seen.filter((s) => s.startsWith('tiles'))).toEqual([expect.stringMatching(/^tiles 1\/\d+$/)]);
      expect(Number(seen[1].split('/')[1])).toBeGreaterThan(2);
      expect(existsSync(join(dir, TILESET_FILE))).toBe(false);
      expect(readdirSync(join(dir, CONTENT_DIR))).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

const engine = TEST_DATABASES[0];
describe(`tiles jobs on ${engine.engine}`, () => {
  let app: FastifyInstance;
  let cleanup: () => Promise<void>;
  let tilesRoot = '';
  const token: Record<'admin' | 'planner' | 'viewer', string> = { admin: '', planner: '', viewer: '' };
  const auth = (role: keyof typeof token) => ({ authorization: `Bearer ${token[role]}` });
  const submit = (payload: unknown, role: keyof typeof token = 'planner') => app.inject({ method: 'POST', url: '/api/jobs', headers: auth(role), payload: payload as object });
  const finished = (id: string) => until(async () => (await app.inject(`/api/jobs/${id}`)).json(), (j) => j.status !== 'queued' && j.status !== 'running');

  beforeAll(async () => {
    const opened = await engine.open();
    tilesRoot = mkdtempSync(join(tmpdir(), 'cimtwin-job-tiles-'));
    cleanup = async () => {
      await opened.db.close();
      await opened.cleanup();
      rmSync(tilesRoot, { recursive: true, force: true });
    };
    app = buildApp({
      city: makeTestCity(),
      staticDir: false,
      tilesCacheDir: false,
      jobTilesDir: tilesRoot,
      // testDelayMs holds every job in a first phase, so the cancel test finds it running.
      api: { database: opened.db, adminPassword: ADMIN_PASSWORD, jobs: { maxActive: 1, maxQueued: 4, testDelayMs: 400 } },
    });
    await app.ready();
    Object.assign(token, await loginRoles(app));
  });

  afterAll(async () => {
    await app?.close();
    await cleanup?.();
  });

  it('builds the city tileset; the result URL serves tileset.json and glb content; a second build reuses every tile', async () => {
    // A client cannot choose the folder: unknown parameters are dropped by the schema.
    const evil = join(tilesRoot, 'evil');
    const sub = await submit({ kind: 'tiles', cityId: 'default', params: { maxFeatures: 3, dir: evil } });
    expect(sub.statusCode, sub.body).toBe(202);
    expect(sub.json()).toMatchObject({ kind: 'tiles', status: expect.stringMatching(/^(queued|running)$/), cityId: 'default', scenarioId: null });
    expect(sub.json().params).toEqual({ maxFeatures: 3 });
    expect(sub.headers.location).toBe(`/api/jobs/${sub.json().id}`);
    const phases = new Set<string>();
    const job = await until(
      async () => (await app.inject(`/api/jobs/${sub.json().id}`)).json(),
      (j) => {
        phases.add(j.phase);
        return j.status !== 'queued' && j.status !== 'running';
      },
    );
    expect(job, JSON.stringify(job)).toMatchObject({ status: 'done', progress: 1, error: null });
    expect([...phases].every((p) => ['queued', 'starting', 'delay', 'plan', 'tiles', 'commit', 'done'].includes(p)), [...phases].join()).toBe(true);

    const result = (await app.inject({ url: `/api/jobs/${job.id}/result`, headers: auth('viewer') })).json();
    const name = tilesetNameOf('default');
    expect(result).toMatchObject({ tilesetUrl: `/tiles/${name}/tileset.json`, buildings: 17, written: result.tiles, reused: 0 });
    // 17 buildings, at most 3 per tile: at least 6 tiles below a root.
    expect(result.tiles).toBeGreaterThanOrEqual(6);
    expect(result.depth).toBeGreaterThanOrEqual(1);
    expect(existsSync(join(tilesRoot, name, TILESET_FILE))).toBe(true);
    expect(existsSync(evil)).toBe(false);

    const ts = await app.inject(result.tilesetUrl);
    expect(ts.statusCode, ts.body).toBe(200);
    expect(ts.headers['content-type']).toMatch(/^application\/json/);
    const tileset = ts.json();
    expect(tileset.asset.version).toBe('1.1');
    expect(tileset.metadata.properties).toMatchObject({ buildingCount: 17, tileCount: result.tiles });
    const uris = contentUris(tileset.root);
    expect(uris).toHaveLength(result.tiles);
    let contentBytes = 0;
    for (const uri of uris) {
      const glb = await app.inject(result.tilesetUrl.replace(/tileset\.json$/, uri));
      expect(glb.statusCode, uri).toBe(200);
      expect(glb.headers['content-type']).toBe('model/gltf-binary');
      expect(glb.rawPayload.subarray(0, 4).toString('latin1')).toBe('glTF');
      contentBytes += glb.rawPayload.byteLength;
    }
    expect(result.bytes).toBe(contentBytes + ts.rawPayload.byteLength);

    const again = await submit({ kind: 'tiles', cityId: 'default', params: { maxFeatures: 3 } }, 'admin');
    expect(again.statusCode, again.body).toBe(202);
    expect(await finished(again.json().id)).toMatchObject({ status: 'done' });
    const second = (await app.inject(`/api/jobs/${again.json().id}/result`)).json();
    expect(second).toMatchObject({ tilesetUrl: result.tilesetUrl, tiles: result.tiles, bytes: result.bytes, written: 0, reused: result.tiles });
  });

  it('meshopt compression and another tile size rebuild the tiles into the same folder', async () => {
    const sub = await submit({ kind: 'tiles', cityId: 'default', params: { compress: 'meshopt', maxFeatures: 1000 } });
    expect(sub.statusCode, sub.body).toBe(202);
    expect(await finished(sub.json().id)).toMatchObject({ status: 'done' });
    const result = (await app.inject(`/api/jobs/${sub.json().id}/result`)).json();
    expect(result).toMatchObject({ tiles: 1, depth: 0, buildings: 17, written: 1, reused: 0 });
    const tileset = (await app.inject(result.tilesetUrl)).json();
    const [uri] = contentUris(tileset.root);
    const glb = await app.inject(result.tilesetUrl.replace(/tileset\.json$/, uri));
    expect(glb.headers['content-type']).toBe('model/gltf-binary');
    const jsonLength = glb.rawPayload.readUInt32LE(12);
    expect(glb.rawPayload.subarray(20, 20 + jsonLength).toString('utf8')).toContain('EXT_meshopt_compression');
    // Old content is gone once nothing refers to it.
    expect(readdirSync(join(tilesRoot, tilesetNameOf('default'), CONTENT_DIR))).toEqual([uri.split('/').pop()]);
  });

  it('only planners and admins submit; anonymous clients get 401', async () => {
    expectError(await submit({ kind: 'tiles', cityId: 'default' }, 'viewer'), 403, /viewer role may not/);
    expectError(await app.inject({ method: 'POST', url: '/api/jobs', payload: { kind: 'tiles', cityId: 'default' } }), 401);
  });

  it('bad parameters get 400 (or 404 for an unknown city) with the error shape, and nothing is stored', async () => {
    const before = (await app.inject('/api/jobs?limit=500')).json().length;
    expectError(await submit({ kind: 'tiles', cityId: 'default', params: { compress: 'gzip' } }), 400, /compress|params/);
    expectError(await submit({ kind: 'tiles', cityId: 'default', params: { maxFeatures: 0 } }), 400, /maxFeatures|params/);
    expectError(await submit({ kind: 'tiles', cityId: 'default', params: { maxFeatures: 2.5 } }), 400);
    expectError(await submit({ kind: 'tiles', params: {} }), 400);
    expectError(await submit({ kind: 'tiles', cityId: '' }), 400);
    expectError(await submit({ kind: 'tiles', cityId: '../../etc' }), 404);
    expect((await app.inject('/api/jobs?limit=500')).json()).toHaveLength(before);
    expect(readdirSync(tilesRoot)).toEqual([tilesetNameOf('default')]);
  });

  it('a job-built tileset follows its city: anonymous clients get 401 once the city is not public, logged-in users 200', async () => {
    const url = `/tiles/${tilesetNameOf('default')}/tileset.json`;
    expect((await app.inject(url)).statusCode).toBe(200);
    const hide = await app.inject({ method: 'PATCH', url: '/api/cities/default', headers: auth('admin'), payload: { public: false } });
    expect(hide.statusCode, hide.body).toBe(200);
    try {
      expectError(await app.inject(url), 401, /not public/);
      const tileset = (await app.inject({ url, headers: auth('viewer') })).json();
      const uri: string = JSON.stringify(tileset).match(/content\/[^"]+\.glb/)![0];
      expectError(await app.inject(`/tiles/${tilesetNameOf('default')}/${uri}`), 401, /not public/);
      expect((await app.inject({ url: `/tiles/${tilesetNameOf('default')}/${uri}`, headers: auth('viewer') })).statusCode).toBe(200);
    } finally {
      const show = await app.inject({ method: 'PATCH', url: '/api/cities/default', headers: auth('admin'), payload: { public: true } });
      expect(show.statusCode, show.body).toBe(200);
    }
    expectError(await app.inject('/tiles/c-nosuchcity-0123456789/tileset.json'), 404);
  });

  it('one tiles job per city at a time (409); cancel stops a running one and the previous tileset stays served', async () => {
    const previous = (await app.inject(`/tiles/${tilesetNameOf('default')}/tileset.json`)).body;
    const a = await submit({ kind: 'tiles', cityId: 'default', params: { maxFeatures: 2 } });
    expect(a.statusCode, a.body).toBe(202);
    expectError(await submit({ kind: 'tiles', cityId: 'default' }), 409, /already queued or running/);
    await until(async () => (await app.inject(`/api/jobs/${a.json().id}`)).json(), (j) => j.status === 'running');
    expectError(await app.inject({ method: 'POST', url: `/api/jobs/${a.json().id}/cancel`, headers: auth('viewer') }), 403);
    const c = await app.inject({ method: 'POST', url: `/api/jobs/${a.json().id}/cancel`, headers: auth('planner') });
    expect(c.statusCode, c.body).toBe(200);
    expect(c.json()).toMatchObject({ status: 'cancelled', error: 'cancelled' });
    expectError(await app.inject(`/api/jobs/${a.json().id}/result`), 409, /cancelled/);
    const still = await app.inject(`/tiles/${tilesetNameOf('default')}/tileset.json`);
    expect(still.statusCode).toBe(200);
    expect(still.body).toBe(previous);
    // The city is free again.
    const b = await submit({ kind: 'tiles', cityId: 'default', params: { maxFeatures: 2 } });
    expect(b.statusCode, b.body).toBe(202);
    expect(await finished(b.json().id)).toMatchObject({ status: 'done' });
    expect((await app.inject(`/api/jobs/${b.json().id}/result`)).json().tiles).toBeGreaterThan(6);
  });

  it('a tileset name that no job built is 404', async () => {
    expectError(await app.inject(`/tiles/${tilesetNameOf('nope')}/tileset.json`), 404, /no tileset/);
  });
});
