/**
 * What the browser tests share: the admin password the e2e server starts with (playwright.config.ts
 * gives it to `cimtwin serve` on a fresh data directory), and logging in from a page.
 */
import { expect, type Page } from '@playwright/test';

/** The password of `admin` on the e2e server (a throwaway database under .cache/e2e-data). */
export const E2E_ADMIN_PASSWORD = 'e2e-admin-password-not-secret';

/** The e2e server's origin (playwright.config.ts reads its port from the printed URL). */
export const E2E_ORIGIN = `http://127.0.0.1:${process.env.CIMTWIN_E2E_PORT}`;

/** Logs the page's browser context in as `admin` (the session cookie is set for the whole context). */
export async function loginAsAdmin(page: Page): Promise<void> {
  const res = await page.request.post(`${E2E_ORIGIN}/api/auth/login`, { data: { username: 'admin', password: E2E_ADMIN_PASSWORD } });
  if (!res.ok()) throw new Error(`login as admin failed: HTTP ${res.status()} ${await res.text()}`);
}

/**
 * Opens the planner workbench (`query` e.g. `?scenario=…`) and waits until it is ready; fails on a page
 * error so far. Returns the list that later page errors are pushed to.
 */
export async function openWorkbench(page: Page, query = ''): Promise<string[]> {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${E2E_ORIGIN}/workbench.html${query}`);
  await page.waitForFunction(() => window.__cimtwin?.workbench?.ready === true || !!window.__cimtwin?.error, undefined, { timeout: 170_000 });
  const error = await page.evaluate(() => window.__cimtwin.error ?? null);
  expect(error, `page error: ${error}`).toBeNull();
  expect(errors).toEqual([]);
  return errors;
}
