/**
 * Scenarios: device inventories on top of a city, versioned.
 *
 * - `POST /api/scenarios` {cityId, name, devices?} (planner, admin) → 201, version 1 (default devices:
 *   the city's own).
 * - `GET /api/scenarios[?cityId=]`, `GET /api/scenarios/:id` (latest; `ETag: "<version>"`),
 *   `GET /api/scenarios/:id/versions`, `GET /api/scenarios/:id/versions/:version`.
 * - `PUT /api/scenarios/:id` {devices, name?, message?} (planner, admin) saves a new version. The
 *   client must say which version it edited: `If-Match: "<version>"` (the ETag it read) or
 *   `baseVersion` in the body; without either 428, and when someone saved in between 409 with what to do.
 * - `GET /api/scenarios/:id/compare?from=&to=`: device diff (added, removed, changed fields) and
 *   indicator deltas (where a coverage job computed both versions).
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { CimError } from '../../sim-core/cim/errors.ts';
import { cityWithDevices, type CityStore, type DeviceFeature } from '../db/cities.ts';
import { diffDevices, indicatorDeltas, StaleVersionError, type ScenarioStore } from '../db/scenarios.ts';
import { readableCity, readableCityIds, readableScenarioCity } from './access.ts';
import { errors, HttpError, requireRole, WRITERS } from './http.ts';
import { DevicesSchema, IdParams, ScenarioInfoSchema, ScenarioSchema, VersionInfoSchema } from './schemas.ts';

export interface ScenarioRouteOptions {
  cities: CityStore;
  scenarios: ScenarioStore;
  /** Largest scenario body, MiB (default 16). */
  maxBodyMb?: number;
}

/** The version in an If-Match header (`"3"`, `W/"3"` or `3`), or null; 400 for anything else. */
export function versionFromIfMatch(header: string | undefined): number | null {
  if (header === undefined) return null;
  const m = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header);
  if (!m) throw new HttpError(400, `If-Match must be the ETag of the version you edited, e.g. "3"; got ${JSON.stringify(header)}`);
  return Number(m[1]);
}

const etagOf = (version: number) => `"${version}"`;

/** See the module doc. */
export async function scenarioRoutes(fastify: FastifyInstance, options: ScenarioRouteOptions): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { cities, scenarios } = options;
  const bodyLimit = (options.maxBodyMb ?? 16) * 1024 * 1024;

  /** Checks devices against the city-file rules (ids unique, numbers finite, types known …): 422 naming the feature and field. */
  async function checkDevices(cityId: string, devices: DeviceFeature[]): Promise<void> {
    try {
      cityWithDevices(await cities.city(cityId), devices, 'devices');
    } catch (e) {
      if (e instanceof CimError) throw new HttpError(422, e.message);
      throw e;
    }
  }

  app.post(
    '/api/scenarios',
    {
      bodyLimit,
      schema: {
        tags: ['scenarios'],
        summary: 'Create a scenario on a city (planner, admin)',
        body: Type.Object({
          cityId: Type.String({ minLength: 1, maxLength: 100 }),
          name: Type.String({ minLength: 1, maxLength: 200 }),
          devices: Type.Optional(DevicesSchema),
          message: Type.Optional(Type.String({ maxLength: 2000 })),
        }),
        response: { 201: ScenarioSchema, ...errors(400, 401, 403, 404, 413, 422) },
      },
      preHandler: requireRole(...WRITERS),
    },
    async (request, reply) => {
      const { cityId, name, message } = request.body;
      await readableCity(cities, cityId, request);
      const devices = (request.body.devices as DeviceFeature[] | undefined) ?? (await cities.deviceFeatures(cityId));
      await checkDevices(cityId, devices);
      const s = await scenarios.create(cityId, name, devices, request.user!.id, message ?? null);
      return reply.code(201).header('etag', etagOf(s.version)).send(s);
    },
  );

  app.get(
    '/api/scenarios',
    {
      schema: {
        tags: ['scenarios'],
        summary: 'Scenarios (of one city, or of every city this client may read)',
        querystring: Type.Object({ cityId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })) }),
        response: { 200: Type.Array(ScenarioInfoSchema), ...errors(401, 404) },
      },
    },
    async (request) => {
      if (request.query.cityId !== undefined) {
        await readableCity(cities, request.query.cityId, request);
        return scenarios.list([request.query.cityId]);
      }
      return scenarios.list(await readableCityIds(cities, request));
    },
  );

  app.get(
    '/api/scenarios/:id',
    { schema: { tags: ['scenarios'], summary: 'The latest version of a scenario (ETag: its version)', params: IdParams, response: { 200: ScenarioSchema, ...errors(401, 404) } } },
    async (request, reply) => {
      await readableScenarioCity(scenarios, cities, request.params.id, request);
      const s = (await scenarios.get(request.params.id))!;
      reply.header('etag', etagOf(s.version)).header('cache-control', 'no-cache');
      return s;
    },
  );

  app.get(
    '/api/scenarios/:id/versions',
    { schema: { tags: ['scenarios'], summary: 'The history of a scenario, oldest first', params: IdParams, response: { 200: Type.Array(VersionInfoSchema), ...errors(401, 404) } } },
    async (request) => {
      await readableScenarioCity(scenarios, cities, request.params.id, request);
      return scenarios.versions(request.params.id);
    },
  );

  app.get(
    '/api/scenarios/:id/versions/:version',
    {
      schema: {
        tags: ['scenarios'],
        summary: 'One version of a scenario',
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }), version: Type.Integer({ minimum: 1 }) }),
        response: { 200: ScenarioSchema, ...errors(400, 401, 404) },
      },
    },
    async (request, reply) => {
      await readableScenarioCity(scenarios, cities, request.params.id, request);
      const s = await scenarios.get(request.params.id, request.params.version);
      if (!s) throw new HttpError(404, `scenario ${request.params.id} has no version ${request.params.version}`);
      reply.header('etag', etagOf(s.version));
      return s;
    },
  );

  app.put(
    '/api/scenarios/:id',
    {
      bodyLimit,
      schema: {
        tags: ['scenarios'],
        summary: 'Save a new version (planner, admin); stale saves are refused',
        description:
          'Send the version you edited as If-Match: "<version>" (the ETag of GET /api/scenarios/:id) or as baseVersion. ' +
          'When it is not the latest, nothing is saved and the answer is 409 with the latest version number; without either, 428.',
        params: IdParams,
        headers: Type.Object({ 'if-match': Type.Optional(Type.String()) }),
        body: Type.Object({
          devices: DevicesSchema,
          name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
          message: Type.Optional(Type.String({ maxLength: 2000 })),
          baseVersion: Type.Optional(Type.Integer({ minimum: 1 })),
        }),
        response: { 200: ScenarioSchema, ...errors(400, 401, 403, 404, 409, 413, 422, 428) },
      },
      preHandler: requireRole(...WRITERS),
    },
    async (request, reply) => {
      const { id } = request.params;
      const fromHeader = versionFromIfMatch(request.headers['if-match']);
      const fromBody = request.body.baseVersion ?? null;
      if (fromHeader !== null && fromBody !== null && fromHeader !== fromBody) throw new HttpError(400, `If-Match says version ${fromHeader} but baseVersion says ${fromBody}`);
      const base = fromHeader ?? fromBody;
      if (base === null) throw new HttpError(428, 'say which version you edited: If-Match: "<version>" (the ETag you read) or baseVersion in the body; saves without it could overwrite a colleague\'s work');
      const city = await readableScenarioCity(scenarios, cities, id, request);
      const devices = request.body.devices as DeviceFeature[];
      await checkDevices(city.id, devices);
      try {
        const s = await scenarios.save(id, base, { devices, name: request.body.name, message: request.body.message ?? null }, request.user!.id);
        if (!s) throw new HttpError(404, `no scenario ${id}`);
        return reply.header('etag', etagOf(s.version)).send(s);
      } catch (e) {
        if (e instanceof StaleVersionError) throw new HttpError(409, e.message);
        throw e;
      }
    },
  );

  app.get(
    '/api/scenarios/:id/compare',
    {
      schema: {
        tags: ['scenarios'],
        summary: 'Compare two versions: device diff and indicator deltas',
        params: IdParams,
        querystring: Type.Object({ from: Type.Integer({ minimum: 1 }), to: Type.Integer({ minimum: 1 }) }),
        response: {
          200: Type.Object({
            from: Type.Integer(),
            to: Type.Integer(),
            devices: Type.Object({
              added: Type.Array(Type.String()),
              removed: Type.Array(Type.String()),
              changed: Type.Array(Type.Object({ id: Type.String(), fields: Type.Array(Type.String()) })),
              unchanged: Type.Integer(),
            }),
            indicators: Type.Array(
              Type.Object({ id: Type.String(), before: Type.Union([Type.Number(), Type.Null()]), after: Type.Union([Type.Number(), Type.Null()]), delta: Type.Union([Type.Number(), Type.Null()]) }),
            ),
            notes: Type.Array(Type.String()),
          }),
          ...errors(400, 401, 404),
        },
      },
    },
    async (request) => {
      const { id } = request.params;
      const { from, to } = request.query;
      await readableScenarioCity(scenarios, cities, id, request);
      const [a, b] = await Promise.all([scenarios.get(id, from), scenarios.get(id, to)]);
      if (!a) throw new HttpError(404, `scenario ${id} has no version ${from}`);
      if (!b) throw new HttpError(404, `scenario ${id} has no version ${to}`);
      const notes: string[] = [];
      for (const v of [a, b]) if (!v.indicators) notes.push(`version ${v.version} has no computed indicators: run a coverage job on it (POST /api/jobs {"kind": "coverage", "scenarioId": "${id}", "version": ${v.version}})`);
      return { from, to, devices: diffDevices(a.devices, b.devices), indicators: indicatorDeltas(a.indicators, b.indicators), notes };
    },
  );
}
