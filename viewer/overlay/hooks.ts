/**
 * `window.__cimtwin.overlay`: what browser tests (and measurements) use to check the three.js overlay
 * against Cesium: glyph counts, hidden ids, a device's pixel through three.js and through Cesium,
 * Cesium's depth at a device's pixel, picking, the selected frustum, painted pixels, and a frame-cost
 * measurement while the camera orbits.
 */
import { Cartesian2, Cartesian3, HeadingPitchRange, Math as CesiumMath, Matrix4 } from 'cesium';
import '../hooks.ts';
import { whenTilesLoaded, type CityScene } from '../scene/city-scene.ts';
import type { DoriBand } from './dori.ts';
import type { OverlayPickHit, OverlayStats, ThreeOverlay } from './overlay.ts';

declare module '../hooks.ts' {
  interface CimtwinHooks {
    /** The three.js overlay of the workbench (viewer/overlay/hooks.ts). */
    overlay?: OverlayHooks;
  }
}

export interface OverlayHooks {
  ready: boolean;
  /** Glyphs drawn plainly (not hidden behind a building). */
  glyphCount(): number;
  /** Glyphs drawn faded (hidden behind a building). */
  fadedCount(): number;
  hiddenIds(): string[];
  deviceState(id: string): 'drawn' | 'hidden' | 'untested' | null;
  devices(): { id: string; type: string; proposal: boolean; lonDeg: number; latDeg: number; heightM: number }[];
  /** Window pixel (CSS px from the canvas' top-left) of a device through the three.js camera. */
  projectDevice(id: string): { x: number; y: number } | null;
  /** The same through Cesium's SceneTransforms.worldToWindowCoordinates. */
  cesiumProjectDevice(id: string): { x: number; y: number } | null;
  /** Eye-to-device distance and eye-to-surface distance of Cesium's depth at the device's pixel. */
  cesiumDepthCheck(id: string): { deviceDistM: number; surfaceDistM: number | null } | null;
  pick(x: number, y: number): OverlayPickHit | null;
  /** Window pixel of the selected device's heading or tilt knob. */
  projectHandle(kind: 'heading' | 'tilt'): { x: number; y: number } | null;
  /** The frustum drawn for the selected camera. */
  frustum(): { id: string; bands: DoriBand[] } | null;
  /** Non-transparent pixels of the overlay canvas, rendered now (only the layers with these ids, when given: glyphs, frustums, wedges, spacing, vehicles, handles). */
  paintedPixels(only?: string[]): number;
  layerVisible(): Record<string, boolean>;
  problems(): string[];
  stats(): OverlayStats;
  /**
   * Puts the eye at (lon, lat, heightM above ground) looking at a point (lon, lat, heightM), waits
   * for the tiles that view needs and for an occlusion pass, and resolves.
   */
  viewFrom(eye: [number, number, number], target: [number, number, number]): Promise<void>;
  /** Orbits the view's target for `seconds` with continuous rendering; frame rate and overlay cost. */
  measure(seconds: number, degPerS?: number): Promise<{ frames: number; seconds: number; fps: number; overlayMeanMs: number; overlayP95Ms: number; occlusionPasses: number; occlusionMaxMs: number; occlusionLastWallMs: number; occlusionLastTested: number; glyphs: number }>;
  /** Forces an occlusion pass for the current view and resolves after a frame drawn with it. */
  settle(): Promise<void>;
}

export function installOverlayHooks(overlay: ThreeOverlay, cityScene: CityScene, toggles: Record<string, { visible: boolean }>): OverlayHooks {
  const scene = cityScene.widget.scene;
  const camera = cityScene.widget.camera;
  const hooks: OverlayHooks = {
    ready: true,
    glyphCount: () => overlay.glyphs.drawnCount,
    fadedCount: () => overlay.glyphs.fadedCount,
    hiddenIds: () => overlay.hiddenIds(),
    deviceState: (id) => overlay.deviceState(id),
    devices: () => overlay.deviceList(),
    projectDevice: (id) => overlay.projectDevice(id),
    cesiumProjectDevice: (id) => overlay.cesiumProjectDevice(id),
    cesiumDepthCheck: (id) => overlay.cesiumDepthCheck(id),
    pick: (x, y) => overlay.pick(x, y),
    projectHandle: (kind) => overlay.projectHandle(kind),
    frustum: () => overlay.selectedFrustum(),
    paintedPixels: (only) => overlay.paintedPixels(only),
    layerVisible: () => Object.fromEntries(Object.entries(toggles).map(([k, v]) => [k, v.visible])),
    problems: () => [...overlay.problems],
    stats: () => ({ ...overlay.stats }),
    settle: () => overlay.settle(),
    viewFrom: async (eye, target) => {
      const h0 = overlay.frame.origin.heightM;
      const from = Cartesian3.fromDegrees(eye[0], eye[1], h0 + eye[2]);
      const to = Cartesian3.fromDegrees(target[0], target[1], h0 + target[2]);
      const direction = Cartesian3.normalize(Cartesian3.subtract(to, from, new Cartesian3()), new Cartesian3());
      const surfaceUp = scene.globe.ellipsoid.geodeticSurfaceNormal(from, new Cartesian3());
      const right = Cartesian3.normalize(Cartesian3.cross(direction, surfaceUp, new Cartesian3()), new Cartesian3());
      const up = Cartesian3.cross(right, direction, new Cartesian3());
      camera.setView({ destination: from, orientation: { direction, up } });
      await whenTilesLoaded(scene, cityScene.tileset);
      await overlay.settle();
    },
    measure: async (seconds, degPerS = 20) => {
      // orbit the point the view looks at (the ground under the screen centre), keeping range and pitch
      const centre = camera.pickEllipsoid(new Cartesian2(scene.canvas.clientWidth / 2, scene.canvas.clientHeight / 2)) ?? cityScene.layers.boundingSphere.center;
      const range = Cartesian3.distance(camera.positionWC, centre);
      const pitch = camera.pitch;
      let heading = camera.heading;
      const samples: number[] = [];
      const passes0 = overlay.stats.occlusionPasses;
      overlay.stats.maxOcclusionMs = 0;
      const remove = scene.postRender.addEventListener(() => samples.push(overlay.stats.lastFrameMs));
      const t0 = performance.now();
      let last = t0;
      await new Promise<void>((resolve) => {
        const step = () => {
          const now = performance.now();
          if (now - t0 >= seconds * 1000) return resolve();
          heading += CesiumMath.toRadians(degPerS * ((now - last) / 1000));
          last = now;
          camera.lookAt(centre, new HeadingPitchRange(heading, pitch, range));
          camera.lookAtTransform(Matrix4.IDENTITY);
          scene.requestRender();
          requestAnimationFrame(step);
        };
        requestAnimationFrame(step);
      });
      remove();
      const elapsed = (performance.now() - t0) / 1000;
      const sorted = [...samples].sort((a, b) => a - b);
      return {
        frames: samples.length,
        seconds: elapsed,
        fps: samples.length / elapsed,
        overlayMeanMs: samples.reduce((s, v) => s + v, 0) / Math.max(1, samples.length),
        overlayP95Ms: sorted[Math.min(sorted.length - 1, Math.floor(0.95 * sorted.length))] ?? 0,
        occlusionPasses: overlay.stats.occlusionPasses - passes0,
        occlusionMaxMs: overlay.stats.maxOcclusionMs,
        occlusionLastWallMs: overlay.stats.lastOcclusionWallMs,
        occlusionLastTested: overlay.stats.lastOcclusionTested,
        glyphs: overlay.glyphs.drawnCount + overlay.glyphs.fadedCount,
      };
    },
  };
  return hooks;
}
