/**
 * 3D Tiles bench: building the city tileset, and the viewer streaming it.
 *
 *   npm run bench -- tiles          (or: node --import tsx bench/tiles.bench.ts [--quick] [--no-viewer])
 *
 * Cities: the default city (`generateDefaultCity()`, ~16,000 buildings) and a 100,000-building city
 * made of four default cities at scale 2 (seeds 20200608…+3) side by side in a 2 × 2 grid, cut at
 * exactly 100,000 buildings (buildings and key areas only; no roads). `--quick`: scale 0.25 and 10,000.
 *
 * Build: full build uncompressed and with meshopt, an incremental rebuild with nothing changed and
 * one after an edit of 3 buildings (the peer of an incremental build is the full build, same run).
 * The builder runs on one thread (glTF-Transform and meshoptimizer in-process); the machine has 2.
 *
 * Viewer (headless Debian Chromium, SwiftShader software WebGL, 1280 × 720): time from navigation to
 * the first frame with buildings and to the first full-detail frame (every tile the view needs
 * loaded, after the fly-in), then the frame rate over 10 s of continuous orbiting. The peer,
 * measured in the same run: the previous viewer, all buildings as one batched primitive of
 * extrusions built in the page (`?buildings=primitive`). No GPU machine is lent to this task, so
 * the 3840 × 2160 GPU goal is not measured here.
 *
 * Last results: docs/tiles.md.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from '@playwright/test';
import { CityBuilder } from '../sim-core/cim/builder.ts';
import { DEFAULT_SEED, generateDefaultCity } from '../sim-core/cim/demo/index.ts';
import type { City } from '../sim-core/cim/types.ts';
import { DEFAULT_STATIC_DIR, isViewerBuilt } from '../server/app.ts';
import { startServer } from '../server/main.ts';
import { writeTileset, type WriteResult } from '../tiles/write.ts';
import type { CimtwinHooks } from '../viewer/hooks.ts';

const QUICK = process.argv.includes('--quick');
const VIEWER = !process.argv.includes('--no-viewer');
const BIG = QUICK ? 10_000 : 100_000;

/** Copies of generated cities in a 2 × 2 grid, cut at `limit` buildings. */
function bigCity(limit: number): City {
  const scale = QUICK ? 0.25 : 2;
  const parts = [0, 1, 2, 3].map((k) => generateDefaultCity({ seed: DEFAULT_SEED + k, scale }));
  const first = parts[0];
  const width = 12_500 * Math.sqrt(scale), height = 9_000 * Math.sqrt(scale);
  const builder = new CityBuilder(first.origin, { name: `${limit.toLocaleString('en')} buildings (4 default cities at scale ${scale})`, synthetic: true, sources: ['bench/tiles.bench.ts'] });
  let n = 0;
  parts.forEach((c, k) => {
    const dx = (k % 2) * width - width / 2, dy = Math.floor(k / 2) * height - height / 2;
    const ring = (t: { ringStart: Uint32Array; vertexStart: Uint32Array; xyM: Float64Array }, i: number) => {
      const rings: number[][] = [];
      for (let r = t.ringStart[i]; r < t.ringStart[i + 1]; r++) {
        const flat: number[] = [];
        for (let v = t.vertexStart[r]; v < t.vertexStart[r + 1]; v++) flat.push(t.xyM[2 * v] + dx, t.xyM[2 * v + 1] + dy);
        rings.push(flat);
      }
      return rings;
    };
    const b = c.buildings;
    for (let i = 0; i < b.count && n < limit; i++, n++) builder.addBuilding({ id: `c${k}-${b.ids[i]}`, rings: ring(b, i), baseM: b.baseM[i], roofM: b.roofM[i], use: b.use[i], name: b.names[i] });
    const a = c.keyAreas;
    for (let i = 0; i < a.count; i++) builder.addKeyArea({ id: `c${k}-${a.ids[i]}`, rings: ring(a, i), category: a.category[i], name: a.names[i] });
  });
  return builder.build();
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;

async function buildRuns(label: string, city: City): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'cimtwin-tiles-bench-'));
  const rows: string[] = [];
  const row = (what: string, r: WriteResult, peerMs?: number) =>
    rows.push(`| ${label} | ${what} | ${r.tiles} | ${r.written} | ${r.depth} | ${mb(r.bytes)} | ${r.vertices.toLocaleString('en')} | ${s(r.totalMs)}${peerMs ? ` (${(peerMs / r.totalMs).toFixed(0)}× faster)` : ''} |`);
  try {
    const mesh = await writeTileset(join(dir, 'meshopt'), { city }, { compress: 'meshopt' });
    row('full build, meshopt', mesh);
    const full = await writeTileset(join(dir, 'none'), { city }, { compress: 'none' });
    row('full build, uncompressed', full);
    const same = await writeTileset(join(dir, 'none'), { city }, { compress: 'none' });
    row('rebuild, nothing changed', same, full.totalMs);
    const b = city.buildings;
    const roofM = Float32Array.from(b.roofM);
    const use = [...b.use];
    for (const i of [Math.floor(b.count / 5), Math.floor(b.count / 2), b.count - 1]) {
      use[i] = use[i] === 'office' ? 'commercial' : 'office';
      roofM[i] += 0.5;
    }
    const edit = await writeTileset(join(dir, 'none'), { city: { ...city, buildings: { ...b, roofM, use } } }, { compress: 'none' });
    row('rebuild after editing 3 buildings', edit, full.totalMs);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows.join('\n');
}

interface ViewerRun {
  firstBuildingFrameMs: number;
  fullDetailMs: number;
  fps: number;
  frames: number;
  tileRequests: number;
}

async function viewerRun(browser: Browser, url: string): Promise<ViewerRun> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, locale: 'en-US' });
  const page = await context.newPage();
  let tileRequests = 0;
  page.on('request', (r) => {
    if (r.url().endsWith('.glb')) tileRequests++;
  });
  await page.goto(url);
  await page.waitForFunction(() => window.__cimtwin?.ready === true || window.__cimtwin?.error !== undefined, null, { timeout: 600_000, polling: 500 });
  const hooks = (await page.evaluate(() => window.__cimtwin)) as CimtwinHooks;
  if (hooks.error) throw new Error(`viewer: ${hooks.error}`);
  const orbit = (await page.evaluate(() => window.__cimtwin.orbit?.(10))) as { frames: number; fps: number };
  await context.close();
  return { firstBuildingFrameMs: hooks.timings.firstBuildingFrameMs ?? NaN, fullDetailMs: hooks.timings.fullDetailMs ?? NaN, fps: orbit.fps, frames: orbit.frames, tileRequests };
}

async function viewerRuns(browser: Browser, label: string, city: City): Promise<string> {
  const cacheDir = mkdtempSync(join(tmpdir(), 'cimtwin-tiles-bench-viewer-'));
  const server = await startServer({ port: 0, city, staticDir: DEFAULT_STATIC_DIR, tilesCacheDir: cacheDir, handleSignals: false, print: () => {}, logger: false });
  try {
    await server.app.cityTileset(); // built before measuring: the viewer times below exclude the build
    const rows: string[] = [];
    const tiles = await viewerRun(browser, server.url);
    const peer = await viewerRun(browser, `${server.url}?buildings=primitive`);
    const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
    rows.push(`| ${label} | 3D Tiles (this) | ${s(tiles.firstBuildingFrameMs)} | ${s(tiles.fullDetailMs)} | ${tiles.fps.toFixed(1)} | ${tiles.tileRequests} glb |`);
    rows.push(`| ${label} | peer: one batched primitive | ${s(peer.firstBuildingFrameMs)} | ${s(peer.fullDetailMs)} | ${peer.fps.toFixed(1)} | — |`);
    rows.push(`| ${label} | ratio peer / tiles | ${ratio(peer.firstBuildingFrameMs, tiles.firstBuildingFrameMs)} | ${ratio(peer.fullDetailMs, tiles.fullDetailMs)} | ${ratio(tiles.fps, peer.fps)} (fps tiles / peer) | |`);
    return rows.join('\n');
  } finally {
    await server.close();
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log(`machine: ${cpus()[0]?.model ?? 'unknown cpu'} × ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}${QUICK ? ' (--quick)' : ''}`);
  let t = performance.now();
  const small = generateDefaultCity();
  console.log(`default city: ${small.buildings.count.toLocaleString('en')} buildings (generated in ${s(performance.now() - t)})`);
  t = performance.now();
  const big = bigCity(BIG);
  console.log(`big city: ${big.buildings.count.toLocaleString('en')} buildings, ${big.keyAreas.count} key areas (generated in ${s(performance.now() - t)})`);

  console.log('\nbuild (tiles/write.ts, one thread, default --max-features 1000)\n');
  console.log('| city | run | tiles | written | depth | size | vertices | time |');
  console.log('|---|---|---|---|---|---|---|---|');
  console.log(await buildRuns('default', small));
  console.log(await buildRuns(`${(BIG / 1000).toFixed(0)}k`, big));

  if (!VIEWER) return;
  if (!isViewerBuilt()) {
    console.log('\nviewer: not built (npm run build); viewer runs skipped');
    return;
  }
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
  });
  try {
    console.log('\nviewer (headless Chromium, SwiftShader software WebGL, 1280×720; times from navigation start; orbit 10 s at 30°/s)\n');
    console.log('| city | buildings drawn by | first building frame | first full-detail frame | fps orbiting | requests |');
    console.log('|---|---|---|---|---|---|');
    console.log(await viewerRuns(browser, 'default', small));
    console.log(await viewerRuns(browser, `${(BIG / 1000).toFixed(0)}k`, big));
  } finally {
    await browser.close();
  }
  console.log('\nGPU: no GPU machine is lent to this task; fps at 3840×2160 on a GPU not measured.');
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
