/**
 * The indicator panel (a workbench tab): an overall star summary, then every DB37/T 3890 row grouped by
 * category in tables (value, ★ level with a text for screen readers, the city's target, what the next
 * star takes), and the city-level weather-spacing row. Simulated rows update live on 'results' (the
 * session) and 'devices' (weather spacing, signal timing); their names are buttons that highlight the
 * areas or intersections behind them, fly to the worst one and list them. The view model is
 * indicator-rows.ts; this file only renders it.
 */
import { getScenario } from '../api/client.ts';
import { currentLanguage, t } from '../i18n.ts';
import type { Disposable, WorkbenchContext } from '../workbench/context.ts';
import { behindRow, locateItem, ROWS_WITH_BEHIND, type Behind } from './behind.ts';
import { deviceListValues, planForCity, statedValues, type DeviceListValues } from './city-values.ts';
import { el, fmt, table } from './dom.ts';
import { panelsHooks } from './hooks.ts';
import { buildIndicatorModel, gapText, nameIn, starGlyphs, type IndicatorModel, type IndicatorRow, type RowTarget, type RowValue } from './indicator-rows.ts';
import { selectRow, selectedRow } from './shared.ts';
import type { ParsedEntry } from '../../sim-core/indicators/values.ts';

/** Items listed under "behind" at most (the rest are counted). */
const MAX_LISTED = 12;
const OP: Record<string, string> = { '>=': '≥', '>': '>', '<=': '≤', '<': '<' };

/** A value with its unit in the interface language ("81.9 % (95/116)", "3.2 km"); null → not provided. */
export function valueText(v: Pick<RowValue, 'value' | 'unit' | 'numerator' | 'denominator'>): string {
  if (v.value === null) return t('panels.indicators.notProvided');
  switch (v.unit) {
    case 'percent':
      return v.numerator !== undefined && v.denominator !== undefined ? `${fmt(v.value, 1)} % (${fmt(v.numerator, 0)}/${fmt(v.denominator, 0)})` : `${fmt(v.value, 1)} %`;
    case 'km':
      return `${fmt(v.value, 2)} km`;
    case 'Mbit/s':
      return `${fmt(v.value, 1)} Mbit/s`;
    case 'level':
      return t('panels.units.level', { level: fmt(v.value, 0) });
    case 'flag':
      return v.value ? t('panels.units.yes') : t('panels.units.no');
    default:
      return fmt(v.value, 0);
  }
}

function targetText(tg: RowTarget): string {
  const value = valueText({ value: tg.value, unit: tg.unit });
  return t('panels.indicators.targetText', { op: OP[tg.op] ?? tg.op, value, due: tg.due });
}

/** Mounts the panel into `tab`. */
export function mountIndicatorPanel(ctx: WorkbenchContext, tab: HTMLElement): Disposable {
  const root = el('div', { class: 'pn-indicators' });
  tab.append(root);
  const plan = planForCity(ctx.city.meta.name);
  const cityDoc = (ctx.scene.city.cimtwin as unknown as { indicators?: unknown }).indicators;
  const cityStated = statedValues(cityDoc, 'city file');
  let scenarioStated: { entries: ParsedEntry[]; error: string | null } = { entries: [], error: null };
  let page: DeviceListValues = { indicators: {}, signalWithout: [], weatherStations: [], notes: [] };
  let pageError: string | null = null;
  let model: IndicatorModel | null = null;
  let behind: Behind | null = null;
  let renders = 0;
  let disposed = false;

  const computePage = () => {
    try {
      page = deviceListValues(ctx.city, ctx.devices(), 'workbench devices');
      pageError = null;
    } catch (e) {
      pageError = (e as Error).message;
    }
  };

  const rebuild = () => {
    const r = ctx.results();
    model = buildIndicatorModel({ simulated: { ...(r?.indicators ?? {}), ...page.indicators }, stated: [...cityStated.entries, ...scenarioStated.entries], plan });
    const sel = selectedRow(ctx);
    if (behind && behind.rowId === sel) behind = behindRow(sel, r, ctx.devices(), page.signalWithout);
  };

  const lang = () => currentLanguage();

  const starsCell = (row: IndicatorRow) => {
    if (row.grading === 'deduction') return el('td', { class: 'pn-missing', text: t('panels.indicators.deduction') });
    const td = el('td', { class: 'pn-stars', 'data-stars': row.stars });
    td.append(el('span', { 'aria-hidden': 'true', text: starGlyphs(row.stars, row.maxStars) }));
    td.append(el('span', { class: 'pn-visually-hidden', text: row.status === 'missing' ? t('panels.indicators.noStars') : t('panels.stars.label', { stars: row.stars, max: row.maxStars }) }));
    return td;
  };

  const renderBehind = (): HTMLElement | null => {
    if (!behind || !model) return null;
    const row = model.rows.find((r) => r.id === behind!.rowId);
    const box = el('section', { class: 'pn-behind', 'aria-labelledby': 'pn-behind-title' });
    box.append(el('h3', { id: 'pn-behind-title', text: t('panels.indicators.behindTitle', { name: row ? nameIn(row, lang()) : behind.rowId, count: behind.items.length }) }));
    if (behind.items.length === 0) {
      box.append(el('p', { class: 'pn-good', text: t('panels.indicators.behindNone') }));
      return box;
    }
    const list = el('ol', { class: 'pn-behind-list' });
    for (const item of behind.items.slice(0, MAX_LISTED)) {
      const label = item.coveredPercent === null ? item.id : t('panels.indicators.behindItem', { id: item.id, percent: fmt(item.coveredPercent, 1) });
      const b = el('button', { type: 'button', class: 'pn-link', 'data-key': `behind:${item.id}`, text: label });
      b.addEventListener('click', () => {
        const at = locateItem(ctx.city, ctx.devices(), item);
        ctx.highlight(item.kind === 'area' ? { areaIds: [item.id] } : item.kind === 'intersection' ? { intersectionIds: [item.id] } : { deviceIds: [item.id] });
        if (at) void ctx.flyTo(at.lonDeg, at.latDeg);
      });
      list.append(el('li', {}, b));
    }
    box.append(list);
    if (behind.items.length > MAX_LISTED) box.append(el('p', { class: 'wb-muted', text: t('panels.indicators.behindMore', { count: behind.items.length - MAX_LISTED }) }));
    const clear = el('button', { type: 'button', 'data-key': 'behind:clear', text: t('panels.indicators.clearHighlight') });
    clear.addEventListener('click', () => {
      behind = null;
      ctx.highlight({});
      render();
    });
    box.append(clear);
    return box;
  };

  const render = () => {
    if (disposed || !model) return;
    renders++;
    const focusKey = (document.activeElement as HTMLElement | null)?.dataset?.key;
    const m = model;
    const s = m.summary;
    const parts: Node[] = [];
    // Overall summary.
    const sum = el('section', { class: 'pn-summary', 'aria-labelledby': 'pn-summary-title' });
    sum.append(el('h2', { id: 'pn-summary-title', text: t('panels.indicators.overall') }));
    sum.append(el('span', {}, t('panels.indicators.floor'), ' ', el('strong', { class: 'pn-stars', id: 'pn-floor-stars', 'data-stars': s.floorStars, text: s.floorStars > 0 ? '★'.repeat(s.floorStars) : t('panels.indicators.belowOne') })));
    sum.append(el('span', { text: t('panels.indicators.weighted', { score: fmt(s.weightedScore, 1) }) }));
    sum.append(el('span', { text: t('panels.indicators.withValue', { count: s.withValue, total: s.withValue + s.missing }) }));
    parts.push(sum);
    const dist = table(t('panels.indicators.byStarsCaption'), [t('panels.indicators.colLevel'), t('panels.indicators.colRows')]);
    for (let k = 5; k >= 0; k--) dist.body.append(el('tr', {}, el('th', { scope: 'row', text: k > 0 ? '★'.repeat(k) : t('panels.indicators.belowOne') }), el('td', { text: fmt(s.byStars[k]!, 0) })));
    parts.push(el('div', { class: 'pn-scroll' }, dist.table));
    const errs = [...m.errors, cityStated.error, scenarioStated.error, pageError].filter((x): x is string => !!x);
    if (errs.length) parts.push(el('div', { class: 'pn-errors', role: 'alert' }, el('p', { text: t('panels.indicators.refused') }), el('ul', {}, ...errs.map((e) => el('li', { text: e })))));
    const b = renderBehind();
    if (b) parts.push(b);
    // Rows by category.
    const sel = behind?.rowId;
    for (const g of m.groups) {
      const tb = table(nameIn(g, lang()), [t('panels.indicators.colIndicator'), t('panels.indicators.colValue'), t('panels.indicators.colStars'), t('panels.indicators.colTarget'), t('panels.indicators.colGap')]);
      for (const row of g.rows) {
        const tr = el('tr', { 'data-row': row.id, 'aria-current': sel === row.id ? 'true' : undefined });
        const nameCell = el('th', { scope: 'row' });
        const name = nameIn(row, lang());
        if ((ROWS_WITH_BEHIND as readonly string[]).includes(row.id)) {
          const btn = el('button', { type: 'button', class: 'pn-link', 'data-key': `row:${row.id}`, title: t('panels.indicators.showBehind'), text: name });
          btn.addEventListener('click', () => void select(row.id));
          nameCell.append(btn);
        } else nameCell.append(name);
        if (row.lead) nameCell.append(el('span', { title: t('panels.indicators.lead'), text: ' ★' }));
        if (row.simulated) nameCell.append(el('span', { class: 'pn-sim', text: t('panels.indicators.simulated') }));
        tr.append(nameCell);
        const vcell = el('td', { class: row.status === 'missing' ? 'pn-missing' : undefined });
        row.values.forEach((v, k) => {
          if (k) vcell.append(el('br'));
          vcell.append(row.values.length > 1 ? `${nameIn(v, lang())}: ${valueText(v)}` : valueText(v));
        });
        tr.append(vcell);
        tr.append(starsCell(row));
        const tcell = el('td');
        if (row.targets.length === 0) tcell.append('—');
        row.targets.forEach((tg, k) => {
          if (k) tcell.append(el('br'));
          tcell.append(el('span', { class: tg.met === true ? 'pn-good' : tg.met === false ? 'pn-bad' : undefined, title: tg.textZh, text: targetText(tg) }));
        });
        tr.append(tcell);
        const gap = row.grading === 'deduction' ? t('panels.indicators.deductionGap') : (gapText(row.next, lang()) ?? t('panels.indicators.top'));
        tr.append(el('td', { class: 'pn-gap', text: gap }));
        tb.body.append(tr);
      }
      parts.push(el('div', { class: 'pn-scroll' }, tb.table));
    }
    // City-level measures (not in the county table).
    const cl = table(t('panels.indicators.cityLevel'), [t('panels.indicators.colIndicator'), t('panels.indicators.colValue'), t('panels.indicators.colTarget')]);
    for (const c of m.cityLevel) {
      cl.body.append(
        el(
          'tr',
          { 'data-measure': c.measure },
          el('th', { scope: 'row' }, nameIn(c, lang()), el('span', { class: 'pn-sim', text: t('panels.indicators.simulated') })),
          el('td', { text: valueText(c.value) }),
          el('td', {}, c.target ? el('span', { class: c.target.met === true ? 'pn-good' : c.target.met === false ? 'pn-bad' : undefined, title: c.target.textZh, text: targetText(c.target) }) : '—'),
        ),
      );
    }
    parts.push(el('div', { class: 'pn-scroll' }, cl.table));
    parts.push(el('p', { class: 'wb-muted', text: plan ? t('panels.indicators.planNote', { plan: lang() === 'en' ? plan.nameEn : plan.nameZh }) : t('panels.indicators.noPlan') }));
    root.replaceChildren(...parts);
    if (focusKey) root.querySelector<HTMLElement>(`[data-key="${CSS.escape(focusKey)}"]`)?.focus();
  };

  // Coalesce bursts (a drag sends many results) into one render per frame.
  let scheduled = false;
  // While a device is dragged, results arrive every frame: the table is rebuilt at most every
  // DRAG_RENDER_MS then (still live, but not a 43-row rebuild per frame), and at once otherwise.
  const DRAG_RENDER_MS = 250;
  let lastRenderMs = -Infinity;
  const schedule = () => {
    if (scheduled || disposed) return;
    scheduled = true;
    const wait = ctx.dragging() ? Math.max(0, lastRenderMs + DRAG_RENDER_MS - performance.now()) : 0;
    const run = () =>
      requestAnimationFrame(() => {
        scheduled = false;
        if (disposed) return;
        lastRenderMs = performance.now();
        rebuild();
        render();
      });
    if (wait > 0) setTimeout(run, wait);
    else run();
  };
  let devicesTimer: ReturnType<typeof setTimeout> | null = null;
  const onDevices = () => {
    if (devicesTimer) clearTimeout(devicesTimer);
    devicesTimer = setTimeout(() => {
      devicesTimer = null;
      computePage();
      schedule();
    }, 150);
  };

  const select = async (rowId: string) => {
    selectRow(ctx, rowId);
    behind = behindRow(rowId, ctx.results(), ctx.devices(), page.signalWithout);
    rebuild();
    render();
    if (!behind) return [];
    ctx.highlight(behind.target);
    const worst = behind.items[0];
    if (worst) {
      const at = locateItem(ctx.city, ctx.devices(), worst);
      if (at) await ctx.flyTo(at.lonDeg, at.latDeg);
    }
    return behind.items;
  };

  const loadScenario = () => {
    const s = ctx.scenario();
    if (!s) {
      scenarioStated = { entries: [], error: null };
      schedule();
      return;
    }
    getScenario(s.id, s.version).then(
      (sc) => {
        scenarioStated = statedValues(sc.indicators, `scenario ${s.id} v${s.version}`);
        schedule();
      },
      (e: unknown) => {
        scenarioStated = { entries: [], error: t('panels.indicators.scenarioFailed', { message: (e as Error).message }) };
        schedule();
      },
    );
  };

  const offs = [ctx.on('results', schedule), ctx.on('devices', onDevices), ctx.on('language', schedule), ctx.on('scenario', loadScenario)];
  computePage();
  loadScenario();
  rebuild();
  render();

  const hooks = panelsHooks();
  hooks.indicators = {
    rows: () =>
      (model?.rows ?? []).map((r) => ({
        id: r.id,
        category: r.category,
        stars: r.stars,
        maxStars: r.maxStars,
        simulated: r.simulated,
        status: r.status,
        values: r.values.map((v) => v.value),
        gap: gapText(r.next, lang()),
        target: r.targets[0] ? targetText(r.targets[0]) : null,
      })),
    summary: () => {
      const s = model!.summary;
      return { rows: s.rows, withValue: s.withValue, missing: s.missing, floorStars: s.floorStars, weightedScore: s.weightedScore };
    },
    renders: () => renders,
    select: async (rowId) =>
      (await select(rowId)).map((i) => {
        const at = locateItem(ctx.city, ctx.devices(), i);
        return { kind: i.kind, id: i.id, coveredPercent: i.coveredPercent, lonDeg: at?.lonDeg ?? null, latDeg: at?.latDeg ?? null };
      }),
  };

  return {
    dispose() {
      disposed = true;
      offs.forEach((off) => off());
      if (devicesTimer) clearTimeout(devicesTimer);
      root.remove();
      delete hooks.indicators;
    },
  };
}
