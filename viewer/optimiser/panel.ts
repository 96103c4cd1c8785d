/**
 * The "next star" optimiser panel of the workbench: pick an indicator (HD video, 5G key areas,
 * weather-station spacing) and a target (the next star, a star, a percent, a count), run a server
 * `placement` job on the open scenario's saved version (progress bar, phase, cancel), then see the
 * proposals as ghosts in 3D (`ctx.showProposals`) and in a list with what each covers; accept
 * (`ctx.apply`, undoable: an undone device brings its proposal back), reject, accept all, and fly to
 * one by activating it. Logic lives in ./model.ts; this file is the DOM. See
 * docs/workbench-optimiser-greenwave.md.
 */
import './optgw.css';
import { api, cancelJob, submitJob, watchJob, type DeviceFeature, type Job } from '../api/client.ts';
import { t } from '../i18n.ts';
import type { Disposable, WorkbenchContext } from '../workbench/context.ts';
import { el, formatNumber, setOptions } from './dom.ts';
import { optgwHooks, type OptimiserState } from './hooks.ts';
import { goalFor, GoalError, indicatorById, OPTIMISER_INDICATORS, parseProposals, proposalDeviceId, proposalDevices, ProposalList, starsOf, type IndicatorId, type Proposal, type TargetChoice } from './model.ts';

const INDICATOR_KEYS: Record<IndicatorId, string> = { video: 'optgw.indicator.video', nr5g: 'optgw.indicator.fiveG', weather: 'optgw.indicator.weather' };
const TARGET_KEYS = { next: 'optgw.target.next', star: 'optgw.target.star', percent: 'optgw.target.percent', count: 'optgw.target.count' } as const;
const DEVICE_KEYS = { camera: 'optgw.device.camera', cell5g: 'optgw.device.cell', weather: 'optgw.device.weather' } as const;
const WRITERS = new Set(['planner', 'admin']);

/** A server phase as the user reads it (known phases translated, others as the server names them). */
export function phaseText(phase: string, status: Job['status'] | 'idle', kind: 'placement' | 'greenwave' = 'placement'): string {
  if (status === 'queued') return t('optgw.phase.queued');
  const p = phase.toLowerCase();
  if (kind === 'greenwave' && p === 'solve') return t('optgw.phase.offsets');
  if (p === 'traffic') return t('optgw.phase.traffic');
  if (p === 'candidates') return t('optgw.phase.candidates');
  if (p.includes('coverage') || p.includes('column') || p.includes('matrix')) return t('optgw.phase.coverage');
  if (p.includes('greedy') || p.includes('swap') || p.includes('exact') || p.includes('solve') || p.includes('milp')) return t('optgw.phase.solve');
  if (p === 'corridor') return t('optgw.phase.corridor');
  if (p === 'done') return t('optgw.phase.done');
  return phase;
}

/** Mounts the panel in `tab`. */
export function mountOptimiserPanel(ctx: WorkbenchContext, tab: HTMLElement): Disposable {
  const indicator = el('select', { id: 'optgw-indicator' });
  const targetKind = el('select', { id: 'optgw-target-kind' });
  const targetValue = el('input', { id: 'optgw-target-value', type: 'number', min: 1, step: 'any', inputmode: 'decimal' });
  const run = el('button', { id: 'optgw-run', type: 'submit' });
  const cancel = el('button', { id: 'optgw-cancel', type: 'button', disabled: true });
  const progress = el('progress', { id: 'optgw-progress', max: 1, value: 0 });
  const phase = el('span', { id: 'optgw-phase', className: 'optgw-phase' });
  const current = el('p', { id: 'optgw-current', className: 'optgw-note' });
  const note = el('p', { id: 'optgw-note', className: 'optgw-note', role: 'status' });
  const summary = el('p', { id: 'optgw-summary', className: 'optgw-note', 'aria-live': 'polite' });
  const acceptAll = el('button', { id: 'optgw-accept-all', type: 'button', hidden: true });
  const list = el('ol', { id: 'optgw-proposals', className: 'optgw-list' });
  const labels = {
    title: el('h2', { className: 'optgw-title' }),
    indicator: el('label', { for: 'optgw-indicator' }),
    target: el('label', { for: 'optgw-target-kind' }),
    value: el('label', { for: 'optgw-target-value' }),
  };
  const form = el(
    'form',
    { id: 'optgw-form', className: 'optgw-form' },
    labels.indicator,
    indicator,
    labels.target,
    targetKind,
    labels.value,
    targetValue,
    el('div', { className: 'optgw-buttons' }, run, cancel),
    el('div', { className: 'optgw-progress' }, progress, phase),
  );
  tab.classList.add('optgw');
  tab.append(labels.title, current, form, note, summary, acceptAll, list);

  const state: OptimiserState = { status: 'idle', jobId: null, progress: 0, phase: '', phasesSeen: [], error: null, proposals: [], ghosts: 0 };
  let proposals: ProposalList | null = null;
  let watching: AbortController | null = null;
  let disposed = false;
  let busy = false; // an apply in flight

  const selectedIndicator = () => indicatorById(indicator.value);
  const target = (): TargetChoice => {
    const kind = targetKind.value as TargetChoice['kind'];
    const v = Number(targetValue.value);
    if (kind === 'next') return { kind };
    if (kind === 'star') return { kind, star: v };
    if (kind === 'percent') return { kind, percent: v };
    return { kind, count: v };
  };

  function renderStatic(): void {
    labels.title.textContent = t('optgw.optimiser.title');
    labels.indicator.textContent = t('optgw.optimiser.indicator');
    labels.target.textContent = t('optgw.optimiser.target');
    labels.value.textContent = t('optgw.optimiser.value');
    setOptions(indicator, OPTIMISER_INDICATORS.map((i) => [i.id, t(INDICATOR_KEYS[i.id])] as const));
    const kinds = (selectedIndicator().stars ? (['next', 'star', 'percent', 'count'] as const) : (['percent', 'count'] as const)).map((k) => [k, t(TARGET_KEYS[k])] as const);
    setOptions(targetKind, kinds);
    run.textContent = t('optgw.optimiser.run');
    cancel.textContent = t('optgw.optimiser.cancel');
    acceptAll.textContent = t('optgw.optimiser.acceptAll');
  }

  function renderValueInput(): void {
    const kind = targetKind.value;
    targetValue.disabled = kind === 'next';
    labels.value.hidden = targetValue.hidden = kind === 'next';
    if (kind === 'star') Object.assign(targetValue, { min: '1', max: '5', step: '1' });
    else if (kind === 'percent') Object.assign(targetValue, { min: '0.1', max: '100', step: 'any' });
    else Object.assign(targetValue, { min: '1', max: '10000', step: '1' });
    if (kind !== 'next' && targetValue.value === '') targetValue.value = kind === 'star' ? '4' : kind === 'percent' ? '90' : '1';
  }

  function renderCurrent(): void {
    const ind = selectedIndicator();
    const v = ctx.results()?.indicators[ind.measure];
    if (!v) {
      current.textContent = t('optgw.optimiser.noValue');
      return;
    }
    const unit = v.unit === 'km' ? t('optgw.unit.km') : '%';
    const value = `${formatNumber(v.value, 2)} ${unit}`;
    if (ind.stars && typeof v.numerator === 'number' && typeof v.denominator === 'number') {
      const s = starsOf(ind.measure, v.numerator, v.denominator);
      current.textContent =
        s.next === null
          ? t('optgw.optimiser.currentTop', { value, star: s.current })
          : t('optgw.optimiser.current', { value, numerator: v.numerator, denominator: v.denominator, star: s.current, next: s.next, needed: s.unitsNeeded });
    } else current.textContent = t('optgw.optimiser.currentPlain', { value });
    // Weather spacing has no star levels; its percent target counts the 城区 grid cells within a station's covering radius.
    if (ind.id === 'weather') current.textContent += ` ${t('optgw.optimiser.weatherNote')}`;
  }

  /** Why the optimiser cannot run now, or null. */
  function blocker(): string | null {
    const user = ctx.user();
    if (!user) return t('optgw.note.login');
    if (!WRITERS.has(user.role)) return t('optgw.note.role');
    if (!ctx.scenario()) return t('optgw.note.noScenario');
    return null;
  }

  function renderControls(): void {
    const running = state.status === 'running';
    const why = blocker();
    run.disabled = running || why !== null;
    cancel.disabled = !running;
    indicator.disabled = targetKind.disabled = running;
    const s = ctx.scenario();
    if (why) note.textContent = why;
    else if (state.error) note.textContent = state.error;
    else if (s?.dirty) note.textContent = t('optgw.note.unsaved', { version: s.version });
    else note.textContent = '';
    note.classList.toggle('error', !!state.error && !why);
    progress.value = state.progress;
    progress.hidden = state.status === 'idle';
    phase.textContent = state.status === 'running' ? phaseText(state.phase, 'running') : state.status === 'cancelled' ? t('optgw.phase.cancelled') : state.status === 'failed' ? t('optgw.phase.failed') : state.status === 'done' ? t('optgw.phase.done') : '';
  }

  function areaText(areas: { name: string; samples: number }[]): string {
    return areas.map((a) => (a.samples > 0 ? t('optgw.proposal.areaSamples', { name: a.name, samples: formatNumber(a.samples, 0) }) : a.name)).join(t('optgw.listSeparator'));
  }

  function renderProposals(): void {
    list.replaceChildren();
    if (!proposals) {
      summary.textContent = '';
      acceptAll.hidden = true;
      return;
    }
    const c = proposals.counts();
    summary.textContent = t('optgw.optimiser.summary', { total: proposals.all.length, pending: c.pending, accepted: c.accepted, rejected: c.rejected });
    // The job's own measure for this device (weather: the share of grid cells within a station's radius).
    const after = (proposals.set.placement.indicators as { valueBefore?: number; valueAfter?: number; device?: string }[] | undefined)?.find((x) => x.device === selectedIndicatorOfJob?.device);
    if (after && typeof after.valueBefore === 'number' && typeof after.valueAfter === 'number') {
      summary.textContent += ` ${t('optgw.optimiser.expected', { before: formatNumber(after.valueBefore, 2), after: formatNumber(after.valueAfter, 2) })}`;
    }
    acceptAll.hidden = c.pending === 0;
    acceptAll.disabled = busy;
    for (const p of proposals.pending()) list.append(proposalItem(p));
  }

  function proposalItem(p: Proposal): HTMLLIElement {
    const heading = p.headingDeg === null ? '' : t('optgw.proposal.heading', { heading: formatNumber(p.headingDeg, 0) });
    const fly = el('button', {
      type: 'button',
      className: 'optgw-fly',
      'data-proposal': p.id,
      text: t('optgw.proposal.title', { rank: p.rank, device: t(DEVICE_KEYS[p.device]), height: formatNumber(p.heightM, 1), heading }),
      title: t('optgw.proposal.flyTitle'),
    });
    fly.addEventListener('click', () => {
      ctx.highlight({ areaIds: [...p.completes, ...p.advances].map((a) => a.id) });
      void ctx.flyTo(p.lonDeg, p.latDeg, 300);
    });
    const lines = el('div', { className: 'optgw-explain' });
    if (p.completes.length) lines.append(el('div', { text: t('optgw.proposal.completes', { areas: areaText(p.completes) }) }));
    if (p.advances.length) lines.append(el('div', { text: t('optgw.proposal.advances', { areas: areaText(p.advances) }) }));
    if (!p.completes.length && !p.advances.length && p.newlyCoveredSamples > 0) lines.append(el('div', { text: t('optgw.proposal.samples', { samples: formatNumber(p.newlyCoveredSamples, 0) }) }));
    lines.append(el('div', { text: t('optgw.proposal.gain', { gain: formatNumber(p.marginalGain, 6), points: formatNumber(p.indicatorPointsAdded, 2) }) }));
    if (p.template) lines.append(el('div', { className: 'optgw-template', text: p.template }));
    const accept = el('button', { type: 'button', className: 'optgw-accept', 'data-proposal': p.id, text: t('optgw.proposal.accept'), disabled: busy });
    const reject = el('button', { type: 'button', className: 'optgw-reject', 'data-proposal': p.id, text: t('optgw.proposal.reject'), disabled: busy });
    accept.addEventListener('click', () => void acceptProposals([p]));
    reject.addEventListener('click', () => {
      proposals?.reject(p.id);
      afterDecision();
    });
    return el('li', { className: 'optgw-proposal', 'data-proposal': p.id }, fly, lines, el('div', { className: 'optgw-buttons' }, accept, reject));
  }

  /** The ghosts: every pending proposal's devices, with the proposal id (sectors `<id>/<azimuth>`). */
  function showGhosts(): void {
    const feats: DeviceFeature[] = [];
    for (const p of proposals?.pending() ?? []) feats.push(...proposalDevices(p, p.id, t('optgw.proposal.ghostName', { rank: p.rank }), `placement job ${proposals!.set.jobId}`));
    ctx.showProposals(feats);
    state.ghosts = feats.length;
  }

  function afterDecision(): void {
    syncState();
    showGhosts();
    renderProposals();
  }

  async function acceptProposals(ps: Proposal[]): Promise<void> {
    if (!proposals || busy || ps.length === 0) return;
    const jobId = proposals.set.jobId;
    const taken = new Set<string>();
    const isTaken = (id: string) => taken.has(id) || ctx.device(id) !== undefined;
    const added: { p: Proposal; ids: string[] }[] = [];
    const changes = ps.flatMap((p) => {
      const id = proposalDeviceId(jobId, p.rank, isTaken);
      const feats = proposalDevices(p, id, t('optgw.proposal.deviceName', { rank: p.rank }), `placement job ${jobId}`);
      for (const f of feats) taken.add(f.id);
      taken.add(id);
      added.push({ p, ids: feats.map((f) => f.id) });
      return feats.map((feature) => ({ op: 'add' as const, feature }));
    });
    busy = true;
    renderProposals();
    try {
      await ctx.apply(changes, ps.length > 1 ? 'optgw.history.acceptAll' : 'optgw.history.accept');
      for (const a of added) proposals.accept(a.p.id, a.ids);
      state.error = null;
    } catch (e) {
      state.error = t('optgw.error.apply', { message: (e as Error).message });
    } finally {
      busy = false;
      if (!disposed) {
        afterDecision();
        renderControls();
      }
    }
  }

  let selectedIndicatorOfJob: ReturnType<typeof indicatorById> | null = null;

  async function start(): Promise<void> {
    const why = blocker();
    if (why || state.status === 'running') return;
    const ind = selectedIndicator();
    let goal;
    try {
      goal = goalFor(ind, target(), ctx.results()?.indicators ?? null);
    } catch (e) {
      state.error = e instanceof GoalError ? t(`optgw.${e.key}`, e.values) : (e as Error).message;
      renderControls();
      return;
    }
    const scenario = ctx.scenario()!;
    proposals = null;
    selectedIndicatorOfJob = ind;
    ctx.showProposals([]);
    Object.assign(state, { status: 'running', jobId: null, progress: 0, phase: 'queued', phasesSeen: [], error: null, proposals: [], ghosts: 0 });
    renderProposals();
    renderControls();
    watching = new AbortController();
    try {
      const job = await submitJob('placement', { scenarioId: scenario.id, version: scenario.version }, { device: ind.device, goal });
      state.jobId = job.id;
      const final = await watchJob(
        job.id,
        (j) => {
          state.progress = j.progress;
          state.phase = j.phase;
          if (j.phase && !state.phasesSeen.includes(j.phase)) state.phasesSeen.push(j.phase);
          if (!disposed) {
            renderControls();
            if (j.status === 'queued') phase.textContent = phaseText(j.phase, 'queued');
          }
        },
        watching.signal,
      );
      if (disposed) return;
      if (final.status === 'done') {
        const { data } = await api<unknown>('GET', `/api/jobs/${encodeURIComponent(job.id)}/proposals`);
        proposals = new ProposalList(parseProposals(data, job.id, ctx.city));
        Object.assign(state, { status: 'done', progress: 1, phase: 'done' });
        afterDecision();
      } else {
        Object.assign(state, { status: final.status === 'cancelled' ? 'cancelled' : 'failed', error: final.status === 'failed' ? t('optgw.error.job', { message: final.error ?? '' }) : null });
      }
    } catch (e) {
      if (disposed || (e as Error).name === 'AbortError') return;
      Object.assign(state, { status: 'failed', error: t('optgw.error.job', { message: (e as Error).message }) });
    } finally {
      watching = null;
      if (!disposed) renderControls();
    }
  }

  function syncState(): void {
    state.proposals = (proposals?.all ?? []).map((p) => ({
      id: p.id,
      rank: p.rank,
      device: p.device,
      state: p.state,
      deviceIds: [...p.deviceIds],
      lonDeg: p.lonDeg,
      latDeg: p.latDeg,
      completes: p.completes.map((a) => a.id),
      advances: p.advances.map((a) => a.id),
    }));
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void start();
  });
  cancel.addEventListener('click', () => {
    if (state.jobId && state.status === 'running') {
      cancelJob(state.jobId).catch((e: unknown) => {
        state.error = t('optgw.error.cancel', { message: (e as Error).message });
        renderControls();
      });
    }
  });
  acceptAll.addEventListener('click', () => void acceptProposals(proposals?.pending() ?? []));
  indicator.addEventListener('change', () => {
    renderStatic();
    renderValueInput();
    renderCurrent();
  });
  targetKind.addEventListener('change', renderValueInput);

  const offs = [
    ctx.on('results', renderCurrent),
    ctx.on('scenario', renderControls),
    ctx.on('devices', () => {
      renderControls();
      if (proposals && !busy && proposals.reconcile((id) => ctx.device(id) !== undefined)) afterDecision();
    }),
    ctx.on('language', () => {
      renderStatic();
      renderValueInput();
      renderCurrent();
      renderControls();
      renderProposals();
    }),
  ];
  renderStatic();
  renderValueInput();
  renderCurrent();
  renderControls();
  const hooks = optgwHooks();
  hooks.optimiser = () => structuredClone(state);

  return {
    dispose() {
      disposed = true;
      watching?.abort();
      for (const off of offs) off();
      ctx.showProposals([]);
      delete hooks.optimiser;
      tab.replaceChildren();
    },
  };
}
