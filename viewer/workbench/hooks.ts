/**
 * `window.__cimtwin.workbench`: what browser tests (and the mounts' own tests) use to drive the
 * workbench through its real code paths and read its state. Set once the context is ready.
 */
import { Cartesian3, HeadingPitchRange, Math as CesiumMath, Matrix4, SceneTransforms } from 'cesium';
import { whenTilesLoaded } from '../scene/city-scene.ts';
import type { Interaction, Tool } from './interaction.ts';
import type { LiveLayers } from './live-layers.ts';
import type { DeviceFeature } from '../../sim-core/cim/device-features.ts';
import type { SessionSnapshotBody } from '../../sim-core/session/session.ts';
import '../hooks.ts';
import type { Shell } from './shell.ts';
import type { ListenerCost, Workbench } from './state.ts';

declare module '../hooks.ts' {
  interface CimtwinHooks {
    /** The planner workbench (viewer/workbench/hooks.ts). */
    workbench?: WorkbenchHooks;
  }
}

/** Options of {@link WorkbenchHooks.placeCamera}. */
export interface PlaceOptions {
  /** 'camera' (default), 'epolice', 'cell5g', 'weather', 'signal'. */
  deviceType?: string;
  headingDeg?: number;
  tiltDeg?: number;
  heightM?: number;
  /** Extra properties (hfovDeg, resolutionPx, …). */
  properties?: Record<string, unknown>;
}

/** See the module doc. */
export interface WorkbenchHooks {
  ready: boolean;
  /** HD-video coverage % and its star level as the summary shows them; devices; session counters. */
  summary(): { videoCoveragePct: number | null; videoStars: number | null; devices: number; editBatches: number; results: number; applyErrors: number; lastError: string | null };
  /** The merged results (a structured copy). */
  results(): SessionSnapshotBody | null;
  /** Every device feature now. */
  devices(): DeviceFeature[];
  /** One device, or null. */
  device(id: string): DeviceFeature | null;
  /** A video-set key area's state: 'covered' | 'partly' | 'uncovered' (null when unknown). */
  areaState(id: string): { state: 'covered' | 'partly' | 'uncovered'; coveredPercent: number } | null;
  /** Window (CSS px of the page) position of a lon/lat/height point, or null when off screen. */
  screenOf(lonDeg: number, latDeg: number, heightM?: number): { x: number; y: number } | null;
  /** Places a camera (or another device) with the same code path as a click with that tool; resolves with its id once the session has it. */
  placeCamera(lonDeg: number, latDeg: number, options?: PlaceOptions): Promise<string>;
  undo(): Promise<boolean>;
  redo(): Promise<boolean>;
  history(): { undo: string[]; redo: string[] };
  selection(): string | null;
  select(id: string | null): void;
  tabs(): string[];
  selectTab(id: string): void;
  scenario(): { id: string; name: string; version: number; dirty: boolean } | null;
  /** Resolves when no session edit is waiting for an answer (results are current). */
  settled(): Promise<void>;
  /** The colour state an area is drawn with now ('covered', 'partly', 'uncovered', 'outside'; null before the first results). */
  drawnAreaState(id: string): string | null;
  tool(): string;
  setTool(tool: string): void;
  /** Points the 3D camera at a place (heading north) and resolves when every tile that view needs is drawn. */
  lookAt(lonDeg: number, latDeg: number, rangeM: number, pitchDeg?: number): Promise<void>;
  /**
   * Drags device `id` in a circle of `radiusPx` around where it is on screen for `seconds`, through the
   * same drag code as the mouse (one change per frame, transient, one undoable step at the end), with
   * continuous rendering; reports the frame rate and what the session did meanwhile.
   */
  dragFps(id: string, seconds: number, radiusPx?: number): Promise<{ frames: number; seconds: number; fps: number; editBatches: number; results: number; visibleGroundUpdates: number; listeners: ListenerCost[] }>;
  /** Sets the highlight target (ctx.highlight) and returns what the live layers draw for it. */
  highlight(target: { areaIds?: string[]; intersectionIds?: string[]; deviceIds?: string[] }): { areaRings: number; intersections: number };
  /** ECEF metres of a device's Cesium point (live-layers), or null. */
  devicePoint(id: string): [number, number, number] | null;
  /** What the ground layers draw besides the areas: the other intersections (not important) and scope outlines. */
  groundDrawn(): { otherIntersections: number; scopeOutlines: number };
  /** Main-thread time in the context's listeners by event and owner since the last reset (`reset` clears after reading). */
  listenerCosts(reset?: boolean): ListenerCost[];
  /** The visible ground drawn by the last drag (runs, cells seen, range, cell size, updates). */
  visibleGround(): { runs: number; cellsSeen: number; rangeM: number; cellM: number; updates: number } | null;
}

/** The page's parts the hooks drive. */
export interface HookExtras {
  interaction: Interaction;
  layers: LiveLayers;
}

/** Creates the hooks for `ctx`. */
export function installHooks(ctx: Workbench, shell: Shell, extras: HookExtras): WorkbenchHooks {
  const scene = ctx.scene.widget.scene;
  const { interaction, layers } = extras;
  const canvasOf = (lonDeg: number, latDeg: number, heightM = 0) => SceneTransforms.worldToWindowCoordinates(scene, Cartesian3.fromDegrees(lonDeg, latDeg, heightM));
  const hooks: WorkbenchHooks = {
    ready: false,
    summary: () => ({ ...shell.summary(), devices: ctx.devices().length, ...ctx.counters, lastError: ctx.lastError }),
    results: () => structuredClone(ctx.results()),
    devices: () => structuredClone([...ctx.devices()]),
    device: (id) => {
      const d = ctx.device(id);
      return d ? structuredClone(d) : null;
    },
    areaState: (id) => {
      const a = ctx.results()?.video.areas.find((x) => x.id === id);
      if (!a) return null;
      return { state: a.covered ? 'covered' : a.coveredSamples > 0 ? 'partly' : 'uncovered', coveredPercent: a.coveredPercent };
    },
    screenOf: (lonDeg, latDeg, heightM = 0) => {
      const p = SceneTransforms.worldToWindowCoordinates(scene, Cartesian3.fromDegrees(lonDeg, latDeg, heightM));
      if (!p) return null;
      const rect = scene.canvas.getBoundingClientRect();
      return { x: rect.left + p.x, y: rect.top + p.y };
    },
    placeCamera: async (lonDeg, latDeg, options = {}) => {
      // The click path: what stands at that point's place on screen, then the tool's placement.
      const p = canvasOf(lonDeg, latDeg, 0);
      if (!p) throw new Error(`placeCamera: ${lonDeg}, ${latDeg} is not on screen`);
      const footing = interaction.footingAt(p.x, p.y);
      if (!footing) throw new Error(`placeCamera: nothing under ${lonDeg}, ${latDeg}`);
      const extra: Record<string, unknown> = { ...options.properties };
      if (options.headingDeg !== undefined) extra.headingDeg = options.headingDeg;
      if (options.tiltDeg !== undefined) extra.tiltDeg = options.tiltDeg;
      if (options.heightM !== undefined) extra.heightM = options.heightM;
      const type = (options.deviceType ?? 'camera') as Exclude<Tool, 'select'>;
      const id = await interaction.place(type, footing, extra);
      await ctx.settled();
      return id;
    },
    undo: () => ctx.undo(),
    redo: () => ctx.redo(),
    history: () => ctx.history(),
    selection: () => ctx.selection(),
    select: (id) => ctx.select(id),
    tabs: () => shell.tabIds(),
    selectTab: (id) => shell.selectTab(id),
    scenario: () => {
      const s = ctx.scenario();
      return s ? { id: s.id, name: s.name, version: s.version, dirty: s.dirty } : null;
    },
    settled: () => ctx.settled(),
    drawnAreaState: (id) => layers.drawnAreaState(id),
    tool: () => interaction.tool(),
    setTool: (tool) => interaction.setTool(tool as Tool),
    lookAt: (lonDeg, latDeg, rangeM, pitchDeg = -60) => {
      const camera = ctx.scene.widget.camera;
      camera.lookAt(Cartesian3.fromDegrees(lonDeg, latDeg, 0), new HeadingPitchRange(0, CesiumMath.toRadians(pitchDeg), rangeM));
      camera.lookAtTransform(Matrix4.IDENTITY);
      return whenTilesLoaded(scene, ctx.scene.tileset);
    },
    dragFps: (id, seconds, radiusPx = 60) => {
      const d = ctx.device(id);
      if (!d) return Promise.reject(new Error(`dragFps: no device '${id}'`));
      const [lon, lat] = d.geometry.coordinates as [number, number];
      const c = canvasOf(lon, lat, 0);
      if (!c) return Promise.reject(new Error(`dragFps: device '${id}' is not on screen`));
      const cx = c.x, cy = c.y;
      const batches0 = ctx.counters.editBatches, results0 = ctx.counters.results;
      const updates0 = interaction.visibleGround()?.updates ?? 0;
      ctx.listenerCosts(true);
      interaction.dragStart(id, 'move', cx, cy);
      scene.requestRenderMode = false;
      const start = performance.now();
      let frames = 0;
      return new Promise((resolve, reject) => {
        const remove = scene.postRender.addEventListener(() => {
          const elapsedS = (performance.now() - start) / 1000;
          if (elapsedS >= seconds) {
            remove();
            scene.requestRenderMode = true;
            const updates = (interaction.visibleGround()?.updates ?? 0) - updates0;
            const listeners = ctx.listenerCosts();
            interaction.dragMove(cx, cy);
            void interaction
              .dragEnd()
              .then(() => ctx.settled())
              .then(() => resolve({ frames, seconds: elapsedS, fps: frames / elapsedS, editBatches: ctx.counters.editBatches - batches0, results: ctx.counters.results - results0, visibleGroundUpdates: updates, listeners }), reject);
            return;
          }
          frames++;
          const a = elapsedS * Math.PI; // half a turn per second
          interaction.dragMove(cx + radiusPx * Math.sin(a), cy - radiusPx * (1 - Math.cos(a)) / 2);
        });
      });
    },
    visibleGround: () => interaction.visibleGround(),
    listenerCosts: (reset) => ctx.listenerCosts(reset),
    highlight: (target) => {
      ctx.highlight(target);
      return layers.highlightDrawn();
    },
    devicePoint: (id) => layers.devicePoint(id),
    groundDrawn: () => ({ otherIntersections: layers.otherIntersections(), scopeOutlines: layers.scopeOutlines() }),
  };
  return hooks;
}
