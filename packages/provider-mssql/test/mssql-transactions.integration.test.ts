import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { IsolationLevel } from '@asyncdb/core';
import { MssqlProviderFactory, MssqlTransaction, type MssqlConnection } from '../src/index.js';
import { execute, openConnection, rows, uniqueName } from './mssql-test-helpers.js';

let connection: MssqlConnection;
const table = uniqueName('tk_tx');

beforeAll(async () => {
  connection = await openConnection();
  await execute(connection, `CREATE TABLE ${table} (id int NOT NULL PRIMARY KEY)`);
});

beforeEach(() => execute(connection, `DELETE FROM ${table}`));

afterAll(async () => {
  await execute(connection, `DROP TABLE ${table}`);
  await connection.close();
  await MssqlProviderFactory.instance.clearAllPools();
});

const ids = async () => (await rows(connection, `SELECT id FROM ${table} ORDER BY id`)).map(([id]) => id);

describe('transactions', () => {
  it('commit keeps and rollback discards, through TDS transaction-manager requests', async () => {
    const committed = await connection.beginTransaction(IsolationLevel.Serializable);
    expect(committed).toBeInstanceOf(MssqlTransaction);
    await committed.createCommand(`INSERT INTO ${table} (id) VALUES (1)`).executeNonQuery();
    await committed.commit();
    const discarded = await connection.beginTransaction();
    await discarded.createCommand(`INSERT INTO ${table} (id) VALUES (2)`).executeNonQuery();
    await discarded.rollback();
    expect(await ids()).toEqual([1]);
  });

  it('save and rollback(name) undo back to a savepoint; release is a no-op (SQL Server has none)', async () => {
    const transaction = await connection.beginTransaction();
    await transaction.createCommand(`INSERT INTO ${table} (id) VALUES (1)`).executeNonQuery();
    await transaction.save('before_two');
    await transaction.createCommand(`INSERT INTO ${table} (id) VALUES (2)`).executeNonQuery();
    await transaction.rollback('before_two');
    await transaction.release('before_two');
    await transaction.createCommand(`INSERT INTO ${table} (id) VALUES (3)`).executeNonQuery();
    await transaction.commit();
    expect(await ids()).toEqual([1, 3]);
  });

  it('rollback succeeds when the server already ended the transaction (XACT_ABORT and an error)', async () => {
    const transaction = await connection.beginTransaction();
    await transaction.createCommand('SET XACT_ABORT ON').executeNonQuery();
    await transaction.createCommand(`INSERT INTO ${table} (id) VALUES (1)`).executeNonQuery();
    await expect(transaction.createCommand(`INSERT INTO ${table} (id) VALUES (1)`).executeNonQuery()).rejects.toMatchObject({ providerCode: 2627 });
    await transaction.rollback();
    await execute(connection, 'SET XACT_ABORT OFF');
    expect(await ids()).toEqual([]);
  });

  it('a T-SQL transaction of a batch is seen by tedious: beginTransaction after it commits works', async () => {
    await execute(connection, `BEGIN TRANSACTION; INSERT INTO ${table} (id) VALUES (5); COMMIT`);
    const transaction = await connection.beginTransaction(IsolationLevel.ReadCommitted);
    await transaction.commit();
    expect(await ids()).toEqual([5]);
  });
});
