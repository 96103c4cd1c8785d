/**
 * `cimtwin viewshed` against GRASS GIS `r.viewshed` on synthetic DSMs of our own: cell-by-cell
 * agreement and time, measured in the same run on the same machine.
 *
 *   npx tsx bench/viewshed-grass.bench.ts [--quick] [--keep]
 *
 * Needs GRASS GIS (grass-core) and GDAL: `scripts/install-peers.sh` (Debian 12). For every DSM
 * (two cities and rolling terrain at 1000×1000 1 m cells, a city at 2000×2000) and every observer
 * and radius it runs:
 *
 * - ours, core: `ViewshedEngine.compute` in this process on the DSM already in memory, after one
 *   warm-up run (min and mean of the repetitions);
 * - ours, CLI: the whole `node server/cli/cimtwin.mjs viewshed …` process, wall clock from spawn to
 *   exit: Node and tsx start-up, loading every CLI verb, reading the DSM GeoTIFF, computing, writing
 *   the GeoTIFF;
 * - ours, verb process: the same work in a process that loads only the viewshed verb
 *   (bench/viewshed/run-verb.ts), i.e. the CLI without the other verbs' start-up;
 * - r.viewshed: the `r.viewshed -b` process (no curvature, same observer and target heights, same
 *   radius, memory=2000 so it runs in memory), run directly with GISBASE/GISRC set, wall clock from
 *   spawn to exit: its start-up, reading the DSM from GRASS's own raster format, computing, writing
 *   GRASS's raster;
 * - GRASS end to end: r.in.gdal (GeoTIFF in) + r.viewshed + r.out.gdal (GeoTIFF out), each the
 *   same way; creating the GRASS location (once) is not included;
 * - fixed costs, per DSM: each process with a 1 m radius (start-up, reading, writing, no real work);
 *   "r.viewshed − its fixed cost" estimates r.viewshed's computing alone, to set against our core.
 *
 * The repetitions of r.viewshed and of our processes are interleaved so that other load on the
 * machine falls on both alike; the tables give the minimum (and mean ± std).
 *
 * Agreement is over the cells whose centre lies within the radius (the observer cell included);
 * disagreements are located (at the radius edge, next to no-data, elsewhere).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeGeoTiff, readGeoTiffRaster, type GeoTiffGeoref } from '../server/io/geotiff.ts';
import { RasterGrid, type Float32Raster } from '../sim-core/raster/raster.ts';
import { ViewshedEngine } from '../sim-core/raster/viewshed.ts';
import { cityDsm, terrainDsm, type SyntheticDsm } from './viewshed/dsm.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const keep = args.includes('--keep');
const REPS = quick ? 1 : 3;
const X0 = 500000; // EPSG:32650, west edge
const Y0 = 2500000; // north edge

function sh(cmd: string, argv: string[]): string | null {
  const r = spawnSync(cmd, argv, { encoding: 'utf8' });
  return r.status === 0 ? `${r.stdout}${r.stderr}`.trim() : null;
}

const grassVersion = sh('grass', ['--version'])?.split('\n')[0];
const gdalVersion = sh('gdalinfo', ['--version']);
if (!grassVersion || !gdalVersion) {
  console.error('viewshed-grass bench: needs GRASS GIS (grass) and GDAL (gdalinfo) on PATH; install them with scripts/install-peers.sh');
  process.exit(1);
}

interface Case {
  id: string;
  dsm: SyntheticDsm;
  col: number;
  row: number;
  observerHeightM: number;
  targetHeightM: number;
  radiusM: number;
}

const city1 = cityDsm('city-a', 11, 1000, [
  [0.5, 0.5],
  [0.25, 0.7],
]);
const city2 = cityDsm('city-b', 23, 1000, [[0.55, 0.45]]);
const hills = terrainDsm('terrain', 5, 1000, [
  [0.5, 0.5],
  [0.8, 0.2],
]);
const bigCity = cityDsm('city-2k', 37, 2000, [[0.5, 0.5]]);
const radii = quick ? [100, 500] : [100, 300, 500];
const cases: Case[] = [];
const add = (dsm: SyntheticDsm, o: number, radiusM: number, observerHeightM = 10, targetHeightM = 0) => {
  const [col, row] = dsm.observers[o]!;
  cases.push({ id: `${dsm.name}-o${o}-r${radiusM}${targetHeightM ? `-t${targetHeightM}` : ''}`, dsm, col, row, observerHeightM, targetHeightM, radiusM });
};
for (const r of radii) add(city1, 0, r);
for (const r of radii) add(city1, 1, r);
for (const r of radii) add(city2, 0, r);
add(city2, 0, 300, 1.7, 1.5); // a pedestrian looking for a pedestrian
for (const r of radii) add(hills, 0, r);
for (const r of radii) add(hills, 1, r, 2);
if (!quick) {
  add(bigCity, 0, 500);
  add(bigCity, 0, 1000);
}
const dsms = [...new Set(cases.map((c) => c.dsm))];

const work = mkdtempSync(join(tmpdir(), 'cimtwin-viewshed-bench-'));
const loadAtStart = loadavg()[0]!;
const georef: GeoTiffGeoref = {
  kind: 'geotiff',
  rasterType: 'area',
  modelTiepoint: [0, 0, 0, X0, Y0, 0],
  modelPixelScale: [1, 1, 0],
  geoKeyDirectory: [1, 1, 0, 3, 1024, 0, 1, 1, 1025, 0, 1, 1, 3072, 0, 1, 32650],
  epsg: 32650,
};
const loaded = new Map<SyntheticDsm, Float32Raster>();
for (const d of dsms) {
  const grid = new RasterGrid({ width: d.width, height: d.height, originX: X0, originY: Y0, pixelSizeX: 1, pixelSizeY: 1, georef });
  writeFileSync(join(work, `${d.name}.tif`), encodeGeoTiff({ grid, values: d.values }, { nodata: d.nodata }));
  loaded.set(d, await readGeoTiffRaster(join(work, `${d.name}.tif`)));
}
const xOf = (c: Case) => X0 + c.col + 0.5;
const yOf = (c: Case) => Y0 - c.row - 0.5;

// ---------------------------------------------------------------- GRASS database, modules run directly
// A location in EPSG:32650 created once; modules then run as plain processes with GISBASE/GISRC set
// (GRASS's documented way to run modules without an interactive session), so that r.viewshed and
// our CLI are timed the same way: spawned from here, wall clock from spawn to exit.
const gisbase = sh('grass', ['--config', 'path'])!.split('\n').pop()!.trim();
const gisdb = join(work, 'grassdb');
const s0 = performance.now();
const created = spawnSync('grass', ['-c', 'EPSG:32650', join(gisdb, 'loc'), '-e'], { encoding: 'utf8' });
const grassStartMs = performance.now() - s0;
if (created.status !== 0) throw new Error(`cannot create a GRASS location: ${created.stderr}`);
writeFileSync(join(work, 'gisrc'), `GISDBASE: ${gisdb}\nLOCATION_NAME: loc\nMAPSET: PERMANENT\nGUI: text\n`);
const grassEnv = {
  ...process.env,
  GISBASE: gisbase,
  GISRC: join(work, 'gisrc'),
  PATH: `${gisbase}/bin:${gisbase}/scripts:${process.env.PATH ?? ''}`,
  LD_LIBRARY_PATH: `${gisbase}/lib${process.env.LD_LIBRARY_PATH ? `:${process.env.LD_LIBRARY_PATH}` : ''}`,
};
/** Runs a GRASS module; returns its wall time in ms. */
function grass(module: string, argv: string[]): number {
  const t = performance.now();
  const r = spawnSync(join(gisbase, 'bin', module), argv, { encoding: 'utf8', env: grassEnv, cwd: work });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`${module} ${argv.join(' ')} failed: ${r.stderr}`);
  return ms;
}
/** Runs a process; returns its wall time in ms. */
function timed(argv: string[]): number {
  const t = performance.now();
  const r = spawnSync(process.execPath, argv, { encoding: 'utf8', cwd: root });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed: ${r.stderr}`);
  return ms;
}

interface Run {
  dsm: string;
  x: number;
  y: number;
  observerHeightM: number;
  targetHeightM: number;
  radiusM: number;
  out: string;
}
/** The three timed ways of computing one viewshed: r.viewshed, our verb process, our CLI. */
const runRViewshed = (r: Run) =>
  grass('r.viewshed', [
    '--quiet',
    '--overwrite',
    '-b',
    `input=${r.dsm}`,
    `output=${r.out}`,
    `coordinates=${r.x},${r.y}`,
    `observer_elevation=${r.observerHeightM}`,
    `target_elevation=${r.targetHeightM}`,
    `max_distance=${r.radiusM}`,
    'memory=2000',
  ]);
const runVerb = (r: Run) =>
  timed(['--import', 'tsx', join(here, 'viewshed/run-verb.ts'), join(work, `${r.dsm}.tif`), `${r.x},${r.y}`, String(r.observerHeightM), String(r.targetHeightM), String(r.radiusM), join(work, `${r.out}.tif`)]);
const runCli = (r: Run) =>
  timed([
    join(root, 'server/cli/cimtwin.mjs'),
    'viewshed',
    '--dsm',
    join(work, `${r.dsm}.tif`),
    `--observer=${r.x},${r.y}`,
    '--observer-height',
    String(r.observerHeightM),
    '--target-height',
    String(r.targetHeightM),
    '--radius',
    String(r.radiusM),
    '-o',
    join(work, `${r.out}.tif`),
  ]);

const stats = (v: number[]) => {
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
  return { min: Math.min(...v), mean, std };
};
const cliStart: number[] = [];
for (let i = 0; i < REPS; i++) cliStart.push(timed([join(root, 'server/cli/cimtwin.mjs'), '--help']));

interface Row {
  c: Case;
  core: number[];
  coreCold: number;
  lean: number[];
  cli: number[];
  rv: number[];
  e2e: number;
  cellsInRadius: number;
  visible: number;
  visibleGrass: number;
  agree: number;
  oursOnly: number;
  grassOnly: number;
  atEdge: number;
  nearNodata: number;
}
const rows: Row[] = [];
const importMs = new Map<SyntheticDsm, number>();
const fixedMs = new Map<SyntheticDsm, { rv: number; lean: number; cli: number }>();
for (const d of dsms) {
  const imp: number[] = [];
  for (let i = 0; i < REPS; i++) imp.push(grass('r.in.gdal', ['-o', '--quiet', '--overwrite', `input=${join(work, `${d.name}.tif`)}`, `output=${d.name}`]));
  importMs.set(d, stats(imp).min);
  grass('g.region', [`raster=${d.name}`]);
  // fixed costs: a 1 m radius leaves only start-up, reading the DSM and writing the output
  const [oc, or] = d.observers[0]!;
  const probe: Run = { dsm: d.name, x: X0 + oc + 0.5, y: Y0 - or - 0.5, observerHeightM: 10, targetHeightM: 0, radiusM: 1, out: 'fixed' };
  const fixed = { rv: [] as number[], lean: [] as number[], cli: [] as number[] };
  for (let i = 0; i < REPS; i++) {
    fixed.rv.push(runRViewshed(probe));
    fixed.lean.push(runVerb(probe));
    fixed.cli.push(runCli(probe));
  }
  fixedMs.set(d, { rv: stats(fixed.rv).min, lean: stats(fixed.lean).min, cli: stats(fixed.cli).min });
  for (const c of cases.filter((x) => x.dsm === d)) {
    const dsm = loaded.get(d)!;
    const options = { observerX: xOf(c), observerY: yOf(c), observerHeightM: c.observerHeightM, targetHeightM: c.targetHeightM, radiusM: c.radiusM };
    const engine = new ViewshedEngine();
    let t = performance.now();
    engine.compute(dsm, options);
    const coreCold = performance.now() - t;
    const core: number[] = [];
    const run: Run = { dsm: d.name, x: xOf(c), y: yOf(c), observerHeightM: c.observerHeightM, targetHeightM: c.targetHeightM, radiusM: c.radiusM, out: '' };
    const out = join(work, `ours_${c.id}.tif`);
    const map = `v_${c.id.replace(/-/g, '_')}`;
    const rv: number[] = [];
    const lean: number[] = [];
    const cli: number[] = [];
    // interleaved, so that other load on the machine falls on both alike
    for (let i = 0; i < REPS; i++) {
      rv.push(runRViewshed({ ...run, out: map }));
      cli.push(runCli({ ...run, out: `ours_${c.id}` }));
      lean.push(runVerb({ ...run, out: `ours_${c.id}` }));
      t = performance.now();
      engine.compute(dsm, options);
      core.push(performance.now() - t);
    }
    const exportMs = grass('r.out.gdal', ['--quiet', '--overwrite', '-c', '-f', `input=${map}`, `output=${join(work, `grass_${c.id}.tif`)}`, 'format=GTiff', 'type=Byte', 'nodata=255', 'createopt=COMPRESS=DEFLATE']);

    // cell by cell
    const ours = await readGeoTiffRaster(out);
    const theirs = await readGeoTiffRaster(join(work, `grass_${c.id}.tif`));
    if (!ours.grid.sameGeometry(dsm.grid) || !theirs.grid.sameGeometry(dsm.grid)) throw new Error(`${c.id}: outputs are not on the DSM grid`);
    const W = dsm.grid.width;
    const H = dsm.grid.height;
    let cellsInRadius = 0;
    let agree = 0;
    let oursOnly = 0;
    let grassOnly = 0;
    let visible = 0;
    let visibleGrass = 0;
    let atEdge = 0;
    let nearNodata = 0;
    const isNd = (cc: number, rr: number) => cc >= 0 && rr >= 0 && cc < W && rr < H && dsm.values[rr * W + cc] === dsm.nodata;
    for (let r = Math.max(0, c.row - c.radiusM); r <= Math.min(H - 1, c.row + c.radiusM); r++) {
      for (let cc = Math.max(0, c.col - c.radiusM); cc <= Math.min(W - 1, c.col + c.radiusM); cc++) {
        const dist = Math.hypot(cc - c.col, r - c.row);
        if (dist > c.radiusM) continue;
        cellsInRadius++;
        const i = r * W + cc;
        const a = ours.values[i]! > 0;
        const b = theirs.values[i]! > 0 && theirs.values[i] !== theirs.nodata;
        if (a) visible++;
        if (b) visibleGrass++;
        if (a === b) {
          agree++;
          continue;
        }
        if (a) oursOnly++;
        else grassOnly++;
        if (c.radiusM - dist < 1) atEdge++;
        else if ([-1, 0, 1].some((dr) => [-1, 0, 1].some((dc) => isNd(cc + dc, r + dr)))) nearNodata++;
      }
    }
    const e2e = importMs.get(d)! + stats(rv).min + exportMs;
    rows.push({ c, core, coreCold, lean, cli, rv, e2e, cellsInRadius, visible, visibleGrass, agree, oursOnly, grassOnly, atEdge, nearNodata });
    process.stderr.write(`${c.id} done\n`);
  }
}

// ---------------------------------------------------------------- report
const f0 = (x: number) => x.toFixed(0);
const f1 = (x: number) => x.toFixed(1);
console.log(`machine: ${cpus()[0]?.model ?? '?'} × ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; node ${process.version}; ${grassVersion}; ${gdalVersion}`);
console.log(`repetitions: ${REPS} (times are the minimum; mean ± std in the second table); observer heights above the DSM, no curvature`);
console.log(`load average (1 min) at start ${loadAtStart.toFixed(1)}, at end ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores: other work on the machine slows both sides`);
console.log(`CLI start-up alone (cimtwin --help, every verb loaded): min ${f0(stats(cliStart).min)} ms; creating the GRASS location: ${f0(grassStartMs)} ms (in no figure below)`);
for (const d of dsms) {
  const fx = fixedMs.get(d)!;
  console.log(
    `DSM ${d.name}: ${d.width}×${d.height} cells of 1 m, ${d.description}; r.in.gdal ${f0(importMs.get(d)!)} ms; ` +
      `fixed cost (radius 1 m): r.viewshed ${f0(fx.rv)} ms, our verb process ${f0(fx.lean)} ms, our CLI ${f0(fx.cli)} ms`,
  );
}
console.log('');
console.log('| case | DSM | observer (col,row) | obs/tgt h m | radius m | cells in radius | visible ours / r.viewshed | agreement % | ours only | r.viewshed only |');
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  const { c } = r;
  console.log(
    `| ${c.id} | ${c.dsm.name} ${c.dsm.width}² | ${c.col},${c.row} | ${c.observerHeightM}/${c.targetHeightM} | ${c.radiusM} | ${r.cellsInRadius} | ${r.visible} / ${r.visibleGrass} | ` +
      `${((100 * r.agree) / r.cellsInRadius).toFixed(4)} | ${r.oursOnly} | ${r.grassOnly} |`,
  );
}
const dis = rows.reduce((a, r) => a + r.oursOnly + r.grassOnly, 0);
const edge = rows.reduce((a, r) => a + r.atEdge, 0);
const nd = rows.reduce((a, r) => a + r.nearNodata, 0);
const totalCells = rows.reduce((a, r) => a + r.cellsInRadius, 0);
console.log(`\nall cases: ${totalCells} cells compared, ${dis} disagree (${edge} in the outermost metre of the radius, ${nd} next to no-data, ${dis - edge - nd} elsewhere); worst case ${Math.min(...rows.map((r) => (100 * r.agree) / r.cellsInRadius)).toFixed(4)} %`);
console.log('');
console.log(
  '| case | ours core ms | ours verb process ms | ours CLI ms | r.viewshed ms | r.viewshed − its fixed cost ms | GRASS e2e ms | r.viewshed / core | (r.viewshed − fixed) / core | r.viewshed / verb process | r.viewshed / CLI | GRASS e2e / CLI |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
const rvCompute = (r: Row) => Math.max(0, stats(r.rv).min - fixedMs.get(r.c.dsm)!.rv);
for (const r of rows) {
  const core = stats(r.core).min;
  const lean = stats(r.lean).min;
  const cli = stats(r.cli).min;
  const rv = stats(r.rv).min;
  console.log(
    `| ${r.c.id} | ${f1(core)} | ${f0(lean)} | ${f0(cli)} | ${f0(rv)} | ${f0(rvCompute(r))} | ${f0(r.e2e)} | ${f1(rv / core)}× | ${f1(rvCompute(r) / core)}× | ` +
      `${(rv / lean).toFixed(2)}× | ${(rv / cli).toFixed(2)}× | ${(r.e2e / cli).toFixed(2)}× |`,
  );
}
console.log('');
console.log('| case | core cold ms | core mean ± std | verb process mean ± std | CLI mean ± std | r.viewshed mean ± std |');
console.log('|---|---|---|---|---|---|');
for (const r of rows) {
  const s = (v: number[]) => `${f1(stats(v).mean)} ± ${f1(stats(v).std)}`;
  console.log(`| ${r.c.id} | ${f1(r.coreCold)} | ${s(r.core)} | ${s(r.lean)} | ${s(r.cli)} | ${s(r.rv)} |`);
}
const geoOf = (rs: Row[], f: (r: Row) => number) => Math.exp(rs.reduce((a, r) => a + Math.log(f(r)), 0) / rs.length);
const geo = (f: (r: Row) => number) => geoOf(rows, f);
console.log(
  `\ngeometric mean over cases: r.viewshed / core ${f1(geo((r) => stats(r.rv).min / stats(r.core).min))}×, ` +
    `(r.viewshed − fixed) / core ${f1(geoOf(rows.filter((r) => r.c.radiusM >= 300), (r) => Math.max(1e-3, rvCompute(r)) / stats(r.core).min))}× (radius ≥ 300 m only: ` +
    `below that r.viewshed's fixed cost swamps its computing), ` +
    `r.viewshed / verb process ${geo((r) => stats(r.rv).min / stats(r.lean).min).toFixed(2)}×, ` +
    `r.viewshed / CLI ${geo((r) => stats(r.rv).min / stats(r.cli).min).toFixed(2)}×, GRASS e2e / CLI ${geo((r) => r.e2e / stats(r.cli).min).toFixed(2)}×`,
);
if (keep) console.log(`\nfiles kept in ${work}`);
else rmSync(work, { recursive: true, force: true });
if (rows.some((r) => r.agree / r.cellsInRadius < 0.995)) {
  console.error('agreement below 99.5 % in at least one case');
  process.exitCode = 1;
}
