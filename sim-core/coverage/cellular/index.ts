/**
 * 5G NR coverage: TR 38.901 path loss and O2I, sector antennas, SS-RSRP link budget, cells from the
 * city, the exact best-server model over the occlusion engine with incremental edits, key-area coverage
 * and the `nr5g` report section. See docs/cellular.md.
 */
export * from './path-loss.ts';
export * from './o2i.ts';
export * from './antenna.ts';
export * from './link-budget.ts';
export * from './cells.ts';
export * from './grid.ts';
export * from './model.ts';
export * from './key-areas.ts';
export * from './report.ts';
