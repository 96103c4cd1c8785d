/**
 * Node side of the worker test page: builds it with its own vite config and serves it on a free
 * 127.0.0.1 port, with extra in-memory files (packed cities). Every file is served twice: under
 * `/coi/` with `Cross-Origin-Opener-Policy: same-origin` and `Cross-Origin-Embedder-Policy:
 * require-corp` (a cross-origin-isolated page: SharedArrayBuffer available), and under `/plain/`
 * without them.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

export const TEST_PAGE_DIR = fileURLToPath(new URL('../../dist/workers-test', import.meta.url));
const CONFIG = fileURLToPath(new URL('../vite.test-page.config.ts', import.meta.url));

/** Builds the page into dist/workers-test (vite's JS API, the page's own config). */
export async function buildTestPage(): Promise<void> {
  const { build } = await import('vite');
  await build({ configFile: CONFIG, logLevel: 'warn' });
}

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.map': 'application/json', '.bin': 'application/octet-stream' };

export interface TestPageServer {
  origin: string;
  close(): Promise<void>;
}

/** Serves the built page and `files` (path → bytes, e.g. '/data/city.bin'). */
export async function serveTestPage(files: Map<string, Uint8Array> = new Map()): Promise<TestPageServer> {
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const m = /^\/(coi|plain)(\/.*)$/.exec(url.pathname);
    if (!m) {
      res.writeHead(404).end('not found');
      return;
    }
    const isolated = m[1] === 'coi';
    const path = m[2] === '/' ? '/index.html' : m[2];
    const headers: Record<string, string> = { 'Content-Type': TYPES[extname(path)] ?? 'application/octet-stream', 'Cache-Control': 'no-store' };
    if (isolated) {
      headers['Cross-Origin-Opener-Policy'] = 'same-origin';
      headers['Cross-Origin-Embedder-Policy'] = 'require-corp';
    }
    try {
      const body = files.get(path) ?? (await readFile(join(TEST_PAGE_DIR, normalize(path).replace(/^(\.\.[/\\])+/, ''))));
      res.writeHead(200, headers).end(body);
    } catch {
      res.writeHead(404, headers).end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return { origin: `http://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
