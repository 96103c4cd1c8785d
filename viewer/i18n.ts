/**
 * Interface language: i18next with zh-CN (default) and en resources from `viewer/locales/`, the
 * browser's language detected (`?lng=` first, then the choice saved by the toggle, then the browser),
 * and a toggle. Elements carrying `data-i18n="key"` get their text from the resources.
 */
import i18next from 'i18next';
import LanguageDetector from 'i18next-browser-languagedetector';
import en from './locales/en.json';
import zhCN from './locales/zh-CN.json';

/**
 * Feature resources: `locales/<feature>.<lang>.json` holds the keys under `<feature>.` (the workbench's in
 * `workbench.zh-CN.json` and `workbench.en.json`, say), so that each part of the app keeps its own files.
 */
const FEATURE_FILES = import.meta.glob<Record<string, unknown>>('./locales/*.*.json', { eager: true, import: 'default' });

/** The resources of one language: the base file plus every feature file of that language. */
export function resourcesOf(base: Record<string, unknown>, lang: string, files: Record<string, Record<string, unknown>> = FEATURE_FILES): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [path, tree] of Object.entries(files)) {
    const m = /([a-zA-Z0-9-]+)\.([a-zA-Z-]+)\.json$/.exec(path);
    if (!m || m[2] !== lang) continue;
    if (m[1]! in out) throw new Error(`${path}: feature '${m[1]}' clashes with a top-level key of locales/${lang}.json`);
    out[m[1]!] = tree;
  }
  return out;
}

/** Interface languages, the default first. */
export const LANGUAGES = ['zh-CN', 'en'] as const;
/** One of {@link LANGUAGES}. */
export type Language = (typeof LANGUAGES)[number];

/** Maps any browser language tag onto one we have: zh* → zh-CN, en* → en; others stay (and fall back to zh-CN). */
export function supportedLanguage(tag: string): string {
  const lower = tag.toLowerCase();
  if (lower.startsWith('zh')) return 'zh-CN';
  if (lower.startsWith('en')) return 'en';
  return tag;
}

/** Sets up i18next with the bundled resources and language detection; call once before rendering text. */
export async function initI18n(): Promise<void> {
  await i18next.use(LanguageDetector).init({
    resources: { 'zh-CN': { translation: resourcesOf(zhCN, 'zh-CN') }, en: { translation: resourcesOf(en, 'en') } },
    fallbackLng: 'zh-CN',
    supportedLngs: [...LANGUAGES],
    interpolation: { escapeValue: false }, // text goes in with textContent, never as HTML
    detection: {
      order: ['querystring', 'localStorage', 'navigator'],
      lookupQuerystring: 'lng',
      lookupLocalStorage: 'cimtwin.language',
      caches: ['localStorage'],
      convertDetectedLanguage: supportedLanguage,
    },
  });
}

/** The language in use: one of {@link LANGUAGES}. */
export function currentLanguage(): Language {
  return i18next.resolvedLanguage === 'en' ? 'en' : 'zh-CN';
}

/** Translates a key in the current language (i18next `t`). */
export const t = i18next.t.bind(i18next);

/** Fills every `[data-i18n]` element under `root` and the document language. */
export function translatePage(root: ParentNode = document): void {
  document.documentElement.lang = currentLanguage();
  for (const el of root.querySelectorAll<HTMLElement>('[data-i18n]')) el.textContent = t(el.dataset.i18n as string);
  for (const el of root.querySelectorAll<HTMLElement>('[data-i18n-title]')) el.title = t(el.dataset.i18nTitle as string);
}

/** Switches zh-CN ↔ en; the choice is remembered in localStorage. */
export async function toggleLanguage(): Promise<Language> {
  await i18next.changeLanguage(currentLanguage() === 'en' ? 'zh-CN' : 'en');
  return currentLanguage();
}

/** Runs `listener` after every language change. */
export function onLanguageChanged(listener: () => void): void {
  i18next.on('languageChanged', listener);
}
