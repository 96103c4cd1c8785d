/**
 * Builds the viewer (`viewer/`) into `dist/viewer`, which the server serves. Cesium's static parts
 * (Workers, ThirdParty, Assets, Widgets) are copied to `/cesium/` and `CESIUM_BASE_URL` points there,
 * so that nothing is fetched from a CDN (the cesium-vite-example set-up).
 */
import { fileURLToPath } from 'node:url';
import { defineConfig, normalizePath } from 'vite';
import { viteStaticCopy } from 'vite-plugin-static-copy';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const CESIUM_BUILD = normalizePath(here('./node_modules/cesium/Build/Cesium'));
/** URL path of Cesium's static files in the built viewer. */
const CESIUM_BASE_PATH = 'cesium';

export default defineConfig({
  root: here('./viewer'),
  base: '/',
  define: {
    CESIUM_BASE_URL: JSON.stringify(`/${CESIUM_BASE_PATH}/`),
  },
  build: {
    outDir: here('./dist/viewer'),
    emptyOutDir: true,
    // Cesium is one large module; splitting it buys nothing for a single page.
    chunkSizeWarningLimit: 8000,
    // One page per audience, sharing the scene code: the viewer (/), the planner's workbench, the
    // command-hall big screen and the 城市运行全景图 tour.
    rollupOptions: {
      input: {
        main: here('./viewer/index.html'),
        workbench: here('./viewer/workbench.html'),
        bigscreen: here('./viewer/bigscreen.html'),
        tour: here('./viewer/tour.html'),
      },
    },
  },
  plugins: [
    viteStaticCopy({
      targets: ['Workers', 'ThirdParty', 'Assets', 'Widgets'].map((dir) => ({ src: `${CESIUM_BUILD}/${dir}`, dest: CESIUM_BASE_PATH })),
    }),
  ],
  server: {
    host: '127.0.0.1',
    // `npm run dev` serves the viewer with hot reload; the API comes from `cimtwin serve` on 8080.
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
