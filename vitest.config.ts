import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // Native modules (better-sqlite3) and real servers are happiest in child processes.
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
