/**
 * The worker layer in the browser: module Web Workers bundled by vite (the `new Worker(new URL(…,
 * import.meta.url), {type: 'module'})` form) and comlink. Shared memory only in a cross-origin-isolated
 * page (the server and vite must then send `Cross-Origin-Opener-Policy: same-origin` and
 * `Cross-Origin-Embedder-Policy: require-corp`); otherwise cities are transferred and a cancelled pool job
 * stops by replacing its workers.
 */
import { SimulationClient, type ClientOptions } from './client.ts';
import { failureLatch, type SpawnedWorker } from './host.ts';
import { WorkerPool, type PoolOptions } from './pool.ts';

export { SimulationClient, type ClientOptions, type ClientCounters } from './client.ts';
export { WorkerPool, type PoolOptions, type Progress, type RunOptions } from './pool.ts';
export * from './errors.ts';

export interface BrowserWorkerOptions {
  /** Enables the test-only crash hook in the worker. */
  testHooks?: boolean;
}

/** Whether this page may share memory with its workers. */
export const canShareMemory = (): boolean => typeof SharedArrayBuffer !== 'undefined' && (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;

function adopt(w: Worker): SpawnedWorker {
  const latch = failureLatch();
  w.addEventListener('error', (ev: ErrorEvent) => {
    ev.preventDefault();
    latch.fail(`uncaught error: ${ev.message || 'worker script failed'}`);
  });
  w.addEventListener('messageerror', () => latch.fail('unreadable message'));
  return {
    endpoint: w,
    onFailure: latch.onFailure,
    terminate: () => {
      latch.end();
      w.terminate();
    },
  };
}

/** Vite bundles each worker from the literal `new Worker(new URL(…), {…})` (options must be literals). */
function sessionWorker(test: boolean): Worker {
  return test
    ? new Worker(new URL('./session.worker.ts', import.meta.url), { type: 'module', name: 'cimtwin-session:test' })
    : new Worker(new URL('./session.worker.ts', import.meta.url), { type: 'module', name: 'cimtwin-session' });
}

function poolWorker(test: boolean): Worker {
  return test
    ? new Worker(new URL('./pool.worker.ts', import.meta.url), { type: 'module', name: 'cimtwin-pool:test' })
    : new Worker(new URL('./pool.worker.ts', import.meta.url), { type: 'module', name: 'cimtwin-pool' });
}

/** A simulation session in a Web Worker. */
export function createBrowserClient(options: ClientOptions & BrowserWorkerOptions = {}): SimulationClient {
  return new SimulationClient(() => adopt(sessionWorker(options.testHooks === true)), { sharedCity: canShareMemory(), ...options });
}

/** A pool of Web Workers (default: `navigator.hardwareConcurrency`, at most 8). */
export function createBrowserPool(options: Partial<PoolOptions> & BrowserWorkerOptions = {}): WorkerPool {
  return new WorkerPool(() => adopt(poolWorker(options.testHooks === true)), { shared: canShareMemory(), parallelism: navigator.hardwareConcurrency || 2, ...options });
}
