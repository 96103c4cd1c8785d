/**
 * What the client and the pool need from a runtime: a way to start a worker and be told when it dies.
 * workers/node.ts (worker_threads) and workers/browser.ts (Web Workers) provide it; nothing else here
 * knows which runtime it runs on.
 */
import type { Endpoint } from 'comlink';

export interface SpawnedWorker {
  /** The comlink endpoint of the worker. */
  endpoint: Endpoint;
  /** Registers `cb`, called once when the worker fails (uncaught error, unexpected exit, unreadable message). */
  onFailure(cb: (reason: string) => void): void;
  /** Stops the worker (no failure is reported for it). */
  terminate(): void | Promise<unknown>;
}

export type SpawnWorker = () => SpawnedWorker;

/** Registers failure callbacks and calls them once. */
export function failureLatch(): { onFailure(cb: (reason: string) => void): void; fail(reason: string): void; ended: boolean; end(): void } {
  const cbs: ((reason: string) => void)[] = [];
  const latch = {
    ended: false,
    onFailure(cb: (reason: string) => void) {
      cbs.push(cb);
    },
    fail(reason: string) {
      if (latch.ended) return;
      latch.ended = true;
      for (const cb of cbs) cb(reason);
    },
    end() {
      latch.ended = true;
    },
  };
  return latch;
}
