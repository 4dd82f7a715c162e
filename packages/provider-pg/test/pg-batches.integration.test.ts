import { CommandBehavior, DbError, InvalidOperationError } from '@asyncdb/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgProviderFactory, type PgConnection } from '../src/index.js';
import { execute, openConnection, rows, scalar, uniqueName } from './pg-integration-helpers.js';

let connection: PgConnection;
let table: string;

beforeAll(async () => {
  connection = await openConnection();
  table = uniqueName('batch');
  await execute(connection, `CREATE TABLE ${table} (id serial PRIMARY KEY, name text NOT NULL, score numeric(6,2))`);
});

afterAll(async () => {
  await execute(connection, `DROP TABLE IF EXISTS ${table}`);
  await connection.close();
  await PgProviderFactory.instance.clearAllPools();
});

/** Every result set of a command: its column names and rows. */
async function resultSets(sql: string, parameters: Record<string, unknown> = {}, behavior?: CommandBehavior) {
  const command = connection.createCommand(sql);
  for (const [name, value] of Object.entries(parameters)) command.parameters.addWithValue(name, value);
  await using reader = await command.executeReader(behavior);
  const sets: Array<{ columns: string[]; rows: unknown[][] }> = [];
  do {
    const set = { columns: reader.getColumnSchema().map((column) => column.columnName), rows: [] as unknown[][] };
    while (await reader.read()) set.rows.push(reader.getValues());
    sets.push(set);
  } while (await reader.nextResult());
  return sets;
}

describe('batches', () => {
  it('sends a function with an SQL-standard body (BEGIN ATOMIC …; …; END) whole, in a batch, and it runs both statements', async () => {
    const name = uniqueName('atomic_fn');
    const sets = await resultSets(
      `CREATE FUNCTION ${name}(n int) RETURNS int LANGUAGE sql BEGIN ATOMIC ` +
        `INSERT INTO ${table} (name) VALUES ('atomic ' || n); ` +
        `SELECT CASE WHEN n > 0 THEN n * 2 END; END; SELECT ${name}(@n) AS doubled`,
      { n: 21 },
    );
    expect(sets.at(-1)?.rows).toEqual([[42]]);
    expect(await scalar(connection, `SELECT count(*) FROM ${table} WHERE name = 'atomic 21'`)).toBe(1n);
    await execute(connection, `DROP FUNCTION ${name}`);
  });

  it('runs several statements without parameters, one result set each', async () => {
    expect(await resultSets('SELECT 1 AS a; SELECT 2 AS b, 3 AS c;')).toEqual([
      { columns: ['a'], rows: [[1]] },
      { columns: ['b', 'c'], rows: [[2, 3]] },
    ]);
  });

  it('runs several statements with parameters, each bound to its own $n', async () => {
    expect(
      await resultSets('SELECT @x::int AS a; SELECT @y AS b, @x + 1 AS c; SELECT @y || @y AS d', { x: 41, y: 'hi' }),
    ).toEqual([
      { columns: ['a'], rows: [[41]] },
      { columns: ['b', 'c'], rows: [['hi', 42]] },
      { columns: ['d'], rows: [['hihi']] },
    ]);
  });

  it('keeps semicolons inside strings, quoted identifiers, dollar quotes and comments', async () => {
    const sets = await resultSets(`SELECT ';' AS "a;b"; /* ; */ SELECT $$x;y$$ AS t -- ;
      ; SELECT $tag$ ; $tag$::text AS u`);
    expect(sets).toEqual([
      { columns: ['a;b'], rows: [[';']] },
      { columns: ['t'], rows: [['x;y']] },
      { columns: ['u'], rows: [[' ; ']] },
    ]);
  });

  it('runs a DO block with semicolons inside as one statement', async () => {
    await execute(connection, `DO $$ BEGIN PERFORM 1; PERFORM 2; END $$; INSERT INTO ${table} (name) VALUES ('do')`);
    expect(await scalar(connection, `SELECT count(*) FROM ${table} WHERE name = 'do'`)).toBe(1n);
  });

  it('sums the rows changed by the DML statements of a batch', async () => {
    const affected = await execute(
      connection,
      `INSERT INTO ${table} (name) VALUES (@a), (@b); UPDATE ${table} SET score = 1 WHERE name IN (@a, @b); SELECT 1; DELETE FROM ${table} WHERE name = @a`,
      { a: 'sum-a', b: 'sum-b' },
    );
    expect(affected).toBe(2 + 2 + 1);
  });

  it('reports -1 rows affected for a batch without DML, and for comment-only text', async () => {
    expect(await execute(connection, 'SELECT 1; SELECT 2')).toBe(-1);
    expect(await execute(connection, '-- nothing here')).toBe(-1);
  });

  it('runs the batch as one implicit transaction: a failing statement undoes the earlier ones', async () => {
    const error = await execute(connection, `INSERT INTO ${table} (name) VALUES ('atomic'); SELECT 1 / 0`).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(DbError);
    expect((error as DbError).sqlState).toBe('22012');
    expect(await scalar(connection, `SELECT count(*) FROM ${table} WHERE name = 'atomic'`)).toBe(0n);
    expect(await scalar(connection, 'SELECT 1')).toBe(1);
  });

  it('lets a batch manage its own transaction', async () => {
    await execute(connection, `BEGIN; INSERT INTO ${table} (name) VALUES ('own'); COMMIT; SELECT 1`);
    expect(await scalar(connection, `SELECT count(*) FROM ${table} WHERE name = 'own'`)).toBe(1n);
  });

  it('skips the unread rows of a result on nextResult', async () => {
    const command = connection.createCommand('SELECT g FROM generate_series(1, 5000) g; SELECT 7 AS seven');
    await using reader = await command.executeReader();
    expect(await reader.read()).toBe(true);
    expect(reader.getValue(0)).toBe(1);
    expect(await reader.nextResult()).toBe(true);
    expect(await reader.read()).toBe(true);
    expect(reader.getValue('seven')).toBe(7);
  });

  it('still runs the rest of the batch when the reader is closed early', async () => {
    const command = connection.createCommand(
      `SELECT g FROM generate_series(1, 100000) g; INSERT INTO ${table} (name) VALUES ('after-close')`,
    );
    const reader = await command.executeReader();
    expect(await reader.read()).toBe(true);
    await reader.close();
    expect(reader.recordsAffected).toBe(1);
    expect(await scalar(connection, `SELECT count(*) FROM ${table} WHERE name = 'after-close'`)).toBe(1n);
  });

  it('surfaces an error of a later statement in executeScalar', async () => {
    await expect(scalar(connection, 'SELECT 1; SELECT * FROM asyncdb_missing_table')).rejects.toMatchObject({
      sqlState: '42P01',
    });
  });

  it('refuses a referenced parameter that is missing before anything is sent', async () => {
    await expect(scalar(connection, 'SELECT @missing')).rejects.toBeInstanceOf(Error);
    expect(await scalar(connection, 'SELECT 3')).toBe(3);
  });
});

describe('command behaviors', () => {
  it('reads one row with SingleRow', async () => {
    const command = connection.createCommand('SELECT g FROM generate_series(1, 10) g');
    await using reader = await command.executeReader(CommandBehavior.SingleRow);
    expect(await reader.read()).toBe(true);
    expect(await reader.read()).toBe(false);
  });

  it('describes without executing with SchemaOnly', async () => {
    const sets = await resultSets(
      `INSERT INTO ${table} (name) VALUES ('schema-only') RETURNING id, name`,
      {},
      CommandBehavior.SchemaOnly,
    );
    expect(sets).toEqual([{ columns: ['id', 'name'], rows: [] }]);
    expect(await scalar(connection, `SELECT count(*) FROM ${table} WHERE name = 'schema-only'`)).toBe(0n);
  });

  it('reports base tables, keys and nullability with KeyInfo', async () => {
    const command = connection.createCommand(`SELECT id, name AS label, score, 1 AS constant FROM ${table}`);
    await using reader = await command.executeReader(CommandBehavior.KeyInfo);
    const [id, label, score, constant] = reader.getColumnSchema();
    expect(id).toMatchObject({
      baseTableName: table,
      baseColumnName: 'id',
      baseSchemaName: 'public',
      isKey: true,
      isUnique: true,
      isAutoIncrement: true,
      allowDBNull: false,
    });
    expect(label).toMatchObject({ baseColumnName: 'name', isAliased: true, isKey: false, allowDBNull: false });
    expect(score).toMatchObject({ allowDBNull: true, numericPrecision: 6, numericScale: 2, dataTypeName: 'numeric' });
    expect(constant).toMatchObject({ isExpression: true, baseTableName: undefined });
  });

  it('names enum types from the catalog, and reads domains as their base type (what PostgreSQL describes)', async () => {
    const suffix = uniqueName('t');
    await execute(
      connection,
      `CREATE TYPE mood_${suffix} AS ENUM ('sad', 'happy'); CREATE DOMAIN score_${suffix} AS int8 CHECK (VALUE >= 0)`,
    );
    try {
      const command = connection.createCommand(`SELECT 'happy'::mood_${suffix} AS m, 5::score_${suffix} AS s`);
      await using reader = await command.executeReader();
      expect(reader.getDataTypeName(0)).toBe(`mood_${suffix}`);
      expect(reader.getColumnSchema()[1]).toMatchObject({ dataTypeName: 'int8', dbType: 'Int64' });
      expect(await reader.read()).toBe(true);
      expect(reader.getValues()).toEqual(['happy', 5n]);
      await reader.close();
    } finally {
      await execute(connection, `DROP TYPE mood_${suffix}; DROP DOMAIN score_${suffix}`);
    }
  });

  it('closes the connection with the reader for CloseConnection', async () => {
    await using own = await openConnection();
    const reader = await own.createCommand('SELECT 1').executeReader(CommandBehavior.CloseConnection);
    await reader.close();
    expect(own.state).toBe('Closed');
  });

  it('keeps the connection busy while a reader is open', async () => {
    await using own = await openConnection();
    const reader = await own.createCommand('SELECT 1').executeReader();
    await expect(own.createCommand('SELECT 2').executeScalar()).rejects.toBeInstanceOf(InvalidOperationError);
    await reader.close();
    expect(await rows(own, 'SELECT 2')).toEqual([[2]]);
  });
});
