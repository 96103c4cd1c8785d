/**
 * The big screen's and the workbench's server side, on PGlite and on PostgreSQL (CIMTWIN_TEST_PG_URL;
 * see server/db/test-db.ts): the live scenario of a city, device-status patches, the scenario event
 * stream (over a real socket: the app listens on port 0) and the device-ledger parse. Bad input and
 * wrong roles included.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildApp, REPO_ROOT } from './app.ts';
import { ADMIN_PASSWORD, expectError, loginRoles, until } from './test-api.ts';
import { makeTestCity } from './test-city.ts';
import { SseClient } from './test-sse.ts';
import { cityToGeoJSON } from '../sim-core/cim/city-file.ts';
import { announceSkip, TEST_DATABASES } from './db/test-db.ts';
import { ensureLiveScenario, LIVE_SCENARIO_NAME } from './db/live-scenarios.ts';
import { MAX_CHANGED_IDS } from './db/scenarios.ts';

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'import');

interface Device {
  type: 'Feature';
  id: string;
  geometry: { type: 'Point'; coordinates: number[] };
  properties: Record<string, unknown>;
}

/** `n` cameras around the test city's centre. */
const cameras = (n: number, prefix = 'cam-x'): Device[] =>
  Array.from({ length: n }, (_, i) => ({
    type: 'Feature',
    id: `${prefix}${i}`,
    geometry: { type: 'Point', coordinates: [119.16 + i * 1e-5, 36.71] },
    properties: { deviceType: 'camera', heightM: 6, headingDeg: 0, tiltDeg: 15, hfovDeg: 90 },
  }));

for (const engine of TEST_DATABASES) {
  announceSkip(engine, 'server/live.test.ts');
  describe.skipIf(engine.skipReason !== null)(`live scenario, device status, events and ledger parse on ${engine.engine}`, () => {
    let app: FastifyInstance;
    let base = '';
    let cleanup: () => Promise<void>;
    const token: Record<'admin' | 'planner' | 'viewer', string> = { admin: '', planner: '', viewer: '' };
    const auth = (role: keyof typeof token) => ({ authorization: `Bearer ${token[role]}` });
    let liveId = '';
    let privateCityId = '';
    const clients: SseClient[] = [];
    const connect = async (path: string, headers: Record<string, string> = {}) => {
      const c = await SseClient.open(`${base}${path}`, headers);
      clients.push(c);
      return c;
    };

    beforeAll(async () => {
      const opened = await engine.open();
      cleanup = opened.cleanup;
      app = buildApp({
        city: makeTestCity(),
        staticDir: false,
        tilesCacheDir: false,
        jobTilesDir: false,
        api: { database: opened.db, adminPassword: ADMIN_PASSWORD, loginRateLimit: 30, maxUploadMb: 1, sseHeartbeatMs: 150 },
      });
      await app.listen({ host: '127.0.0.1', port: 0 });
      base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
      Object.assign(token, await loginRoles(app));
    });

    afterAll(async () => {
      for (const c of clients) c.close();
      await app?.close().catch(() => {});
      await app?.api?.db.close();
      await cleanup?.();
    });

    describe('live scenario', () => {
      it('the served city got one at start: "现状 (live)", its own devices, made by the system; anonymous clients read it', async () => {
        const r = await app.inject('/api/cities/default/live-scenario');
        expect(r.statusCode, r.body).toBe(200);
        expect(r.json()).toMatchObject({ cityId: 'default', name: LIVE_SCENARIO_NAME, latestVersion: 1, createdBy: null });
        liveId = r.json().id;
        const s = (await app.inject(`/api/scenarios/${liveId}`)).json();
        expect(s.devices.map((d: Device) => d.id)).toEqual(['cam-1', 'sig-1']);
        expect(s.devices.find((d: Device) => d.id === 'sig-1').properties.healthy).toBe(false);
        // A second start makes no second one.
        expect(await ensureLiveScenario(app.api.db, app.api.cities, app.api.scenarios, 'default')).toEqual({ id: liveId, created: false });
        const n = (await app.api.db.query<{ n: number }>("SELECT count(*)::int AS n FROM scenarios WHERE city_id = 'default'")).rows[0].n;
        expect(n).toBe(1);
        expectError(await app.inject('/api/cities/nowhere/live-scenario'), 404, /no city nowhere/);
      });

      it('a private city: anonymous 401; logged in 404 until an admin sets one; only an admin sets it, to a scenario of the same city', async () => {
        const up = await app.inject({ method: 'POST', url: '/api/cities?filename=inner.city.json', headers: { ...auth('admin'), 'content-type': 'application/json' }, payload: JSON.stringify(cityToGeoJSON(makeTestCity('内部城区'))) });
        expect(up.statusCode, up.body).toBe(201);
        privateCityId = up.json().city.id;
        expectError(await app.inject(`/api/cities/${privateCityId}/live-scenario`), 401, /not public/);
        expectError(await app.inject({ url: `/api/cities/${privateCityId}/live-scenario`, headers: auth('viewer') }), 404, /has no live scenario.*PUT/);
        const own = await app.inject({ method: 'POST', url: '/api/scenarios', headers: auth('planner'), payload: { cityId: privateCityId, name: '内部现状' } });
        const put = (role: keyof typeof token | null, cityId: string, payload: unknown) =>
          app.inject({ method: 'PUT', url: `/api/cities/${cityId}/live-scenario`, headers: role ? auth(role) : {}, payload: payload as Record<string, unknown> });
        expectError(await put(null, privateCityId, { scenarioId: own.json().id }), 401);
        expectError(await put('planner', privateCityId, { scenarioId: own.json().id }), 403, /needs admin/);
        expectError(await put('viewer', privateCityId, { scenarioId: own.json().id }), 403);
        expectError(await put('admin', privateCityId, { scenarioId: liveId }), 422, new RegExp(`scenario ${liveId} is of city default, not of city ${privateCityId}`));
        expectError(await put('admin', privateCityId, { scenarioId: 'no-such' }), 404, /no scenario no-such/);
        expectError(await put('admin', 'no-city', { scenarioId: own.json().id }), 404, /no city no-city/);
        expectError(await put('admin', privateCityId, {}), 400, /scenarioId/);
        const ok = await put('admin', privateCityId, { scenarioId: own.json().id });
        expect(ok.statusCode, ok.body).toBe(200);
        expect(ok.json()).toMatchObject({ id: own.json().id, cityId: privateCityId, name: '内部现状' });
        expect((await app.inject({ url: `/api/cities/${privateCityId}/live-scenario`, headers: auth('viewer') })).json().id).toBe(own.json().id);
      });
    });

    describe('device status', () => {
      it('viewers and anonymous clients cannot push status; bad bodies are 400; an unknown device is a 422 naming it and saves nothing', async () => {
        const url = `/api/scenarios/${liveId}/device-status`;
        expectError(await app.inject({ method: 'POST', url, payload: { devices: [{ id: 'cam-1', healthy: false }] } }), 401);
        expectError(await app.inject({ method: 'POST', url, headers: auth('viewer'), payload: { devices: [{ id: 'cam-1', healthy: false }] } }), 403);
        expectError(await app.inject({ method: 'POST', url, headers: auth('planner'), payload: { devices: [] } }), 400, /devices/);
        expectError(await app.inject({ method: 'POST', url, headers: auth('planner'), payload: { devices: [{ id: 'cam-1', healthy: 'no' }] } }), 400, /healthy/);
        expectError(await app.inject({ method: 'POST', url, headers: auth('planner'), payload: { devices: [{ id: 'cam-1' }] } }), 400, /devices\/0 \(device 'cam-1'\) gives neither healthy nor networked/);
        expectError(await app.inject({ method: 'POST', url, headers: auth('planner'), payload: { devices: [{ id: 'cam-1', healthy: false }, { id: 'cam-1', networked: false }] } }), 400, /devices\/1: device 'cam-1' is listed twice/);
        expectError(await app.inject({ method: 'POST', url: '/api/scenarios/nope/device-status', headers: auth('planner'), payload: { devices: [{ id: 'cam-1', healthy: false }] } }), 404, /no scenario nope/);
        expectError(
          await app.inject({ method: 'POST', url, headers: auth('planner'), payload: { devices: [{ id: 'cam-1', healthy: false }, { id: 'ghost-7', healthy: false }] } }),
          422,
          new RegExp(`scenario ${liveId} \\(version 1\\) has no device 'ghost-7'.*nothing was saved`),
        );
        const versions = (await app.inject(`/api/scenarios/${liveId}/versions`)).json();
        expect(versions).toHaveLength(1);
        expect((await app.inject(`/api/scenarios/${liveId}`)).json().devices.find((d: Device) => d.id === 'cam-1').properties.healthy).toBe(true);
      });

      it('a change is one new version on top of the latest (no If-Match); the same values again change nothing', async () => {
        const url = `/api/scenarios/${liveId}/device-status`;
        const r = await app.inject({ method: 'POST', url, headers: auth('planner'), payload: { devices: [{ id: 'cam-1', healthy: false, networked: false }, { id: 'sig-1', healthy: false }] } });
        expect(r.statusCode, r.body).toBe(200);
        expect(r.headers.etag).toBe('"2"');
        expect(r.headers['x-cimtwin-changed']).toBe('1');
        expect(r.json()).toMatchObject({ id: liveId, version: 2, latestVersion: 2, createdBy: expect.any(String) });
        expect(r.json().message).toMatch(/^device status: cam-1 healthy false, networked false$/);
        // The answer is the version as stored (made without reading it back: the same as a GET of it).
        expect(r.json()).toEqual((await app.inject(`/api/scenarios/${liveId}/versions/2`)).json());
        const cam = r.json().devices.find((d: Device) => d.id === 'cam-1');
        expect(cam.properties).toMatchObject({ healthy: false, networked: false, deviceType: 'camera', headingDeg: 45 });
        // Same values (and networked on sig-1, which has none: true by default): nothing saved, same version.
        const again = await app.inject({ method: 'POST', url, headers: auth('admin'), payload: { devices: [{ id: 'cam-1', healthy: false }, { id: 'sig-1', networked: true }], message: 'poll' } });
        expect(again.statusCode, again.body).toBe(200);
        expect(again.headers['x-cimtwin-changed']).toBe('0');
        expect(again.json()).toMatchObject({ version: 2, latestVersion: 2 });
        expect((await app.inject(`/api/scenarios/${liveId}/versions`)).json()).toHaveLength(2);
        // A message of the platform's own.
        const back = await app.inject({ method: 'POST', url, headers: auth('admin'), payload: { devices: [{ id: 'cam-1', healthy: true }], message: 'VMS: 人民广场 camera back online' } });
        expect(back.json()).toMatchObject({ version: 3, message: 'VMS: 人民广场 camera back online' });
        // A planner who edited version 2 is now stale: the status version counts as a save.
        expectError(await app.inject({ method: 'PUT', url: `/api/scenarios/${liveId}`, headers: { ...auth('planner'), 'if-match': '"2"' }, payload: { devices: back.json().devices } }), 409, /version 3/);
      });

      it('concurrent status patches and a save serialise: every patch lands on top of whatever is latest, versions have no gaps', async () => {
        const made = await app.inject({ method: 'POST', url: '/api/scenarios', headers: auth('planner'), payload: { cityId: 'default', name: 'concurrency', devices: cameras(12) } });
        expect(made.statusCode, made.body).toBe(201);
        const id = made.json().id;
        const turned = made.json().devices.map((d: Device) => (d.id === 'cam-x11' ? { ...d, properties: { ...d.properties, headingDeg: 180 } } : d));
        const patches = Array.from({ length: 12 }, (_, i) =>
          app.inject({ method: 'POST', url: `/api/scenarios/${id}/device-status`, headers: auth('planner'), payload: { devices: [{ id: `cam-x${i}`, healthy: false }] } }),
        );
        const save = app.inject({ method: 'PUT', url: `/api/scenarios/${id}`, headers: { ...auth('planner'), 'if-match': '"1"' }, payload: { devices: turned } });
        const results = await Promise.all(patches);
        const saved = await save;
        for (const r of results) expect(r.statusCode, r.body).toBe(200);
        // The save based on version 1 either came first (200) or found a status version in between (409).
        expect([200, 409]).toContain(saved.statusCode);
        const versions = 1 + 12 + (saved.statusCode === 200 ? 1 : 0);
        const last = (await app.inject(`/api/scenarios/${id}`)).json();
        expect(last.version).toBe(versions);
        expect(last.devices.every((d: Device) => d.properties.healthy === false)).toBe(true);
        expect(last.devices.find((d: Device) => d.id === 'cam-x11').properties.headingDeg).toBe(saved.statusCode === 200 ? 180 : 0);
        expect((await app.inject(`/api/scenarios/${id}/versions`)).json().map((v: { version: number }) => v.version)).toEqual(Array.from({ length: versions }, (_, i) => i + 1));
      });
    });

    describe('scenario event stream (real socket)', () => {
      it('sends retry and the current version on connect, then one event per new version from PUT and device-status (none for a no-op), with heartbeats', async () => {
        const s = await connect(`/api/scenarios/${liveId}/events`);
        expect(s.status).toBe(200);
        expect(s.headers.get('content-type')).toMatch(/^text\/event-stream/);
        expect(s.headers.get('x-request-id')).toBeTruthy();
        await s.until(() => s.frames.length > 0);
        expect(s.frames[0].retry).toBe(1000);
        const first = await s.nth('version', 1);
        const now = (await app.inject(`/api/scenarios/${liveId}`)).json();
        expect(first).toEqual({
          scenarioId: liveId,
          cityId: 'default',
          name: LIVE_SCENARIO_NAME,
          version: now.version,
          createdAt: now.createdAt,
          createdBy: now.createdBy,
          message: now.message,
          deviceCount: 2,
          changedDeviceIds: ['cam-1'],
          changedDeviceCount: 1,
        });
        expect(s.frames.find((f) => f.event === 'version')!.id).toBe(String(now.version));
        // A save through PUT: a camera added, one turned.
        const devices = now.devices.map((d: Device) => (d.id === 'sig-1' ? { ...d, properties: { ...d.properties, headingDeg: 10 } } : d));
        const added = { ...cameras(1, 'new-cam-')[0] };
        const put = await app.inject({ method: 'PUT', url: `/api/scenarios/${liveId}`, headers: { ...auth('planner'), 'if-match': `"${now.version}"` }, payload: { devices: [...devices, added], message: '加一台' } });
        expect(put.statusCode, put.body).toBe(200);
        const second = await s.nth('version', 2);
        expect(second).toMatchObject({ version: now.version + 1, message: '加一台', deviceCount: 3, changedDeviceCount: 2, createdBy: expect.any(String) });
        expect([...(second.changedDeviceIds as string[])].sort()).toEqual(['new-cam-0', 'sig-1']);
        // A no-op status push sends nothing; the next real change does.
        await app.inject({ method: 'POST', url: `/api/scenarios/${liveId}/device-status`, headers: auth('planner'), payload: { devices: [{ id: 'cam-1', healthy: true }] } });
        const st = await app.inject({ method: 'POST', url: `/api/scenarios/${liveId}/device-status`, headers: auth('planner'), payload: { devices: [{ id: 'new-cam-0', networked: false }] } });
        expect(st.json().version).toBe(now.version + 2);
        const third = await s.nth('version', 3);
        expect(third).toMatchObject({ version: now.version + 2, changedDeviceIds: ['new-cam-0'], changedDeviceCount: 1, message: 'device status: new-cam-0 networked false' });
        expect(s.events('version')).toHaveLength(3);
        await s.until(() => s.comments >= 2, 5000, 'two heartbeats');
        // Versions of another scenario are not sent here.
        const other = await app.inject({ method: 'POST', url: '/api/scenarios', headers: auth('planner'), payload: { cityId: 'default', name: 'other', devices: cameras(2) } });
        await app.inject({ method: 'POST', url: `/api/scenarios/${other.json().id}/device-status`, headers: auth('planner'), payload: { devices: [{ id: 'cam-x0', healthy: false }] } });
        await s.until(() => s.comments >= 4, 5000, 'two more heartbeats');
        expect(s.events('version')).toHaveLength(3);
      });

      it('who may read the scenario may follow it: 401 for anonymous clients on a private city, 404 for no scenario; viewers may', async () => {
        const inner = (await app.inject({ url: `/api/cities/${privateCityId}/live-scenario`, headers: auth('viewer') })).json().id as string;
        const anon = await app.inject(`/api/scenarios/${inner}/events`);
        expectError(anon, 401, /not public/);
        expectError(await app.inject('/api/scenarios/none/events'), 404, /no scenario none/);
        expectError(await app.inject({ url: `/api/scenarios/${inner}/events`, headers: { authorization: 'Bearer wrong' } }), 401, /unknown or has expired/);
        const v = await connect(`/api/scenarios/${inner}/events`, auth('viewer'));
        expect(v.status).toBe(200);
        expect(await v.nth('version', 1)).toMatchObject({ scenarioId: inner, version: 1, changedDeviceIds: [], changedDeviceCount: 0, deviceCount: 2 });
      });

      it('caps the changed ids at the limit and still counts them all', async () => {
        const many = cameras(MAX_CHANGED_IDS + 5);
        const made = await app.inject({ method: 'POST', url: '/api/scenarios', headers: auth('planner'), payload: { cityId: 'default', name: 'many', devices: many } });
        expect(made.statusCode, made.body).toBe(201);
        const s = await connect(`/api/scenarios/${made.json().id}/events`);
        await s.nth('version', 1);
        const r = await app.inject({
          method: 'POST',
          url: `/api/scenarios/${made.json().id}/device-status`,
          headers: auth('planner'),
          payload: { devices: many.map((d) => ({ id: d.id, healthy: false })) },
        });
        expect(r.headers['x-cimtwin-changed']).toBe(String(MAX_CHANGED_IDS + 5));
        const e = await s.nth('version', 2);
        expect(e.changedDeviceCount).toBe(MAX_CHANGED_IDS + 5);
        expect(e.changedDeviceIds).toHaveLength(MAX_CHANGED_IDS);
        expect(r.json().message).toMatch(/; and 1000 more$/);
      });

      it('tells followers when the city is pointed at another live scenario', async () => {
        const s = await connect(`/api/scenarios/${liveId}/events`);
        await s.nth('version', 1);
        const next = await app.inject({ method: 'POST', url: '/api/scenarios', headers: auth('planner'), payload: { cityId: 'default', name: '现状二' } });
        const put = await app.inject({ method: 'PUT', url: '/api/cities/default/live-scenario', headers: auth('admin'), payload: { scenarioId: next.json().id } });
        expect(put.statusCode, put.body).toBe(200);
        expect(await s.nth('live-scenario', 1)).toEqual({ cityId: 'default', scenarioId: next.json().id });
        expect((await app.inject('/api/cities/default/live-scenario')).json().id).toBe(next.json().id);
        // Back, so that the rest of the file follows the first one.
        await app.inject({ method: 'PUT', url: '/api/cities/default/live-scenario', headers: auth('admin'), payload: { scenarioId: liveId } });
        expect(await s.nth('live-scenario', 2)).toEqual({ cityId: 'default', scenarioId: liveId });
      });

      it('cleans up when the client goes', async () => {
        const before = app.api.scenarios.events.listenerCount(liveId);
        const s = await connect(`/api/scenarios/${liveId}/events`);
        await s.nth('version', 1);
        expect(app.api.scenarios.events.listenerCount(liveId)).toBe(before + 1);
        s.close();
        await until(async () => app.api.scenarios.events.listenerCount(liveId), (n) => n === before, 5000);
      });
    });

    describe('device ledger parse', () => {
      const parse = (filename: string, body: Buffer | string, role: keyof typeof token | null = 'planner', cityId = 'default') =>
        app.inject({ method: 'POST', url: `/api/cities/${cityId}/parse-devices?filename=${encodeURIComponent(filename)}`, headers: { ...(role ? auth(role) : {}), 'content-type': 'text/csv' }, payload: body });

      it('reads a GB18030 ledger with Chinese headers into city-file devices, stores nothing, and warns', async () => {
        const scenariosBefore = (await app.inject({ url: '/api/scenarios', headers: auth('viewer') })).json().length;
        const r = await parse('devices-gbk.csv', readFileSync(join(FIXTURES, 'devices-gbk.csv')));
        expect(r.statusCode, r.body).toBe(200);
        const { devices, warnings } = r.json() as { devices: Device[]; warnings: string[] };
        expect(devices.map((d) => d.id)).toEqual(['C001', 'E001', 'S001', 'W001', 'P001', 'G001']);
        const c = devices[0];
        expect(c.properties).toMatchObject({ deviceType: 'camera', heightM: 6, headingDeg: 225, tiltDeg: 15, healthy: true, networked: true, name: '人民广场东北角' });
        expect(c.geometry.coordinates[0]).toBeCloseTo(119.1612, 6);
        expect(c.geometry.coordinates[1]).toBeCloseTo(36.7118, 6);
        expect(devices.find((d) => d.id === 'P001')!.properties).toMatchObject({ deviceType: 'pole', networked: false });
        expect(warnings).toContain('devices-gbk.csv: decoded as gb18030');
        expect(warnings).toContain('devices-gbk.csv: columns kept as attributes (not device fields): 备注');
        // GCJ-02 (E001, 火星坐标 W001) converted to WGS84: all inside the test city.
        expect(devices.find((d) => d.id === 'E001')!.geometry.coordinates[0]).toBeCloseTo(119.1615, 4);
        expect(warnings.some((w) => /outside/.test(w))).toBe(false);
        // Usable as they come: a scenario save accepts them.
        const made = await app.inject({ method: 'POST', url: '/api/scenarios', headers: auth('planner'), payload: { cityId: 'default', name: 'imported', devices } });
        expect(made.statusCode, made.body).toBe(201);
        expect((await app.inject({ url: '/api/scenarios', headers: auth('viewer') })).json().length).toBe(scenariosBefore + 1);
      });

      it('reads the same ledger as UTF-8 and as UTF-16 with a byte-order mark, with the same devices', async () => {
        const text = readFileSync(join(FIXTURES, 'devices-zh.csv'), 'utf8');
        const utf8 = (await parse('devices-zh.csv', text)).json();
        const utf16 = await parse('devices-zh.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
        expect(utf16.statusCode, utf16.body).toBe(200);
        expect(utf16.json().devices).toEqual(utf8.devices);
        expect(utf16.json().warnings).toContain('devices-zh.csv: decoded as utf-16le');
        expect(utf8.warnings.some((w: string) => /decoded as/.test(w))).toBe(false);
      });

      it('says so when a GB18030 ledger was decoded as UTF-8 before it was sent (Blob.text() in a browser)', async () => {
        const mangled = new TextDecoder('utf-8').decode(readFileSync(join(FIXTURES, 'devices-gbk.csv')));
        expect(mangled).toContain('\uFFFD');
        expectError(await parse('devices-gbk.csv', mangled), 422, /^devices-gbk\.csv, row 1, .*U\+FFFD replacement characters: it was decoded as UTF-8 before it was sent.*send the file's bytes/);
      });

      it('reads GeoJSON devices and a city file (its devices; other layers ignored, said so)', async () => {
        const point = (id: string, lon: number) => ({ type: 'Feature', properties: { id, deviceType: 'camera', heightM: 7, headingDeg: 90 }, geometry: { type: 'Point', coordinates: [lon, 36.7101] } });
        const gj = { type: 'FeatureCollection', features: [point('g-cam', 119.1601), point('far-cam', 119.19)] };
        const g = await parse('new.geojson', JSON.stringify(gj));
        expect(g.statusCode, g.body).toBe(200);
        expect(g.json().devices).toMatchObject([{ id: 'g-cam', properties: { deviceType: 'camera', heightM: 7, headingDeg: 90 } }, { id: 'far-cam' }]);
        expect(g.json().warnings).toContain("new.geojson: 1 of 2 devices lie outside the city's extent (far-cam)");
        const city = await parse('other.city.json', JSON.stringify(cityToGeoJSON(makeTestCity('其他'))));
        expect(city.statusCode, city.body).toBe(200);
        expect(city.json().devices.map((d: Device) => d.id)).toEqual(['cam-1', 'sig-1']);
        expect(city.json().warnings).toContain('other.city.json: only devices are read; ignored 17 buildings, 5 road nodes, 1 key areas, 1 scopes');
      });

      it('bad content is a 422 naming the file, the record and the field; empty 400; too big 413; roles and readability checked', async () => {
        expectError(await parse('devices-bad-state.csv', readFileSync(join(FIXTURES, 'devices-bad-state.csv'))), 422, /devices-bad-state\.csv, row 4, field '是否联网'/);
        expectError(await parse('dup.csv', readFileSync(join(FIXTURES, 'devices-duplicate-ids.csv'))), 422, /dup\.csv, row \d+, field/);
        expectError(await parse('x.csv', '编号,名称\nA,B\n'), 422, /x\.csv, row 1, field '(类型|type)'/);
        expectError(await parse('broken.geojson', '{"type": '), 422, /broken\.geojson, line 1, column \d+/);
        expectError(await parse('nothing.geojson', JSON.stringify({ type: 'FeatureCollection', features: [] })), 422, /no .*devices in nothing\.geojson/);
        expectError(await parse('empty.csv', ''), 400, /empty/);
        expectError(await parse('big.csv', 'x'.repeat(1024 * 1024 + 10)), 413);
        expectError(await app.inject({ method: 'POST', url: '/api/cities/default/parse-devices', headers: { ...auth('planner'), 'content-type': 'text/csv' }, payload: 'a' }), 400, /filename/);
        expectError(await parse('a.csv', 'x', null), 401);
        expectError(await parse('a.csv', 'x', 'viewer'), 403);
        expectError(await parse('a.csv', 'x', 'planner', 'no-city'), 404, /no city no-city/);
        // A private city is readable by any logged-in user: a planner parses for it.
        expect((await parse('devices-zh.csv', readFileSync(join(FIXTURES, 'devices-zh.csv')), 'planner', privateCityId)).statusCode).toBe(200);
      });
    });

    describe('deleting a city', () => {
      it('deletes its live scenario with it (the reference goes too)', async () => {
        const del = await app.inject({ method: 'DELETE', url: `/api/cities/${privateCityId}`, headers: auth('admin') });
        expect(del.statusCode, del.body).toBe(204);
        expectError(await app.inject({ url: `/api/cities/${privateCityId}/live-scenario`, headers: auth('viewer') }), 404, /no city/);
      });
    });

    // Last: it closes the app.
    describe('server close', () => {
      it('a stream connected, a save received, the app closed: the client sees the stream end', async () => {
        const s = await connect(`/api/scenarios/${liveId}/events`);
        const first = await s.nth<{ version: number }>('version', 1);
        await app.inject({ method: 'POST', url: `/api/scenarios/${liveId}/device-status`, headers: auth('planner'), payload: { devices: [{ id: 'cam-1', healthy: false }] } });
        expect((await s.nth<{ version: number }>('version', 2)).version).toBe(first.version + 1);
        await app.close();
        await s.ended;
        expect(s.isEnded).toBe(true);
        // And no other stream kept it open.
        for (const c of clients) await c.ended;
        // A restart on the same database and port (what an EventSource reconnects to after its retry):
        // the same live scenario (no second one), and the stream starts at the version saved before.
        const port = Number(new URL(base).port);
        const again = buildApp({ city: makeTestCity(), staticDir: false, tilesCacheDir: false, jobTilesDir: false, api: { database: app.api.db, adminPassword: ADMIN_PASSWORD } });
        try {
          await again.listen({ host: '127.0.0.1', port });
          const r = await connect(`/api/scenarios/${liveId}/events`);
          expect(r.status).toBe(200);
          expect(await r.nth('version', 1)).toMatchObject({ scenarioId: liveId, version: first.version + 1, changedDeviceIds: ['cam-1'] });
          expect((await again.inject('/api/cities/default/live-scenario')).json().id).toBe(liveId);
          expect((await again.api.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM scenarios WHERE name = '${LIVE_SCENARIO_NAME}'`)).rows[0].n).toBe(1);
          r.close();
        } finally {
          await again.close();
        }
      });
    });
  });
}
