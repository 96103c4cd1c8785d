/**
 * Browser tests of the built viewer in Debian's Chromium (`scripts/ensure-chromium.mjs` installs it),
 * WebGL on SwiftShader. The web server is the real `cimtwin serve` on a free 127.0.0.1 port, serving
 * the default city (or the file named by CIMTWIN_E2E_CITY); its printed URL gives the port to the tests
 * through CIMTWIN_E2E_PORT.
 */
import { defineConfig } from '@playwright/test';

const city = process.env.CIMTWIN_E2E_CITY;

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
    command: `node server/cli/cimtwin.mjs serve --port 0${city ? ` --city ${JSON.stringify(city)}` : ''}`,
    wait: { stdout: /cim-twin: http:\/\/127\.0\.0\.1:(?<cimtwin_e2e_port>\d+)\// },
    stdout: 'pipe',
    stderr: 'pipe',
    timeout: 180_000,
    gracefulShutdown: { signal: 'SIGTERM', timeout: 5_000 },
  },
});
