/** Weather-station spacing over a scope and the `weather` report section. See docs/weather.md. */
export * from './spacing.ts';
export * from './report.ts';
