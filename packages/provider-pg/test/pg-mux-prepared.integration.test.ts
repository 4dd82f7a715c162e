import { DbError } from '@asyncdb/core';
import { afterAll, describe, expect, it } from 'vitest';
import { PgProviderFactory, type PgConnection } from '../src/index.js';
import { pgMultiplexingStats } from '../src/multiplexing/pg-mux-statements.js';
import { MAX_PREPARED_PER_SESSION } from '../src/multiplexing/pg-mux-prepared.js';
import { connectionString, execute, scalar, uniqueName } from './pg-integration-helpers.js';

afterAll(async () => {
  await PgProviderFactory.instance.clearAllPools();
});

/** A multiplexer of one session (so that every command, and the catalog query after them, runs on the same one). */
async function openOneSession(name: string): Promise<PgConnection> {
  const connection = PgProviderFactory.instance.createConnection(
    connectionString({ Multiplexing: true, 'Max Pool Size': 1, 'Application Name': `mux-prep-${name}` }),
  );
  await connection.open();
  return connection;
}

/** Statements the session has prepared with this text (pg_prepared_statements is per session). */
async function preparedWithText(connection: PgConnection, text: string): Promise<number> {
  return Number(await scalar(connection, `SELECT count(*) FROM pg_prepared_statements WHERE statement = '${text}'`));
}

describe('Multiplexing=true: statements prepared by name on each session', () => {
  it('prepares a repeated parameterised scalar once on its session and sends it by name afterwards', async () => {
    await using connection = await openOneSession('repeat');
    for (let i = 0; i < 5; i += 1) expect(await scalar(connection, 'SELECT @n::int * 3', { n: i })).toBe(i * 3);
    expect(await preparedWithText(connection, 'SELECT $1::int * 3')).toBe(1);
  });

  it('reads the same results once its statements go by name without a Describe (rows, no rows, no columns)', async () => {
    await using connection = await openOneSession('described');
    const table = uniqueName('mux_described');
    await execute(connection, `CREATE TABLE ${table} (a int, b text)`);
    try {
      for (let i = 1; i <= 4; i += 1) {
        expect(await execute(connection, `INSERT INTO ${table} VALUES (@a, @b)`, { a: i, b: `v${i}` })).toBe(1);
        expect(await scalar(connection, `SELECT b FROM ${table} WHERE a = @a`, { a: i })).toBe(`v${i}`);
        expect(await scalar(connection, `SELECT b FROM ${table} WHERE a = @a`, { a: -i })).toBeUndefined();
        expect(await execute(connection, `UPDATE ${table} SET b = b WHERE a <= @a`, { a: i })).toBe(i);
      }
      expect(await preparedWithText(connection, `SELECT b FROM ${table} WHERE a = $1`)).toBe(1);
    } finally {
      await execute(connection, `DROP TABLE ${table}`);
    }
  });

  it('prepares a text met with other parameter types again, under a new name (never binds to the wrong types)', async () => {
    await using connection = await openOneSession('types');
    const sql = "SELECT pg_typeof(@v)::text || ':' || @v::text";
    for (const value of [1, 2, true, false, 3]) {
      const text = (await scalar(connection, sql, { v: value })) as string;
      expect(text.endsWith(`:${value}`)).toBe(true);
      expect(text.startsWith('boolean:')).toBe(typeof value === 'boolean');
    }
    // Integer, then boolean (which replaces it), then integer again: three statements, each bound to its own types.
    expect(await preparedWithText(connection, "SELECT pg_typeof($1)::text || '':'' || $1::text")).toBe(3);
  });

  it('sends again, parsed afresh, a command whose prepared statement a schema change made stale', async () => {
    await using connection = await openOneSession('stale');
    const table = uniqueName('mux_stale');
    await execute(connection, `CREATE TABLE ${table} (a int)`);
    try {
      await execute(connection, `INSERT INTO ${table} VALUES (1)`);
      const sql = `SELECT * FROM ${table} WHERE a = @a`;
      expect(await scalar(connection, sql, { a: 1 })).toBe(1);
      expect(await scalar(connection, sql, { a: 1 })).toBe(1);
      const before = pgMultiplexingStats.stalePreparedRetries;
      // SELECT * now has two columns: the server refuses the prepared plan ("cached plan must not change result type").
      await execute(connection, `ALTER TABLE ${table} ADD COLUMN b text DEFAULT 'x'`);
      expect(await scalar(connection, sql, { a: 1 })).toBe(1);
      expect(pgMultiplexingStats.stalePreparedRetries).toBe(before + 1);
      expect(await scalar(connection, sql, { a: 1 })).toBe(1);
    } finally {
      await execute(connection, `DROP TABLE ${table}`);
    }
  });

  it('a Parse that fails prepares nothing and uses up none of the session statements', async () => {
    await using connection = await openOneSession('syntax');
    for (let i = 0; i < MAX_PREPARED_PER_SESSION + 10; i += 1) {
      const error = await scalar(connection, 'SELECT @n::int +', { n: i }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(DbError);
      expect((error as DbError).sqlState).toBe('42601');
    }
    expect(await scalar(connection, 'SELECT @n::int * 5', { n: 2 })).toBe(10);
    expect(await scalar(connection, 'SELECT @n::int * 5', { n: 3 })).toBe(15);
    expect(await preparedWithText(connection, 'SELECT $1::int * 5')).toBe(1);
  });

  it("never prepares a transaction's commands (a stale statement would abort the transaction)", async () => {
    await using connection = await openOneSession('transaction');
    const transaction = await connection.beginTransaction();
    for (let i = 0; i < 3; i += 1) {
      const command = connection.createCommand('SELECT @n::int * 7');
      command.transaction = transaction;
      command.parameters.addWithValue('@n', i);
      expect(await command.executeScalar()).toBe(i * 7);
    }
    const count = connection.createCommand(
      "SELECT count(*) FROM pg_prepared_statements WHERE statement = 'SELECT $1::int * 7'",
    );
    count.transaction = transaction;
    expect(Number(await count.executeScalar())).toBe(0);
    await transaction.rollback();
  });
});
