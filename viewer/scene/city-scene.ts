/**
 * The shared 3D scene of every page (viewer, planner workbench, big screen, tour): an offline
 * CesiumWidget (no ion; Natural Earth II bundled with Cesium on the bare ellipsoid), the served city
 * (`GET /api/city`, or `/api/cities/:id/file`) drawn on a ground layer of its own (roads by class, key
 * public areas), and the buildings streamed from the city's 3D Tiles 1.1 tileset. Pages call
 * {@link openCityScene} and add their own layers on top.
 */
import {
  buildModuleUrl,
  CesiumWidget,
  Color,
  DirectionalLight,
  EllipsoidTerrainProvider,
  HeadingPitchRange,
  ImageryLayer,
  Ion,
  Math as CesiumMath,
  Matrix4,
  TileMapServiceImageryProvider,
  Cartesian3,
  type Cesium3DTileset,
  type Scene,
} from 'cesium';
import type { CityFeatureCollection } from '../../sim-core/cim/city-file.ts';
import { createCityLayers, layerPrimitives, type CityLayers } from '../city-layers.ts';
import { loadBuildingsTileset } from '../buildings-tileset.ts';
import { readErrorMessage } from '../api/client.ts';

// Offline: never talk to Cesium ion.
Ion.defaultAccessToken = '';

/** Options of {@link createWidget}. */
export interface WidgetOptions {
  /** Render only when something changes (default true): software WebGL cannot afford a continuous loop. */
  requestRenderMode?: boolean;
  /** Scene background (default a light sky; the big screen passes a dark one). */
  backgroundCss?: string;
  /** Ground colour under the imagery (default a light grey-green). */
  groundCss?: string;
}

/** An offline CesiumWidget in `container`: no ion, no sky box, a fixed light, no fog. */
export function createWidget(container: HTMLElement, options: WidgetOptions = {}): CesiumWidget {
  const widget = new CesiumWidget(container, {
    baseLayer: ImageryLayer.fromProviderAsync(TileMapServiceImageryProvider.fromUrl(buildModuleUrl('Assets/Textures/NaturalEarthII'))),
    terrainProvider: new EllipsoidTerrainProvider(),
    scene3DOnly: true,
    skyBox: false,
    skyAtmosphere: false,
    requestRenderMode: options.requestRenderMode ?? true,
    maximumRenderTimeChange: Infinity,
    msaaSamples: 1,
  });
  const scene = widget.scene;
  scene.backgroundColor = Color.fromCssColorString(options.backgroundCss ?? '#b9d3e8');
  scene.fog.enabled = false;
  scene.globe.showGroundAtmosphere = false;
  scene.globe.baseColor = Color.fromCssColorString(options.groundCss ?? '#cfd8c4');
  scene.postProcessStages.fxaa.enabled = false;
  // A fixed light, so that the city looks the same at any hour.
  scene.light = new DirectionalLight({ direction: new Cartesian3(0.3, -0.4, -0.85), intensity: 1.0 });
  return widget;
}

/** The served default city (`/api/city`) or a stored city's file (`/api/cities/:id/file`). */
export async function fetchCity(cityId?: string): Promise<CityFeatureCollection> {
  const res = await fetch(cityId ? `/api/cities/${encodeURIComponent(cityId)}/file` : '/api/city', { credentials: 'same-origin' });
  if (!res.ok) throw new Error(await readErrorMessage(res));
  return (await res.json()) as CityFeatureCollection;
}

/** Resolves once the browser has painted the current DOM. */
export function nextPaint(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}

/** Resolves after the first rendered frame in which every primitive is ready and the tileset's root content has loaded. */
export function whenDrawn(scene: Scene, layers: CityLayers, tileset: Cesium3DTileset | null, onRootLoaded?: () => void, onFirstBuildingFrame?: () => void): Promise<void> {
  const primitives = layerPrimitives(layers);
  let rootLoaded = tileset === null; // the buildings primitive is among `primitives` then
  let firstFrameSeen = false;
  const removeLoad = tileset
    ? tileset.tileLoad.addEventListener((tile) => {
        if (tile === tileset.root) {
          rootLoaded = true;
          onRootLoaded?.();
        }
      })
    : () => undefined;
  return new Promise((resolve) => {
    const remove = scene.postRender.addEventListener(() => {
      if (!firstFrameSeen && rootLoaded && (tileset || layers.buildings?.ready)) {
        firstFrameSeen = true;
        onFirstBuildingFrame?.();
      }
      if (rootLoaded && primitives.every((p) => p.ready)) {
        remove();
        removeLoad();
        resolve();
      } else scene.requestRender();
    });
    scene.requestRender();
  });
}

/** Resolves after a rendered frame in which every tile the view needs is loaded (full detail for the view). */
export function whenTilesLoaded(scene: Scene, tileset: Cesium3DTileset | null): Promise<void> {
  return new Promise((resolve) => {
    let frames = 0;
    const remove = scene.postRender.addEventListener(() => {
      frames++;
      // a frame or two first, so that the tileset has seen the new view before it says "loaded"
      if (frames > 2 && (tileset === null || tileset.tilesLoaded)) {
        remove();
        resolve();
      } else scene.requestRender();
    });
    scene.requestRender();
  });
}

/** Flies from high above the city down to an oblique view of all of it. */
export function flyToCity(widget: CesiumWidget, layers: CityLayers, durationS = 1.5): Promise<void> {
  const sphere = layers.boundingSphere;
  const range = Math.max(sphere.radius * 1.6, 600);
  const offset = new HeadingPitchRange(CesiumMath.toRadians(20), CesiumMath.toRadians(-38), range);
  widget.camera.lookAt(sphere.center, new HeadingPitchRange(0, CesiumMath.toRadians(-89), range * 8));
  widget.camera.lookAtTransform(Matrix4.IDENTITY);
  return new Promise((resolve) => {
    widget.camera.flyToBoundingSphere(sphere, { offset, duration: durationS, complete: resolve, cancel: resolve });
  });
}

/** Options of {@link openCityScene}. */
export interface OpenCitySceneOptions extends WidgetOptions {
  /** A stored city's id; default the served city (`/api/city`) with its tileset `/tiles/city/`. */
  cityId?: string;
  /** Tileset URL of the buildings (default `/tiles/city/tileset.json`). */
  tilesetUrl?: string;
  /** Called between the stages, for a status line: 'loading' | 'building' | 'drawing'. */
  onStage?: (stage: 'loading' | 'building' | 'drawing') => void;
  /** Fly from high above to the city (default true); false leaves the camera looking straight at it. */
  fly?: boolean;
}

/** A city drawn in a widget: what a page builds on. */
export interface CityScene {
  widget: CesiumWidget;
  city: CityFeatureCollection;
  layers: CityLayers;
  tileset: Cesium3DTileset;
  buildingCount: number;
}

/** Creates the widget in `container`, loads the city and its tileset, and resolves when the view is fully drawn. */
export async function openCityScene(container: HTMLElement, options: OpenCitySceneOptions = {}): Promise<CityScene> {
  options.onStage?.('loading');
  const cityPromise = fetchCity(options.cityId);
  const tilesetPromise = loadBuildingsTileset(options.tilesetUrl);
  const widget = createWidget(container, options);
  const city = await cityPromise;
  options.onStage?.('building');
  await nextPaint();
  const layers = createCityLayers(city, { buildings: false });
  for (const p of layerPrimitives(layers)) widget.scene.primitives.add(p);
  const { tileset, buildingCount } = await tilesetPromise;
  widget.scene.primitives.add(tileset);
  options.onStage?.('drawing');
  if (options.fly === false) {
    const sphere = layers.boundingSphere;
    widget.camera.lookAt(sphere.center, new HeadingPitchRange(CesiumMath.toRadians(20), CesiumMath.toRadians(-38), Math.max(sphere.radius * 1.6, 600)));
    widget.camera.lookAtTransform(Matrix4.IDENTITY);
    await whenDrawn(widget.scene, layers, tileset);
  } else await Promise.all([whenDrawn(widget.scene, layers, tileset), flyToCity(widget, layers)]);
  await whenTilesLoaded(widget.scene, tileset);
  return { widget, city, layers, tileset, buildingCount };
}
