/**
 * `cimtwin serve [--port 8080] [--host 127.0.0.1] [--city city.json] [--data-dir .data]`: the server
 * and the built viewer, on the embedded default city unless a city file is given, with the API
 * (users, scenarios, jobs; docs/server.md) on PGlite in the data directory, or on PostgreSQL when
 * DATABASE_URL is set. Runs until SIGINT/SIGTERM.
 */
import type { CAC } from 'cac';
import { resolve } from 'node:path';
import { DEFAULT_STATIC_DIR, VIEWER_NOT_BUILT_HINT, isViewerBuilt } from '../../app.ts';
import { startServer } from '../../main.ts';
import { redactUrl } from '../../db/db.ts';
import type { ApiOptions } from '../../routes/index.ts';
import { action, type CliContext } from '../main.ts';

interface ServeOptions {
  port: number | string;
  host: string;
  city?: string;
  dataDir?: string;
  jobThreads?: number | string;
}

/** Default PGlite data directory (gitignored). */
export const DEFAULT_DATA_DIR = '.data';

/**
 * Where the API keeps its data: PostgreSQL when DATABASE_URL is set, else PGlite in `--data-dir`
 * (default `.data/`, or CIMTWIN_DATA_DIR).
 */
export function databaseOf(dataDir: string | undefined, env: NodeJS.ProcessEnv = process.env): { url: string } | { dataDir: string } {
  if (env.DATABASE_URL) {
    if (dataDir !== undefined) throw new Error('give --data-dir (PGlite) or DATABASE_URL (PostgreSQL), not both');
    return { url: env.DATABASE_URL };
  }
  return { dataDir: resolve(dataDir ?? env.CIMTWIN_DATA_DIR ?? DEFAULT_DATA_DIR) };
}

/** Parses a --port value: an integer 0–65535 (0 = any free port). */
export function parsePort(value: unknown): number {
  const port = typeof value === 'number' ? value : Number(String(value).trim());
  if (!Number.isInteger(port) || port < 0 || port > 65535 || String(value).trim() === '') {
    throw new Error(`--port must be an integer from 0 to 65535 (0 picks a free port), got '${String(value)}'`);
  }
  return port;
}

/** Registers the `serve` verb. */
export function register(cli: CAC, ctx: CliContext): void {
  cli
    .command('serve', 'Serve the viewer and the API (default city: the generated demo city)')
    .option('--port <port>', 'TCP port (0 picks a free one)', { default: 8080 })
    .option('--host <host>', 'interface to listen on', { default: '127.0.0.1' })
    .option('--city <file>', 'a cim-twin city file (*.city.json) to serve instead of the default city')
    .option('--data-dir <dir>', 'PGlite data directory for users, cities, scenarios and jobs (default .data/; DATABASE_URL selects PostgreSQL instead)')
    .option('--job-threads <n>', 'jobs running at once, each in its own worker thread (default 1)')
    .example('cimtwin serve --port 0 --city my.city.json')
    .action(
      action(ctx, async (options: ServeOptions) => {
        const port = parsePort(options.port);
        const host = String(options.host);
        const cityFile = options.city === undefined ? undefined : resolve(String(options.city));
        if (!isViewerBuilt(DEFAULT_STATIC_DIR)) process.stderr.write(`cim-twin: ${VIEWER_NOT_BUILT_HINT} (${DEFAULT_STATIC_DIR}/index.html is missing); serving the API only\n`);
        process.stderr.write(cityFile ? `cim-twin: loading ${cityFile}\n` : 'cim-twin: generating the default city (synthetic demo data)\n');
        const database = databaseOf(options.dataDir === undefined ? undefined : String(options.dataDir));
        const jobThreads = options.jobThreads === undefined ? 1 : Number(options.jobThreads);
        if (!Number.isInteger(jobThreads) || jobThreads < 1 || jobThreads > 64) throw new Error(`--job-threads must be a whole number from 1 to 64, got '${String(options.jobThreads)}'`);
        process.stderr.write(`cim-twin: data in ${'url' in database ? redactUrl(database.url) : database.dataDir}\n`);
        const api: ApiOptions = {
          database,
          adminPassword: process.env.CIMTWIN_ADMIN_PASSWORD,
          onFirstAdmin: (a) =>
            process.stderr.write(
              a.generated
                ? `cim-twin: created user '${a.username}' (admin) with the one-time password ${a.password}\n  it is shown only now: log in and create your own users (set CIMTWIN_ADMIN_PASSWORD to choose it instead)\n`
                : `cim-twin: created user '${a.username}' (admin) with the password from CIMTWIN_ADMIN_PASSWORD\n`,
            ),
          jobs: { maxActive: jobThreads, testDelayMs: process.env.CIMTWIN_TEST_JOB_DELAY_MS ? Number(process.env.CIMTWIN_TEST_JOB_DELAY_MS) : undefined },
        };
        const server = await startServer({ host, port, cityFile, staticDir: DEFAULT_STATIC_DIR, logger: { level: 'warn' }, api });
        await server.closed;
      }),
    );
}
