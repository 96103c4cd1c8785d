export * from './types.ts';
export * from './frame.ts';
export * from './errors.ts';
export * from './builder.ts';
export * from './city-file.ts';
export * from './summary.ts';
