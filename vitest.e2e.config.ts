import { defineConfig } from 'vitest/config';

/** End-to-end tests: the production renderer build in Debian's Chromium, driven by Playwright. */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    globalSetup: ['test/support/print-seed.ts'],
    fileParallelism: false,
  },
});
