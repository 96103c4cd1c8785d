/**
 * The minimal offline viewer: CesiumJS without ion (no token, no ion imagery or terrain, no
 * geocoder), Natural Earth II imagery bundled with Cesium on the bare ellipsoid, and the served city
 * (`GET /api/city`) drawn on a ground layer of its own: roads by class, key public areas; the
 * buildings streamed from the city's 3D Tiles 1.1 tileset (`/tiles/city/tileset.json`), coloured by
 * use or height, and pickable (a click shows the building's metadata). The camera flies to the
 * city; `window.__cimtwin` reports readiness. `?buildings=primitive` draws the buildings the old way
 * instead (one batched primitive of extrusions from the city file), the peer bench/tiles.bench.ts
 * measures the tileset against.
 */
import 'cesium/Build/Cesium/Widgets/widgets.css';
import './style.css';
import { HeadingPitchRange, Math as CesiumMath, Matrix4, Cartesian3, type CesiumWidget, type Cesium3DTileset } from 'cesium';
import type { CityFeatureCollection } from '../sim-core/cim/city-file.ts';
import { ROAD_CLASSES } from '../sim-core/cim/types.ts';
import { createCityLayers, layerPrimitives, type CityLayers } from './city-layers.ts';
import { BUILDING_USE_COLORS, KEY_AREA_COLOR, ROAD_CLASS_COLORS, type Rgba } from './palette.ts';
import { HEIGHT_CLASSES, buildingStyle, enablePicking, loadBuildingsTileset, renderBuildingPanel, type ColourMode, type PickedBuilding } from './buildings-tileset.ts';
import './hooks.ts';
import { createWidget, fetchCity, flyToCity, nextPaint, whenDrawn, whenTilesLoaded } from './scene/city-scene.ts';
import { initI18n, onLanguageChanged, t, toggleLanguage, translatePage } from './i18n.ts';
import { setStatus } from './scene/status.ts';

window.__cimtwin = { ready: false, buildingCount: 0, timings: {} };
const hooks = window.__cimtwin;

const byId = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;


function swatch(rgba: Rgba, line = false): HTMLElement {
  const el = document.createElement('span');
  el.className = line ? 'swatch line' : 'swatch';
  el.style.background = `rgba(${rgba[0]}, ${rgba[1]}, ${rgba[2]}, ${rgba[3] / 255})`;
  return el;
}

let colourMode: ColourMode = 'use';

function renderLegend(layers: CityLayers, onColourMode?: (mode: ColourMode) => void): void {
  const legend = byId('legend');
  legend.replaceChildren();
  if (onColourMode) {
    const toggle = document.createElement('button');
    toggle.type = 'button';
    toggle.id = 'colour-toggle';
    toggle.textContent = t(colourMode === 'use' ? 'legend.byHeight' : 'legend.byUse');
    toggle.addEventListener('click', () => onColourMode(colourMode === 'use' ? 'height' : 'use'));
    legend.append(toggle);
  }
  const section = (titleKey: string, rows: [Rgba, string, boolean][]) => {
    const h = document.createElement('h2');
    h.textContent = t(titleKey);
    legend.append(h);
    for (const [rgba, key, line] of rows) {
      const row = document.createElement('div');
      const label = document.createElement('span');
      label.textContent = t(key);
      row.append(swatch(rgba, line), label);
      legend.append(row);
    }
  };
  if (colourMode === 'height') {
    const h = document.createElement('h2');
    h.textContent = t('legend.heights');
    legend.append(h);
    for (const c of HEIGHT_CLASSES) {
      const row = document.createElement('div');
      const label = document.createElement('span');
      label.textContent = t('legend.heightFrom', { value: c.fromM });
      row.append(swatch(c.rgba), label);
      legend.append(row);
    }
  } else section('legend.uses', layers.usesPresent.map((u) => [BUILDING_USE_COLORS[u], `use.${u}`, false]));
  if (layers.roads) section('legend.roads', ROAD_CLASSES.map((c) => [ROAD_CLASS_COLORS[c], `road.${c}`, true]));
  if (layers.keyAreas) section('legend.ground', [[KEY_AREA_COLOR, 'legend.keyArea', false]]);
  legend.hidden = false;
}

function renderCityText(city: CityFeatureCollection, buildingCount: number): void {
  byId('synthetic-notice').hidden = !city.cimtwin.synthetic;
  byId('city-line').textContent = t('banner.city', { name: city.cimtwin.name, count: buildingCount });
  const attribution = byId('attribution');
  const lines = city.cimtwin.attribution ?? [];
  attribution.hidden = lines.length === 0;
  attribution.textContent = lines.length ? `${t('banner.attribution')}${lines.join(' · ')}` : '';
}

const markRootLoaded = () => {
  hooks.timings.rootContentLoadedMs ??= performance.now();
};
const markFirstBuildingFrame = () => {
  hooks.timings.firstBuildingFrameMs ??= performance.now();
};

async function start(): Promise<void> {
  await initI18n();
  translatePage();
  byId('language-toggle').addEventListener('click', () => void toggleLanguage());

  const cityPromise = fetchCity();
  const peer = new URLSearchParams(location.search).get('buildings') === 'primitive';
  const tilesetPromise = peer ? null : loadBuildingsTileset();
  const widget = createWidget(byId('globe'));
  const city = await cityPromise;
  hooks.timings.cityFetchedMs = performance.now();
  setStatus('status.building');
  await nextPaint(); // let the status show before the mesh work holds the thread
  const layers = createCityLayers(city, { buildings: peer });
  hooks.timings.meshBuiltMs = performance.now();
  for (const p of layerPrimitives(layers)) widget.scene.primitives.add(p);
  if (!tilesetPromise) {
    // the peer: every building in one batched primitive, as before the tileset
    renderCityText(city, layers.buildingCount);
    renderLegend(layers);
    await Promise.all([whenDrawn(widget.scene, layers, null, undefined, markFirstBuildingFrame), flyToCity(widget, layers)]);
    hooks.timings.fullDetailMs = performance.now();
    setStatus(null);
    installMeasuringHooks(widget, layers, null);
    hooks.buildingCount = layers.buildingCount;
    hooks.timings.readyMs = performance.now();
    hooks.ready = true;
    return;
  }
  const { tileset, buildingCount } = await tilesetPromise;
  hooks.timings.tilesetLoadedMs = performance.now();
  widget.scene.primitives.add(tileset);

  const areaNames = new Map<string, string>();
  for (const f of city.features) if (f.properties?.layer === 'key-area' && typeof f.properties.name === 'string') areaNames.set(String(f.id), f.properties.name);
  const panel = byId('building-panel');
  let picked: PickedBuilding | null = null;
  const showPicked = (b: PickedBuilding | null) => {
    picked = b;
    hooks.picked = b;
    renderBuildingPanel(panel, b, (id) => areaNames.get(id) ?? null);
  };
  panel.addEventListener('close', () => showPicked(null));
  enablePicking(widget.scene, (b) => showPicked(b));

  const setColourMode = (mode: ColourMode) => {
    colourMode = mode;
    tileset.style = buildingStyle(mode);
    renderLegend(layers, setColourMode);
    widget.scene.requestRender();
  };
  renderCityText(city, buildingCount);
  renderLegend(layers, setColourMode);
  onLanguageChanged(() => {
    translatePage();
    renderCityText(city, buildingCount);
    renderLegend(layers, setColourMode);
    if (picked) showPicked(picked);
  });

  await Promise.all([whenDrawn(widget.scene, layers, tileset, markRootLoaded, markFirstBuildingFrame), flyToCity(widget, layers)]);
  await whenTilesLoaded(widget.scene, tileset);
  hooks.timings.fullDetailMs = performance.now();
  setStatus(null);
  widget.scene.requestRender();
  installMeasuringHooks(widget, layers, tileset);
  hooks.buildingCount = buildingCount;
  hooks.timings.readyMs = performance.now();
  hooks.ready = true;
}

/** `window.__cimtwin.lookAt` and `.orbit`: camera moves for browser tests and the bench. */
function installMeasuringHooks(widget: CesiumWidget, layers: CityLayers, tileset: Cesium3DTileset | null): void {
  const { scene, camera } = widget;
  hooks.lookAt = (lonDeg, latDeg, heightM, rangeM, pitchDeg = -89.9) => {
    camera.lookAt(Cartesian3.fromDegrees(lonDeg, latDeg, heightM), new HeadingPitchRange(0, CesiumMath.toRadians(pitchDeg), rangeM));
    camera.lookAtTransform(Matrix4.IDENTITY);
    return whenTilesLoaded(scene, tileset);
  };
  hooks.orbit = (seconds, degPerS = 30) => {
    const sphere = layers.boundingSphere;
    const range = Math.max(sphere.radius * 0.9, 500);
    const pitch = CesiumMath.toRadians(-35);
    scene.requestRenderMode = false;
    const start = performance.now();
    let frames = 0;
    return new Promise((resolve) => {
      const remove = scene.postRender.addEventListener(() => {
        const elapsedS = (performance.now() - start) / 1000;
        if (elapsedS >= seconds) {
          remove();
          camera.lookAtTransform(Matrix4.IDENTITY);
          scene.requestRenderMode = true;
          resolve({ frames, seconds: elapsedS, fps: frames / elapsedS });
          return;
        }
        frames++;
        camera.lookAt(sphere.center, new HeadingPitchRange(CesiumMath.toRadians(degPerS * elapsedS), pitch, range));
      });
    });
  };
}

start().catch((e: unknown) => {
  const message = e instanceof Error ? e.message : String(e);
  hooks.error = message;
  setStatus('status.error', { message }, true);
  console.error(e);
});
