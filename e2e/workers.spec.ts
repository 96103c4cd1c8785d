/**
 * The worker layer in a real browser: the test page (workers/test-page, built by its own vite config)
 * runs the same SimulationClient and WorkerPool as Node, in Web Workers, on a city packed in Node. The
 * expected values are computed here, in Node, by sim-core directly. The page is served by a small
 * static server of this spec on a free 127.0.0.1 port (the config's webServer is the viewer's), once
 * cross-origin isolated (`/coi/`: COOP/COEP headers, SharedArrayBuffer) and once not (`/plain/`).
 */
import { expect, test, type Page } from '@playwright/test';
import { generateDefaultCity } from '../sim-core/cim/demo/index.ts';
import { packCity } from '../sim-core/cim/transfer.ts';
import type { City } from '../sim-core/cim/types.ts';
import { inventoryFromCity, type DeviceInventory, type Edit } from '../sim-core/session/devices.ts';
import { nr5gRasterModel } from '../sim-core/session/jobs.ts';
import type { SessionOptions } from '../sim-core/session/session.ts';
import { PrismIndex } from '../sim-core/spatial/prism-index.ts';
import type { WorkersTestApi } from '../workers/test-page/main.ts';
import { buildTestPage, serveTestPage, type TestPageServer } from '../workers/test-page/server.ts';
import { cameraCopies, expectedSnapshot, seededEdits, withoutSeq } from '../workers/test-support.ts';

test.describe.configure({ mode: 'serial' });

let server: TestPageServer;
let city: City;
let inv: DeviceInventory;
const LIGHT: SessionOptions = { nr5g: false, coverage: { gridM: 4 } };

test.beforeAll(async () => {
  test.setTimeout(300_000);
  await buildTestPage();
  city = generateDefaultCity({ scale: 0.1 });
  inv = inventoryFromCity(city);
  server = await serveTestPage(new Map([['/data/small.bin', new Uint8Array(packCity(city))]]));
});

test.afterAll(async () => {
  await server?.close();
});

/** Opens the page (isolated or not), aborting and recording every request not to 127.0.0.1. */
async function open(page: Page, mode: 'coi' | 'plain'): Promise<string[]> {
  const aborted: string[] = [];
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (new URL(url).hostname === '127.0.0.1') return route.continue();
    aborted.push(url);
    return route.abort('blockedbyclient');
  });
  await page.goto(`${server.origin}/${mode}/`);
  await expect(page.locator('#status')).toHaveText(/^ready/);
  return aborted;
}

function evaluate<K extends keyof WorkersTestApi>(page: Page, name: K, req: unknown): Promise<Awaited<ReturnType<Extract<WorkersTestApi[K], (...a: never[]) => unknown>>>> {
  return page.evaluate(({ name, req }) => (window as unknown as { cimtwinWorkers: Record<string, (r: unknown) => unknown> }).cimtwinWorkers[name](req), { name, req }) as never;
}

const expected = (options: SessionOptions, batches: Edit[][]) => expectedSnapshot(city, options, inv, batches);

test('a session in a Web Worker gives what sim-core gives in Node; a crash rejects the pending calls and the next call works', async ({ page }) => {
  const aborted = await open(page, 'plain');
  const cells = inv.cells.filter((c) => c.healthy);
  const batches: Edit[][] = [
    seededEdits(inv, 10, 5),
    [
      { op: 'move', id: cells[0].id, xM: cells[0].xM + 50, yM: cells[0].yM },
      { op: 'retune', id: cells[1].id, cell: { txPowerDbm: 37 } },
      { op: 'health', id: cells[2].id, healthy: false },
    ],
    seededEdits(inv, 6, 6),
  ];
  const cam = inv.cameras[2];
  const after: Edit = { op: 'move', id: cam.id, xM: cam.xM + 4, yM: cam.yM - 4 };
  const r = await evaluate(page, 'runSession', { cityUrl: 'data/small.bin', options: {}, batches, crashThenEdit: after });
  expect(r.info.buildings).toBe(city.buildings.count);
  expect(withoutSeq(r.first)).toEqual(expected({}, []));
  // the edit sent while the worker crashed was lost; the same edit after the crash was applied
  expect(withoutSeq(r.final)).toEqual(expected({}, [...batches, [after]]));
  expect(r.crash).toMatchObject({ name: 'WorkerCrashedError', message: expect.stringMatching(/simulation worker crashed \(uncaught error: .*simulated worker crash/) });
  expect(r.lost).toMatchObject({ name: 'WorkerCrashedError' });
  expect(r.counters.restarts).toBe(1);
  expect(r.deltas).toEqual([...r.deltas].sort((a, b) => a - b));
  expect(aborted).toEqual([]);
});

test('a worker that closes itself (no error event) is caught by the hang timeout and replaced', async ({ page }) => {
  await open(page, 'plain');
  const cam = inv.cameras[4];
  const after: Edit = { op: 'rotate', id: cam.id, headingDeg: (cam.headingDeg + 90) % 360 };
  const r = await evaluate(page, 'runSession', { cityUrl: 'data/small.bin', options: LIGHT, batches: [], crashThenEdit: after, crashMode: 'exit', hangTimeoutMs: 1500 });
  expect(r.crash).toMatchObject({ name: 'WorkerCrashedError', message: expect.stringMatching(/no answer within 1500 ms/) });
  expect(r.lost).toMatchObject({ name: 'WorkerCrashedError' });
  expect(withoutSeq(r.final)).toEqual(expected(LIGHT, [[after]]));
});

test('a drag of 40 positions in the browser computes two batches and ends where sim-core ends', async ({ page }) => {
  await open(page, 'plain');
  const cam = inv.cameras.find((c) => c.kind === 'camera')!;
  const positions = Array.from({ length: 40 }, (_, k): [number, number] => [cam.xM + (k + 1) * 0.5, cam.yM + (k + 1) * 0.25]);
  const r = await evaluate(page, 'runDrag', { cityUrl: 'data/small.bin', options: LIGHT, id: cam.id, positions });
  expect(r.batches).toBe(2);
  expect(r.editsApplied).toBe(2);
  const [xM, yM] = positions[positions.length - 1];
  expect(withoutSeq(r.final)).toEqual(expected(LIGHT, [[{ op: 'move', id: cam.id, xM, yM }]]));
});

for (const mode of ['coi', 'plain'] as const) {
  test(`pool in Web Workers (${mode === 'coi' ? 'cross-origin isolated: shared memory' : 'not isolated: transferred copies'}): raster equals Node, cancellation works`, async ({ page }) => {
    await open(page, mode);
    expect(await page.evaluate(() => (window as unknown as { cimtwinWorkers: WorkersTestApi }).cimtwinWorkers.isolated)).toBe(mode === 'coi');
    const params = { cellM: 40 };
    const r = await evaluate(page, 'runPool', { cityUrl: 'data/small.bin', params, cancelParams: { cameras: cameraCopies(inv.cameras, 8000, 9), coverage: { gridM: 4 } } });
    expect(r.shared).toBe(mode === 'coi');
    const { model, set } = nr5gRasterModel(city, PrismIndex.fromBuildings(city.buildings), params);
    model.compute();
    // Chromium's V8 and Node 20's differ in the last bit of some Math results (log10/pow): RSRP agrees
    // to 1e-9 dB, the best server and the service pattern exactly.
    expect(r.rsrpDbm.map((v) => v === null)).toEqual(Array.from(set.rsrpDbm, (v) => Number.isNaN(v)));
    let worst = 0;
    r.rsrpDbm.forEach((v, k) => v !== null && (worst = Math.max(worst, Math.abs(v - set.rsrpDbm[k]))));
    expect(worst).toBeLessThan(1e-9);
    expect(r.bestCell).toEqual(Array.from(set.bestCell));
    expect(r.progress[r.progress.length - 1]).toBe(set.count);
    expect(r.cancel).toMatchObject({ name: 'AbortError', message: 'camera-sight cancelled' });
    if (mode === 'coi') {
      expect(r.tasksStopped).toBe(2); // stopped between steps by the shared flag
      expect(r.replacements).toBe(0);
    } else expect(r.replacements).toBe(2); // no shared flag: the job's workers were replaced
    expect(r.afterCancelColumns).toBe(20);
  });
}
