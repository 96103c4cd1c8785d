import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['sim-core/**/*.test.ts', 'workers/**/*.test.ts', 'tiles/**/*.test.ts', 'server/**/*.test.ts', 'test/**/*.test.ts', 'viewer/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
