import type { DbProviderFactory } from '@asyncdb/core';
import type { ConformanceFixture } from './conformance-fixture.js';

/** What a provider hands {@link describeProviderConformance}. */
export interface ProviderConformanceOptions {
  /** The provider's name in test titles and the report's column (`pg`, `mysql`, `acme-db`). */
  readonly name: string;
  /** The provider's factory; its `capabilities` gate the optional tests. */
  readonly factory: DbProviderFactory;
  /**
   * A connection string (or URL, if the provider's builder accepts one) to a server the suite may create and drop
   * tables on, or a function resolving it when the tests run (e.g. from vitest's `inject`). Do not set
   * `Asynchronous Processing`, `Max Pool Size`, `Application Name`, `Connect Timeout` or `Command Timeout`: the
   * suite sets them per test.
   */
  readonly connectionString: string | (() => string | Promise<string>);
  /** The engine-specific SQL and expectations. */
  readonly fixture: ConformanceFixture;
  /** How to provide a server, appended to the error every test fails with when the server cannot be reached. */
  readonly serverHint?: string;
}
