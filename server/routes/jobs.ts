/**
 * Jobs: `POST /api/jobs` (planner, admin) → 202 with the job; `GET /api/jobs/:id` (status, progress,
 * phase); `GET /api/jobs/:id/events` (server-sent events: one `job` event per change, the last one
 * final); `POST /api/jobs/:id/cancel` (planner, admin); `GET /api/jobs/:id/result`; `GET /api/jobs`.
 * A full queue answers 503 with Retry-After; a tiles job while another for the same city is queued or
 * running answers 409.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { CimError } from '../../sim-core/cim/errors.ts';
import type { CityStore } from '../db/cities.ts';
import type { ScenarioStore } from '../db/scenarios.ts';
import { QueueFullError } from '../jobs/executor.ts';
import { isFinal, JobConflictError, type JobRecord, type JobService } from '../jobs/service.ts';
import { readableCity, readableCityIds, readableScenarioCity } from './access.ts';
import { errors, HttpError, requireRole, WRITERS } from './http.ts';
import { IdParams, JobSchema } from './schemas.ts';

export interface JobRouteOptions {
  cities: CityStore;
  scenarios: ScenarioStore;
  jobs: JobService;
  /** Heartbeat comment interval of the event stream, ms (default 15,000). */
  sseHeartbeatMs?: number;
}

const Target = {
  scenarioId: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'the scenario whose devices the job uses' })),
  version: Type.Optional(Type.Integer({ minimum: 1, description: 'scenario version (default the latest)' })),
};

const CoverageJob = Type.Object(
  {
    kind: Type.Literal('coverage'),
    ...Target,
    params: Type.Optional(
      Type.Object(
        {
          gridM: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 100 })),
          rulePercent: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 100 })),
          nr5g: Type.Optional(Type.Boolean()),
          weather: Type.Optional(Type.Boolean()),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { description: 'Camera, 5G and weather coverage of a scenario version, with its DB37/T 3890 indicator values (stored on the version) and blind spots.' },
);

const PlacementJob = Type.Object(
  {
    kind: Type.Literal('placement'),
    ...Target,
    params: Type.Object(
      {
        device: Type.Union([Type.Literal('camera'), Type.Literal('cell5g'), Type.Literal('weather')]),
        goal: Type.Union([
          Type.Object({ count: Type.Integer({ minimum: 1, maximum: 10_000 }) }, { additionalProperties: false }),
          Type.Object({ targetStar: Type.Integer({ minimum: 1, maximum: 5 }) }, { additionalProperties: false }),
          Type.Object({ targetPercent: Type.Number({ exclusiveMinimum: 0, maximum: 100 }) }, { additionalProperties: false }),
        ]),
        solver: Type.Optional(Type.Union([Type.Literal('greedy'), Type.Literal('exact')])),
        timeLimitS: Type.Optional(Type.Number({ minimum: 0.1, maximum: 3600 })),
        radiusM: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 100_000 })),
      },
      { additionalProperties: false },
    ),
  },
  { description: 'New devices proposed for a goal on top of a scenario version (GeoJSON with what each covers).' },
);

const GreenwaveJob = Type.Object(
  {
    kind: Type.Literal('greenwave'),
    ...Target,
    cityId: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'a city (instead of a scenario)' })),
    params: Type.Object(
      {
        nodeIds: Type.Array(Type.String({ minLength: 1 }), { minItems: 2, maxItems: 200 }),
        method: Type.Optional(Type.Union([Type.Literal('maxband'), Type.Literal('numerical'), Type.Literal('oneway'), Type.Literal('best')])),
        cycleS: Type.Optional(Type.Number({ minimum: 10, maximum: 600 })),
        speedKmh: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 250 })),
        demandVehH: Type.Optional(Type.Number({ minimum: 0, maximum: 3000, description: 'method best: through demand per lane and direction, veh/h (default 500)' })),
      },
      { additionalProperties: false },
    ),
  },
  { description: 'Green-wave offsets along a corridor of road nodes (MAXBAND, 数解法, one-way, or the best of them in the traffic model) and the SUMO tlLogic file.' },
);

const TilesJob = Type.Object(
  {
    kind: Type.Literal('tiles'),
    cityId: Type.String({ minLength: 1, maxLength: 100, description: 'the city whose buildings are tiled' }),
    params: Type.Optional(
      Type.Object(
        {
          compress: Type.Optional(Type.Union([Type.Literal('none'), Type.Literal('meshopt')], { description: 'content compression (default none)' })),
          maxFeatures: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'most buildings in one tile (default 1000)' })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { description: "The city's 3D Tiles 1.1 tileset, built incrementally on the server; the result's tilesetUrl serves it (/tiles/<name>/tileset.json)." },
);

const JobBody = Type.Union([CoverageJob, PlacementJob, GreenwaveJob, TilesJob]);

/** The SSE frame of a job record. */
const frame = (j: JobRecord) => `event: job\ndata: ${JSON.stringify(j)}\n\n`;

/** See the module doc. */
export async function jobRoutes(fastify: FastifyInstance, options: JobRouteOptions): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { cities, scenarios, jobs } = options;

  async function readableJob(id: string, request: Parameters<typeof readableCity>[2]): Promise<JobRecord> {
    const j = await jobs.get(id);
    if (!j) throw new HttpError(404, `no job ${id}`);
    if (j.cityId) await readableCity(cities, j.cityId, request);
    return j;
  }

  app.post(
    '/api/jobs',
    {
      schema: {
        tags: ['jobs'],
        summary: 'Submit a job (planner, admin): 202 with its id; follow it at /api/jobs/:id or /api/jobs/:id/events',
        body: JobBody,
        response: { 202: JobSchema, ...errors(400, 401, 403, 404, 409, 422, 503) },
      },
      preHandler: requireRole(...WRITERS),
    },
    async (request, reply) => {
      const body = request.body;
      let cityId: string;
      let scenarioId: string | null = null;
      let version: number | null = null;
      if ('scenarioId' in body && body.scenarioId !== undefined) {
        if ('cityId' in body && body.cityId !== undefined) throw new HttpError(400, 'give scenarioId or cityId, not both');
        const city = await readableScenarioCity(scenarios, cities, body.scenarioId, request);
        cityId = city.id;
        scenarioId = body.scenarioId;
        const s = await scenarios.get(scenarioId, body.version);
        if (!s) throw new HttpError(404, `scenario ${scenarioId} has no version ${body.version}`);
        version = s.version;
      } else if ((body.kind === 'greenwave' || body.kind === 'tiles') && body.cityId !== undefined) {
        cityId = (await readableCity(cities, body.cityId, request)).id;
      } else {
        throw new HttpError(400, body.kind === 'greenwave' ? 'a greenwave job needs scenarioId or cityId' : `a ${body.kind} job needs scenarioId`);
      }
      try {
        const job = await jobs.submit(body.kind, (body.params ?? {}) as Record<string, unknown>, { cityId, scenarioId, scenarioVersion: version }, request.user!.id);
        return reply.code(202).header('location', `/api/jobs/${job.id}`).send(job);
      } catch (e) {
        if (e instanceof QueueFullError) {
          // Sent here, not thrown: the app's error handler hides the message of every 5xx.
          return (reply as FastifyReply).code(503).header('retry-after', '60').send({ error: 'Service Unavailable', message: e.message, statusCode: 503 });
        }
        if (e instanceof JobConflictError) throw new HttpError(409, e.message);
        if (e instanceof CimError) throw new HttpError(422, e.message);
        throw e;
      }
    },
  );

  app.get(
    '/api/jobs',
    {
      schema: {
        tags: ['jobs'],
        summary: 'Recent jobs, newest first',
        querystring: Type.Object({ scenarioId: Type.Optional(Type.String({ maxLength: 100 })), limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }) }),
        response: { 200: Type.Array(JobSchema), ...errors(400, 401, 404) },
      },
    },
    async (request) => {
      if (request.query.scenarioId !== undefined) await readableScenarioCity(scenarios, cities, request.query.scenarioId, request);
      return jobs.list({ scenarioId: request.query.scenarioId, cityIds: await readableCityIds(cities, request), limit: request.query.limit });
    },
  );

  app.get(
    '/api/jobs/:id',
    { schema: { tags: ['jobs'], summary: 'Status, progress (0…1) and phase of a job', params: IdParams, response: { 200: JobSchema, ...errors(401, 404) } } },
    async (request) => readableJob(request.params.id, request),
  );

  app.get(
    '/api/jobs/:id/result',
    {
      schema: {
        tags: ['jobs'],
        summary: 'The result of a finished job (coverage report, placement {summary, geojson}, green-wave plan, tiles {tilesetUrl, tiles, bytes, depth, buildings})',
        params: IdParams,
        response: { 200: Type.Unknown(), ...errors(401, 404, 409) },
      },
    },
    async (request) => {
      const j = await readableJob(request.params.id, request);
      if (j.status !== 'done') throw new HttpError(409, `job ${j.id} is ${j.status}${j.error ? ` (${j.error})` : ''}: no result`);
      return jobs.result(j.id);
    },
  );

  app.get(
    '/api/jobs/:id/events',
    {
      schema: {
        tags: ['jobs'],
        summary: 'Live progress as server-sent events (text/event-stream): a "job" event with the job record on every change; the stream ends after the final one',
        params: IdParams,
        produces: ['text/event-stream'],
        response: { 200: Type.String({ description: 'event: job\\ndata: {JobRecord}\\n\\n …' }), ...errors(401, 404) },
      },
    },
    async (request, reply) => {
      const first = await readableJob(request.params.id, request);
      const id = first.id;
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-request-id': request.id });
      let ended = false;
      const end = () => {
        if (ended) return;
        ended = true;
        jobs.off(`update:${id}`, onUpdate);
        clearInterval(heartbeat);
        raw.end();
      };
      const onUpdate = (j: JobRecord) => {
        if (ended) return;
        raw.write(frame(j));
        if (isFinal(j.status)) end();
      };
      const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), options.sseHeartbeatMs ?? 15_000);
      request.raw.on('close', end);
      jobs.on(`update:${id}`, onUpdate);
      // Read again after subscribing, so that a change in between is not missed.
      onUpdate((await jobs.get(id)) ?? first);
    },
  );

  app.post(
    '/api/jobs/:id/cancel',
    {
      schema: { tags: ['jobs'], summary: 'Cancel a queued or running job (planner, admin); a finished job is returned unchanged', params: IdParams, response: { 200: JobSchema, ...errors(401, 403, 404) } },
      preHandler: requireRole(...WRITERS),
    },
    async (request) => {
      await readableJob(request.params.id, request);
      return (await jobs.cancel(request.params.id))!;
    },
  );
}
