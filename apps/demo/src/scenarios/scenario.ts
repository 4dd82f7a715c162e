import type { DbProviderFactory } from '@asyncdb/core';
import type { Output } from '../output.js';

/**
 * A scenario: provider-neutral code that gets a factory and a connection string and writes what it does to an
 * {@link Output}. It resolves when the scenario succeeded and rejects with an explaining error when it did not.
 */
export type ScenarioFunction = (factory: DbProviderFactory, connectionString: string, output: Output) => Promise<void>;
