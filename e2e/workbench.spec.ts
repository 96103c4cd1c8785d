/**
 * The planner workbench (`/workbench.html`) in Debian's Chromium against the real server (software
 * WebGL): it opens the default city with the simulation session running and every mount in its tab; a
 * camera placed by clicking the ground inside a key area that was uncovered turns that area covered (its
 * state, its colour on screen, a golden crop) and raises the HD-video indicator; undo and redo; login,
 * save as a scenario, reload and find the camera; the frame rate while dragging; 200 % zoom without
 * overlap; English.
 *
 * Which area and where: computed here in Node with sim-core (the same coverage model, independent of
 * the page): among the video-set key areas the page reports with no covered sample, the one a PTZ dome
 * camera (the palette's 800万像素球机) at 6 m over the mean of the area's open-ground samples covers best.
 */
import { expect, test, type Page } from '@playwright/test';
import { cityFromGeoJSON } from '../sim-core/cim/city-file.ts';
import { LocalFrame } from '../sim-core/cim/frame.ts';
import type { City } from '../sim-core/cim/types.ts';
import type { CameraSpec } from '../sim-core/coverage/camera.ts';
import { CoverageSession } from '../sim-core/coverage/session.ts';
import { E2E_ADMIN_PASSWORD, E2E_ORIGIN as origin, openWorkbench } from './support.ts';
// (type-only: it also brings `window.__cimtwin.workbench` into the types)
import type { WorkbenchHooks } from '../viewer/workbench/hooks.ts';

type Hooks = WorkbenchHooks;


const wb = <T>(page: Page, fn: (h: Hooks) => T | Promise<T>): Promise<T> =>
  page.evaluate(`(${fn.toString()})(window.__cimtwin.workbench)`) as Promise<T>;

interface Target {
  id: string;
  name: string;
  lonDeg: number;
  latDeg: number;
  /** Covered share the dome camera alone gives, by sim-core in Node. */
  expectedPercent: number;
  /** Bounding box of the area's samples, lon/lat. */
  bbox: [number, number, number, number];
}

/** The target area and point (see the module doc). */
function findTarget(city: City, uncoveredIds: Set<string>): Target {
  const session = new CoverageSession(city, []);
  const s = session.samples;
  const frame = new LocalFrame(city.origin);
  let best: Target | null = null;
  for (const a of session.areaResults()) {
    if (!uncoveredIds.has(a.id) || a.sampleCount > 1600) continue;
    const slot = s.slotOfArea[a.area]!;
    let sx = 0, sy = 0, n = 0;
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (let k = s.areaStart[slot]!; k < s.areaStart[slot + 1]!; k++) {
      sx += s.xM[k]!;
      sy += s.yM[k]!;
      n++;
      x0 = Math.min(x0, s.xM[k]!);
      x1 = Math.max(x1, s.xM[k]!);
      y0 = Math.min(y0, s.yM[k]!);
      y1 = Math.max(y1, s.yM[k]!);
    }
    const x = sx / n, y = sy / n;
    if (session.prisms.buildingAt(x, y, 0) >= 0) continue;
    const cam: CameraSpec = { id: 'e2e', kind: 'camera', xM: x, yM: y, heightM: 6, headingDeg: 0, tiltDeg: 20, hfovDeg: 60, widthPx: 3840, heightPx: 2160, ptz: true, panRangeDeg: 360, doriLevel: 'observation', healthy: true, networked: true, assumed: [] };
    session.addCamera(cam);
    const r = session.areaResults().find((q) => q.id === a.id)!;
    session.removeCamera('e2e');
    if (r.covered && (!best || r.coveredPercent > best.expectedPercent)) {
      const [lonDeg, latDeg] = frame.toLngLat(x, y, [0, 0]) as number[];
      const [w, south] = frame.toLngLat(x0, y0, [0, 0]) as number[];
      const [e, north] = frame.toLngLat(x1, y1, [0, 0]) as number[];
      best = { id: a.id, name: city.keyAreas.names[a.area] ?? a.id, lonDeg: lonDeg!, latDeg: latDeg!, expectedPercent: r.coveredPercent, bbox: [w!, south!, e!, north!] };
    }
  }
  if (!best) throw new Error('no uncovered key area that one dome camera covers: the default city changed?');
  return best;
}

/** Shares of reddish and greenish pixels in a screenshot crop (the area's state colours over the ground). */
async function stateColours(page: Page, clip: { x: number; y: number; width: number; height: number }): Promise<{ red: number; green: number }> {
  const png = await page.screenshot({ clip });
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width;
    c.height = img.height;
    const g = c.getContext('2d')!;
    g.drawImage(img, 0, 0);
    const d = g.getImageData(0, 0, c.width, c.height).data;
    let red = 0, green = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (d[i]! > d[i + 1]! + 40 && d[i]! > d[i + 2]! + 40) red++;
      else if (d[i + 1]! > d[i]! + 30 && d[i + 1]! > d[i + 2]! + 10) green++;
    }
    const n = d.length / 4;
    return { red: red / n, green: green / n };
  }, png.toString('base64'));
}

test.describe.configure({ mode: 'serial' });

let target: Target;
let placedId = '';
let scenarioId = '';

test('place a camera in an uncovered key area: it turns covered and the video indicator rises; undo, redo, save, reload', async ({ page }) => {
  test.setTimeout(600_000);
  await openWorkbench(page);
  const before = await wb(page, (h) => h.summary());
  console.log(`workbench opened: ${JSON.stringify(before)}`);
  expect(before.devices).toBeGreaterThan(100);
  expect(before.videoCoveragePct).not.toBeNull();
  const tabs = await wb(page, (h) => h.tabs());
  console.log(`tabs: ${tabs.join(', ')}`);
  expect(tabs).toContain('properties');
  expect(tabs).toContain('scenarios');
  for (const id of tabs) {
    await page.locator(`#wb-tab-${id}`).click();
    await expect(page.locator(`#wb-panel-${id}`)).toBeVisible();
  }
  await page.locator('#wb-tab-properties').click();

  // The target, from sim-core in Node.
  const results = await wb(page, (h) => h.results());
  const uncovered = new Set(results!.video.areas.filter((a) => a.coveredSamples === 0).map((a) => a.id));
  const cityFile = await (await page.request.get(`${origin}/api/city`)).json();
  target = findTarget(cityFromGeoJSON(cityFile, '/api/city'), uncovered);
  console.log(`target: ${target.id} ${target.name} at ${target.lonDeg.toFixed(6)}, ${target.latDeg.toFixed(6)}; one dome camera covers ${target.expectedPercent.toFixed(1)} % (sim-core in Node)`);
  const stateBefore = await page.evaluate((id) => window.__cimtwin.workbench!.areaState(id), target.id);
  expect(stateBefore?.state).toBe('uncovered');

  // A fixed top-down view of the area (request render mode, tiles loaded).
  await page.evaluate(({ lon, lat }) => window.__cimtwin.workbench!.lookAt(lon, lat, 220, -90), { lon: target.lonDeg, lat: target.latDeg });
  expect(await page.evaluate((id) => window.__cimtwin.workbench!.drawnAreaState(id), target.id)).toBe('uncovered');
  const corner = async (lon: number, lat: number) => (await page.evaluate(({ lon, lat }) => window.__cimtwin.workbench!.screenOf(lon, lat, 0), { lon, lat }))!;
  const p0 = await corner(target.bbox[0], target.bbox[3]);
  const p1 = await corner(target.bbox[2], target.bbox[1]);
  const clip = { x: Math.round(Math.min(p0.x, p1.x)), y: Math.round(Math.min(p0.y, p1.y)), width: Math.round(Math.abs(p1.x - p0.x)), height: Math.round(Math.abs(p1.y - p0.y)) };
  expect(clip.width).toBeGreaterThan(20);
  const coloursBefore = await stateColours(page, clip);
  console.log(`area crop before: ${JSON.stringify(coloursBefore)}`);
  expect(coloursBefore.red).toBeGreaterThan(coloursBefore.green);

  // Place: the camera tool, the dome model, a click on the ground.
  await page.locator('#wb-tool-camera').click();
  await page.locator('#wb-camera-model').selectOption('dome8mp');
  const at = (await page.evaluate(({ lon, lat }) => window.__cimtwin.workbench!.screenOf(lon, lat, 0), { lon: target.lonDeg, lat: target.latDeg }))!;
  const devicesBefore = before.devices;
  const shownBefore = await page.locator('#wb-video-coverage').textContent();
  await page.mouse.click(at.x, at.y);
  await page.waitForFunction((n) => window.__cimtwin.workbench!.summary().devices === n + 1, devicesBefore);
  await page.evaluate(() => window.__cimtwin.workbench!.settled());
  placedId = (await page.evaluate(() => window.__cimtwin.workbench!.selection()))!;
  expect(placedId).toMatch(/^wb-camera-/);
  const placed = (await page.evaluate((id) => window.__cimtwin.workbench!.device(id), placedId))!;
  console.log(`placed ${placedId}: ${JSON.stringify(placed.geometry.coordinates)} ${JSON.stringify(placed.properties)}`);
  expect(placed.properties.ptz).toBe(true);
  expect(Math.abs(placed.geometry.coordinates[0]! - target.lonDeg)).toBeLessThan(2e-5);
  expect(Math.abs(placed.geometry.coordinates[1]! - target.latDeg)).toBeLessThan(2e-5);
  await page.waitForFunction((id) => window.__cimtwin.workbench!.areaState(id)?.state === 'covered', target.id);
  const after = await wb(page, (h) => h.summary());
  const stateAfter = await page.evaluate((id) => window.__cimtwin.workbench!.areaState(id), target.id);
  console.log(`after placing: ${JSON.stringify(after)}; area ${JSON.stringify(stateAfter)}`);
  expect(after.videoCoveragePct!).toBeGreaterThan(before.videoCoveragePct!);
  expect(stateAfter!.coveredPercent).toBeGreaterThanOrEqual(80);
  const shownAfter = await page.locator('#wb-video-coverage').textContent();
  expect(shownAfter).not.toBe(shownBefore);
  expect(Number.parseFloat(shownAfter!)).toBeGreaterThan(Number.parseFloat(shownBefore!));
  expect(await page.evaluate((id) => window.__cimtwin.workbench!.drawnAreaState(id), target.id)).toBe('covered');
  await page.evaluate(() => window.__cimtwin.workbench!.select(null));
  await page.evaluate(({ lon, lat }) => window.__cimtwin.workbench!.lookAt(lon, lat, 220, -90), { lon: target.lonDeg, lat: target.latDeg });
  const coloursAfter = await stateColours(page, clip);
  console.log(`area crop after: ${JSON.stringify(coloursAfter)}`);
  expect(coloursAfter.green).toBeGreaterThan(coloursAfter.red);
  // Golden crop: the covered area with its camera, fixed view, software WebGL.
  await expect(page).toHaveScreenshot('covered-area.png', { clip, maxDiffPixelRatio: 0.03 });

  // The frame rate while dragging the camera (the drag code path, continuous rendering).
  const fps = await page.evaluate((id) => window.__cimtwin.workbench!.dragFps(id, 5), placedId);
  const ground = await wb(page, (h) => h.visibleGround());
  console.log(`drag frame rate (SwiftShader, 800×600): ${fps.fps.toFixed(1)} fps over ${fps.seconds.toFixed(1)} s (${fps.frames} frames), ${fps.editBatches} change batches, ${fps.results} results events, visible ground updated ${fps.visibleGroundUpdates} times (last: ${JSON.stringify(ground)})`);
  expect(fps.frames).toBeGreaterThan(0);
  expect(fps.editBatches).toBeGreaterThan(0);
  expect(fps.visibleGroundUpdates).toBeGreaterThan(0);
  expect(ground!.cellsSeen).toBeGreaterThan(0);
  // The whole drag is one undoable step: undo it, back where it was placed.
  const h1 = await wb(page, (h) => h.history());
  expect(h1.undo.at(-1)).toBe('workbench.history.move');
  await page.locator('#wb-undo').click();
  await page.evaluate(() => window.__cimtwin.workbench!.settled());
  const back = (await page.evaluate((id) => window.__cimtwin.workbench!.device(id), placedId))!;
  expect(back.geometry.coordinates).toEqual(placed.geometry.coordinates);
  // The redo button is enabled at once after an undo (the history is final before 'devices' is emitted).
  await expect(page.locator('#wb-redo')).toBeEnabled({ timeout: 1000 });

  // Undo the placing: back to uncovered and the value before; redo with the keyboard.
  await page.locator('#wb-undo').click();
  await page.waitForFunction((id) => window.__cimtwin.workbench!.areaState(id)?.state === 'uncovered', target.id);
  await page.evaluate(() => window.__cimtwin.workbench!.settled());
  const undone = await wb(page, (h) => h.summary());
  expect(undone.devices).toBe(devicesBefore);
  expect(undone.videoCoveragePct).toBe(before.videoCoveragePct);
  await page.locator('body').press('Control+Shift+Z');
  await page.waitForFunction((id) => window.__cimtwin.workbench!.areaState(id)?.state === 'covered', target.id);
  await page.evaluate(() => window.__cimtwin.workbench!.settled());
  expect((await wb(page, (h) => h.summary())).videoCoveragePct).toBe(after.videoCoveragePct);

  // Log in through the dialog, save as a new scenario; the URL names it.
  await page.locator('#wb-login').click();
  await page.locator('#wb-login-user').fill('admin');
  await page.locator('#wb-login-password').fill(E2E_ADMIN_PASSWORD);
  await page.locator('#wb-login-submit').click();
  await expect(page.locator('#wb-login')).toContainText('admin');
  await page.locator('#wb-tab-scenarios').click();
  await page.locator('#wb-save-as-name').fill('e2e 潍坊新增球机');
  await page.locator('#wb-save-as').click();
  await page.waitForFunction(() => new URL(location.href).searchParams.has('scenario'));
  scenarioId = new URL(page.url()).searchParams.get('scenario')!;
  const saved = await wb(page, (h) => h.scenario());
  expect(saved).toMatchObject({ id: scenarioId, dirty: false });

  // Reload: the scenario reopens with the camera and the area covered.
  await page.reload();
  await page.waitForFunction(() => window.__cimtwin?.workbench?.ready === true || !!window.__cimtwin?.error, undefined, { timeout: 170_000 });
  expect(await page.evaluate(() => window.__cimtwin.error ?? null)).toBeNull();
  const reopened = await wb(page, (h) => h.scenario());
  expect(reopened?.id).toBe(scenarioId);
  const found = await page.evaluate((id) => window.__cimtwin.workbench!.device(id), placedId);
  expect(found?.geometry.coordinates).toEqual(placed.geometry.coordinates);
  expect((await page.evaluate((id) => window.__cimtwin.workbench!.areaState(id), target.id))?.state).toBe('covered');
  expect((await wb(page, (h) => h.summary())).videoCoveragePct).toBe(after.videoCoveragePct);

  // A stale save is refused with the server's 409: save once from here, then from a second page still at the old version.
  const other = await page.context().newPage();
  await openWorkbench(other, `?scenario=${scenarioId}`);
  await page.keyboard.press('Escape');
  await page.evaluate((id) => window.__cimtwin.workbench!.select(id), placedId);
  await page.locator('body').press('ArrowRight');
  await page.evaluate(() => window.__cimtwin.workbench!.settled());
  await page.locator('#wb-tab-scenarios').click();
  await page.locator('#wb-save').click();
  await expect(page.locator('#wb-scenario-status')).toContainText('2');
  await other.evaluate((id) => window.__cimtwin.workbench!.select(id), placedId);
  await other.locator('body').press('ArrowLeft');
  await other.evaluate(() => window.__cimtwin.workbench!.settled());
  await other.locator('#wb-tab-scenarios').click();
  await other.locator('#wb-save').click();
  await expect(other.locator('#wb-reload')).toBeVisible();
  await expect(other.locator('#wb-scenario-status')).toHaveClass(/wb-error/);
  await other.close();
});

test('readable at 200 % zoom: nothing overlaps, nothing is cut off', async ({ browser }) => {
  // 200 % zoom of an 800 × 600 window: a 400 × 300 CSS viewport drawn at 2 device pixels per CSS pixel.
  const context = await browser.newContext({ viewport: { width: 400, height: 300 }, deviceScaleFactor: 2, locale: 'zh-CN' });
  const page = await context.newPage();
  await openWorkbench(page);
  const report = await page.evaluate(() => {
    const boxes: { name: string; r: DOMRect }[] = [];
    const bar = document.getElementById('wb-bar')!;
    const visible = (e: Element) => {
      const r = e.getBoundingClientRect();
      return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== 'hidden';
    };
    for (const e of bar.querySelectorAll('button, select, strong, #wb-summary, #wb-scenario-name')) {
      if (!visible(e) || e.closest('#wb-summary') !== null && e.id !== 'wb-summary') continue;
      boxes.push({ name: e.id || e.tagName, r: e.getBoundingClientRect() });
    }
    const overlaps: string[] = [];
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i]!.r, b = boxes[j]!.r;
        if (a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5) overlaps.push(`${boxes[i]!.name} × ${boxes[j]!.name}`);
      }
    const stage = document.getElementById('wb-stage')!.getBoundingClientRect();
    const side = document.getElementById('wb-side')!.getBoundingClientRect();
    const barR = bar.getBoundingClientRect();
    if (stage.top < barR.bottom - 0.5) overlaps.push('bar × stage');
    if (side.left < stage.right - 0.5 && side.top < stage.bottom - 0.5) overlaps.push('stage × side');
    const cut: string[] = [];
    for (const e of document.querySelectorAll('button, label')) {
      if (!visible(e) || e.classList.contains('wb-visually-hidden')) continue;
      const r = e.getBoundingClientRect();
      if (r.right > innerWidth + 0.5) cut.push(`${e.id || e.textContent} right of the window`);
      if ((e as HTMLElement).scrollWidth > (e as HTMLElement).clientWidth + 1) cut.push(`${e.id || e.textContent} text cut`);
    }
    return { overlaps, cut, boxes: boxes.length, stage: [stage.width, stage.height], side: [side.width, side.height], scrollWidth: document.documentElement.scrollWidth };
  });
  console.log(`200 % zoom: ${JSON.stringify(report)}`);
  expect(report.boxes).toBeGreaterThan(8);
  expect(report.overlaps).toEqual([]);
  expect(report.cut).toEqual([]);
  expect(report.scrollWidth).toBeLessThanOrEqual(400);
  expect(report.stage[1]).toBeGreaterThan(60);
  // Every control is reachable with the keyboard: Tab reaches the tools and the tabs.
  const reached = new Set<string>();
  for (let k = 0; k < 40; k++) {
    await page.keyboard.press('Tab');
    reached.add(await page.evaluate(() => document.activeElement?.id ?? ''));
  }
  expect([...reached]).toEqual(expect.arrayContaining(['wb-tool-select', 'wb-tool-camera', 'wb-camera-model', 'wb-login', 'language-toggle']));
  expect([...reached].some((id) => id.startsWith('wb-tab-'))).toBe(true);
  await context.close();
});

test('English: the interface switches language', async ({ page }) => {
  await openWorkbench(page, '?lng=en');
  await expect(page.locator('#wb-title')).toHaveText('Planner workbench');
  await expect(page.locator('#wb-tool-camera')).toHaveText('Camera');
  await expect(page.locator('#wb-summary')).toContainText('HD video coverage');
  await expect(page.locator('#wb-tab-scenarios')).toHaveText('Scenarios');
  await page.locator('#language-toggle').click();
  await expect(page.locator('#wb-tool-camera')).toHaveText('摄像机');
  await expect(page.locator('#wb-summary')).toContainText('高清视频覆盖率');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
});

test('import a device ledger: applied as one undoable step; a bad file is named with its record and field', async ({ page }) => {
  const login = await page.request.post(`${origin}/api/auth/login`, { data: { username: 'admin', password: E2E_ADMIN_PASSWORD } });
  expect(login.ok()).toBe(true);
  await openWorkbench(page);
  const before = await wb(page, (h) => h.summary());
  await page.locator('#wb-tab-scenarios').click();
  const ledger = {
    type: 'FeatureCollection',
    features: [
      { type: 'Feature', id: 'ledger-cam-1', geometry: { type: 'Point', coordinates: [119.1072, 36.7357] }, properties: { layer: 'device', deviceType: 'camera', heightM: 7, headingDeg: 45, tiltDeg: 15, hfovDeg: 60, resolutionPx: [1920, 1080], healthy: true, networked: true, name: '台账摄像机1' } },
      { type: 'Feature', id: 'ledger-wx-1', geometry: { type: 'Point', coordinates: [119.11, 36.72] }, properties: { layer: 'device', deviceType: 'weather', heightM: 10, healthy: true, networked: true, name: '台账气象站1' } },
    ],
  };
  await page.locator('#wb-import-file').setInputFiles({ name: 'ledger.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(JSON.stringify(ledger)) });
  await expect(page.locator('#wb-scenario-status')).toContainText('ledger.geojson');
  await expect(page.locator('#wb-scenario-status')).not.toHaveClass(/wb-error/);
  await page.evaluate(() => window.__cimtwin.workbench!.settled());
  const after = await wb(page, (h) => h.summary());
  expect(after.devices).toBe(before.devices + 2);
  expect(await wb(page, (h) => h.history().undo)).toEqual(['workbench.history.import']);
  await page.locator('#wb-undo').click();
  await page.evaluate(() => window.__cimtwin.workbench!.settled());
  expect((await wb(page, (h) => h.summary())).devices).toBe(before.devices);
  expect((await wb(page, (h) => h.summary())).videoCoveragePct).toBe(before.videoCoveragePct);

  const bad = structuredClone(ledger);
  (bad.features[0]!.properties as Record<string, unknown>).heightM = 'high';
  await page.locator('#wb-import-file').setInputFiles({ name: 'bad-ledger.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(JSON.stringify(bad)) });
  await expect(page.locator('#wb-scenario-status')).toHaveClass(/wb-error/);
  const message = await page.locator('#wb-scenario-status').textContent();
  console.log(`bad ledger: ${message}`);
  expect(message).toContain('bad-ledger.geojson');
  expect(message).toContain('heightM');
  expect((await wb(page, (h) => h.summary())).devices).toBe(before.devices);
});

/** A CPU profile summarised: self and inclusive time by function (name, file, line), most first. */
function summariseProfile(profile: { nodes: { id: number; parent?: number; children?: number[]; callFrame: { functionName: string; url: string; lineNumber: number } }[]; samples?: number[]; timeDeltas?: number[] }) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const key = (id: number) => {
    const f = byId.get(id)!.callFrame;
    return `${f.functionName || '(anonymous)'} ${f.url.split('/').pop() || ''}:${f.lineNumber + 1}`;
  };
  const self = new Map<string, number>(), incl = new Map<string, number>();
  let totalMs = 0;
  const samples = profile.samples ?? [], deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const ms = (deltas[i + 1] ?? deltas[i] ?? 0) / 1000;
    totalMs += ms;
    const id = samples[i]!;
    self.set(key(id), (self.get(key(id)) ?? 0) + ms);
    const seen = new Set<string>();
    for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) {
      const k = key(n);
      if (seen.has(k)) continue;
      seen.add(k);
      incl.set(k, (incl.get(k) ?? 0) + ms);
    }
  }
  const top = (m: Map<string, number>, k: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, k).map(([name, ms]) => `${ms.toFixed(0).padStart(6)} ms  ${name}`);
  return { totalMs, self: top(self, 30), inclusive: top(incl, 60) };
}

test('drag frame rate with every mount: listener costs per drag step (and a CPU profile with CIMTWIN_PROFILE=1)', async ({ page }) => {
  test.setTimeout(600_000);
  await openWorkbench(page);
  // The camera nearest the city's middle, seen from 220 m (as a planner drags one).
  const cam = await page.evaluate(() => {
    const h = window.__cimtwin.workbench!;
    let best: { id: string; lon: number; lat: number } | null = null, bestD = Infinity;
    for (const d of h.devices()) {
      if (d.properties.deviceType !== 'camera') continue;
      const [lon, lat] = d.geometry.coordinates as [number, number];
      const dd = Math.hypot(lon - 119.16, lat - 36.71);
      if (dd < bestD) [best, bestD] = [{ id: d.id, lon, lat }, dd];
    }
    return best!;
  });
  await page.evaluate(({ lon, lat }) => window.__cimtwin.workbench!.lookAt(lon, lat, 220, -60), cam);
  const before = (await page.evaluate((id) => window.__cimtwin.workbench!.device(id), cam.id))!;
  const runs: { fps: number; frames: number; seconds: number; editBatches: number; results: number; listeners: { event: string; owner: string; calls: number; totalMs: number; maxMs: number }[] }[] = [];
  const profiling = process.env.CIMTWIN_PROFILE === '1';
  for (let k = 0; k < 2; k++) {
    const cdp = profiling && k === 1 ? await page.context().newCDPSession(page) : null;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
      await cdp.send('Profiler.start');
    }
    const r = await page.evaluate((id) => window.__cimtwin.workbench!.dragFps(id, 6), cam.id);
    runs.push(r);
    // Where the drag left it, the overlay's glyph (patched in place during the drag), Cesium's pixel and the device point agree.
    await page.evaluate(() => window.__cimtwin.overlay!.settle());
    const where = await page.evaluate((id) => ({ three: window.__cimtwin.overlay!.projectDevice(id), cesium: window.__cimtwin.overlay!.cesiumProjectDevice(id), stats: window.__cimtwin.overlay!.stats() }), cam.id);
    expect(where.three).not.toBeNull();
    expect(Math.hypot(where.three!.x - where.cesium!.x, where.three!.y - where.cesium!.y)).toBeLessThan(1.5);
    console.log(`  overlay: ${where.stats.patches} device updates in place, last ${where.stats.lastSetDevicesMs.toFixed(1)} ms; ${where.stats.occlusionPasses} occlusion passes so far`);
    const perFrame = (ms: number) => (ms / Math.max(1, r.frames)).toFixed(1);
    console.log(`drag ${k + 1}${cdp ? ' (profiled)' : ''}: ${r.fps.toFixed(2)} fps (${r.frames} frames in ${r.seconds.toFixed(1)} s), ${r.editBatches} change batches, ${r.results} results events`);
    for (const l of r.listeners) console.log(`  ${l.event.padEnd(10)} ${l.owner.padEnd(22)} ${String(l.calls).padStart(4)} calls ${l.totalMs.toFixed(0).padStart(6)} ms total, ${perFrame(l.totalMs)} ms/frame, max ${l.maxMs.toFixed(1)} ms`);
    if (cdp) {
      const { profile } = await cdp.send('Profiler.stop');
      const s = summariseProfile(profile as Parameters<typeof summariseProfile>[0]);
      console.log(`CPU profile of drag ${k + 1}: ${s.totalMs.toFixed(0)} ms sampled\n self:\n${s.self.join('\n')}\n inclusive:\n${s.inclusive.join('\n')}`);
      await cdp.detach();
    }
    await page.evaluate(() => window.__cimtwin.workbench!.undo());
    await page.evaluate(() => window.__cimtwin.workbench!.settled());
    expect((await page.evaluate((id) => window.__cimtwin.workbench!.device(id), cam.id))!.geometry.coordinates).toEqual(before.geometry.coordinates);
  }
  for (const r of runs) {
    expect(r.frames).toBeGreaterThan(0);
    expect(r.editBatches).toBeGreaterThan(0);
    // Every drag step reaches the listeners: 'devices' is emitted and its listeners are timed.
    const devices = r.listeners.filter((l) => l.event === 'devices');
    expect(devices.length).toBeGreaterThan(0);
    expect(Math.max(...devices.map((l) => l.calls))).toBeGreaterThanOrEqual(r.editBatches - 1);
  }
});

test('highlight: intersections ringed and areas outlined in 3D, cleared by an empty target', async ({ page }) => {
  await openWorkbench(page);
  const r = (await wb(page, (h) => h.results()))!;
  const node = r.video.intersections[0]!.nodeId;
  const cityFile = await (await page.request.get(`${origin}/api/city`)).json();
  const nodeFeature = (cityFile.features as { id: string; geometry: { type: string; coordinates: number[] }; properties: { layer?: string } }[]).find((f) => String(f.id) === node)!;
  const [lon, lat] = nodeFeature.geometry.coordinates as [number, number];
  const area = r.video.areas[0]!.id;
  // Important intersections (scored) and the others (支路路口 …) are both drawn, apart; scopes are outlined.
  type CityFeature = { properties: { layer?: string; from?: string; to?: string } };
  const links = new Map<string, number>();
  for (const f of cityFile.features as CityFeature[]) if (f.properties.layer === 'road-link') for (const e of [f.properties.from, f.properties.to]) links.set(String(e), (links.get(String(e)) ?? 0) + 1);
  const crossings = [...links.values()].filter((n) => n >= 3).length;
  const ground = await page.evaluate(() => window.__cimtwin.workbench!.groundDrawn());
  const drawnIx = { other: ground.otherIntersections, scopes: ground.scopeOutlines };
  const importantCrossings = r.video.intersections.filter((x) => (links.get(x.nodeId) ?? 0) >= 3).length;
  expect(drawnIx.other).toBe(crossings - importantCrossings);
  expect(drawnIx.other).toBeGreaterThan(0);
  expect(drawnIx.scopes).toBeGreaterThan(0);
  await page.evaluate(({ lon, lat }) => window.__cimtwin.workbench!.lookAt(lon, lat, 220, -90), { lon, lat });
  const at = (await page.evaluate(({ lon, lat }) => window.__cimtwin.workbench!.screenOf(lon, lat, 1.5), { lon, lat }))!;
  const clip = { x: Math.round(at.x - 30), y: Math.round(at.y - 30), width: 60, height: 60 };
  const yellow = async () => {
    const png = await page.screenshot({ clip });
    return page.evaluate(async (b64) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const c = document.createElement('canvas');
      c.width = img.width;
      c.height = img.height;
      const g = c.getContext('2d')!;
      g.drawImage(img, 0, 0);
      const d = g.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i]! > 200 && d[i + 1]! > 170 && d[i + 2]! < 90) n++;
      return n;
    }, png.toString('base64'));
  };
  const before = await yellow();
  const drawn = await page.evaluate(({ node, area }) => window.__cimtwin.workbench!.highlight({ intersectionIds: [node], areaIds: [area] }), { node, area });
  expect(drawn.intersections).toBe(1);
  expect(drawn.areaRings).toBeGreaterThan(0);
  await page.evaluate(({ lon, lat }) => window.__cimtwin.workbench!.lookAt(lon, lat, 220, -90), { lon, lat });
  const during = await yellow();
  console.log(`highlight: yellow pixels around intersection ${node}: ${before} before, ${during} highlighted`);
  expect(during).toBeGreaterThan(before + 40);
  // A second target replaces the first (the outlines still draw after a rebuild), an empty one clears.
  expect(await page.evaluate(({ area }) => window.__cimtwin.workbench!.highlight({ areaIds: [area] }), { area })).toEqual({ areaRings: drawn.areaRings, intersections: 0 });
  expect(await page.evaluate(() => window.__cimtwin.workbench!.highlight({}))).toEqual({ areaRings: 0, intersections: 0 });
  await page.evaluate(({ lon, lat }) => window.__cimtwin.workbench!.lookAt(lon, lat, 220, -90), { lon, lat });
  expect(await yellow()).toBeLessThanOrEqual(before + 5);
});
