/**
 * Browser tests of the built viewer in Debian's Chromium (`scripts/ensure-chromium.mjs` installs it),
 * WebGL on SwiftShader. The web server is the real `cimtwin serve` on a free 127.0.0.1 port, serving
 * the default city (or the file named by CIMTWIN_E2E_CITY), on a fresh PGlite data directory whose
 * `admin` has the password in e2e/support.ts; its printed URL gives the port to the tests
 * through CIMTWIN_E2E_PORT.
 */
import { defineConfig } from '@playwright/test';
import { rmSync } from 'node:fs';
import { E2E_ADMIN_PASSWORD } from './e2e/support.ts';

const city = process.env.CIMTWIN_E2E_CITY;
/** A fresh database for every run, so that `admin` has the known password and no earlier scenario lingers. */
const E2E_DATA_DIR = '.cache/e2e-data';
// (The config is loaded again in every test worker: only the runner, which starts the server, clears it.)
if (process.env.TEST_WORKER_INDEX === undefined) rmSync(E2E_DATA_DIR, { recursive: true, force: true });

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  // Software WebGL on two cores: one browser at a time, generous timeouts, no retries that hide flakes.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 180_000,
  expect: { timeout: 30_000 },
  reporter: [['list']],
  forbidOnly: !!process.env.CI,
  use: {
    browserName: 'chromium',
    viewport: { width: 800, height: 600 },
    locale: 'zh-CN',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-quic',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--use-angle=swiftshader',
        '--enable-unsafe-swiftshader',
      ],
    },
  },
  webServer: {
    command: `node server/cli/cimtwin.mjs serve --port 0 --data-dir ${E2E_DATA_DIR}${city ? ` --city ${JSON.stringify(city)}` : ''}`,
    wait: { stdout: /cim-twin: http:\/\/127\.0\.0\.1:(?<cimtwin_e2e_port>\d+)\// },
    stdout: 'pipe',
    env: { CIMTWIN_ADMIN_PASSWORD: E2E_ADMIN_PASSWORD },
    stderr: 'pipe',
    timeout: 180_000,
    gracefulShutdown: { signal: 'SIGTERM', timeout: 5_000 },
  },
});
