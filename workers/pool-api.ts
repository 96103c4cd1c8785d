/**
 * What a pool worker exposes: sim-core's job runner (sim-core/session/jobs.ts) with the comlink glue —
 * the city arrives packed, the cancel flag is an Int32Array over shared memory (or null), progress goes
 * back through a proxied callback, and the piece of the result is transferred, never cloned.
 */
import { releaseProxy, transfer, type Remote } from 'comlink';
import { unpackCity } from '../sim-core/cim/transfer.ts';
import { createJobRunner, type TaskRequest } from '../sim-core/session/jobs.ts';

export interface PoolWorkerApi {
  loadCity(key: string, city: ArrayBuffer | SharedArrayBuffer): void;
  dropCity(key: string): void;
  runTask(task: TaskRequest, cancelFlag: Int32Array | null, onProgress?: (done: number) => void): unknown;
}

export function createPoolWorkerApi(): PoolWorkerApi {
  const runner = createJobRunner();
  return {
    loadCity: (key, city) => runner.loadCity(key, unpackCity(city)),
    dropCity: (key) => runner.dropCity(key),
    runTask(task, cancelFlag, onProgress) {
      const remote = onProgress as Remote<(done: number) => void> | undefined;
      try {
        const out = runner.runTask(task, {
          cancelled: () => cancelFlag !== null && Atomics.load(cancelFlag, 0) !== 0,
          progress: remote ? (done) => void remote(done) : undefined,
        });
        return transfer(out.part, out.transfer);
      } finally {
        remote?.[releaseProxy]();
      }
    },
  };
}
