import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArgumentError, CommandBehavior, CommandType, DbParameter, InvalidOperationError, OverflowError, ParameterDirection, type DbType } from '@asyncdb/core';
import { MssqlProviderFactory, type MssqlConnection } from '../src/index.js';
import { execute, openConnection, rows, scalar, uniqueName } from './mssql-test-helpers.js';

let connection: MssqlConnection;
const procedure = uniqueName('tk_proc');
const table = uniqueName('tk_cmd');

beforeAll(async () => {
  connection = await openConnection();
  await execute(connection, `CREATE TABLE ${table} (id int NOT NULL PRIMARY KEY, name nvarchar(50) NULL)`);
  await execute(
    connection,
    `CREATE PROCEDURE ${procedure} @a int, @doubled int OUTPUT, @suffix nvarchar(20) OUTPUT AS
     BEGIN
       SET @doubled = @a * 2;
       SET @suffix = CONCAT(@suffix, N'!');
       SELECT @a AS a, @a + 1 AS b;
       RETURN 7;
     END`,
  );
});

afterAll(async () => {
  await execute(connection, `DROP PROCEDURE ${procedure}`);
  await execute(connection, `DROP TABLE ${table}`);
  await connection.close();
  await MssqlProviderFactory.instance.clearAllPools();
});

function parameter(name: string, value: unknown, dbType?: DbType, direction: ParameterDirection = ParameterDirection.Input): DbParameter {
  const created = new DbParameter({ parameterName: name, value, direction });
  if (dbType) created.dbType = dbType;
  return created;
}

describe('parameters', () => {
  it('are native @name parameters through sp_executesql, and @names not in the collection stay T-SQL variables', async () => {
    expect(await scalar(connection, 'DECLARE @local int = 40; SELECT @local + @two', { two: 2 })).toBe(42);
    expect(await scalar(connection, "SELECT '@notAParameter' + @x", { x: '!' })).toBe('@notAParameter!');
  });

  it.each<[string, unknown, DbType | undefined, unknown]>([
    ['exact decimal beyond double precision', '12345678901234567890.1234567891', 'Decimal', '12345678901234567890.1234567891'],
    ['decimal(38, 0) maximum', '99999999999999999999999999999999999999', 'Decimal', '99999999999999999999999999999999999999'],
    ['negative decimal', '-0.0001', 'Decimal', '-0.0001'],
    ['money', '922337203685477.5807', 'Currency', '922337203685477.5807'],
    ['bigint', -9223372036854775808n, undefined, -9223372036854775808n],
    ['nvarchar with unicode', 'Ä Ḁ 😀', undefined, 'Ä Ḁ 😀'],
    ['nvarchar(max)', 'x'.repeat(10_000), undefined, 'x'.repeat(10_000)],
    ['bit', true, undefined, true],
    ['float', 1.7976931348623157e308, undefined, 1.7976931348623157e308],
    ['uniqueidentifier', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'Guid', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'],
    ['varbinary', new Uint8Array([0, 1, 254, 255]), undefined, Buffer.from([0, 1, 254, 255])],
    ['date', '2024-02-29', 'Date', '2024-02-29'],
    ['time', '13:45:30.25', 'Time', '13:45:30.25'],
    ['datetime2 from a Date', new Date('2024-02-29T13:45:30.123Z'), undefined, new Date('2024-02-29T13:45:30.123Z')],
    ['datetimeoffset', new Date('2024-02-29T13:45:30.123Z'), 'DateTimeOffset', new Date('2024-02-29T13:45:30.123Z')],
    ['xml', '<a b="1">x</a>', 'Xml', '<a b="1">x</a>'],
  ])('%s travels as a typed parameter and reads back unchanged', async (_name, value, dbType, expected) => {
    const command = connection.createCommand('SELECT @v');
    command.parameters.add(parameter('@v', value, dbType));
    expect(await command.executeScalar()).toEqual(expected);
  });

  it('returns Output and InputOutput values of a text command (sp_executesql OUTPUT)', async () => {
    const command = connection.createCommand("SET @out = @in * 2; SET @both = @both + N'!'");
    command.parameters.add(parameter('@in', 21));
    const out = command.parameters.add(parameter('@out', undefined, 'Int32', ParameterDirection.Output));
    const both = command.parameters.add(parameter('@both', 'hi', 'String', ParameterDirection.InputOutput));
    await command.executeNonQuery();
    expect(out.value).toBe(42);
    expect(both.value).toBe('hi!');
  });

  it('refuses a value its DbType cannot carry before sending anything; the connection stays usable', async () => {
    const command = connection.createCommand('SELECT @v');
    command.parameters.add(parameter('@v', '12 apples', 'Decimal'));
    await expect(command.executeScalar()).rejects.toBeInstanceOf(ArgumentError);
    const tooLong = connection.createCommand('SELECT @v');
    const narrow = tooLong.parameters.add(parameter('@v', '123.45', 'Decimal'));
    narrow.precision = 4;
    narrow.scale = 2;
    await expect(tooLong.executeScalar()).rejects.toBeInstanceOf(OverflowError);
    expect(await scalar(connection, 'SELECT 1')).toBe(1);
  });

  it('returns an exact decimal output parameter', async () => {
    const command = connection.createCommand('SET @out = @in');
    command.parameters.add(parameter('@in', '1234567890123456789.12', 'Decimal'));
    const out = command.parameters.add(parameter('@out', undefined, 'Decimal', ParameterDirection.Output));
    out.precision = 38;
    out.scale = 2;
    await command.executeNonQuery();
    expect(out.value).toBe('1234567890123456789.12');
  });
});

describe('stored procedures', () => {
  function call() {
    const command = connection.createCommand(procedure);
    command.commandType = CommandType.StoredProcedure;
    command.parameters.add(parameter('@a', 21));
    const doubled = command.parameters.add(parameter('@doubled', undefined, 'Int32', ParameterDirection.Output));
    const suffix = command.parameters.add(parameter('@suffix', 'hey', 'String', ParameterDirection.InputOutput));
    const status = command.parameters.add(parameter('@RETURN_VALUE', undefined, 'Int32', ParameterDirection.ReturnValue));
    return { command, doubled, suffix, status };
  }

  it('are called by RPC with Output, InputOutput and ReturnValue parameters and their result set', async () => {
    const { command, doubled, suffix, status } = call();
    const reader = await command.executeReader();
    expect(await reader.read()).toBe(true);
    expect(reader.getValues()).toEqual([21, 22]);
    expect(doubled.value).toBeUndefined();
    await reader.close();
    expect(doubled.value).toBe(42);
    expect(suffix.value).toBe('hey!');
    expect(status.value).toBe(7);
  });

  it('deliver the output values even when the reader is closed before reading anything', async () => {
    const { command, doubled, status } = call();
    const reader = await command.executeReader();
    await reader.close();
    expect(doubled.value).toBe(42);
    expect(status.value).toBe(7);
    expect(await scalar(connection, 'SELECT 1')).toBe(1);
  });

  it('executeNonQuery fills them too', async () => {
    const { command, doubled, status } = call();
    await command.executeNonQuery();
    expect([doubled.value, status.value]).toEqual([42, 7]);
  });
});

describe('batches', () => {
  it('run as one request: one result per statement, DML counts in recordsAffected', async () => {
    const command = connection.createCommand(
      `INSERT INTO ${table} (id, name) VALUES (1, N'a'), (2, N'b'), (3, N'c');
       SELECT id FROM ${table} WHERE id < 3 ORDER BY id;
       UPDATE ${table} SET name = N'z' WHERE id >= 2;
       SELECT name FROM ${table} ORDER BY id;
       DELETE FROM ${table};`,
    );
    await using reader = await command.executeReader();
    const sets: unknown[][][] = [];
    do {
      const set: unknown[][] = [];
      while (await reader.read()) set.push(reader.getValues());
      sets.push(set);
    } while (await reader.nextResult());
    await reader.close();
    expect(sets).toEqual([[[1], [2]], [['a'], ['z'], ['z']]]);
    expect(reader.recordsAffected).toBe(3 + 2 + 3);
  });

  it('without parameters run as a SQL batch, so #temp tables outlive the command', async () => {
    await execute(connection, 'CREATE TABLE #batch_scope (x int); INSERT INTO #batch_scope VALUES (5)');
    expect(await scalar(connection, 'SELECT x FROM #batch_scope')).toBe(5);
    expect(await scalar(connection, 'SELECT x + @one FROM #batch_scope', { one: 1 })).toBe(6);
    await execute(connection, 'DROP TABLE #batch_scope');
  });

  it('surface an error after the results before it', async () => {
    const reader = await connection.createCommand('SELECT 1 AS a; SELECT 1 / 0 AS b; SELECT 3 AS c').executeReader();
    expect(await reader.read()).toBe(true);
    expect(reader.getValue(0)).toBe(1);
    await expect(reader.nextResult()).rejects.toMatchObject({ providerCode: 8134 });
    expect(reader.isClosed).toBe(true);
    expect(await scalar(connection, 'SELECT 2')).toBe(2);
  });
});

describe('executeXmlReader', () => {
  it('streams FOR XML output', async () => {
    await execute(connection, `INSERT INTO ${table} (id, name) VALUES (1, N'a&b'), (2, N'c')`);
    try {
      const command = connection.createCommand(`SELECT id, name FROM ${table} ORDER BY id FOR XML PATH('row'), ROOT('rows')`);
      const xml = await (await command.executeXmlReader()).readToEnd();
      expect(xml).toBe('<rows><row><id>1</id><name>a&amp;b</name></row><row><id>2</id><name>c</name></row></rows>');
    } finally {
      await execute(connection, `DELETE FROM ${table}`);
    }
  });

  it('refuses a result that is not one XML or text column', async () => {
    await expect(connection.createCommand('SELECT 1 AS a, 2 AS b').executeXmlReader()).rejects.toBeInstanceOf(InvalidOperationError);
    expect(await scalar(connection, 'SELECT 1')).toBe(1);
  });
});

describe('CommandBehavior', () => {
  it('SchemaOnly describes the first result set without running anything', async () => {
    await execute(connection, `INSERT INTO ${table} (id, name) VALUES (1, N'kept')`);
    try {
      const reader = await connection.createCommand(`SELECT id, name FROM ${table}; DELETE FROM ${table}`).executeReader(CommandBehavior.SchemaOnly);
      expect(reader.getColumnSchema().map((column) => [column.columnName, column.dataTypeName, column.allowDBNull])).toEqual([
        ['id', 'int', false],
        ['name', 'nvarchar', true],
      ]);
      expect(await reader.read()).toBe(false);
      await reader.close();
      expect(await rows(connection, `SELECT name FROM ${table}`)).toEqual([['kept']]);
    } finally {
      await execute(connection, `DELETE FROM ${table}`);
    }
  });

  it('KeyInfo marks key columns and names their source, with parameters declared', async () => {
    const command = connection.createCommand(`SELECT name, id FROM ${table} WHERE id > @min`);
    command.parameters.addWithValue('@min', 0);
    const reader = await command.executeReader(CommandBehavior.KeyInfo);
    const [name, id] = reader.getColumnSchema();
    await reader.close();
    expect(id).toMatchObject({ isKey: true, baseTableName: table, baseColumnName: 'id' });
    expect(name?.isKey).toBe(false);
  });
});

describe('column schema', () => {
  it('names SQL Server types, sizes and nullability', async () => {
    const reader = await connection.createCommand(`SELECT id, name, CAST(1.5 AS decimal(9,2)) AS d FROM ${table}`).executeReader();
    const [id, name, d] = reader.getColumnSchema();
    await reader.close();
    expect(id).toMatchObject({ columnName: 'id', dataTypeName: 'int', dbType: 'Int32', allowDBNull: false });
    expect(name).toMatchObject({ columnName: 'name', dataTypeName: 'nvarchar', dbType: 'String', columnSize: 50, allowDBNull: true });
    expect(d).toMatchObject({ dataTypeName: 'decimal', dbType: 'Decimal', numericPrecision: 9, numericScale: 2 });
  });
});
