/**
 * Scenario A vs B (a workbench tab): two pickers (the current, possibly unsaved devices, or any saved
 * version of a scenario), both computed in the browser — a version's devices go into a second
 * simulation session (a Web Worker of its own, loaded once with the same city) and its snapshot is
 * scored like the current one — then per-indicator deltas (values and stars) and the device diff.
 * The view model is compare-model.ts; this file renders it.
 */
import { cityWithDevices, type DeviceFeature } from '../../sim-core/cim/device-features.ts';
import { inventoryFromCity } from '../../sim-core/session/devices.ts';
import type { SessionSnapshotBody } from '../../sim-core/session/session.ts';
import { createBrowserClient, type SimulationClient } from '../../workers/browser.ts';
import { api, getScenario, listScenarios, type ScenarioInfo } from '../api/client.ts';
import { currentLanguage, t } from '../i18n.ts';
import type { Disposable, WorkbenchContext } from '../workbench/context.ts';
import { deviceListValues, planForCity } from './city-values.ts';
import { deviceDiff, indicatorDeltas, type DeviceDiff, type IndicatorDelta } from './compare-model.ts';
import { el, fmt, fmtSigned, table } from './dom.ts';
import { panelsHooks } from './hooks.ts';
import { buildIndicatorModel, nameIn, starGlyphs, type IndicatorModel } from './indicator-rows.ts';
import { valueText } from './indicator-panel.ts';

/** The current devices of the workbench. */
export const CURRENT = 'current';
/** Scenarios whose versions are listed at most. */
const MAX_SCENARIOS = 30;
/** Device ids listed per diff kind at most. */
const MAX_IDS = 15;

interface Side {
  label: string;
  devices: readonly DeviceFeature[];
  model: IndicatorModel;
}

/** Mounts the panel into `tab`. */
export function mountComparePanel(ctx: WorkbenchContext, tab: HTMLElement): Disposable {
  const plan = planForCity(ctx.city.meta.name);
  const root = el('div', { class: 'pn-compare' });
  tab.append(root);
  const status = el('p', { role: 'status', 'aria-live': 'polite', class: 'wb-muted' });
  const selA = el('select', { id: 'pn-compare-a' });
  const selB = el('select', { id: 'pn-compare-b' });
  const labelA = el('label', { for: 'pn-compare-a' });
  const labelB = el('label', { for: 'pn-compare-b' });
  const runBtn = el('button', { type: 'button', id: 'pn-compare-run' });
  const refreshBtn = el('button', { type: 'button', id: 'pn-compare-refresh' });
  const changedOnly = el('input', { type: 'checkbox', id: 'pn-compare-changed', checked: true });
  const changedLabel = el('label', { for: 'pn-compare-changed' });
  const out = el('div', { class: 'pn-compare-out' });
  root.append(el('div', { class: 'wb-form' }, labelA, selA, labelB, selB), el('div', { class: 'wb-row' }, runBtn, refreshBtn, el('span', {}, changedOnly, changedLabel)), status, out);

  let options: { value: string; label: string }[] = [{ value: CURRENT, label: '' }];
  let optionsLoaded: Promise<void> = Promise.resolve();
  let optionsError: string | null = null;
  let last: { a: Side; b: Side; deltas: IndicatorDelta[]; diff: DeviceDiff } | null = null;
  let statusKey: { key: string; opts?: Record<string, unknown> } | null = null;
  let client: SimulationClient | null = null;
  let clientLoaded: Promise<unknown> | null = null;
  let seq = 0;
  let disposed = false;

  const setStatus = (key: string | null, opts?: Record<string, unknown>) => {
    statusKey = key ? { key, ...(opts ? { opts } : {}) } : null;
    status.textContent = key ? t(key, opts) : '';
  };

  const fillSelect = (sel: HTMLSelectElement, keep: string) => {
    sel.replaceChildren(...options.map((o) => el('option', { value: o.value, text: o.value === CURRENT ? t('panels.compare.current') : o.label })));
    sel.value = options.some((o) => o.value === keep) ? keep : CURRENT;
  };

  const renderStatic = () => {
    labelA.textContent = t('panels.compare.sideA');
    labelB.textContent = t('panels.compare.sideB');
    runBtn.textContent = t('panels.compare.run');
    refreshBtn.textContent = t('panels.compare.refresh');
    changedLabel.textContent = t('panels.compare.changedOnly');
    fillSelect(selA, selA.value || CURRENT);
    fillSelect(selB, selB.value || CURRENT);
    if (statusKey) status.textContent = t(statusKey.key, statusKey.opts);
    if (optionsError) status.textContent = t('panels.compare.listFailed', { message: optionsError });
  };

  const loadOptions = () => {
    optionsLoaded = (async () => {
      const list: { value: string; label: string }[] = [{ value: CURRENT, label: '' }];
      try {
        const cityId = ctx.scenario()?.cityId;
        const scenarios: ScenarioInfo[] = (await listScenarios(cityId)).slice(0, MAX_SCENARIOS);
        for (const s of scenarios) {
          const versions = (await api<{ version: number; deviceCount: number; message: string | null }[]>('GET', `/api/scenarios/${encodeURIComponent(s.id)}/versions`)).data;
          for (const v of versions) list.push({ value: `${s.id}@${v.version}`, label: t('panels.compare.versionOption', { name: s.name, version: v.version, devices: v.deviceCount }) });
        }
        optionsError = null;
      } catch (e) {
        optionsError = (e as Error).message;
      }
      options = list;
      if (!disposed) renderStatic();
    })();
    return optionsLoaded;
  };

  /** The second session, loaded with the city once. */
  const session = async (): Promise<SimulationClient> => {
    client ??= createBrowserClient();
    clientLoaded ??= client.loadCity(ctx.city);
    await clientLoaded;
    return client;
  };

  const modelOf = (snapshot: SessionSnapshotBody | null, devices: readonly DeviceFeature[], file: string): IndicatorModel => {
    const page = deviceListValues(ctx.city, devices, file);
    return buildIndicatorModel({ simulated: { ...(snapshot?.indicators ?? {}), ...page.indicators }, plan });
  };

  const sideOf = async (value: string): Promise<Side> => {
    if (value === CURRENT) {
      const devices = [...ctx.devices()];
      return { label: t('panels.compare.current'), devices, model: modelOf(ctx.results(), devices, 'workbench devices') };
    }
    const at = value.lastIndexOf('@');
    const id = value.slice(0, at), version = Number(value.slice(at + 1));
    const sc = await getScenario(id, version);
    const file = `scenario ${id} v${version}`;
    const inventory = inventoryFromCity(cityWithDevices(ctx.city, sc.devices, file));
    const c = await session();
    const { seq: _s, ...snap } = await c.setDevices(inventory);
    return { label: t('panels.compare.versionOption', { name: sc.name, version: sc.version, devices: sc.devices.length }), devices: sc.devices, model: modelOf(snap, sc.devices, file) };
  };

  const renderResult = () => {
    if (!last) {
      out.replaceChildren();
      return;
    }
    const lang = currentLanguage();
    const { a, b, deltas, diff } = last;
    const rows = changedOnly.checked ? deltas.filter((d) => d.changed) : deltas;
    const tb = table(t('panels.compare.deltaCaption', { a: a.label, b: b.label }), [t('panels.indicators.colIndicator'), t('panels.compare.colA'), t('panels.compare.colB'), t('panels.compare.colDelta'), t('panels.compare.colStars')]);
    for (const d of rows) {
      const aText = d.measures.map((m) => valueText({ value: m.a, unit: m.unit })).join(' / ');
      const bText = d.measures.map((m) => valueText({ value: m.b, unit: m.unit })).join(' / ');
      const dText = d.measures.map((m) => (m.delta === null ? '—' : `${fmtSigned(m.delta, 2)}${m.unit === 'percent' ? ' pp' : m.unit === 'km' ? ' km' : ''}`)).join(' / ');
      const isCity = !a.model.rows.some((r) => r.id === d.id);
      const stars = isCity
        ? el('td', { text: '—' })
        : el(
            'td',
            { class: d.starDelta > 0 ? 'pn-good' : d.starDelta < 0 ? 'pn-bad' : undefined, 'data-star-delta': d.starDelta },
            el('span', { 'aria-hidden': 'true', class: 'pn-stars', text: `${starGlyphs(d.starsA, 5)} → ${starGlyphs(d.starsB, 5)}` }),
            el('span', { class: 'pn-visually-hidden', text: t('panels.compare.starsText', { a: d.starsA, b: d.starsB }) }),
          );
      tb.body.append(el('tr', { 'data-row': d.id }, el('th', { scope: 'row', text: nameIn(d, lang) }), el('td', { text: aText }), el('td', { text: bText }), el('td', { text: dText }), stars));
    }
    if (rows.length === 0) tb.body.append(el('tr', {}, el('td', { colspan: 5, text: t('panels.compare.noChange') })));
    const dd = table(t('panels.compare.devicesCaption'), [t('panels.compare.colKind'), t('panels.compare.colCount'), t('panels.compare.colIds')]);
    const idList = (ids: string[]) => (ids.length > MAX_IDS ? `${ids.slice(0, MAX_IDS).join(', ')} ${t('panels.compare.andMore', { count: ids.length - MAX_IDS })}` : ids.join(', '));
    dd.body.append(
      el('tr', { 'data-diff': 'added' }, el('th', { scope: 'row', text: t('panels.compare.added') }), el('td', { text: fmt(diff.added.length, 0) }), el('td', { text: idList(diff.added) })),
      el('tr', { 'data-diff': 'removed' }, el('th', { scope: 'row', text: t('panels.compare.removed') }), el('td', { text: fmt(diff.removed.length, 0) }), el('td', { text: idList(diff.removed) })),
      el('tr', { 'data-diff': 'changed' }, el('th', { scope: 'row', text: t('panels.compare.changed') }), el('td', { text: fmt(diff.changed.length, 0) }), el('td', { text: idList(diff.changed.map((c) => `${c.id} (${c.fields.join(', ')})`)) })),
      el('tr', { 'data-diff': 'unchanged' }, el('th', { scope: 'row', text: t('panels.compare.unchanged') }), el('td', { text: fmt(diff.unchanged, 0) }), el('td', { text: '' })),
    );
    out.replaceChildren(el('div', { class: 'pn-scroll' }, tb.table), el('div', { class: 'pn-scroll' }, dd.table));
  };

  const run = async (va: string, vb: string) => {
    const my = ++seq;
    runBtn.disabled = true;
    setStatus('panels.compare.computing');
    try {
      // One side at a time: both may need the second session.
      const a = await sideOf(va);
      const b = await sideOf(vb);
      if (my !== seq || disposed) return last;
      last = { a, b, deltas: indicatorDeltas(a.model, b.model), diff: deviceDiff(a.devices, b.devices) };
      setStatus('panels.compare.done', { count: last.deltas.filter((d) => d.changed).length });
      renderResult();
      return last;
    } catch (e) {
      setStatus('panels.compare.failed', { message: (e as Error).message });
      throw e;
    } finally {
      runBtn.disabled = false;
    }
  };

  runBtn.addEventListener('click', () => void run(selA.value, selB.value).catch(() => undefined));
  refreshBtn.addEventListener('click', () => void loadOptions());
  changedOnly.addEventListener('change', renderResult);
  const offs = [
    ctx.on('language', () => {
      renderStatic();
      renderResult();
    }),
    ctx.on('scenario', () => void loadOptions()),
  ];
  renderStatic();
  void loadOptions();

  const hooks = panelsHooks();
  hooks.compare = {
    options: async () => {
      await optionsLoaded;
      return options.map((o) => o.value);
    },
    run: async (va, vb) => {
      await optionsLoaded;
      selA.value = va;
      selB.value = vb;
      const r = (await run(va, vb))!;
      return {
        changed: r.deltas.filter((d) => d.changed).map((d) => ({ id: d.id, starDelta: d.starDelta, deltas: d.measures.map((m) => m.delta) })),
        added: r.diff.added.length,
        removed: r.diff.removed.length,
        changedDevices: r.diff.changed.length,
      };
    },
  };

  return {
    dispose() {
      disposed = true;
      offs.forEach((off) => off());
      void client?.terminate();
      root.remove();
      delete hooks.compare;
    },
  };
}
