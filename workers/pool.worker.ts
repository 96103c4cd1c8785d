// Web Worker entry of a pool worker (bundled by vite from workers/browser.ts).
import { expose } from 'comlink';
import { createPoolWorkerApi } from './pool-api.ts';
import { withTestHooks } from './test-hooks.ts';

expose(withTestHooks(createPoolWorkerApi(), self.name.endsWith(':test'), () => self.close()));
