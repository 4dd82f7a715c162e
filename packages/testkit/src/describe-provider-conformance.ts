import { afterAll, afterEach, describe } from 'vitest';
import { ConformanceContext } from './conformance-context.js';
import type { ProviderConformanceOptions } from './conformance-options.js';
import { connectionSuite } from './suites/connection-suite.js';
import { commandSuite } from './suites/command-suite.js';
import { readerSuite } from './suites/reader-suite.js';
import { valuesSuite } from './suites/values-suite.js';
import { transactionSuite } from './suites/transaction-suite.js';
import { apmSuite } from './suites/apm-suite.js';
import { errorsSuite } from './suites/errors-suite.js';
import { cancellationSuite } from './suites/cancellation-suite.js';
import { poolingSuite } from './suites/pooling-suite.js';
import { batchSuite } from './suites/batch-suite.js';

/**
 * The groups of the suite, in order: their names are the first part of every row of `docs/conformance.md`.
 */
export const CONFORMANCE_GROUPS = [
  ['Connection', connectionSuite],
  ['Command', commandSuite],
  ['Reader', readerSuite],
  ['Values', valuesSuite],
  ['Transactions', transactionSuite],
  ['APM', apmSuite],
  ['Errors', errorsSuite],
  ['Cancellation and timeouts', cancellationSuite],
  ['Pooling and faults', poolingSuite],
  ['DbBatch', batchSuite],
] as const satisfies ReadonlyArray<readonly [string, (context: ConformanceContext) => void]>;

/** The name of one group of the suite. */
export type ConformanceGroup = (typeof CONFORMANCE_GROUPS)[number][0];

/**
 * Registers the asyncdb conformance suite (docs/architecture.md#the-testkit) for one provider as vitest suites: a top-level
 * `describe('<name> conformance')` holding one `describe` per group. Call it at the top level of a test file.
 * Every test runs against the real server of `connectionString`; a test needing a capability the provider's
 * factory declares unsupported is skipped with the reason (reported as "unsupported"), and nothing else is ever
 * skipped. An unreachable server fails every test that needs it, saying why.
 *
 * ```ts
 * describeProviderConformance({
 *   name: 'pg',
 *   factory: PgProviderFactory.instance,
 *   connectionString: () => inject('pgUrl'),
 *   fixture: pgFixture,
 * });
 * ```
 */
export function describeProviderConformance(options: ProviderConformanceOptions): void {
  const context = new ConformanceContext(options);
  describe(`${options.name} conformance`, () => {
    afterEach(() => context.cleanup());
    afterAll(() => context.dispose());
    for (const [group, register] of CONFORMANCE_GROUPS) {
      describe(group, () => register(context));
    }
  });
}
