/**
 * The exact solver: the covering problem as a mixed-integer program in CPLEX LP text, solved by HiGHS
 * (npm `highs`, WebAssembly) with `mip_rel_gap` 0 and a time limit. The same LP text goes to the
 * peers GLPK and CBC in the bench, so all three solve the identical model.
 *
 * Variables: x_j ∈ {0,1} (site j selected), y_r ∈ [0,1] (demand row r covered), z_a ∈ {0,1} (area a
 * counts as covered), e_r ≥ 0 (redundant cover of row r), o_l ∈ {0,1} (location l opened).
 * Rows (only those that matter are written):
 *
 *     c_r:  y_r − Σ_{j ∈ N_r} x_j ≤ 0                 cover
 *     a_a:  Σ_{r ∈ a} w_r y_r − R_a z_a ≥ 0           area rule (with areas)
 *     d_r:  e_r − Σ_{j ∈ N_r} x_j ≥ −1                redundancy (λ > 0, rows with ≥ 2 sites)
 *     g_G:  Σ_{j ∈ G} x_j ≤ 1                          one site per exclusive group
 *     l_j:  x_j = 1                                    locked sites
 *     k:    Σ_{j new} x_j ≤ k                          max coverage
 *     u_j:  x_j − o_l ≤ 0                              set cover, site j at a location with a cost
 *     t_t:  Σ_{u ∈ t} W_u (z_u or y_u) ≥ T_t           set-cover targets
 *
 * Max coverage maximises Σ_a W_a z_a + ε Σ_r w_r y_r − λ Σ_r p_r e_r (without areas: Σ_r w_r y_r −
 * λ Σ_r p_r e_r); set cover minimises Σ_{j new} c_j x_j + Σ_l f_l o_l + λ Σ_r p_r e_r. y_r needs no
 * integrality: at an integral x it is pushed to 1 exactly when some selected site covers r.
 * Coefficients are written with sim-core/signal/highs.ts's `lpNumber` (12 significant digits).
 */
import { loadHighs as loadSharedHighs, lpNumber } from '../signal/highs.ts';
import type { CoveringProblem } from './problem.ts';
import type { PlacementSolver, SolveContext, SolverOutcome, SolveStatus } from './solver.ts';
import { CoverState } from './state.ts';
import { lazyGreedyMaxCoverage, lazyGreedySetCover } from './greedy.ts';
import { swapLocalSearch } from './swap.ts';

/** Builds LP text with lines wrapped below 200 characters (strict CPLEX LP readers stop at 255). */
class LpWriter {
  private readonly out: string[] = [];
  private line = '';

  raw(s: string): void {
    this.flush();
    this.out.push(s);
  }

  /** Starts a row (or the objective) with a label. */
  begin(label: string): void {
    this.flush();
    this.line = ` ${label}:`;
  }

  /** Appends one term c·v (c may be negative). */
  term(c: number, v: string): void {
    if (c === 0) return;
    const abs = Math.abs(c);
    const piece = `${c < 0 ? ' -' : ' +'} ${abs === 1 ? '' : `${lpNumber(abs)} `}${v}`;
    if (this.line.length + piece.length > 200) {
      this.out.push(this.line);
      this.line = '  ';
    }
    this.line += piece;
  }

  /** Appends an explicit zero term (an empty objective or row still needs one variable). */
  zero(v: string): void {
    this.line += ` 0 ${v}`;
  }

  /** Ends a row with a sense and right-hand side. */
  end(sense: '<=' | '>=' | '=', rhs: number): void {
    this.line += ` ${sense} ${lpNumber(rhs)}`;
    this.flush();
  }

  flush(): void {
    if (this.line) this.out.push(this.line);
    this.line = '';
  }

  text(): string {
    this.flush();
    return `${this.out.join('\n')}\n`;
  }
}

/** Whether area a can still reach its rule with every site selected (else z_a is 0 and left out). */
function reachableAreas(p: CoveringProblem): Uint8Array {
  const reach = new Float64Array(p.areaCount);
  const { demandStart } = p.matrix.demandToSites();
  for (let r = 0; r < p.demandCount; r++) {
    const a = p.areaOfDemand[r];
    if (a >= 0 && demandStart[r + 1] > demandStart[r]) reach[a] += p.weights[r];
  }
  const ok = new Uint8Array(p.areaCount);
  const s = new CoverState(p);
  for (let a = 0; a < p.areaCount; a++) ok[a] = p.areaWeights[a] >= 0 && s.areaMet(a, reach[a]) ? 1 : 0;
  return ok;
}

/** The MILP of a covering problem as CPLEX LP text (see the module doc); `comment` goes on the first line. */
export function toLpText(p: CoveringProblem, comment = ''): string {
  const w = new LpWriter();
  const max = p.kind === 'max-coverage';
  const { demandStart, siteIndex } = p.matrix.demandToSites();
  const areaMode = p.areaCount > 0;
  const reach = areaMode ? reachableAreas(p) : new Uint8Array(0);
  const hasY = (r: number) => demandStart[r + 1] > demandStart[r] && (!areaMode || (p.areaOfDemand[r] >= 0 ? reach[p.areaOfDemand[r]] === 1 || p.tieBreak > 0 : p.tieBreak > 0));
  const hasE = (r: number) => p.redundancyPenalty > 0 && p.penaltyWeights[r] > 0 && demandStart[r + 1] - demandStart[r] >= 2;
  const locationCosts = (l: number) => l >= 0 && p.openingCost[l] > 0;
  const lockedAt = new Uint8Array(p.locationCount);
  for (const j of p.lockedList) if (p.locationOfSite[j] >= 0) lockedAt[p.locationOfSite[j]] = 1;
  const usesO = (l: number) => !max && locationCosts(l) && !lockedAt[l];

  w.raw(`\\ cim-twin placement ${p.kind}: sites=${p.siteCount} demand=${p.demandCount} areas=${p.areaCount}${comment ? ` ${comment}` : ''}`);
  w.raw(max ? 'Maximize' : 'Minimize');
  w.begin('obj');
  let anyObj = false;
  const objTerm = (c: number, v: string) => {
    if (c !== 0) anyObj = true;
    w.term(c, v);
  };
  if (max) {
    if (areaMode) for (let a = 0; a < p.areaCount; a++) if (reach[a]) objTerm(p.areaWeights[a], `z${a}`);
    const yCoef = areaMode ? p.tieBreak : 1;
    if (yCoef > 0) for (let r = 0; r < p.demandCount; r++) if (hasY(r)) objTerm(yCoef * p.weights[r], `y${r}`);
    for (let r = 0; r < p.demandCount; r++) if (hasE(r)) objTerm(-p.redundancyPenalty * p.penaltyWeights[r], `e${r}`);
  } else {
    for (let j = 0; j < p.siteCount; j++) if (!p.locked[j]) objTerm(p.siteCosts[j], `x${j}`);
    for (let l = 0; l < p.locationCount; l++) if (usesO(l) && p.locationSites.length) objTerm(p.openingCost[l], `o${l}`);
    for (let r = 0; r < p.demandCount; r++) if (hasE(r)) objTerm(p.redundancyPenalty * p.penaltyWeights[r], `e${r}`);
  }
  if (!anyObj) w.zero('x0');
  w.flush();
  w.raw('Subject To');
  for (let r = 0; r < p.demandCount; r++) {
    if (!hasY(r)) continue;
    w.begin(`c${r}`);
    w.term(1, `y${r}`);
    for (let q = demandStart[r]; q < demandStart[r + 1]; q++) w.term(-1, `x${siteIndex[q]}`);
    w.end('<=', 0);
  }
  if (areaMode) {
    const rowsOf: number[][] = Array.from({ length: p.areaCount }, () => []);
    for (let r = 0; r < p.demandCount; r++) if (p.areaOfDemand[r] >= 0 && hasY(r)) rowsOf[p.areaOfDemand[r]].push(r);
    for (let a = 0; a < p.areaCount; a++) {
      if (!reach[a]) continue;
      w.begin(`a${a}`);
      for (const r of rowsOf[a]) w.term(p.weights[r], `y${r}`);
      w.term(-p.areaRequired[a], `z${a}`);
      w.end('>=', 0);
    }
  }
  for (let r = 0; r < p.demandCount; r++) {
    if (!hasE(r)) continue;
    w.begin(`d${r}`);
    w.term(1, `e${r}`);
    for (let q = demandStart[r]; q < demandStart[r + 1]; q++) w.term(-1, `x${siteIndex[q]}`);
    w.end('>=', -1);
  }
  if (p.groupCount) {
    const members: number[][] = Array.from({ length: p.groupCount }, () => []);
    for (let j = 0; j < p.siteCount; j++) if (p.groupOfSite[j] >= 0) members[p.groupOfSite[j]].push(j);
    members.forEach((list, g) => {
      if (list.length < 2) return;
      w.begin(`g${g}`);
      for (const j of list) w.term(1, `x${j}`);
      w.end('<=', 1);
    });
  }
  for (const j of p.lockedList) {
    w.begin(`l${j}`);
    w.term(1, `x${j}`);
    w.end('=', 1);
  }
  if (max) {
    let any = false;
    for (let j = 0; j < p.siteCount && !any; j++) any = !p.locked[j];
    if (any) {
      w.begin('k');
      for (let j = 0; j < p.siteCount; j++) if (!p.locked[j]) w.term(1, `x${j}`);
      w.end('<=', p.facilityCount);
    }
  } else {
    for (let j = 0; j < p.siteCount; j++) {
      const l = p.locationOfSite[j];
      if (p.locked[j] || !usesO(l)) continue;
      w.begin(`u${j}`);
      w.term(1, `x${j}`);
      w.term(-1, `o${l}`);
      w.end('<=', 0);
    }
    p.targets.forEach((t, k) => {
      w.begin(`t${k}`);
      let any = false;
      for (const u of t.units) {
        if (areaMode ? reach[u] : hasY(u)) {
          w.term(areaMode ? p.areaWeights[u] : p.weights[u], areaMode ? `z${u}` : `y${u}`);
          any = true;
        }
      }
      if (!any) w.zero('x0');
      w.end('>=', t.weight);
    });
  }
  w.raw('Bounds');
  for (let r = 0; r < p.demandCount; r++) if (hasY(r)) w.raw(` 0 <= y${r} <= 1`);
  w.raw('Binary');
  const bin: string[] = [];
  for (let j = 0; j < p.siteCount; j++) bin.push(`x${j}`);
  if (areaMode) for (let a = 0; a < p.areaCount; a++) if (reach[a]) bin.push(`z${a}`);
  if (!max) for (let l = 0; l < p.locationCount; l++) if (usesO(l)) bin.push(`o${l}`);
  for (let q = 0; q < bin.length; q += 16) w.raw(` ${bin.slice(q, q + 16).join(' ')}`);
  w.raw('End');
  return w.text();
}

/** The slice of the npm `highs` runtime this module uses (a worker may pass its own instance). */
export interface HighsRuntime {
  withModel<R>(source: { format: 'lp'; data: string }, op: (m: HighsModelLike) => R): R;
  constants: { modelStatus: Record<string, number>; callbackType: Record<string, number> };
  version: { string: string; gitHash: string };
}

/** The slice of a HiGHS model this module uses. */
export interface HighsModelLike {
  options: { set(values: Record<string, number | boolean | string>): unknown };
  info: { get(name: string): number | bigint };
  run(callbacks?: Record<number, (event: { data: Record<string, unknown>; interrupt?: () => void }) => undefined>): { modelStatus: number };
  getSolution(): { colValue: Float64Array };
  getObjectiveValue(): number;
  getDimensions(): { numCols: number; numRows: number; numNonzeros: number };
  getColName(index: number): string;
  setSolution(s: { colValue: Float64Array }): unknown;
}

/** The shared HiGHS runtime (one WebAssembly instance per process, loaded by sim-core/signal/highs.ts). */
export async function loadHighs(): Promise<HighsRuntime> {
  return (await loadSharedHighs()) as unknown as HighsRuntime;
}

/** Options of {@link highsSolver}. */
export interface HighsSolverOptions {
  /** Wall-clock limit for HiGHS, seconds (default 60). At the limit the best solution and the gap are reported. */
  timeLimitS?: number;
  /** Relative gap at which HiGHS may stop (default 0: prove optimality). */
  relativeGap?: number;
  /** Start HiGHS from the greedy + swap answer (default true). */
  warmStart?: boolean;
  /** Refuse problems with more matrix nonzeros than this (default 5,000,000): use the greedy. */
  maxNonzeros?: number;
  /** A HiGHS runtime to use instead of the shared one. */
  highs?: HighsRuntime;
}

/**
 * The exact solver: HiGHS branch-and-cut on {@link toLpText}'s model, `mip_rel_gap` 0, with a time
 * limit. `bound` is HiGHS's proven dual bound; the model reports the relative gap between it and
 * the objective. A warm start from greedy + swap gives HiGHS a good incumbent at once.
 */
export function highsSolver(options: HighsSolverOptions = {}): PlacementSolver {
  const timeLimitS = options.timeLimitS ?? 60;
  const relGap = options.relativeGap ?? 0;
  const maxNnz = options.maxNonzeros ?? 5_000_000;
  if (!(timeLimitS > 0)) throw new RangeError(`timeLimitS must be positive, got ${timeLimitS}`);
  return {
    name: 'highs',
    async solve(p: CoveringProblem, ctx: SolveContext): Promise<SolverOutcome> {
      if (p.matrix.nonzeroCount > maxNnz) {
        throw new RangeError(`the exact solver is limited to ${maxNnz} matrix nonzeros and this problem has ${p.matrix.nonzeroCount}; use the greedy solver (or aggregate demand / fewer candidates)`);
      }
      const t0 = Date.now();
      let start: CoverState | null = null;
      if (options.warmStart ?? true) {
        start = CoverState.withLocked(p);
        if (p.kind === 'max-coverage') {
          lazyGreedyMaxCoverage(p, start, ctx);
          swapLocalSearch(p, start, ctx);
        } else if (!lazyGreedySetCover(p, start, ctx).complete) start = null;
      }
      const tStart = Date.now();
      const lp = toLpText(p);
      const tLp = Date.now();
      const highs = options.highs ?? (await loadHighs());
      const codes = highs.constants.modelStatus;
      const cb = highs.constants.callbackType;
      let interrupted = false;
      const out = highs.withModel({ format: 'lp', data: lp }, (m) => {
        m.options.set({ output_flag: false, mip_rel_gap: relGap, time_limit: timeLimitS, random_seed: 0 });
        const dims = m.getDimensions();
        const names: string[] = [];
        for (let c = 0; c < dims.numCols; c++) names.push(m.getColName(c));
        if (start) m.setSolution({ colValue: startVector(p, start, names) });
        const run = m.run({
          [cb.mipInterrupt]: (event) => {
            if (ctx.signal?.aborted) {
              interrupted = true;
              event.interrupt?.();
            }
            const t = Number(event.data.running_time ?? 0);
            ctx.progress?.(Math.min(t, timeLimitS), timeLimitS, 'exact');
            return undefined;
          },
        });
        const status = run.modelStatus;
        const hasSolution = status === codes.optimal || status === codes.timeLimit || status === codes.interrupted || status === codes.solutionLimit;
        const x = hasSolution ? m.getSolution().colValue : null;
        const selected: number[] = [];
        if (x) for (let c = 0; c < names.length; c++) if (names[c][0] === 'x' && x[c] > 0.5) selected.push(Number(names[c].slice(1)));
        let bound: number | null = null;
        try {
          const b = Number(m.info.get('mip_dual_bound'));
          if (Number.isFinite(b)) bound = b;
        } catch {
          bound = null;
        }
        return { status, selected, dims, bound, objective: hasSolution ? m.getObjectiveValue() : NaN };
      });
      if (interrupted) throw ctx.abortError();
      let status: SolveStatus;
      if (out.status === codes.optimal) status = 'optimal';
      else if (out.status === codes.infeasible) status = 'infeasible';
      else if (out.status === codes.timeLimit) status = 'time-limit';
      else if (out.status === codes.interrupted) status = 'interrupted';
      else throw new Error(`HiGHS stopped with model status ${out.status} (${Object.keys(codes).find((k) => codes[k] === out.status) ?? 'unknown'})`);
      const selected = out.selected.sort((a, b) => a - b);
      return {
        selected,
        added: selected.filter((j) => !p.locked[j]),
        status,
        bound: status === 'optimal' ? out.objective : out.bound,
        stats: {
          rows: out.dims.numRows,
          columns: out.dims.numCols,
          nonzeros: out.dims.numNonzeros,
          warmStartMs: tStart - t0,
          lpTextMs: tLp - tStart,
          highsMs: Date.now() - tLp,
          highs: `${highs.version.string} (${highs.version.gitHash})`,
        },
      };
    },
  };
}

/** The full column vector of a selection, in HiGHS's column order (`names`). */
function startVector(p: CoveringProblem, s: CoverState, names: readonly string[]): Float64Array {
  const v = new Float64Array(names.length);
  for (let c = 0; c < names.length; c++) {
    const name = names[c];
    const idx = Number(name.slice(1));
    switch (name[0]) {
      case 'x':
        v[c] = s.selected[idx];
        break;
      case 'y':
        v[c] = s.count[idx] > 0 ? 1 : 0;
        break;
      case 'z':
        v[c] = s.areaMet(idx, s.areaCovered[idx]) ? 1 : 0;
        break;
      case 'e':
        v[c] = Math.max(0, s.count[idx] - 1);
        break;
      case 'o':
        v[c] = s.locationUsed[idx] > 0 ? 1 : 0;
        break;
    }
  }
  return v;
}
