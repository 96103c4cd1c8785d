/**
 * The workbench's frame around the 3D view: side-panel tabs (ARIA tablist, arrow keys), undo/redo
 * buttons and shortcuts, the always-visible summary (HD video coverage and its star level), the layer
 * list, and a message line. Every text comes from i18n keys and goes in with textContent.
 */
import { measureById } from '../../sim-core/indicators/catalogue.ts';
import { currentLanguage, t } from '../i18n.ts';
import type { Disposable } from './context.ts';
import type { Workbench } from './state.ts';

/** The frame's handles the page and the hooks use. */
export interface Shell {
  /** Adds a tab and returns its panel element. */
  addTab(id: string, titleKey: string): HTMLElement;
  /** Selects the first tab once every mount has added its own. */
  finishTabs(): void;
  /** Shows the tab with this id. */
  selectTab(id: string): void;
  tabIds(): string[];
  /** Shows a message (an error in red) until the next one or a click. */
  message(text: string, isError?: boolean): void;
  disposables: Disposable[];
  /** Summary values shown now. */
  summary(): { videoCoveragePct: number | null; videoStars: number | null };
}

const byId = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

/** The catalogue row the HD-video measure feeds (its star level is shown in the summary). */
export const VIDEO_ROW_ID = measureById('video_hd_coverage')?.indicator?.id ?? 'video_completeness';

/** Builds the frame for `ctx` in the page's static markup (workbench.html). */
export function createShell(ctx: Workbench): Shell {
  const tabs = byId('wb-tabs');
  const panels = byId('wb-panels');
  const tabButtons: HTMLButtonElement[] = [];
  const disposables: Disposable[] = [];

  const selectTab = (id: string, focus = false) => {
    for (const b of tabButtons) {
      const on = b.dataset.tab === id;
      b.setAttribute('aria-selected', String(on));
      b.tabIndex = on ? 0 : -1;
      byId(b.getAttribute('aria-controls')!).hidden = !on;
      if (on && focus) b.focus();
    }
    ctx.requestRender();
  };
  tabs.addEventListener('keydown', (e) => {
    const k = tabButtons.findIndex((b) => b === document.activeElement);
    if (k < 0) return;
    let next = -1;
    if (e.key === 'ArrowRight' || e.key === 'ArrowDown') next = (k + 1) % tabButtons.length;
    else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') next = (k - 1 + tabButtons.length) % tabButtons.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = tabButtons.length - 1;
    if (next >= 0) {
      e.preventDefault();
      selectTab(tabButtons[next]!.dataset.tab!, true);
    }
  });

  // ---- undo / redo ----
  const undo = byId<HTMLButtonElement>('wb-undo');
  const redo = byId<HTMLButtonElement>('wb-redo');
  const refreshHistory = () => {
    const h = ctx.history();
    undo.disabled = h.undo.length === 0;
    redo.disabled = h.redo.length === 0;
  };
  const run = (p: Promise<unknown>) => p.catch((e: unknown) => message(t('workbench.changeFailed', { message: (e as Error).message }), true));
  undo.addEventListener('click', () => void run(ctx.undo()));
  redo.addEventListener('click', () => void run(ctx.redo()));
  ctx.on('devices', refreshHistory);
  ctx.on('scenario', refreshHistory);
  document.addEventListener('keydown', (e) => {
    const target = e.target as HTMLElement | null;
    if (target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT' || target.isContentEditable)) return;
    const mod = e.ctrlKey || e.metaKey;
    if (mod && !e.altKey && (e.key === 'z' || e.key === 'Z') && !e.shiftKey) {
      e.preventDefault();
      void run(ctx.undo());
    } else if (mod && !e.altKey && (((e.key === 'z' || e.key === 'Z') && e.shiftKey) || e.key === 'y' || e.key === 'Y')) {
      e.preventDefault();
      void run(ctx.redo());
    }
  });

  // ---- summary ----
  const summaryEl = byId('wb-summary');
  const summary = () => {
    const r = ctx.results();
    const v = r?.indicators.video_hd_coverage?.value;
    const star = r?.stars.find((s) => s.indicator === VIDEO_ROW_ID);
    return { videoCoveragePct: typeof v === 'number' ? v : null, videoStars: star ? star.stars : null };
  };
  const renderSummary = () => {
    const s = summary();
    const pct = new Intl.NumberFormat(currentLanguage(), { maximumFractionDigits: 1, minimumFractionDigits: 1 });
    summaryEl.replaceChildren();
    const label = document.createElement('span');
    label.textContent = t('workbench.summary.video');
    const value = document.createElement('strong');
    value.id = 'wb-video-coverage';
    value.textContent = s.videoCoveragePct === null ? '—' : `${pct.format(s.videoCoveragePct)} %`;
    const stars = document.createElement('span');
    stars.id = 'wb-video-stars';
    stars.className = 'stars';
    stars.textContent = s.videoStars === null ? '' : s.videoStars > 0 ? '★'.repeat(s.videoStars) : t('workbench.summary.noStar');
    stars.title = s.videoStars === null ? '' : t('workbench.summary.starsTitle', { count: s.videoStars });
    summaryEl.append(label, value, stars);
  };
  ctx.on('results', renderSummary);
  ctx.on('language', renderSummary);
  renderSummary();

  // ---- scenario name ----
  const nameEl = byId('wb-scenario-name');
  const renderName = () => {
    const s = ctx.scenario();
    nameEl.textContent = s ? `${s.name}${s.dirty ? ' *' : ''}` : t('workbench.scenario.none');
    nameEl.title = s ? t('workbench.scenario.versionTitle', { version: s.version }) : '';
  };
  ctx.on('scenario', renderName);
  ctx.on('devices', renderName);
  ctx.on('language', renderName);
  renderName();

  // ---- layer list ----
  const list = byId('wb-layer-list');
  const renderLayers = () => {
    list.replaceChildren();
    for (const layer of ctx.layerToggles) {
      const label = document.createElement('label');
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.checked = layer.visible;
      box.dataset.layer = layer.id;
      box.addEventListener('change', () => {
        layer.setVisible(box.checked);
        ctx.requestRender();
      });
      const text = document.createElement('span');
      text.textContent = t(layer.labelKey);
      label.append(box, text);
      list.append(label);
    }
  };
  ctx.onLayersChanged(renderLayers);
  ctx.on('language', renderLayers);

  // ---- message line ----
  const messageEl = byId('wb-message');
  function message(text: string, isError = false): void {
    messageEl.textContent = text;
    messageEl.classList.toggle('error', isError);
    messageEl.hidden = text === '';
  }
  messageEl.addEventListener('click', () => message(''));

  return {
    addTab(id, titleKey) {
      const button = document.createElement('button');
      button.type = 'button';
      button.id = `wb-tab-${id}`;
      button.setAttribute('role', 'tab');
      button.dataset.tab = id;
      button.dataset.i18n = titleKey;
      button.textContent = t(titleKey);
      button.setAttribute('aria-controls', `wb-panel-${id}`);
      button.setAttribute('aria-selected', 'false');
      button.tabIndex = -1;
      button.addEventListener('click', () => selectTab(id));
      tabs.append(button);
      tabButtons.push(button);
      const panel = document.createElement('section');
      panel.id = `wb-panel-${id}`;
      panel.className = 'wb-panel';
      panel.setAttribute('role', 'tabpanel');
      panel.setAttribute('aria-labelledby', button.id);
      panel.tabIndex = 0;
      panel.hidden = true;
      panels.append(panel);
      return panel;
    },
    finishTabs() {
      if (tabButtons[0]) selectTab(tabButtons[0].dataset.tab!);
      renderLayers();
    },
    selectTab: (id) => selectTab(id),
    tabIds: () => tabButtons.map((b) => b.dataset.tab!),
    message,
    disposables,
    summary,
  };
}
