/**
 * Simulation sessions for interactive what-if: a city, its device inventory and the coverage models
 * kept up to date edit by edit (session.ts), the edits themselves and how a drag coalesces
 * (devices.ts), the message-level API a worker exposes (api.ts), the client's never-backwards view of
 * the results (view.ts), and the range-split jobs of a worker pool (jobs.ts). See docs/workers.md.
 */
export * from './devices.ts';
export * from './session.ts';
export * from './api.ts';
export * from './view.ts';
export * from './jobs.ts';
