/**
 * The API through `app.inject`, on PGlite and on PostgreSQL (CIMTWIN_TEST_PG_URL; see
 * server/db/test-db.ts): every route, with bad input and wrong roles; saves that are versioned and never
 * overwrite a newer one; jobs with progress, server-sent events, cancel and a full queue; reports.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from './app.ts';
import { ADMIN_PASSWORD, expectError, loginRoles, until } from './test-api.ts';
import { makeTestCity } from './test-city.ts';
import { CityBuilder } from '../sim-core/cim/builder.ts';
import { cityToGeoJSON } from '../sim-core/cim/city-file.ts';
import { announceSkip, TEST_DATABASES } from './db/test-db.ts';
import { RESTART_MESSAGE } from './jobs/service.ts';



/** A city with a two-signal arterial (for the green-wave job). */
function corridorCity() {
  const b = new CityBuilder({ lonDeg: 119.2, latDeg: 36.7, heightM: 0 }, { name: '干道', synthetic: true, sources: ['test'], attribution: [] });
  const xs = [0, 400, 800, 1200];
  xs.forEach((x, i) => b.addRoadNode({ id: `a${i}`, xM: x, yM: 0, signalized: i === 1 || i === 2 }));
  for (let i = 0; i + 1 < xs.length; i++) b.addRoadLink({ id: `l${i}`, fromId: `a${i}`, toId: `a${i + 1}`, roadClass: 'arterial', lanes: 4, speedLimitMps: 13.9, xyM: [xs[i], 0, xs[i + 1], 0], name: null });
  b.addBuilding({ id: 'b', rings: [[100, 30, 150, 30, 150, 70, 100, 70]], roofM: 20, use: 'office' });
  return b.build();
}


for (const engine of TEST_DATABASES) {
  announceSkip(engine, 'server/api.test.ts');
  describe.skipIf(engine.skipReason !== null)(`API on ${engine.engine}`, () => {
    let app: FastifyInstance;
    let cleanup: () => Promise<void>;
    const token: Record<'admin' | 'planner' | 'viewer', string> = { admin: '', planner: '', viewer: '' };
    const auth = (role: keyof typeof token) => ({ authorization: `Bearer ${token[role]}` });
    let privateCityId = '';

    beforeAll(async () => {
      const opened = await engine.open();
      cleanup = opened.cleanup;
      app = buildApp({
        city: makeTestCity(),
        staticDir: false,
        tilesCacheDir: false,
        api: { database: opened.db, adminPassword: ADMIN_PASSWORD, loginRateLimit: 30, maxUploadMb: 1, jobs: { maxActive: 1, maxQueued: 1, testDelayMs: 1000 } },
      });
      await app.ready();
      Object.assign(token, await loginRoles(app));
    });

    afterAll(async () => {
      // The app does not close a database it was handed: close it, then remove it.
      await app?.close();
      await app?.api?.db.close();
      await cleanup?.();
    });

    describe('auth and users', () => {
      it('logs in with a token and a httpOnly cookie; wrong passwords and unknown names get the same 401', async () => {
        const ok = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'viewer1', password: 'viewer-password-1' } });
        expect(ok.headers['set-cookie']).toMatch(/^cimtwin_session=[\w-]+; Path=\/; HttpOnly; SameSite=Strict/);
        expect(ok.headers['x-request-id']).toBeTruthy();
        const cookie = String(ok.headers['set-cookie']).split(';')[0];
        expect((await app.inject({ url: '/api/auth/me', headers: { cookie } })).json()).toMatchObject({ username: 'viewer1', role: 'viewer' });
        expectError(await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'viewer1', password: 'nope' } }), 401, /wrong username or password/);
        expectError(await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'ghost', password: 'nope' } }), 401, /wrong username or password/);
        expectError(await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'viewer1' } }), 400, /password/);
      });

      it('me: 401 without a token, with a malformed header or an unknown token', async () => {
        expectError(await app.inject('/api/auth/me'), 401, /log in first/);
        expectError(await app.inject({ url: '/api/auth/me', headers: { authorization: 'Basic abc' } }), 401, /Bearer/);
        expectError(await app.inject({ url: '/api/auth/me', headers: { authorization: 'Bearer not-a-token' } }), 401, /unknown or has expired/);
        expect((await app.inject({ url: '/api/auth/me', headers: auth('planner') })).json()).toMatchObject({ username: 'planner1', role: 'planner' });
      });

      it('logout ends the session', async () => {
        const r = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'planner1', password: 'planner-password-1' } });
        const h = { authorization: `Bearer ${r.json().token}` };
        expect((await app.inject({ method: 'POST', url: '/api/auth/logout', headers: h })).statusCode).toBe(204);
        expectError(await app.inject({ url: '/api/auth/me', headers: h }), 401);
      });

      it('only an admin lists, creates and changes users; names are unique, passwords long enough', async () => {
        expectError(await app.inject({ url: '/api/users', headers: auth('viewer') }), 403, /viewer role may not/);
        expectError(await app.inject({ url: '/api/users', headers: auth('planner') }), 403);
        expectError(await app.inject({ url: '/api/users' }), 401);
        const list = await app.inject({ url: '/api/users', headers: auth('admin') });
        expect(list.json().map((u: { username: string }) => u.username)).toEqual(['admin', 'planner1', 'viewer1']);
        expect(list.body).not.toMatch(/scrypt|password/);
        expectError(await app.inject({ method: 'POST', url: '/api/users', headers: auth('planner'), payload: { username: 'x', password: 'long-enough-1', role: 'admin' } }), 403);
        expectError(await app.inject({ method: 'POST', url: '/api/users', headers: auth('admin'), payload: { username: 'viewer1', password: 'long-enough-1', role: 'viewer' } }), 409, /already exists/);
        expectError(await app.inject({ method: 'POST', url: '/api/users', headers: auth('admin'), payload: { username: 'short', password: 'short', role: 'viewer' } }), 400, /password/);
        expectError(await app.inject({ method: 'POST', url: '/api/users', headers: auth('admin'), payload: { username: 'bad name!', password: 'long-enough-1', role: 'viewer' } }), 400, /username/);
        expectError(await app.inject({ method: 'POST', url: '/api/users', headers: auth('admin'), payload: { username: 'x2', password: 'long-enough-1', role: 'root' } }), 400, /role/);
        const made = await app.inject({ method: 'POST', url: '/api/users', headers: auth('admin'), payload: { username: '临时用户', password: 'long-enough-1', role: 'viewer' } });
        expect(made.statusCode).toBe(201);
        const changed = await app.inject({ method: 'PATCH', url: `/api/users/${made.json().id}`, headers: auth('admin'), payload: { role: 'planner' } });
        expect(changed.json()).toMatchObject({ username: '临时用户', role: 'planner' });
        expectError(await app.inject({ method: 'PATCH', url: '/api/users/nobody', headers: auth('admin'), payload: { role: 'planner' } }), 404);
        expectError(await app.inject({ method: 'PATCH', url: `/api/users/${made.json().id}`, headers: auth('planner'), payload: { role: 'admin' } }), 403);
      });
    });

    describe('cities', () => {
      it('an admin imports a city file; it is not public: anonymous clients cannot read it, logged-in viewers can', async () => {
        const file = JSON.stringify(cityToGeoJSON(makeTestCity('内部城区')));
        expectError(await app.inject({ method: 'POST', url: '/api/cities?filename=x.city.json', headers: { ...auth('planner'), 'content-type': 'application/json' }, payload: file }), 403);
        expectError(await app.inject({ method: 'POST', url: '/api/cities?filename=x.city.json', headers: { 'content-type': 'application/json' }, payload: file }), 401);
        const r = await app.inject({ method: 'POST', url: '/api/cities?filename=inner.city.json', headers: { ...auth('admin'), 'content-type': 'application/json' }, payload: file });
        expect(r.statusCode, r.body).toBe(201);
        expect(r.json().city).toMatchObject({ name: '内部城区', public: false, summary: { buildings: { count: 17 } } });
        privateCityId = r.json().city.id;
        expectError(await app.inject(`/api/cities/${privateCityId}`), 401, /not public/);
        expectError(await app.inject(`/api/cities/${privateCityId}/file`), 401, /not public/);
        expect((await app.inject('/api/cities')).json().map((c: { id: string }) => c.id)).toEqual(['default']);
        expect((await app.inject({ url: '/api/cities', headers: auth('viewer') })).json().map((c: { id: string }) => c.id)).toEqual(['default', privateCityId]);
        expect((await app.inject({ url: `/api/cities/${privateCityId}`, headers: auth('viewer') })).json().name).toBe('内部城区');
        const fileBack = await app.inject({ url: `/api/cities/${privateCityId}/file`, headers: auth('viewer') });
        expect(fileBack.json().features.filter((f: { properties: { layer: string } }) => f.properties.layer === 'building')).toHaveLength(17);
        expectError(await app.inject('/api/cities/no-such-city'), 404);
      });

      it('imports plain GeoJSON through the importers; bad content is a 422 naming the file, record and field', async () => {
        const gj = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { building: 'yes', height: 20 }, geometry: { type: 'Polygon', coordinates: [[[119.16, 36.71], [119.161, 36.71], [119.161, 36.711], [119.16, 36.711], [119.16, 36.71]]] } }] };
        const ok = await app.inject({ method: 'POST', url: '/api/cities?filename=blocks.geojson&name=街区&public=true', headers: { ...auth('admin'), 'content-type': 'application/geo+json' }, payload: JSON.stringify(gj) });
        expect(ok.statusCode, ok.body).toBe(201);
        expect(ok.json()).toMatchObject({ city: { name: '街区', public: true, summary: { buildings: { count: 1 } } }, importReport: { files: [{ file: 'blocks.geojson', format: 'geojson' }] } });
        (gj.features[0].properties as Record<string, unknown>).height = 'abc';
        expectError(await app.inject({ method: 'POST', url: '/api/cities?filename=bad.geojson', headers: { ...auth('admin'), 'content-type': 'application/octet-stream' }, payload: JSON.stringify(gj) }), 422, /bad\.geojson, feature 0, field 'height'/);
        expectError(await app.inject({ method: 'POST', url: '/api/cities?filename=broken.geojson', headers: { ...auth('admin'), 'content-type': 'text/plain' }, payload: '{"type": ' }), 422, /broken\.geojson, line 1, column \d+/);
        expectError(await app.inject({ method: 'POST', url: '/api/cities?filename=empty.geojson', headers: { ...auth('admin'), 'content-type': 'text/plain' }, payload: '' }), 400, /empty/);
        expectError(await app.inject({ method: 'POST', url: '/api/cities', headers: { ...auth('admin'), 'content-type': 'text/plain' }, payload: 'x' }), 400, /filename/);
      });

      it('refuses uploads over the size limit with 413', async () => {
        const big = 'x'.repeat(1024 * 1024 + 10);
        expectError(await app.inject({ method: 'POST', url: '/api/cities?filename=big.geojson', headers: { ...auth('admin'), 'content-type': 'application/octet-stream' }, payload: big }), 413);
      });

      it('an admin publishes a city; nobody deletes the served one', async () => {
        expectError(await app.inject({ method: 'PATCH', url: `/api/cities/${privateCityId}`, headers: auth('planner'), payload: { public: true } }), 403);
        expectError(await app.inject({ method: 'PATCH', url: `/api/cities/${privateCityId}`, headers: auth('admin'), payload: { public: 'yes please' } }), 400);
        expect((await app.inject({ method: 'PATCH', url: `/api/cities/${privateCityId}`, headers: auth('admin'), payload: { public: true } })).json().public).toBe(true);
        expect((await app.inject(`/api/cities/${privateCityId}`)).statusCode).toBe(200);
        await app.inject({ method: 'PATCH', url: `/api/cities/${privateCityId}`, headers: auth('admin'), payload: { public: false } });
        expectError(await app.inject(`/api/cities/${privateCityId}`), 401);
        expectError(await app.inject({ method: 'DELETE', url: '/api/cities/default', headers: auth('admin') }), 400, /served city/);
        expectError(await app.inject({ method: 'DELETE', url: `/api/cities/${privateCityId}`, headers: auth('viewer') }), 403);
      });
    });

    describe('scenarios', () => {
      let id = '';
      let devices: { id: string; properties: Record<string, unknown>; geometry: { coordinates: number[] } }[] = [];

      it('a planner creates a scenario (version 1, the city devices); viewers and anonymous clients cannot', async () => {
        expectError(await app.inject({ method: 'POST', url: '/api/scenarios', headers: auth('viewer'), payload: { cityId: 'default', name: 'x' } }), 403);
        expectError(await app.inject({ method: 'POST', url: '/api/scenarios', payload: { cityId: 'default', name: 'x' } }), 401);
        expectError(await app.inject({ method: 'POST', url: '/api/scenarios', headers: auth('planner'), payload: { cityId: 'nowhere', name: 'x' } }), 404);
        expectError(await app.inject({ method: 'POST', url: '/api/scenarios', headers: auth('planner'), payload: { name: 'x' } }), 400, /cityId/);
        const r = await app.inject({ method: 'POST', url: '/api/scenarios', headers: auth('planner'), payload: { cityId: 'default', name: '方案一', message: 'start' } });
        expect(r.statusCode, r.body).toBe(201);
        expect(r.headers.etag).toBe('"1"');
        expect(r.json()).toMatchObject({ cityId: 'default', name: '方案一', version: 1, latestVersion: 1, indicators: null, message: 'start' });
        id = r.json().id;
        devices = r.json().devices;
        expect(devices.map((d) => d.id)).toEqual(['cam-1', 'sig-1']);
      });

      it('saves need the edited version: 428 without, 409 when stale (nothing saved), 200 with a new version otherwise', async () => {
        const moved = devices.map((d) => (d.id === 'cam-1' ? { ...d, properties: { ...d.properties, headingDeg: 90 } } : d));
        expectError(await app.inject({ method: 'PUT', url: `/api/scenarios/${id}`, headers: auth('planner'), payload: { devices: moved } }), 428, /If-Match/);
        expectError(await app.inject({ method: 'PUT', url: `/api/scenarios/${id}`, headers: { ...auth('planner'), 'if-match': 'abc' }, payload: { devices: moved } }), 400, /If-Match/);
        expectError(await app.inject({ method: 'PUT', url: `/api/scenarios/${id}`, headers: { ...auth('viewer'), 'if-match': '"1"' }, payload: { devices: moved } }), 403);
        expectError(await app.inject({ method: 'PUT', url: `/api/scenarios/${id}`, headers: { 'if-match': '"1"' }, payload: { devices: moved } }), 401);
        const ok = await app.inject({ method: 'PUT', url: `/api/scenarios/${id}`, headers: { ...auth('planner'), 'if-match': '"1"' }, payload: { devices: moved, message: 'turn the camera' } });
        expect(ok.statusCode, ok.body).toBe(200);
        expect(ok.headers.etag).toBe('"2"');
        // A colleague still on version 1 saves: refused, and version 2 stays the latest.
        const stale = await app.inject({ method: 'PUT', url: `/api/scenarios/${id}`, headers: auth('admin'), payload: { devices: devices.slice(1), baseVersion: 1 } });
        expectError(stale, 409, /is at version 2, but this save is based on version 1/);
        const latest = await app.inject(`/api/scenarios/${id}`);
        expect(latest.json()).toMatchObject({ version: 2, message: 'turn the camera' });
        expect(latest.json().devices.find((d: { id: string }) => d.id === 'cam-1').properties.headingDeg).toBe(90);
        expectError(await app.inject({ method: 'PUT', url: `/api/scenarios/${id}`, headers: { ...auth('planner'), 'if-match': '"2"' }, payload: { devices, baseVersion: 1 } }), 400, /If-Match says version 2 but baseVersion says 1/);
        // Version 3 removes the signal and adds a 5G cell.
        const cell = { type: 'Feature', id: 'nr-1', geometry: { type: 'Point', coordinates: devices[0].geometry.coordinates }, properties: { deviceType: 'cell5g', heightM: 25, headingDeg: 0, tiltDeg: 6 } };
        const v3 = await app.inject({ method: 'PUT', url: `/api/scenarios/${id}`, headers: { ...auth('planner'), 'if-match': 'W/"2"' }, payload: { devices: [moved[0], cell], name: '方案一(改)' } });
        expect(v3.statusCode, v3.body).toBe(200);
        expect(v3.json()).toMatchObject({ version: 3, name: '方案一(改)' });
      });

      it('validates devices: schema errors 400, city-file rules 422 naming the feature and field', async () => {
        const h = { ...auth('planner'), 'if-match': '"3"' };
        expectError(await app.inject({ method: 'PUT', url: `/api/scenarios/${id}`, headers: h, payload: { devices: [{ ...devices[0], properties: { deviceType: 'toaster' } }] } }), 400, /deviceType/);
        expectError(await app.inject({ method: 'PUT', url: `/api/scenarios/${id}`, headers: h, payload: { devices: [{ ...devices[0], geometry: { type: 'Point', coordinates: [1] } }] } }), 400, /coordinates/);
        expectError(await app.inject({ method: 'PUT', url: `/api/scenarios/${id}`, headers: h, payload: { devices: [devices[0], devices[0]] } }), 422, /feature 1 \(id 'cam-1'\), field 'id': duplicate device id/);
        expectError(await app.inject({ method: 'PUT', url: `/api/scenarios/${id}`, payload: 'not json', headers: { ...h, 'content-type': 'application/json' } }), 400);
        expect((await app.inject(`/api/scenarios/${id}/versions`)).json()).toHaveLength(3);
      });

      it('lists, reads versions and compares them (device diff; indicator deltas need coverage)', async () => {
        const versions = (await app.inject(`/api/scenarios/${id}/versions`)).json();
        expect(versions.map((v: { version: number; deviceCount: number }) => [v.version, v.deviceCount])).toEqual([[1, 2], [2, 2], [3, 2]]);
        expect(versions[1].message).toBe('turn the camera');
        const v1 = await app.inject(`/api/scenarios/${id}/versions/1`);
        expect(v1.json()).toMatchObject({ version: 1, latestVersion: 3, name: '方案一(改)' });
        expectError(await app.inject(`/api/scenarios/${id}/versions/9`), 404);
        expectError(await app.inject(`/api/scenarios/${id}/versions/zero`), 400);
        const cmp = await app.inject(`/api/scenarios/${id}/compare?from=1&to=3`);
        expect(cmp.json().devices).toEqual({ added: ['nr-1'], removed: ['sig-1'], changed: [{ id: 'cam-1', fields: ['headingDeg'] }], unchanged: 0 });
        expect(cmp.json().notes).toHaveLength(2);
        expectError(await app.inject(`/api/scenarios/${id}/compare?from=1`), 400, /to/);
        const list = await app.inject('/api/scenarios?cityId=default');
        expect(list.json().map((s: { id: string }) => s.id)).toContain(id);
        expectError(await app.inject('/api/scenarios/nothing-here'), 404);
      });

      it('scenarios of a city that is not public are hidden from anonymous clients', async () => {
        const r = await app.inject({ method: 'POST', url: '/api/scenarios', headers: auth('planner'), payload: { cityId: privateCityId, name: '内部方案' } });
        expect(r.statusCode, r.body).toBe(201);
        expectError(await app.inject(`/api/scenarios/${r.json().id}`), 401, /not public/);
        expectError(await app.inject(`/api/scenarios?cityId=${privateCityId}`), 401);
        expect((await app.inject('/api/scenarios')).json().map((s: { id: string }) => s.id)).not.toContain(r.json().id);
        expect((await app.inject({ url: '/api/scenarios', headers: auth('viewer') })).json().map((s: { id: string }) => s.id)).toContain(r.json().id);
        expect((await app.inject({ url: `/api/scenarios/${r.json().id}`, headers: auth('viewer') })).statusCode).toBe(200);
      });

      describe('jobs and reports', () => {
        it('coverage: 202, server-sent progress to the end, indicator values stored on the version, reports in JSON, CSV and zh-CN HTML, blind spots', async () => {
          expectError(await app.inject(`/api/scenarios/${id}/report`), 409, /no coverage results yet/);
          expectError(await app.inject({ method: 'POST', url: '/api/jobs', headers: auth('viewer'), payload: { kind: 'coverage', scenarioId: id } }), 403);
          expectError(await app.inject({ method: 'POST', url: '/api/jobs', payload: { kind: 'coverage', scenarioId: id } }), 401);
          const sub = await app.inject({ method: 'POST', url: '/api/jobs', headers: auth('planner'), payload: { kind: 'coverage', scenarioId: id, version: 3 } });
          expect(sub.statusCode, sub.body).toBe(202);
          expect(sub.headers.location).toBe(`/api/jobs/${sub.json().id}`);
          expect(sub.json()).toMatchObject({ kind: 'coverage', scenarioId: id, scenarioVersion: 3, cityId: 'default' });
          expect(['queued', 'running']).toContain(sub.json().status);
          const events = await app.inject(`/api/jobs/${sub.json().id}/events`);
          expect(events.headers['content-type']).toMatch(/^text\/event-stream/);
          const frames = events.body.split('\n\n').filter((f) => f.startsWith('event: job')).map((f) => JSON.parse(f.split('\ndata: ')[1]));
          expect(frames.length).toBeGreaterThan(1);
          expect(frames.at(-1)).toMatchObject({ status: 'done', progress: 1 });
          for (let k = 1; k < frames.length; k++) expect(frames[k].progress).toBeGreaterThanOrEqual(frames[k - 1].progress);
          expect(new Set(frames.map((f) => f.phase))).toContain('camera');
          const result = (await app.inject(`/api/jobs/${sub.json().id}/result`)).json();
          expect(result.format).toBe('cimtwin-coverage');
          const v3 = (await app.inject(`/api/scenarios/${id}/versions/3`)).json();
          expect(Object.keys(v3.indicators)).toEqual(expect.arrayContaining(['video_hd_coverage', 'epolice_coverage', 'nr5g_key_area_coverage']));
          expect(v3.indicators.video_hd_coverage.value).toBe(result.indicators.video_hd_coverage.value);
          const json = await app.inject(`/api/scenarios/${id}/report`);
          expect(json.headers['content-type']).toMatch(/^application\/json/);
          const video = json.json().indicators.flatMap((i: { values: { measure: string }[] }) => i.values).find((v: { measure: string }) => v.measure === 'video_hd_coverage');
          expect(video.value).toBe(result.indicators.video_hd_coverage.value);
          const csv = await app.inject(`/api/scenarios/${id}/report?format=csv`);
          expect(csv.headers['content-type']).toMatch(/^text\/csv/);
          expect(csv.body.split('\n')[0]).toMatch(/^record_type,id,/);
          const html = await app.inject(`/api/scenarios/${id}/report?format=html`);
          expect(html.body).toMatch(/<html lang="zh-CN">/);
          expect(html.body).toContain('新型智慧城市建设指标评分报告');
          expectError(await app.inject(`/api/scenarios/${id}/report?format=pdf`), 400, /format/);
          const holes = await app.inject(`/api/scenarios/${id}/blind-spots`);
          expect(holes.json()).toEqual(result.camera.blindSpots);
          expect(holes.headers['content-type']).toMatch(/^application\/geo\+json/);
          expectError(await app.inject(`/api/scenarios/${id}/blind-spots?version=1`), 409);
          const cmp = (await app.inject(`/api/scenarios/${id}/compare?from=3&to=3`)).json();
          expect(cmp.indicators.find((i: { id: string }) => i.id === 'video_hd_coverage')).toMatchObject({ delta: 0 });
          // Jobs of the scenario, newest first.
          expect((await app.inject(`/api/jobs?scenarioId=${id}`)).json()[0].id).toBe(sub.json().id);
        });

        it('placement: proposals as GeoJSON; bad parameters 400; a job of another kind has no proposals', async () => {
          expectError(await app.inject({ method: 'POST', url: '/api/jobs', headers: auth('planner'), payload: { kind: 'placement', scenarioId: id, params: { device: 'camera' } } }), 400, /goal/);
          expectError(await app.inject({ method: 'POST', url: '/api/jobs', headers: auth('planner'), payload: { kind: 'placement', params: { device: 'camera', goal: { count: 1 } } } }), 400, /needs scenarioId/);
          expectError(await app.inject({ method: 'POST', url: '/api/jobs', headers: auth('planner'), payload: { kind: 'tiles', scenarioId: id } }), 400);
          const sub = await app.inject({ method: 'POST', url: '/api/jobs', headers: auth('planner'), payload: { kind: 'placement', scenarioId: id, params: { device: 'camera', goal: { count: 2 } } } });
          expect(sub.statusCode, sub.body).toBe(202);
          expectError(await app.inject(`/api/jobs/${sub.json().id}/proposals`), 409, /no proposals/);
          const done = await until(async () => (await app.inject(`/api/jobs/${sub.json().id}`)).json(), (j) => j.status === 'done' || j.status === 'failed');
          expect(done.status, done.error).toBe('done');
          const gj = (await app.inject(`/api/jobs/${sub.json().id}/proposals`)).json();
          expect(gj.type).toBe('FeatureCollection');
          const result = (await app.inject(`/api/jobs/${sub.json().id}/result`)).json();
          expect(result.summary).toMatchObject({ device: 'camera', newDevices: 2 });
          const coverageJob = (await app.inject(`/api/jobs?scenarioId=${id}`)).json().find((j: { kind: string }) => j.kind === 'coverage');
          expectError(await app.inject(`/api/jobs/${coverageJob.id}/proposals`), 409, /not a placement/);
        });

        it('greenwave on a city: the plan and a SUMO tlLogic file; a corridor without two signals fails with the reason', async () => {
          const up = await app.inject({ method: 'POST', url: '/api/cities?filename=corridor.city.json', headers: { ...auth('admin'), 'content-type': 'application/json' }, payload: JSON.stringify(cityToGeoJSON(corridorCity())) });
          expect(up.statusCode, up.body).toBe(201);
          const sub = await app.inject({ method: 'POST', url: '/api/jobs', headers: auth('planner'), payload: { kind: 'greenwave', cityId: up.json().city.id, params: { nodeIds: ['a0', 'a3'], cycleS: 90 } } });
          expect(sub.statusCode, sub.body).toBe(202);
          const done = await until(async () => (await app.inject({ url: `/api/jobs/${sub.json().id}`, headers: auth('viewer') })).json(), (j) => j.status !== 'queued' && j.status !== 'running');
          expect(done.status, done.error).toBe('done');
          const result = (await app.inject({ url: `/api/jobs/${sub.json().id}/result`, headers: auth('viewer') })).json();
          expect(result.pathNodeIds).toEqual(['a0', 'a1', 'a2', 'a3']);
          expect(result.sumoAdditional).toMatch(/<tlLogic id="a1"/);
          expectError(await app.inject(`/api/jobs/${sub.json().id}`), 401, /not public/);
          const bad = await app.inject({ method: 'POST', url: '/api/jobs', headers: auth('planner'), payload: { kind: 'greenwave', cityId: 'default', params: { nodeIds: ['n', 's'] } } });
          const failed = await until(async () => (await app.inject(`/api/jobs/${bad.json().id}`)).json(), (j) => j.status !== 'queued' && j.status !== 'running');
          expect(failed).toMatchObject({ status: 'failed', error: expect.stringMatching(/at least 2/) });
          expectError(await app.inject(`/api/jobs/${bad.json().id}/result`), 409, /failed/);
        });

        it('cancel stops a job; a full queue answers 503 with Retry-After and stores nothing', async () => {
          const submit = () => app.inject({ method: 'POST', url: '/api/jobs', headers: auth('planner'), payload: { kind: 'coverage', scenarioId: id } });
          const a = await submit();
          const b = await submit();
          expect([a.statusCode, b.statusCode]).toEqual([202, 202]);
          const c = await submit();
          expectError(c, 503, /queue is full/);
          expect(c.headers['retry-after']).toBe('60');
          expectError(await app.inject({ method: 'POST', url: `/api/jobs/${b.json().id}/cancel`, headers: auth('viewer') }), 403);
          // Both are still in their first phase (the test delay): the running one and the queued one.
          const ca = await app.inject({ method: 'POST', url: `/api/jobs/${a.json().id}/cancel`, headers: auth('planner') });
          expect(ca.json()).toMatchObject({ status: 'cancelled', error: 'cancelled' });
          const cb = await app.inject({ method: 'POST', url: `/api/jobs/${b.json().id}/cancel`, headers: auth('planner') });
          expect(cb.json()).toMatchObject({ status: 'cancelled', error: 'cancelled' });
          // The refused job left no row.
          const ids = (await app.inject('/api/jobs?limit=500')).json().map((j: { id: string }) => j.id);
          expect(ids.slice(0, 2).sort()).toEqual([a.json().id, b.json().id].sort());
          // Cancelling a finished job changes nothing.
          expect((await app.inject({ method: 'POST', url: `/api/jobs/${a.json().id}/cancel`, headers: auth('planner') })).json().status).toBe('cancelled');
          expectError(await app.inject({ method: 'POST', url: '/api/jobs/nope/cancel', headers: auth('planner') }), 404);
          // The event stream of a finished job sends its final state and ends.
          const ev = await app.inject(`/api/jobs/${a.json().id}/events`);
          expect(ev.body.match(/event: job/g)).toHaveLength(1);
          expect(ev.body).toContain('"status":"cancelled"');
        });

        it('a job left running by a dead process is failed at start, never left running', async () => {
          await app.api.db.query(`INSERT INTO jobs(id, kind, status, phase, params, city_id) VALUES ('left-over', 'coverage', 'running', 'camera', '{}', 'default')`);
          expect(await app.api.jobs.recover()).toBe(1);
          expect((await app.inject('/api/jobs/left-over')).json()).toMatchObject({ status: 'failed', error: RESTART_MESSAGE });
        });
      });
    });

    it('answers unknown API paths with the error shape', async () => {
      expectError(await app.inject('/api/nothing'), 404, /no route/);
    });

    it('rate-limits login attempts per address (429 with the stable error shape)', async () => {
      let last: LightMyRequestResponse | undefined;
      for (let k = 0; k < 40; k++) {
        last = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'ghost', password: 'x' } });
        if (last.statusCode === 429) break;
      }
      expectError(last!, 429, /too many login attempts/);
    });
  });
}
