/**
 * Camera coverage bench: the full coverage of a city's cameras, and the what-if speed of moving one
 * camera (incremental update of the per-area results and the four indicator values), in-thread and as
 * a worker round trip, with two peers measured in the same run:
 * - the full recomputation a what-if would need without the incremental session;
 * - the occlusion query done the plain way (flatbush `search` over the segment's box, which allocates
 *   its result arrays, then the same exact per-prism test) against PrismIndex's allocation-free walk
 *   with segment-vs-box and height pruning. Both must give the same answers.
 *
 *   npm run bench -- camera          (or: node --import tsx bench/camera-coverage.bench.ts [--quick])
 *
 * City: `generateDefaultCity()` of sim-core/cim/demo when it exists, else the seeded synthetic city of
 * sim-core/coverage/session-synthetic-city.ts at about 20,000 buildings. Cameras: all of the city's
 * (surveillance and e-police), topped up with seeded surveillance cameras around the video-set key
 * areas when there are fewer than 2,000.
 *
 * Last results: see docs/coverage.md (pasted there with the command and the machine).
 */
import { existsSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { City } from '../sim-core/cim/types.ts';
import { tablePolygonBBox } from '../sim-core/geom/polygon.ts';
import { camerasFromDevices, type CameraSpec } from '../sim-core/coverage/camera.ts';
import { CoverageSession, type CoverageOptions } from '../sim-core/coverage/session.ts';
import { syntheticCity } from '../sim-core/coverage/session-synthetic-city.ts';
import { PrismIndex } from '../sim-core/spatial/prism-index.ts';
import { mulberry32 } from '../sim-core/random.ts';

const QUICK = isMainThread ? process.argv.includes('--quick') : (workerData as { quick: boolean }).quick;
const TARGET_CAMERAS = 2000;
const MOVES = QUICK ? 200 : 1000;
const OPTIONS: CoverageOptions = {};

interface Setup {
  city: City;
  cameras: CameraSpec[];
  source: string;
}

async function loadCity(): Promise<{ city: City; source: string }> {
  const demo = fileURLToPath(new URL('../sim-core/cim/demo/index.ts', import.meta.url));
  if (existsSync(demo)) {
    const mod = (await import(pathToFileURL(demo).href)) as { generateDefaultCity?: () => City };
    if (mod.generateDefaultCity) return { city: mod.generateDefaultCity(), source: 'generateDefaultCity() (sim-core/cim/demo)' };
  }
  const side = QUICK ? 20 : 52;
  return { city: syntheticCity({ seed: 2026, blocksX: side, blocksY: side, keyAreaShare: 0.05, cameras: 0 }), source: `syntheticCity(seed 2026, ${side} × ${side} blocks)` };
}

/** All the city's cameras, topped up to TARGET_CAMERAS when fewer with seeded cameras on the edges of video-set areas, looking in. */
function topUp(city: City, own: CameraSpec[]): CameraSpec[] {
  const out = own.slice();
  const rnd = mulberry32(77);
  const ka = city.keyAreas;
  const areas: number[] = [];
  for (let a = 0; a < ka.count; a++) if (ka.inVideoSet[a]) areas.push(a);
  const bb = new Float64Array(4);
  for (let k = 0; out.length < TARGET_CAMERAS && areas.length; k++) {
    const a = areas[Math.floor(rnd() * areas.length)];
    tablePolygonBBox(ka.ringStart, ka.vertexStart, ka.xyM, a, bb);
    const [x0, y0, x1, y1] = bb;
    const side = Math.floor(rnd() * 4), t = rnd();
    const x = side === 0 ? x0 + 0.5 : side === 2 ? x1 - 0.5 : x0 + t * (x1 - x0);
    const y = side === 1 ? y0 + 0.5 : side === 3 ? y1 - 0.5 : y0 + t * (y1 - y0);
    const heading = ((Math.atan2((x0 + x1) / 2 - x, (y0 + y1) / 2 - y) * 180) / Math.PI + (rnd() - 0.5) * 60 + 360) % 360;
    const ptz = rnd() < 0.1;
    const fourMp = rnd() < 0.2;
    out.push({
      id: `bench-cam-${k}`,
      kind: 'camera',
      xM: x,
      yM: y,
      heightM: 4 + rnd() * 6,
      headingDeg: heading,
      tiltDeg: 10 + rnd() * 20,
      hfovDeg: 40 + rnd() * 50,
      widthPx: fourMp ? 2560 : 1920,
      heightPx: fourMp ? 1440 : 1080,
      ptz,
      panRangeDeg: ptz ? 360 : 0,
      doriLevel: 'observation',
      healthy: rnd() < 0.95,
      networked: rnd() < 0.9,
      assumed: [],
    });
  }
  return out;
}

async function setup(): Promise<Setup> {
  const { city, source } = await loadCity();
  return { city, cameras: topUp(city, camerasFromDevices(city.devices)), source };
}

/** The seeded sequence of moves of cameras of one kind: camera, new position (±15 m) and heading. */
function moves(all: CameraSpec[], kind: CameraSpec['kind'], n: number): { id: string; x: number; y: number; heading: number }[] {
  const cameras = all.filter((c) => c.kind === kind);
  const rnd = mulberry32(kind === 'camera' ? 99 : 98);
  const out = [];
  for (let k = 0; k < n; k++) {
    const c = cameras[Math.floor(rnd() * cameras.length)];
    out.push({ id: c.id, x: c.xM + (rnd() - 0.5) * 30, y: c.yM + (rnd() - 0.5) * 30, heading: rnd() * 360 });
  }
  return out;
}

const ms = (t: number) => t.toFixed(t < 10 ? 3 : 1);
function stats(times: number[]) {
  const s = [...times].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  const std = Math.sqrt(s.reduce((a, b) => a + (b - mean) ** 2, 0) / s.length);
  return { min: s[0], median: q(0.5), p95: q(0.95), max: s[s.length - 1], mean, std };
}

// ------------------------------------------------------------------------------------ worker side

if (!isMainThread) {
  const { city, cameras } = await setup();
  const session = new CoverageSession(city, cameras, OPTIONS);
  parentPort!.on('message', (m: { id: string; x: number; y: number; heading: number } | null) => {
    if (m === null) {
      parentPort!.close();
      return;
    }
    const ch = session.moveCamera(m.id, m.x, m.y, { headingDeg: m.heading });
    parentPort!.postMessage({ changedAreas: ch.changedAreas, changedIntersections: ch.changedIntersections, indicators: ch.indicators });
  });
  parentPort!.postMessage('ready');
} else {
  await main();
}

async function workerRoundTrips(list: { id: string; x: number; y: number; heading: number }[]): Promise<{ times: number[]; startupMs: number }> {
  const url = import.meta.url;
  const code = `import('tsx/esm/api').then((m) => m.tsImport(${JSON.stringify(url)}, ${JSON.stringify(url)}))`;
  const t0 = performance.now();
  const w = new Worker(code, { eval: true, workerData: { quick: QUICK } });
  let pending: { resolve: (v: unknown) => void; reject: (e: unknown) => void } | null = null;
  w.on('message', (v) => pending?.resolve(v));
  w.on('error', (e) => pending?.reject(e));
  const next = () => new Promise<unknown>((resolve, reject) => (pending = { resolve, reject }));
  await next(); // ready
  const startupMs = performance.now() - t0;
  const times: number[] = [];
  for (const m of list) {
    const t = performance.now();
    w.postMessage(m);
    await next();
    times.push(performance.now() - t);
  }
  w.postMessage(null);
  await w.terminate();
  return { times, startupMs };
}

async function main(): Promise<void> {
  console.log(`machine: ${cpus()[0]?.model ?? 'unknown'} × ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}${QUICK ? ' (quick)' : ''}`);
  let t = performance.now();
  const { city, cameras, source } = await setup();
  const tCity = performance.now() - t;

  t = performance.now();
  const prisms = PrismIndex.fromBuildings(city.buildings);
  const tIndex = performance.now() - t;

  new CoverageSession(city, [], OPTIONS, prisms); // warm-up (JIT)
  const tSampling = Math.min(
    ...[0, 1].map(() => {
      const t0 = performance.now();
      new CoverageSession(city, [], OPTIONS, prisms);
      return performance.now() - t0;
    }),
  );
  const empty = new CoverageSession(city, [], OPTIONS, prisms);
  t = performance.now();
  for (const c of cameras) empty.addCamera(c);
  const tCameras = performance.now() - t;
  t = performance.now();
  const session = new CoverageSession(city, cameras, OPTIONS, prisms);
  const tFull = performance.now() - t;

  const kinds = { camera: cameras.filter((c) => c.kind === 'camera').length, epolice: cameras.filter((c) => c.kind === 'epolice').length };
  console.log(`city: ${source} (built in ${ms(tCity)} ms)`);
  console.log(`sizes: ${city.buildings.count} buildings, ${city.keyAreas.count} key areas, ${empty.samples.count} area samples (grid ${session.options.gridM} m), ${empty.stopLines.nodes.length} important intersections with ${empty.stopLines.count} stop-line lane points, ${cameras.length} cameras (${kinds.camera} surveillance, ${kinds.epolice} e-police)`);
  const ind = session.indicators();
  console.log(`indicators: ${Object.entries(ind).map(([k, v]) => `${k} ${v.value.toFixed(1)}% (${v.numerator}/${v.denominator})`).join(', ')}`);
  console.log('');
  console.log(`PrismIndex build                          ${ms(tIndex)} ms (${(prisms.data.byteLength / 2 ** 20).toFixed(1)} MiB buffer)`);
  console.log(`sampling (areas + stop lines, no camera)  ${ms(tSampling)} ms`);
  console.log(`all cameras on built samples             ${ms(tCameras)} ms (${ms((1000 * tCameras) / cameras.length)} µs per camera)`);
  console.log(`full coverage (samples + all cameras)     ${ms(tFull)} ms`);

  // --- what-if moves, in-thread
  const list = moves(cameras, 'camera', MOVES + 50);
  for (const m of list.slice(0, 50)) session.moveCamera(m.id, m.x, m.y, { headingDeg: m.heading }); // warm-up
  const times: number[] = [];
  let touched = 0;
  for (const m of list.slice(50)) {
    const t0 = performance.now();
    const ch = session.moveCamera(m.id, m.x, m.y, { headingDeg: m.heading });
    times.push(performance.now() - t0);
    touched += ch.changedSamples;
  }
  const mv = stats(times);
  console.log(`move one surveillance camera (in-thread, ${times.length})  median ${ms(mv.median)} ms, p95 ${ms(mv.p95)} ms, max ${ms(mv.max)} ms, mean ${ms(mv.mean)} ± ${ms(mv.std)} ms; ${(touched / times.length).toFixed(0)} sample counts changed per move`);
  const epList = moves(cameras, 'epolice', 250);
  const epTimes: number[] = [];
  for (const m of epList) {
    const t0 = performance.now();
    session.moveCamera(m.id, m.x, m.y, { headingDeg: m.heading });
    epTimes.push(performance.now() - t0);
  }
  if (epTimes.length) {
    const ep = stats(epTimes.slice(50));
    console.log(`move one e-police camera (in-thread, ${epTimes.length - 50})     median ${ms(ep.median)} ms, p95 ${ms(ep.p95)} ms, max ${ms(ep.max)} ms`);
  }
  const stateTimes: number[] = [];
  for (const m of list.slice(50, 250)) {
    const c = session.camera(m.id)!;
    const t0 = performance.now();
    session.setCameraState(m.id, { healthy: !c.healthy });
    stateTimes.push(performance.now() - t0);
  }
  console.log(`toggle health (no geometry, 200)          median ${ms(stats(stateTimes).median)} ms`);

  // --- peers for the what-if: recompute everything, or every camera on the built samples
  console.log(`peer: full recomputation per what-if      ${ms(tFull)} ms → incremental median is ${(tFull / mv.median).toFixed(0)}× faster`);
  console.log(`peer: every camera again (samples kept)   ${ms(tCameras)} ms → incremental median is ${(tCameras / mv.median).toFixed(0)}× faster`);

  // --- peer 2: occlusion with flatbush.search + per-prism test vs the allocation-free walk, for rays
  // from a camera to a ground point up to 60 m away (what coverage asks) and 60–600 m away (5G-like)
  for (const [lo, hi] of [[0, 60], [60, 600]]) occlusionPeer(prisms, cameras, lo, hi);

  // --- worker round trip
  const wt = await workerRoundTrips(list.slice(50, 50 + Math.min(MOVES, 500)));
  const w = stats(wt.times.slice(20));
  console.log(`move one camera (worker round trip, ${wt.times.length - 20} moves) median ${ms(w.median)} ms, p95 ${ms(w.p95)} ms, max ${ms(w.max)} ms (worker start + city + full coverage ${ms(wt.startupMs)} ms)`);
  const goal = 16;
  console.log(`goal < ${goal} ms per move in a worker: ${w.median < goal ? 'met' : 'NOT met'} (median ${ms(w.median)} ms, p95 ${ms(w.p95)} ms)`);
}

function occlusionPeer(prisms: PrismIndex, cameras: CameraSpec[], lo: number, hi: number): void {
  const rnd = mulberry32(5);
  const nRays = QUICK ? 50_000 : 300_000;
  const rays = new Float64Array(nRays * 6);
  for (let k = 0; k < nRays; k++) {
    const c = cameras[Math.floor(rnd() * cameras.length)];
    const ang = rnd() * 2 * Math.PI, r = lo + rnd() * (hi - lo);
    rays.set([c.xM, c.yM, c.heightM, c.xM + r * Math.cos(ang), c.yM + r * Math.sin(ang), 0], k * 6);
  }
  const tree = prisms.tree!;
  const viaSearch = (k: number) => {
    const o = k * 6;
    const ax = rays[o], ay = rays[o + 1], az = rays[o + 2], bx = rays[o + 3], by = rays[o + 4], bz = rays[o + 5];
    let hit = false;
    tree.search(Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by), (i) => {
      if (!hit && prisms.segmentBlockedBy(i, ax, ay, az, bx, by, bz)) hit = true;
      return false;
    });
    return hit;
  };
  const viaWalk = (k: number) => {
    const o = k * 6;
    return prisms.segmentBlocked(rays[o], rays[o + 1], rays[o + 2], rays[o + 3], rays[o + 4], rays[o + 5]);
  };
  let blockedA = 0, blockedB = 0;
  for (let k = 0; k < 5000; k++) viaWalk(k), viaSearch(k); // warm-up
  // Alternate the two, three rounds each, and keep each one's best round (the machine may be shared).
  let tWalk = Infinity, tSearch = Infinity;
  for (let round = 0; round < 3; round++) {
    blockedA = blockedB = 0;
    let t = performance.now();
    for (let k = 0; k < nRays; k++) if (viaSearch(k)) blockedB++;
    tSearch = Math.min(tSearch, performance.now() - t);
    t = performance.now();
    for (let k = 0; k < nRays; k++) if (viaWalk(k)) blockedA++;
    tWalk = Math.min(tWalk, performance.now() - t);
  }
  if (blockedA !== blockedB) throw new Error(`occlusion peers disagree: ${blockedA} vs ${blockedB} blocked rays`);
  const mrays = (n: number, tMs: number) => ((n / tMs) * 1000) / 1e6;
  console.log(`occlusion, ${nRays} rays camera → ground ${lo}–${hi} m (${((100 * blockedA) / nRays).toFixed(1)}% blocked, both agree)`);
  console.log(`  PrismIndex.segmentBlocked (walk)        ${mrays(nRays, tWalk).toFixed(2)} M rays/s`);
  console.log(`  peer: flatbush.search + per-prism test  ${mrays(nRays, tSearch).toFixed(2)} M rays/s → walk is ${(tSearch / tWalk).toFixed(1)}× faster`);
}
