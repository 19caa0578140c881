import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Vitest's default is one worker per core minus one: a single worker on the 2-core machines the suite
    // runs on. Most of a test's time is spent waiting for a database or a child process, and every test
    // file has databases of its own, so two files at a time use the cores better.
    maxWorkers: 2,
    globalSetup: ['test/helpers/global-setup.ts'],
  },
});
