/**
 * A test-only way to crash a worker on purpose, so that tests can prove that the caller gets an error
 * (not a hang) and that the worker is replaced. Off unless the worker was started with test hooks
 * (Node: `workerData.testHooks`; browser: a worker named `…:test`).
 */
export type CrashMode = 'throw' | 'exit';

export interface TestHooks {
  /** 'throw': an uncaught exception a moment later; 'exit': the worker ends at once. Never resolves. */
  crash(mode: CrashMode): Promise<never>;
}

export function withTestHooks<T extends object>(api: T, enabled: boolean, exit: () => void): T & TestHooks {
  return {
    ...api,
    crash(mode: CrashMode): Promise<never> {
      if (!enabled) throw new Error('test hooks are off in this worker (start it with testHooks: true)');
      if (mode === 'exit') exit();
      else {
        setTimeout(() => {
          throw new Error('simulated worker crash (test hook)');
        }, 0);
      }
      return new Promise<never>(() => {});
    },
  };
}
