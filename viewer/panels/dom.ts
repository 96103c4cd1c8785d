/**
 * Small DOM helpers of the panels: elements with text (always textContent, never HTML), tables with
 * header cells, and number formats through Intl.NumberFormat in the interface language.
 */
import { currentLanguage } from '../i18n.ts';

/** An element with attributes and children (strings become text nodes). */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string | number | boolean | undefined> = {}, ...children: (Node | string | null | undefined)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (k === 'class') e.className = String(v);
    else if (k === 'text') e.textContent = String(v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return e;
}

/** A table with a caption and column headers (`scope="col"`); rows are appended to the returned body. */
export function table(caption: string, headers: string[], className = 'pn-table'): { table: HTMLTableElement; body: HTMLTableSectionElement } {
  const body = el('tbody');
  const t = el('table', { class: className }, el('caption', { text: caption }), el('thead', {}, el('tr', {}, ...headers.map((h) => el('th', { scope: 'col', text: h })))), body);
  return { table: t, body };
}

/** A number in the interface language with at most `max` (and at least `min`) fraction digits. */
/** Number formats by language and digits: building an Intl.NumberFormat costs far more than using one (a table re-render used to build hundreds). */
const FORMATS = new Map<string, Intl.NumberFormat>();
function numberFormat(key: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  let f = FORMATS.get(key);
  if (!f) {
    f = new Intl.NumberFormat(currentLanguage(), options);
    FORMATS.set(key, f);
  }
  return f;
}

export function fmt(x: number, max = 1, min = 0): string {
  return numberFormat(`${currentLanguage()}|${max}|${min}`, { maximumFractionDigits: max, minimumFractionDigits: min }).format(x);
}

/** A signed number (+1.5, −2). */
export function fmtSigned(x: number, max = 1): string {
  return numberFormat(`${currentLanguage()}|s${max}`, { maximumFractionDigits: max, signDisplay: 'exceptZero' }).format(x);
}
