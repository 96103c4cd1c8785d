/**
 * Puts the app from `server/app.ts` on a port: loads the city first (so a bad city file fails before
 * anything listens and the first page load is fast), listens, prints `cim-twin: http://HOST:PORT/`,
 * and closes gracefully on SIGINT/SIGTERM (in-flight requests finish; a second signal exits at once).
 */
import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { buildApp, type AppOptions } from './app.ts';

/** Options of {@link startServer}: the app's, plus where to listen. */
export interface StartOptions extends AppOptions {
  /** Interface to listen on; default 127.0.0.1 (this machine only). */
  host?: string;
  /** TCP port; 0 picks a free one. Default 8080. */
  port?: number;
  /** Install SIGINT/SIGTERM handlers that close the server; default true. */
  handleSignals?: boolean;
  /** Where status lines go; default stdout. */
  print?: (line: string) => void;
}

/** A listening server, as {@link startServer} returns it. */
export interface RunningServer {
  app: FastifyInstance;
  /** `http://host:port/` as printed. */
  url: string;
  port: number;
  /** Closes the server (idempotent). */
  close(): Promise<void>;
  /** Settles when the server has closed, by `close()` or a signal. */
  closed: Promise<void>;
}

/** Starts the server; see the module doc. Rejects (nothing left listening) when the city or the port fails. */
export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const { host = '127.0.0.1', port = 8080, handleSignals = true, print = (line: string) => process.stdout.write(`${line}\n`), ...appOptions } = options;
  const app = buildApp(appOptions);
  let resolveClosed!: () => void;
  const closed = new Promise<void>((r) => (resolveClosed = r));
  app.addHook('onClose', async () => resolveClosed());
  try {
    await app.ready();
    await app.cityPayload();
    await app.listen({ host, port });
  } catch (e) {
    await app.close();
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'EADDRINUSE') throw new Error(`port ${port} on ${host} is already in use; pass --port N, or --port 0 for a free one`);
    throw e;
  }

  const address = app.server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${shownHost}:${address.port}/`;

  let closing: Promise<void> | undefined;
  const close = () => (closing ??= app.close());

  if (handleSignals) {
    const onSignal = (signal: NodeJS.Signals) => {
      if (closing) {
        print(`cim-twin: ${signal} again, exiting now`);
        process.exit(1);
      }
      print(`cim-twin: ${signal}, closing (finishing open requests)`);
      void close();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    void closed.then(() => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    });
  }

  print(`cim-twin: ${url}`);
  return { app, url, port: address.port, close, closed };
}
