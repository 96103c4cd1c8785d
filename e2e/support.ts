/**
 * What the browser tests share: the admin password the e2e server starts with (playwright.config.ts
 * gives it to `cimtwin serve` on a fresh data directory), and logging in from a page.
 */
import type { Page } from '@playwright/test';

/** The password of `admin` on the e2e server (a throwaway database under .cache/e2e-data). */
export const E2E_ADMIN_PASSWORD = 'e2e-admin-password-not-secret';

/** Logs the page's browser context in as `admin` (the session cookie is set for the whole context). */
export async function loginAsAdmin(page: Page): Promise<void> {
  const res = await page.request.post('/api/auth/login', { data: { username: 'admin', password: E2E_ADMIN_PASSWORD } });
  if (!res.ok()) throw new Error(`login as admin failed: HTTP ${res.status()} ${await res.text()}`);
}
