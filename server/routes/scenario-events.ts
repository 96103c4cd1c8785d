/**
 * `GET /api/scenarios/:id/events`: the versions of a scenario as server-sent events, for the big
 * screen (readable by whoever may read the scenario: any role, and anonymous clients for a public city).
 *
 * - On connect: `retry: 1000` (an EventSource reconnects within a second, after a server restart too),
 *   then `event: version` with the latest version.
 * - Then one `event: version` for every new version, whatever saved it (PUT, device-status, …),
 *   with the ids of the devices added, removed or changed against the version before it (capped) and
 *   their count; each event's `id:` is its version number. Versions only go up on one stream.
 * - `event: live-scenario` {cityId, scenarioId} when an admin points the scenario's city at another
 *   live scenario (a big screen following the old one can switch).
 * - A comment line (`: keep-alive`) every heartbeat interval, so proxies and clients see a live stream.
 *
 * Events come from the scenario store's in-process bus after commit (server/db/scenarios.ts): one
 * server per database is assumed. The stream ends when the client goes or the server closes.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { CityStore } from '../db/cities.ts';
import type { LiveScenarioEvent, ScenarioStore, ScenarioVersionEvent } from '../db/scenarios.ts';
import { MAX_CHANGED_IDS } from '../db/scenarios.ts';
import { readableScenarioCity } from './access.ts';
import { errors } from './http.ts';
import { IdParams } from './schemas.ts';

export interface ScenarioEventRouteOptions {
  cities: CityStore;
  scenarios: ScenarioStore;
  /** Heartbeat comment interval, ms (default 15,000). */
  sseHeartbeatMs?: number;
}

/** How soon a client should reconnect after the stream broke, ms (sent as `retry:`). */
export const SSE_RETRY_MS = 1000;

/** The `data` of `event: version` (documented in the OpenAPI description). */
export const ScenarioVersionEventSchema = Type.Object({
  scenarioId: Type.String(),
  cityId: Type.String(),
  name: Type.String(),
  version: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
  createdBy: Type.Union([Type.String(), Type.Null()]),
  message: Type.Union([Type.String(), Type.Null()]),
  deviceCount: Type.Integer(),
  changedDeviceIds: Type.Array(Type.String(), { maxItems: MAX_CHANGED_IDS }),
  changedDeviceCount: Type.Integer(),
});

const versionFrame = (e: ScenarioVersionEvent) => `event: version\nid: ${e.version}\ndata: ${JSON.stringify(e)}\n\n`;
const liveFrame = (e: LiveScenarioEvent) => `event: live-scenario\ndata: ${JSON.stringify(e)}\n\n`;

/** See the module doc. */
export async function scenarioEventRoutes(fastify: FastifyInstance, options: ScenarioEventRouteOptions): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { cities, scenarios } = options;
  /** The open streams: ended when the server closes, so that it does not wait for them. */
  const open = new Set<() => void>();
  fastify.addHook('preClose', async () => {
    for (const end of [...open]) end();
  });

  app.get(
    '/api/scenarios/:id/events',
    {
      schema: {
        tags: ['scenarios'],
        summary: 'New versions as server-sent events (text/event-stream): "version" on connect and after every save; "live-scenario" when the city\'s live scenario changes',
        description:
          `Starts with "retry: ${SSE_RETRY_MS}" and the latest version, then one "version" event per new version from any save path ` +
          '(PUT, device-status), with changedDeviceIds (added, removed or changed against the previous version; at most ' +
          `${MAX_CHANGED_IDS}) and changedDeviceCount. Event ids are version numbers. Comment lines keep the stream alive. ` +
          'data of "version": {scenarioId, cityId, name, version, createdAt, createdBy, message, deviceCount, changedDeviceIds, changedDeviceCount}; ' +
          'data of "live-scenario": {cityId, scenarioId}. ' +
          'One server per database is assumed (the event bus is in-process).',
        params: IdParams,
        produces: ['text/event-stream'],
        response: { 200: Type.String({ description: 'retry: 1000\\n\\nevent: version\\nid: 3\\ndata: {ScenarioVersionEvent}\\n\\n …' }), ...errors(401, 404) },
      },
    },
    async (request, reply) => {
      const city = await readableScenarioCity(scenarios, cities, request.params.id, request);
      const id = request.params.id;
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no', 'x-request-id': request.id });
      raw.write(`retry: ${SSE_RETRY_MS}\n\n`);
      let ended = false;
      let sent = 0;
      /** Events heard before the first one was sent. */
      let pending: ScenarioVersionEvent[] | null = [];
      const send = (e: ScenarioVersionEvent) => {
        if (ended || e.version <= sent) return;
        sent = e.version;
        raw.write(versionFrame(e));
      };
      const onVersion = (e: ScenarioVersionEvent) => {
        if (pending) pending.push(e);
        else send(e);
      };
      const onLive = (e: LiveScenarioEvent) => {
        if (!ended) raw.write(liveFrame(e));
      };
      const stopVersion = scenarios.events.onVersion(id, onVersion);
      const stopLive = scenarios.events.onLiveScenario(city.id, onLive);
      const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), options.sseHeartbeatMs ?? 15_000);
      const end = () => {
        if (ended) return;
        ended = true;
        open.delete(end);
        stopVersion();
        stopLive();
        clearInterval(heartbeat);
        raw.end();
      };
      open.add(end);
      request.raw.on('close', end);
      raw.on('close', end);
      try {
        // Subscribed first, read second: a version saved in between is not missed.
        const first = await scenarios.versionEvent(id);
        if (first) send(first);
      } catch (e) {
        request.log.error({ err: e }, 'could not read the latest version for the event stream');
        end();
        return;
      }
      const heard = pending;
      pending = null;
      for (const e of heard) send(e);
    },
  );
}
