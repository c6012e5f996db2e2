import { fileURLToPath, URL } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [vue()],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  test: {
    include: ['src/**/*.test.ts'],
    // Composables use timers, `window` and lifecycle hooks: a light DOM is enough, no browser.
    environment: 'happy-dom',
    // CI collects JSON reports to sum every suite into one line (see .ci/run).
    reporters: process.env.VITEST_JSON_DIR
      ? ['default', ['json', { outputFile: `${process.env.VITEST_JSON_DIR}/web.json` }]]
      : ['default'],
  },
});
