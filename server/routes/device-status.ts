/**
 * `POST /api/scenarios/:id/device-status` (planner, admin) {devices: [{id, healthy?, networked?}],
 * message?}: what a video-management or network-management platform pushes when a camera goes offline
 * or comes back. Applied as ONE new version on top of the latest, atomically (status patches commute,
 * so no If-Match is asked for; concurrent saves still serialise on the scenario row lock). A device the
 * scenario does not hold is a 422 naming it (nothing saved); when nothing changes (same values) the
 * answer is 200 with the unchanged latest version and no event is sent. Answers the version record
 * (`ETag: "<version>"`, and `x-cimtwin-changed: <count>`).
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { CityStore } from '../db/cities.ts';
import { UnknownDeviceError, type ScenarioStore } from '../db/scenarios.ts';
import { readableScenarioCity } from './access.ts';
import { errors, HttpError, requireRole, WRITERS } from './http.ts';
import { IdParams, MAX_DEVICES, ScenarioSchema } from './schemas.ts';

export interface DeviceStatusRouteOptions {
  cities: CityStore;
  scenarios: ScenarioStore;
  /** Largest body, MiB (default 16, as for scenario saves). */
  maxBodyMb?: number;
}

const StatusPatch = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 200, description: 'device id in the scenario' }),
    healthy: Type.Optional(Type.Boolean({ description: '完好: in working order' })),
    networked: Type.Optional(Type.Boolean({ description: '联网: connected to the platform' })),
  },
  { additionalProperties: false },
);

/** See the module doc. */
export async function deviceStatusRoutes(fastify: FastifyInstance, options: DeviceStatusRouteOptions): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { cities, scenarios } = options;

  app.post(
    '/api/scenarios/:id/device-status',
    {
      bodyLimit: (options.maxBodyMb ?? 16) * 1024 * 1024,
      schema: {
        tags: ['scenarios'],
        summary: 'Device health / network status from a video- or network-management platform (planner, admin): one new version on top of the latest',
        description:
          'No If-Match: status patches commute, so they apply on top of whatever version is latest (concurrent saves serialise on the scenario row lock). ' +
          'A device id the scenario does not hold is a 422 naming it, and nothing is saved. When every value is already so, nothing is saved: 200 with the unchanged latest version, no event. ' +
          'A device without healthy or networked counts as true (the city-file default). The header x-cimtwin-changed gives how many devices changed.',
        params: IdParams,
        body: Type.Object(
          {
            devices: Type.Array(StatusPatch, { minItems: 1, maxItems: MAX_DEVICES }),
            message: Type.Optional(Type.String({ maxLength: 2000, description: 'the version message (default: a list of what changed)' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: ScenarioSchema, ...errors(400, 401, 403, 404, 413, 422) },
      },
      preHandler: requireRole(...WRITERS),
    },
    async (request, reply) => {
      const { id } = request.params;
      const { devices, message } = request.body;
      const seen = new Set<string>();
      devices.forEach((d, i) => {
        if (d.healthy === undefined && d.networked === undefined) throw new HttpError(400, `body/devices/${i} (device '${d.id}') gives neither healthy nor networked`);
        if (seen.has(d.id)) throw new HttpError(400, `body/devices/${i}: device '${d.id}' is listed twice; send one entry per device`);
        seen.add(d.id);
      });
      await readableScenarioCity(scenarios, cities, id, request);
      try {
        const out = await scenarios.applyDeviceStatus(id, devices, message ?? null, request.user!.id);
        if (!out) throw new HttpError(404, `no scenario ${id}`);
        return reply.header('etag', `"${out.scenario.version}"`).header('x-cimtwin-changed', String(out.changed.length)).send(out.scenario);
      } catch (e) {
        if (e instanceof UnknownDeviceError) throw new HttpError(422, e.message);
        throw e;
      }
    },
  );
}
