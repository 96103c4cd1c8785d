/**
 * The property panel of the selected device: type, name, mounting height, heading and tilt, 完好 and
 * 联网; for cameras the lens (hfovDeg), resolution, PTZ and pan range, DORI level; for 5G cells the band,
 * bandwidth, transmit power, azimuth and downtilt — what sim-core/session/devices.ts lets an edit change.
 * Every field change is one undoable step; Delete removes the device.
 */
import { DEVICE_TYPES } from '../../../sim-core/cim/types.ts';
import { DORI_LEVELS } from '../../../sim-core/coverage/camera.ts';
import { currentLanguage, t } from '../../i18n.ts';
import type { DeviceChange, WorkbenchContext, WorkbenchMount } from '../context.ts';

type Field =
  | { key: string; kind: 'number'; min?: number; max?: number; step?: number; unitKey?: string }
  | { key: string; kind: 'text' }
  | { key: string; kind: 'bool' }
  | { key: string; kind: 'select'; options: readonly string[]; labelPrefix?: string }
  | { key: string; kind: 'resolution' };

const COMMON: Field[] = [
  { key: 'deviceType', kind: 'select', options: DEVICE_TYPES, labelPrefix: 'workbench.deviceTypes.' },
  { key: 'name', kind: 'text' },
  { key: 'heightM', kind: 'number', min: 0, max: 500, step: 0.5 },
];
const AIMED: Field[] = [
  { key: 'headingDeg', kind: 'number', min: 0, max: 360, step: 1 },
  { key: 'tiltDeg', kind: 'number', min: -90, max: 90, step: 1 },
];
const CAMERA: Field[] = [
  { key: 'hfovDeg', kind: 'number', min: 1, max: 179, step: 1 },
  { key: 'resolutionPx', kind: 'resolution' },
  { key: 'ptz', kind: 'bool' },
  { key: 'panRangeDeg', kind: 'number', min: 0, max: 360, step: 5 },
  { key: 'doriLevel', kind: 'select', options: DORI_LEVELS, labelPrefix: 'workbench.dori.' },
];
const CELL: Field[] = [
  { key: 'nrBand', kind: 'select', options: ['n78', 'n41', 'n28'] },
  { key: 'bandwidthMHz', kind: 'number', min: 5, max: 400, step: 5 },
  { key: 'txPowerDbm', kind: 'number', min: 0, max: 80, step: 1 },
  { key: 'antennaGainDbi', kind: 'number', min: 0, max: 30, step: 0.5 },
];
const STATES: Field[] = [
  { key: 'healthy', kind: 'bool' },
  { key: 'networked', kind: 'bool' },
];

const RESOLUTIONS: [number, number][] = [
  [1280, 720],
  [1920, 1080],
  [2560, 1440],
  [2448, 2048],
  [3840, 2160],
];

/** The fields shown for a device type. */
export function fieldsFor(type: string): Field[] {
  if (type === 'camera' || type === 'epolice') return [...COMMON, ...AIMED, ...CAMERA, ...STATES];
  if (type === 'cell5g') return [...COMMON, ...AIMED, ...CELL, ...STATES];
  return [...COMMON, ...STATES];
}

function render(ctx: WorkbenchContext, tab: HTMLElement): void {
  tab.replaceChildren();
  const h = document.createElement('h2');
  h.textContent = t('workbench.props.title');
  tab.append(h);
  const id = ctx.selection();
  const d = id ? ctx.device(id) : undefined;
  if (!id || !d) {
    const p = document.createElement('p');
    p.className = 'wb-muted';
    p.id = 'wb-props-empty';
    p.textContent = t('workbench.props.none');
    tab.append(p);
    return;
  }
  const type = String(d.properties.deviceType ?? '');
  const idLine = document.createElement('p');
  idLine.className = 'wb-muted';
  const fmt = new Intl.NumberFormat(currentLanguage(), { maximumFractionDigits: 6, minimumFractionDigits: 6 });
  idLine.textContent = t('workbench.props.idLine', { id: d.id, lon: fmt.format(d.geometry.coordinates[0]!), lat: fmt.format(d.geometry.coordinates[1]!) });
  tab.append(idLine);
  const form = document.createElement('div');
  form.className = 'wb-form';
  form.id = 'wb-props-form';
  const commit = (key: string, value: unknown) => {
    const change: DeviceChange = { op: 'update', id: d.id, properties: { [key]: value } };
    ctx.apply(change, 'workbench.history.edit').catch((e: unknown) => {
      error.textContent = t('workbench.changeFailed', { message: (e as Error).message });
      error.hidden = false;
      render(ctx, tab);
    });
  };
  for (const f of fieldsFor(type)) {
    const inputId = `wb-prop-${f.key}`;
    const label = document.createElement('label');
    label.htmlFor = inputId;
    label.textContent = t(`workbench.props.fields.${f.key}`);
    let input: HTMLInputElement | HTMLSelectElement;
    const v = d.properties[f.key];
    if (f.kind === 'select') {
      const s = document.createElement('select');
      for (const o of f.options) {
        const opt = document.createElement('option');
        opt.value = o;
        opt.textContent = f.labelPrefix ? t(`${f.labelPrefix}${o}`) : o;
        s.append(opt);
      }
      if (v === undefined || v === null || !f.options.includes(String(v))) {
        const opt = document.createElement('option');
        opt.value = '';
        opt.textContent = v === undefined || v === null ? t('workbench.props.default') : String(v);
        s.prepend(opt);
      }
      s.value = v === undefined || v === null ? '' : String(v);
      s.addEventListener('change', () => commit(f.key, s.value === '' ? null : s.value));
      input = s;
    } else if (f.kind === 'resolution') {
      const s = document.createElement('select');
      const current = Array.isArray(v) ? `${v[0]}x${v[1]}` : typeof v === 'string' ? v : '';
      const options = RESOLUTIONS.map(([w, hh]) => `${w}x${hh}`);
      if (current && !options.includes(current)) options.unshift(current);
      if (!current) options.unshift('');
      for (const o of options) {
        const opt = document.createElement('option');
        opt.value = o;
        opt.textContent = o ? o.replace('x', ' × ') : t('workbench.props.default');
        s.append(opt);
      }
      s.value = current;
      s.addEventListener('change', () => {
        const m = /^(\d+)x(\d+)$/.exec(s.value);
        commit(f.key, m ? [Number(m[1]), Number(m[2])] : null);
      });
      input = s;
    } else if (f.kind === 'bool') {
      const c = document.createElement('input');
      c.type = 'checkbox';
      c.checked = f.key === 'healthy' || f.key === 'networked' ? v !== false : v === true;
      c.addEventListener('change', () => commit(f.key, c.checked));
      input = c;
    } else {
      const i = document.createElement('input');
      i.type = f.kind === 'number' ? 'number' : 'text';
      if (f.kind === 'number') {
        if (f.min !== undefined) i.min = String(f.min);
        if (f.max !== undefined) i.max = String(f.max);
        if (f.step !== undefined) i.step = String(f.step);
      }
      i.value = v === undefined || v === null ? '' : String(v);
      if (v === undefined || v === null) i.placeholder = t('workbench.props.default');
      i.addEventListener('change', () => {
        if (f.kind === 'number') {
          if (i.value === '') return commit(f.key, f.key === 'heightM' ? 0 : null);
          const n = Number(i.value);
          if (!Number.isFinite(n) || (f.min !== undefined && n < f.min) || (f.max !== undefined && n > f.max)) {
            error.textContent = t('workbench.props.outOfRange', { field: t(`workbench.props.fields.${f.key}`), min: f.min, max: f.max });
            error.hidden = false;
            i.value = v === undefined || v === null ? '' : String(v);
            return;
          }
          commit(f.key, n);
        } else commit(f.key, i.value);
      });
      input = i;
    }
    input.id = inputId;
    input.dataset.field = f.key;
    form.append(label, input);
  }
  tab.append(form);
  const error = document.createElement('p');
  error.className = 'wb-error';
  error.setAttribute('role', 'alert');
  error.hidden = true;
  const row = document.createElement('div');
  row.className = 'wb-row';
  const del = document.createElement('button');
  del.type = 'button';
  del.id = 'wb-props-delete';
  del.textContent = t('workbench.props.delete');
  del.addEventListener('click', () => void ctx.apply({ op: 'remove', id: d.id }, 'workbench.history.remove').catch((e: unknown) => ((error.textContent = (e as Error).message), (error.hidden = false))));
  const fly = document.createElement('button');
  fly.type = 'button';
  fly.textContent = t('workbench.props.flyTo');
  fly.addEventListener('click', () => void ctx.flyTo(d.geometry.coordinates[0]!, d.geometry.coordinates[1]!, 250));
  row.append(del, fly);
  tab.append(row, error);
}

const mount: WorkbenchMount = {
  id: 'properties',
  order: 10,
  tabKey: 'workbench.props.tab',
  mount(ctx, tab) {
    if (!tab) throw new Error('properties: needs a tab');
    let focusedField: string | null = null;
    const rerender = () => {
      // Keep focus on the field being edited across the re-render.
      const active = document.activeElement as HTMLElement | null;
      focusedField = active && tab.contains(active) ? (active.dataset.field ?? null) : null;
      render(ctx, tab);
      if (focusedField) (tab.querySelector(`[data-field="${focusedField}"]`) as HTMLElement | null)?.focus();
    };
    let pending = 0;
    // While a drag runs the panel would re-render every frame: once per animation frame at most.
    const schedule = () => {
      if (pending) return;
      pending = requestAnimationFrame(() => {
        pending = 0;
        rerender();
      });
    };
    const off = [ctx.on('selection', rerender), ctx.on('devices', schedule), ctx.on('language', rerender)];
    render(ctx, tab);
    return { dispose: () => off.forEach((f) => f()) };
  },
};
export default mount;
