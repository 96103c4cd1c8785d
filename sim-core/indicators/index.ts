/**
 * DB37/T 3890 indicator catalogue (county level), city targets, values with provenance, scoring and
 * report rendering. Pure and deterministic; see docs/indicators.md.
 */
export * from './types.ts';
export * from './catalogue.ts';
export * from './values.ts';
export * from './scoring.ts';
export * from './targets.ts';
export * from './report.ts';
