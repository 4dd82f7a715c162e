import { describe, expect, it } from 'vitest';
import type { DbConnection } from '@asyncdb/core';
import { SqliteProviderFactory } from '../src/index.js';
import { useSqliteFiles } from './sqlite-test-helpers.js';

/** One value of a query. */
async function scalar(connection: DbConnection, sql: string): Promise<unknown> {
  return connection.createCommand(sql).executeScalar();
}

describe('pooling through core’s pool', () => {
  const files = useSqliteFiles();

  /** A connection string of its own pool of one session, so the reopen gets the same worker back. */
  const single = (name: string, extra = ''): string => `Data Source=${files.path(name)};Max Pool Size=1${extra}`;

  it('close and open hand the same worker back (its thread id is the session id)', async () => {
    const connection = await files.open(single('reuse.db'));
    const first = connection.sessionId;
    expect(typeof first).toBe('number');
    await connection.close();
    await connection.open();
    expect(connection.sessionId).toBe(first);
  });

  it('the reset rolls back a transaction left open, begun through the API or in SQL', async () => {
    const connection = await files.open(single('transaction.db'));
    await connection.createCommand('CREATE TABLE t (n int)').executeNonQuery();
    const session = connection.sessionId;
    const transaction = await connection.beginTransaction();
    const insert = connection.createCommand('INSERT INTO t VALUES (1)');
    insert.transaction = transaction;
    await insert.executeNonQuery();
    await connection.close();
    await connection.open();
    expect(connection.sessionId).toBe(session);
    expect(await scalar(connection, 'SELECT count(*) FROM t')).toBe(0n);
    await connection.createCommand('BEGIN').executeNonQuery();
    await connection.createCommand('INSERT INTO t VALUES (2)').executeNonQuery();
    await connection.close();
    await connection.open();
    expect(connection.sessionId).toBe(session);
    expect(await scalar(connection, 'SELECT count(*) FROM t')).toBe(0n);
    // No transaction is open: BEGIN would fail inside one.
    await connection.createCommand('BEGIN').executeNonQuery();
    await connection.createCommand('ROLLBACK').executeNonQuery();
  });

  it('the reset drops temp tables, views and indexes, and detaches attached databases', async () => {
    const connection = await files.open(single('temp.db'));
    const session = connection.sessionId;
    await connection.createCommand('CREATE TEMP TABLE scratch (n int)').executeNonQuery();
    await connection.createCommand('CREATE TEMP VIEW scratch_view AS SELECT n FROM scratch').executeNonQuery();
    await connection.createCommand('CREATE INDEX temp.scratch_n ON scratch (n)').executeNonQuery();
    await connection.createCommand(`ATTACH DATABASE '${files.path('other.db')}' AS other`).executeNonQuery();
    await connection.close();
    await connection.open();
    expect(connection.sessionId).toBe(session);
    expect(await scalar(connection, "SELECT count(*) FROM temp.sqlite_schema WHERE name NOT LIKE 'sqlite_%'")).toBe(0n);
    expect(await scalar(connection, "SELECT count(*) FROM pragma_database_list WHERE name = 'other'")).toBe(0n);
  });

  it('the reset drops a temp trigger on a main table, so it no longer fires for the next user', async () => {
    const connection = await files.open(single('temp-trigger.db'));
    const session = connection.sessionId;
    await connection.createCommand('CREATE TABLE t (n int); CREATE TABLE log (n int)').executeNonQuery();
    await connection
      .createCommand(
        'CREATE TEMP TRIGGER t_log AFTER INSERT ON main.t BEGIN INSERT INTO log VALUES (new.n); INSERT INTO log VALUES (0); END',
      )
      .executeNonQuery();
    await connection.createCommand('INSERT INTO t VALUES (1)').executeNonQuery();
    expect(await scalar(connection, 'SELECT count(*) FROM log')).toBe(2n);
    await connection.close();
    await connection.open();
    expect(connection.sessionId).toBe(session);
    expect(await scalar(connection, "SELECT count(*) FROM temp.sqlite_schema WHERE type = 'trigger'")).toBe(0n);
    await connection.createCommand('INSERT INTO t VALUES (2)').executeNonQuery();
    expect(await scalar(connection, 'SELECT count(*) FROM log')).toBe(2n);
  });

  it('the reset puts back the PRAGMAs the connection string set and those the session changed', async () => {
    const connection = await files.open(single('pragmas.db', ';Foreign Keys=False;Recursive Triggers=True'));
    const session = connection.sessionId;
    const read = async () => ({
      foreignKeys: await scalar(connection, 'PRAGMA foreign_keys'),
      recursiveTriggers: await scalar(connection, 'PRAGMA recursive_triggers'),
      cacheSize: await scalar(connection, 'PRAGMA cache_size'),
      busyTimeout: await scalar(connection, 'PRAGMA busy_timeout'),
      synchronous: await scalar(connection, 'PRAGMA synchronous'),
    });
    const original = await read();
    expect(original.foreignKeys).toBe(0n);
    expect(original.recursiveTriggers).toBe(1n);
    await connection.createCommand('PRAGMA foreign_keys = 1').executeNonQuery();
    await connection.createCommand('PRAGMA recursive_triggers = 0').executeNonQuery();
    await connection.createCommand('PRAGMA cache_size = -4321').executeNonQuery();
    await connection.createCommand('PRAGMA busy_timeout = 1').executeNonQuery();
    await connection.createCommand('PRAGMA main.synchronous = OFF').executeNonQuery();
    await connection.createCommand('PRAGMA case_sensitive_like = 1').executeNonQuery();
    expect(await read()).not.toEqual(original);
    await connection.close();
    await connection.open();
    expect(connection.sessionId).toBe(session);
    expect(await read()).toEqual(original);
    // case_sensitive_like cannot be read: LIKE is case-insensitive again.
    expect(await scalar(connection, "SELECT 'a' LIKE 'A'")).toBe(1n);
  });

  it('a session that ran a PRAGMA the reset cannot put back is closed, not pooled', async () => {
    const connection = await files.open(single('locking.db'));
    const session = connection.sessionId;
    await connection.createCommand('PRAGMA locking_mode = EXCLUSIVE').executeNonQuery();
    await connection.close();
    await connection.open();
    expect(connection.sessionId).not.toBe(session);
    expect(await scalar(connection, 'PRAGMA locking_mode')).toBe('normal');
  });

  it('a private in-memory database is never pooled: the next open gets an empty database', async () => {
    for (const connectionString of ['Data Source=:memory:;Max Pool Size=1', 'Mode=Memory;Max Pool Size=1']) {
      const connection = await files.open(connectionString);
      const session = connection.sessionId;
      await connection.createCommand('CREATE TABLE kept (n int)').executeNonQuery();
      await connection.close();
      await connection.open();
      expect(connection.sessionId).not.toBe(session);
      expect(await scalar(connection, "SELECT count(*) FROM sqlite_schema WHERE name = 'kept'")).toBe(0n);
    }
  });

  it('Pooling=false opens a worker of its own each time', async () => {
    const connection = await files.open(single('unpooled.db', ';Pooling=false'));
    const session = connection.sessionId;
    await connection.close();
    await connection.open();
    expect(connection.sessionId).not.toBe(session);
  });

  it('clearPool closes the idle sessions of a connection string: the next open gets a new worker', async () => {
    const connectionString = single('clear.db');
    const connection = await files.open(connectionString);
    const session = connection.sessionId;
    await connection.close();
    await SqliteProviderFactory.instance.clearPool(connectionString);
    await connection.open();
    expect(connection.sessionId).not.toBe(session);
  });
});
