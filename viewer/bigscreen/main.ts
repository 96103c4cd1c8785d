/**
 * The command-hall big screen (`bigscreen.html?scenario=<id>`; default the city's live scenario):
 * the city in 3D with key areas coloured by video coverage, cameras coloured by state and the
 * green-wave corridors; star levels and trends of the key indicators (computed by a simulation
 * session in a Web Worker from the scenario's devices); coverage and blind spots by district and
 * scope; corridor states; alerts. It follows the server's events (viewer/bigscreen/live.ts) and a
 * frame-rate governor holds the target fps (viewer/bigscreen/governor.ts). Read-only: it only reads.
 *
 * URL options: `scenario`, `fps` (target, default 30), `orbit=0` (no slow orbit: render on demand),
 * `lng`.
 */
import 'cesium/Build/Cesium/Widgets/widgets.css';
import '../style.css';
import './bigscreen.css';
import { HeadingPitchRange, Math as CesiumMath, Matrix4, type CesiumWidget } from 'cesium';
import { cityFromGeoJSON } from '../../sim-core/cim/city-file.ts';
import type { City } from '../../sim-core/cim/types.ts';
import { DEFAULT_SPACING_THRESHOLD_KM } from '../../sim-core/coverage/weather/spacing.ts';
import { weatherReport } from '../../sim-core/coverage/weather/report.ts';
import { indicatorById, measureById } from '../../sim-core/indicators/catalogue.ts';
import { scoreIndicator } from '../../sim-core/indicators/scoring.ts';
import type { StarLevel } from '../../sim-core/session/session.ts';
import { signalTimingIndicator } from '../../sim-core/signal/indicator.ts';
import { corridorCounts, greenWaveCorridors, type GreenWaveCorridor } from '../../sim-core/tour/corridors.ts';
import { createBrowserClient } from '../../workers/browser.ts';
import { api } from '../api/client.ts';
import '../hooks.ts';
import { currentLanguage, initI18n, onLanguageChanged, t, toggleLanguage, translatePage } from '../i18n.ts';
import { openCityScene } from '../scene/city-scene.ts';
import { DEFAULT_GOVERNOR, FpsMeter, governResolution, initialGovernor, type GovernorState } from './governor.ts';
import { Overlays } from './layers.ts';
import { LiveScenario, liveScenarioId, type ConnectionState } from './live.ts';
import { coverageRows, sparklinePoints, starAlerts, storedIndicatorValues, withTrendPoint, type Alert, type TrendPoint } from './model.ts';

/** What the big screen exposes on `window.__cimtwin.bigscreen` for tests and measurement. */
export interface BigscreenHooks {
  ready: boolean;
  scenarioId: string;
  version: number;
  connection: ConnectionState;
  /** Times the event stream opened. */
  connects: number;
  /** Current indicator values by measure id. */
  values: Record<string, number>;
  /** The last applied version: when the page had it on screen (performance.now()), and how long applying took from the event. */
  lastUpdate: { version: number; shownAtMs: number; applyMs: number } | null;
  alerts: number;
  governor: { scale: number; samples: number[]; targetFps: number };
  /**
   * Orbits the city with continuous rendering under the governor until its own meter gave `minSamples`
   * one-second samples (or `maxSeconds` passed); the samples and the scales it went through.
   */
  measureFps(minSamples: number, maxSeconds: number): Promise<{ samples: number[]; meanFps: number; scales: number[]; canvasWidth: number; canvasHeight: number; devicePixelRatio: number }>;
}

declare module '../hooks.ts' {
  interface CimtwinHooks {
    bigscreen?: BigscreenHooks;
  }
}

window.__cimtwin = { ready: false, buildingCount: 0, timings: {} };
const hooks = window.__cimtwin;
const byId = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

function setStatus(text: string | null, isError = false): void {
  const status = byId('status');
  status.textContent = text ?? '';
  status.classList.toggle('error', isError);
}

/** The indicators on the screen: measure id, i18n key, unit. */
const MEASURES = [
  { id: 'video_hd_coverage', key: 'bigscreen.measure.videoHdCoverage', unit: 'percent' },
  { id: 'video_camera_health', key: 'bigscreen.measure.videoCameraHealth', unit: 'percent' },
  { id: 'video_networking', key: 'bigscreen.measure.videoNetworking', unit: 'percent' },
  { id: 'epolice_coverage', key: 'bigscreen.measure.epoliceCoverage', unit: 'percent' },
  { id: 'nr5g_key_area_coverage', key: 'bigscreen.measure.nrCoverage', unit: 'percent' },
  { id: 'signal_realtime_timing', key: 'bigscreen.measure.signalTiming', unit: 'percent' },
  { id: 'weather_station_spacing', key: 'bigscreen.measure.weatherSpacing', unit: 'km' },
] as const;

const DEVICE_KEYS: Record<string, string> = {
  camera: 'bigscreen.device.camera',
  epolice: 'bigscreen.device.epolice',
  cell5g: 'bigscreen.device.nrCell',
  weather: 'bigscreen.device.weather',
  signal: 'bigscreen.device.signal',
  pole: 'bigscreen.device.pole',
};

const svgNs = 'http://www.w3.org/2000/svg';
const el = <K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] => {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
};

/** Values and star levels the session does not give: signal timing and weather spacing, from the city. */
function cityValues(city: City): { values: Record<string, number>; stars: StarLevel[]; weatherRadiusM: number } {
  const values: Record<string, number> = {};
  const stars: StarLevel[] = [];
  const timing = signalTimingIndicator(city).indicators.signal_realtime_timing;
  const row = indicatorById('signal_realtime_timing');
  if (timing && row) {
    values.signal_realtime_timing = timing.value;
    const s = scoreIndicator(row, { signal_realtime_timing: { measure: 'signal_realtime_timing', value: timing.value, numerator: timing.numerator, denominator: timing.denominator, provenance: { kind: 'simulation', model: 'signal-timing', origin: 'big screen' } } });
    stars.push({ indicator: s.id, nameZh: s.nameZh, nameEn: s.nameEn, stars: s.stars, maxStars: s.maxStars, status: s.status, ...(s.next ? { next: s.next } : {}) });
  }
  const w = weatherReport(city);
  const spacing = w.indicators.weather_station_spacing;
  if (spacing) values.weather_station_spacing = spacing.value;
  return { values, stars, weatherRadiusM: (w.weather?.spacing.meanSpacingKm ?? 0) * 500 };
}

async function start(): Promise<void> {
  await initI18n();
  translatePage();
  byId('language-toggle').addEventListener('click', () => void toggleLanguage());
  const params = new URLSearchParams(location.search);
  const orbit = params.get('orbit') !== '0';
  const targetFps = Math.min(120, Math.max(1, Number(params.get('fps')) || DEFAULT_GOVERNOR.targetFps));
  const config = { ...DEFAULT_GOVERNOR, targetFps };

  const clock = byId('bs-clock');
  const tick = () => (clock.textContent = new Intl.DateTimeFormat(currentLanguage(), { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }).format(new Date()));
  tick();
  setInterval(tick, 1000);

  const scenarioIdPromise = params.get('scenario') ? Promise.resolve(params.get('scenario')!) : liveScenarioId('default');
  scenarioIdPromise.catch(() => undefined);
  const client = createBrowserClient();
  const scene = await openCityScene(byId('globe'), { backgroundCss: '#0a1018', groundCss: '#16202b', requestRenderMode: true, fly: false, onStage: (s) => setStatus(t(s === 'loading' ? 'status.loading' : s === 'building' ? 'status.building' : 'bigscreen.status.session')) });
  hooks.buildingCount = scene.buildingCount;
  const widget: CesiumWidget = scene.widget;
  widget.useBrowserRecommendedResolution = false;
  setStatus(t('bigscreen.status.session'));
  let scenarioId: string;
  try {
    scenarioId = await scenarioIdPromise;
  } catch (e) {
    setStatus(t('bigscreen.status.noScenario', { message: (e as Error).message }), true);
    throw e;
  }
  const city = cityFromGeoJSON(scene.city, 'city file');
  const live = new LiveScenario(scenarioId, city, client);
  const results = await live.start();
  const overlays = new Overlays(widget.scene, city, scene.city);
  byId('bs-synthetic').textContent = city.meta.synthetic ? t('bigscreen.synthetic') : '';
  byId('bs-attribution').textContent = city.meta.attribution.join(' · ');

  // ---- state shown
  const trends = new Map<string, TrendPoint[]>();
  let alerts: Alert[] = [];
  let corridors: GreenWaveCorridor[] = [];
  let extra = cityValues(live.city);
  const values = (): Record<string, number> => {
    const out: Record<string, number> = { ...extra.values };
    for (const [k, v] of Object.entries(live.results?.indicators ?? {})) out[k] = v.value;
    return out;
  };
  const starOf = (measure: string): StarLevel | null => {
    const row = measureById(measure)?.indicator?.id;
    if (!row) return null;
    return live.results?.stars.find((s) => s.indicator === row) ?? extra.stars.find((s) => s.indicator === row) ?? null;
  };
  const recordTrends = () => {
    for (const [k, v] of Object.entries(values())) trends.set(k, withTrendPoint(trends.get(k) ?? [], live.version, v));
  };

  // Trends from the stored versions that a coverage job computed (the latest five), then live.
  void (async () => {
    try {
      const { data: versions } = await api<{ version: number; hasIndicators: boolean }[]>('GET', `/api/scenarios/${encodeURIComponent(scenarioId)}/versions`);
      for (const v of versions.filter((x) => x.hasIndicators && x.version !== live.version).slice(-5)) {
        const { data } = await api<{ indicators: unknown }>('GET', `/api/scenarios/${encodeURIComponent(scenarioId)}/versions/${v.version}`);
        for (const [k, value] of Object.entries(storedIndicatorValues(data.indicators))) trends.set(k, withTrendPoint(trends.get(k) ?? [], v.version, value));
      }
      renderIndicators();
    } catch (e) {
      console.warn('big screen: stored versions not read for the trends', e);
    }
  })();

  const nf = (digits = 2) => new Intl.NumberFormat(currentLanguage(), { maximumFractionDigits: digits, minimumFractionDigits: digits });
  const int = () => new Intl.NumberFormat(currentLanguage());

  function renderIndicators(): void {
    const list = byId('bs-indicator-list');
    const v = values();
    const cards = MEASURES.map((m) => {
      const card = el('div', 'bs-card');
      card.dataset.measure = m.id;
      const star = starOf(m.id);
      card.dataset.stars = star ? String(star.stars) : 'none';
      card.append(el('div', 'name', t(m.key)));
      const value = v[m.id];
      if (value !== undefined) card.dataset.value = String(value);
      card.append(el('div', 'value', value === undefined ? '—' : `${nf().format(value)} ${t(m.unit === 'km' ? 'bigscreen.unit.km' : 'bigscreen.unit.percent')}`));
      card.append(el('div', 'stars', star ? `${'★'.repeat(star.stars)}${'☆'.repeat(Math.max(0, star.maxStars - star.stars))}` : t('bigscreen.noStar')));
      const gap = star?.next?.alternatives[0]?.[0];
      const en = currentLanguage() === 'en';
      const gapText = m.id === 'weather_station_spacing' ? t('bigscreen.target', { value: DEFAULT_SPACING_THRESHOLD_KM }) : gap ? (en ? (gap.items?.en ?? gap.en) : (gap.items?.zh ?? gap.zh)) : star ? t('bigscreen.topStar') : '';
      card.append(el('div', 'gap', gapText));
      const svg = document.createElementNS(svgNs, 'svg');
      svg.setAttribute('class', 'trend');
      svg.setAttribute('viewBox', '0 0 100 30');
      svg.setAttribute('preserveAspectRatio', 'none');
      const line = document.createElementNS(svgNs, 'polyline');
      line.setAttribute('points', sparklinePoints(trends.get(m.id) ?? []));
      svg.append(line);
      card.append(svg);
      return card;
    });
    list.replaceChildren(...cards);
  }

  function renderCoverage(): void {
    const table = byId<HTMLTableElement>('bs-coverage-table');
    const head = el('tr');
    for (const key of ['bigscreen.coverage.area', 'bigscreen.coverage.video', 'bigscreen.coverage.blind', 'bigscreen.coverage.nr']) head.append(el('th', undefined, t(key)));
    const rows = [head];
    if (live.results) {
      for (const r of coverageRows(live.city, live.results).slice(0, 8)) {
        const tr = el('tr');
        tr.dataset.kind = r.kind;
        tr.append(el('td', undefined, `${r.label} · ${t(r.kind === 'district' ? 'bigscreen.coverage.district' : 'bigscreen.coverage.scope')}`));
        tr.append(el('td', undefined, `${int().format(r.videoCovered)}/${int().format(r.videoAreas)}`));
        tr.append(el('td', 'blind', int().format(r.blindSpots)));
        tr.append(el('td', undefined, `${int().format(r.nr5gCovered)}/${int().format(r.nr5gAreas)}`));
        rows.push(tr);
      }
    }
    table.replaceChildren(...rows);
  }

  function renderCorridors(): void {
    const counts = corridorCounts(corridors);
    const summary = byId('bs-corridor-summary');
    summary.replaceChildren(
      el('span', undefined, t('bigscreen.corridors.summary', { total: corridors.length })),
      el('span', 'state-coordinated', `${t('bigscreen.state.coordinated')} ${counts.coordinated}`),
      el('span', 'state-partial', `${t('bigscreen.state.partial')} ${counts.partial}`),
      el('span', 'state-uncoordinated', `${t('bigscreen.state.uncoordinated')} ${counts.uncoordinated}`),
    );
    // The ones an operator should look at first: faulty controllers, then the longest.
    const shown = [...corridors].sort((a, b) => b.faulty - a.faulty || b.lengthM - a.lengthM).slice(0, 7);
    byId('bs-corridor-list').replaceChildren(
      ...shown.map((c) => {
        const li = el('li');
        li.dataset.corridor = c.id;
        li.append(el('span', 'name', c.name));
        li.append(el('span', undefined, c.faulty ? `${t('bigscreen.corridors.signals', { coordinated: c.coordinated, total: c.controllerIds.length })} · ${t('bigscreen.corridors.faulty', { count: c.faulty })}` : t('bigscreen.corridors.signals', { coordinated: c.coordinated, total: c.controllerIds.length })));
        li.append(el('span', `state state-${c.state}`, t(c.state === 'coordinated' ? 'bigscreen.state.coordinated' : c.state === 'partial' ? 'bigscreen.state.partial' : 'bigscreen.state.uncoordinated')));
        return li;
      }),
    );
  }

  function alertText(a: Alert): string {
    if (a.kind === 'star-down' || a.kind === 'star-up') return t(a.kind === 'star-down' ? 'bigscreen.alert.starDown' : 'bigscreen.alert.starUp', { name: a.name ?? a.subject, before: a.before, after: a.after });
    const type = t(DEVICE_KEYS[a.subjectType] ?? 'bigscreen.device.other');
    const name = a.name ? `${a.name}（${a.subject}）` : a.subject;
    const key = { unhealthy: 'bigscreen.alert.unhealthy', offline: 'bigscreen.alert.offline', restored: 'bigscreen.alert.restored', removed: 'bigscreen.alert.removed', added: 'bigscreen.alert.added' }[a.kind];
    return t(key, { type, name });
  }

  function renderAlerts(): void {
    const list = byId('bs-alert-list');
    if (alerts.length === 0) return list.replaceChildren(el('li', 'none', t('bigscreen.alerts.none')));
    list.replaceChildren(
      ...alerts.slice(0, 6).map((a) => {
        const li = el('li', a.severity);
        li.dataset.kind = a.kind;
        li.dataset.subject = a.subject;
        li.append(el('span', 'what', alertText(a)), el('span', 'when', t('bigscreen.alert.version', { version: a.version })));
        return li;
      }),
    );
  }

  function renderHeader(): void {
    byId('bs-scenario').textContent = live.scenario ? t('bigscreen.scenario', { name: live.scenario.name, version: live.version }) : '';
    const conn = byId('bs-connection');
    conn.dataset.state = live.state;
    byId('bs-connection-text').textContent = t(live.state === 'connected' ? 'bigscreen.connection.connected' : live.state === 'reconnecting' ? 'bigscreen.connection.reconnecting' : 'bigscreen.connection.connecting');
  }

  function renderAll(): void {
    renderHeader();
    renderIndicators();
    renderCoverage();
    renderCorridors();
    renderAlerts();
  }

  function refreshCity(): void {
    extra = cityValues(live.city);
    corridors = greenWaveCorridors(live.city);
    overlays.showDevices(['camera', 'epolice'], live.city);
    overlays.showCorridors(corridors, true);
  }

  const bs: BigscreenHooks = {
    ready: false,
    scenarioId,
    version: live.version,
    connection: live.state,
    connects: 0,
    values: {},
    lastUpdate: null,
    alerts: 0,
    governor: { scale: 1, samples: [], targetFps },
    measureFps: (minSamples, maxSeconds) => measure(minSamples, maxSeconds),
  };
  hooks.bigscreen = bs;
  const publish = () => {
    bs.version = live.version;
    bs.connection = live.state;
    bs.connects = live.connects;
    bs.values = values();
    bs.alerts = alerts.length;
  };

  refreshCity();
  overlays.colourAreas('video', results);
  recordTrends();
  renderAll();
  publish();

  live.onState = () => {
    renderHeader();
    publish();
  };
  live.onError = (e) => console.error('big screen: sync failed', e);
  // Following the city's live scenario: when an admin points the city at another one, follow that.
  if (!params.get('scenario')) live.onLiveScenario = () => location.reload();
  live.onUpdate = (u) => {
    const stars = u.delta ? starAlerts(u.delta.stars, u.version, currentLanguage()) : [];
    alerts = [...stars, ...u.alerts.slice().reverse(), ...alerts].slice(0, 50);
    if (u.changedIds.length) refreshCity();
    recordTrends();
    renderAll();
    publish();
    bs.lastUpdate = { version: u.version, shownAtMs: performance.now(), applyMs: u.applyMs };
    overlays.colourAreas('video', live.results);
  };
  onLanguageChanged(() => {
    translatePage();
    renderAll();
  });

  // ---- the frame-rate governor
  let orbiting = 0;
  let gov: GovernorState = initialGovernor(config);
  // fed only while rendering continuously (orbit or measurement), so any gap between frames is a slow frame
  const meter = new FpsMeter(1000, Infinity);
  const governorLine = byId('bs-governor');
  const showGovernor = (fps: number | null) => {
    const scale = new Intl.NumberFormat(currentLanguage(), { maximumFractionDigits: 2 }).format(gov.scale);
    governorLine.textContent = fps === null ? t('bigscreen.governorIdle', { scale }) : t('bigscreen.governor', { fps: nf(1).format(fps), scale });
  };
  widget.resolutionScale = gov.scale;
  widget.scene.postRender.addEventListener(() => {
    if (orbiting <= 0) return;
    const fps = meter.frame(performance.now());
    if (fps === null) return;
    gov = governResolution(gov, fps, config);
    if (widget.resolutionScale !== gov.scale) widget.resolutionScale = gov.scale;
    bs.governor = { scale: gov.scale, samples: [...meter.samples], targetFps };
    showGovernor(fps);
  });
  showGovernor(null);

  const sphere = scene.layers.boundingSphere;
  const range = Math.max(sphere.radius * 1.6, 600);
  let heading = CesiumMath.toRadians(20);
  const view = () => {
    widget.camera.lookAt(sphere.center, new HeadingPitchRange(heading, CesiumMath.toRadians(-38), range));
    widget.camera.lookAtTransform(Matrix4.IDENTITY);
  };
  let lastMs = performance.now();
  const orbitStep = () => {
    const now = performance.now();
    heading += CesiumMath.toRadians(2) * ((now - lastMs) / 1000); // 2° a second
    lastMs = now;
    view();
  };
  const setContinuous = (on: boolean) => {
    orbiting += on ? 1 : -1;
    const active = orbiting > 0;
    widget.scene.requestRenderMode = !active;
    if (active) {
      lastMs = performance.now();
      widget.scene.preRender.addEventListener(orbitStep);
    } else {
      widget.scene.preRender.removeEventListener(orbitStep);
      meter.reset();
      showGovernor(null);
    }
    widget.scene.requestRender();
  };
  async function measure(minSamples: number, maxSeconds: number) {
    const from = meter.samples.length;
    const scales: number[] = [];
    const remove = widget.scene.postRender.addEventListener(() => scales.push(gov.scale));
    setContinuous(true);
    const t0 = performance.now();
    while (meter.samples.length - from < minSamples && performance.now() - t0 < maxSeconds * 1000) await new Promise((r) => setTimeout(r, 250));
    setContinuous(false);
    remove();
    const samples = meter.samples.slice(from);
    return { samples, meanFps: samples.length ? samples.reduce((a, b) => a + b, 0) / samples.length : 0, scales: [...new Set(scales)], canvasWidth: widget.canvas.width, canvasHeight: widget.canvas.height, devicePixelRatio: window.devicePixelRatio };
  }
  if (orbit) setContinuous(true);

  setStatus(null);
  bs.ready = true;
  hooks.ready = true;
  hooks.timings.readyMs = performance.now();
}

start().catch((e: unknown) => {
  const message = e instanceof Error ? e.message : String(e);
  hooks.error = message;
  setStatus(t('status.error', { message }), true);
  console.error(e);
});
