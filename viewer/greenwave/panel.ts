/**
 * The green-wave panel of the workbench: pick an arterial (the city's named 主干路 corridors, or two
 * intersections clicked in 3D), a method (MAXBAND, 数解法, one-way, best in traffic) and optionally the
 * cycle and design speed; solve as a server `greenwave` job (progress, cancel); then the corridor is
 * highlighted in 3D, the time-space diagram (deck.gl) shows the signal bars, both bands and vehicles,
 * an animated clock moves the vehicles through the greens in the diagram and in 3D
 * (`ctx.setVehicles`), and the offsets, bandwidths, efficiency and the SUMO tlLogic file are at hand.
 * Logic: ./corridors.ts, ./geometry.ts, ./platoons.ts, ./timespace.ts. See
 * docs/workbench-optimiser-greenwave.md.
 */
import { Cartographic, Math as CesiumMath, ScreenSpaceEventHandler, ScreenSpaceEventType, type Cartesian2 } from 'cesium';
import '../optimiser/optgw.css';
import { LocalFrame } from '../../sim-core/cim/frame.ts';
import type { GreenWavePlan } from '../../sim-core/signal/arterial.ts';
import { cancelJob, jobResult, submitJob, watchJob } from '../api/client.ts';
import { t } from '../i18n.ts';
import { el, formatNumber, setOptions } from '../optimiser/dom.ts';
import { optgwHooks, type GreenwaveState } from '../optimiser/hooks.ts';
import { phaseText } from '../optimiser/panel.ts';
import type { Disposable, VehicleFrame, WorkbenchContext } from '../workbench/context.ts';
import { Corridor3D } from './corridor-3d.ts';
import { corridorRequestNodes, findCorridors, type CorridorChoice } from './corridors.ts';
import { TimeSpaceDiagramView, type DiagramVehicle } from './diagram.ts';
import { CorridorPath, type CorridorPoint } from './geometry.ts';
import { platoons, positionAt, type Trajectory } from './platoons.ts';
import { DIAGRAM_COLOURS, timeSpaceLayerData } from './timespace.ts';

const METHODS = ['maxband', 'numerical', 'oneway', 'best'] as const;
type Method = (typeof METHODS)[number];
const METHOD_KEYS: Record<Method | 'uncoordinated' | 'given', string> = {
  maxband: 'optgw.method.maxband',
  numerical: 'optgw.method.numerical',
  oneway: 'optgw.method.oneway',
  best: 'optgw.method.best',
  uncoordinated: 'optgw.method.uncoordinated',
  given: 'optgw.method.given',
};
const WRITERS = new Set(['planner', 'admin']);
/** Simulated seconds per real second of the animation. */
const PLAYBACK_RATE = 8;
/** Lateral offset of the vehicles from the road's centre line, m (right-hand traffic). */
const LANE_OFFSET_M = 3.5;
/** Intersections farther than this from a click are not picked, m. */
const PICK_RADIUS_M = 80;

/** A plan method as the user reads it (a one-way wave with its direction). */
function methodName(method: string, direction: unknown): string {
  const name = t(METHOD_KEYS[method as keyof typeof METHOD_KEYS] ?? 'optgw.method.given');
  if (method !== 'oneway') return name;
  return direction === 'inbound' ? t('optgw.direction.inbound', { method: name }) : t('optgw.direction.outbound', { method: name });
}

/** What a green-wave job returns. */
interface GreenwaveResult {
  plan: GreenWavePlan;
  pathNodeIds: string[];
  sumoAdditional: string;
}

/** Mounts the panel in `tab`. */
export function mountGreenwavePanel(ctx: WorkbenchContext, tab: HTMLElement): Disposable {
  const city = ctx.city;
  const frame = new LocalFrame(city.origin);
  const corridors = findCorridors(city);
  let picked: CorridorChoice | null = null;

  const corridorSelect = el('select', { id: 'optgw-corridor' });
  const pickButton = el('button', { id: 'optgw-pick', type: 'button', 'aria-pressed': 'false' });
  const methodSelect = el('select', { id: 'optgw-method' });
  const cycleInput = el('input', { id: 'optgw-cycle', type: 'number', min: 10, max: 600, step: 1, inputmode: 'numeric' });
  const speedInput = el('input', { id: 'optgw-speed', type: 'number', min: 1, max: 250, step: 1, inputmode: 'numeric' });
  const solve = el('button', { id: 'optgw-solve', type: 'submit' });
  const cancel = el('button', { id: 'optgw-gw-cancel', type: 'button', disabled: true });
  const progress = el('progress', { id: 'optgw-gw-progress', max: 1, value: 0, hidden: true });
  const phase = el('span', { id: 'optgw-gw-phase', className: 'optgw-phase' });
  const note = el('p', { id: 'optgw-gw-note', className: 'optgw-note', role: 'status' });
  const figures = el('dl', { id: 'optgw-figures', className: 'optgw-figures' });
  const diagramBox = el('div', { id: 'optgw-diagram', className: 'optgw-diagram', role: 'figure' });
  const axes = el('p', { id: 'optgw-axes', className: 'optgw-note' });
  const legend = el('p', { id: 'optgw-legend', className: 'optgw-legend' });
  const play = el('button', { id: 'optgw-play', type: 'button', 'aria-pressed': 'false' });
  const clock = el('input', { id: 'optgw-clock', type: 'range', min: 0, max: 1, step: 1, value: 0 });
  const clockLabel = el('output', { id: 'optgw-clock-label', for: 'optgw-clock' });
  const offsetsTable = el('table', { id: 'optgw-offsets', className: 'optgw-table' });
  const download = el('a', { id: 'optgw-download', className: 'optgw-download', hidden: true });
  const labels = {
    title: el('h2', { className: 'optgw-title' }),
    corridor: el('label', { for: 'optgw-corridor' }),
    method: el('label', { for: 'optgw-method' }),
    cycle: el('label', { for: 'optgw-cycle' }),
    speed: el('label', { for: 'optgw-speed' }),
    clock: el('label', { for: 'optgw-clock' }),
  };
  const form = el(
    'form',
    { id: 'optgw-gw-form', className: 'optgw-form' },
    labels.corridor,
    corridorSelect,
    el('div', { className: 'optgw-buttons' }, pickButton),
    labels.method,
    methodSelect,
    labels.cycle,
    cycleInput,
    labels.speed,
    speedInput,
    el('div', { className: 'optgw-buttons' }, solve, cancel),
    el('div', { className: 'optgw-progress' }, progress, phase),
  );
  const results = el(
    'div',
    { id: 'optgw-gw-results', hidden: true },
    figures,
    diagramBox,
    axes,
    legend,
    el('div', { className: 'optgw-playback' }, play, labels.clock, clock, clockLabel),
    offsetsTable,
    download,
  );
  tab.classList.add('optgw');
  tab.append(labels.title, form, note, results);

  const state: GreenwaveState = {
    status: 'idle',
    jobId: null,
    progress: 0,
    phase: '',
    error: null,
    corridorId: null,
    highlighted: [],
    corridor3d: { vertices: 0, signals: 0 },
    method: null,
    signals: 0,
    bandwidthS: null,
    efficiency: null,
    offsetsS: [],
    diagramFrames: 0,
    clockS: 0,
    playing: false,
    vehicles: 0,
    vehicleSample: [],
  };
  let result: GreenwaveResult | null = null;
  let path: CorridorPath | null = null;
  let trajectories: Trajectory[] = [];
  let diagram: TimeSpaceDiagramView | null = null;
  const corridor3d = new Corridor3D(ctx.scene.widget.scene);
  const removeToggle = ctx.addLayerToggle({
    id: 'optgw-corridor',
    labelKey: 'optgw.layer.corridor',
    get visible() {
      return corridor3d.isVisible;
    },
    setVisible: (v: boolean) => corridor3d.setVisible(v),
  });
  let watching: AbortController | null = null;
  let downloadUrl: string | null = null;
  let disposed = false;
  let raf = 0;
  let lastTick = 0;
  let lastDraw = 0;

  const corridorById = (id: string) => (id === 'picked' ? picked : corridors.find((c) => c.id === id) ?? null);
  const nodeName = (id: string) => {
    const i = city.roadNodes.ids.indexOf(id);
    return (i >= 0 ? city.roadNodes.names[i] : null) ?? id;
  };

  function renderStatic(): void {
    labels.title.textContent = t('optgw.greenwave.title');
    labels.corridor.textContent = t('optgw.greenwave.corridor');
    labels.method.textContent = t('optgw.greenwave.method');
    labels.cycle.textContent = t('optgw.greenwave.cycle');
    labels.speed.textContent = t('optgw.greenwave.speed');
    labels.clock.textContent = t('optgw.greenwave.clock');
    cycleInput.placeholder = speedInput.placeholder = t('optgw.greenwave.auto');
    pickButton.textContent = t('optgw.greenwave.pick');
    pickButton.title = t('optgw.greenwave.pickTitle');
    solve.textContent = t('optgw.greenwave.solve');
    cancel.textContent = t('optgw.greenwave.cancel');
    play.textContent = state.playing ? t('optgw.greenwave.pause') : t('optgw.greenwave.play');
    diagramBox.setAttribute('aria-label', t('optgw.greenwave.diagramLabel'));
    const options: [string, string][] = corridors.map((c) => [c.id, t('optgw.greenwave.corridorOption', { name: c.name, signals: c.signalCount, km: formatNumber(c.lengthM / 1000, 1) })]);
    if (picked) options.unshift(['picked', t('optgw.greenwave.pickedOption', { from: nodeName(picked.nodeIds[0]), to: nodeName(picked.nodeIds[1]) })]);
    setOptions(corridorSelect, options);
    setOptions(methodSelect, METHODS.map((m) => [m, t(METHOD_KEYS[m])] as const));
    if (corridors.length === 0 && !picked) note.textContent = t('optgw.greenwave.noCorridors');
    legend.replaceChildren(
      ...(
        [
          ['green', 'optgw.legend.green'],
          ['red', 'optgw.legend.red'],
          ['bandOutbound', 'optgw.legend.outbound'],
          ['bandInbound', 'optgw.legend.inbound'],
          ['vehicleInBand', 'optgw.legend.inBand'],
          ['vehicleStopped', 'optgw.legend.stopped'],
        ] as const
      ).map(([c, key]) => {
        const rgba = DIAGRAM_COLOURS[c];
        const swatch = el('span', { className: 'optgw-swatch', 'aria-hidden': 'true' });
        swatch.style.background = `rgba(${rgba[0]}, ${rgba[1]}, ${rgba[2]}, ${Math.max(0.35, rgba[3] / 255)})`;
        return el('span', { className: 'optgw-legend-item' }, swatch, el('span', { text: t(key) }));
      }),
    );
  }

  function blocker(): string | null {
    const user = ctx.user();
    if (!user) return t('optgw.note.login');
    if (!WRITERS.has(user.role)) return t('optgw.note.role');
    return null;
  }

  function renderControls(): void {
    const running = state.status === 'running';
    const why = blocker();
    solve.disabled = running || why !== null || !corridorById(corridorSelect.value);
    cancel.disabled = !running;
    corridorSelect.disabled = methodSelect.disabled = cycleInput.disabled = speedInput.disabled = pickButton.disabled = running;
    progress.hidden = state.status === 'idle';
    progress.value = state.progress;
    phase.textContent = running ? phaseText(state.phase, 'running', 'greenwave') : state.status === 'cancelled' ? t('optgw.phase.cancelled') : state.status === 'failed' ? t('optgw.phase.failed') : state.status === 'done' ? t('optgw.phase.done') : '';
    note.textContent = why ?? state.error ?? (pickMode ? (pickFirst ? t('optgw.greenwave.pickSecond', { from: nodeName(pickFirst) }) : t('optgw.greenwave.pickFirst')) : '');
    note.classList.toggle('error', !why && !!state.error);
  }

  function highlightCorridor(): void {
    if (result) ctx.highlight({ intersectionIds: result.plan.signals.map((s) => s.nodeId) });
    else {
      const c = corridorById(corridorSelect.value);
      if (!c) return;
      const sig = c.nodeIds.filter((id) => city.roadNodes.signalized[city.roadNodes.ids.indexOf(id)] === 1);
      ctx.highlight({ intersectionIds: sig.length ? sig : c.nodeIds });
    }
  }

  // ---- picking two intersections in 3D ----
  let pickMode = false;
  let pickFirst: string | null = null;
  let handler: ScreenSpaceEventHandler | null = null;
  function nearestSignal(position: Cartesian2): string | null {
    const widget = ctx.scene.widget;
    const cart = widget.camera.pickEllipsoid(position, widget.scene.globe.ellipsoid);
    if (!cart) return null;
    const c = Cartographic.fromCartesian(cart);
    const xy = frame.toLocal(CesiumMath.toDegrees(c.longitude), CesiumMath.toDegrees(c.latitude));
    const N = city.roadNodes;
    let best = -1, bestD = PICK_RADIUS_M;
    for (let i = 0; i < N.count; i++) {
      if (!N.signalized[i]) continue;
      const d = Math.hypot(N.xyM[2 * i] - xy[0], N.xyM[2 * i + 1] - xy[1]);
      if (d < bestD) (bestD = d), (best = i);
    }
    return best < 0 ? null : N.ids[best];
  }
  function setPickMode(on: boolean): void {
    pickMode = on;
    pickFirst = null;
    pickButton.setAttribute('aria-pressed', String(on));
    if (on && !handler) {
      handler = new ScreenSpaceEventHandler(ctx.scene.widget.scene.canvas);
      handler.setInputAction((e: { position: Cartesian2 }) => {
        const id = nearestSignal(e.position);
        if (!id) {
          state.error = t('optgw.greenwave.pickMissed');
          renderControls();
          state.error = null;
          return;
        }
        if (!pickFirst) {
          pickFirst = id;
          ctx.highlight({ intersectionIds: [id] });
        } else if (id !== pickFirst) {
          picked = { id: 'picked', name: `${nodeName(pickFirst)} – ${nodeName(id)}`, roadClass: 'arterial', nodeIds: [pickFirst, id], signalCount: 2, lengthM: 0 };
          setPickMode(false);
          renderStatic();
          corridorSelect.value = 'picked';
          highlightCorridor();
        }
        renderControls();
      }, ScreenSpaceEventType.LEFT_CLICK);
    } else if (!on && handler) {
      handler.destroy();
      handler = null;
    }
    renderControls();
  }

  // ---- solving ----
  async function start(): Promise<void> {
    const c = corridorById(corridorSelect.value);
    if (!c || blocker() || state.status === 'running') return;
    const method = methodSelect.value as Method;
    const params: Record<string, unknown> = { nodeIds: corridorRequestNodes(city, c.nodeIds), method };
    const cycleS = Number(cycleInput.value), speedKmh = Number(speedInput.value);
    if (cycleInput.value !== '') {
      if (!(cycleS >= 10 && cycleS <= 600)) return fail(t('optgw.error.cycle'));
      params.cycleS = cycleS;
    }
    if (speedInput.value !== '') {
      if (!(speedKmh > 0 && speedKmh <= 250)) return fail(t('optgw.error.speed'));
      params.speedKmh = speedKmh;
    }
    stopPlayback();
    clearResult();
    Object.assign(state, { status: 'running', jobId: null, progress: 0, phase: 'queued', error: null, corridorId: c.id, method });
    renderControls();
    const scenario = ctx.scenario();
    watching = new AbortController();
    try {
      const job = await submitJob('greenwave', scenario ? { scenarioId: scenario.id, version: scenario.version } : { cityId: 'default' }, params);
      state.jobId = job.id;
      const final = await watchJob(
        job.id,
        (j) => {
          state.progress = j.progress;
          state.phase = j.phase;
          if (!disposed) renderControls();
        },
        watching.signal,
      );
      if (disposed) return;
      if (final.status !== 'done') {
        Object.assign(state, { status: final.status === 'cancelled' ? 'cancelled' : 'failed', error: final.status === 'failed' ? t('optgw.error.job', { message: final.error ?? '' }) : null });
        return;
      }
      showResult(await jobResult<GreenwaveResult>(job.id));
      Object.assign(state, { status: 'done', progress: 1, phase: 'done' });
    } catch (e) {
      if (disposed || (e as Error).name === 'AbortError') return;
      Object.assign(state, { status: 'failed', error: t('optgw.error.job', { message: (e as Error).message }) });
    } finally {
      watching = null;
      if (!disposed) renderControls();
    }
  }

  function fail(message: string): void {
    state.error = message;
    renderControls();
  }

  function clearResult(): void {
    result = null;
    path = null;
    trajectories = [];
    results.hidden = true;
    ctx.setVehicles(null);
    corridor3d.clear();
    Object.assign(state, { signals: 0, bandwidthS: null, efficiency: null, offsetsS: [], vehicles: 0, vehicleSample: [] });
    if (downloadUrl) URL.revokeObjectURL(downloadUrl);
    downloadUrl = null;
  }

  function showResult(r: GreenwaveResult): void {
    result = r;
    const plan = r.plan;
    path = CorridorPath.fromNodes(city, r.pathNodeIds);
    path.originM = path.chainageOfNode(plan.signals[0].nodeId);
    trajectories = platoons(plan, { headwayS: Math.max(4, Math.round(plan.cycleS / 12)) });
    Object.assign(state, {
      signals: plan.signals.length,
      bandwidthS: { ...plan.bandwidthS },
      efficiency: plan.efficiency,
      offsetsS: plan.signals.map((s) => s.offsetS),
    });
    results.hidden = false;
    renderFigures();
    renderOffsets();
    const blob = new Blob([r.sumoAdditional], { type: 'application/xml' });
    downloadUrl = URL.createObjectURL(blob);
    download.href = downloadUrl;
    download.download = `greenwave-${plan.signals[0].nodeId}-${plan.signals[plan.signals.length - 1].nodeId}.add.xml`;
    download.hidden = false;
    download.textContent = t('optgw.greenwave.download');
    diagram ??= new TimeSpaceDiagramView(diagramBox);
    // Bars about 2.5 px wide each at the fitted zoom (a long corridor puts its signals a few px apart).
    const spanM = Math.max(1, Math.abs(plan.signals[plan.signals.length - 1].positionM - plan.signals[0].positionM));
    diagram.setData(timeSpaceLayerData(plan, { trajectories, barWidthM: Math.max(2, (2.5 * spanM) / Math.max(100, diagramBox.clientWidth)) }));
    axes.textContent = t('optgw.greenwave.axes', { lengthM: formatNumber(Math.abs(plan.signals[plan.signals.length - 1].positionM), 0), horizonS: formatNumber(plan.timeSpace.horizonS, 0) });
    clock.max = String(Math.floor(plan.timeSpace.horizonS));
    highlightCorridor();
    // The corridor in 3D beside the diagram, seen from its middle (at most 3 km away: vehicles stay visible).
    corridor3d.set(path, plan.signals.map((s) => s.positionM), frame);
    path.pointAt(path.originM + spanM / 2, point);
    frame.toLngLat(point.xM, point.yM, ll);
    void ctx.flyTo(ll[0], ll[1], Math.min(3000, Math.max(500, spanM * 0.9)));
    setClock(0);
    startPlayback();
  }

  function renderFigures(): void {
    figures.replaceChildren();
    if (!result) return;
    const plan = result.plan;
    const row = (key: string, value: string, id: string) => figures.append(el('dt', { text: t(key) }), el('dd', { id, text: value }));
    const chosen = methodName(plan.method, plan.details.direction);
    row('optgw.figures.method', state.method === 'best' ? t('optgw.figures.chosen', { method: chosen }) : chosen, 'optgw-fig-method');
    row('optgw.figures.cycle', t('optgw.unit.seconds', { value: formatNumber(plan.cycleS, 0) }), 'optgw-fig-cycle');
    row('optgw.figures.outbound', t('optgw.unit.seconds', { value: formatNumber(plan.bandwidthS.outbound, 1) }), 'optgw-fig-outbound');
    row('optgw.figures.inbound', t('optgw.unit.seconds', { value: formatNumber(plan.bandwidthS.inbound, 1) }), 'optgw-fig-inbound');
    row('optgw.figures.efficiency', `${formatNumber(plan.efficiency * 100, 1)} %`, 'optgw-fig-efficiency');
    const v = plan.progressionSpeedsMps.outbound;
    if (v.length) row('optgw.figures.speed', t('optgw.unit.kmh', { value: formatNumber((v.reduce((a, b) => a + b, 0) / v.length) * 3.6, 1) }), 'optgw-fig-speed');
    const ranking = plan.details.ranking as { method: string; direction?: unknown; performanceIndexS: number }[] | undefined;
    if (Array.isArray(ranking)) {
      row('optgw.figures.ranking', ranking.map((r) => t('optgw.figures.rankItem', { method: methodName(r.method, r.direction), value: formatNumber(r.performanceIndexS, 0) })).join(t('optgw.listSeparator')), 'optgw-fig-ranking');
    }
  }

  function renderOffsets(): void {
    offsetsTable.replaceChildren();
    if (!result) return;
    const head = el('tr', {}, ...['optgw.offsets.index', 'optgw.offsets.intersection', 'optgw.offsets.position', 'optgw.offsets.offset'].map((k) => el('th', { scope: 'col', text: t(k) })));
    offsetsTable.append(el('caption', { text: t('optgw.offsets.caption') }), el('thead', {}, head));
    const body = el('tbody');
    result.plan.signals.forEach((s, i) => {
      body.append(el('tr', { 'data-node': s.nodeId }, el('td', { text: formatNumber(i + 1, 0) }), el('td', { text: nodeName(s.nodeId) }), el('td', { text: formatNumber(s.positionM, 0) }), el('td', { text: formatNumber(s.offsetS, 1) })));
    });
    offsetsTable.append(body);
  }

  // ---- the clock: vehicles in the diagram and in 3D ----
  const point: CorridorPoint = { xM: 0, yM: 0, headingDeg: 0 };
  const ll = new Float64Array(2);
  function setClock(tS: number): void {
    if (!result || !path) return;
    state.clockS = tS;
    clock.value = String(Math.floor(tS));
    clockLabel.textContent = t('optgw.unit.seconds', { value: formatNumber(tS, 0) });
    const active: { pos: number; tr: Trajectory }[] = [];
    for (const tr of trajectories) {
      const pos = positionAt(tr, tS);
      if (!Number.isNaN(pos)) active.push({ pos, tr });
    }
    const n = active.length;
    const vf: VehicleFrame = { count: n, lonLatDeg: new Float64Array(2 * n), headingDeg: new Float32Array(n), rgba: new Uint8Array(4 * n) };
    const dots: DiagramVehicle[] = [];
    active.forEach(({ pos, tr }, k) => {
      path!.pointAtPlanM(pos, point);
      const h = tr.direction === 'outbound' ? point.headingDeg : (point.headingDeg + 180) % 360;
      const rad = (h * Math.PI) / 180;
      // Right of the direction of travel: (cos h, −sin h) in (east, north).
      frame.toLngLat(point.xM + LANE_OFFSET_M * Math.cos(rad), point.yM - LANE_OFFSET_M * Math.sin(rad), ll);
      vf.lonLatDeg[2 * k] = ll[0];
      vf.lonLatDeg[2 * k + 1] = ll[1];
      vf.headingDeg[k] = h;
      const c = tr.stops > 0 ? DIAGRAM_COLOURS.vehicleStopped : DIAGRAM_COLOURS.vehicleInBand;
      vf.rgba!.set(c, 4 * k);
      dots.push({ xy: [pos, tS], inBand: tr.stops === 0 });
    });
    ctx.setVehicles(vf);
    state.vehicles = n;
    state.vehicleSample = Array.from(vf.lonLatDeg.subarray(0, 8));
    diagram?.setClock(tS, dots);
    state.diagramFrames = diagram?.frames ?? 0;
  }

  function tick(now: number): void {
    raf = 0;
    if (!state.playing || !result) return;
    const dt = lastTick ? (now - lastTick) / 1000 : 0;
    lastTick = now;
    const horizon = result.plan.timeSpace.horizonS;
    const next = (state.clockS + dt * PLAYBACK_RATE) % horizon;
    state.clockS = next;
    // Redraw at most ~8 times a second (software WebGL is slow; the clock itself keeps real time).
    if (now - lastDraw > 120) {
      lastDraw = now;
      setClock(next);
    }
    raf = requestAnimationFrame(tick);
  }
  function startPlayback(): void {
    if (!result) return;
    state.playing = true;
    play.setAttribute('aria-pressed', 'true');
    play.textContent = t('optgw.greenwave.pause');
    lastTick = 0;
    if (!raf) raf = requestAnimationFrame(tick);
  }
  function stopPlayback(): void {
    state.playing = false;
    play.setAttribute('aria-pressed', 'false');
    play.textContent = t('optgw.greenwave.play');
    if (raf) cancelAnimationFrame(raf);
    raf = 0;
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void start();
  });
  cancel.addEventListener('click', () => {
    if (state.jobId && state.status === 'running') cancelJob(state.jobId).catch((e: unknown) => fail(t('optgw.error.cancel', { message: (e as Error).message })));
  });
  corridorSelect.addEventListener('change', () => {
    if (!result) highlightCorridor();
    renderControls();
  });
  pickButton.addEventListener('click', () => setPickMode(!pickMode));
  play.addEventListener('click', () => (state.playing ? stopPlayback() : startPlayback()));
  clock.addEventListener('input', () => {
    stopPlayback();
    setClock(Number(clock.value));
  });

  const offs = [
    ctx.on('scenario', renderControls),
    ctx.on('language', () => {
      renderStatic();
      renderControls();
      renderFigures();
      renderOffsets();
      if (result) {
        download.textContent = t('optgw.greenwave.download');
        axes.textContent = t('optgw.greenwave.axes', { lengthM: formatNumber(Math.abs(result.plan.signals[result.plan.signals.length - 1].positionM), 0), horizonS: formatNumber(result.plan.timeSpace.horizonS, 0) });
        setClock(state.clockS);
      }
    }),
  ];
  renderStatic();
  renderControls();
  const hooks = optgwHooks();
  hooks.greenwave = () => ({ ...structuredClone(state), diagramFrames: diagram?.frames ?? 0, highlighted: [...(ctx.highlighted().intersectionIds ?? [])], corridor3d: corridor3d.counts() });
  hooks.diagramPixels = () => diagram?.pixelCounts() ?? null;

  return {
    dispose() {
      disposed = true;
      watching?.abort();
      stopPlayback();
      setPickMode(false);
      for (const off of offs) off();
      ctx.setVehicles(null);
      removeToggle();
      corridor3d.dispose();
      diagram?.dispose();
      if (downloadUrl) URL.revokeObjectURL(downloadUrl);
      delete hooks.greenwave;
      delete hooks.diagramPixels;
      tab.replaceChildren();
    },
  };
}
