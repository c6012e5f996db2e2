import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // CI collects JSON reports to sum every suite into one line (see .ci/run).
    reporters: process.env.VITEST_JSON_DIR
      ? ['default', ['json', { outputFile: `${process.env.VITEST_JSON_DIR}/api.json` }]]
      : ['default'],
  },
});
