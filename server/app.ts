/**
 * The cim-twin HTTP app: a fastify instance built without listening, so that tests drive it with
 * `app.inject()` and `server/main.ts` puts it on a port.
 *
 * Routes (all with JSON schemas):
 * - `GET /api/health` — liveness and whether the city is loaded.
 * - `GET /api/city` — the city as a cim-twin city file (docs/city-format.md), serialised once and
 *   cached, gzipped when the client accepts it, with an ETag.
 * - `GET /api/city/summary` — {@link summarizeCity} of the same city.
 * - `GET /tiles/<name>/tileset.json`, `GET /tiles/<name>/content/<file>.glb` — 3D Tiles 1.1 tilesets
 *   (tiles/, docs/tiles.md). `city` is the served city's, built incrementally into a cache folder
 *   when the server starts listening (or on its first request); other names are prebuilt folders
 *   given in {@link AppOptions.tilesets}, or built by tiles jobs into {@link AppOptions.jobTilesDir}
 *   (names `c-<city>-<hash>`, server/jobs/tiles-job.ts). tileset.json: `application/json`, `no-cache` + ETag;
 *   content named by its hash: `model/gltf-binary`, immutable for a year.
 * - everything else — the built viewer (`dist/viewer`) as static files.
 *
 * Errors always answer `{error, message, statusCode}`; server faults are logged and answered with a
 * generic message (no stack traces, no internals).
 */
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { STATUS_CODES } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { CimError } from '../sim-core/cim/errors.ts';
import { cityFromGeoJSON, cityToGeoJSON } from '../sim-core/cim/city-file.ts';
import { generateDefaultCity } from '../sim-core/cim/demo/index.ts';
import { summarizeCity, type CitySummary } from '../sim-core/cim/summary.ts';
import type { City } from '../sim-core/cim/types.ts';
import { apiPlugin, registerOpenApi, type ApiOptions } from './routes/index.ts';
import { CONTENT_DIR, TILESET_FILE, writeTileset, type WriteResult } from '../tiles/write.ts';
import { JOB_TILESET_NAME } from './jobs/tiles-job.ts';

const gzipAsync = promisify(gzip);

/** Repository root (this file lives in `server/`). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Where `npm run build` puts the viewer. */
export const DEFAULT_STATIC_DIR = join(REPO_ROOT, 'dist', 'viewer');
/** What to tell a user whose viewer is not built. */
export const VIEWER_NOT_BUILT_HINT = 'the viewer is not built: run npm run build';

/** Options of {@link buildApp}. */
export interface AppOptions {
  /** The city to serve, or a function that makes it (called once, on first use). */
  city?: City | (() => Promise<City>);
  /** A cim-twin city file (`*.city.json`) to serve; ignored when `city` is given. */
  cityFile?: string;
  /** Folder of the built viewer; default `dist/viewer` in the repository. `false`: serve no viewer. */
  staticDir?: string | false;
  /** Fastify's pino logger: `false` (default) for none. */
  logger?: boolean | { level: string };
  /** The API (users, cities, scenarios, jobs, reports; server/routes/index.ts): registered when given. */
  api?: ApiOptions;
  /**
   * Folder for the served city's tileset (`/tiles/city/`); default `.cache/tiles/default` for the
   * default city, `.cache/tiles/<file name>-<hash of its path>` for a city file, and none (`false`)
   * for a city given as an object (tests give a folder of their own). `false`: serve no city tileset.
   */
  tilesCacheDir?: string | false;
  /** Prebuilt tileset folders (written by `cimtwin tiles`) served as `/tiles/<name>/`. */
  tilesets?: Record<string, string>;
  /** Folder where tiles jobs build their tilesets, served as `/tiles/<name>/` (default `.cache/tiles/jobs`; `false`: no tiles jobs). */
  jobTilesDir?: string | false;
}

/** The served city's tileset once built. */
export interface CityTileset {
  dir: string;
  result: WriteResult;
}

/** The served city in every form the routes need, made once. */
export interface CityPayload {
  city: City;
  summary: CitySummary;
  /** UTF-8 JSON of the city file. */
  json: Buffer;
  /** The same bytes gzipped. */
  gzipped: Buffer;
  /** Strong ETag of `json`. */
  etag: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Loads (once) and returns the served city and its cached serialisations. */
    cityPayload(): Promise<CityPayload>;
    /** True when the built viewer's index.html was found and is served at `/`. */
    viewerBuilt: boolean;
    /** Builds (once; incrementally against the cache folder) and returns the served city's tileset. */
    cityTileset(): Promise<CityTileset>;
  }
}

/** Where the served city's tiles are cached by default (gitignored). */
export const TILES_CACHE_ROOT = join(REPO_ROOT, '.cache', 'tiles');
/** Name of the served city's tileset under `/tiles/`. */
export const CITY_TILESET = 'city';
/** Content files written by tiles/ carry their input hash: `<level>-<x>-<y>-<16 hex>.glb`. */
const HASHED_CONTENT = /^\d+-\d+-\d+-([0-9a-f]{16})\.glb$/;
const SAFE_CONTENT = /^[\w.-]+\.glb$/;

function defaultTilesDir(options: AppOptions): string | false {
  if (options.city !== undefined) return false;
  if (options.cityFile === undefined) return join(TILES_CACHE_ROOT, 'default');
  const abs = resolve(options.cityFile);
  const base = abs.split(/[\\/]/).pop()?.replace(/[^\w.-]/g, '_') ?? 'city';
  return join(TILES_CACHE_ROOT, `${base}-${createHash('sha1').update(abs).digest('hex').slice(0, 10)}`);
}

function jobTilesDirOf(options: AppOptions): string | false {
  if (options.jobTilesDir === undefined) return join(TILES_CACHE_ROOT, 'jobs');
  return options.jobTilesDir === false ? false : resolve(options.jobTilesDir);
}

/** True when `staticDir` holds a built viewer (its index.html). */
export function isViewerBuilt(staticDir: string = DEFAULT_STATIC_DIR): boolean {
  return existsSync(join(staticDir, 'index.html'));
}

/** Reads and validates a cim-twin city file; errors name the file (and the feature and field). */
export async function readCityFile(path: string): Promise<City> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CimError(code === 'ENOENT' ? 'file not found' : `cannot read file (${code ?? String(e)})`, { file: path });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new CimError(`not valid JSON (${(e as Error).message})`, { file: path });
  }
  return cityFromGeoJSON(json, path);
}

/** Generates the embedded default city (synthetic, deterministic; a few seconds for ≥15,000 buildings). */
export async function loadDefaultCity(): Promise<City> {
  return generateDefaultCity();
}

async function makePayload(city: City): Promise<CityPayload> {
  const json = Buffer.from(JSON.stringify(cityToGeoJSON(city)), 'utf8');
  const gzipped = await gzipAsync(json, { level: 6 });
  const etag = `"${createHash('sha1').update(json).digest('base64url')}"`;
  return { city, summary: summarizeCity(city), json, gzipped, etag };
}

/** True when an Accept-Encoding header admits gzip (a `gzip` or `*` token whose q is not 0). */
export function acceptsGzip(header: string | string[] | undefined): boolean {
  if (!header) return false;
  const value = Array.isArray(header) ? header.join(',') : header;
  for (const part of value.split(',')) {
    const [token, ...params] = part.trim().toLowerCase().split(';');
    if (token.trim() !== 'gzip' && token.trim() !== '*') continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (!q || Number(q.slice(2)) > 0) return true;
  }
  return false;
}

const errorSchema = {
  $id: 'cimtwinError',
  type: 'object',
  required: ['error', 'message', 'statusCode'],
  properties: { error: { type: 'string' }, message: { type: 'string' }, statusCode: { type: 'integer' } },
} as const;

const countMap = { type: 'object', additionalProperties: { type: 'number' } } as const;

const summarySchema = {
  type: 'object',
  required: ['name', 'synthetic', 'origin', 'bboxM', 'bboxLngLat', 'buildings', 'roads', 'keyAreas', 'scopes', 'devices', 'attribution', 'sources'],
  properties: {
    name: { type: 'string' },
    synthetic: { type: 'boolean' },
    origin: { type: 'object', properties: { lonDeg: { type: 'number' }, latDeg: { type: 'number' }, heightM: { type: 'number' } } },
    bboxM: { type: 'object', properties: { minX: { type: 'number' }, minY: { type: 'number' }, maxX: { type: 'number' }, maxY: { type: 'number' } } },
    bboxLngLat: { type: 'object', properties: { west: { type: 'number' }, south: { type: 'number' }, east: { type: 'number' }, north: { type: 'number' } } },
    buildings: {
      type: 'object',
      properties: {
        count: { type: 'integer' },
        withHeight: { type: 'integer' },
        minRoofM: { type: 'number' },
        medianRoofM: { type: 'number' },
        maxRoofM: { type: 'number' },
        byUse: countMap,
      },
    },
    roads: {
      type: 'object',
      properties: {
        nodes: { type: 'integer' },
        links: { type: 'integer' },
        intersections: { type: 'integer' },
        importantIntersections: { type: 'integer' },
        signalized: { type: 'integer' },
        intersectionsByClass: countMap,
        lengthKmByClass: countMap,
      },
    },
    keyAreas: { type: 'object', properties: { count: { type: 'integer' }, video: { type: 'integer' }, nr5g: { type: 'integer' }, byCategory: countMap } },
    scopes: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, kind: { type: 'string' }, name: { type: ['string', 'null'] } } } },
    devices: {
      type: 'object',
      additionalProperties: { type: 'object', properties: { count: { type: 'integer' }, healthy: { type: 'integer' }, networked: { type: 'integer' } } },
    },
    attribution: { type: 'array', items: { type: 'string' } },
    sources: { type: 'array', items: { type: 'string' } },
  },
} as const;

const errorResponses = { 404: { $ref: 'cimtwinError#' }, 500: { $ref: 'cimtwinError#' } };

function sendError(reply: FastifyReply, statusCode: number, message: string) {
  return reply.code(statusCode).type('application/json; charset=utf-8').send({ error: STATUS_CODES[statusCode] ?? 'Error', message, statusCode });
}

/** Builds the app (not listening). See the module doc for the routes. */
export function buildApp(options: AppOptions = {}): FastifyInstance {
  // Opening a new PGlite data directory (initdb) can take 20 s on a busy 2-core machine.
  const app = Fastify({ logger: options.logger ?? false, pluginTimeout: 120_000 });
  registerOpenApi(app);

  const loadCity: () => Promise<City> =
    options.city === undefined
      ? options.cityFile !== undefined
        ? () => readCityFile(options.cityFile as string)
        : loadDefaultCity
      : typeof options.city === 'function'
        ? options.city
        : ((city) => () => Promise.resolve(city))(options.city);

  let payload: Promise<CityPayload> | undefined;
  app.decorate('cityPayload', () => {
    // Made once; a failure is not cached, so a fixed file is picked up on the next request.
    payload ??= loadCity().then(makePayload);
    payload.catch(() => {
      payload = undefined;
    });
    return payload;
  });

  app.addSchema(errorSchema);

  app.setErrorHandler((err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const status = typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    if (status >= 500) {
      request.log.error({ err }, 'request failed');
      return sendError(reply, status, 'the server could not answer this request; see the server log');
    }
    return sendError(reply, status, err.message);
  });

  app.setNotFoundHandler((request, reply) => sendError(reply, 404, `no route or file for ${request.method} ${request.url.split('?')[0]}`));

  app.get(
    '/api/health',
    {
      schema: {
        response: {
          200: {
            type: 'object',
            required: ['status', 'viewerBuilt'],
            properties: { status: { type: 'string', enum: ['ok'] }, viewerBuilt: { type: 'boolean' } },
          },
        },
      },
    },
    async () => ({ status: 'ok' as const, viewerBuilt: app.viewerBuilt }),
  );

  app.get(
    '/api/city',
    {
      schema: {
        description: 'The served city as a cim-twin city file (GeoJSON FeatureCollection, WGS84 lon/lat); see docs/city-format.md.',
        response: {
          200: { type: 'object', required: ['type', 'cimtwin', 'features'], properties: { type: { type: 'string', enum: ['FeatureCollection'] }, cimtwin: { type: 'object' }, features: { type: 'array' } } },
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const p = await app.cityPayload();
      reply.header('etag', p.etag).header('vary', 'Accept-Encoding').header('cache-control', 'no-cache').type('application/geo+json');
      if (request.headers['if-none-match'] === p.etag) return reply.code(304).send();
      if (acceptsGzip(request.headers['accept-encoding'])) return reply.header('content-encoding', 'gzip').send(p.gzipped);
      return reply.send(p.json);
    },
  );

  app.get('/api/city/summary', { schema: { response: { 200: summarySchema, ...errorResponses } } }, async () => (await app.cityPayload()).summary);

  registerTiles(app, options);

  if (options.api) app.register(apiPlugin, { ...options.api, city: async () => (await app.cityPayload()).city, tilesDir: jobTilesDirOf(options) });

  const staticDir = options.staticDir === undefined ? DEFAULT_STATIC_DIR : options.staticDir;
  app.decorate('viewerBuilt', staticDir !== false && isViewerBuilt(staticDir));
  if (app.viewerBuilt && staticDir !== false) {
    app.register(fastifyStatic, { root: resolve(staticDir), prefix: '/', index: ['index.html'] });
  } else {
    app.get('/', { schema: { response: { 503: { $ref: 'cimtwinError#' } } } }, async (_request, reply) => sendError(reply, 503, VIEWER_NOT_BUILT_HINT));
  }

  return app;
}

/** The `/tiles/` routes and the served city's tileset build (see the module doc). */
function registerTiles(app: FastifyInstance, options: AppOptions): void {
  const cityDir = options.tilesCacheDir === undefined ? defaultTilesDir(options) : options.tilesCacheDir;
  let building: Promise<CityTileset> | undefined;
  app.decorate('cityTileset', () => {
    if (cityDir === false) return Promise.reject(new Error('this server serves no city tileset'));
    // One build at a time; a failure is not cached, so the next request tries again.
    building ??= app.cityPayload().then(async (p) => ({ dir: cityDir, result: await writeTileset(cityDir, { city: p.city }) }));
    building.catch(() => {
      building = undefined;
    });
    return building;
  });
  if (cityDir !== false) {
    // Build as soon as the server listens, so that the first viewer does not wait for it.
    app.addHook('onListen', async () => {
      app.cityTileset().then(
        (t) => app.log.info({ tiles: t.result.tiles, written: t.result.written, reused: t.result.reused, ms: Math.round(t.result.totalMs) }, 'city tileset ready'),
        (err: unknown) => app.log.error({ err }, 'city tileset build failed'),
      );
    });
  }
  const dirOf = async (name: string): Promise<string | null> => {
    if (name === CITY_TILESET && cityDir !== false) return (await app.cityTileset()).dir;
    if (options.tilesets && Object.hasOwn(options.tilesets, name)) return resolve(options.tilesets[name]);
    const jobDir = jobTilesDirOf(options);
    return jobDir !== false && JOB_TILESET_NAME.test(name) ? join(jobDir, name) : null;
  };
  const params = { type: 'object', required: ['name'], properties: { name: { type: 'string', pattern: '^[\\w-]+$' } } } as const;

  // Tilesets built by tiles jobs are of a city: read them under that city's visibility rule.
  const denied = async (name: string, request: FastifyRequest) =>
    JOB_TILESET_NAME.test(name) && app.hasDecorator('jobTilesetAccess') ? app.jobTilesetAccess(name, request) : null;

  app.get<{ Params: { name: string } }>('/tiles/:name/tileset.json', { schema: { params, response: errorResponses } }, async (request, reply) => {
    const no = await denied(request.params.name, request);
    if (no) return sendError(reply, no.statusCode, no.message);
    const dir = await dirOf(request.params.name);
    if (!dir) return sendError(reply, 404, `no tileset named '${request.params.name}'`);
    let bytes: Buffer;
    try {
      bytes = await readFile(join(dir, TILESET_FILE));
    } catch {
      return sendError(reply, 404, `tileset '${request.params.name}' has no ${TILESET_FILE}`);
    }
    const etag = `"${createHash('sha1').update(bytes).digest('base64url')}"`;
    // Short-lived: it changes whenever the city is rebuilt; clients revalidate with the ETag.
    reply.header('etag', etag).header('cache-control', 'no-cache').header('vary', 'Accept-Encoding').type('application/json');
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    if (acceptsGzip(request.headers['accept-encoding'])) return reply.header('content-encoding', 'gzip').send(await gzipAsync(bytes, { level: 6 }));
    return reply.send(bytes);
  });

  app.get<{ Params: { name: string; file: string } }>(
    '/tiles/:name/content/:file',
    { schema: { params: { ...params, required: ['name', 'file'], properties: { ...params.properties, file: { type: 'string' } } }, response: errorResponses } },
    async (request, reply) => {
      const { name, file } = request.params;
      if (!SAFE_CONTENT.test(file)) return sendError(reply, 404, `no tile content ${file}`);
      const no = await denied(name, request);
      if (no) return sendError(reply, no.statusCode, no.message);
      const dir = await dirOf(name);
      if (!dir) return sendError(reply, 404, `no tileset named '${name}'`);
      const path = join(dir, CONTENT_DIR, file);
      let size: number, mtimeMs: number;
      try {
        ({ size, mtimeMs } = await stat(path));
      } catch {
        return sendError(reply, 404, `tileset '${name}' has no content ${file}`);
      }
      const hashed = HASHED_CONTENT.exec(file);
      // Our content files are named by the hash of what they are made from: they never change.
      const etag = hashed ? `"${hashed[1]}"` : `"${size.toString(36)}-${Math.round(mtimeMs).toString(36)}"`;
      reply.header('etag', etag).header('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache').type('model/gltf-binary');
      if (request.headers['if-none-match'] === etag) return reply.code(304).send();
      reply.header('content-length', size);
      return reply.send(createReadStream(path));
    },
  );
}
