/**
 * Worker round trip of one camera move: `client.edit(move)` posted to the simulation session worker →
 * the delta (changed areas and intersections, indicator values, star levels) back, through the same
 * SimulationClient in Node worker_threads and in headless Chromium (Web Worker, the test page of
 * workers/test-page driven by playwright-core). Peer measured in the same run: the same moves applied
 * by sim-core in this thread (`SimulationSession.edit`, no worker), so the cost of the worker hop shows.
 *
 *   npm run bench -- worker-roundtrip      (or: node --import tsx bench/worker-roundtrip.bench.ts [--quick] [--no-browser])
 *
 * City: `generateDefaultCity()`. Cameras: a seeded subset of 2,000 of its cameras (surveillance and
 * e-police in the city's proportion), and then all of them; its 5G cells too (the session keeps 5G
 * coverage, though a camera move does not touch it). Moves: seeded moves of surveillance cameras by up to
 * ±15 m with a new heading; 50 untimed warm-up moves, then `MOVES` timed ones, one after another.
 *
 * Second part (skip with --no-pool): the worker pool on a full recomputation — the SS-RSRP raster of the
 * city's 5G cells over its 城区 scope at 10 m (job `nr5g-raster`), against the same raster computed in
 * this thread; first run (each worker prepares its model and sample set) and second run (prepared).
 *
 * Last results: see docs/workers.md.
 */
import { cpus, loadavg, totalmem } from 'node:os';
import { chromium } from 'playwright-core';
import { generateDefaultCity } from '../sim-core/cim/demo/index.ts';
import { packCity } from '../sim-core/cim/transfer.ts';
import type { City } from '../sim-core/cim/types.ts';
import type { CameraSpec } from '../sim-core/coverage/camera.ts';
import { mulberry32 } from '../sim-core/random.ts';
import { inventoryFromCity, type DeviceInventory } from '../sim-core/session/devices.ts';
import { SimulationSession } from '../sim-core/session/session.ts';
import type { WorkersTestApi } from '../workers/test-page/main.ts';
import { buildTestPage, serveTestPage } from '../workers/test-page/server.ts';
import { nr5gRasterModel } from '../sim-core/session/jobs.ts';
import { PrismIndex } from '../sim-core/spatial/prism-index.ts';
import { createNodeClient, createNodePool } from '../workers/node.ts';

const QUICK = process.argv.includes('--quick');
const BROWSER = !process.argv.includes('--no-browser');
const POOL = !process.argv.includes('--no-pool');
const MOVES = QUICK ? 200 : 500;
const WARMUP = 50;
const GOAL_MS = 16;
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'];

interface Move {
  id: string;
  xM: number;
  yM: number;
  headingDeg: number;
}

function stats(times: number[]) {
  const s = [...times].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  const std = Math.sqrt(s.reduce((a, b) => a + (b - mean) ** 2, 0) / s.length);
  return { n: s.length, min: s[0], median: q(0.5), p95: q(0.95), max: s[s.length - 1], mean, std };
}
const ms = (t: number) => t.toFixed(t < 10 ? 3 : 1);
const line = (label: string, t: number[]) => {
  const s = stats(t);
  return `${label.padEnd(44)} median ${ms(s.median)} ms, p95 ${ms(s.p95)} ms, max ${ms(s.max)} ms, mean ${ms(s.mean)} ± ${ms(s.std)} ms (${s.n} moves)`;
};

/** A seeded subset of `n` cameras, surveillance and e-police in the city's proportion. */
function subset(all: CameraSpec[], n: number): CameraSpec[] {
  if (all.length <= n) return all;
  const rnd = mulberry32(2000);
  const pick = (list: CameraSpec[], k: number) => {
    const a = list.slice();
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [a[i], a[j]] = [a[j], a[i]];
    }
    return a.slice(0, k);
  };
  const surv = all.filter((c) => c.kind === 'camera');
  const ep = all.filter((c) => c.kind === 'epolice');
  const k = Math.round((n * surv.length) / all.length);
  return [...pick(surv, k), ...pick(ep, n - k)];
}

function moves(cameras: CameraSpec[], n: number): Move[] {
  const surv = cameras.filter((c) => c.kind === 'camera');
  const rnd = mulberry32(99);
  return Array.from({ length: n }, () => {
    const c = surv[Math.floor(rnd() * surv.length)];
    return { id: c.id, xM: c.xM + (rnd() - 0.5) * 30, yM: c.yM + (rnd() - 0.5) * 30, headingDeg: rnd() * 360 };
  });
}

function inThread(city: City, inv: DeviceInventory, list: Move[]): { times: number[]; samplesPerMove: number } {
  const s = new SimulationSession(city);
  s.setDevices(inv);
  const times: number[] = [];
  const before = s.coverage.samples.count;
  let seen = 0;
  list.forEach((m, k) => {
    const t = performance.now();
    s.edit([{ op: 'update', id: m.id, patch: { xM: m.xM, yM: m.yM, headingDeg: m.headingDeg } }]);
    if (k >= WARMUP) {
      times.push(performance.now() - t);
      seen += s.coverage.areaSight(m.id).length;
    }
  });
  return { times, samplesPerMove: before ? seen / times.length : 0 };
}

async function inNodeWorker(city: City, inv: DeviceInventory, list: Move[]): Promise<{ times: number[]; startupMs: number }> {
  const client = createNodeClient();
  try {
    const t0 = performance.now();
    await client.loadCity(city);
    await client.setDevices(inv);
    const startupMs = performance.now() - t0;
    const times: number[] = [];
    for (let k = 0; k < list.length; k++) {
      const m = list[k];
      const t = performance.now();
      await client.edit({ op: 'update', id: m.id, patch: { xM: m.xM, yM: m.yM, headingDeg: m.headingDeg } });
      if (k >= WARMUP) times.push(performance.now() - t);
    }
    return { times, startupMs };
  } finally {
    await client.terminate();
  }
}

async function inChromium(origin: string, inv: DeviceInventory, list: Move[]) {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  try {
    const page = await browser.newPage();
    // Cross-origin isolated: performance.now() is coarsened to 5 µs there instead of 100 µs.
    await page.goto(`${origin}/coi/`);
    await page.waitForFunction(() => document.getElementById('status')?.textContent?.startsWith('ready'));
    const version = browser.version();
    const r = await page.evaluate(
      (req) => (window as unknown as { cimtwinWorkers: WorkersTestApi }).cimtwinWorkers.benchMoves(req),
      { cityUrl: 'data/city.bin', options: {}, inventory: inv, moves: list, warmup: WARMUP },
    );
    return { ...r, version };
  } finally {
    await browser.close();
  }
}

console.log(`machine: ${cpus()[0]?.model ?? 'unknown'} × ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}${QUICK ? ' (quick)' : ''}`);
let t = performance.now();
const city = generateDefaultCity();
const full = inventoryFromCity(city);
console.log(`city: generateDefaultCity() — ${city.buildings.count} buildings, ${city.keyAreas.count} key areas, ${full.cameras.length} cameras (${full.cameras.filter((c) => c.kind === 'camera').length} surveillance, ${full.cameras.filter((c) => c.kind === 'epolice').length} e-police), ${full.cells.length} 5G cells (built in ${ms(performance.now() - t)} ms)`);
let server: Awaited<ReturnType<typeof serveTestPage>> | null = null;
if (BROWSER) {
  t = performance.now();
  await buildTestPage();
  const packed = packCity(city);
  server = await serveTestPage(new Map([['/data/city.bin', new Uint8Array(packed)]]));
  console.log(`browser: test page built (${ms(performance.now() - t)} ms); packed city ${(packed.byteLength / 2 ** 20).toFixed(1)} MiB`);
}

try {
  for (const n of [2000, full.cameras.length]) {
    const inv: DeviceInventory = { cameras: subset(full.cameras, n), cells: full.cells };
    const list = moves(inv.cameras, WARMUP + MOVES);
    const probe = new SimulationSession(city);
    console.log(`\n--- ${inv.cameras.length} cameras (${inv.cameras.filter((c) => c.kind === 'camera').length} surveillance), ${inv.cells.length} cells; ${probe.info.videoSamples} video-area samples, ${probe.info.stopLinePoints} stop-line points, ${probe.info.nr5gSamples} 5G samples`);
    const { times: peer, samplesPerMove } = inThread(city, inv, list);
    console.log(line('peer: sim-core in this thread (no worker)', peer) + `; a moved camera sees ${samplesPerMove.toFixed(0)} area samples on average`);
    const node = await inNodeWorker(city, inv, list);
    console.log(line('Node worker_threads round trip', node.times) + `; startup (load city + devices) ${ms(node.startupMs)} ms`);
    const sNode = stats(node.times), sPeer = stats(peer);
    console.log(`  worker hop in Node: +${ms(sNode.median - sPeer.median)} ms at the median (${(sNode.median / sPeer.median).toFixed(1)}× the in-thread time)`);
    let sBrowser: ReturnType<typeof stats> | null = null;
    if (server) {
      const b = await inChromium(server.origin, inv, list);
      sBrowser = stats(b.times);
      console.log(line(`headless Chromium ${b.version} Web Worker round trip`, b.times) + `; startup ${ms(b.startupMs)} ms; ${b.changedAreasPerMove.toFixed(2)} areas changed per move`);
    }
    const ok = (s: ReturnType<typeof stats> | null) => (s ? (s.median < GOAL_MS ? 'met' : 'NOT met') : 'not measured');
    console.log(`goal median < ${GOAL_MS} ms: Node ${ok(sNode)} (${ms(sNode.median)} ms), Chromium ${ok(sBrowser)}${sBrowser ? ` (${ms(sBrowser.median)} ms)` : ''}`);
  }
} finally {
  await server?.close();
}

if (POOL) {
  const params = { cellM: 10 };
  t = performance.now();
  const { model, set } = nr5gRasterModel(city, PrismIndex.fromBuildings(city.buildings), params);
  model.compute();
  const tThread = performance.now() - t;
  const pool = createNodePool();
  try {
    const key = await pool.loadCity(city);
    const runs: number[] = [];
    for (let k = 0; k < 2; k++) {
      t = performance.now();
      const r = await pool.run('nr5g-raster', key, params);
      runs.push(performance.now() - t);
      for (let i = 0; i < set.count; i++) {
        const a = r.rsrpDbm[i], b = set.rsrpDbm[i];
        if (!(a === b || (Number.isNaN(a) && Number.isNaN(b)))) throw new Error(`pool raster differs from the in-thread raster at sample ${i}`);
      }
    }
    console.log(`
--- pool: 5G SS-RSRP raster, ${full.cells.length} cells, ${params.cellM} m grid over the 城区 scope, ${set.count} samples (${set.active.reduce((a, b) => a + b, 0)} outdoor in scope)`);
    console.log(`peer: one thread (model, samples, compute)   ${ms(tThread)} ms`);
    console.log(`pool of ${pool.size} worker_threads: first run ${ms(runs[0])} ms (${(tThread / runs[0]).toFixed(2)}×), prepared ${ms(runs[1])} ms (${(tThread / runs[1]).toFixed(2)}×); identical rasters`);
  } finally {
    await pool.terminate();
  }
}
