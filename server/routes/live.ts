/**
 * The live scenario of a city: the one the big screen follows.
 *
 * - `GET /api/cities/:id/live-scenario`: the scenario's record (readable like the city: anonymous
 *   clients for a public city). 404 when the city has none. The served city gets one at start
 *   ("现状 (live)", its own devices, createdBy null; server/db/live-scenarios.ts).
 * - `PUT /api/cities/:id/live-scenario` {scenarioId} (admin): points the city at another of its
 *   scenarios (422 for a scenario of another city); streams of the city's scenarios get an
 *   `event: live-scenario`.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { CityStore } from '../db/cities.ts';
import type { Db } from '../db/db.ts';
import { ForeignScenarioError, liveScenarioId, setLiveScenario } from '../db/live-scenarios.ts';
import type { ScenarioStore } from '../db/scenarios.ts';
import { readableCity } from './access.ts';
import { errors, HttpError, requireRole } from './http.ts';
import { IdParams, ScenarioInfoSchema } from './schemas.ts';

export interface LiveRouteOptions {
  db: Db;
  cities: CityStore;
  scenarios: ScenarioStore;
}

/** See the module doc. */
export async function liveRoutes(fastify: FastifyInstance, options: LiveRouteOptions): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db, cities, scenarios } = options;

  app.get(
    '/api/cities/:id/live-scenario',
    {
      schema: {
        tags: ['cities'],
        summary: "The city's live scenario (the one the big screen follows; follow it with GET /api/scenarios/:id/events)",
        params: IdParams,
        response: { 200: ScenarioInfoSchema, ...errors(401, 404) },
      },
    },
    async (request) => {
      const city = await readableCity(cities, request.params.id, request);
      const sid = await liveScenarioId(db, city.id);
      const s = sid ? await scenarios.info(sid) : null;
      if (!s) throw new HttpError(404, `city ${city.id} has no live scenario; an admin sets one with PUT /api/cities/${city.id}/live-scenario {"scenarioId": "…"}`);
      return s;
    },
  );

  app.put(
    '/api/cities/:id/live-scenario',
    {
      schema: {
        tags: ['cities'],
        summary: "Point the city's live scenario at one of its scenarios (admin)",
        params: IdParams,
        body: Type.Object({ scenarioId: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false }),
        response: { 200: ScenarioInfoSchema, ...errors(400, 401, 403, 404, 422) },
      },
      preHandler: requireRole('admin'),
    },
    async (request) => {
      const { id } = request.params;
      try {
        const out = await setLiveScenario(db, scenarios, id, request.body.scenarioId);
        if ('missing' in out) throw new HttpError(404, out.missing === 'city' ? `no city ${id}` : `no scenario ${request.body.scenarioId}`);
        return out;
      } catch (e) {
        if (e instanceof ForeignScenarioError) throw new HttpError(422, e.message);
        throw e;
      }
    },
  );
}
