import {
  DbCommand,
  DbConnectionStringBuilder,
  DbProviderFactories,
  DbProviderFactory,
  DEFAULT_PROVIDER_CAPABILITIES,
  type ProviderCapabilities,
} from '@asyncdb/core';
import { ToyConnection } from './toy-connection.js';
import { TOY_KEYWORDS } from './toy-keywords.js';

/** What the example provider supports; everything not listed keeps core's conservative default. */
export const TOY_CAPABILITIES: ProviderCapabilities = Object.freeze<ProviderCapabilities>({
  ...DEFAULT_PROVIDER_CAPABILITIES,
  placeholderStyle: 'dollar-numbered', // core rewrites @name into $1, $2, …
  splitStatements: true, // core splits 'SELECT 1; SERIES 3' into two statements
  unknownParameters: 'error', // an @name missing from the collection fails before anything runs
  supportsMultipleResultSets: true,
  cancellation: 'protocol-cancel', // the engine interrupts a running statement
  isolationLevels: ['ReadCommitted', 'Serializable'],
});

/**
 * Creates the example provider's objects. Register it explicitly:
 *
 * ```ts
 * DbProviderFactories.registerFactory('toy', new ToyProviderFactory());
 * ```
 */
export class ToyProviderFactory extends DbProviderFactory {
  readonly invariantName = 'toy';
  readonly dbSystem = 'other_sql';
  readonly capabilities = TOY_CAPABILITIES;

  createConnection(connectionString?: string): ToyConnection {
    return new ToyConnection(this, connectionString);
  }

  /** A plain DbCommand: everything a command does is core's. */
  createCommand(commandText?: string): DbCommand {
    return new DbCommand(commandText);
  }

  createConnectionStringBuilder(connectionString?: string): DbConnectionStringBuilder {
    return new DbConnectionStringBuilder(connectionString, TOY_KEYWORDS);
  }
}

/** Registers the example provider under `name` (default `'toy'`) and returns its factory. */
export function registerToyProvider(name = 'toy', factory = new ToyProviderFactory()): ToyProviderFactory {
  DbProviderFactories.registerFactory(name, factory);
  return factory;
}
