/**
 * Reports of a scenario version:
 * - `GET /api/scenarios/:id/report?format=json|csv|html[&version=]` — the DB37/T 3890 indicator report
 *   (sim-core/indicators: scores, stars, gaps to the next star) of the values a coverage job computed
 *   for that version; HTML in zh-CN. 409 when no coverage job has run on the version.
 * - `GET /api/scenarios/:id/blind-spots[?version=]` — the camera blind spots of the version's latest
 *   coverage job, GeoJSON.
 * - `GET /api/jobs/:id/proposals` — the proposals of a placement job, GeoJSON.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { buildReport, renderReport, ValueStore } from '../../sim-core/indicators/index.ts';
import type { CityStore } from '../db/cities.ts';
import type { ScenarioStore } from '../db/scenarios.ts';
import type { JobService } from '../jobs/service.ts';
import { readableCity, readableScenarioCity } from './access.ts';
import { errors, HttpError } from './http.ts';
import { GeoJSONFeatureCollection, IdParams } from './schemas.ts';

export interface ReportRouteOptions {
  cities: CityStore;
  scenarios: ScenarioStore;
  jobs: JobService;
}

const CONTENT_TYPE = { json: 'application/json; charset=utf-8', csv: 'text/csv; charset=utf-8', html: 'text/html; charset=utf-8' } as const;

/** See the module doc. */
export async function reportRoutes(fastify: FastifyInstance, options: ReportRouteOptions): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { cities, scenarios, jobs } = options;

  async function version(id: string, v: number | undefined, request: Parameters<typeof readableCity>[2]) {
    await readableScenarioCity(scenarios, cities, id, request);
    const s = await scenarios.get(id, v);
    if (!s) throw new HttpError(404, `scenario ${id} has no version ${v}`);
    return s;
  }

  const noCoverage = (id: string, v: number) =>
    new HttpError(409, `version ${v} of scenario ${id} has no coverage results yet: run POST /api/jobs {"kind": "coverage", "scenarioId": "${id}", "version": ${v}} and wait for it to finish`);

  app.get(
    '/api/scenarios/:id/report',
    {
      schema: {
        tags: ['reports'],
        summary: 'The DB37/T 3890 indicator report of a scenario version (JSON, CSV or zh-CN HTML)',
        params: IdParams,
        querystring: Type.Object({
          format: Type.Union([Type.Literal('json'), Type.Literal('csv'), Type.Literal('html')], { default: 'json' }),
          version: Type.Optional(Type.Integer({ minimum: 1 })),
        }),
        produces: ['application/json', 'text/csv', 'text/html'],
        response: { 200: Type.Unknown({ description: 'the report (cimtwin-score/1 JSON, CSV table, or an HTML page)' }), ...errors(400, 401, 404, 409) },
      },
    },
    async (request, reply) => {
      const s = await version(request.params.id, request.query.version, request);
      if (!s.indicators) throw noCoverage(s.id, s.version);
      const store = new ValueStore().addSimulated(s.indicators as never, `scenario ${s.id} v${s.version}`);
      const text = renderReport(buildReport(store), request.query.format);
      const ext = request.query.format;
      return reply
        .type(CONTENT_TYPE[ext])
        .header('content-disposition', `inline; filename="scenario-${s.id}-v${s.version}-report.${ext}"`)
        .send(text);
    },
  );

  app.get(
    '/api/scenarios/:id/blind-spots',
    {
      schema: {
        tags: ['reports'],
        summary: 'Camera blind spots of a scenario version (GeoJSON, from its latest coverage job)',
        params: IdParams,
        querystring: Type.Object({ version: Type.Optional(Type.Integer({ minimum: 1 })) }),
        response: { 200: GeoJSONFeatureCollection, ...errors(400, 401, 404, 409) },
      },
    },
    async (request, reply) => {
      const s = await version(request.params.id, request.query.version, request);
      const job = await jobs.latestCoverage(s.id, s.version);
      if (!job) throw noCoverage(s.id, s.version);
      const result = job.result as { camera?: { blindSpots?: unknown } };
      return reply.type('application/geo+json').send(result.camera?.blindSpots as never);
    },
  );

  app.get(
    '/api/jobs/:id/proposals',
    {
      schema: {
        tags: ['reports'],
        summary: 'Devices proposed by a placement job, with what each newly covers, and the remaining blind spots (GeoJSON)',
        params: IdParams,
        response: { 200: GeoJSONFeatureCollection, ...errors(401, 404, 409) },
      },
    },
    async (request, reply) => {
      const j = await jobs.get(request.params.id);
      if (!j) throw new HttpError(404, `no job ${request.params.id}`);
      if (j.cityId) await readableCity(cities, j.cityId, request);
      if (j.kind !== 'placement') throw new HttpError(409, `job ${j.id} is a ${j.kind} job, not a placement`);
      if (j.status !== 'done') throw new HttpError(409, `job ${j.id} is ${j.status}: no proposals`);
      const result = (await jobs.result(j.id)) as { geojson: unknown };
      return reply.type('application/geo+json').send(result.geojson as never);
    },
  );
}
