/**
 * What the client and the pool need from a runtime: a way to start a worker and be told when it dies.
 * workers/node.ts (worker_threads) and workers/browser.ts (Web Workers) provide it; nothing else here
 * knows which runtime it runs on.
 */
import { releaseProxy, wrap, type Endpoint, type Remote } from 'comlink';

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

/** A started worker, its comlink remote, and a promise that rejects when it is gone. */
export interface Connection<T> {
  worker: SpawnedWorker;
  remote: Remote<T>;
  /** Rejects when the worker is gone (crash, hang, terminate): ends every race on its calls. */
  dead: Promise<never>;
  kill(e: Error): void;
  alive: boolean;
}

/** Starts a worker and wraps it; `onFailure` is called once if it dies. */
export function connect<T>(spawn: SpawnWorker, onFailure: (c: Connection<T>, reason: string) => void): Connection<T> {
  const worker = spawn();
  let kill!: (e: Error) => void;
  const dead = new Promise<never>((_, reject) => (kill = reject));
  dead.catch(() => {});
  const c: Connection<T> = { worker, remote: wrap<T>(worker.endpoint), dead, kill, alive: true };
  worker.onFailure((reason) => onFailure(c, reason));
  return c;
}

/** Releases a comlink remote (closes its port), ignoring an endpoint that is already gone. */
export function releaseRemote(remote: Remote<unknown>): void {
  try {
    (remote as unknown as { [releaseProxy](): void })[releaseProxy]();
  } catch {
    // the endpoint is already gone
  }
}
