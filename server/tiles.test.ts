/**
 * The server's `/tiles/` routes: the served city's tileset is built on first use into the given
 * cache folder, tileset.json and content come with the right content types, caching headers and
 * ETags (304 on revalidation), and bad names or files are 404s, never files outside the tileset.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { buildApp } from './app.ts';
import { makeTestCity } from './test-city.ts';
import { readContent } from '../tiles/read.ts';
import { writeTileset } from '../tiles/write.ts';

const city = makeTestCity();
let cacheDir: string;
let prebuilt: string;
let app: ReturnType<typeof buildApp>;

beforeAll(async () => {
  const root = mkdtempSync(join(tmpdir(), 'cimtwin-tiles-server-'));
  cacheDir = join(root, 'city');
  prebuilt = join(root, 'prebuilt');
  await writeTileset(prebuilt, { city: makeTestCity('另一个城区') }, { maxFeatures: 5 });
  app = buildApp({ city, staticDir: false, tilesCacheDir: cacheDir, tilesets: { other: prebuilt } });
});

afterAll(async () => {
  await app.close();
  rmSync(join(cacheDir, '..'), { recursive: true, force: true });
});

describe('GET /tiles/city/tileset.json', () => {
  it('builds the served city\'s tileset on first use and serves it as JSON, revalidated by ETag', async () => {
    const res = await app.inject('/tiles/city/tileset.json');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['cache-control']).toBe('no-cache');
    const etag = res.headers.etag as string;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const ts = res.json();
    expect(ts.asset.version).toBe('1.1');
    expect(ts.metadata.properties.buildingCount).toBe(city.buildings.count);
    expect(ts.metadata.properties.name).toBe('测试城区');
    expect(readdirSync(join(cacheDir, 'content')).length).toBe(ts.metadata.properties.tileCount);

    const again = await app.inject({ url: '/tiles/city/tileset.json', headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.rawPayload.length).toBe(0);

    const gz = await app.inject({ url: '/tiles/city/tileset.json', headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(gz.rawPayload).toString('utf8'))).toEqual(ts);
  });

  it('serves content as model/gltf-binary, immutable, with the content hash as ETag', async () => {
    const ts = (await app.inject('/tiles/city/tileset.json')).json();
    const uri: string = ts.root.content.uri;
    const res = await app.inject(`/tiles/city/${uri}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('model/gltf-binary');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const hash = /-([0-9a-f]{16})\.glb$/.exec(uri)?.[1];
    expect(res.headers.etag).toBe(`"${hash}"`);
    expect(Number(res.headers['content-length'])).toBe(res.rawPayload.length);
    const content = await readContent(new Uint8Array(res.rawPayload));
    expect(content.rows.length).toBeGreaterThan(0);
    for (const row of content.rows) expect(city.buildings.ids).toContain(row.id);
    const revalidated = await app.inject({ url: `/tiles/city/${uri}`, headers: { 'if-none-match': `"${hash}"` } });
    expect(revalidated.statusCode).toBe(304);
  });

  it('serves prebuilt tilesets by name', async () => {
    const res = await app.inject('/tiles/other/tileset.json');
    expect(res.statusCode).toBe(200);
    expect(res.json().metadata.properties.name).toBe('另一个城区');
    const head = await app.inject({ method: 'HEAD', url: `/tiles/other/${res.json().root.content.uri}` });
    expect(head.statusCode).toBe(200);
    expect(head.headers['content-type']).toBe('model/gltf-binary');
  });

  it('answers 404 for unknown tilesets, unknown files and anything that is not a content file', async () => {
    for (const url of ['/tiles/nope/tileset.json', '/tiles/city/content/0-0-0-0000000000000000.glb', '/tiles/city/content/..%2Ftileset.json', '/tiles/city/content/tileset.json', '/tiles/city/cimtwin-tiles.json']) {
      const res = await app.inject(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.json()).toEqual({ error: expect.any(String), message: expect.any(String), statusCode: 404 });
    }
    // a tileset name that is not a plain word fails the route's schema
    const bad = await app.inject('/tiles/..%2F..%2Fetc/tileset.json');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().statusCode).toBe(400);
  });

  it('serves no city tileset when tiles are switched off', async () => {
    const off = buildApp({ city, staticDir: false, tilesCacheDir: false });
    const res = await off.inject('/tiles/city/tileset.json');
    expect(res.statusCode).toBe(404);
    await off.close();
  });
});
