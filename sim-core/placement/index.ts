/**
 * Placement: what-if and optimisation of new cameras, 5G cells and weather stations. The covering
 * core (matrix, models, greedy, swap, exact MILP) is generic; city.ts builds its inputs from a city.
 * See docs/placement.md.
 */
export * from './coverage-matrix.ts';
export * from './problem.ts';
export * from './solver.ts';
export * from './state.ts';
export * from './greedy.ts';
export * from './swap.ts';
export * from './highs.ts';
export * from './models.ts';
