import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import vue from 'eslint-plugin-vue';
import tseslint from 'typescript-eslint';

const layering = {
  tables: [
    {
      group: ['**/db/schema', '**/db/schema/*'],
      message: 'Only *.repository.ts and db/ may use tables: add a repository method and call it.',
    },
  ],
  modules: [
    {
      group: ['../*/*.repository.js'],
      allowTypeImports: true,
      message: "Another module's repository: use that module's service, handed in where the module is set up.",
    },
    {
      group: ['../*/*.service.js', '../*/*.routes.js', '../*/*.module.js'],
      allowTypeImports: true,
      message: "Another module's service or routes: take the service as a dependency (types only here).",
    },
  ],
};

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      'packages/api-client/src/schema.d.ts',
      'data/**',
      'coverage/**',
      'bench/results/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  // Formatting is Prettier's job: turn off every stylistic rule that would fight it.
  prettier,
  // API layering (docs/ARCHITECTURE.md "Where each rule lives"): only repositories and db/ touch
  // tables, and a module reaches another module only through the service handed to it.
  {
    files: ['apps/api/src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [...layering.tables, ...layering.modules] }],
    },
  },
  {
    files: ['apps/api/src/**/*.repository.ts', 'apps/api/src/db/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: layering.modules }] },
  },
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'vue/multi-word-component-names': 'off',
    },
  },
  // Web layering: views and components get data through stores and composables, and lib/ stays
  // pure, so only src/stores and src/composables may talk to the API client.
  {
    files: ['apps/web/src/views/**', 'apps/web/src/components/**', 'apps/web/src/lib/**', 'apps/web/src/layouts/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@/api/client', '**/api/client'],
              message: 'Get data through a store (src/stores) or a composable (src/composables).',
            },
          ],
        },
      ],
    },
  },
);
