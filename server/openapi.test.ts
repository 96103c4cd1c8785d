/**
 * The OpenAPI document: generated from the route schemas, checked in as docs/openapi.json (this test
 * fails when they differ; regenerate with `UPDATE_OPENAPI=1 npx vitest run server/openapi.test.ts`),
 * every API operation states its error shape, and the UI at /documentation works offline.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp, REPO_ROOT } from './app.ts';
import { makeTestCity } from './test-city.ts';
import { TEST_DATABASES } from './db/test-db.ts';

const DOC = join(REPO_ROOT, 'docs', 'openapi.json');

describe('OpenAPI document', () => {
  let app: FastifyInstance;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    const opened = await TEST_DATABASES[0].open();
    cleanup = async () => {
      await opened.db.close();
      await opened.cleanup();
    };
    app = buildApp({ city: makeTestCity(), staticDir: false, tilesCacheDir: false, api: { database: opened.db, adminPassword: 'doc-admin-password' } });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await cleanup?.();
  });

  it('equals the checked-in docs/openapi.json', () => {
    const text = `${JSON.stringify(app.swagger(), null, 2)}\n`;
    if (process.env.UPDATE_OPENAPI === '1') writeFileSync(DOC, text);
    expect(text, 'docs/openapi.json is out of date: run UPDATE_OPENAPI=1 npx vitest run server/openapi.test.ts').toBe(readFileSync(DOC, 'utf8'));
  });

  it('documents every API route with the error shape for its 4xx answers', () => {
    const doc = app.swagger() as unknown as { openapi: string; paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }> }>>; components: { schemas: Record<string, unknown> } };
    expect(doc.openapi).toBe('3.0.3');
    expect(doc.components.schemas.cimtwinError).toMatchObject({ required: ['error', 'message', 'statusCode'] });
    const ops = Object.entries(doc.paths).filter(([p]) => p.startsWith('/api/') && !['/api/health', '/api/city', '/api/city/summary'].includes(p));
    expect(ops.length).toBeGreaterThanOrEqual(20);
    for (const [path, methods] of ops) {
      for (const [method, op] of Object.entries(methods)) {
        const errors = Object.entries(op.responses).filter(([code]) => code.startsWith('4'));
        expect(errors.length, `${method} ${path} documents no 4xx answer`).toBeGreaterThan(0);
        for (const [code, r] of errors) {
          const types = Object.values(r.content ?? {});
          expect(types.length, `${method} ${path} ${code}`).toBeGreaterThan(0);
          for (const t of types) expect(t.schema?.$ref, `${method} ${path} ${code}`).toBe('#/components/schemas/cimtwinError');
        }
      }
    }
  });

  it('serves the UI and its assets from this server (no CDN)', async () => {
    const page = await app.inject('/documentation/');
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toMatch(/https?:\/\/(?!localhost|127\.0\.0\.1)[^"']*\.(js|css)/);
    const bundle = await app.inject('/documentation/static/swagger-ui-bundle.js');
    expect(bundle.statusCode).toBe(200);
    expect(bundle.body.length).toBeGreaterThan(100_000);
    const json = await app.inject('/documentation/json');
    expect(json.json().info.title).toBe('cim-twin API');
  });
});
