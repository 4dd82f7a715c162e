import type { DbType, IsolationLevel } from '@asyncdb/core';
import type { NotAvailable, Optional } from './fixture-parts.js';

/**
 * What differs per engine, and nothing else: the conformance suite writes every statement it can in portable SQL
 * (`SELECT 1`, `INSERT … VALUES (@a, @b)`, table-level constraints) and asks the fixture for the rest.
 * A provider's test file builds one and passes it to {@link describeProviderConformance}.
 *
 * Parts typed {@link Optional} are what an engine that is not a network server may lack (a login over TCP, sessions
 * another connection can see or end, notices, row locks, a sleep function): give `notAvailable(reason)` instead and
 * every test needing the part is reported unsupported with that reason.
 */
export interface ConformanceFixture {
  /** The engine, as failure messages should name it (`PostgreSQL`, `MariaDB`). */
  readonly engine: string;
  /**
   * The provider's canonical connection-string keywords for a network login (host, port, user, password), which
   * the tests of refused connections, failed logins, silent servers and `Persist Security Info` rewrite.
   * `notAvailable(reason)` for an engine reached without a login (an embedded or in-process one).
   */
  readonly keywords: Optional<ConnectionKeywords>;
  /** Column types and statements for the tables the suite creates and drops. */
  readonly ddl: FixtureDdl;
  /** Engine-specific statements. */
  readonly sql: FixtureSql;
  /**
   * How to observe and end sessions from a second connection; `notAvailable(reason)` when no other connection can
   * see them (then "stopped on the server" is proven by the same connection running its next statement).
   */
  readonly session: Optional<SessionRecipes>;
  /**
   * A session setting that pooling must reset before a connection is reused; `notAvailable(reason)` when the
   * provider is configured not to reset (a pooler in transaction mode between it and the server, where session
   * state must not be relied upon at all).
   */
  readonly sessionState: Optional<SessionStateRecipe>;
  /** How to read the isolation level of the current transaction. */
  readonly isolation: IsolationRecipe;
  /**
   * One entry per {@link DbType} the engine has a column type for (docs/values.md). A DbType of
   * {@link VALUE_DB_TYPES} that is not listed is reported as unsupported in the Values group.
   */
  readonly values: readonly ValueTypeCase[];
  /** Codes the server errors of the Errors group must carry, where the engine has stable ones. */
  readonly errorCodes?: Partial<Record<ErrorCase, ExpectedErrorCode>>;
  /**
   * Replaces the portable deadlock recipe ({@link portableDeadlock}) when the engine needs another;
   * `notAvailable(reason)` when the engine has no row-level locks and so no deadlock between two writers.
   */
  readonly deadlock?: Optional<DeadlockRecipe>;
  /**
   * Omitted when every open connection holds one server session of its own, checked out of the pool by `open()` and
   * given back by `close()` — what the pooling tests count, reuse and wait for. `notAvailable(reason)` when open
   * connections share sessions (a multiplexing provider): `open()` then takes no session, so a full pool never makes
   * it wait and a connection has no session to be handed back, and those tests are unsupported.
   */
  readonly sessionPerConnection?: NotAvailable;
}

/** The provider's names for connection-string keywords that some tests set (e.g. `Host`, `Port`, `Password`). */
export interface ConnectionKeywords {
  readonly host: string;
  readonly port: string;
  readonly database: string;
  readonly user: string;
  readonly password: string;
}

/**
 * Column types and DDL. The suite composes table bodies from portable column definitions and table-level
 * constraints (`CONSTRAINT x PRIMARY KEY (id)`, `UNIQUE`, `FOREIGN KEY … REFERENCES`, `CHECK`), all lower-case.
 */
export interface FixtureDdl {
  /** A 32-bit integer column type (`integer`, `INT`). */
  readonly integer: string;
  /** A variable-length text column of at least 100 characters (`varchar(100)`). */
  readonly text: string;
  /** `CREATE TABLE name (body)`, with whatever the engine needs around it (a storage engine, …). */
  createTable(name: string, body: string): string;
  /** Drops the table if it exists; must not fail when it does not. */
  dropTable(name: string): string;
}

/** Statements only the engine can write. */
export interface FixtureSql {
  /**
   * One statement that keeps the server busy for `seconds` (fractions allowed: 0.3) and that `cancel()` interrupts
   * on the server: `SELECT pg_sleep(30)`, `SELECT SLEEP(30)`, `WAITFOR DELAY '00:00:30'`. `notAvailable(reason)`
   * for an engine without a sleep function: the tests that need a statement of a known duration are then unsupported.
   */
  readonly sleep: Optional<(seconds: number) => string>;
  /**
   * One CPU-bound statement that keeps the engine computing for minutes (far longer than any test waits) until it is
   * stopped, and returns at most one row: a recursive CTE or a cross join of generated rows under `count(*)`, MySQL's
   * `BENCHMARK()`. The cancellation tests stop it to prove that a real statement was interrupted, not only a sleep.
   * Omitted or `notAvailable(reason)`: those tests are unsupported.
   */
  readonly busy?: Optional<string>;
  /**
   * One statement returning `count` rows with two columns: `n` (integer, 1…count, in order) and `payload`
   * (a string of exactly 200 characters). Used to check that readers stream.
   */
  generateRows(count: number): string;
  /**
   * A statement that makes the server send a notice or warning, raised as the connection's `infoMessage` event;
   * `notAvailable(reason)` for an engine that has no notices.
   */
  readonly infoMessage: Optional<string>;
}

/** How a second connection observes and ends the session of the connection under test. */
export interface SessionRecipes {
  /** A scalar query: the server's id of the current session; `DbConnection.sessionId` must equal it. */
  readonly currentSessionId: string;
  /**
   * A scalar query run on ANOTHER connection: the text of the statement session `sessionId` is running, or
   * NULL / no row while it is idle. The id comes from the server and is an integer, so it is inlined.
   */
  activeStatement(sessionId: string | number): string;
  /**
   * A statement run on another connection that terminates session `sessionId` (its socket is closed);
   * `notAvailable(reason)` when the engine can show sessions but not end them.
   */
  readonly kill: Optional<(sessionId: string | number) => string>;
}

/** A session setting that a pooled connection must not carry over to its next user. */
export interface SessionStateRecipe {
  /** Changes the setting to a value that is not the default (`SET TIME ZONE 'Pacific/Chatham'`). */
  readonly change: string;
  /** A scalar query reading the setting. */
  readonly read: string;
}

/** Reading the isolation level of the transaction in progress. */
export interface IsolationRecipe {
  /** A scalar query run inside the transaction (`SHOW transaction_isolation`). */
  readonly read: string;
  /** What `read` returns for each isolation level the provider declares in `capabilities.isolationLevels`. */
  readonly names: Partial<Record<IsolationLevel, string>>;
}

/** One column type of the engine and sample values of it. */
export interface ValueTypeCase {
  /** The DbType columns of this type report (`getColumnSchema()[i].dbType`). */
  readonly dbType: DbType;
  /** The column type in CREATE TABLE (`smallint`, `numeric(20,4)`, `timestamptz`). */
  readonly columnType: string;
  /** At least one sample; give the extremes (`min`, `max`) and a typical value where the type has them. */
  readonly samples: readonly ValueSample[];
}

/** One value: how to write it in SQL, the JS value it reads as, and the JS value that stores it. */
export interface ValueSample {
  /** Names the sample in failure messages: `min`, `max`, `typical`, `empty`, `unicode`… */
  readonly kind: string;
  /** A SQL expression an INSERT into the column accepts: `-32768`, `'2024-02-29'`, `decode('0102', 'hex')`. */
  readonly literal: string;
  /** The JS value the column must read as (docs/values.md). */
  readonly expected: unknown;
  /**
   * The JS value a parameter must hold to store the same value; defaults to `expected`. Give it where the JS
   * value read differs from a natural one to send (e.g. a `char(5)` reads padded).
   */
  readonly parameter?: unknown;
}

/** The server errors the Errors group provokes. */
export type ErrorCase =
  | 'uniqueViolation'
  | 'foreignKeyViolation'
  | 'notNullViolation'
  | 'checkViolation'
  | 'syntaxError'
  | 'undefinedTable'
  | 'deadlock';

/** The engine's code for an error: SQLSTATE and/or its own number. */
export interface ExpectedErrorCode {
  readonly sqlState?: string;
  readonly providerCode?: string | number;
}

/**
 * Two transactions that deadlock. The suite creates `table` (`id` integer primary key, `v` integer) holding rows
 * id 1 and 2 with v 0, then runs on connection A `a[0]`, on B `b[0]`, and then `a[1]` and `b[1]` together:
 * one of the last two must fail with category `deadlock`.
 */
export interface DeadlockRecipe {
  statements(table: string): { readonly a: readonly [string, string]; readonly b: readonly [string, string] };
}

/** A deadlock every SQL engine with row locks detects: A locks row 1 then wants 2, B locks 2 then wants 1. */
export const portableDeadlock: DeadlockRecipe = {
  statements: (table) => ({
    a: [`UPDATE ${table} SET v = v + 1 WHERE id = 1`, `UPDATE ${table} SET v = v + 1 WHERE id = 2`],
    b: [`UPDATE ${table} SET v = v + 1 WHERE id = 2`, `UPDATE ${table} SET v = v + 1 WHERE id = 1`],
  }),
};

/**
 * The DbTypes the Values group has rows for, in the order of the report. A fixture lists the ones its engine has;
 * the others are reported as unsupported.
 */
export const VALUE_DB_TYPES: readonly DbType[] = [
  'Boolean',
  'Byte',
  'SByte',
  'Int16',
  'Int32',
  'Int64',
  'Decimal',
  'Currency',
  'Single',
  'Double',
  'String',
  'StringFixedLength',
  'AnsiString',
  'AnsiStringFixedLength',
  'Date',
  'Time',
  'DateTime',
  'DateTime2',
  'DateTimeOffset',
  'Guid',
  'Binary',
  'Json',
  'Xml',
];
