import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DbError, DbErrorCategory as C } from '@asyncdb/core';
import { MssqlProviderFactory, type MssqlConnection } from '../src/index.js';
import { execute, openConnection, uniqueName } from './mssql-test-helpers.js';

let connection: MssqlConnection;
const parent = uniqueName('tk_err_parent');
const child = uniqueName('tk_err_child');

beforeAll(async () => {
  connection = await openConnection();
  await execute(connection, `CREATE TABLE ${parent} (id int NOT NULL, CONSTRAINT ${parent}_pk PRIMARY KEY (id))`);
  await execute(
    connection,
    `CREATE TABLE ${child} (id int NOT NULL, parent_id int NOT NULL, qty int NULL,
       CONSTRAINT ${child}_pk PRIMARY KEY (id),
       CONSTRAINT ${child}_fk FOREIGN KEY (parent_id) REFERENCES ${parent} (id),
       CONSTRAINT ${child}_ck CHECK (qty >= 0))`,
  );
  await execute(connection, `INSERT INTO ${parent} (id) VALUES (1)`);
  await execute(connection, `INSERT INTO ${child} (id, parent_id, qty) VALUES (1, 1, 1)`);
});

afterAll(async () => {
  await execute(connection, `DROP TABLE ${child}`);
  await execute(connection, `DROP TABLE ${parent}`);
  await connection.close();
  await MssqlProviderFactory.instance.clearAllPools();
});

async function failure(sql: string): Promise<DbError> {
  const error = await execute(connection, sql).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(DbError);
  return error as DbError;
}

describe('server errors', () => {
  it.each([
    ['a duplicate key', C.UniqueViolation, 2627, '23000', (): string => `INSERT INTO ${child} (id, parent_id, qty) VALUES (1, 1, 1)`],
    ['a missing parent', C.ForeignKeyViolation, 547, '23000', (): string => `INSERT INTO ${child} (id, parent_id, qty) VALUES (2, 99, 1)`],
    ['a CHECK constraint', C.CheckViolation, 547, '23000', (): string => `INSERT INTO ${child} (id, parent_id, qty) VALUES (3, 1, -1)`],
    ['a NULL in a NOT NULL column', C.NotNullViolation, 515, '23000', (): string => `INSERT INTO ${child} (id, parent_id, qty) VALUES (4, NULL, 1)`],
    ['a syntax error', C.SyntaxError, 102, '42000', (): string => 'SELECT (1'],
    // SQL Server reads a batch whose first word is no keyword as a procedure call (EXEC may be omitted there).
    ['a misspelt first keyword', C.UndefinedObject, 2812, '42000', (): string => 'SELEC 1'],
    ['an unknown table', C.UndefinedObject, 208, '42S02', (): string => `SELECT * FROM ${uniqueName('tk_missing')}`],
    ['an unknown column', C.UndefinedObject, 207, '42S22', (): string => `SELECT nope FROM ${parent}`],
    ['a division by zero', C.DataException, 8134, '22012', (): string => 'SELECT 1 / 0'],
  ])('%s is %s (%i, SQLSTATE %s)', async (_name, category, number, sqlState, sql) => {
    const error = await failure(sql());
    expect(error).toMatchObject({ category, providerCode: number, sqlState, providerName: 'mssql' });
    expect(typeof error.severity).toBe('number');
    expect(error.cause).toBeDefined();
  });

  it('a deleted parent still referenced is a foreign key violation (REFERENCE constraint)', async () => {
    expect(await failure(`DELETE FROM ${parent}`)).toMatchObject({ category: C.ForeignKeyViolation, providerCode: 547 });
  });

  it('RAISERROR and THROW keep their number, class and message', async () => {
    expect(await failure("RAISERROR('custom failure %s', 16, 1, 'here')")).toMatchObject({
      providerCode: 50000,
      severity: 16,
      category: C.Other,
      message: 'custom failure here',
    });
    expect(await failure("THROW 51000, 'thrown here', 1")).toMatchObject({ providerCode: 51000, message: 'thrown here' });
  });

  it('leaves the connection usable', async () => {
    await failure('SELECT 1 / 0');
    expect(await execute(connection, `UPDATE ${child} SET qty = 2 WHERE id = 1`)).toBe(1);
  });
});
