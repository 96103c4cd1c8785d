/**
 * Placing and editing devices with the mouse and the keyboard: the tool palette (select, camera,
 * e-police camera, 5G cell, weather station, signal controller), placing by a click on the ground, on a
 * rooftop (the tileset's building: mounted at roof height) or on a pole (its height), selecting, dragging
 * a device to move it (pickers first, then Cesium; transient changes while dragging, one undoable step at
 * the end), heading and tilt handles (a picker reports a 'handle' hit), Delete, arrow keys, and the
 * camera's visible ground drawn on the terrain during a drag.
 */
import {
  BoundingSphere,
  Cartesian2,
  Cartesian3,
  Cartographic,
  Cesium3DTileFeature,
  Color,
  ColorGeometryInstanceAttribute,
  ComponentDatatype,
  Geometry,
  GeometryAttribute,
  GeometryAttributes,
  GeometryInstance,
  Math as CesiumMath,
  PerInstanceColorAppearance,
  Primitive,
  PrimitiveType,
} from 'cesium';
import { LocalFrame } from '../../sim-core/cim/frame.ts';
import { simulatedDevicesOf, type DeviceFeature } from '../../sim-core/cim/device-features.ts';
import { PrismIndex } from '../../sim-core/spatial/prism-index.ts';
import { t } from '../i18n.ts';
import { VISIBLE_GROUND_COLOR } from './colours.ts';
import { ellipsoidalHeightM } from './heights.ts';
import type { PickHit } from './context.ts';
import type { LiveLayers } from './live-layers.ts';
import type { Shell } from './shell.ts';
import type { Workbench } from './state.ts';
import { VisibleGround, type VisibleRuns } from './visible-ground.ts';

/** The tools of the palette. */
export const TOOLS = ['select', 'camera', 'epolice', 'cell5g', 'weather', 'signal'] as const;
export type Tool = (typeof TOOLS)[number];

/** Mounting height above the ground by device type when placed on the ground, m. */
export const GROUND_MOUNT_M: Record<Exclude<Tool, 'select'>, number> = { camera: 6, epolice: 6.5, cell5g: 25, weather: 10, signal: 1.5 };
/** Mast above a roof by device type, m. */
export const ROOF_MAST_M: Record<Exclude<Tool, 'select'>, number> = { camera: 1, epolice: 1, cell5g: 4, weather: 2, signal: 1 };

/** What a position under the cursor stands on. */
export interface Footing {
  lonDeg: number;
  latDeg: number;
  on: 'ground' | 'roof' | 'pole';
  /** Roof height (roof) or pole height (pole), m above the ground; 0 on the ground. */
  baseM: number;
  /** The pole's id when on a pole. */
  poleId?: string;
}

/** The interaction layer's handles (for the page and its hooks). */
export interface Interaction {
  tool(): Tool;
  setTool(tool: Tool): void;
  /** Places a device of `type` at a footing, as a click with that tool does; resolves with its id. */
  place(type: Exclude<Tool, 'select'>, footing: Footing, extra?: Record<string, unknown>): Promise<string>;
  /** What stands under a window position (CSS px from the canvas' top-left). */
  footingAt(x: number, y: number): Footing | null;
  /** Drag handlers by window position (canvas px), the same code the pointer events run. */
  dragStart(id: string, mode: 'move' | 'heading' | 'tilt', x: number, y: number): void;
  dragMove(x: number, y: number): void;
  dragEnd(): Promise<void>;
  /** The visible ground drawn now (null when none): runs and cells seen. */
  visibleGround(): { runs: number; cellsSeen: number; rangeM: number; cellM: number; updates: number } | null;
  dispose(): void;
}

let idCounter = 0;
/** A new device id: type prefix, time and a counter (unique within a page and across saves). */
export function newDeviceId(type: string): string {
  idCounter++;
  return `wb-${type}-${Date.now().toString(36)}-${idCounter}`;
}

/** Camera models the palette offers for the camera tool (ledger attributes; `model` as ledgers name it). */
export const CAMERA_MODELS = {
  bullet2mp: { model: '200万像素枪机 4mm', resolutionPx: [1920, 1080], hfovDeg: 60, ptz: false, tiltDeg: 15 },
  bullet8mp: { model: '800万像素枪机 12mm', resolutionPx: [3840, 2160], hfovDeg: 29, ptz: false, tiltDeg: 12 },
  dome8mp: { model: '800万像素球机', resolutionPx: [3840, 2160], hfovDeg: 60, ptz: true, panRangeDeg: 360, tiltDeg: 20 },
} as const;
export type CameraModel = keyof typeof CAMERA_MODELS;

/** The properties of a newly placed device (the ledger attributes the coverage models read). */
export function newDeviceProperties(type: Exclude<Tool, 'select'>, heightM: number, headingDeg: number, name: string, cameraModel: CameraModel = 'bullet2mp'): Record<string, unknown> {
  const base = { deviceType: type, heightM, healthy: true, networked: true, name };
  switch (type) {
    case 'camera': {
      const m = CAMERA_MODELS[cameraModel];
      return { ...base, headingDeg, ...m, resolutionPx: [...m.resolutionPx], doriLevel: 'observation' };
    }
    case 'epolice':
      return { ...base, headingDeg, tiltDeg: 12, hfovDeg: 30, resolutionPx: [2448, 2048], ptz: false, doriLevel: 'recognition' };
    case 'cell5g':
      return { ...base, headingDeg, tiltDeg: 6, nrBand: 'n78', bandwidthMHz: 100, txPowerDbm: 53, antennaGainDbi: 17 };
    case 'weather':
      return base;
    case 'signal':
      return { ...base, realTimeTiming: false };
  }
}

/** Creates the palette and the pointer and keyboard handling. */
export function createInteraction(ctx: Workbench, shell: Shell, layers: LiveLayers): Interaction {
  const widget = ctx.scene.widget;
  const scene = widget.scene;
  const canvas = scene.canvas;
  const frame = new LocalFrame(ctx.city.origin);
  const scratchLocal = [0, 0];
  const scratchLngLat = [0, 0];
  let current: Tool = 'select';

  // ---- palette ----
  const palette = document.getElementById('wb-tools')!;
  const buttons = new Map<Tool, HTMLButtonElement>();
  TOOLS.forEach((tool, k) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.id = `wb-tool-${tool}`;
    b.dataset.i18n = `workbench.tools.${tool}`;
    b.textContent = t(`workbench.tools.${tool}`);
    b.title = t('workbench.tools.shortcut', { key: String(k + 1) });
    b.setAttribute('aria-pressed', String(tool === current));
    b.addEventListener('click', () => setTool(tool));
    palette.append(b);
    buttons.set(tool, b);
  });
  const modelSelect = document.createElement('select');
  modelSelect.id = 'wb-camera-model';
  const modelLabel = document.createElement('label');
  modelLabel.htmlFor = modelSelect.id;
  modelLabel.className = 'wb-visually-hidden';
  const renderModels = () => {
    modelLabel.textContent = t('workbench.tools.cameraModel');
    modelSelect.title = t('workbench.tools.cameraModel');
    const value = modelSelect.value || 'bullet2mp';
    modelSelect.replaceChildren(
      ...(Object.keys(CAMERA_MODELS) as CameraModel[]).map((m) => {
        const o = document.createElement('option');
        o.value = m;
        o.textContent = t(`workbench.cameraModels.${m}`);
        return o;
      }),
    );
    modelSelect.value = value;
  };
  renderModels();
  palette.append(modelLabel, modelSelect);
  ctx.on('language', renderModels);
  function setTool(tool: Tool): void {
    current = tool;
    for (const [k, b] of buttons) b.setAttribute('aria-pressed', String(k === tool));
    canvas.style.cursor = tool === 'select' ? '' : 'crosshair';
  }
  ctx.on('language', () => TOOLS.forEach((tool, k) => (buttons.get(tool)!.title = t('workbench.tools.shortcut', { key: String(k + 1) }))));

  // ---- what is under the cursor ----
  const canvasPos = new Cartesian2();
  const groundAt = (x: number, y: number): Cartographic | null => {
    canvasPos.x = x;
    canvasPos.y = y;
    const ray = widget.camera.getPickRay(canvasPos);
    if (!ray) return null;
    const p = scene.globe.pick(ray, scene);
    return p ? Cartographic.fromCartesian(p) : null;
  };
  const askPickers = (x: number, y: number): PickHit | null => {
    for (let k = ctx.pickers.length - 1; k >= 0; k--) {
      const hit = ctx.pickers[k]!(x, y);
      if (hit) return hit;
    }
    return null;
  };
  /** A device hit at a window position: pickers first, then Cesium's own pick of the device points. */
  const deviceAt = (x: number, y: number): PickHit | null => {
    const hit = askPickers(x, y);
    if (hit) return hit;
    canvasPos.x = x;
    canvasPos.y = y;
    const id = layers.deviceOfPick(scene.pick(canvasPos, 6, 6));
    return id ? { kind: 'device', id } : null;
  };
  function footingAt(x: number, y: number): Footing | null {
    const hit = askPickers(x, y);
    const poleOf = (id: string): Footing | null => {
      const d = ctx.device(id);
      if (!d || d.properties.deviceType !== 'pole') return null;
      return { lonDeg: d.geometry.coordinates[0]!, latDeg: d.geometry.coordinates[1]!, on: 'pole', baseM: Number(d.properties.heightM) || 0, poleId: id };
    };
    if (hit?.kind === 'device') {
      const pole = poleOf(hit.id);
      if (pole) return pole;
    }
    canvasPos.x = x;
    canvasPos.y = y;
    const picked = scene.pick(canvasPos);
    const dev = layers.deviceOfPick(picked);
    if (dev) {
      const pole = poleOf(dev);
      if (pole) return pole;
    }
    if (picked instanceof Cesium3DTileFeature) {
      const roofM = Number(picked.getProperty('roofM'));
      if (scene.pickPositionSupported) {
        const p = scene.pickPosition(canvasPos);
        if (p && Number.isFinite(roofM)) {
          const c = Cartographic.fromCartesian(p);
          return { lonDeg: CesiumMath.toDegrees(c.longitude), latDeg: CesiumMath.toDegrees(c.latitude), on: 'roof', baseM: roofM };
        }
      }
    }
    const g = groundAt(x, y);
    return g ? { lonDeg: CesiumMath.toDegrees(g.longitude), latDeg: CesiumMath.toDegrees(g.latitude), on: 'ground', baseM: 0 } : null;
  }

  // ---- placing ----
  async function place(type: Exclude<Tool, 'select'>, f: Footing, extra: Record<string, unknown> = {}): Promise<string> {
    const id = newDeviceId(type);
    const heightM = f.on === 'ground' ? GROUND_MOUNT_M[type] : f.on === 'roof' ? f.baseM + ROOF_MAST_M[type] : f.baseM;
    // Face away from the viewer: the way the 3D camera looks.
    const headingDeg = Math.round(((CesiumMath.toDegrees(widget.camera.heading) % 360) + 360) % 360);
    const name = t('workbench.newDeviceName', { type: t(`workbench.tools.${type}`) });
    const properties = { ...newDeviceProperties(type, Math.round(heightM * 10) / 10, headingDeg, name, modelSelect.value as CameraModel), ...(f.poleId ? { poleId: f.poleId } : {}), ...extra };
    const feature: DeviceFeature = { type: 'Feature', id, geometry: { type: 'Point', coordinates: [f.lonDeg, f.latDeg] }, properties };
    await ctx.apply({ op: 'add', feature }, 'workbench.history.place');
    ctx.select(id);
    return id;
  }

  // ---- dragging ----
  let drag: { id: string; mode: 'move' | 'heading' | 'tilt'; startY: number; startTiltDeg: number; last: { x: number; y: number } | null; queued: boolean } | null = null;
  let dragFrame = 0;
  function dragStart(id: string, mode: 'move' | 'heading' | 'tilt', _x: number, y: number): void {
    const d = ctx.device(id);
    if (!d) return;
    drag = { id, mode, startY: y, startTiltDeg: Number(d.properties.tiltDeg ?? 0) || 0, last: null, queued: false };
    scene.screenSpaceCameraController.enableInputs = false;
    ctx.select(id);
    ctx.setDragging({ id, mode });
    updateVisibleGround();
  }
  /** The change a drag to (x, y) makes, or null when nothing is under the cursor. */
  function dragChange(x: number, y: number) {
    if (!drag) return null;
    const d = ctx.device(drag.id);
    if (!d) return null;
    if (drag.mode === 'tilt') {
      const tiltDeg = Math.max(-30, Math.min(89, Math.round((drag.startTiltDeg + (y - drag.startY) * 0.25) * 10) / 10));
      return { op: 'update' as const, id: drag.id, properties: { tiltDeg } };
    }
    const g = groundAt(x, y);
    if (!g) return null;
    const lon = CesiumMath.toDegrees(g.longitude), lat = CesiumMath.toDegrees(g.latitude);
    if (drag.mode === 'move') return { op: 'update' as const, id: drag.id, lonLatDeg: [lon, lat] as [number, number] };
    // heading: from the device to the ground point under the cursor, clockwise from north
    frame.toLocal(d.geometry.coordinates[0]!, d.geometry.coordinates[1]!, scratchLocal);
    const dx0 = scratchLocal[0]!, dy0 = scratchLocal[1]!;
    frame.toLocal(lon, lat, scratchLocal);
    const headingDeg = Math.round((((Math.atan2(scratchLocal[0]! - dx0, scratchLocal[1]! - dy0) * 180) / Math.PI + 360) % 360) * 10) / 10;
    return { op: 'update' as const, id: drag.id, properties: { headingDeg } };
  }
  function dragMove(x: number, y: number): void {
    if (!drag) return;
    drag.last = { x, y };
    if (drag.queued) return;
    drag.queued = true;
    // At most one change per animation frame; the session client coalesces what it cannot keep up with.
    dragFrame = requestAnimationFrame(() => {
      if (!drag) return;
      drag.queued = false;
      const c = drag.last && dragChange(drag.last.x, drag.last.y);
      if (!c) return;
      ctx.apply(c, 'workbench.history.drag', { transient: true }).catch((e: unknown) => shell.message(t('workbench.changeFailed', { message: (e as Error).message }), true));
      updateVisibleGround();
    });
  }
  async function dragEnd(): Promise<void> {
    if (!drag) return;
    const d = drag;
    cancelAnimationFrame(dragFrame);
    const c = d.last ? dragChange(d.last.x, d.last.y) : null;
    drag = null;
    scene.screenSpaceCameraController.enableInputs = true;
    const label = d.mode === 'move' ? 'workbench.history.move' : d.mode === 'heading' ? 'workbench.history.heading' : 'workbench.history.tilt';
    try {
      // The final state once more, recorded: one undoable step for the whole drag.
      const f = ctx.device(d.id);
      if (c) await ctx.apply(c, label);
      else if (f && d.last) await ctx.apply({ op: 'update', id: d.id, lonLatDeg: [f.geometry.coordinates[0]!, f.geometry.coordinates[1]!], properties: { headingDeg: f.properties.headingDeg ?? null, tiltDeg: f.properties.tiltDeg ?? null } }, label);
    } catch (e) {
      shell.message(t('workbench.changeFailed', { message: (e as Error).message }), true);
    } finally {
      ctx.setDragging(null);
      clearVisibleGround();
    }
  }

  // ---- visible ground of the camera being dragged ----
  let prisms: PrismIndex | null = null;
  let visible: VisibleGround | null = null;
  let groundPrimitive: Primitive | null = null;
  let lastRuns: { runs: number; cellsSeen: number; rangeM: number; cellM: number; updates: number } | null = null;
  let updates = 0;
  const groundColor = Color.fromBytes(...VISIBLE_GROUND_COLOR);
  function updateVisibleGround(): void {
    const id = drag?.id;
    const f = id ? ctx.device(id) : undefined;
    const type = f?.properties.deviceType;
    if (!f || (type !== 'camera' && type !== 'epolice')) return;
    let spec;
    try {
      spec = simulatedDevicesOf(ctx.city, [f]).get(f.id);
    } catch {
      return;
    }
    if (!spec || spec.kind !== 'camera') return;
    prisms ??= PrismIndex.fromBuildings(ctx.city.buildings);
    visible ??= new VisibleGround(prisms, 1);
    const runs = visible.compute(spec.spec, 'preset');
    drawRuns(runs);
    updates++;
    lastRuns = { runs: runs.count, cellsSeen: runs.cellsSeen, rangeM: runs.rangeM, cellM: runs.cellM, updates };
  }
  function drawRuns(r: VisibleRuns): void {
    if (groundPrimitive) scene.primitives.remove(groundPrimitive);
    groundPrimitive = null;
    if (r.count === 0) return ctx.requestRender();
    const positions = new Float64Array(r.count * 12);
    const indices = new Uint32Array(r.count * 6);
    const half = r.cellM / 2;
    const groundTopM = ellipsoidalHeightM(ctx.city.origin, 0.5);
    const p = new Cartesian3();
    for (let k = 0; k < r.count; k++) {
      const xs = [r.x0M[k]!, r.x1M[k]!, r.x1M[k]!, r.x0M[k]!];
      const ys = [r.yM[k]! - half, r.yM[k]! - half, r.yM[k]! + half, r.yM[k]! + half];
      for (let v = 0; v < 4; v++) {
        frame.toLngLat(xs[v]!, ys[v]!, scratchLngLat);
        Cartesian3.fromDegrees(scratchLngLat[0]!, scratchLngLat[1]!, groundTopM, undefined, p);
        positions[k * 12 + v * 3] = p.x;
        positions[k * 12 + v * 3 + 1] = p.y;
        positions[k * 12 + v * 3 + 2] = p.z;
      }
      indices.set([k * 4, k * 4 + 1, k * 4 + 2, k * 4, k * 4 + 2, k * 4 + 3], k * 6);
    }
    const attributes = new GeometryAttributes();
    attributes.position = new GeometryAttribute({ componentDatatype: ComponentDatatype.DOUBLE, componentsPerAttribute: 3, values: positions });
    const geometry = new Geometry({ attributes, indices, primitiveType: PrimitiveType.TRIANGLES, boundingSphere: BoundingSphere.fromVertices(positions as unknown as number[]) });
    groundPrimitive = new Primitive({
      geometryInstances: new GeometryInstance({ geometry, attributes: { color: ColorGeometryInstanceAttribute.fromColor(groundColor) } }),
      appearance: new PerInstanceColorAppearance({ flat: true, translucent: true }),
      asynchronous: false,
      allowPicking: false,
    });
    scene.primitives.add(groundPrimitive);
    ctx.requestRender();
  }
  function clearVisibleGround(): void {
    if (groundPrimitive) scene.primitives.remove(groundPrimitive);
    groundPrimitive = null;
    ctx.requestRender();
  }

  // ---- pointer events ----
  let press: { x: number; y: number; hit: PickHit | null; moved: boolean; pointerId: number } | null = null;
  const local = (e: PointerEvent) => {
    const rect = canvas.getBoundingClientRect();
    return { x: e.clientX - rect.left, y: e.clientY - rect.top };
  };
  const onDown = (e: PointerEvent) => {
    if (e.button !== 0) return;
    const { x, y } = local(e);
    const hit = current === 'select' ? deviceAt(x, y) : null;
    press = { x, y, hit, moved: false, pointerId: e.pointerId };
    if (hit && (hit.kind === 'device' || hit.kind === 'handle') && ctx.device(hit.id)) {
      // Keep Cesium's camera still: this press belongs to the device.
      scene.screenSpaceCameraController.enableInputs = false;
    }
  };
  const onMove = (e: PointerEvent) => {
    if (!press || e.pointerId !== press.pointerId) return;
    const { x, y } = local(e);
    if (!press.moved && Math.hypot(x - press.x, y - press.y) < 4) return;
    if (!press.moved) {
      press.moved = true;
      const hit = press.hit;
      if (hit && ctx.device(hit.id)) {
        const mode = hit.kind === 'handle' ? (hit.handle === 'tilt' ? 'tilt' : 'heading') : 'move';
        canvas.setPointerCapture?.(e.pointerId);
        dragStart(hit.id, mode, press.x, press.y);
      }
    }
    if (drag) dragMove(x, y);
  };
  const onUp = (e: PointerEvent) => {
    if (!press || e.pointerId !== press.pointerId) return;
    const p = press;
    press = null;
    scene.screenSpaceCameraController.enableInputs = true;
    if (drag) {
      const { x, y } = local(e);
      drag.last = { x, y };
      void dragEnd();
      return;
    }
    if (p.moved) return; // the 3D camera was moved
    if (current === 'select') {
      if (p.hit?.kind === 'proposal') {
        // a ghost: the proposal is picked (its panel selects it); no device is selected
        ctx.select(null);
        ctx.pickProposal(p.hit.id);
        return;
      }
      ctx.select(p.hit ? p.hit.id : null);
      return;
    }
    const f = footingAt(p.x, p.y);
    if (!f) return shell.message(t('workbench.placeNothing'), true);
    place(current, f).catch((err: unknown) => shell.message(t('workbench.changeFailed', { message: (err as Error).message }), true));
  };
  canvas.addEventListener('pointerdown', onDown, true);
  window.addEventListener('pointermove', onMove, true);
  window.addEventListener('pointerup', onUp, true);

  // ---- keyboard ----
  const onKey = (e: KeyboardEvent) => {
    const target = e.target as HTMLElement | null;
    if (target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT' || target.isContentEditable)) return;
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const k = Number(e.key);
    if (Number.isInteger(k) && k >= 1 && k <= TOOLS.length) {
      setTool(TOOLS[k - 1]!);
      e.preventDefault();
      return;
    }
    if (e.key === 'Escape') {
      setTool('select');
      ctx.select(null);
      return;
    }
    const sel = ctx.selection();
    if (!sel) {
      if (e.key === 'Enter' && current !== 'select' && target === document.body) {
        // Place at the middle of the view.
        const f = footingAt(canvas.clientWidth / 2, canvas.clientHeight / 2);
        if (f) void place(current, f).catch((err: unknown) => shell.message(t('workbench.changeFailed', { message: (err as Error).message }), true));
      }
      return;
    }
    const d = ctx.device(sel);
    if (!d) return;
    const fail = (err: unknown) => shell.message(t('workbench.changeFailed', { message: (err as Error).message }), true);
    if (e.key === 'Delete' || e.key === 'Backspace') {
      e.preventDefault();
      void ctx.apply({ op: 'remove', id: sel }, 'workbench.history.remove').catch(fail);
      return;
    }
    const stepM = e.shiftKey ? 10 : 1;
    const move: Record<string, [number, number]> = { ArrowUp: [0, stepM], ArrowDown: [0, -stepM], ArrowLeft: [-stepM, 0], ArrowRight: [stepM, 0] };
    const m = move[e.key];
    if (m && target === document.body) {
      e.preventDefault();
      frame.toLocal(d.geometry.coordinates[0]!, d.geometry.coordinates[1]!, scratchLocal);
      frame.toLngLat(scratchLocal[0]! + m[0], scratchLocal[1]! + m[1], scratchLngLat);
      void ctx.apply({ op: 'update', id: sel, lonLatDeg: [scratchLngLat[0]!, scratchLngLat[1]!] }, 'workbench.history.move').catch(fail);
      return;
    }
    if (e.key === '[' || e.key === ']') {
      const h = Number(d.properties.headingDeg ?? 0) || 0;
      const headingDeg = (((h + (e.key === ']' ? 5 : -5)) % 360) + 360) % 360;
      void ctx.apply({ op: 'update', id: sel, properties: { headingDeg } }, 'workbench.history.heading').catch(fail);
    }
  };
  document.addEventListener('keydown', onKey);

  return {
    tool: () => current,
    setTool,
    place,
    footingAt,
    dragStart,
    dragMove,
    dragEnd,
    visibleGround: () => lastRuns,
    dispose() {
      canvas.removeEventListener('pointerdown', onDown, true);
      window.removeEventListener('pointermove', onMove, true);
      window.removeEventListener('pointerup', onUp, true);
      document.removeEventListener('keydown', onKey);
      clearVisibleGround();
    },
  };
}
