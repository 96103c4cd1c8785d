/**
 * The planner workbench (`/workbench.html`) in Debian's Chromium against the real server: it opens the
 * default city with the simulation session running, mounts every part with its tab, and exposes its
 * hooks.
 */
import { expect, test, type Page } from '@playwright/test';
// (type-only: it also brings `window.__cimtwin.workbench` into the types)
import type { WorkbenchHooks } from '../viewer/workbench/hooks.ts';

type Hooks = WorkbenchHooks;

const origin = `http://127.0.0.1:${process.env.CIMTWIN_E2E_PORT}`;

async function openWorkbench(page: Page, query = ''): Promise<void> {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${origin}/workbench.html${query}`);
  await page.waitForFunction(() => window.__cimtwin?.workbench?.ready === true || !!window.__cimtwin?.error, undefined, { timeout: 170_000 });
  const error = await page.evaluate(() => window.__cimtwin.error ?? null);
  expect(error, `page error: ${error}`).toBeNull();
  expect(errors).toEqual([]);
}

test('the workbench opens the default city with the session running', async ({ page }) => {
  await openWorkbench(page);
  const s = await page.evaluate(() => (window.__cimtwin.workbench as Hooks).summary());
  console.log(`workbench summary: ${JSON.stringify(s)}`);
  expect(s.devices).toBeGreaterThan(100);
  expect(s.videoCoveragePct).not.toBeNull();
  expect(s.videoCoveragePct!).toBeGreaterThan(0);
  expect(s.videoCoveragePct!).toBeLessThan(100);
  await expect(page.locator('#wb-video-coverage')).toHaveText(/\d/);
  const tabs = await page.evaluate(() => window.__cimtwin.workbench!.tabs());
  console.log(`tabs: ${tabs.join(', ')}`);
  for (const id of tabs) {
    await page.locator(`#wb-tab-${id}`).click();
    await expect(page.locator(`#wb-panel-${id}`)).toBeVisible();
  }
});
