/**
 * What a placement solver is: an object with a name and `solve(problem, context)`. The models call it;
 * users pick one with {@link greedySolver} or {@link highsSolver} (spopt's `model.solve(solver)` shape).
 */
import type { CoveringProblem } from './problem.ts';

/** Progress report: `done` of `total` in a named phase. */
export interface PlacementProgress {
  done: number;
  total: number;
  phase: string;
}

/** Options every solve accepts. */
export interface SolveOptions {
  /** Called with progress now and then (at most every ~100 ms for long phases). */
  onProgress?: (p: PlacementProgress) => void;
  /** Cancellation token, checked between steps: set `aborted` to stop; the solve then rejects with a `PlacementAbortError`. */
  signal?: { aborted: boolean };
}

/** Thrown when a solve or a matrix build is cancelled through its signal. */
export class PlacementAbortError extends Error {
  constructor(what = 'placement') {
    super(`${what} cancelled`);
    this.name = 'PlacementAbortError';
  }
}

/** What solvers receive besides the problem. */
export interface SolveContext {
  signal?: { aborted: boolean };
  progress?: (done: number, total: number, phase: string) => void;
  abortError(): Error;
}

/** Turns public options into a context with a throttled progress callback. */
export function solveContext(o: SolveOptions = {}): SolveContext {
  let last = -Infinity;
  const cb = o.onProgress;
  return {
    signal: o.signal,
    progress: cb
      ? (done, total, phase) => {
          const now = Date.now();
          if (done < total && now - last < 100) return;
          last = now;
          cb({ done, total, phase });
        }
      : undefined,
    abortError: () => new PlacementAbortError('placement solve'),
  };
}

/** How a solve ended. */
export type SolveStatus = 'optimal' | 'feasible' | 'infeasible' | 'time-limit' | 'interrupted';

/** A solver's answer before the model turns it into a result. */
export interface SolverOutcome {
  /** Every selected site (locked ones included). */
  selected: number[];
  /** New sites in the order the solver added them (greedy), or as chosen (exact). */
  added: number[];
  status: SolveStatus;
  /** Proven bound on the optimum (an upper bound for max coverage, a lower bound for set cover), if any. */
  bound: number | null;
  /** Statistics for reports: evaluations, swaps, nodes, rows, columns, ms … */
  stats: Record<string, number | string>;
}

/** A placement solver. */
export interface PlacementSolver {
  readonly name: string;
  solve(problem: CoveringProblem, ctx: SolveContext): Promise<SolverOutcome>;
}
