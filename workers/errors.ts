/** Errors of the worker layer, with messages that say what happened and what to do. */

/** A worker died (uncaught error, exit, unreadable message) while calls were pending. */
export class WorkerCrashedError extends Error {
  readonly reason: string;
  constructor(what: string, reason: string, consequence: string) {
    super(`${what} crashed (${reason}); ${consequence}`);
    this.name = 'WorkerCrashedError';
    this.reason = reason;
  }
}

/** The pool already runs `maxActive` jobs and holds `maxQueued` waiting ones. */
export class PoolBusyError extends Error {
  constructor(active: number, queued: number) {
    super(`worker pool busy: ${active} job(s) running and ${queued} waiting (the limits); try again when one finishes, or cancel one`);
    this.name = 'PoolBusyError';
  }
}

/** The client or pool was terminated. */
export class ClosedError extends Error {
  constructor(what: string) {
    super(`${what} was terminated`);
    this.name = 'ClosedError';
  }
}

/** A cancelled call or job (the standard AbortError name, so `e.name === 'AbortError'` works everywhere). */
export class AbortError extends Error {
  constructor(what: string) {
    super(`${what} cancelled`);
    this.name = 'AbortError';
  }
}
