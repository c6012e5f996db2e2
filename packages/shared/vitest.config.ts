import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    reporters: process.env.VITEST_JSON_DIR
      ? ['default', ['json', { outputFile: `${process.env.VITEST_JSON_DIR}/shared.json` }]]
      : ['default'],
  },
});
