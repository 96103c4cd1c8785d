/**
 * Green waves on arterials (绿波带): the arterial model, the numerical method (数解法), MAXBAND
 * (MILP with HiGHS), one-way waves, the SUMO round trip, a traffic model to judge plans, and the
 * real-time signal-timing indicator. See docs/greenwave.md.
 */
export * from './arterial.ts';
export * from './circular.ts';
export * from './numerical.ts';
export * from './maxband.ts';
export * from './oneway.ts';
export * from './sumo.ts';
export * from './traffic.ts';
export * from './corridor-city.ts';
export * from './indicator.ts';
export { loadHighs, type LpSolver } from './highs.ts';
export * from './timing.ts';
export * from './judge.ts';
