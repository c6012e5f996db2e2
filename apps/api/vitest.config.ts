import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Migrates one template database per run; every file starts from a copy of it.
    globalSetup: ['test/support/global-setup.ts'],
    pool: 'forks',
    // Files of one worker share its process and module cache (each still has its own app and
    // database): starting a fresh process per file (imports, PGlite's WebAssembly) cost about a
    // third of the run. A file that needs a process of its own can no longer assume one.
    isolate: false,
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // CI collects JSON reports to sum every suite into one line (see .ci/run).
    reporters: process.env.VITEST_JSON_DIR
      ? ['default', ['json', { outputFile: `${process.env.VITEST_JSON_DIR}/api.json` }]]
      : ['default'],
  },
});
