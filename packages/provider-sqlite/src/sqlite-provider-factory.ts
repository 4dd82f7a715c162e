import {
  DbConnectionStringBuilder,
  DbProviderFactories,
  DbProviderFactory,
  SessionPoolRegistry,
  type ProviderCapabilities,
} from '@asyncdb/core';
import { SQLITE_CAPABILITIES } from './sqlite-capabilities.js';
import { SqliteCommand } from './sqlite-command.js';
import { SqliteConnection } from './sqlite-connection.js';
import { SQLITE_KEYWORDS } from './sqlite-keywords.js';
import { createPooledSqliteSession, type SqlitePooledSession } from './sqlite-pooled-session.js';

/**
 * Creates the SQLite provider's objects. Mirrors `SqliteFactory` of Microsoft.Data.Sqlite: use
 * {@link SqliteProviderFactory.instance} and register it explicitly (importing this package registers nothing):
 *
 * ```ts
 * registerSqliteProvider(); // DbProviderFactories.registerFactory('sqlite', SqliteProviderFactory.instance)
 * const connection = DbProviderFactories.getFactory('sqlite').createConnection('Data Source=app.db');
 * ```
 */
export class SqliteProviderFactory extends DbProviderFactory {
  /** The shared instance, as ADO.NET factories have one. */
  static readonly instance: SqliteProviderFactory = new SqliteProviderFactory();

  readonly invariantName = 'sqlite';
  readonly dbSystem = 'sqlite';
  readonly capabilities: ProviderCapabilities = SQLITE_CAPABILITIES;
  /**
   * Core's pools of this factory, one per database file and connection string (see docs/pooling.md): SQLite has no
   * pool of its own, and opening a file means starting a worker thread and reading the schema.
   * @internal
   */
  readonly pools = new SessionPoolRegistry<SqlitePooledSession>({
    providerName: 'sqlite',
    createSession: createPooledSqliteSession,
  });

  createConnection(connectionString?: string): SqliteConnection {
    return new SqliteConnection(connectionString, this);
  }

  createCommand(commandText?: string): SqliteCommand {
    return new SqliteCommand(commandText);
  }

  createConnectionStringBuilder(connectionString?: string): DbConnectionStringBuilder {
    return new DbConnectionStringBuilder(connectionString, SQLITE_KEYWORDS);
  }

  /** Closes the idle sessions of this connection string's pool; sessions in use close when they come back. */
  override clearPool(connectionString: string): Promise<void> {
    return this.pools.clearPoolOf(this.createConnectionStringBuilder(connectionString));
  }

  /** Clears every pool of this factory. */
  override clearAllPools(): Promise<void> {
    this.pools.clearAll();
    return Promise.resolve();
  }
}

/**
 * Registers the SQLite provider with {@link DbProviderFactories} under `name` (default `'sqlite'`) and returns the
 * factory. Registration is always this explicit call, never a side effect of importing the package.
 */
export function registerSqliteProvider(
  name = 'sqlite',
  factory: SqliteProviderFactory = SqliteProviderFactory.instance,
): SqliteProviderFactory {
  DbProviderFactories.registerFactory(name, factory);
  return factory;
}
