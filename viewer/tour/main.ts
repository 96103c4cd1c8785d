/**
 * The 城市运行全景图 tour player (`tour.html?tour=<id>`, default `default-default`, the generated tour
 * of the default city): camera flights, the layers and highlights of each scene, captions in zh-CN or
 * English; auto-play, pause and next/previous from the keyboard or a presenter clicker (ArrowRight /
 * PageDown: next; ArrowLeft / PageUp: previous; Space: pause or play; Home / End: first / last). A
 * planner or admin also sees "capture the current view as a scene" and "save the tour" (PUT with
 * If-Match); a viewer or an anonymous client only reads. URL options: `autoplay=0`, `flight=0`
 * (instant flights, for tests), `lng`.
 */
import 'cesium/Build/Cesium/Widgets/widgets.css';
import '../style.css';
import './tour.css';
import { Cartesian3, Math as CesiumMath, Cartographic, type Primitive } from 'cesium';
import { cityFromGeoJSON } from '../../sim-core/cim/city-file.ts';
import type { DeviceFeature } from '../../sim-core/cim/device-features.ts';
import { DEFAULT_NR5G_AREA_OPTIONS } from '../../sim-core/coverage/cellular/key-areas.ts';
import type { SessionSnapshotBody } from '../../sim-core/session/session.ts';
import { greenWaveCorridors } from '../../sim-core/tour/corridors.ts';
import { parseTour, type Tour, type TourScene } from '../../sim-core/tour/tour.ts';
import { weatherReport } from '../../sim-core/coverage/weather/report.ts';
import { createBrowserClient, createBrowserPool } from '../../workers/browser.ts';
import { api, ApiError, currentUser } from '../api/client.ts';
import '../hooks.ts';
import { currentLanguage, initI18n, onLanguageChanged, t, toggleLanguage, translatePage } from '../i18n.ts';
import { openCityScene, whenTilesLoaded } from '../scene/city-scene.ts';
import { Overlays } from '../bigscreen/layers.ts';
import { rsrpRasterPrimitive, whenRendered } from '../panels/rsrp-layer.ts';
import { healthyCells, rsrpCellM } from '../panels/rsrp-model.ts';

/** What the tour page exposes on `window.__cimtwin.tour`. */
export interface TourHooks {
  ready: boolean;
  tourId: string;
  version: number;
  sceneCount: number;
  sceneIndex: number;
  sceneId: string;
  playing: boolean;
  /** True once the current scene's flight ended and every tile its view needs is drawn. */
  sceneReady: boolean;
  /** Whether the capture and save controls are offered (planner, admin). */
  canEdit: boolean;
  /** The SS-RSRP raster (layer `nr5g-raster`) once drawn: its size, active and hole samples, and whether it shows now; null before. */
  rsrp: { nx: number; ny: number; active: number; holes: number; shown: boolean } | null;
}

declare module '../hooks.ts' {
  interface CimtwinHooks {
    tour?: TourHooks;
  }
}

window.__cimtwin = { ready: false, buildingCount: 0, timings: {} };
const hooks = window.__cimtwin;
const byId = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const setStatus = (text: string | null, isError = false) => {
  const s = byId('status');
  s.textContent = text ?? '';
  s.classList.toggle('error', isError);
};

async function start(): Promise<void> {
  await initI18n();
  translatePage();
  byId('language-toggle').addEventListener('click', () => void toggleLanguage());
  const params = new URLSearchParams(location.search);
  const tourId = params.get('tour') ?? 'default-default';
  const instant = params.get('flight') === '0';
  setStatus(t('tour.status.tour'));
  const recordPromise = api<{ id: string; cityId: string; version: number; tour: unknown }>('GET', `/api/tours/${encodeURIComponent(tourId)}`).then((r) => r.data);
  const userPromise = currentUser().catch(() => null);
  recordPromise.catch(() => undefined);
  const record = await recordPromise;
  let tour: Tour = parseTour(record.tour, `tour ${tourId}`);
  let version = record.version;
  const scene = await openCityScene(byId('globe'), { backgroundCss: '#0a1018', groundCss: '#16202b', cityId: record.cityId === 'default' ? undefined : record.cityId, fly: false });
  const widget = scene.widget;
  hooks.buildingCount = scene.buildingCount;
  setStatus(t('tour.status.session'));
  const city = cityFromGeoJSON(scene.city, 'city file');
  const client = createBrowserClient();
  await client.loadCity(city);
  const { seq: _seq, ...results } = (await client.setDevices()) as SessionSnapshotBody & { seq?: number };
  await client.terminate();
  const overlays = new Overlays(widget.scene, city, scene.city);
  const corridors = greenWaveCorridors(city);
  const weatherRadiusM = (weatherReport(city).weather?.spacing.meanSpacingKm ?? 0) * 500;
  // The 5G SS-RSRP raster (layer 'nr5g-raster'): the workbench's pool job and drawing (viewer/panels/rsrp-layer.ts)
  // for the healthy 5G cells of the city's device list, computed once, when a scene first asks for it.
  const cityDevices = scene.city.features.filter((f) => f.properties?.layer === 'device') as unknown as DeviceFeature[];
  let rsrpPrimitive: Primitive | null = null;
  let rsrpDrawing: Promise<Primitive> | null = null;
  const drawRsrp = (): Promise<Primitive> => {
    rsrpDrawing ??= (async () => {
      const pool = createBrowserPool({ parallelism: Math.min(2, navigator.hardwareConcurrency || 2) });
      try {
        const key = await pool.loadCity(city);
        const raster = await pool.run('nr5g-raster', key, { cellM: rsrpCellM(city), cells: healthyCells(city, cityDevices) });
        const threshold = DEFAULT_NR5G_AREA_OPTIONS.rsrpThresholdDbm;
        const { primitive } = rsrpRasterPrimitive(city, raster, threshold);
        primitive.show = false;
        widget.scene.primitives.add(primitive);
        rsrpPrimitive = primitive;
        let active = 0, holes = 0;
        for (let i = 0; i < raster.active.length; i++) {
          if (!raster.active[i]) continue;
          active++;
          if (!(raster.rsrpDbm[i]! >= threshold)) holes++;
        }
        th.rsrp = { nx: raster.grid.nx, ny: raster.grid.ny, active, holes, shown: false };
        return primitive;
      } finally {
        await pool.terminate();
      }
    })();
    rsrpDrawing.catch(() => (rsrpDrawing = null)); // tried again at the next scene that asks
    return rsrpDrawing;
  };
  const user = await userPromise;
  const canEdit = user?.role === 'planner' || user?.role === 'admin';

  const th: TourHooks = { ready: false, tourId, version, sceneCount: tour.scenes.length, sceneIndex: 0, sceneId: tour.scenes[0]!.id, playing: params.get('autoplay') !== '0', sceneReady: false, canEdit, rsrp: null };
  hooks.tour = th;
  let index = 0;
  let holdTimer: ReturnType<typeof setTimeout> | null = null;
  let flightToken = 0;

  const renderText = () => {
    const s = tour.scenes[index]!;
    const lang = currentLanguage();
    byId('tour-name').textContent = tour.name[lang];
    byId('tour-counter').textContent = t('tour.counter', { index: index + 1, count: tour.scenes.length });
    byId('tour-scene-title').textContent = s.title[lang];
    byId('tour-scene-caption').textContent = s.caption[lang];
    byId('tour-play').textContent = t(th.playing ? 'tour.pause' : 'tour.play');
    const panel = byId('tour-indicators');
    panel.hidden = !s.layers.includes('indicators') && !s.layers.includes('next-star');
    const en = lang === 'en';
    byId('tour-star-list').replaceChildren(
      ...results.stars.map((st) => {
        const li = document.createElement('li');
        const name = document.createElement('span');
        name.textContent = `${en ? st.nameEn.replace(/ \(.*\)$/, '') : st.nameZh} `;
        const stars = document.createElement('span');
        stars.className = 'stars';
        stars.textContent = `${'★'.repeat(st.stars)}${'☆'.repeat(Math.max(0, st.maxStars - st.stars))}`;
        li.append(name, stars);
        const gap = st.next?.alternatives[0]?.[0];
        if (s.layers.includes('next-star') && gap) {
          const g = document.createElement('span');
          g.className = 'gap';
          g.textContent = en ? (gap.items?.en ?? gap.en) : (gap.items?.zh ?? gap.zh);
          li.append(g);
        }
        return li;
      }),
    );
  };

  const applyLayers = (s: TourScene) => {
    const has = (l: TourScene['layers'][number]) => s.layers.includes(l);
    scene.tileset.show = has('buildings') || s.layers.length === 0;
    if (scene.layers.roads) scene.layers.roads.show = has('roads') || has('green-waves');
    if (scene.layers.keyAreas) scene.layers.keyAreas.show = has('key-areas');
    overlays.colourAreas(has('video-coverage') || has('blind-spots') ? 'video' : has('nr5g-coverage') || has('nr5g-raster') ? 'nr5g' : null, results);
    const types: string[] = [];
    if (has('cameras')) types.push('camera');
    if (has('epolice')) types.push('epolice');
    if (has('nr5g-cells')) types.push('cell5g');
    if (has('weather-stations')) types.push('weather');
    if (has('signals')) types.push('signal');
    overlays.showDevices(types, city, s.highlight.deviceIds);
    overlays.showCorridors(corridors, has('green-waves'));
    overlays.showWeatherSpacing(city, weatherRadiusM, has('weather-spacing'));
    overlays.highlightAreas(s.highlight.areaIds);
    if (rsrpPrimitive) rsrpPrimitive.show = has('nr5g-raster');
    if (th.rsrp) th.rsrp.shown = has('nr5g-raster');
  };

  /** Resolves when the scene's raster (if it names one) is drawn; a failed job is shown in the status line. */
  const rasterReady = async (s: TourScene): Promise<void> => {
    if (!s.layers.includes('nr5g-raster')) return;
    try {
      const p = await drawRsrp();
      if (tour.scenes[index] !== s) return; // moved on meanwhile
      p.show = true;
      th.rsrp!.shown = true;
      await whenRendered(widget.scene, p);
    } catch (e) {
      setStatus(t('tour.status.rasterFailed', { message: e instanceof Error ? e.message : String(e) }), true);
    }
  };

  const schedule = () => {
    if (holdTimer !== null) clearTimeout(holdTimer);
    holdTimer = null;
    if (th.playing && th.sceneReady) holdTimer = setTimeout(() => go(index + 1 < tour.scenes.length ? index + 1 : 0), tour.scenes[index]!.holdS * 1000);
  };

  function go(i: number): void {
    index = Math.max(0, Math.min(tour.scenes.length - 1, i));
    const s = tour.scenes[index]!;
    th.sceneIndex = index;
    th.sceneId = s.id;
    th.sceneReady = false;
    if (holdTimer !== null) clearTimeout(holdTimer);
    renderText();
    applyLayers(s);
    const token = ++flightToken;
    const c = s.camera;
    const arrived = () => {
      if (token !== flightToken) return;
      void Promise.all([whenTilesLoaded(widget.scene, scene.tileset), rasterReady(s)]).then(() => {
        if (token !== flightToken) return;
        th.sceneReady = true;
        schedule();
      });
    };
    widget.camera.cancelFlight();
    widget.camera.flyTo({
      destination: Cartesian3.fromDegrees(c.lonDeg, c.latDeg, c.heightM),
      orientation: { heading: CesiumMath.toRadians(c.headingDeg), pitch: CesiumMath.toRadians(c.pitchDeg), roll: CesiumMath.toRadians(c.rollDeg) },
      duration: instant ? 0 : s.flightS,
      complete: arrived,
      cancel: () => undefined,
    });
    widget.scene.requestRender();
  }

  const togglePlay = () => {
    th.playing = !th.playing;
    renderText();
    schedule();
  };
  byId('tour-prev').addEventListener('click', () => go(index - 1));
  byId('tour-next').addEventListener('click', () => go(index + 1));
  byId('tour-play').addEventListener('click', togglePlay);
  document.addEventListener('keydown', (e) => {
    if (e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement) return;
    const k = e.key;
    if (k === 'ArrowRight' || k === 'PageDown') go(index + 1);
    else if (k === 'ArrowLeft' || k === 'PageUp') go(index - 1);
    else if (k === ' ' || k === 'Spacebar') togglePlay();
    else if (k === 'Home') go(0);
    else if (k === 'End') go(tour.scenes.length - 1);
    else return;
    e.preventDefault();
  });
  onLanguageChanged(() => {
    translatePage();
    renderText();
  });

  // Planner tools: capture the view as a new scene after the current one, save with the version read.
  if (canEdit) {
    const capture = byId('tour-capture');
    const save = byId('tour-save');
    const message = byId('tour-message');
    capture.hidden = false;
    save.hidden = false;
    capture.addEventListener('click', () => {
      const cam = widget.camera;
      const carto = Cartographic.fromCartesian(cam.positionWC);
      const n = tour.scenes.length + 1;
      const current = tour.scenes[index]!;
      let id = `scene-${n}`;
      for (let k = n; tour.scenes.some((s) => s.id === id); k++) id = `scene-${k + 1}`;
      const added: TourScene = {
        id,
        title: { 'zh-CN': t('tour.newScene', { index: n, lng: 'zh-CN' }), en: t('tour.newScene', { index: n, lng: 'en' }) },
        caption: { 'zh-CN': t('tour.newCaption', { lng: 'zh-CN' }), en: t('tour.newCaption', { lng: 'en' }) },
        camera: {
          lonDeg: CesiumMath.toDegrees(carto.longitude),
          latDeg: CesiumMath.toDegrees(carto.latitude),
          heightM: Math.max(1, carto.height),
          headingDeg: ((CesiumMath.toDegrees(cam.heading) + 540) % 360) - 180,
          pitchDeg: CesiumMath.toDegrees(cam.pitch),
          rollDeg: ((CesiumMath.toDegrees(cam.roll) + 540) % 360) - 180,
        },
        flightS: 3,
        holdS: 8,
        layers: [...current.layers],
        highlight: { areaIds: [], intersectionIds: [], deviceIds: [] },
      };
      tour = parseTour({ ...tour, scenes: [...tour.scenes.slice(0, index + 1), added, ...tour.scenes.slice(index + 1)] }, 'captured tour');
      th.sceneCount = tour.scenes.length;
      go(index + 1);
    });
    save.addEventListener('click', () => {
      void api<{ version: number }>('PUT', `/api/tours/${encodeURIComponent(tour.id)}`, tour, { 'if-match': `"${version}"` }).then(
        ({ data }) => {
          version = data.version;
          th.version = version;
          message.textContent = t('tour.saved', { version });
        },
        (e: unknown) => (message.textContent = t('tour.saveFailed', { message: e instanceof ApiError || e instanceof Error ? e.message : String(e) })),
      );
    });
  }

  setStatus(null);
  go(0);
  th.ready = true;
  hooks.ready = true;
  hooks.timings.readyMs = performance.now();
}

start().catch((e: unknown) => {
  const message = e instanceof Error ? e.message : String(e);
  hooks.error = message;
  setStatus(t('status.error', { message }), true);
  console.error(e);
});
