import { CommandType, DbError, DbErrorCategory, NotSupportedError, ParameterDirection } from '@asyncdb/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MysqlProviderFactory, type MysqlConnection } from '../src/index.js';
import { nonQuery, openConnection, scalar } from './mysql-test-server.js';

let connection: MysqlConnection;
const table = `batch_${process.pid}`;

beforeAll(async () => {
  connection = await openConnection();
  await nonQuery(connection, `DROP TABLE IF EXISTS ${table}`);
  await nonQuery(connection, `CREATE TABLE ${table} (id INT PRIMARY KEY, name VARCHAR(50)) ENGINE=InnoDB`);
});

afterAll(async () => {
  await nonQuery(connection, `DROP TABLE IF EXISTS ${table}`);
  await connection.close();
  await MysqlProviderFactory.instance.clearAllPools();
});

/** Every result set of a command as arrays of row values, plus recordsAffected. */
async function results(
  sql: string,
  parameters: Record<string, unknown> = {},
): Promise<{ sets: unknown[][][]; affected: number }> {
  const command = connection.createCommand(sql);
  for (const [name, value] of Object.entries(parameters)) command.parameters.addWithValue(name, value);
  const reader = await command.executeReader();
  const sets: unknown[][][] = [];
  do {
    const rows: unknown[][] = [];
    while (await reader.read()) rows.push(reader.getValues());
    if (reader.fieldCount > 0) sets.push(rows);
  } while (await reader.nextResult());
  await reader.close();
  return { sets, affected: reader.recordsAffected };
}

describe('batches', () => {
  it('runs a batch without parameters statement by statement, one result set each', async () => {
    await nonQuery(connection, `DELETE FROM ${table}`);
    const { sets, affected } = await results(
      `INSERT INTO ${table} VALUES (1, 'a'), (2, 'b'); SELECT name FROM ${table} ORDER BY id; UPDATE ${table} SET name = 'c' WHERE id = 2; SELECT COUNT(*) FROM ${table}`,
    );
    expect(sets).toEqual([[['a'], ['b']], [[2n]]]);
    expect(affected).toBe(3);
  });

  it('binds parameters per statement, a repeated name repeating its value', async () => {
    await nonQuery(connection, `DELETE FROM ${table}`);
    const { sets } = await results(
      `INSERT INTO ${table} VALUES (@id, @name); SELECT @id + @id AS twice, name FROM ${table} WHERE id = @id AND name = @name`,
      { id: 7, name: 'seven' },
    );
    expect(sets).toEqual([[[14n, 'seven']]]);
  });

  it('sends values as bound parameters, never as SQL text', async () => {
    const hostile = "x'); DROP TABLE batch_x; -- ";
    expect(await scalar(connection, 'SELECT @v', { v: hostile })).toBe(hostile);
    expect(await scalar(connection, "SELECT CONCAT(@v, '?', @w)", { v: 'a?', w: '?b' })).toBe('a???b');
  });

  it('leaves @names that are not parameters alone: MySQL user variables work', async () => {
    const { sets } = await results('SET @counter = @start; SET @counter = @counter + 1; SELECT @counter, @start', {
      start: 41,
    });
    expect(sets).toEqual([[[42n, 41]]]);
    expect(await scalar(connection, 'SELECT @counter')).toBe(42n);
    expect(await scalar(connection, 'SELECT @@session.autocommit')).toBe(1n);
  });

  it('does not mistake @ and ; inside literals, quoted identifiers and comments', async () => {
    const { sets } = await results("SELECT '@p; x' AS `a;@b` /* @p; */ -- @p;\n, @p AS p # @p;\n", { p: 1 });
    expect(sets).toEqual([[['@p; x', 1]]]);
  });

  it('stops at the first failing statement of a batch', async () => {
    const command = connection.createCommand('SET @before = 1; SELECT * FROM no_such_table_xyz; SET @before = 2');
    const error = await command.executeNonQuery().then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(DbError);
    expect((error as DbError).category).toBe(DbErrorCategory.UndefinedObject);
    expect(await scalar(connection, 'SELECT @before')).toBe(1n);
  });

  it('runs the statements with effects that follow when a reader is closed early', async () => {
    await nonQuery(connection, `DELETE FROM ${table}`);
    const reader = await connection
      .createCommand(`SELECT 1; SELECT 2; INSERT INTO ${table} VALUES (99, 'after close')`)
      .executeReader();
    expect(await reader.read()).toBe(true);
    await reader.close();
    expect(reader.recordsAffected).toBe(1);
    expect(await scalar(connection, `SELECT name FROM ${table} WHERE id = 99`)).toBe('after close');
  });

  it('creates a procedure with a BEGIN … END body and reads the result sets of its CALL', async () => {
    await nonQuery(connection, 'DROP PROCEDURE IF EXISTS batch_proc');
    await nonQuery(
      connection,
      `CREATE PROCEDURE batch_proc(IN n INT)
       BEGIN
         DECLARE doubled INT DEFAULT n * 2;
         SELECT n AS given;
         IF doubled > 0 THEN
           SELECT doubled;
         END IF;
       END`,
    );
    const { sets } = await results('CALL batch_proc(@n)', { n: 21 });
    expect(sets).toEqual([[[21]], [[42]]]);
    await nonQuery(connection, 'DROP PROCEDURE batch_proc');
  });

  it('runs a MariaDB anonymous block with several statements', async () => {
    const { sets } = await results('BEGIN NOT ATOMIC DECLARE x INT DEFAULT 5; SELECT x * 2 AS y; END');
    expect(sets).toEqual([[[10n]]]);
  });

  it('calls a stored procedure by name with input, output and input/output parameters', async () => {
    await nonQuery(connection, 'DROP PROCEDURE IF EXISTS batch_out');
    await nonQuery(
      connection,
      "CREATE PROCEDURE batch_out(IN a INT, INOUT b INT, OUT c VARCHAR(20)) BEGIN SET b = b + a; SET c = CONCAT('sum ', b); END",
    );
    const command = connection.createCommand('batch_out');
    command.commandType = CommandType.StoredProcedure;
    command.parameters.addWithValue('@a', 2);
    const b = command.parameters.addWithValue('@b', 40);
    b.direction = ParameterDirection.InputOutput;
    const c = command.parameters.addWithValue('@c', null);
    c.direction = ParameterDirection.Output;
    await command.executeNonQuery();
    expect(b.value).toBe(42n);
    expect(c.value).toBe('sum 42');
    await nonQuery(connection, 'DROP PROCEDURE batch_out');
  });

  it('keeps working with a prepared command executed many times', async () => {
    const command = connection.createCommand('SELECT @x * 2');
    const x = command.parameters.addWithValue('@x', 0);
    await command.prepare();
    for (let i = 1; i <= 50; i++) {
      x.value = i;
      expect(await command.executeScalar()).toBe(BigInt(i * 2));
    }
  });

  it('falls back to the text protocol for a statement without parameters that cannot be prepared', async () => {
    const command = connection.createCommand(
      "SET @q = 'SELECT 6 * 7'; PREPARE batch_stmt FROM @q; EXECUTE batch_stmt; DEALLOCATE PREPARE batch_stmt",
    );
    // A prepared command uses the binary protocol even for statements without values; PREPARE cannot go that way.
    await command.prepare();
    expect(await command.executeScalar()).toBe(42);
  });

  it('refuses to run a statement that cannot be prepared when it has parameters', async () => {
    const command = connection.createCommand('PREPARE batch_stmt2 FROM @q');
    command.parameters.addWithValue('@unused', 1);
    await expect(command.executeNonQuery()).resolves.toBe(-1);
    const withValue = connection.createCommand('EXECUTE batch_stmt2 USING @v');
    withValue.parameters.addWithValue('@v', 1);
    await expect(withValue.executeNonQuery()).rejects.toMatchObject({ providerCode: 1295 });
  });
});

// Found probing issue 13 item 14: an Output/InputOutput/ReturnValue parameter of a Text command was left unchanged
// without a word (MySQL has output parameters for procedures only); now refused before anything is sent.
describe('output parameters of a Text command', () => {
  it.each([ParameterDirection.Output, ParameterDirection.InputOutput, ParameterDirection.ReturnValue])(
    'a %s parameter is refused with NotSupportedError naming it, nothing sent',
    async (direction) => {
      await nonQuery(connection, `DELETE FROM ${table}`);
      const command = connection.createCommand(`INSERT INTO ${table} VALUES (1, 'sent?'); SELECT 7 AS o`);
      const parameter = command.createParameter();
      parameter.parameterName = '@o';
      parameter.direction = direction;
      parameter.value = 1;
      command.parameters.add(parameter);
      for (const run of [
        () => command.executeNonQuery(),
        () => command.executeScalar(),
        () => command.executeReader(),
      ]) {
        const error = await run().catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(NotSupportedError);
        expect((error as Error).message).toContain(`'@o' has direction ${direction}`);
      }
      expect(await scalar(connection, `SELECT COUNT(*) FROM ${table}`)).toBe(0n);
    },
  );
});
