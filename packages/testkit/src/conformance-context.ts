import type { DbConnection, DbProviderFactory, DbTransaction, ProviderCapabilities } from '@asyncdb/core';
import type { ConformanceFixture } from './conformance-fixture.js';
import type { ProviderConformanceOptions } from './conformance-options.js';
import { withTimeout } from './helpers/with-timeout.js';

/** Connection-string keywords to set (a value) or remove (`null`) on top of the suite's connection string. */
export type KeywordOverrides = Readonly<Record<string, string | number | boolean | null>>;

/** Parameters of a helper command, by name (with or without '@'). */
export type CommandParameters = Readonly<Record<string, unknown>>;

/** A table created on first use and dropped at the end of the suite. */
export interface SuiteTable {
  /** Its (unique, lower-case) name. */
  readonly name: string;
  /** Creates it the first time; resolves its name. */
  ensure(): Promise<string>;
}

/** How long cleanup waits for one connection to close before giving up on it (a provider bug, reported elsewhere). */
const CLOSE_GRACE_MS = 10_000;

/**
 * The state the groups of one provider's suite share: the factory, the fixture, the resolved connection string,
 * and the connections and pools a test opened, so that every test leaves the server as it found it.
 * @internal
 */
export class ConformanceContext {
  readonly name: string;
  readonly factory: DbProviderFactory;
  readonly fixture: ConformanceFixture;
  readonly #source: ProviderConformanceOptions['connectionString'];
  readonly #serverHint: string;
  #ready: Promise<string> | undefined;
  #base: string | undefined;
  readonly #connections = new Set<DbConnection>();
  readonly #isolatedPools = new Set<string>();
  readonly #tables: SuiteTable[] = [];
  #counter = 0;
  readonly #runId = `${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;

  constructor(options: ProviderConformanceOptions) {
    this.name = options.name;
    this.factory = options.factory;
    this.fixture = options.fixture;
    this.#source = options.connectionString;
    this.#serverHint = options.serverHint ?? '';
  }

  /** The provider's declared capabilities. */
  get capabilities(): ProviderCapabilities {
    return this.factory.capabilities;
  }

  /**
   * Resolves the connection string and checks once that the server answers `SELECT 1`. Every test that needs the
   * server awaits it, so an unreachable server fails each of them with the reason and how to provide one.
   */
  ready(): Promise<string> {
    this.#ready ??= this.#resolve();
    return this.#ready;
  }

  /** The suite's connection string with `overrides` applied (canonical keyword form). Call after {@link ready}. */
  connectionString(overrides: KeywordOverrides = {}): string {
    if (this.#base === undefined) throw new Error('ConformanceContext.ready() must be awaited first.');
    const builder = this.factory.createConnectionStringBuilder(this.#base);
    builder.set('Application Name', 'asyncdb-conformance');
    for (const [keyword, value] of Object.entries(overrides)) builder.set(keyword, value);
    return builder.connectionString;
  }

  /**
   * A connection string whose pool no other test shares (a unique `Application Name`), cleared after the test.
   * Pooling tests use it so that what they count, kill or exhaust is theirs alone.
   */
  isolatedConnectionString(overrides: KeywordOverrides = {}): string {
    const connectionString = this.connectionString({
      'Application Name': this.uniqueName('asyncdb_tk_pool'),
      ...overrides,
    });
    this.#isolatedPools.add(connectionString);
    return connectionString;
  }

  /** A new, closed connection on the suite's server, closed after the test. */
  async create(overrides: KeywordOverrides = {}): Promise<DbConnection> {
    await this.ready();
    return this.track(this.factory.createConnection(this.connectionString(overrides)));
  }

  /** A new, open connection on the suite's server, closed after the test. */
  async open(overrides: KeywordOverrides = {}): Promise<DbConnection> {
    const connection = await this.create(overrides);
    await connection.open();
    return connection;
  }

  /** Closes `connection` after the test (for connections a test creates itself). */
  track<T extends DbConnection>(connection: T): T {
    this.#connections.add(connection);
    return connection;
  }

  /** A lower-case identifier no other test or run uses: `${prefix}_${run}_${n}`. */
  uniqueName(prefix: string): string {
    this.#counter += 1;
    return `${prefix}_${this.#runId}_${this.#counter}`.toLowerCase();
  }

  /** Runs `sql` with `parameters` and resolves `executeScalar`'s result. */
  async scalar(
    connection: DbConnection | DbTransaction,
    sql: string,
    parameters: CommandParameters = {},
  ): Promise<unknown> {
    return this.command(connection, sql, parameters).executeScalar();
  }

  /** Runs `sql` with `parameters` and resolves `executeNonQuery`'s result. */
  async nonQuery(
    connection: DbConnection | DbTransaction,
    sql: string,
    parameters: CommandParameters = {},
  ): Promise<number> {
    return this.command(connection, sql, parameters).executeNonQuery();
  }

  /** A command on a connection (or enlisted in a transaction) with `parameters` added. */
  command(target: DbConnection | DbTransaction, sql: string, parameters: CommandParameters = {}) {
    const command = target.createCommand(sql);
    for (const [name, value] of Object.entries(parameters)) command.parameters.addWithValue(name, value);
    return command;
  }

  /** Runs `work` on a fresh connection of its own, closed afterwards (setup, teardown, observing from outside). */
  async withConnection<T>(
    work: (connection: DbConnection) => Promise<T>,
    overrides: KeywordOverrides = {},
  ): Promise<T> {
    await this.ready();
    const connection = this.factory.createConnection(this.connectionString(overrides));
    try {
      await connection.open();
      return await work(connection);
    } finally {
      await withTimeout(connection.close(), CLOSE_GRACE_MS).catch(() => {});
    }
  }

  /**
   * A table of the suite, created (after dropping any leftover) the first time a test calls `ensure()`, and dropped
   * when the suite ends. `body(name)` gives its column and constraint definitions; constraint names must start
   * with the table name (PostgreSQL names indexes per schema).
   */
  table(prefix: string, body: (name: string) => string): SuiteTable {
    const name = this.uniqueName(prefix);
    let created: Promise<string> | undefined;
    const table: SuiteTable = {
      name,
      ensure: () => {
        created ??= this.createTable(name, body(name)).then(() => name);
        // A failed creation is retried by the next test rather than failing every later one with a stale error.
        created.catch(() => {
          created = undefined;
        });
        return created;
      },
    };
    this.#tables.push(table);
    return table;
  }

  /** Creates a table (body: column and constraint definitions), dropping any leftover of the same name first. */
  async createTable(name: string, body: string): Promise<void> {
    const { ddl } = this.fixture;
    await this.withConnection(async (connection) => {
      await this.nonQuery(connection, ddl.dropTable(name));
      await this.nonQuery(connection, ddl.createTable(name, body));
    });
  }

  /** Drops tables (children first), ignoring an unreachable server: teardown must not hide the real failure. */
  async dropTables(...names: readonly string[]): Promise<void> {
    if (this.#base === undefined) return;
    await this.withConnection(async (connection) => {
      for (const name of names) await this.nonQuery(connection, this.fixture.ddl.dropTable(name));
    }).catch(() => {});
  }

  /** After each test: closes the connections it opened and clears the pools it isolated. */
  async cleanup(): Promise<void> {
    const connections = [...this.#connections];
    this.#connections.clear();
    await Promise.all(connections.map((connection) => withTimeout(connection.close(), CLOSE_GRACE_MS).catch(() => {})));
    const pools = [...this.#isolatedPools];
    this.#isolatedPools.clear();
    await Promise.all(pools.map((pool) => withTimeout(this.factory.clearPool(pool), CLOSE_GRACE_MS).catch(() => {})));
  }

  /** After the suite: releases every pooled session of the provider. */
  async dispose(): Promise<void> {
    await this.cleanup();
    // Dropped newest first, so a child table goes before the parent its foreign key references.
    await this.dropTables(...this.#tables.map((table) => table.name).reverse());
    await withTimeout(this.factory.clearAllPools(), CLOSE_GRACE_MS).catch(() => {});
  }

  async #resolve(): Promise<string> {
    let base: string;
    try {
      base = typeof this.#source === 'function' ? await this.#source() : this.#source;
      if (!base) throw new Error('the connection string is empty');
      this.factory.createConnectionStringBuilder(base);
    } catch (error) {
      throw this.#unreachable(error);
    }
    this.#base = base;
    const probe = this.factory.createConnection(this.connectionString({ 'Connect Timeout': 10 }));
    try {
      await probe.open();
      await probe.createCommand('SELECT 1').executeScalar();
    } catch (error) {
      this.#base = undefined;
      throw this.#unreachable(error);
    } finally {
      await withTimeout(probe.close(), CLOSE_GRACE_MS).catch(() => {});
    }
    return base;
  }

  #unreachable(error: unknown): Error {
    const reason = error instanceof Error ? error.message : String(error);
    return new Error(
      `The ${this.fixture.engine} server for the ${this.name} conformance suite cannot be reached: ${reason}. ${this.#serverHint}`.trim(),
      { cause: error },
    );
  }
}
