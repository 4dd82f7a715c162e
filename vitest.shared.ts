import { defineConfig } from 'vitest/config';

/**
 * The vitest settings every project shares: tests run on TypeScript sources through the
 * `@asyncdb/source` export condition, so no package has to be built before it is tested.
 */
export function sharedVitestConfig(options: { readonly testTimeout?: number; readonly globalSetup?: string[] } = {}) {
  return defineConfig({
    resolve: { conditions: ['@asyncdb/source', 'module', 'node', 'development|production'] },
    ssr: { resolve: { conditions: ['@asyncdb/source', 'module', 'node', 'development|production'] } },
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      environment: 'node',
      watch: false,
      testTimeout: options.testTimeout ?? 20_000,
      hookTimeout: 120_000,
      globalSetup: options.globalSetup ?? [],
      reporters: process.env.CI ? ['default', ['json', { outputFile: 'test-results/vitest.json' }]] : ['default'],
    },
  });
}
