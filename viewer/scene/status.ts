/**
 * The status line every page has (`#status`): a translated message, re-translated on a language switch
 * when it was a plain key, or cleared.
 */
import { t } from '../i18n.ts';

/** Shows `key` (with `options`) in `#status`, or clears it with null; `isError` styles it as an error. */
export function setStatus(key: string | null, options?: Record<string, unknown>, isError = false): void {
  const status = document.getElementById('status');
  if (!status) return;
  if (key === null) {
    delete status.dataset.i18n;
    status.textContent = '';
  } else {
    status.textContent = t(key, options);
    // Remember the key so a language switch re-translates it (options only for plain keys).
    if (options) delete status.dataset.i18n;
    else status.dataset.i18n = key;
  }
  status.classList.toggle('error', isError);
}
