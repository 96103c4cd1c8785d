/**
 * Scenarios: open one from the list, save with the server's version check (If-Match; a 409 says someone
 * saved meanwhile and offers to reload), save as a new scenario, import a device ledger (CSV with
 * Chinese headers or GeoJSON, parsed by the server's `POST /api/cities/:id/parse-devices`, applied as
 * one undoable step), export the DB37/T 3890 report of the current results and the devices with their
 * coverage as GeoJSON. The URL carries the open scenario (`?scenario=<id>`), so a reload reopens it.
 */
import { buildReport, renderReport, type ReportFormat } from '../../../sim-core/indicators/report.ts';
import { ValueStore } from '../../../sim-core/indicators/values.ts';
import { ApiError, createScenario, readErrorMessage, getScenario, listScenarios, saveScenario, type DeviceFeature, type ScenarioInfo } from '../../api/client.ts';
import { currentLanguage, t } from '../../i18n.ts';
import { areaState } from '../colours.ts';
import type { DeviceChange, WorkbenchMount } from '../context.ts';
import { Workbench } from '../state.ts';

/** Puts the open scenario in the URL (replacing the entry: a reload reopens it). */
export function setScenarioInUrl(id: string | null): void {
  const url = new URL(location.href);
  if (id) url.searchParams.set('scenario', id);
  else url.searchParams.delete('scenario');
  history.replaceState(null, '', url);
}

/** Offers `text` as a file download. */
export function download(filename: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The changes that bring imported devices into the inventory: new ids added, known ids replaced. */
export function importChanges(imported: readonly DeviceFeature[], existing: (id: string) => DeviceFeature | undefined): DeviceChange[] {
  const out: DeviceChange[] = [];
  for (const f of imported) {
    const old = existing(f.id);
    if (!old) {
      out.push({ op: 'add', feature: f });
      continue;
    }
    const properties: Record<string, unknown> = { ...f.properties };
    for (const k of Object.keys(old.properties)) if (!(k in properties)) properties[k] = null;
    out.push({ op: 'update', id: f.id, lonLatDeg: [f.geometry.coordinates[0]!, f.geometry.coordinates[1]!], properties });
  }
  return out;
}

const mount: WorkbenchMount = {
  id: 'scenarios',
  order: 20,
  tabKey: 'workbench.scenarios.tab',
  mount(context, tab) {
    if (!tab) throw new Error('scenarios: needs a tab');
    if (!(context instanceof Workbench)) throw new Error('scenarios: needs the page\'s Workbench context');
    const ctx = context;
    function el<T extends HTMLElement = HTMLElement>(tag: string, props: Record<string, unknown> = {}, ...children: (Node | string)[]): T {
      const e = Object.assign(document.createElement(tag), props) as unknown as T;
      e.append(...children);
      return e;
    }
    const status = el('p', { id: 'wb-scenario-status', className: 'wb-muted' });
    status.setAttribute('role', 'status');
    const say = (text: string, isError = false) => {
      status.textContent = text;
      status.className = isError ? 'wb-error' : 'wb-muted';
    };
    const cityId = () => ctx.scenario()?.cityId ?? 'default';

    // ---- save / save as ----
    const saveButton = el<HTMLButtonElement>('button', { type: 'button', id: 'wb-save' });
    const nameInput = el<HTMLInputElement>('input', { type: 'text', id: 'wb-save-as-name' });
    const nameLabel = el('label', { htmlFor: 'wb-save-as-name' });
    const saveAsButton = el<HTMLButtonElement>('button', { type: 'button', id: 'wb-save-as' });
    const reloadButton = el<HTMLButtonElement>('button', { type: 'button', id: 'wb-reload', hidden: true });

    const save = async () => {
      const s = ctx.scenario();
      if (!ctx.user()) return say(t('workbench.scenarios.needLogin'), true);
      if (!s) return saveAs();
      saveButton.disabled = true;
      try {
        const saved = await saveScenario(s.id, s.version, [...ctx.devices()]);
        ctx.markSaved({ id: saved.id, cityId: saved.cityId, name: saved.name, version: saved.version, dirty: false });
        reloadButton.hidden = true;
        say(t('workbench.scenarios.saved', { name: saved.name, version: saved.version }));
      } catch (e) {
        if (e instanceof ApiError && e.status === 409) {
          say(t('workbench.scenarios.conflict', { version: e.latestVersion ?? '?' }), true);
          reloadButton.hidden = false;
        } else say(t('workbench.scenarios.saveFailed', { message: (e as Error).message }), true);
      } finally {
        refresh();
      }
    };
    const saveAs = async () => {
      if (!ctx.user()) return say(t('workbench.scenarios.needLogin'), true);
      const name = nameInput.value.trim();
      if (!name) {
        nameInput.focus();
        return say(t('workbench.scenarios.needName'), true);
      }
      try {
        const created = await createScenario(cityId(), name, [...ctx.devices()]);
        ctx.markSaved({ id: created.id, cityId: created.cityId, name: created.name, version: created.version, dirty: false });
        setScenarioInUrl(created.id);
        say(t('workbench.scenarios.saved', { name: created.name, version: created.version }));
        void loadList();
      } catch (e) {
        say(t('workbench.scenarios.saveFailed', { message: (e as Error).message }), true);
      }
    };
    const open = async (id: string) => {
      if (ctx.scenario()?.dirty && !confirm(t('workbench.scenarios.discard'))) return;
      try {
        const s = await getScenario(id);
        await ctx.replaceDevices(s.devices, { id: s.id, cityId: s.cityId, name: s.name, version: s.version, dirty: false });
        setScenarioInUrl(s.id);
        reloadButton.hidden = true;
        say(t('workbench.scenarios.opened', { name: s.name, version: s.version }));
      } catch (e) {
        say(t('workbench.scenarios.openFailed', { message: (e as Error).message }), true);
      }
    };
    saveButton.addEventListener('click', () => void save());
    saveAsButton.addEventListener('click', () => void saveAs());
    reloadButton.addEventListener('click', () => {
      const s = ctx.scenario();
      if (s) void open(s.id);
    });

    // ---- list ----
    const list = el('ul', { id: 'wb-scenario-list' });
    const listButton = el('button', { type: 'button', id: 'wb-scenario-refresh' });
    let rows: ScenarioInfo[] = [];
    const renderList = () => {
      list.replaceChildren();
      const fmt = new Intl.DateTimeFormat(currentLanguage(), { dateStyle: 'short', timeStyle: 'short' });
      for (const r of rows) {
        const b = el<HTMLButtonElement>('button', { type: 'button' });
        b.dataset.scenario = r.id;
        b.textContent = t('workbench.scenarios.open');
        b.addEventListener('click', () => void open(r.id));
        list.append(el('li', {}, el('span', { textContent: t('workbench.scenarios.row', { name: r.name, version: r.latestVersion, date: fmt.format(new Date(r.updatedAt)) }) }), ' ', b));
      }
      if (rows.length === 0) list.append(el('li', { className: 'wb-muted', textContent: t('workbench.scenarios.empty') }));
    };
    const loadList = async () => {
      try {
        rows = await listScenarios(cityId());
      } catch (e) {
        rows = [];
        say(t('workbench.scenarios.listFailed', { message: (e as Error).message }), true);
      }
      renderList();
    };
    listButton.addEventListener('click', () => void loadList());

    // ---- import ----
    const fileInput = el<HTMLInputElement>('input', { type: 'file', id: 'wb-import-file', accept: '.csv,.geojson,.json,text/csv,application/geo+json,application/json' });
    const fileLabel = el('label', { htmlFor: 'wb-import-file' });
    fileInput.addEventListener('change', async () => {
      const file = fileInput.files?.[0];
      if (!file) return;
      try {
        // The file's bytes as they are: the server reads UTF-8, UTF-16 and GB18030 ledgers.
        const res = await fetch(`/api/cities/${encodeURIComponent(cityId())}/parse-devices?filename=${encodeURIComponent(file.name)}`, {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'content-type': 'application/octet-stream' },
          body: file,
        });
        if (!res.ok) throw new Error(await readErrorMessage(res));
        const data = (await res.json()) as { devices: DeviceFeature[]; warnings: string[] };
        const changes = importChanges(data.devices, (id) => ctx.device(id));
        await ctx.apply(changes, 'workbench.history.import');
        say(t('workbench.scenarios.imported', { count: data.devices.length, file: file.name, warnings: data.warnings.length }) + (data.warnings.length ? ` ${data.warnings.slice(0, 3).join('; ')}` : ''));
      } catch (e) {
        say(t('workbench.scenarios.importFailed', { file: file.name, message: (e as Error).message }), true);
      } finally {
        fileInput.value = '';
      }
    });

    // ---- export ----
    const formatSelect = el<HTMLSelectElement>('select', { id: 'wb-report-format' });
    const formatLabel = el('label', { htmlFor: 'wb-report-format' });
    for (const f of ['md', 'html', 'csv', 'json'] as ReportFormat[]) formatSelect.append(el('option', { value: f, textContent: f.toUpperCase() }));
    const reportButton = el('button', { type: 'button', id: 'wb-export-report' });
    const geojsonButton = el('button', { type: 'button', id: 'wb-export-geojson' });
    const baseName = () => (ctx.scenario()?.name ?? ctx.city.meta.name).replace(/[\\/:*?"<>|\s]+/g, '_');
    reportButton.addEventListener('click', () => {
      const r = ctx.results();
      if (!r) return say(t('workbench.scenarios.noResults'), true);
      const format = formatSelect.value as ReportFormat;
      const report = buildReport(new ValueStore().addSimulated(r.indicators, 'workbench session'));
      const types: Record<ReportFormat, string> = { md: 'text/markdown', html: 'text/html', csv: 'text/csv', json: 'application/json' };
      download(`${baseName()}-DB37T3890.${format}`, renderReport(report, format), `${types[format]};charset=utf-8`);
    });
    geojsonButton.addEventListener('click', () => {
      const r = ctx.results();
      const byArea = new Map((r?.video.areas ?? []).map((a) => [a.id, a]));
      const byNode = new Map((r?.video.intersections ?? []).map((x) => [x.nodeId, x]));
      const features: unknown[] = ctx.devices().map((d) => ({ ...d, properties: { ...d.properties, layer: 'device' } }));
      for (const f of ctx.scene.city.features) {
        const p = f.properties ?? {};
        if (p.layer === 'key-area' && byArea.has(String(f.id))) {
          const a = byArea.get(String(f.id))!;
          features.push({ type: 'Feature', id: f.id, geometry: f.geometry, properties: { layer: 'key-area', name: p.name, category: p.category, videoCoveredPercent: a.coveredPercent, videoCovered: a.covered, videoState: areaState(a) } });
        } else if (p.layer === 'road-node' && byNode.has(String(f.id))) {
          const x = byNode.get(String(f.id))!;
          features.push({ type: 'Feature', id: f.id, geometry: f.geometry, properties: { layer: 'road-node', name: p.name, epoliceApproaches: x.approaches, epoliceCoveredApproaches: x.coveredApproaches, epoliceCovered: x.covered } });
        }
      }
      const fc = { type: 'FeatureCollection', name: ctx.scenario()?.name ?? ctx.city.meta.name, indicators: r?.indicators ?? {}, features };
      download(`${baseName()}-devices-coverage.geojson`, JSON.stringify(fc), 'application/geo+json');
    });

    // ---- layout and text ----
    const hScenario = el('h2');
    const hOpen = el('h2');
    const hImport = el('h2');
    const hExport = el('h2');
    const current = el('p', { id: 'wb-scenario-current' });
    tab.append(
      hScenario,
      current,
      el('div', { className: 'wb-row' }, saveButton, reloadButton),
      el('div', { className: 'wb-form' }, nameLabel, nameInput),
      el('div', { className: 'wb-row' }, saveAsButton),
      status,
      hOpen,
      el('div', { className: 'wb-row' }, listButton),
      list,
      hImport,
      el('div', { className: 'wb-form' }, fileLabel, fileInput),
      hExport,
      el('div', { className: 'wb-form' }, formatLabel, formatSelect),
      el('div', { className: 'wb-row' }, reportButton, geojsonButton),
    );
    const text = () => {
      hScenario.textContent = t('workbench.scenarios.current');
      hOpen.textContent = t('workbench.scenarios.list');
      hImport.textContent = t('workbench.scenarios.import');
      hExport.textContent = t('workbench.scenarios.export');
      saveButton.textContent = t('workbench.scenarios.save');
      saveAsButton.textContent = t('workbench.scenarios.saveAs');
      nameLabel.textContent = t('workbench.scenarios.newName');
      reloadButton.textContent = t('workbench.scenarios.reload');
      listButton.textContent = t('workbench.scenarios.refresh');
      fileLabel.textContent = t('workbench.scenarios.ledgerFile');
      formatLabel.textContent = t('workbench.scenarios.reportFormat');
      reportButton.textContent = t('workbench.scenarios.exportReport');
      geojsonButton.textContent = t('workbench.scenarios.exportGeojson');
      renderList();
      refresh();
    };
    const refresh = () => {
      const s = ctx.scenario();
      const user = ctx.user();
      current.textContent = s ? t('workbench.scenarios.currentLine', { name: s.name, version: s.version }) + (s.dirty ? ` · ${t('workbench.scenarios.dirty')}` : '') : t('workbench.scenario.none');
      saveButton.disabled = !user || !s || !s.dirty;
      saveAsButton.disabled = !user;
      fileInput.disabled = false;
      if (!user) say(t('workbench.scenarios.anonymous'));
    };
    const off = [ctx.on('scenario', () => (refresh(), void loadList())), ctx.on('devices', refresh), ctx.on('language', text)];
    text();
    void loadList();
    return { dispose: () => off.forEach((f) => f()) };
  },
};
export default mount;
