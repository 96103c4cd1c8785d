/**
 * `cimtwin serve [--port 8080] [--host 127.0.0.1] [--city city.json]`: the server and the built
 * viewer, on the embedded default city unless a city file is given. Runs until SIGINT/SIGTERM.
 */
import type { CAC } from 'cac';
import { resolve } from 'node:path';
import { DEFAULT_STATIC_DIR, VIEWER_NOT_BUILT_HINT, isViewerBuilt } from '../../app.ts';
import { startServer } from '../../main.ts';
import { action, type CliContext } from '../main.ts';

interface ServeOptions {
  port: number | string;
  host: string;
  city?: string;
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
    .example('cimtwin serve --port 0 --city my.city.json')
    .action(
      action(ctx, async (options: ServeOptions) => {
        const port = parsePort(options.port);
        const host = String(options.host);
        const cityFile = options.city === undefined ? undefined : resolve(String(options.city));
        if (!isViewerBuilt(DEFAULT_STATIC_DIR)) process.stderr.write(`cim-twin: ${VIEWER_NOT_BUILT_HINT} (${DEFAULT_STATIC_DIR}/index.html is missing); serving the API only\n`);
        process.stderr.write(cityFile ? `cim-twin: loading ${cityFile}\n` : 'cim-twin: generating the default city (synthetic demo data)\n');
        const server = await startServer({ host, port, cityFile, staticDir: DEFAULT_STATIC_DIR, logger: { level: 'warn' } });
        await server.closed;
      }),
    );
}
