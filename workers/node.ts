/**
 * The worker layer in Node: worker_threads started through bootstrap.mjs (which runs the TypeScript
 * entry with tsx) and comlink's Node adapter. Used by the server, the CLI, the benches and the tests.
 */
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { SimulationClient, type ClientOptions } from './client.ts';
import { failureLatch, type SpawnedWorker } from './host.ts';
import { WorkerPool, type PoolOptions } from './pool.ts';

export { SimulationClient, type ClientOptions, type ClientCounters } from './client.ts';
export { WorkerPool, type PoolOptions, type Progress, type RunOptions } from './pool.ts';
export * from './errors.ts';

const BOOTSTRAP = new URL('./bootstrap.mjs', import.meta.url);

export interface NodeWorkerOptions {
  /** Enables the test-only crash hook in the worker. */
  testHooks?: boolean;
}

/** Starts one worker running `entry` (a file of this folder). */
export function spawnNodeWorker(entry: 'session.node.ts' | 'pool.node.ts', options: NodeWorkerOptions = {}): SpawnedWorker {
  const w = new Worker(BOOTSTRAP, { workerData: { entry: `./${entry}`, testHooks: options.testHooks === true } });
  const latch = failureLatch();
  w.on('error', (e: Error) => latch.fail(`uncaught ${e.name}: ${e.message}`));
  w.on('messageerror', (e: Error) => latch.fail(`unreadable message: ${e.message}`));
  w.on('exit', (code: number) => latch.fail(`exited with code ${code}`));
  return {
    endpoint: nodeEndpoint(w),
    onFailure: latch.onFailure,
    terminate: () => {
      latch.end();
      return w.terminate();
    },
  };
}

/** A simulation session in a worker thread. */
export function createNodeClient(options: ClientOptions & NodeWorkerOptions = {}): SimulationClient {
  return new SimulationClient(() => spawnNodeWorker('session.node.ts', options), { sharedCity: false, ...options });
}

/** A pool of worker threads (default: `os.availableParallelism()`, at most 8); cities go in shared memory. */
export function createNodePool(options: Partial<PoolOptions> & NodeWorkerOptions = {}): WorkerPool {
  return new WorkerPool(() => spawnNodeWorker('pool.node.ts', options), { shared: true, parallelism: availableParallelism(), ...options });
}
