/**
 * The workbench's analysis panels and layers (viewer/panels/, docs/panels.md) in Debian's Chromium
 * against the real server: the indicator panel lists every catalogue row with stars and gaps and follows
 * a camera added through the context; A/B compare shows the deltas of two versions that differ; the
 * RSRP layer changes the picture where it lies; the blind-spot layer draws as many uncovered samples as
 * the session's results count.
 */
import { expect, test, type Page } from '@playwright/test';
// (type-only: they bring `window.__cimtwin.workbench` and `.panels` into the types)
import type { PanelsHooks } from '../viewer/panels/hooks.ts';
import type { WorkbenchHooks } from '../viewer/workbench/hooks.ts';
import { E2E_ADMIN_PASSWORD, E2E_ORIGIN as origin, openWorkbench } from './support.ts';



/** Share of pixels (0–1) that differ by more than `tol` in some channel between two PNG screenshots, decoded in the page. */
async function changedShare(page: Page, a: Buffer, b: Buffer, skipSelector: string | null = null, tol = 24): Promise<number> {
  return page.evaluate(
    async ([pa, pb, tolerance, skip]) => {
      const globe = document.getElementById('globe')!.getBoundingClientRect();
      const box = skip ? document.querySelector(skip as string)!.getBoundingClientRect() : null;
      const decode = async (b64: string) => {
        const bmp = await createImageBitmap(await (await fetch(`data:image/png;base64,${b64}`)).blob());
        const c = new OffscreenCanvas(bmp.width, bmp.height);
        const g = c.getContext('2d')!;
        g.drawImage(bmp, 0, 0);
        return g.getImageData(0, 0, bmp.width, bmp.height).data;
      };
      const [x, y] = [await decode(pa as string), await decode(pb as string)];
      let changed = 0, counted = 0;
      const w = Math.round(globe.width);
      for (let i = 0; i < x.length; i += 4) {
        const px = globe.left + ((i / 4) % w), py = globe.top + Math.floor(i / 4 / w);
        if (box && px >= box.left && px <= box.right && py >= box.top && py <= box.bottom) continue;
        counted++;
        if (Math.abs(x[i]! - y[i]!) > (tolerance as number) || Math.abs(x[i + 1]! - y[i + 1]!) > (tolerance as number) || Math.abs(x[i + 2]! - y[i + 2]!) > (tolerance as number)) changed++;
      }
      return changed / Math.max(1, counted);
    },
    [a.toString('base64'), b.toString('base64'), tol, skipSelector] as const,
  );
}

/**
 * Shares of the 3D view's pixels (0–1, the box of `skipSelector` left out) in the hue of a layer's
 * `colours` (RGB; they share one hue and differ in lightness): `on`, pixels that changed from `off` by more
 * than 24 in some channel and whose hue is within `tolDeg` of the colours' and saturation ≥ 0.35; `off`,
 * pixels of that hue and saturation before. By hue, not exact colour: the three.js overlay (frustums, range
 * circles) lies translucent over much of the city and tints what is under it.
 */
async function layerHueShare(page: Page, off: Buffer, on: Buffer, colours: [number, number, number][], skipSelector: string, tolDeg = 12): Promise<{ on: number; off: number }> {
  return page.evaluate(
    async ([pa, pb, cs, skip, tolerance]) => {
      const globe = document.getElementById('globe')!.getBoundingClientRect();
      const box = document.querySelector(skip as string)!.getBoundingClientRect();
      const decode = async (b64: string) => {
        const bmp = await createImageBitmap(await (await fetch(`data:image/png;base64,${b64}`)).blob());
        const c = new OffscreenCanvas(bmp.width, bmp.height);
        const g = c.getContext('2d')!;
        g.drawImage(bmp, 0, 0);
        return g.getImageData(0, 0, bmp.width, bmp.height).data;
      };
      const hueSat = (r: number, g: number, b: number): [number, number] => {
        const max = Math.max(r, g, b), min = Math.min(r, g, b), d = max - min;
        if (d === 0) return [0, 0];
        const l = (max + min) / 510;
        const sat = d / 255 / (1 - Math.abs(2 * l - 1));
        const h = max === r ? ((g - b) / d + 6) % 6 : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
        return [60 * h, sat];
      };
      const [h0] = hueSat(...(cs as [number, number, number][])[0]!);
      const inHue = (p: Uint8ClampedArray, i: number) => {
        const [h, sat] = hueSat(p[i]!, p[i + 1]!, p[i + 2]!);
        return sat >= 0.35 && Math.abs(h - h0) <= (tolerance as number);
      };
      const [x, y] = [await decode(pa as string), await decode(pb as string)];
      const w = Math.round(globe.width);
      let hitsOn = 0, hitsOff = 0, counted = 0;
      for (let i = 0; i < x.length; i += 4) {
        const px = globe.left + ((i / 4) % w), py = globe.top + Math.floor(i / 4 / w);
        if (px >= box.left && px <= box.right && py >= box.top && py <= box.bottom) continue;
        counted++;
        if (inHue(x, i)) hitsOff++;
        if (Math.abs(x[i]! - y[i]!) <= 24 && Math.abs(x[i + 1]! - y[i + 1]!) <= 24 && Math.abs(x[i + 2]! - y[i + 2]!) <= 24) continue;
        if (inHue(y, i)) hitsOn++;
      }
      return { on: hitsOn / Math.max(1, counted), off: hitsOff / Math.max(1, counted) };
    },
    [off.toString('base64'), on.toString('base64'), colours, skipSelector, tolDeg] as const,
  );
}

/** A screenshot of the 3D stage after the scene has drawn the current state. */
async function stageShot(page: Page): Promise<Buffer> {
  await page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        // Two animation frames after a render request: Cesium has drawn.
        requestAnimationFrame(() => requestAnimationFrame(() => resolve()));
      }),
  );
  return page.locator('#globe').screenshot();
}

/**
 * Over a 40 × 40 lon/lat grid of the RSRP raster's rectangle: the points on screen (outside the legend), split
 * into holes and served samples by the raster itself, and how many of each show hole red in `shot` (#globe).
 */
async function redAtRasterPoints(page: Page, shot: Buffer): Promise<{ served: number; servedRed: number; holes: number; holesRed: number }> {
  return page.evaluate(async (b64) => {
    const panels = window.__cimtwin.panels as PanelsHooks;
    const wb = window.__cimtwin.workbench as WorkbenchHooks;
    const rect = panels.rsrp!.rectangle()!;
    const globe = document.getElementById('globe')!.getBoundingClientRect();
    const legend = document.getElementById('pn-rsrp-legend')!.getBoundingClientRect();
    const bmp = await createImageBitmap(await (await fetch(`data:image/png;base64,${b64}`)).blob());
    const c = new OffscreenCanvas(bmp.width, bmp.height);
    const g = c.getContext('2d')!;
    g.drawImage(bmp, 0, 0);
    const px = g.getImageData(0, 0, bmp.width, bmp.height).data;
    const sx = bmp.width / globe.width, sy = bmp.height / globe.height;
    const out = { served: 0, servedRed: 0, holes: 0, holesRed: 0 };
    for (let i = 0; i < 40; i++)
      for (let j = 0; j < 40; j++) {
        const lon = rect.west + ((i + 0.5) / 40) * (rect.east - rect.west);
        const lat = rect.south + ((j + 0.5) / 40) * (rect.north - rect.south);
        const s = panels.rsrp!.sampleAt(lon, lat);
        if (!s || !s.active) continue;
        const p = wb.screenOf(lon, lat, 1);
        if (!p || p.x < globe.left + 2 || p.y < globe.top + 2 || p.x > globe.right - 2 || p.y > globe.bottom - 2) continue;
        if (p.x >= legend.left - 2 && p.x <= legend.right + 2 && p.y >= legend.top - 2 && p.y <= legend.bottom + 2) continue;
        const o = 4 * (Math.floor((p.y - globe.top) * sy) * bmp.width + Math.floor((p.x - globe.left) * sx));
        const red = px[o]! > 170 && px[o + 1]! < 90 && px[o + 2]! < 90;
        if (s.hole) {
          out.holes++;
          if (red) out.holesRed++;
        } else {
          out.served++;
          if (red) out.servedRed++;
        }
      }
    return out;
  }, shot.toString('base64'));
}

test('the indicator panel lists every catalogue row with stars and gaps, and follows a camera added through the context', async ({ page }) => {
  await openWorkbench(page);
  await page.locator('#wb-tab-indicators').click();
  const rows = page.locator('#wb-panel-indicators tr[data-row]');
  await expect(rows).toHaveCount(43);
  const model = await page.evaluate(() => (window.__cimtwin.panels as PanelsHooks).indicators!.rows());
  expect(model).toHaveLength(43);
  // Every row shows a star cell; rows below their top show what the next star takes.
  await expect(page.locator('#wb-panel-indicators tr[data-row] td[data-stars]')).toHaveCount(42); // the deduction row has no stars
  for (const r of model) if (r.status !== 'deduction' && r.stars < r.maxStars) expect(r.gap, r.id).toBeTruthy();
  const results = await page.evaluate(() => (window.__cimtwin.workbench as WorkbenchHooks).results()!);
  const video = model.find((r) => r.id === 'video_completeness')!;
  expect(video.simulated).toBe(true);
  expect(video.values[0]).toBeCloseTo(results.indicators.video_hd_coverage!.value, 9);
  expect(video.stars).toBe(results.stars.find((s) => s.indicator === 'video_completeness')!.stars);
  const nr = model.find((r) => r.id === 'nr5g_key_area_coverage')!;
  expect(nr.values[0]).toBeCloseTo(results.indicators.nr5g_key_area_coverage!.value, 9);
  // Non-simulated rows say "not provided" (the default city states none).
  await expect(page.locator('#wb-panel-indicators tr[data-row="ftth_coverage"] td').first()).toHaveText('未提供');
  const signal = model.find((r) => r.id === 'signal_realtime_timing')!;
  expect(signal.values[0]).not.toBeNull();

  // The worst uncovered video area, and a camera placed in it through the context.
  const behind = await page.evaluate(() => (window.__cimtwin.panels as PanelsHooks).indicators!.select('video_completeness'));
  console.log(`video areas behind the row: ${behind.length}, worst ${JSON.stringify(behind[0])}`);
  expect(behind.length).toBe(results.video.areas.filter((a) => a.inVideoSet && !a.covered).length);
  await expect(page.locator('#pn-behind-title')).toBeVisible();
  const worst = behind[0]!;
  const cellBefore = await page.locator('#wb-panel-indicators tr[data-row="video_completeness"] td').first().textContent();
  const before = video.values;
  const id = await page.evaluate(([lon, lat]) => (window.__cimtwin.workbench as WorkbenchHooks).placeCamera(lon!, lat!, { headingDeg: 0, tiltDeg: 20, heightM: 8 }), [worst.lonDeg, worst.latDeg]);
  await page.evaluate(() => (window.__cimtwin.workbench as WorkbenchHooks).settled());
  await expect
    .poll(async () => (await page.evaluate(() => (window.__cimtwin.panels as PanelsHooks).indicators!.rows())).find((r) => r.id === 'video_completeness')!.values[1], { timeout: 20_000 })
    .not.toBe(before[1]);
  const after = (await page.evaluate(() => (window.__cimtwin.panels as PanelsHooks).indicators!.rows())).find((r) => r.id === 'video_completeness')!.values;
  console.log(`camera ${id} added: video values ${JSON.stringify(before)} → ${JSON.stringify(after)}`);
  // A healthy camera inside a video key area raises the camera health rate (h+1)/(n+1) > h/n.
  expect(after[1]!).toBeGreaterThan(before[1]!);
  await expect(page.locator('#wb-panel-indicators tr[data-row="video_completeness"] td').first()).not.toHaveText(cellBefore!);
  // Undo restores the row.
  await page.evaluate(() => (window.__cimtwin.workbench as WorkbenchHooks).undo());
  await page.evaluate(() => (window.__cimtwin.workbench as WorkbenchHooks).settled());
  await expect
    .poll(async () => (await page.evaluate(() => (window.__cimtwin.panels as PanelsHooks).indicators!.rows())).find((r) => r.id === 'video_completeness')!.values, { timeout: 20_000 })
    .toEqual(before);
  // Keyboard: the row's name is a real button.
  const button = page.locator('#wb-panel-indicators tr[data-row="epolice_coverage"] button');
  await button.focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('#wb-panel-indicators tr[data-row="epolice_coverage"]')).toHaveAttribute('aria-current', 'true');
});

test('A/B compare shows the deltas of two versions that differ, computed in the browser', async ({ page }) => {
  const login = await page.request.post(`${origin}/api/auth/login`, { data: { username: 'admin', password: E2E_ADMIN_PASSWORD } });
  expect(login.ok(), await login.text()).toBe(true);
  // Version 1: the city's devices; version 2: without 60 surveillance cameras and with every 5G cell off.
  const created = await page.request.post(`${origin}/api/scenarios`, { data: { cityId: 'default', name: 'e2e panels A/B' } });
  expect(created.ok(), await created.text()).toBe(true);
  const v1 = (await created.json()) as { id: string; version: number; devices: { id: string; properties: Record<string, unknown> }[] };
  const cams = v1.devices.filter((d) => d.properties.deviceType === 'camera').slice(0, 60).map((d) => d.id);
  const devices2 = v1.devices.filter((d) => !cams.includes(d.id)).map((d) => (d.properties.deviceType === 'cell5g' ? { ...d, properties: { ...d.properties, healthy: false } } : d));
  const cells = v1.devices.filter((d) => d.properties.deviceType === 'cell5g' && d.properties.healthy !== false).length;
  const saved = await page.request.put(`${origin}/api/scenarios/${v1.id}`, { data: { devices: devices2 }, headers: { 'if-match': `"${v1.version}"` } });
  expect(saved.ok(), await saved.text()).toBe(true);

  await openWorkbench(page);
  await page.locator('#wb-tab-compare').click();
  const options = await page.evaluate(() => (window.__cimtwin.panels as PanelsHooks).compare!.options());
  expect(options).toContain(`${v1.id}@1`);
  expect(options).toContain(`${v1.id}@2`);
  const r = await page.evaluate(([a, b]) => (window.__cimtwin.panels as PanelsHooks).compare!.run(a!, b!), [`${v1.id}@1`, `${v1.id}@2`]);
  console.log(`A/B: ${JSON.stringify(r)}`);
  expect(r.removed).toBe(60);
  expect(r.added).toBe(0);
  expect(r.changedDevices).toBe(cells);
  const nr = r.changed.find((c) => c.id === 'nr5g_key_area_coverage')!;
  expect(nr.deltas[0]!).toBeLessThan(0); // every cell off: 5G coverage falls
  expect(nr.starDelta).toBeLessThan(0);
  // The table shows it, with its star change.
  await expect(page.locator('#wb-panel-compare tr[data-row="nr5g_key_area_coverage"] td[data-star-delta]')).toHaveAttribute('data-star-delta', String(nr.starDelta));
  await expect(page.locator('#wb-panel-compare tr[data-diff="changed"] td').first()).toHaveText(String(cells));
  // The current (unsaved) devices against version 2 as well.
  const cur = await page.evaluate(([b]) => (window.__cimtwin.panels as PanelsHooks).compare!.run('current', b!), [`${v1.id}@2`]);
  expect(cur.changed.some((c) => c.id === 'nr5g_key_area_coverage' && c.deltas[0]! < 0)).toBe(true);
});

test('the RSRP layer draws the raster over the city, and recomputes when a 5G cell changes', async ({ page }) => {
  await openWorkbench(page);
  const off = await stageShot(page);
  await page.locator('input[data-layer="rsrp"]').check();
  const d = await page.evaluate(() => (window.__cimtwin.panels as PanelsHooks).rsrp!.drawn());
  console.log(`RSRP raster: ${JSON.stringify(d)}`);
  expect('error' in d, JSON.stringify(d)).toBe(false);
  if ('error' in d) return;
  expect(d.active).toBeGreaterThan(1000);
  expect(d.holes).toBeGreaterThan(0);
  expect(d.holes).toBeLessThan(d.active);
  await expect(page.locator('#pn-rsrp-legend')).toBeVisible();
  const on = await stageShot(page);
  const share = await changedShare(page, off, on, '#pn-rsrp-legend');
  console.log(`pixels changed by the RSRP layer: ${(100 * share).toFixed(1)} %`);
  expect(share).toBeGreaterThan(0.05);
  // The image lies the right way round: points of the raster classified as holes show hole red on screen,
  // served points do not (a mirrored image would put served points on the red that covers 80 % of the raster).
  if (process.env.PANELS_SHOTS) (await import('node:fs')).writeFileSync(`${process.env.PANELS_SHOTS}/rsrp-on.png`, on);
  const check = await redAtRasterPoints(page, on);
  console.log(`raster orientation: ${JSON.stringify(check)}`);
  expect(check.served).toBeGreaterThan(20);
  expect(check.holes).toBeGreaterThan(20);
  expect(check.servedRed / check.served).toBeLessThan(0.2);
  expect(check.holesRed / check.holes).toBeGreaterThan(0.6);
  // A new 5G cell in the worst 5G area recomputes the raster (a new job) and fills holes there.
  const worst = (await page.evaluate(() => (window.__cimtwin.panels as PanelsHooks).indicators!.select('nr5g_key_area_coverage')))[0]!;
  // (placed first: the change schedules the recomputation, which drawn() then waits for)
  await page.evaluate(([lon, lat]) => (window.__cimtwin.workbench as WorkbenchHooks).placeCamera(lon!, lat!, { deviceType: 'cell5g', heightM: 25, headingDeg: 0 }), [worst.lonDeg, worst.latDeg]);
  const d2 = await page.evaluate(() => (window.__cimtwin.panels as PanelsHooks).rsrp!.drawn());
  console.log(`RSRP raster after a new cell in ${worst.id}: ${JSON.stringify(d2)}`);
  expect('error' in d2, JSON.stringify(d2)).toBe(false);
  if ('error' in d2) return;
  expect(d2.jobs).toBe(d.jobs + 1);
  expect(d2.holes).toBeLessThan(d.holes);
});

test('the blind-spot layer draws as many uncovered samples as the results count, for video and e-police', async ({ page }) => {
  await openWorkbench(page);
  // Close to the worst video area (the squares are 1.6 m: sub-pixel from the whole-city view).
  await page.evaluate(() => (window.__cimtwin.panels as PanelsHooks).indicators!.select('video_completeness'));
  const off = await stageShot(page);
  const t1 = Date.now();
  await page.locator('input[data-layer="blindspots"]').check();
  const d = await page.evaluate(() => (window.__cimtwin.panels as PanelsHooks).blindspots!.drawn());
  console.log(`video blind spots after ${Date.now() - t1} ms (the worker builds its engine first)`);
  console.log(`blind spots (video): ${JSON.stringify(d)}`);
  expect('error' in d, JSON.stringify(d)).toBe(false);
  if ('error' in d) return;
  const results = await page.evaluate(() => (window.__cimtwin.workbench as WorkbenchHooks).results()!);
  const unseen = results.video.areas.reduce((n, a) => n + (a.sampleCount - a.coveredSamples), 0);
  expect(d.kind).toBe('video');
  expect(d.count).toBe(unseen);
  expect(d.squares).toBe(unseen);
  expect(unseen).toBeGreaterThan(0);
  // every aggregation level counts each uncovered sample once
  expect(d.levels.length).toBeGreaterThan(0);
  for (const l of d.levels) expect(l.total, `${l.cellM} m cells`).toBe(unseen);
  await expect(page.locator('#pn-blind-count')).toContainText(new Intl.NumberFormat('zh-CN').format(unseen));
  const on = await stageShot(page);
  const share = await changedShare(page, off, on, '#pn-blind-legend');
  console.log(`pixels changed by the blind-spot layer (legend left out): ${(100 * share).toFixed(2)} %`);
  expect(share).toBeGreaterThan(0.1);
  // Selecting the e-police row switches the layer to uncovered approaches.
  const t0 = Date.now();
  await page.evaluate(() => (window.__cimtwin.panels as PanelsHooks).indicators!.select('epolice_coverage'));
  const e = await page.evaluate(() => (window.__cimtwin.panels as PanelsHooks).blindspots!.drawn());
  console.log(`e-police blind spots after ${Date.now() - t0} ms`);
  console.log(`blind spots (e-police): ${JSON.stringify(e)}`);
  expect('error' in e, JSON.stringify(e)).toBe(false);
  if ('error' in e) return;
  expect(e.kind).toBe('epolice');
  expect(e.approaches).toBe(results.video.intersections.reduce((n, x) => n + (x.approaches - x.coveredApproaches), 0));
  expect(e.count).toBeGreaterThanOrEqual(e.approaches!);
  for (const l of e.levels) expect(l.total, `${l.cellM} m cells`).toBe(e.count);
});

test('the blind-spot layer is readable from the default whole-city view: counted in coarser cells, its colours on screen', async ({ page }) => {
  await openWorkbench(page);
  const off = await stageShot(page);
  await page.locator('input[data-layer="blindspots"]').check();
  const d = await page.evaluate(() => (window.__cimtwin.panels as PanelsHooks).blindspots!.drawn());
  console.log(`blind spots from the default view: ${JSON.stringify(d)}`);
  expect('error' in d, JSON.stringify(d)).toBe(false);
  if ('error' in d) return;
  const results = await page.evaluate(() => (window.__cimtwin.workbench as WorkbenchHooks).results()!);
  const unseen = results.video.areas.reduce((n, a) => n + (a.sampleCount - a.coveredSamples), 0);
  expect(d.count).toBe(unseen);
  // At city scale the samples' 1.6 m squares would be sub-pixel: a level of coarser cells shows, holding them all.
  const level = d.levels.find((l) => l.cellM === d.shownCellM);
  expect(level, `shown ${d.shownCellM} m`).toBeDefined();
  expect(level!.total).toBe(unseen);
  await expect(page.locator('#pn-blind-cells')).toBeVisible();
  const on = await stageShot(page);
  // the opaque colours of the cells' count classes (the samples' own squares are translucent and not shown here)
  const colours = (await page.evaluate(() => (window.__cimtwin.panels as PanelsHooks).blindspots!.colours())).filter((c) => c[3] === 255).map((c) => [c[0], c[1], c[2]] as [number, number, number]);
  expect(colours).toHaveLength(4);
  if (process.env.PANELS_SHOTS) for (const [n, b] of [['blind-off', off], ['blind-on', on]] as const) (await import('node:fs')).writeFileSync(`${process.env.PANELS_SHOTS}/${n}.png`, b);
  const share = await layerHueShare(page, off, on, colours, '#pn-blind-legend');
  console.log(`default view: ${(100 * share.on).toFixed(2)} % of the 3D view in the blind-spot cells' hue, changed by the layer (${(100 * share.off).toFixed(2)} % in that hue before it; ${d.shownCellM} m cells, ${level!.cells} cells)`);
  expect(share.on).toBeGreaterThan(0.005);
  // Flying close to the worst area brings back the samples' own squares.
  await page.evaluate(() => (window.__cimtwin.panels as PanelsHooks).indicators!.select('video_completeness'));
  await stageShot(page);
  await expect.poll(async () => page.evaluate(() => { const s = (window.__cimtwin.panels as PanelsHooks).blindspots!.shown(); return 'error' in s ? null : s.shownCellM; }), { timeout: 30_000 }).toBeLessThan(level!.cellM);
});
