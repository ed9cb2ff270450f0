import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Timing tests measure real latency on a 2-core machine: files running side by side would
    // measure each other. One file at a time keeps the figures about the code under test.
    fileParallelism: false,
  },
});
