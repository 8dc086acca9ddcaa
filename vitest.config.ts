import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/contract/**/*.test.ts'],
    // Generous: CLI tests start dozens of processes that each run Argon2id at its real cost, and CI's
    // 2 cores may be shared; a hang still fails, a slow machine does not.
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: 'forks',
    globalSetup: ['test/support/print-seed.ts'],
  },
});
