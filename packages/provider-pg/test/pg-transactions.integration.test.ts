import { DbError, IsolationLevel, NotSupportedError } from '@asyncdb/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgProviderFactory, PgTransaction, type PgConnection } from '../src/index.js';
import { execute, openConnection, rows, scalar, uniqueName } from './pg-integration-helpers.js';

let connection: PgConnection;
let table: string;

beforeAll(async () => {
  connection = await openConnection();
  table = uniqueName('tx');
  await execute(connection, `CREATE TABLE ${table} (id int PRIMARY KEY, note text)`);
});

afterAll(async () => {
  await execute(connection, `DROP TABLE IF EXISTS ${table}`);
  await connection.close();
  await PgProviderFactory.instance.clearAllPools();
});

async function ids(): Promise<number[]> {
  return (await rows(connection, `SELECT id FROM ${table} ORDER BY id`)).map(([id]) => id as number);
}

describe('transactions', () => {
  it.each([
    [IsolationLevel.Unspecified, 'read committed'],
    [IsolationLevel.ReadUncommitted, 'read uncommitted'],
    [IsolationLevel.ReadCommitted, 'read committed'],
    [IsolationLevel.RepeatableRead, 'repeatable read'],
    [IsolationLevel.Serializable, 'serializable'],
  ])('begins %s as %s', async (level, shown) => {
    const transaction = await connection.beginTransaction(level);
    expect(transaction).toBeInstanceOf(PgTransaction);
    expect(transaction.isolationLevel).toBe(level);
    expect(await transaction.createCommand('SHOW transaction_isolation').executeScalar()).toBe(shown);
    await transaction.rollback();
  });

  it('refuses isolation levels PostgreSQL does not have', async () => {
    await expect(connection.beginTransaction(IsolationLevel.Snapshot)).rejects.toBeInstanceOf(NotSupportedError);
    await expect(connection.beginTransaction(IsolationLevel.Chaos)).rejects.toBeInstanceOf(NotSupportedError);
  });

  it('commits and rolls back', async () => {
    const committed = await connection.beginTransaction();
    await committed.createCommand(`INSERT INTO ${table} VALUES (1, 'kept')`).executeNonQuery();
    await committed.commit();
    const rolledBack = await connection.beginTransaction();
    await rolledBack.createCommand(`INSERT INTO ${table} VALUES (2, 'dropped')`).executeNonQuery();
    await rolledBack.rollback();
    expect(await ids()).toEqual([1]);
    await execute(connection, `DELETE FROM ${table}`);
  });

  it('rolls back to, and releases, savepoints', async () => {
    const transaction = await connection.beginTransaction();
    const insert = (id: number) =>
      transaction.createCommand(`INSERT INTO ${table} VALUES (${id}, 'sp')`).executeNonQuery();
    await insert(10);
    await transaction.save('first');
    await insert(11);
    await transaction.save('Second');
    await insert(12);
    await transaction.rollback('Second');
    await transaction.release('first');
    await insert(13);
    await transaction.save('after_error');
    await expect(insert(13)).rejects.toMatchObject({ category: 'unique_violation' });
    await transaction.rollback('after_error');
    await transaction.commit();
    expect(await ids()).toEqual([10, 11, 13]);
    await execute(connection, `DELETE FROM ${table}`);
  });

  it('rolls back a transaction still pending when `await using` ends', async () => {
    {
      await using transaction = await connection.beginTransaction();
      await transaction.createCommand(`INSERT INTO ${table} VALUES (20, 'scoped')`).executeNonQuery();
    }
    expect(await ids()).toEqual([]);
  });

  it('says so when COMMIT cannot commit a failed transaction', async () => {
    const transaction = await connection.beginTransaction();
    await transaction.createCommand(`INSERT INTO ${table} VALUES (30, 'lost')`).executeNonQuery();
    await expect(transaction.createCommand('SELECT 1 / 0').executeScalar()).rejects.toMatchObject({
      sqlState: '22012',
    });
    const error = await transaction.commit().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DbError);
    expect((error as DbError).sqlState).toBe('25P02');
    expect(transaction.isCompleted).toBe(true);
    expect(await ids()).toEqual([]);
    expect(await scalar(connection, 'SELECT 1')).toBe(1);
  });

  it('reports a serialization failure as transient', async () => {
    await execute(connection, `INSERT INTO ${table} VALUES (40, 'a'), (41, 'b')`);
    await using other = await openConnection();
    const mine = await connection.beginTransaction(IsolationLevel.Serializable);
    const theirs = await other.beginTransaction(IsolationLevel.Serializable);
    await mine.createCommand(`SELECT sum(id) FROM ${table}`).executeScalar();
    await theirs.createCommand(`SELECT sum(id) FROM ${table}`).executeScalar();
    await mine.createCommand(`UPDATE ${table} SET note = 'mine' WHERE id = 40`).executeNonQuery();
    await theirs.createCommand(`UPDATE ${table} SET note = 'theirs' WHERE id = 41`).executeNonQuery();
    await mine.commit();
    const error = (await theirs.commit().catch((caught: unknown) => caught)) as DbError;
    expect(error).toBeInstanceOf(DbError);
    expect(error).toMatchObject({ sqlState: '40001', category: 'serialization_failure', isTransient: true });
    await execute(connection, `DELETE FROM ${table}`);
  });

  it('reports a deadlock as transient', async () => {
    await execute(connection, `INSERT INTO ${table} VALUES (50, 'a'), (51, 'b')`);
    await using other = await openConnection();
    const mine = await connection.beginTransaction();
    const theirs = await other.beginTransaction();
    await mine.createCommand(`UPDATE ${table} SET note = 'x' WHERE id = 50`).executeNonQuery();
    await theirs.createCommand(`UPDATE ${table} SET note = 'y' WHERE id = 51`).executeNonQuery();
    const outcomes = await Promise.allSettled([
      mine.createCommand(`UPDATE ${table} SET note = 'x' WHERE id = 51`).executeNonQuery(),
      theirs.createCommand(`UPDATE ${table} SET note = 'y' WHERE id = 50`).executeNonQuery(),
    ]);
    const failures = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    expect(failures).toHaveLength(1);
    expect(failures[0]!.reason).toMatchObject({ sqlState: '40P01', category: 'deadlock', isTransient: true });
    await mine.rollback();
    await theirs.rollback();
    await execute(connection, `DELETE FROM ${table}`);
  });

  it('reports a lock timeout', async () => {
    await execute(connection, `INSERT INTO ${table} VALUES (60, 'a')`);
    await using other = await openConnection();
    const holder = await connection.beginTransaction();
    await holder.createCommand(`UPDATE ${table} SET note = 'held' WHERE id = 60`).executeNonQuery();
    const error = await execute(
      other,
      `SET lock_timeout = '100ms'; UPDATE ${table} SET note = 'blocked' WHERE id = 60`,
    ).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ sqlState: '55P03', category: 'lock_timeout', isTransient: true });
    await holder.rollback();
    await execute(connection, `DELETE FROM ${table}`);
  });
});
