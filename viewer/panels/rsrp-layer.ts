/**
 * The 5G SS-RSRP raster and its coverage holes as a workbench layer: the pool job `nr5g-raster`
 * (sim-core/session/jobs.ts, split over the workbench's worker pool) for the healthy 5G cells of the
 * device list, drawn as one textured rectangle just above the city's ground plate (imagery on the globe
 * would lie under the plate), with a legend in dBm, progress and a cancel button. It recomputes
 * (debounced, cancelling the job before) when the 5G cells change while the layer is shown.
 */
import {
  Cartesian2,
  EllipsoidSurfaceAppearance,
  GeometryInstance,
  Material,
  Primitive,
  Rectangle,
  RectangleGeometry,
  type Scene,
} from 'cesium';
import type { City } from '../../sim-core/cim/types.ts';
import type { CellSpec } from '../../sim-core/coverage/cellular/cells.ts';
import { DEFAULT_NR5G_AREA_OPTIONS } from '../../sim-core/coverage/cellular/key-areas.ts';
import type { Nr5gRaster } from '../../sim-core/session/jobs.ts';
import { t } from '../i18n.ts';
import type { Disposable, WorkbenchContext } from '../workbench/context.ts';
import { ellipsoidalHeightM } from '../workbench/heights.ts';
import { el, fmt } from './dom.ts';
import { panelsHooks } from './hooks.ts';
import { HOLE_CSS, isHole, legendStops, rasterStats, rasterToRgba, type RasterLike, type RasterStats } from './ramp.ts';
import { gridIndexAt, gridRectangleDeg, healthyCells, rsrpCellM } from './rsrp-model.ts';
import { poolCityKey } from './shared.ts';

/** Height of the raster above the city's ground, m (over the ground plate, key areas and roads). */
const RASTER_HEIGHT_M = 1.0;
/** Triangle size of the raster's rectangle, radians (see `draw`). */
const RASTER_GRANULARITY_RAD = 0.0003;
/** Wait after the last 5G change before recomputing, ms. */
const DEBOUNCE_MS = 500;

/**
 * Resolves after the third frame in which the primitive is ready (its material's texture is made in the
 * first) and the globe's tiles are loaded.
 */
export function whenRendered(scene: Scene, primitive: Primitive): Promise<void> {
  return new Promise((resolve) => {
    let frames = 0;
    const off = scene.postRender.addEventListener(() => {
      if ((primitive as unknown as { ready: boolean }).ready && scene.globe.tilesLoaded) frames++;
      if (frames >= 3) {
        off();
        resolve();
      } else scene.requestRender();
    });
    scene.requestRender();
  });
}

/**
 * The raster as one Cesium primitive (not yet added to a scene): the {@link rasterToRgba} image on a
 * rectangle {@link RASTER_HEIGHT_M} above the city's ground, and the lon/lat rectangle it covers (degrees).
 * The workbench layer and the tour (viewer/tour/main.ts) both draw with it.
 */
export function rsrpRasterPrimitive(city: City, r: RasterLike, thresholdDbm: number): { primitive: Primitive; rectangle: { west: number; south: number; east: number; north: number } } {
  const { nx, ny } = r.grid;
  const canvas = document.createElement('canvas');
  canvas.width = nx;
  canvas.height = ny;
  const g2 = canvas.getContext('2d');
  if (!g2) throw new Error('no 2D canvas context for the RSRP image');
  const img = g2.createImageData(nx, ny);
  rasterToRgba(r, thresholdDbm, img.data);
  g2.putImageData(img, 0, 0);
  const rectangle = gridRectangleDeg(city, r.grid);
  // The canvas itself (not a data URL): Cesium makes the texture at the next frame instead of loading an
  // image asynchronously, which in request-render mode would not ask for a frame when it arrives.
  const material = Material.fromType('Image', { image: canvas, repeat: new Cartesian2(1, 1) });
  const primitive = new Primitive({
    geometryInstances: new GeometryInstance({
      geometry: new RectangleGeometry({
        rectangle: Rectangle.fromDegrees(rectangle.west, rectangle.south, rectangle.east, rectangle.north),
        height: ellipsoidalHeightM(city.origin, RASTER_HEIGHT_M),
        // Cesium's default (1°) makes two triangles whose chord sags metres under the ellipsoid in the
        // middle of a 15 km raster, below the city's ground plate; 0.0003 rad (~2 km) sags < 0.1 m.
        granularity: RASTER_GRANULARITY_RAD,
        vertexFormat: EllipsoidSurfaceAppearance.VERTEX_FORMAT,
      }),
    }),
    appearance: new EllipsoidSurfaceAppearance({ material, aboveGround: true, translucent: true }),
    asynchronous: false,
    allowPicking: false,
  });
  return { primitive, rectangle };
}

type Drawn = { nx: number; ny: number; active: number; holes: number; computeMs: number; jobs: number } | { error: string };

/** Mounts the layer (off until switched on). */
export function mountRsrpLayer(ctx: WorkbenchContext): Disposable {
  const scene = ctx.scene.widget.scene;
  const threshold = DEFAULT_NR5G_AREA_OPTIONS.rsrpThresholdDbm;
  const cellM = rsrpCellM(ctx.city);
  let visible = false;
  let primitive: Primitive | null = null;
  let drawnKey = '';
  let running: { key: string; ctl: AbortController } | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let stats: RasterStats | null = null;
  let rect: { west: number; south: number; east: number; north: number } | null = null;
  let lastError: string | null = null;
  let progress: { done: number; total: number } | null = null;
  let jobs = 0;
  let computeMs = 0;
  let grid: Nr5gRaster['grid'] | null = null;
  let raster: Nr5gRaster | null = null;
  let waiters: ((d: Drawn) => void)[] = [];
  let disposed = false;

  // ---- legend (over the 3D stage) ----
  const legend = el('section', { class: 'pn-legend', id: 'pn-rsrp-legend', 'aria-labelledby': 'pn-rsrp-title', hidden: true });
  (ctx.scene.widget.container.parentElement ?? document.body).append(legend);
  const renderLegend = () => {
    legend.hidden = !visible;
    if (!visible) return;
    const parts: Node[] = [el('h2', { id: 'pn-rsrp-title', text: t('panels.rsrp.legendTitle') })];
    const list = el('ol', { 'aria-label': t('panels.rsrp.rampLabel') });
    for (const s of legendStops(threshold)) list.append(el('li', {}, el('span', { class: 'pn-swatch', style: `background:${s.css}` }), t('panels.rsrp.atLeast', { dbm: fmt(s.dbm, 0) })));
    list.append(el('li', {}, el('span', { class: 'pn-swatch', style: `background:${HOLE_CSS}` }), t('panels.rsrp.hole', { dbm: fmt(threshold, 0) })));
    parts.push(list);
    const line = el('p', { role: 'status', 'aria-live': 'polite' });
    if (running) {
      line.textContent = progress ? t('panels.rsrp.computing', { percent: fmt((100 * progress.done) / Math.max(1, progress.total), 0) }) : t('panels.rsrp.starting');
      parts.push(line);
      if (progress) parts.push(el('progress', { max: progress.total, value: progress.done, 'aria-label': t('panels.rsrp.progressLabel') }));
      const cancel = el('button', { type: 'button', id: 'pn-rsrp-cancel', text: t('panels.rsrp.cancel') });
      cancel.addEventListener('click', () => running?.ctl.abort());
      parts.push(cancel);
    } else if (lastError) {
      line.className = 'pn-bad';
      line.textContent = lastError;
      parts.push(line);
    } else if (stats) {
      line.textContent = t('panels.rsrp.stats', { holes: fmt(stats.holes, 0), percent: fmt((100 * stats.holes) / Math.max(1, stats.active), 1), cellM });
      parts.push(line);
    }
    legend.replaceChildren(...parts);
  };

  const settle = (d: Drawn) => {
    const w = waiters;
    waiters = [];
    w.forEach((f) => f(d));
  };

  const draw = (r: Nr5gRaster) => {
    const made = rsrpRasterPrimitive(ctx.city, r, threshold);
    rect = made.rectangle;
    if (primitive) scene.primitives.remove(primitive);
    primitive = made.primitive;
    primitive.show = visible;
    scene.primitives.add(primitive);
    stats = rasterStats(r, threshold);
    grid = r.grid;
    raster = r;
  };

  const compute = async () => {
    if (!visible || disposed) return;
    let cells: CellSpec[];
    try {
      cells = healthyCells(ctx.city, ctx.devices());
    } catch (e) {
      lastError = (e as Error).message;
      renderLegend();
      settle({ error: lastError });
      return;
    }
    const key = JSON.stringify(cells);
    if (key === drawnKey && primitive) {
      primitive.show = true;
      ctx.requestRender();
      await whenRendered(scene, primitive);
      settle({ nx: grid!.nx, ny: grid!.ny, active: stats!.active, holes: stats!.holes, computeMs, jobs });
      return;
    }
    if (running?.key === key) return;
    running?.ctl.abort();
    const ctl = new AbortController();
    const me = { key, ctl };
    running = me;
    progress = null;
    lastError = null;
    renderLegend();
    const t0 = performance.now();
    try {
      const cityKey = await poolCityKey(ctx);
      const result = await ctx.pool.run('nr5g-raster', cityKey, { cellM, cells }, {
        signal: ctl.signal,
        onProgress: (p) => {
          if (running !== me) return;
          progress = { done: p.done, total: p.total };
          renderLegend();
        },
      });
      if (running !== me || disposed) return;
      jobs++;
      computeMs = performance.now() - t0;
      draw(result);
      drawnKey = key;
      running = null;
      renderLegend();
      ctx.requestRender();
      await whenRendered(scene, primitive!);
      settle({ nx: result.grid.nx, ny: result.grid.ny, active: stats!.active, holes: stats!.holes, computeMs, jobs });
    } catch (e) {
      if (running !== me) return; // replaced by a newer job
      running = null;
      const err = e as Error;
      lastError = err.name === 'AbortError' ? t('panels.rsrp.cancelled') : t('panels.rsrp.failed', { message: err.message });
      renderLegend();
      settle({ error: lastError });
    }
  };

  const setVisible = (v: boolean) => {
    visible = v;
    toggle.visible = v;
    if (primitive) primitive.show = v;
    if (!v && running) running.ctl.abort();
    renderLegend();
    ctx.requestRender();
    if (v) void compute();
  };
  const toggle = { id: 'rsrp', labelKey: 'panels.rsrp.layer', visible: false, setVisible };
  const offToggle = ctx.addLayerToggle(toggle);

  const onDevices = () => {
    if (!visible) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      void compute();
    }, DEBOUNCE_MS);
  };
  const offs = [ctx.on('devices', onDevices), ctx.on('language', renderLegend)];

  const hooks = panelsHooks();
  hooks.rsrp = {
    setVisible,
    drawn: () =>
      new Promise<Drawn>((resolve) => {
        if (!visible) return resolve({ error: 'the RSRP layer is hidden' });
        waiters.push(resolve);
        if (!running && !timer) void compute();
      }),
    rectangle: () => rect,
    sampleAt: (lonDeg, latDeg) => {
      if (!raster) return null;
      const i = gridIndexAt(ctx.city, raster.grid, lonDeg, latDeg);
      if (i < 0) return null;
      const dbm = raster.rsrpDbm[i]!;
      return { active: raster.active[i] === 1, hole: raster.active[i] === 1 && isHole(dbm, threshold), dbm: Number.isNaN(dbm) ? null : dbm };
    },
  };

  return {
    dispose() {
      disposed = true;
      running?.ctl.abort();
      if (timer) clearTimeout(timer);
      offs.forEach((off) => off());
      offToggle();
      if (primitive) scene.primitives.remove(primitive);
      legend.remove();
      delete hooks.rsrp;
    },
  };
}
