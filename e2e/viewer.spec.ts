/**
 * The built viewer in a real browser against the real server: the default city's buildings are all
 * drawn, the picture shows them, the synthetic-data banner follows the language toggle, nothing is
 * fetched from outside 127.0.0.1, and the console stays clean.
 */
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import type { CitySummary } from '../sim-core/cim/summary.ts';
import type { CimtwinHooks } from '../viewer/hooks.ts';
import { BUILDING_USE_COLORS, GROUND_COLOR } from '../viewer/palette.ts';

const port = process.env.CIMTWIN_E2E_PORT;
const origin = `http://127.0.0.1:${port}`;

/** Opens a context that aborts (and records) every request not addressed to 127.0.0.1. */
async function offlineContext(browser: import('@playwright/test').Browser, locale: string) {
  const aborted: string[] = [];
  const served: string[] = [];
  const context = await browser.newContext({ locale });
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (new URL(url).hostname === '127.0.0.1') {
      served.push(url);
      return route.continue();
    }
    aborted.push(url);
    return route.abort('blockedbyclient');
  });
  return { context, aborted, served };
}

interface PixelStats {
  width: number;
  height: number;
  distinctColours: number;
  topColourShare: number;
  /** The five commonest colours with their shares, for the log. */
  topColours: string[];
  buildingShare: number;
  groundShare: number;
}

/** Decodes a PNG in the page and measures it: distinct colours, building-coloured and ground pixels. */
async function measurePng(page: Page, png: Buffer): Promise<PixelStats> {
  const palette = Object.entries(BUILDING_USE_COLORS)
    .filter(([use]) => use !== 'other' && use !== 'ancillary') // these pale colours are too close to the ground and white roads
    .map(([, c]) => [c[0], c[1], c[2]]);
  return page.evaluate(
    async ({ base64, palette, ground }) => {
      const img = new Image();
      img.src = `data:image/png;base64,${base64}`;
      await img.decode();
      const canvas = document.createElement('canvas');
      canvas.width = img.width;
      canvas.height = img.height;
      const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
      ctx.drawImage(img, 0, 0);
      const data = ctx.getImageData(0, 0, img.width, img.height).data;
      const counts = new Map<number, number>();
      let building = 0;
      let groundPixels = 0;
      const n = img.width * img.height;
      for (let i = 0; i < data.length; i += 4) {
        const r = data[i], g = data[i + 1], b = data[i + 2];
        const key = (r << 16) | (g << 8) | b;
        counts.set(key, (counts.get(key) ?? 0) + 1);
        if (Math.abs(r - ground[0]) + Math.abs(g - ground[1]) + Math.abs(b - ground[2]) < 12) groundPixels++;
        // A lit building face is its use colour scaled by the shading (k), so p ≈ k·c for some palette c.
        for (const c of palette) {
          const k = (r * c[0] + g * c[1] + b * c[2]) / (c[0] * c[0] + c[1] * c[1] + c[2] * c[2]);
          if (k < 0.35 || k > 1.25) continue;
          const residual = Math.abs(r - k * c[0]) + Math.abs(g - k * c[1]) + Math.abs(b - k * c[2]);
          if (residual < 18) {
            building++;
            break;
          }
        }
      }
      const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1]);
      const topColours = ranked.slice(0, 5).map(([key, count]) => `#${key.toString(16).padStart(6, '0')} ${((100 * count) / n).toFixed(1)}%`);
      return { width: img.width, height: img.height, distinctColours: counts.size, topColourShare: (ranked[0]?.[1] ?? 0) / n, topColours, buildingShare: building / n, groundShare: groundPixels / n };
    },
    { base64: png.toString('base64'), palette, ground: [GROUND_COLOR[0], GROUND_COLOR[1], GROUND_COLOR[2]] },
  );
}

test.describe.configure({ mode: 'serial' });

test.describe('viewer on the default city', () => {
  let context: BrowserContext;
  let page: Page;
  let aborted: string[];
  let served: string[];
  const consoleErrors: string[] = [];
  let summary: CitySummary;
  let hooks: CimtwinHooks;

  test.beforeAll(async ({ browser, request }) => {
    expect(port, 'the web server printed its port').toMatch(/^\d+$/);
    summary = (await (await request.get(`${origin}/api/city/summary`)).json()) as CitySummary;
    ({ context, aborted, served } = await offlineContext(browser, 'zh-CN'));
    page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(`page error: ${e.message}`));
    const started = Date.now();
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => window.__cimtwin?.ready === true || window.__cimtwin?.error !== undefined, null, { timeout: 150_000, polling: 250 });
    hooks = await page.evaluate(() => window.__cimtwin);
    console.log(`viewer ready after ${Date.now() - started} ms wall; page timings (ms since navigation): ${JSON.stringify(hooks.timings)}`);
  });

  test.afterAll(async () => {
    await context?.close();
  });

  test('draws every building of the city', async () => {
    expect(hooks.error).toBeUndefined();
    expect(hooks.ready).toBe(true);
    expect(summary.buildings.count).toBeGreaterThan(0);
    expect(hooks.buildingCount).toBe(summary.buildings.count);
    expect(hooks.timings.firstBuildingFrameMs).toBeGreaterThan(0);
  });

  test('the picture shows the city, not a blank canvas', async ({}, testInfo) => {
    await page.screenshot({ path: testInfo.outputPath('viewer.png') }); // the whole page, for people to look at
    // The globe alone: the HTML overlays hidden, so that only rendered pixels are measured.
    const globe = await page.screenshot({ style: '#banner, #legend, #attribution, #status { visibility: hidden !important; }' });
    const stats = await measurePng(page, globe);
    console.log(`screenshot ${stats.width}×${stats.height}: ${JSON.stringify(stats)}`);
    expect(stats.distinctColours).toBeGreaterThan(500);
    expect(stats.topColourShare).toBeLessThan(0.6);
    expect(stats.buildingShare).toBeGreaterThan(0.03);
    expect(stats.groundShare).toBeGreaterThan(0.01);
  });

  test('the banner says the data are synthetic, in Chinese, then in English after the toggle', async () => {
    expect(summary.synthetic).toBe(true);
    const notice = page.locator('#synthetic-notice');
    await expect(notice).toBeVisible();
    await expect(notice).toContainText('合成示范数据');
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
    await expect(page.locator('#city-line')).toContainText(summary.name);
    for (const line of summary.attribution) await expect(page.locator('#attribution')).toContainText(line);

    await page.locator('#language-toggle').click();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(notice).toContainText('Synthetic demo data');
    expect(await notice.textContent()).not.toMatch(/[\u4e00-\u9fff]/);
    await expect(page.locator('#city-line')).toContainText(`${summary.buildings.count.toLocaleString('en')} buildings`);
    await expect(page.locator('#language-toggle')).toHaveText('中文');

    await page.locator('#language-toggle').click();
    await expect(notice).toContainText('合成示范数据');
  });

  test('is offline: every request went to 127.0.0.1', async () => {
    expect(served.some((u) => u.includes('/api/city'))).toBe(true);
    expect(served.some((u) => u.includes('/cesium/'))).toBe(true);
    expect(aborted).toEqual([]);
  });

  test('logs no console errors', async () => {
    expect(consoleErrors).toEqual([]);
  });
});

test('picks English for an English browser', async ({ browser }) => {
  const { context, aborted } = await offlineContext(browser, 'en-US');
  const page = await context.newPage();
  await page.goto(`${origin}/`);
  await expect(page.locator('#language-toggle')).toHaveText('中文');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  expect(aborted).toEqual([]);
  await context.close();
});
