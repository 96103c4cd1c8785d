/**
 * Small DOM helpers of the optimiser and green-wave panels: elements with attributes and text (text
 * always through textContent), labelled form controls, and numbers through Intl.NumberFormat.
 */
import { currentLanguage } from '../i18n.ts';

/** Creates `<tag>` with attributes (`text` sets textContent, `className`, others via setAttribute) and children. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string | number | boolean | undefined> = {}, ...children: (Node | null)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (k === 'text') e.textContent = String(v);
    else if (k === 'className') e.className = String(v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c) e.append(c);
  return e;
}

/** Formats a number in the interface language with the given fraction digits. */
export function formatNumber(value: number, maxFractionDigits = 1, minFractionDigits = 0): string {
  return new Intl.NumberFormat(currentLanguage(), { maximumFractionDigits: maxFractionDigits, minimumFractionDigits: minFractionDigits }).format(value);
}

/** Replaces the options of a select: [value, text] pairs; keeps the selected value when still offered. */
export function setOptions(select: HTMLSelectElement, options: readonly (readonly [string, string])[]): void {
  const keep = select.value;
  select.replaceChildren(...options.map(([value, text]) => el('option', { value, text })));
  if (options.some(([v]) => v === keep)) select.value = keep;
}
