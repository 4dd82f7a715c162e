import type {} from '@asyncdb/test-servers';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, inject } from 'vitest';
import { MysqlConnectionStringBuilder, MysqlProviderFactory, type MysqlConnection } from '../src/index.js';

export { scalar, execute as nonQuery } from '@asyncdb/testkit';

/** The server of this test run (`ASYNCDB_MYSQL_URL`, else root@127.0.0.1:3306/test), from the global setup. */
export function mysqlUrl(): string {
  return inject('mysqlUrl');
}

/** The test server's connection string plus `extra` keywords (`Max Pool Size=2;Connect Timeout=1`). */
export function connectionString(extra = ''): string {
  const builder = new MysqlConnectionStringBuilder(mysqlUrl());
  const base = builder.connectionString;
  return extra === '' ? base : `${base};${extra}`;
}

/** Opens a provider connection on the test server. */
export async function openConnection(extra = ''): Promise<MysqlConnection> {
  const connection = MysqlProviderFactory.instance.createConnection(connectionString(extra));
  await connection.open();
  return connection;
}

/**
 * A plain mysql2 connection, independent of the provider under test, for watching sessions from outside
 * (information_schema.PROCESSLIST) and killing them.
 */
export async function observer(): Promise<mysql.Connection> {
  return mysql.createConnection(mysqlUrl());
}

/** What a test file does with its watcher once it is open, and before it is ended. */
export interface WatcherHooks {
  readonly afterOpen?: (watcher: mysql.Connection) => Promise<unknown>;
  readonly beforeEnd?: (watcher: mysql.Connection) => Promise<unknown>;
}

/**
 * Gives the calling test file a watcher connection (see {@link observer}), opened before its tests and ended after
 * them, when the provider's pools are cleared too. Returns a getter: the connection exists once `beforeAll` has run.
 */
export function useWatcher(hooks: WatcherHooks = {}): () => mysql.Connection {
  let watcher: mysql.Connection | undefined;
  beforeAll(async () => {
    watcher = await observer();
    await hooks.afterOpen?.(watcher);
  });
  afterAll(async () => {
    if (watcher) {
      await hooks.beforeEnd?.(watcher);
      await watcher.end();
    }
    await MysqlProviderFactory.instance.clearAllPools();
  });
  return () => {
    if (!watcher) throw new Error('The watcher connection is opened in beforeAll: use it inside a test.');
    return watcher;
  };
}

/** What session `threadId` is doing, seen from another connection: its COMMAND and INFO (null when idle). */
export async function sessionActivity(
  watcher: mysql.Connection,
  threadId: number,
): Promise<{ command: string; info: string | null } | undefined> {
  const [rows] = await watcher.query(
    'SELECT COMMAND AS command, INFO AS info FROM information_schema.PROCESSLIST WHERE ID = ?',
    [threadId],
  );
  return (rows as Array<{ command: string; info: string | null }>)[0];
}

/** True when the server has a session with this id. */
export async function sessionExists(watcher: mysql.Connection, threadId: number): Promise<boolean> {
  return (await sessionActivity(watcher, threadId)) !== undefined;
}

const DIGITS =
  '(SELECT 0 AS d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9)';

/**
 * A SELECT of `count` rows with column `n` (1…count, in no particular order) plus `columns`, built from cross-joined
 * digits: no table, no recursion limit (MariaDB's max_recursive_iterations, MySQL's cte_max_recursion_depth).
 */
export function sequenceSql(count: number, columns = ''): string {
  const levels = Math.max(1, Math.ceil(Math.log10(count)));
  const terms = Array.from({ length: levels }, (_, level) => `d${level}.d * ${10 ** level}`);
  const sources = Array.from({ length: levels }, (_, level) => `${DIGITS} AS d${level}`);
  const n = `(1 + ${terms.join(' + ')})`;
  return `SELECT ${n} AS n${columns} FROM ${sources.join(' CROSS JOIN ')} WHERE ${n} <= ${count}`;
}
