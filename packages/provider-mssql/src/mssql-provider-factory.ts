import {
  DEFAULT_PROVIDER_CAPABILITIES,
  DbProviderFactories,
  DbProviderFactory,
  type ProviderCapabilities,
  applyConnectionOptions,
  type ConnectionOptions,
} from '@asyncdb/core';
import { MssqlCommand } from './mssql-command.js';
import { MssqlConnection } from './mssql-connection.js';
import { MssqlConnectionStringBuilder } from './mssql-connection-string-builder.js';
import { FailoverMemory } from './mssql-failover.js';
import type { MssqlPool } from './mssql-pool.js';
import { MssqlPoolRegistry } from './mssql-pool-registry.js';
import type { MssqlSession } from './mssql-session.js';
import { MSSQL_ISOLATION_LEVELS } from './mssql-transaction-requests.js';

/** What the SQL Server provider supports. */
export const MSSQL_CAPABILITIES: ProviderCapabilities = Object.freeze<ProviderCapabilities>({
  ...DEFAULT_PROVIDER_CAPABILITIES,
  placeholderStyle: 'named-at',
  sqlDialect: 'tsql',
  // A batch runs as one request (sp_executesql or SQL batch) and yields one result per statement.
  splitStatements: false,
  // `@name` not in the parameter collection is a T-SQL local variable.
  unknownParameters: 'keep',
  supportsSavepoints: true,
  supportsMultipleResultSets: true,
  supportsOutputParameters: true,
  supportsStoredProcedures: true,
  supportsChangeDatabase: true,
  supportsXml: true,
  supportsJson: false,
  cancellation: 'attention',
  isolationLevels: MSSQL_ISOLATION_LEVELS,
  supportsPooling: true,
  // A DbBatch is one RPC_REQUEST message carrying one RPC per command (mssql-batch.ts).
  batchExecution: 'single-round-trip',
  // SQL Server runs every RPC of the message, whatever happened to the ones before it.
  batchContinuesAfterError: true,
});

/**
 * Creates SQL Server connections, commands and connection-string builders. Mirrors `SqlClientFactory`, plus
 * {@link MssqlProviderFactory.capabilities} and pool management (`clearPool`, `clearAllPools`).
 *
 * ```ts
 * registerMssqlProvider();
 * const factory = DbProviderFactories.getFactory('mssql');
 * await using connection = factory.createConnection('Server=db;Database=shop;User ID=app;Password=…');
 * ```
 */
export class MssqlProviderFactory extends DbProviderFactory {
  /** The shared instance, as `SqlClientFactory.Instance`. */
  static readonly instance: MssqlProviderFactory = new MssqlProviderFactory();

  readonly invariantName = 'mssql';
  readonly dbSystem = 'microsoft.sql_server';
  readonly capabilities: ProviderCapabilities = MSSQL_CAPABILITIES;
  readonly #pools = new MssqlPoolRegistry();
  /** @internal Which server of each Data Source / Failover Partner pair answered last (mssql-failover.ts). */
  readonly failoverMemory = new FailoverMemory();

  override createConnection(connectionString?: string, options?: ConnectionOptions): MssqlConnection {
    return applyConnectionOptions(new MssqlConnection(connectionString, this), options);
  }

  override createCommand(commandText?: string): MssqlCommand {
    return new MssqlCommand(commandText);
  }

  override createConnectionStringBuilder(connectionString?: string): MssqlConnectionStringBuilder {
    return new MssqlConnectionStringBuilder(connectionString);
  }

  /** Closes the idle connections of the pool for this connection string; in-use ones are closed when returned. */
  override async clearPool(connectionString: string): Promise<void> {
    await this.#pools.clear(new MssqlConnectionStringBuilder(connectionString).connectionString);
  }

  /** Clears every pool of this factory. */
  override async clearAllPools(): Promise<void> {
    this.failoverMemory.clear();
    await this.#pools.clearAll();
  }

  /** @internal The pool for a connection string (created on first use). */
  poolFor(builder: MssqlConnectionStringBuilder, open: (signal: AbortSignal) => Promise<MssqlSession>): MssqlPool {
    return this.#pools.get(builder.connectionString, () => ({
      open,
      maxSize: builder.getInteger('Max Pool Size') ?? 100,
      minSize: builder.getInteger('Min Pool Size') ?? 0,
      lifetimeMs: builder.loadBalanceTimeout * 1000,
    }));
  }
}

/**
 * Registers the SQL Server provider with {@link DbProviderFactories} under `name` (default `'mssql'`). Explicit by
 * design: importing the package registers nothing.
 */
export function registerMssqlProvider(name = 'mssql'): MssqlProviderFactory {
  DbProviderFactories.registerFactory(name, MssqlProviderFactory.instance);
  return MssqlProviderFactory.instance;
}
