// Web Worker entry of the simulation session (bundled by vite from workers/browser.ts).
import { expose } from 'comlink';
import { createSessionApi } from '../sim-core/session/api.ts';
import { withTestHooks } from './test-hooks.ts';

expose(withTestHooks(createSessionApi(), self.name.endsWith(':test'), () => self.close()));
