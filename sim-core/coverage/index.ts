/**
 * Camera coverage: the camera model, key-area sampling and rule, e-police stop lines, the incremental
 * coverage session and its report. See docs/coverage.md.
 */
export * from './camera.ts';
export * from './areas.ts';
export * from './areas-blind-spots.ts';
export * from './epolice.ts';
export * from './session.ts';
export * from './session-report.ts';
export { syntheticCity, type SyntheticCityOptions } from './session-synthetic-city.ts';
