/**
 * Placement: what-if and optimisation of new cameras, e-police cameras, 5G cells and weather
 * stations. The covering core (matrix, models, greedy, swap, exact MILP) is generic; `city.ts` builds
 * its inputs from a city with the real coverage models, `city-placement.ts` solves and explains them.
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
export * from './target.ts';
export * from './candidates.ts';
export * from './city.ts';
export * from './city-placement.ts';
export * from './problem-json.ts';
export * from './random-instance.ts';
