/**
 * Cities: list, read, import (admin), rename or publish (admin), delete (admin).
 *
 * `POST /api/cities?filename=…` takes the file itself as the request body (any content type; at most
 * `maxUploadMb`): a cim-twin city file, or GeoJSON / OSM XML / Overpass JSON / CSV device ledger for the
 * importers (format from the file name and content, text as UTF-8 or GB18030), with the importers'
 * messages naming the file, the record and the field (422) when the content is bad.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { acceptsGzip } from '../app.ts';
import { cityFromGeoJSON } from '../../sim-core/cim/city-file.ts';
import { CimError } from '../../sim-core/cim/errors.ts';
import { importCity } from '../../sim-core/cim/import/context.ts';
import { detectFormat } from '../../sim-core/cim/import/detect.ts';
import { parseJsonText } from '../../sim-core/cim/import/json-text.ts';
import type { City } from '../../sim-core/cim/types.ts';
import { DEFAULT_CITY_ID, type CityStore } from '../db/cities.ts';
import { decodeText } from '../io/read-input.ts';
import { gzipSync } from 'node:zlib';
import { readableCity } from './access.ts';
import { errors, HttpError, requireRole } from './http.ts';
import { CityInfoSchema, IdParams } from './schemas.ts';

export interface CityRouteOptions {
  cities: CityStore;
  /** Largest upload, MiB (default 64). */
  maxUploadMb?: number;
}

/** Parses an uploaded city: a cim-twin city file, or any format the importers read. */
export function parseUpload(bytes: Buffer, filename: string, name?: string): { city: City; report: unknown } {
  const { text } = decodeText(bytes, filename);
  const head = text.slice(0, 4096);
  if (/"cimtwin"\s*:\s*\{[^}]*"format"\s*:\s*"cimtwin-city"/.test(head) || /\.city\.json$/i.test(filename)) {
    return { city: cityFromGeoJSON(parseJsonText(text, filename), filename), report: null };
  }
  const format = detectFormat(filename, head);
  const { city, report } = importCity([{ file: filename, format, text }], { name: name ?? filename.replace(/\.[^.]+$/, '') });
  return { city, report };
}

/** See the module doc. */
export async function cityRoutes(fastify: FastifyInstance, options: CityRouteOptions): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { cities } = options;

  app.get(
    '/api/cities',
    { schema: { tags: ['cities'], summary: 'Cities this client may read (anonymous: the public ones)', response: { 200: Type.Array(CityInfoSchema), ...errors(401) } } },
    async (request) => cities.list(request.user !== null),
  );

  app.get(
    '/api/cities/:id',
    { schema: { tags: ['cities'], summary: 'One city: name, public flag and summary', params: IdParams, response: { 200: CityInfoSchema, ...errors(401, 404) } } },
    async (request) => readableCity(cities, request.params.id, request),
  );

  app.get(
    '/api/cities/:id/file',
    {
      schema: {
        tags: ['cities'],
        summary: 'The city as a cim-twin city file (GeoJSON, docs/city-format.md); gzipped when accepted',
        params: IdParams,
        response: { 200: Type.Unsafe({ type: 'object', description: 'cim-twin city file' }), ...errors(401, 404) },
      },
    },
    async (request, reply) => {
      await readableCity(cities, request.params.id, request);
      const text = await cities.fileText(request.params.id);
      reply.type('application/geo+json').header('vary', 'Accept-Encoding');
      if (acceptsGzip(request.headers['accept-encoding'])) return reply.header('content-encoding', 'gzip').send(gzipSync(text));
      return reply.send(text);
    },
  );

  app.patch(
    '/api/cities/:id',
    {
      schema: {
        tags: ['cities'],
        summary: 'Rename a city or change whether it is public (admin)',
        params: IdParams,
        body: Type.Object({ name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })), public: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        response: { 200: CityInfoSchema, ...errors(400, 401, 403, 404) },
      },
      preHandler: requireRole('admin'),
    },
    async (request) => {
      const c = await cities.update(request.params.id, request.body);
      if (!c) throw new HttpError(404, `no city ${request.params.id}`);
      return c;
    },
  );

  app.delete(
    '/api/cities/:id',
    {
      schema: { tags: ['cities'], summary: 'Delete an imported city with its scenarios and jobs (admin)', params: IdParams, response: { 204: Type.Null(), ...errors(400, 401, 403, 404) } },
      preHandler: requireRole('admin'),
    },
    async (request, reply) => {
      if (request.params.id === DEFAULT_CITY_ID) throw new HttpError(400, 'the served city cannot be deleted');
      if (!(await cities.remove(request.params.id))) throw new HttpError(404, `no city ${request.params.id}`);
      return reply.code(204).send(null);
    },
  );

  const maxUploadMb = options.maxUploadMb ?? 64;
  await app.register(async (upload) => {
    // Raw bytes for every content type: the importers detect the format themselves.
    upload.removeAllContentTypeParsers();
    upload.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: maxUploadMb * 1024 * 1024 }, (_req, body, done) => done(null, body));
    upload.withTypeProvider<TypeBoxTypeProvider>().post(
      '/api/cities',
      {
        bodyLimit: maxUploadMb * 1024 * 1024,
        schema: {
          tags: ['cities'],
          summary: `Import a city from an uploaded file (admin; at most ${maxUploadMb} MiB)`,
          description:
            'The request body is the file: a cim-twin city file, GeoJSON (buildings, roads, key areas, devices), OSM XML, Overpass JSON or a CSV device ledger. ' +
            'Bad content answers 422 with the importer message naming the file, the record and the field.',
          consumes: ['application/octet-stream', 'application/json', 'application/geo+json', 'application/xml', 'text/csv'],
          querystring: Type.Object({
            filename: Type.String({ minLength: 1, maxLength: 255, description: 'file name: its extension helps detect the format (.city.json, .geojson, .osm, .csv)' }),
            name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            public: Type.Optional(Type.Boolean({ default: false })),
          }),
          body: Type.Unsafe({ description: 'the file (binary)' }),
          response: { 201: Type.Object({ city: CityInfoSchema, importReport: Type.Unknown() }), ...errors(400, 401, 403, 413, 422) },
        },
        preHandler: requireRole('admin'),
      },
      async (request, reply) => {
        const body = request.body as unknown;
        if (!Buffer.isBuffer(body) || body.length === 0) throw new HttpError(400, 'the request body must be the file to import (it is empty)');
        let parsed: { city: City; report: unknown };
        try {
          parsed = parseUpload(body, request.query.filename, request.query.name);
        } catch (e) {
          if (e instanceof CimError) throw new HttpError(422, e.message);
          throw e;
        }
        const info = await cities.create(parsed.city, { name: request.query.name, public: request.query.public ?? false, createdBy: request.user!.id, importReport: parsed.report });
        return reply.code(201).send({ city: info, importReport: parsed.report });
      },
    );
  });
}
