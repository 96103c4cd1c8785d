/**
 * Tours (server/routes/tours.ts) through `app.inject`, on PGlite and on PostgreSQL: the generated
 * default tour (computed in a worker thread), stored tours with versions and stale-save refusal, roles,
 * a private city's tours, and 422 answers that name the scene and the field.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import { ADMIN_PASSWORD, expectError, loginRoles } from './test-api.ts';
import { makeTestCity } from './test-city.ts';
import { cityToGeoJSON } from '../sim-core/cim/city-file.ts';
import { announceSkip, TEST_DATABASES } from './db/test-db.ts';
import { defaultTour, cityResults } from '../sim-core/tour/default-tour.ts';

for (const engine of TEST_DATABASES) {
  announceSkip(engine, 'server/tours.test.ts');
  describe.skipIf(engine.skipReason !== null)(`tours on ${engine.engine}`, () => {
    let app: FastifyInstance;
    let cleanup: () => Promise<void>;
    const token = { admin: '', planner: '', viewer: '' };
    const auth = (role: keyof typeof token) => ({ authorization: `Bearer ${token[role]}` });
    let generated: Record<string, any> = {};

    beforeAll(async () => {
      const opened = await engine.open();
      cleanup = opened.cleanup;
      app = buildApp({ city: makeTestCity(), staticDir: false, tilesCacheDir: false, api: { database: opened.db, adminPassword: ADMIN_PASSWORD, loginRateLimit: 30 } });
      await app.ready();
      Object.assign(token, await loginRoles(app));
    });

    afterAll(async () => {
      await app?.close();
      await app?.api?.db.close();
      await cleanup?.();
    });

    it('answers the default tour of the default city to anyone, generated from the city (results from a worker thread)', async () => {
      const r = await app.inject('/api/tours/default-default');
      expect(r.statusCode, r.body).toBe(200);
      expect(r.headers.etag).toBe('"0"');
      const body = r.json();
      expect(body).toMatchObject({ id: 'default-default', cityId: 'default', version: 0, stored: false, updatedAt: null });
      // the same tour sim-core generates for the city in this thread
      const city = makeTestCity();
      expect(body.tour).toEqual(JSON.parse(JSON.stringify(defaultTour(city, { cityId: 'default', results: cityResults(city) }))));
      expect(body.tour.scenes.map((s: { id: string }) => s.id)).toEqual(['overview', 'video', 'nr5g', 'weather', 'green-waves', 'stars']);
      generated = body.tour;
      const list = await app.inject('/api/tours?cityId=default');
      expect(list.json()).toEqual([{ id: 'default-default', cityId: 'default', version: 0, stored: false, name: expect.any(Object), sceneCount: null, updatedAt: null }]);
      expectError(await app.inject('/api/tours/nothing'), 404, /no tour nothing/);
      expectError(await app.inject('/api/tours/default-nowhere'), 404);
    });

    it('a planner saves the edited default tour with If-Match "0", then versions; stale saves are 409 and change nothing', async () => {
      const edited = structuredClone(generated);
      edited.scenes[0].holdS = 4;
      expectError(await app.inject({ method: 'PUT', url: '/api/tours/default-default', headers: auth('planner'), payload: edited }), 428, /If-Match/);
      expectError(await app.inject({ method: 'PUT', url: '/api/tours/default-default', headers: { ...auth('viewer'), 'if-match': '"0"' }, payload: edited }), 403);
      expectError(await app.inject({ method: 'PUT', url: '/api/tours/default-default', headers: { 'if-match': '"0"' }, payload: edited }), 401);
      const ok = await app.inject({ method: 'PUT', url: '/api/tours/default-default', headers: { ...auth('planner'), 'if-match': '"0"' }, payload: edited });
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.headers.etag).toBe('"1"');
      expect(ok.json()).toMatchObject({ version: 1, stored: true, updatedBy: expect.any(String) });
      expect(ok.json().tour.scenes[0].holdS).toBe(4);
      // a colleague still on the generated version
      expectError(await app.inject({ method: 'PUT', url: '/api/tours/default-default', headers: { ...auth('admin'), 'if-match': '"0"' }, payload: generated }), 409, /is at version 1, not 0/);
      const again = structuredClone(edited);
      again.scenes[0].holdS = 5;
      const v2 = await app.inject({ method: 'PUT', url: '/api/tours/default-default', headers: { ...auth('admin'), 'if-match': '"1"' }, payload: again });
      expect(v2.headers.etag).toBe('"2"');
      const read = await app.inject('/api/tours/default-default');
      expect(read.json()).toMatchObject({ version: 2, stored: true });
      expect(read.json().tour.scenes[0].holdS).toBe(5);
      expect((await app.inject('/api/tours')).json()).toEqual([expect.objectContaining({ id: 'default-default', version: 2, stored: true, sceneCount: 6 })]);
    });

    it('bad tours get 422 naming the scene and the field; the URL id and the body id must agree', async () => {
      const bad = structuredClone(generated);
      bad.id = 'walk-1';
      bad.scenes[2].camera.latDeg = 123;
      expectError(await app.inject({ method: 'POST', url: '/api/tours', headers: auth('planner'), payload: bad }), 422, /^tour, scene 2: field 'camera.latDeg' must be a number from -90 to 90; got 123$/);
      bad.scenes[2].camera.latDeg = 36.7;
      bad.scenes[4].layers = ['buildings', 'lava'];
      expectError(await app.inject({ method: 'POST', url: '/api/tours', headers: auth('planner'), payload: bad }), 422, /scene 4: field 'layers': unknown layer "lava"/);
      bad.scenes[4].layers = ['buildings'];
      delete bad.scenes[1].caption.en;
      expectError(await app.inject({ method: 'POST', url: '/api/tours', headers: auth('planner'), payload: bad }), 422, /scene 1: field 'caption.en'/);
      expectError(await app.inject({ method: 'PUT', url: '/api/tours/default-default', headers: { ...auth('planner'), 'if-match': '"2"' }, payload: { ...generated, id: 'other' } }), 422, /field 'id' is "other" but the URL names tour default-default/);
      expectError(await app.inject({ method: 'POST', url: '/api/tours', headers: auth('planner'), payload: { ...generated, id: 'x', cityId: 'nowhere' } }), 404, /no city nowhere/);
    });

    it('POST stores a new tour (409 for a taken id); DELETE is for admins; a deleted default tour is generated again', async () => {
      const walk = { ...structuredClone(generated), id: 'walk-2', scenes: generated.scenes.slice(0, 2) };
      expectError(await app.inject({ method: 'POST', url: '/api/tours', headers: auth('viewer'), payload: walk }), 403);
      const r = await app.inject({ method: 'POST', url: '/api/tours', headers: auth('planner'), payload: walk });
      expect(r.statusCode, r.body).toBe(201);
      expect(r.json()).toMatchObject({ id: 'walk-2', version: 1, stored: true });
      expectError(await app.inject({ method: 'POST', url: '/api/tours', headers: auth('planner'), payload: walk }), 409, /exists already/);
      expect((await app.inject('/api/tours/walk-2')).json().tour.scenes).toHaveLength(2);
      expectError(await app.inject({ method: 'DELETE', url: '/api/tours/walk-2', headers: auth('planner') }), 403);
      expect((await app.inject({ method: 'DELETE', url: '/api/tours/walk-2', headers: auth('admin') })).statusCode).toBe(204);
      expectError(await app.inject('/api/tours/walk-2'), 404);
      expect((await app.inject({ method: 'DELETE', url: '/api/tours/default-default', headers: auth('admin') })).statusCode).toBe(204);
      const back = await app.inject('/api/tours/default-default');
      expect(back.json()).toMatchObject({ version: 0, stored: false });
      expect(back.json().tour).toEqual(generated);
    });

    it("a private city's tours: 401 for anonymous clients, readable by a viewer", async () => {
      const file = JSON.stringify(cityToGeoJSON(makeTestCity('内部城区')));
      const c = await app.inject({ method: 'POST', url: '/api/cities?filename=inner.city.json', headers: { ...auth('admin'), 'content-type': 'application/json' }, payload: file });
      expect(c.statusCode, c.body).toBe(201);
      const cityId = c.json().city.id as string;
      expectError(await app.inject(`/api/tours/default-${cityId}`), 401, /not public/);
      expectError(await app.inject(`/api/tours?cityId=${cityId}`), 401);
      expect((await app.inject('/api/tours')).json().map((t: { id: string }) => t.id)).toEqual(['default-default']);
      const v = await app.inject({ url: `/api/tours/default-${cityId}`, headers: auth('viewer') });
      expect(v.statusCode, v.body).toBe(200);
      expect(v.json().tour.cityId).toBe(cityId);
      expect((await app.inject({ url: '/api/tours', headers: auth('viewer') })).json().map((t: { id: string }) => t.id).sort()).toEqual(['default-default', `default-${cityId}`].sort());
    });
  });
}
