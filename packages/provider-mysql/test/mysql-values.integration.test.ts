import { randomBytes } from 'node:crypto';
import type { DbType } from '@asyncdb/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MysqlProviderFactory, type MysqlConnection } from '../src/index.js';
import { nonQuery, openConnection, scalar } from './mysql-test-server.js';

let connection: MysqlConnection;
let mariadb = false;
const table = `vals_${process.pid}`;

/** One column: its type, the JS value sent as a parameter, the value read back, and its DbType. */
interface Case {
  readonly column: string;
  readonly type: string;
  readonly sent: unknown;
  readonly read: unknown;
  readonly dbType: DbType;
}

const blob = randomBytes(3000);

const CASES: readonly Case[] = [
  { column: 'b', type: 'TINYINT(1)', sent: true, read: true, dbType: 'Boolean' },
  { column: 'ti', type: 'TINYINT', sent: -128, read: -128, dbType: 'SByte' },
  { column: 'uti', type: 'TINYINT UNSIGNED', sent: 255, read: 255, dbType: 'Byte' },
  { column: 'si', type: 'SMALLINT', sent: -32768, read: -32768, dbType: 'Int16' },
  { column: 'mi', type: 'MEDIUMINT', sent: 8388607, read: 8388607, dbType: 'Int32' },
  { column: 'i', type: 'INT', sent: -2147483648, read: -2147483648, dbType: 'Int32' },
  { column: 'ui', type: 'INT UNSIGNED', sent: 4294967295, read: 4294967295, dbType: 'Int32' },
  { column: 'bi', type: 'BIGINT', sent: -9223372036854775808n, read: -9223372036854775808n, dbType: 'Int64' },
  { column: 'ubi', type: 'BIGINT UNSIGNED', sent: 18446744073709551615n, read: 18446744073709551615n, dbType: 'Int64' },
  {
    column: 'de',
    type: 'DECIMAL(30,10)',
    sent: '-12345678901234567890.0123456789',
    read: '-12345678901234567890.0123456789',
    dbType: 'Decimal',
  },
  { column: 'f', type: 'FLOAT', sent: 1.1, read: 1.1, dbType: 'Single' },
  { column: 'd', type: 'DOUBLE', sent: Math.PI, read: Math.PI, dbType: 'Double' },
  { column: 'vc', type: 'VARCHAR(50)', sent: "héllo ✓ 😀 'q' \\", read: "héllo ✓ 😀 'q' \\", dbType: 'String' },
  { column: 'ch', type: 'CHAR(5)', sent: 'ab', read: 'ab', dbType: 'StringFixedLength' },
  { column: 'tx', type: 'MEDIUMTEXT', sent: 'x'.repeat(70_000), read: 'x'.repeat(70_000), dbType: 'String' },
  { column: 'dt', type: 'DATE', sent: '2024-02-29', read: '2024-02-29', dbType: 'Date' },
  { column: 'tm', type: 'TIME(6)', sent: '-12:34:56.789', read: '-12:34:56.789', dbType: 'Time' },
  {
    column: 'dtm',
    type: 'DATETIME(6)',
    sent: new Date('2024-02-29T13:14:15.678Z'),
    read: new Date('2024-02-29T13:14:15.678Z'),
    dbType: 'DateTime',
  },
  {
    column: 'ts',
    type: 'TIMESTAMP(3) NULL',
    sent: new Date('2030-01-02T03:04:05.006Z'),
    read: new Date('2030-01-02T03:04:05.006Z'),
    dbType: 'DateTimeOffset',
  },
  { column: 'yr', type: 'YEAR', sent: 2024, read: 2024, dbType: 'Int16' },
  {
    column: 'vb',
    type: 'VARBINARY(10)',
    sent: Buffer.from([0, 1, 255]),
    read: Buffer.from([0, 1, 255]),
    dbType: 'Binary',
  },
  { column: 'bl', type: 'BLOB', sent: new Uint8Array(blob), read: blob, dbType: 'Binary' },
  {
    column: 'js',
    type: 'JSON',
    sent: { a: [1, { b: 'c' }], n: null },
    read: { a: [1, { b: 'c' }], n: null },
    dbType: 'Json',
  },
  { column: 'bt1', type: 'BIT(1)', sent: true, read: true, dbType: 'Boolean' },
  { column: 'bt8', type: 'BIT(8)', sent: 5n, read: 5n, dbType: 'Int64' },
  { column: 'en', type: "ENUM('a','b')", sent: 'b', read: 'b', dbType: 'String' },
  { column: 'st', type: "SET('x','y')", sent: 'x,y', read: 'x,y', dbType: 'String' },
];

const MARIADB_CASES: readonly Case[] = [
  {
    column: 'uu',
    type: 'UUID',
    sent: '6CCD780C-BABA-1026-9564-5B8C656024DB',
    read: '6ccd780c-baba-1026-9564-5b8c656024db',
    dbType: 'Guid',
  },
];

let cases: readonly Case[] = CASES;

beforeAll(async () => {
  connection = await openConnection();
  mariadb = /mariadb/i.test(connection.serverVersion);
  cases = mariadb ? [...CASES, ...MARIADB_CASES] : CASES;
  await nonQuery(connection, `DROP TABLE IF EXISTS ${table}`);
  // utf8mb4 whatever the server's default character set is (latin1 without configuration).
  await nonQuery(
    connection,
    `CREATE TABLE ${table} (id INT PRIMARY KEY, ${cases.map((c) => `${c.column} ${c.type}`).join(', ')}) DEFAULT CHARSET=utf8mb4`,
  );
  const insert = connection.createCommand(
    `INSERT INTO ${table} (id, ${cases.map((c) => c.column).join(', ')}) VALUES (1, ${cases.map((c) => `@${c.column}`).join(', ')})`,
  );
  for (const valueCase of cases) insert.parameters.addWithValue(`@${valueCase.column}`, valueCase.sent);
  expect(await insert.executeNonQuery()).toBe(1);
  await nonQuery(connection, `INSERT INTO ${table} (id) VALUES (2)`);
});

afterAll(async () => {
  await nonQuery(connection, `DROP TABLE IF EXISTS ${table}`);
  await connection.close();
  await MysqlProviderFactory.instance.clearAllPools();
});

/**
 * The row `id` read with a parameter (binary protocol) or without (text protocol); `lead` is a select-list item put
 * before the columns (and its value dropped).
 */
async function readRow(id: number, binary: boolean, lead = ''): Promise<{ values: unknown[]; dbTypes: DbType[] }> {
  const list = `${lead}${cases.map((c) => c.column).join(', ')}`;
  const command = connection.createCommand(
    binary ? `SELECT ${list} FROM ${table} WHERE id = @id` : `SELECT ${list} FROM ${table} WHERE id = ${id}`,
  );
  if (binary) command.parameters.addWithValue('@id', id);
  const reader = await command.executeReader();
  expect(await reader.read()).toBe(true);
  const skip = lead === '' ? 0 : 1;
  const values = reader.getValues().slice(skip);
  const dbTypes = reader
    .getColumnSchema()
    .slice(skip)
    .map((column) => column.dbType);
  await reader.close();
  return { values, dbTypes };
}

describe.each([
  ['binary protocol (with parameters)', true],
  ['text protocol (without parameters)', false],
])('values through the %s', (_label, binary) => {
  it('every type reads back as the JS value it was sent as, with its DbType', async () => {
    const { values, dbTypes } = await readRow(1, binary);
    cases.forEach((valueCase, index) => {
      expect(values[index], valueCase.type).toEqual(valueCase.read);
      expect(typeof values[index], valueCase.type).toBe(typeof valueCase.read);
      expect(dbTypes[index], valueCase.type).toBe(valueCase.dbType);
    });
  });

  it('NULL reads as null in every type', async () => {
    const { values } = await readRow(2, binary);
    expect(values).toEqual(cases.map(() => null));
  });

  // A column named `__proto__` sends the result set through mysql2's static row parser (issue 13 item 4): it must
  // read every type exactly as the generated parser does.
  it.each([1, 2])('row %i reads the same next to a column named __proto__', async (id) => {
    expect(await readRow(id, binary, '0 AS `__proto__`, ')).toEqual(await readRow(id, binary));
  });
});

describe('values of expressions', () => {
  it.each([
    ['an integer', 42, 42],
    ['a fraction', 1.5, 1.5],
    ['a bigint', 2n ** 60n, 2n ** 60n],
    ['a string', 'text', 'text'],
    ['a Date', new Date('2024-01-02T03:04:05.678Z'), new Date('2024-01-02T03:04:05.678Z')],
    ['bytes', Buffer.from([1, 2]), Buffer.from([1, 2])],
    ['null', null, null],
  ])('SELECT @p with %s reads it back unchanged', async (_label, sent, read) => {
    expect(await scalar(connection, 'SELECT @p', { p: sent })).toEqual(read);
  });

  it('reads a boolean parameter of an expression as the integer MySQL makes of it', async () => {
    expect(await scalar(connection, 'SELECT @p', { p: true })).toBe(1);
  });

  it('reads JSON functions parsed (MariaDB marks them JSON in the extended metadata)', async () => {
    expect(await scalar(connection, "SELECT JSON_OBJECT('a', 1, 'b', JSON_ARRAY(true, NULL))")).toEqual({
      a: 1,
      b: [true, null],
    });
  });

  it('reads DATETIME values as UTC whatever the server time zone', async () => {
    expect(await scalar(connection, "SELECT CAST('2024-06-01 12:00:00' AS DATETIME)")).toEqual(
      new Date('2024-06-01T12:00:00Z'),
    );
    expect(await scalar(connection, 'SELECT FROM_UNIXTIME(0)')).toEqual(new Date(0));
  });

  it('reads the zero date as null', async () => {
    await nonQuery(connection, `SET SESSION sql_mode = ''`);
    expect(await scalar(connection, "SELECT CAST('0000-00-00 00:00:00' AS DATETIME)")).toBeNull();
    await nonQuery(connection, `SET SESSION sql_mode = DEFAULT`);
  });
});
