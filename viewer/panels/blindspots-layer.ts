/**
 * Blind spots of the selected indicator as a workbench layer: the uncovered key-area samples (HD video),
 * the lane points of uncovered e-police approaches, or the 5G holes of the key areas, each a small flat
 * square on the ground, all in one batched Cesium primitive. They are computed in a Web Worker of their
 * own (blindspots.worker.ts: the session's models on a copy of the city, following the device list
 * edit by edit), so the count equals the session's results. The indicator panel chooses the indicator
 * (shared.ts); the layer follows it and the device list (debounced) while shown.
 */
import {
  BoundingSphere,
  Color,
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
import { blindSpotKindOf, type BlindSpotKind } from './blindspots-engine.ts';
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
const DEBOUNCE_MS = 400;

type Drawn = { kind: string; count: number; approaches: number | null; squares: number } | { error: string };

function squaresPrimitive(a: BlindSpotAnswer): Primitive {
  const attributes = new GeometryAttributes();
  attributes.position = new GeometryAttribute({ componentDatatype: ComponentDatatype.DOUBLE, componentsPerAttribute: 3, values: a.positionsM });
  const geometry = new Geometry({ attributes, indices: a.indices, primitiveType: PrimitiveType.TRIANGLES, boundingSphere: BoundingSphere.fromVertices(a.positionsM as unknown as number[]) });
  return new Primitive({
    geometryInstances: new GeometryInstance({ geometry, attributes: { color: ColorGeometryInstanceAttribute.fromColor(Color.fromBytes(...BLIND_SPOT_COLORS[a.kind])) } }),
    appearance: new PerInstanceColorAppearance({ flat: true, translucent: true }),
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
  let primitive: Primitive | null = null;
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
    legend.replaceChildren(
      el('h2', { id: 'pn-blind-title', text: t('panels.blind.legendTitle') }),
      el('p', {}, el('span', { class: 'pn-swatch', style: `background:rgba(${c[0]}, ${c[1]}, ${c[2]}, ${c[3] / 255})` }), t(`panels.blind.kind.${k}`)),
      line,
    );
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
      const next = answer.squares > 0 ? squaresPrimitive(answer) : null;
      if (primitive) scene.primitives.remove(primitive);
      primitive = next;
      if (primitive) {
        primitive.show = visible;
        scene.primitives.add(primitive);
      }
      last = answer;
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
    settle(lastError ? { error: lastError } : { kind: last!.kind, count: last!.count, approaches: last!.approaches, squares: last!.squares });
  };

  const setVisible = (v: boolean) => {
    visible = v;
    toggle.visible = v;
    if (primitive) primitive.show = v;
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
  };

  return {
    dispose() {
      disposed = true;
      if (timer) clearTimeout(timer);
      offs.forEach((off) => off());
      offToggle();
      if (primitive) scene.primitives.remove(primitive);
      worker?.terminate();
      legend.remove();
      delete hooks.blindspots;
    },
  };
}
