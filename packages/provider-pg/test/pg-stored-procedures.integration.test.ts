import { CommandType, DbParameter, NotSupportedError, ParameterDirection, type DbCommand } from '@asyncdb/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgProviderFactory, type PgConnection } from '../src/index.js';
import { execute, openConnection, scalar, uniqueName } from './pg-integration-helpers.js';

// Issue 13 item 14: CommandType.StoredProcedure runs CALL (procedures) or SELECT * FROM fn(…) (functions), and
// Output / InputOutput / ReturnValue parameters come back, as Npgsql does. Before, pg refused StoredProcedure only at
// End and left output parameters unchanged.

let connection: PgConnection;
const proc = uniqueName('sp_proc');
const inout = uniqueName('sp_inout');
const fnScalar = uniqueName('sp_fn');
const fnOut = uniqueName('sp_fnout');
const fnRows = uniqueName('sp_fnrows');
const table = uniqueName('sp_table');

beforeAll(async () => {
  connection = await openConnection();
  await execute(connection, `CREATE TABLE ${table} (id integer PRIMARY KEY, note text)`);
  await execute(
    connection,
    `CREATE PROCEDURE ${proc}(a integer, b text, OUT doubled integer, OUT shout text)
     LANGUAGE plpgsql AS $$ BEGIN
       INSERT INTO ${table} VALUES (a, b);
       doubled := a * 2;
       shout := upper(b);
     END $$`,
  );
  await execute(
    connection,
    `CREATE PROCEDURE ${inout}(INOUT counter integer) LANGUAGE plpgsql AS $$ BEGIN counter := counter + 1; END $$`,
  );
  await execute(connection, `CREATE FUNCTION ${fnScalar}(x integer) RETURNS integer LANGUAGE sql AS 'SELECT x * 10'`);
  await execute(
    connection,
    `CREATE FUNCTION ${fnOut}(x integer, OUT plus_one integer, OUT minus_one integer) LANGUAGE sql
     AS 'SELECT x + 1, x - 1'`,
  );
  await execute(
    connection,
    `CREATE FUNCTION ${fnRows}(n integer) RETURNS TABLE(i integer) LANGUAGE sql AS 'SELECT generate_series(1, n)'`,
  );
});

afterAll(async () => {
  for (const name of [proc, inout]) await execute(connection, `DROP PROCEDURE IF EXISTS ${name}`);
  for (const name of [fnScalar, fnOut, fnRows]) await execute(connection, `DROP FUNCTION IF EXISTS ${name}`);
  await execute(connection, `DROP TABLE IF EXISTS ${table}`);
  await connection.close();
  await PgProviderFactory.instance.clearAllPools();
});

function procedure(name: string): DbCommand {
  const command = connection.createCommand(name);
  command.commandType = CommandType.StoredProcedure;
  return command;
}

function output(name: string, direction: ParameterDirection = ParameterDirection.Output, value?: unknown): DbParameter {
  return new DbParameter({ parameterName: name, direction, ...(value === undefined ? {} : { value }) });
}

describe('CommandType.StoredProcedure on PostgreSQL', () => {
  it('calls a procedure with CALL: its work is done and its OUT parameters come back', async () => {
    const command = procedure(proc);
    command.parameters.addWithValue('@a', 21);
    command.parameters.addWithValue('@b', 'hi');
    const doubled = command.parameters.add(output('@doubled'));
    const shout = command.parameters.add(output('@shout'));
    await command.executeNonQuery();
    expect(doubled.value).toBe(42);
    expect(shout.value).toBe('HI');
    expect(await scalar(connection, `SELECT note FROM ${table} WHERE id = 21`)).toBe('hi');
  });

  it('fills OUT parameters by position when their names are not the columns', async () => {
    const command = procedure(proc);
    command.parameters.addWithValue('@a', 5);
    command.parameters.addWithValue('@b', 'x');
    const first = command.parameters.add(output('@first'));
    const second = command.parameters.add(output('@second'));
    await command.executeNonQuery();
    expect([first.value, second.value]).toEqual([10, 'X']);
  });

  it('sends an InputOutput parameter and reads it back', async () => {
    const command = procedure(inout);
    const counter = command.parameters.add(output('@counter', ParameterDirection.InputOutput, 41));
    await command.executeNonQuery();
    expect(counter.value).toBe(42);
  });

  it('calls a function with SELECT * FROM: executeScalar reads its value, a ReturnValue parameter gets it', async () => {
    const command = procedure(fnScalar);
    command.parameters.addWithValue('@x', 4);
    const result = command.parameters.add(output('@result', ParameterDirection.ReturnValue));
    expect(await command.executeScalar()).toBe(40);
    expect(result.value).toBe(40);
  });

  it("fills a function's OUT parameters from its row (they are not arguments of the call)", async () => {
    const command = procedure(fnOut);
    command.parameters.addWithValue('@x', 10);
    const plus = command.parameters.add(output('@plus_one'));
    const minus = command.parameters.add(output('@minus_one'));
    await command.executeNonQuery();
    expect([plus.value, minus.value]).toEqual([11, 9]);
  });

  it('reads the rows of a set-returning function', async () => {
    const command = procedure(fnRows);
    command.parameters.addWithValue('@n', 3);
    const reader = await command.executeReader();
    const values: unknown[] = [];
    while (await reader.read()) values.push(reader.getValue(0));
    await reader.close();
    expect(values).toEqual([1, 2, 3]);
  });

  it('resolves a schema-qualified name', async () => {
    const command = procedure(`public.${fnScalar}`);
    command.parameters.addWithValue('@x', 2);
    expect(await command.executeScalar()).toBe(20);
  });

  it("an unknown routine fails with the server's error and the connection stays usable", async () => {
    const error = await procedure('no_such_routine_xyz')
      .executeNonQuery()
      .catch((caught: unknown) => caught);
    expect((error as { sqlState?: string }).sqlState).toBe('42883');
    expect(await scalar(connection, 'SELECT 1')).toBe(1);
  });

  it('a text command with an Output parameter gets it from its first row, by name', async () => {
    const command = connection.createCommand('SELECT 7 AS answer, @x + 1 AS next');
    command.parameters.addWithValue('@x', 1);
    const answer = command.parameters.add(output('@answer'));
    expect(await command.executeScalar()).toBe(7);
    expect(answer.value).toBe(7);
  });

  it('a DbBatch command by name or with an output parameter is refused, nothing sent', async () => {
    const batch = connection.createBatch();
    batch.batchCommands.add(`INSERT INTO ${table} VALUES (900, 'batch')`);
    batch.batchCommands.add(fnScalar).commandType = CommandType.StoredProcedure;
    expect(await batch.executeNonQuery().catch((caught: unknown) => caught)).toBeInstanceOf(NotSupportedError);
    expect(await scalar(connection, `SELECT count(*)::int FROM ${table} WHERE id = 900`)).toBe(0);
  });
});
