/**
 * Blind spots of the selected indicator as a workbench layer: the uncovered key-area samples (HD video),
 * the lane points of uncovered e-police approaches, or the 5G holes of the key areas, each a small flat
 * square on the ground, all in one batched Cesium primitive, when the view is close enough for them to be
 * {@link FINE_MIN_PX} pixels wide; farther away, the same points counted in coarser square cells
 * (blindspots-engine.ts `aggregateLevel`, one primitive per level), darker where more of a cell is blind,
 * the level chosen before each frame from the scale at the centre of the view (`levelForScale`). They are computed in a Web Worker of their
 * own (blindspots.worker.ts: the session's models on a copy of the city, following the device list
 * edit by edit), so the count equals the session's results. The indicator panel chooses the indicator
 * (shared.ts); the layer follows it and the device list (debounced) while shown.
 */
import {
  BoundingSphere,
  Cartesian2,
  Cartesian3,
  Color,
  Math as CesiumMath,
  ColorGeometryInstanceAttribute,
  ComponentDatatype,
  Geometry,
  GeometryAttribute,
  GeometryAttributes,
  GeometryInstance,
  PerInstanceColorAppearance,
  Primitive,
  PrimitiveType,
} from 'cesium';
import { wrap, transfer, type Remote } from 'comlink';
import { packCity } from '../../sim-core/cim/transfer.ts';
import { t } from '../i18n.ts';
import type { Disposable, WorkbenchContext } from '../workbench/context.ts';
import { blindSpotKindOf, COUNT_CLASS_BOUNDS, FINE_MIN_PX, levelForScale, type BlindSpotKind, type SquareMesh } from './blindspots-engine.ts';
import type { BlindSpotAnswer, BlindSpotWorkerApi } from './blindspots.worker.ts';
import { el, fmt } from './dom.ts';
import { panelsHooks } from './hooks.ts';
import { onSelectedRow, selectedRow } from './shared.ts';

/** Square colours by kind (RGBA bytes). */
export const BLIND_SPOT_COLORS: Record<BlindSpotKind, readonly [number, number, number, number]> = {
  video: [230, 85, 13, 210],
  epolice: [117, 40, 160, 220],
  nr5g: [200, 20, 60, 210],
};
/**
 * Darkening of the kind's colour by count class (class 0: fewest blind points in the cell). The cells are
 * opaque: a few pixels each, they must not fade into the ground.
 */
const CLASS_DARKEN = [0, 0.25, 0.45, 0.62] as const;
const CLASS_ALPHA = 255;

/** The colours of the aggregated cells of a kind, by count class (RGBA bytes). */
export function blindSpotClassColors(kind: BlindSpotKind): [number, number, number, number][] {
  const [r, g, b] = BLIND_SPOT_COLORS[kind];
  return CLASS_DARKEN.map((d) => [Math.round(r * (1 - d)), Math.round(g * (1 - d)), Math.round(b * (1 - d)), CLASS_ALPHA]);
}
const DEBOUNCE_MS = 400;

type Level = { cellM: number; cells: number; total: number; classCells: number[] };
type Drawn = { kind: string; count: number; approaches: number | null; squares: number; levels: Level[]; shownCellM: number | null } | { error: string };

function meshInstance(m: SquareMesh, rgba: readonly [number, number, number, number]): GeometryInstance {
  const attributes = new GeometryAttributes();
  attributes.position = new GeometryAttribute({ componentDatatype: ComponentDatatype.DOUBLE, componentsPerAttribute: 3, values: m.positionsM });
  const geometry = new Geometry({ attributes, indices: m.indices, primitiveType: PrimitiveType.TRIANGLES, boundingSphere: BoundingSphere.fromVertices(m.positionsM as unknown as number[]) });
  return new GeometryInstance({ geometry, attributes: { color: ColorGeometryInstanceAttribute.fromColor(Color.fromBytes(...rgba)) } });
}

/** One primitive of square meshes, each in its colour (meshes without squares left out; null when none has any). */
function squaresPrimitive(meshes: readonly { mesh: SquareMesh; rgba: readonly [number, number, number, number] }[]): Primitive | null {
  const instances = meshes.filter((m) => m.mesh.squares > 0).map((m) => meshInstance(m.mesh, m.rgba));
  if (!instances.length) return null;
  return new Primitive({
    geometryInstances: instances,
    appearance: new PerInstanceColorAppearance({ flat: true, translucent: meshes.some((m) => m.rgba[3] < 255) }),
    // A ready-made Geometry cannot go to Cesium's geometry workers.
    asynchronous: false,
    allowPicking: false,
  });
}

/** Mounts the layer (off until switched on). */
export function mountBlindSpotLayer(ctx: WorkbenchContext): Disposable {
  const scene = ctx.scene.widget.scene;
  let visible = false;
  let worker: Worker | null = null;
  let remote: Remote<BlindSpotWorkerApi> | null = null;
  let loaded: Promise<unknown> | null = null;
  /** The samples' squares, then one primitive per aggregation level (null where it has no squares). */
  let primitives: (Primitive | null)[] = [];
  /** What shows: −1 the samples, else the level's index (set before each frame). */
  let shownLevel = -1;
  let last: BlindSpotAnswer | null = null;
  let lastError: string | null = null;
  let busy = false;
  let again = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let waiters: ((d: Drawn) => void)[] = [];
  let disposed = false;

  const kind = (): BlindSpotKind => blindSpotKindOf(selectedRow(ctx)) ?? 'video';

  const legend = el('section', { class: 'pn-legend', id: 'pn-blind-legend', 'aria-labelledby': 'pn-blind-title', hidden: true });
  (ctx.scene.widget.container.parentElement ?? document.body).append(legend);
  const renderLegend = () => {
    legend.hidden = !visible;
    if (!visible) return;
    const k = kind();
    const c = BLIND_SPOT_COLORS[k];
    const line = el('p', { role: 'status', 'aria-live': 'polite', id: 'pn-blind-count' });
    if (busy) line.textContent = t('panels.blind.computing');
    else if (lastError) {
      line.className = 'pn-bad';
      line.textContent = lastError;
    } else if (last) {
      line.textContent = last.kind === 'epolice' ? t('panels.blind.countEpolice', { approaches: fmt(last.approaches ?? 0, 0), points: fmt(last.count, 0) }) : t(`panels.blind.count.${last.kind}`, { count: fmt(last.count, 0), cellM: last.cellM });
    }
    const parts: Node[] = [
      el('h2', { id: 'pn-blind-title', text: t('panels.blind.legendTitle') }),
      el('p', {}, el('span', { class: 'pn-swatch', style: `background:rgba(${c[0]}, ${c[1]}, ${c[2]}, ${c[3] / 255})` }), t(`panels.blind.kind.${k}`)),
      line,
    ];
    const level = last && shownLevel >= 0 ? last.levels[shownLevel] : undefined;
    if (level && last) {
      parts.push(el('p', { id: 'pn-blind-cells', text: t('panels.blind.cells', { cellM: fmt(level.cellM, 0) }) }));
      const list = el('ol', { 'aria-label': t('panels.blind.cellsLabel') });
      const colours = blindSpotClassColors(last.kind);
      const pct = (x: number) => fmt(100 * x, 0);
      colours.forEach((cc, i) => {
        const lo = COUNT_CLASS_BOUNDS[i - 1], hi = COUNT_CLASS_BOUNDS[i];
        const label = lo === undefined ? t('panels.blind.classBelow', { to: pct(hi!) }) : hi === undefined ? t('panels.blind.classFrom', { from: pct(lo) }) : t('panels.blind.classRange', { from: pct(lo), to: pct(hi) });
        list.append(el('li', {}, el('span', { class: 'pn-swatch', style: `background:rgba(${cc[0]}, ${cc[1]}, ${cc[2]}, ${cc[3] / 255})` }), label));
      });
      parts.push(list);
    }
    legend.replaceChildren(...parts);
  };

  const settle = (d: Drawn) => {
    const w = waiters;
    waiters = [];
    w.forEach((f) => f(d));
  };

  const ensureWorker = () => {
    if (!worker) {
      worker = new Worker(new URL('./blindspots.worker.ts', import.meta.url), { type: 'module', name: 'cimtwin-blindspots' });
      remote = wrap<BlindSpotWorkerApi>(worker);
      const packed = packCity(ctx.city) as ArrayBuffer;
      loaded = remote.load(transfer(packed, [packed]));
    }
    return loaded!;
  };

  // ---- level of detail ----
  const centre = new Cartesian2();
  const ground = new Cartesian3();
  /** Metres per pixel at the centre of the view (the ellipsoid under it; the camera's height when it looks past the ground). */
  const metresPerPixel = (): number => {
    const camera = scene.camera;
    const canvas = scene.canvas;
    centre.x = canvas.clientWidth / 2;
    centre.y = canvas.clientHeight / 2;
    const hit = camera.pickEllipsoid(centre, scene.globe.ellipsoid, ground);
    const distanceM = hit ? Cartesian3.distance(camera.positionWC, hit) : Math.max(1, camera.positionCartographic.height);
    // a CSS pixel of a perspective view at that distance: 2 · d · tan(fovy / 2) over the canvas height
    const fovy = (camera.frustum as { fovy?: number }).fovy ?? CesiumMath.PI_OVER_THREE;
    return (2 * distanceM * Math.tan(fovy / 2)) / Math.max(1, canvas.clientHeight);
  };
  const chooseLevel = (): number => (last ? levelForScale(metresPerPixel(), last.cellM, last.levels.map((l) => l.cellM)) : -1);
  const applyShown = () => {
    primitives.forEach((p, i) => {
      if (p) p.show = visible && i === shownLevel + 1;
    });
  };
  const offPreRender = scene.preRender.addEventListener(() => {
    if (!visible || !last) return;
    const next = chooseLevel();
    if (next === shownLevel) return;
    shownLevel = next;
    applyShown();
    renderLegend();
  });
  /** Resolves once every primitive of the layer is ready and a frame has drawn them. */
  const whenPrimitivesReady = () =>
    new Promise<void>((resolve) => {
      let frames = 0;
      const off = scene.postRender.addEventListener(() => {
        if (primitives.every((p) => !p || (p as unknown as { ready: boolean }).ready)) frames++;
        if (frames >= 2) {
          off();
          resolve();
        } else scene.requestRender();
      });
      scene.requestRender();
    });
  const drawnNow = (): Drawn =>
    last
      ? {
          kind: last.kind,
          count: last.count,
          approaches: last.approaches,
          squares: last.squares,
          levels: last.levels.map((l) => ({ cellM: l.cellM, cells: l.cells, total: l.total, classCells: l.classCells })),
          shownCellM: !visible ? null : shownLevel < 0 ? last.cellM : last.levels[shownLevel]!.cellM,
        }
      : { error: 'nothing drawn yet' };

  const compute = async (): Promise<void> => {
    if (!visible || disposed) return;
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    lastError = null;
    renderLegend();
    try {
      await ensureWorker();
      const k = kind();
      const answer = await remote!.blindSpots([...ctx.devices()], k);
      if (disposed) return;
      const next = [
        squaresPrimitive([{ mesh: { positionsM: answer.positionsM, indices: answer.indices, squares: answer.squares }, rgba: BLIND_SPOT_COLORS[answer.kind] }]),
        ...answer.levels.map((l) => squaresPrimitive(l.classes.map((mesh, i) => ({ mesh, rgba: blindSpotClassColors(answer.kind)[i]! })))),
      ];
      for (const p of primitives) if (p) scene.primitives.remove(p);
      primitives = next;
      last = answer;
      shownLevel = chooseLevel();
      for (const p of primitives) if (p) scene.primitives.add(p);
      applyShown();
    } catch (e) {
      lastError = t('panels.blind.failed', { message: (e as Error).message });
    } finally {
      busy = false;
    }
    if (again) {
      again = false;
      return compute();
    }
    renderLegend();
    ctx.requestRender();
    if (lastError) settle({ error: lastError });
    else if (last) {
      await whenPrimitivesReady();
      settle(drawnNow());
    }
  };

  const setVisible = (v: boolean) => {
    visible = v;
    toggle.visible = v;
    applyShown();
    renderLegend();
    ctx.requestRender();
    if (v) void compute();
  };
  const toggle = { id: 'blindspots', labelKey: 'panels.blind.layer', visible: false, setVisible };
  const offToggle = ctx.addLayerToggle(toggle);

  const schedule = () => {
    if (!visible) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      void compute();
    }, DEBOUNCE_MS);
  };
  const offs = [ctx.on('devices', schedule), ctx.on('language', renderLegend), onSelectedRow(ctx, () => (visible ? void compute() : undefined))];

  const hooks = panelsHooks();
  hooks.blindspots = {
    setVisible,
    drawn: () =>
      new Promise<Drawn>((resolve) => {
        if (!visible) return resolve({ error: 'the blind-spot layer is hidden' });
        waiters.push(resolve);
        if (!busy && !timer) void compute();
      }),
    shown: () => (last ? drawnNow() : { error: 'nothing drawn yet' }),
    colours: () => [[...BLIND_SPOT_COLORS[kind()]] as [number, number, number, number], ...blindSpotClassColors(kind())],
  };

  return {
    dispose() {
      disposed = true;
      if (timer) clearTimeout(timer);
      offs.forEach((off) => off());
      offToggle();
      offPreRender();
      for (const p of primitives) if (p) scene.primitives.remove(p);
      worker?.terminate();
      legend.remove();
      delete hooks.blindspots;
    },
  };
}
