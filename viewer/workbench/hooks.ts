/**
 * `window.__cimtwin.workbench`: what browser tests (and the mounts' own tests) use to drive the
 * workbench through its real code paths and read its state. Set once the context is ready.
 */
import { Cartesian3, SceneTransforms } from 'cesium';
import type { DeviceFeature } from '../../sim-core/cim/device-features.ts';
import type { SessionSnapshotBody } from '../../sim-core/session/session.ts';
import '../hooks.ts';
import type { Shell } from './shell.ts';
import type { Workbench } from './state.ts';

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
}

/** Hooks the page fills in after the interaction layer exists. */
export interface HookExtras {
  placeDevice?: (lonDeg: number, latDeg: number, options: PlaceOptions) => Promise<string>;
}

/** Creates the hooks for `ctx`. */
export function installHooks(ctx: Workbench, shell: Shell, extras: HookExtras = {}): WorkbenchHooks {
  const scene = ctx.scene.widget.scene;
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
      if (extras.placeDevice) return extras.placeDevice(lonDeg, latDeg, options);
      const id = `wb-${(options.deviceType ?? 'camera')}-${Date.now().toString(36)}`;
      await ctx.apply(
        {
          op: 'add',
          feature: {
            type: 'Feature',
            id,
            geometry: { type: 'Point', coordinates: [lonDeg, latDeg] },
            properties: { deviceType: options.deviceType ?? 'camera', heightM: options.heightM ?? 6, headingDeg: options.headingDeg ?? 0, tiltDeg: options.tiltDeg ?? 15, healthy: true, networked: true, ...options.properties },
          },
        },
        'workbench.history.place',
      );
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
  };
  return hooks;
}
