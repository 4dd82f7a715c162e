import { IsolationLevel, NotSupportedError } from '@asyncdb/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MysqlProviderFactory, MysqlTransaction, type MysqlConnection } from '../src/index.js';
import { nonQuery, openConnection, scalar } from './mysql-test-server.js';

const table = `tx_${process.pid}`;
let setup: MysqlConnection;

beforeAll(async () => {
  setup = await openConnection();
  await nonQuery(setup, `DROP TABLE IF EXISTS ${table}`);
  await nonQuery(setup, `CREATE TABLE ${table} (id INT PRIMARY KEY, name VARCHAR(20)) ENGINE=InnoDB`);
});

afterAll(async () => {
  await nonQuery(setup, `DROP TABLE IF EXISTS ${table}`);
  await setup.close();
  await MysqlProviderFactory.instance.clearAllPools();
});

async function names(): Promise<string[]> {
  const reader = await setup.createCommand(`SELECT name FROM ${table} ORDER BY id`).executeReader();
  const result: string[] = [];
  while (await reader.read()) result.push(reader.getString(0));
  await reader.close();
  return result;
}

/**
 * The isolation level of the transaction in progress. MariaDB shows it only in information_schema.INNODB_TRX, once
 * the transaction touched InnoDB, and that view is refreshed at most every 100 ms.
 */
async function currentIsolation(transaction: MysqlTransaction): Promise<unknown> {
  return transaction
    .createCommand(
      `SELECT COUNT(*) INTO @ignored FROM ${table}; DO SLEEP(0.11); ` +
        'SELECT trx_isolation_level FROM information_schema.INNODB_TRX WHERE trx_mysql_thread_id = CONNECTION_ID()',
    )
    .executeScalar();
}

describe('transactions', () => {
  it('commits and rolls back', async () => {
    await nonQuery(setup, `DELETE FROM ${table}`);
    const connection = await openConnection();
    const committed = await connection.beginTransaction();
    expect(committed).toBeInstanceOf(MysqlTransaction);
    await committed.createCommand(`INSERT INTO ${table} VALUES (1, 'kept')`).executeNonQuery();
    await committed.commit();
    const rolledBack = await connection.beginTransaction();
    await rolledBack.createCommand(`INSERT INTO ${table} VALUES (2, 'dropped')`).executeNonQuery();
    await rolledBack.rollback();
    expect(await names()).toEqual(['kept']);
    await connection.close();
  });

  it.each([
    [IsolationLevel.ReadUncommitted, 'READ UNCOMMITTED'],
    [IsolationLevel.ReadCommitted, 'READ COMMITTED'],
    [IsolationLevel.RepeatableRead, 'REPEATABLE READ'],
    [IsolationLevel.Serializable, 'SERIALIZABLE'],
  ])('runs the transaction at %s, and only that transaction', async (level, serverName) => {
    const connection = await openConnection();
    const transaction = await connection.beginTransaction(level);
    expect(transaction.isolationLevel).toBe(level);
    expect(await currentIsolation(transaction)).toBe(serverName);
    await transaction.rollback();
    // SET TRANSACTION (without SESSION) applied to that transaction alone.
    const next = await connection.beginTransaction();
    expect(await currentIsolation(next)).toBe('REPEATABLE READ');
    await next.rollback();
    await connection.close();
  });

  it('ReadUncommitted sees what another transaction has not committed; ReadCommitted does not', async () => {
    await nonQuery(setup, `DELETE FROM ${table}`);
    const writer = await openConnection();
    const pending = await writer.beginTransaction();
    await pending.createCommand(`INSERT INTO ${table} VALUES (5, 'uncommitted')`).executeNonQuery();
    const reader = await openConnection();
    const dirty = await reader.beginTransaction(IsolationLevel.ReadUncommitted);
    expect(await dirty.createCommand(`SELECT COUNT(*) FROM ${table}`).executeScalar()).toBe(1n);
    await dirty.rollback();
    const clean = await reader.beginTransaction(IsolationLevel.ReadCommitted);
    expect(await clean.createCommand(`SELECT COUNT(*) FROM ${table}`).executeScalar()).toBe(0n);
    await clean.rollback();
    await pending.rollback();
    await Promise.all([writer.close(), reader.close()]);
  });

  it('refuses Snapshot with NotSupportedError', async () => {
    const connection = await openConnection();
    await expect(connection.beginTransaction(IsolationLevel.Snapshot)).rejects.toBeInstanceOf(NotSupportedError);
    await connection.close();
  });

  it('saves, rolls back to and releases savepoints', async () => {
    await nonQuery(setup, `DELETE FROM ${table}`);
    const connection = await openConnection();
    const transaction = await connection.beginTransaction();
    const insert = (id: number, name: string) =>
      transaction.createCommand(`INSERT INTO ${table} VALUES (${id}, '${name}')`).executeNonQuery();
    await insert(1, 'one');
    await transaction.save('first');
    await insert(2, 'two');
    await transaction.save('second');
    await insert(3, 'three');
    await transaction.rollback('second');
    await transaction.release('first');
    await transaction.commit();
    expect(await names()).toEqual(['one', 'two']);
    await connection.close();
  });

  it('await using rolls back a transaction still pending', async () => {
    await nonQuery(setup, `DELETE FROM ${table}`);
    const connection = await openConnection();
    {
      await using transaction = await connection.beginTransaction();
      await transaction.createCommand(`INSERT INTO ${table} VALUES (9, 'undone')`).executeNonQuery();
    }
    expect(await names()).toEqual([]);
    expect(await scalar(connection, 'SELECT @@in_transaction')).toBe(0n);
    await connection.close();
  });

  it('rolls back a transaction left open on close before the session is pooled', async () => {
    await nonQuery(setup, `DELETE FROM ${table}`);
    const options = 'Max Pool Size=1;Application Name=tx-pooled';
    const connection = await openConnection(options);
    const transaction = await connection.beginTransaction();
    await transaction.createCommand(`INSERT INTO ${table} VALUES (8, 'abandoned')`).executeNonQuery();
    await connection.close();
    expect(await names()).toEqual([]);
    const next = await openConnection(options);
    expect(await scalar(next, 'SELECT @@in_transaction')).toBe(0n);
    await next.close();
  });
});
