/**
 * The API of the server (docs/server.md): persistence, users and roles, cities, versioned scenarios,
 * jobs and reports, and the OpenAPI document with its UI at `/documentation`. `server/app.ts` calls
 * {@link registerOpenApi} before its own routes (so that every route lands in the document) and
 * registers {@link apiPlugin} when a database is configured.
 */
import { fastifySwagger } from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { City } from '../../sim-core/cim/types.ts';
import { CityStore } from '../db/cities.ts';
import { openDb, type Db, type DbOptions } from '../db/db.ts';
import { migrate } from '../db/migrate.ts';
import { ScenarioStore } from '../db/scenarios.ts';
import { ensureFirstAdmin, userOfToken } from '../auth/users.ts';
import { tilesetNameOf } from '../jobs/tiles-job.ts';
import { ThreadJobExecutor, type JobExecutor, type ThreadExecutorOptions } from '../jobs/executor.ts';
import { JobService } from '../jobs/service.ts';
import { authRoutes, installUserHook, SESSION_COOKIE, tokenOf } from './auth.ts';
import { cityRoutes } from './cities.ts';
import { jobRoutes } from './jobs.ts';
import { reportRoutes } from './reports.ts';
import { scenarioRoutes } from './scenarios.ts';
import { tourRoutes, type TourRouteOptions } from './tours.ts';
import { scenarioEventRoutes } from './scenario-events.ts';
import { deviceStatusRoutes } from './device-status.ts';
import { liveRoutes } from './live.ts';
import { parseDevicesRoutes } from './parse-devices.ts';
import { DEFAULT_CITY_ID } from '../db/cities.ts';
import { ensureLiveScenario } from '../db/live-scenarios.ts';

/** Options of the API (`AppOptions.api`). */
export interface ApiOptions {
  /** Where the data lives: `{dataDir}` (PGlite), `{url}` (PostgreSQL), `{memory: true}`, or an open {@link Db} (not closed by the app). */
  database: DbOptions | Db;
  /** Password of the first admin, created on an empty database (default: a random one-time password, reported through `onFirstAdmin`). */
  adminPassword?: string;
  /** Told once when the first admin was created (to print the one-time password). */
  onFirstAdmin?(admin: { username: string; password: string; generated: boolean }): void;
  /** Login attempts per client address and minute (default 10). */
  loginRateLimit?: number;
  /** Largest city upload, MiB (default 64). */
  maxUploadMb?: number;
  /** Job threads and queue. */
  jobs?: ThreadExecutorOptions;
  /** Another job executor (instead of the thread executor). */
  executor?: JobExecutor;
  /** Computes a city's results for its default tour (default: a worker thread; see server/routes/tours.ts). */
  tourResults?: TourRouteOptions['computeResults'];
  /** Heartbeat comment interval of the server-sent event streams (jobs, scenario versions), ms (default 15,000). */
  sseHeartbeatMs?: number;
}

/** The API's services, on `app.api` once the app is ready. */
export interface ApiServices {
  db: Db;
  cities: CityStore;
  scenarios: ScenarioStore;
  jobs: JobService;
  /** Jobs marked failed at start because a previous process left them running. */
  recoveredJobs: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The API's services (present when the app was built with `api` options). */
    api: ApiServices;
    /**
     * Whether this request may read the tileset a tiles job built (`/tiles/c-…/`): the city's own
     * visibility rule (public, or any logged-in user). Null when it may; else the status and message.
     */
    jobTilesetAccess(name: string, request: FastifyRequest): Promise<{ statusCode: number; message: string } | null>;
  }
}

const isDb = (d: DbOptions | Db): d is Db => typeof (d as Db).query === 'function';

/**
 * Sets up @fastify/swagger (OpenAPI 3 from the route schemas) and the UI at `/documentation` (assets
 * served locally). The swagger set-up runs synchronously on the root instance, so that its route hook
 * sees the routes that server/app.ts declares right after this call (a registered plugin would only
 * load after them).
 */
export function registerOpenApi(app: FastifyInstance): void {
  const swaggerOptions: Parameters<typeof fastifySwagger>[1] = {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'cim-twin API',
        version: '0.1.0',
        description:
          'Cities, versioned scenarios (device inventories), simulation jobs and DB37/T 3890 indicator reports. ' +
          'Errors always answer {error, message, statusCode} (schema cimtwinError). Log in with POST /api/auth/login and send "Authorization: Bearer <token>". See docs/server.md.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'the token from POST /api/auth/login' },
          cookie: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
        },
      },
      security: [{ bearer: [] }, { cookie: [] }, {}],
      tags: [
        { name: 'auth', description: 'log in, log out, who am I' },
        { name: 'users', description: 'users and roles (admin)' },
        { name: 'cities', description: 'cities: list, read, import (admin)' },
        { name: 'scenarios', description: 'device inventories on a city, versioned' },
        { name: 'jobs', description: 'coverage, placement, green-wave and 3D Tiles jobs with progress' },
        { name: 'reports', description: 'indicator reports and GeoJSON outputs' },
        { name: 'tours', description: 'tours of the 城市运行全景图 (scripted walkthroughs), per city' },
      ],
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  };
  fastifySwagger(app, swaggerOptions, (err) => {
    if (err) throw err;
  });
  // swagger-ui checks that a plugin named '@fastify/swagger' was registered; the set-up above ran
  // directly, so record its name with an empty plugin.
  app.register(
    fp(async () => {}, { name: '@fastify/swagger' }),
  );
  app.register(swaggerUi, { routePrefix: '/documentation' });
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
}

/**
 * The API: see the module doc and {@link ApiOptions}. `city` is the served city (the `default` city);
 * `tilesDir` the folder of the tilesets that tiles jobs build (server/app.ts serves it).
 */
export const apiPlugin = fp(
  async (app: FastifyInstance, opts: ApiOptions & { city: () => Promise<City>; tilesDir?: string | false }) => {
    const owned = !isDb(opts.database);
    const db = isDb(opts.database) ? opts.database : await openDb(opts.database);
    let jobs: JobService | undefined;
    try {
      await migrate(db);
      const admin = await ensureFirstAdmin(db, opts.adminPassword);
      if (admin) {
        if (opts.onFirstAdmin) opts.onFirstAdmin(admin);
        else app.log.warn({ username: admin.username }, admin.generated ? 'created the first admin with a one-time password (set CIMTWIN_ADMIN_PASSWORD to choose it)' : 'created the first admin');
      }
      const cities = new CityStore(db, opts.city);
      await cities.ensureDefault();
      const scenarios = new ScenarioStore(db);
      const live = await ensureLiveScenario(db, cities, scenarios, DEFAULT_CITY_ID);
      if (live.created) app.log.info({ scenarioId: live.id }, 'made the live scenario of the served city');
      jobs = new JobService(db, opts.executor ?? new ThreadJobExecutor(opts.jobs), cities, scenarios, app.log, { tilesDir: opts.tilesDir });
      const recoveredJobs = await jobs.recover();
      if (recoveredJobs > 0) app.log.warn({ jobs: recoveredJobs }, 'marked jobs left running by a previous process as failed');
      app.decorate('api', { db, cities, scenarios, jobs, recoveredJobs });
    } catch (e) {
      await jobs?.close();
      if (owned) await db.close();
      throw e;
    }
    app.addHook('onClose', async () => {
      await app.api.jobs.close();
      if (owned) await db.close();
    });

    const { cities, scenarios } = app.api;
    const services = app.api;
    // The /tiles/ routes live outside the API's scope (no user hook there): resolve the token here.
    app.decorate('jobTilesetAccess', async (name: string, request: FastifyRequest) => {
      const city = (await cities.list(true)).find((c) => tilesetNameOf(c.id) === name);
      if (!city) return { statusCode: 404, message: `no tileset named '${name}'` };
      if (city.public) return null;
      const token = tokenOf(request);
      if (token !== null && (await userOfToken(db, token))) return null;
      return { statusCode: 401, message: `tileset '${name}' is of city ${city.id}, which is not public: log in to read it` };
    });
    await app.register(async (scoped) => {
      installUserHook(scoped, db);
      await scoped.register(authRoutes, { db, loginRateLimit: opts.loginRateLimit });
      await scoped.register(cityRoutes, { cities, maxUploadMb: opts.maxUploadMb });
      await scoped.register(scenarioRoutes, { cities, scenarios });
      await scoped.register(jobRoutes, { cities, scenarios, jobs: services.jobs, sseHeartbeatMs: opts.sseHeartbeatMs });
      await scoped.register(scenarioEventRoutes, { cities, scenarios, sseHeartbeatMs: opts.sseHeartbeatMs });
      await scoped.register(deviceStatusRoutes, { cities, scenarios });
      await scoped.register(liveRoutes, { db, cities, scenarios });
      await scoped.register(parseDevicesRoutes, { cities, maxUploadMb: opts.maxUploadMb });
      await scoped.register(reportRoutes, { cities, scenarios, jobs: services.jobs });
      await scoped.register(tourRoutes, { db, cities, computeResults: opts.tourResults });
    });
  },
  { name: 'cimtwin-api' },
);
