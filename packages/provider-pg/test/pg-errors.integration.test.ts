import { DbError, type DbErrorCategory } from '@asyncdb/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgProviderFactory, type PgConnection } from '../src/index.js';
import { execute, openConnection, scalar, uniqueName } from './pg-integration-helpers.js';

let connection: PgConnection;
let parent: string;
let child: string;

beforeAll(async () => {
  connection = await openConnection();
  parent = uniqueName('parent');
  child = uniqueName('child');
  await execute(
    connection,
    `CREATE TABLE ${parent} (id int PRIMARY KEY);
     CREATE TABLE ${child} (id int PRIMARY KEY, parent_id int REFERENCES ${parent} (id), name text NOT NULL, qty int CHECK (qty > 0));
     INSERT INTO ${parent} VALUES (1); INSERT INTO ${child} VALUES (1, 1, 'a', 1)`,
  );
});

afterAll(async () => {
  await execute(connection, `DROP TABLE IF EXISTS ${child}; DROP TABLE IF EXISTS ${parent}`);
  await connection.close();
  await PgProviderFactory.instance.clearAllPools();
});

describe('server errors', () => {
  it.each<[string, () => string, string, DbErrorCategory]>([
    ['a unique violation', () => `INSERT INTO ${child} VALUES (1, 1, 'dup', 1)`, '23505', 'unique_violation'],
    [
      'a foreign key violation',
      () => `INSERT INTO ${child} VALUES (2, 99, 'orphan', 1)`,
      '23503',
      'foreign_key_violation',
    ],
    ['a not-null violation', () => `INSERT INTO ${child} VALUES (3, 1, NULL, 1)`, '23502', 'not_null_violation'],
    ['a check violation', () => `INSERT INTO ${child} VALUES (4, 1, 'neg', -1)`, '23514', 'check_violation'],
    ['a syntax error', () => 'SELEC 1', '42601', 'syntax_error'],
    ['an undefined table', () => 'SELECT * FROM asyncdb_nowhere', '42P01', 'undefined_object'],
    ['an undefined column', () => `SELECT nope FROM ${parent}`, '42703', 'undefined_object'],
    ['an undefined function', () => 'SELECT asyncdb_no_function()', '42883', 'undefined_object'],
    ['a division by zero', () => 'SELECT 1 / 0', '22012', 'data_exception'],
    ['an invalid input', () => "SELECT 'abc'::int", '22P02', 'data_exception'],
    [
      'a permission denial',
      () => 'SET SESSION AUTHORIZATION DEFAULT; SET ROLE pg_read_all_stats; CREATE TABLE pg_catalog.x (i int)',
      '42501',
      'permission_denied',
    ],
  ])('maps %s', async (_, sql, sqlState, category) => {
    const error = (await execute(connection, sql()).catch((caught: unknown) => caught)) as DbError;
    expect(error).toBeInstanceOf(DbError);
    expect(error).toMatchObject({ sqlState, providerCode: sqlState, category, providerName: 'pg', severity: 'ERROR' });
    // The server's own text, as on every provider; the code lives in sqlState.
    expect(error.message).toBe((error.cause as { message?: string }).message);
    expect((error.cause as { code?: string }).code).toBe(sqlState);
    // The session is idle again and usable.
    expect(await scalar(connection, 'SELECT 1')).toBe(1);
  });

  it('fails a reader on an error raised after some rows were streamed', async () => {
    const command = connection.createCommand('SELECT 10 / (5000 - g) FROM generate_series(1, 6000) g');
    const reader = await command.executeReader();
    let count = 0;
    const error = await (async () => {
      while (await reader.read()) count += 1;
    })().catch((caught: unknown) => caught);
    expect(error).toMatchObject({ sqlState: '22012' });
    expect(count).toBeGreaterThanOrEqual(4000);
    expect(reader.isClosed).toBe(true);
    expect(await scalar(connection, 'SELECT 2')).toBe(2);
  });

  it('reports COPY FROM STDIN as unsupported by failing the copy', async () => {
    await expect(execute(connection, `COPY ${parent} FROM STDIN`)).rejects.toMatchObject({ sqlState: '57014' });
    expect(await scalar(connection, 'SELECT 3')).toBe(3);
  });
});
