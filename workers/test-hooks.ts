/**
 * A test-only way to crash a worker on purpose, so that tests can prove that the caller gets an error
 * (not a hang) and that the worker is replaced. Off unless the worker was started with test hooks
 * (Node: `workerData.testHooks`; browser: a worker named `…:test`).
 */
export type CrashMode = 'throw' | 'exit' | 'hang';

export interface TestHooks {
  /**
   * Crashes now: 'throw' an uncaught exception a moment later, 'exit' ends the worker at once (in a
   * browser `close()`, which fires no event), 'hang' spins forever. Never resolves.
   */
  crash(mode: CrashMode): Promise<never>;
  /**
   * Crashes when the next call of the API arrives, before it runs (a worker busy in a long synchronous
   * task reads its messages only between tasks, so this is how a test makes it die *during* a call).
   */
  crashOnNextCall(mode: CrashMode): void;
}

export function withTestHooks<T extends object>(api: T, enabled: boolean, exit: () => void): T & TestHooks {
  let armed: CrashMode | null = null;
  const check = () => {
    if (!enabled) throw new Error('test hooks are off in this worker (start it with testHooks: true)');
  };
  const crashNow = (mode: CrashMode) => {
    if (mode === 'exit') exit();
    else if (mode === 'hang') {
      for (;;) {
        // spin: only terminate() ends this worker
      }
    } else {
      setTimeout(() => {
        throw new Error('simulated worker crash (test hook)');
      }, 0);
    }
  };
  const wrapped = {} as Record<string, unknown>;
  for (const [key, fn] of Object.entries(api)) {
    wrapped[key] =
      typeof fn === 'function'
        ? (...args: unknown[]) => {
            if (armed) {
              const mode = armed;
              armed = null;
              crashNow(mode);
              if (mode !== 'exit') return new Promise<never>(() => {});
            }
            return (fn as (...a: unknown[]) => unknown)(...args);
          }
        : fn;
  }
  return {
    ...(wrapped as T),
    crash(mode: CrashMode): Promise<never> {
      check();
      crashNow(mode);
      return new Promise<never>(() => {});
    },
    crashOnNextCall(mode: CrashMode): void {
      check();
      armed = mode;
    },
  };
}
