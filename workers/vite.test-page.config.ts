/**
 * Builds the worker test page (workers/test-page) into dist/workers-test: the browser side of the
 * worker tests (e2e/workers.spec.ts) and of the round-trip bench (bench/worker-roundtrip.bench.ts).
 * Separate from the viewer's vite.config.ts; workers are bundled as ES modules.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here('./test-page'),
  base: './',
  logLevel: 'warn',
  build: {
    outDir: here('../dist/workers-test'),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 4000,
  },
  worker: { format: 'es' },
});
