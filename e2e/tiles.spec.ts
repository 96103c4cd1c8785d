/**
 * The buildings as a 3D Tiles tileset in the real viewer: the tileset and its content come from the
 * server with the right content types, a click on the building in the middle of the screen shows
 * that building's metadata (id, height, use) in the panel, the colour toggle restyles the tiles,
 * and nothing goes to the console.
 */
import { expect, test, type Page } from '@playwright/test';

const port = process.env.CIMTWIN_E2E_PORT;
const origin = `http://127.0.0.1:${port}`;

interface CityFeature {
  id: string;
  geometry: { type: string; coordinates: number[][][] };
  properties: Record<string, unknown>;
}

test.describe.configure({ mode: 'serial' });

test.describe('buildings from the city tileset', () => {
  let page: Page;
  const consoleErrors: string[] = [];
  const tileResponses: { url: string; status: number; type: string | undefined; cache: string | undefined }[] = [];

  test.beforeAll(async ({ browser }) => {
    const context = await browser.newContext({ locale: 'en-US' });
    await context.route('**/*', (route) => (new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort('blockedbyclient')));
    page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(`page error: ${e.message}`));
    page.on('response', (r) => {
      if (r.url().includes('/tiles/')) tileResponses.push({ url: r.url(), status: r.status(), type: r.headers()['content-type'], cache: r.headers()['cache-control'] });
    });
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => window.__cimtwin?.ready === true || window.__cimtwin?.error !== undefined, null, { timeout: 150_000, polling: 250 });
    expect(await page.evaluate(() => window.__cimtwin.error)).toBeUndefined();
  });

  test('loads tileset.json and glb content from the server', async () => {
    const json = tileResponses.find((r) => r.url.endsWith('/tiles/city/tileset.json') && r.status === 200);
    expect(json?.type).toMatch(/^application\/json/);
    const glbs = tileResponses.filter((r) => r.url.endsWith('.glb'));
    expect(glbs.length).toBeGreaterThan(0);
    for (const g of glbs) {
      expect(g.status).toBe(200);
      expect(g.type).toBe('model/gltf-binary');
      expect(g.cache).toContain('immutable');
    }
  });

  test('clicking the building in the middle of the screen shows its id, height and use', async ({ request }) => {
    const city = (await (await request.get(`${origin}/api/city`)).json()) as { features: CityFeature[] };
    const buildings = city.features.filter((f) => f.properties.layer === 'building' && f.geometry?.type === 'Polygon');
    // the tallest building: in the tileset's root tile, so it is drawn from every distance
    const target = buildings.reduce((a, b) => (Number(b.properties.roofM) > Number(a.properties.roofM) ? b : a));
    const ring = target.geometry.coordinates[0].slice(0, -1);
    const lon = ring.reduce((s, p) => s + p[0], 0) / ring.length;
    const lat = ring.reduce((s, p) => s + p[1], 0) / ring.length;
    const roofM = Number(target.properties.roofM);
    await page.evaluate(({ lon, lat, roofM }) => window.__cimtwin.lookAt?.(lon, lat, 0, roofM + 250), { lon, lat, roofM });

    const size = page.viewportSize() as { width: number; height: number };
    await page.mouse.click(size.width / 2, size.height / 2);
    const panel = page.locator('#building-panel');
    await expect(panel).toBeVisible();
    await expect(panel.locator('dd[data-field="id"]')).toHaveText(target.id);
    const picked = await page.evaluate(() => window.__cimtwin.picked);
    expect(picked?.id).toBe(target.id);
    expect(picked?.roofM).toBeCloseTo(roofM, 3);
    expect(picked?.use).toBe(target.properties.use);
    await expect(panel.locator('dd[data-field="height"]')).toContainText(`${roofM.toFixed(1)} m`);
    await page.screenshot({ path: test.info().outputPath('picked.png') });

    // the close button hides the panel
    await panel.locator('button.close').click();
    await expect(panel).toBeHidden();
  });

  test('the colour toggle switches between use and height', async () => {
    const toggle = page.locator('#colour-toggle');
    await expect(toggle).toHaveText('Colour by height');
    await toggle.click();
    await expect(page.locator('#legend')).toContainText('Building height');
    await expect(page.locator('#colour-toggle')).toHaveText('Colour by use');
    await page.locator('#colour-toggle').click();
    await expect(page.locator('#legend')).toContainText('Building use');
  });

  test('logs no console errors', async () => {
    expect(consoleErrors).toEqual([]);
  });
});
