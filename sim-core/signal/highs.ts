/**
 * The MILP solver: HiGHS compiled to WebAssembly (npm `highs`), loaded once and shared. Solvers in
 * this folder take any object with the {@link LpSolver} shape, so a test or a worker can pass its
 * own instance (e.g. one loaded with `locateFile` in the browser).
 */
import loadHighsModule from 'highs';

/** One column of a solution. */
export interface LpColumn {
  Primal: number;
}

/** What the solvers need from HiGHS: solve CPLEX-LP text with options. */
export interface LpSolver {
  solve(problem: string, options?: Record<string, unknown>): { Status: string; ObjectiveValue: number; Columns: Record<string, LpColumn> };
}

let cached: Promise<LpSolver> | null = null;

/** Loads HiGHS once per process (about 30–100 ms the first time) and returns the shared instance. */
export function loadHighs(): Promise<LpSolver> {
  cached ??= loadHighsModule().then((h) => h as unknown as LpSolver);
  return cached;
}

/** Formats a coefficient for LP text: finite, no exponent surprises, 12 significant digits. */
export function lpNumber(x: number): string {
  if (!Number.isFinite(x)) throw new Error(`non-finite coefficient ${x} in an LP model`);
  if (Math.abs(x) < 1e-12) return '0';
  return String(Number(x.toPrecision(12)));
}

/** Writes `c1 x1 + c2 x2 …` for LP text, skipping zero coefficients. */
export function lpTerms(terms: readonly (readonly [number, string])[]): string {
  let s = '';
  for (const [c, v] of terms) {
    if (Math.abs(c) < 1e-12) continue;
    const abs = Math.abs(c);
    const coef = abs === 1 ? '' : `${lpNumber(abs)} `;
    s += s === '' ? `${c < 0 ? '- ' : ''}${coef}${v}` : ` ${c < 0 ? '-' : '+'} ${coef}${v}`;
  }
  if (s === '') throw new Error('an LP row with no terms');
  return s;
}
