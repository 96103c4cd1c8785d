import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { acceptsGzip, buildApp, readCityFile, VIEWER_NOT_BUILT_HINT } from './app.ts';
import { makeTestCity } from './test-city.ts';
import { cityFromGeoJSON, cityToGeoJSON } from '../sim-core/cim/city-file.ts';
import { summarizeCity } from '../sim-core/cim/summary.ts';

const city = makeTestCity();

function expectErrorShape(body: unknown, statusCode: number) {
  expect(body).toEqual({ error: expect.any(String), message: expect.any(String), statusCode });
  expect(JSON.stringify(body)).not.toMatch(/\bat .*\.(ts|js):\d+/); // no stack frames
}

describe('GET /api/health', () => {
  it('answers ok and says whether the viewer is built', async () => {
    const app = buildApp({ city, staticDir: false });
    const res = await app.inject('/api/health');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', viewerBuilt: false });
    await app.close();
  });
});

describe('GET /api/city', () => {
  const app = buildApp({ city, staticDir: false });
  afterAll(() => app.close());

  it('serves the city file: a GeoJSON FeatureCollection with every record of the city', async () => {
    const res = await app.inject('/api/city');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/geo\+json/);
    expect(res.headers['content-encoding']).toBeUndefined();
    const fc = res.json();
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.cimtwin).toMatchObject({ format: 'cimtwin-city', version: 1, name: '测试城区', synthetic: true, attribution: ['test attribution line'] });
    const byLayer: Record<string, number> = {};
    for (const f of fc.features) byLayer[f.properties.layer] = (byLayer[f.properties.layer] ?? 0) + 1;
    expect(byLayer).toEqual({ building: 17, 'road-node': 5, 'road-link': 4, 'key-area': 1, scope: 1, device: 2 });
    // It reads back as the same city.
    const back = cityFromGeoJSON(fc, 'response');
    expect(back.buildings.ids).toEqual(city.buildings.ids);
    expect(Array.from(back.buildings.roofM)).toEqual(Array.from(city.buildings.roofM));
    expect(back.buildings.baseM[city.buildings.ids.indexOf('tower-top')]).toBe(21);
  });

  it('gzips for clients that accept it, and the bytes are the same JSON', async () => {
    const plain = await app.inject('/api/city');
    const gz = await app.inject({ url: '/api/city', headers: { 'accept-encoding': 'br, gzip;q=0.8' } });
    expect(gz.statusCode).toBe(200);
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers.vary).toMatch(/Accept-Encoding/i);
    expect(gz.rawPayload.length).toBeLessThan(plain.rawPayload.length);
    expect(gunzipSync(gz.rawPayload).equals(plain.rawPayload)).toBe(true);
    const refused = await app.inject({ url: '/api/city', headers: { 'accept-encoding': 'gzip;q=0' } });
    expect(refused.headers['content-encoding']).toBeUndefined();
  });

  it('answers 304 to a matching If-None-Match', async () => {
    const first = await app.inject('/api/city');
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^".+"$/);
    const again = await app.inject({ url: '/api/city', headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.rawPayload.length).toBe(0);
  });
});

describe('GET /api/city/summary', () => {
  it('is summarizeCity of the served city, with no field dropped by the response schema', async () => {
    const app = buildApp({ city, staticDir: false });
    const res = await app.inject('/api/city/summary');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(JSON.parse(JSON.stringify(summarizeCity(city))));
    expect(res.json().buildings.count).toBe(17);
    expect(res.json().roads.signalized).toBe(1);
    await app.close();
  });
});

describe('city loading', () => {
  it('serves the generated default city when given no city', async () => {
    const app = buildApp({ staticDir: false });
    const res = await app.inject('/api/city/summary');
    expect(res.statusCode).toBe(200);
    const summary = res.json();
    expect(summary.synthetic).toBe(true);
    expect(summary.buildings.count).toBeGreaterThanOrEqual(15_000);
    expect(summary.keyAreas.count).toBeGreaterThan(0);
    await app.close();
  });

  it('calls a city factory once, however many requests come at once', async () => {
    let calls = 0;
    const app = buildApp({
      city: async () => {
        calls++;
        await new Promise((r) => setTimeout(r, 20));
        return makeTestCity('factory city');
      },
      staticDir: false,
    });
    const answers = await Promise.all([app.inject('/api/city/summary'), app.inject('/api/city'), app.inject('/api/city/summary')]);
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200]);
    expect(answers[0].json().name).toBe('factory city');
    expect(calls).toBe(1);
    await app.close();
  });

  it('answers a failing city load with the JSON error shape, a generic message and no internals', async () => {
    const app = buildApp({ city: () => Promise.reject(new Error('secret internal detail /etc/passwd')), staticDir: false });
    const res = await app.inject('/api/city');
    expect(res.statusCode).toBe(500);
    expectErrorShape(res.json(), 500);
    expect(res.body).not.toContain('secret');
    await app.close();
  });

  it('reads a city file from disk, and names the file when it is bad', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cimtwin-app-'));
    try {
      const good = join(dir, 'good.city.json');
      writeFileSync(good, JSON.stringify(cityToGeoJSON(city)));
      const app = buildApp({ cityFile: good, staticDir: false });
      expect((await app.inject('/api/city/summary')).json().buildings.count).toBe(17);
      await app.close();

      const broken = join(dir, 'broken.city.json');
      writeFileSync(broken, '{"type": "FeatureCollection", ');
      await expect(readCityFile(broken)).rejects.toThrow(`${broken}: not valid JSON`);
      await expect(readCityFile(join(dir, 'missing.json'))).rejects.toThrow('missing.json: file not found');
      const fc = cityToGeoJSON(city);
      (fc.features[0].properties as Record<string, unknown>).roofM = 'tall';
      writeFileSync(broken, JSON.stringify(fc));
      await expect(readCityFile(broken)).rejects.toThrow(/broken\.city\.json, feature 0 \(id 'b0'\), field 'roofM'/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('errors', () => {
  it('answers unknown API routes with a JSON 404', async () => {
    const app = buildApp({ city, staticDir: false });
    const res = await app.inject('/api/nothing-here?x=1');
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expectErrorShape(res.json(), 404);
    expect(res.json().message).toBe('no route or file for GET /api/nothing-here');
    await app.close();
  });

  it('says the viewer is not built when there is no index.html', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cimtwin-empty-'));
    const app = buildApp({ city, staticDir: dir });
    const res = await app.inject('/');
    expect(res.statusCode).toBe(503);
    expectErrorShape(res.json(), 503);
    expect(res.json().message).toBe(VIEWER_NOT_BUILT_HINT);
    expect((await app.inject('/api/health')).json().viewerBuilt).toBe(false);
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('static viewer files', () => {
  let dir: string;
  let app: ReturnType<typeof buildApp>;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cimtwin-static-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>viewer</title>');
    writeFileSync(join(dir, 'app.js'), 'export {};');
    writeFileSync(join(dir, 'app.css'), 'body{}');
    writeFileSync(join(dir, 'tile.json'), '{}');
    writeFileSync(join(dir, 'engine.wasm'), Buffer.from([0, 97, 115, 109]));
    app = buildApp({ city, staticDir: dir });
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves index.html at / and files with their content types', async () => {
    const index = await app.inject('/');
    expect(index.statusCode).toBe(200);
    expect(index.headers['content-type']).toMatch(/^text\/html/);
    expect(index.body).toContain('<title>viewer</title>');
    const types: Record<string, RegExp> = { '/app.js': /javascript/, '/app.css': /^text\/css/, '/tile.json': /^application\/json/, '/engine.wasm': /^application\/wasm/ };
    for (const [url, type] of Object.entries(types)) {
      const res = await app.inject(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type'], url).toMatch(type);
    }
    expect((await app.inject('/api/health')).json().viewerBuilt).toBe(true);
  });

  it('answers a missing file with the JSON 404 and does not leave the folder', async () => {
    const res = await app.inject('/no-such-file.js');
    expect(res.statusCode).toBe(404);
    expectErrorShape(res.json(), 404);
    const escape = await app.inject('/..%2f..%2fetc%2fpasswd');
    expect(escape.statusCode).toBeGreaterThanOrEqual(400);
    expect(escape.body).not.toContain('root:');
  });

  it('still routes the API beside the static files', async () => {
    expect((await app.inject('/api/city/summary')).json().name).toBe('测试城区');
  });
});

describe('acceptsGzip', () => {
  it.each([
    [undefined, false],
    ['', false],
    ['gzip', true],
    ['deflate, gzip;q=1.0, *;q=0.5', true],
    ['br', false],
    ['GZIP', true],
    ['gzip;q=0', false],
    ['gzip;q=0.000', false],
    ['*', true],
    ['identity, *;q=0', false],
  ] as [string | undefined, boolean][])('%j → %s', (header, expected) => {
    expect(acceptsGzip(header)).toBe(expected);
  });
});

