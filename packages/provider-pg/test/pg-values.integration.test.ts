import { DbType, type FieldType } from '@asyncdb/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgProviderFactory, type PgConnection } from '../src/index.js';
import { execute, openConnection, rows, uniqueName } from './pg-integration-helpers.js';

let connection: PgConnection;

beforeAll(async () => {
  connection = await openConnection();
});

afterAll(async () => {
  await connection.close();
  await PgProviderFactory.instance.clearAllPools();
});

/** Reads one value of a SQL expression with its column metadata. */
async function readValue(sql: string, target: PgConnection = connection) {
  await using reader = await target.createCommand(`SELECT ${sql} AS v`).executeReader();
  expect(await reader.read()).toBe(true);
  return { value: reader.getValue(0), fieldType: reader.getFieldType(0), dataTypeName: reader.getDataTypeName(0) };
}

describe('values read (docs/values.md)', () => {
  it.each<[string, unknown, FieldType, string]>([
    ['NULL::int4', null, 'number', 'int4'],
    ['32767::int2', 32767, 'number', 'int2'],
    ['(-2147483648)::int4', -2147483648, 'number', 'int4'],
    ['9223372036854775807::int8', 9223372036854775807n, 'bigint', 'int8'],
    ["'12345678901234567890.123456789'::numeric", '12345678901234567890.123456789', 'string', 'numeric'],
    ['1.5::float4', 1.5, 'number', 'float4'],
    ['0.1::float8', 0.1, 'number', 'float8'],
    ["'Infinity'::float8", Infinity, 'number', 'float8'],
    ['true', true, 'boolean', 'bool'],
    ["'héllo ✓'::text", 'héllo ✓', 'string', 'text'],
    ["'ab'::varchar(5)", 'ab', 'string', 'varchar'],
    ["'ab'::char(4)", 'ab  ', 'string', 'bpchar'],
    ["'2024-02-29'::date", '2024-02-29', 'string', 'date'],
    ["'13:14:15.123456'::time", '13:14:15.123456', 'string', 'time'],
    ["'2024-05-01 12:34:56.789'::timestamp", new Date('2024-05-01T12:34:56.789Z'), 'Date', 'timestamp'],
    ["'2024-05-01 12:34:56.789+02'::timestamptz", new Date('2024-05-01T10:34:56.789Z'), 'Date', 'timestamptz'],
    ["'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'::uuid", 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'string', 'uuid'],
    ["'\\x00ff7f'::bytea", Buffer.from([0, 255, 127]), 'Uint8Array', 'bytea'],
    [`'{"a":[1,"x",null]}'::json`, { a: [1, 'x', null] }, 'object', 'json'],
    [`'{"b":true}'::jsonb`, { b: true }, 'object', 'jsonb'],
    ["'<a>x</a>'::xml", '<a>x</a>', 'string', 'xml'],
    ['ARRAY[1,2,NULL]::int4[]', [1, 2, null], 'object', '_int4'],
    ["ARRAY['a,b','c']::text[]", ['a,b', 'c'], 'object', '_text'],
  ])('reads %s', async (sql, value, fieldType, dataTypeName) => {
    expect(await readValue(sql)).toEqual({ value, fieldType, dataTypeName });
  });

  it('reads money as an exact decimal string, whatever the locale the server runs in', async () => {
    expect(await readValue("'-1234.56'::money")).toEqual({
      value: '-1234.56',
      fieldType: 'string',
      dataTypeName: 'money',
    });
    expect(await readValue("'1234567.5'::money")).toEqual({
      value: '1234567.50',
      fieldType: 'string',
      dataTypeName: 'money',
    });
  });

  it('reads a timestamp as UTC whatever the session time zone, and a timestamptz as its instant', async () => {
    await using tokyo = await openConnection({ Timezone: 'Asia/Tokyo' });
    expect((await readValue("'2024-05-01 00:00:00'::timestamp", tokyo)).value).toEqual(
      new Date('2024-05-01T00:00:00Z'),
    );
    expect((await readValue("'2024-05-01 09:00:00+09'::timestamptz", tokyo)).value).toEqual(
      new Date('2024-05-01T00:00:00Z'),
    );
  });

  it('reads through the typed getters with ADO.NET conversions', async () => {
    await using reader = await connection
      .createCommand("SELECT 7::int2 AS a, 8::int8 AS b, '1.25'::numeric AS c, 'x' AS d, now() AS e, NULL::int AS f")
      .executeReader();
    await reader.read();
    expect(reader.getInt32('a')).toBe(7);
    expect(reader.getInt64('a')).toBe(7n);
    expect(reader.getInt32('b')).toBe(8);
    expect(reader.getDecimal('c')).toBe('1.25');
    expect(reader.getDouble('c')).toBe(1.25);
    expect(reader.getString('d')).toBe('x');
    expect(reader.getDateTime('e')).toBeInstanceOf(Date);
    expect(reader.isDBNull('f')).toBe(true);
  });
});

describe('values written and read back', () => {
  it.each<[string, string, unknown, unknown?]>([
    ['int2', 'smallint', -32768],
    ['int4', 'int', 2147483647],
    ['int8 beyond 2^53', 'bigint', -9223372036854775808n],
    ['numeric as an exact string', 'numeric(30,9)', '123456789012345678901.123456789'],
    ['float4', 'real', 0.5],
    ['float8', 'double precision', Math.PI],
    ['float8 NaN', 'double precision', Number.NaN],
    ['bool', 'boolean', false],
    ['text', 'text', 'it\'s "quoted" ; -- not a comment'],
    ['varchar', 'varchar(20)', 'short'],
    ['date from a string', 'date', '2024-12-31'],
    ['time from a string', 'time', '23:59:59.999999'],
    ['timestamp from a Date (UTC wall-clock time)', 'timestamp', new Date('2024-05-01T12:34:56.789Z')],
    ['timestamptz from a Date', 'timestamptz', new Date('1999-12-31T23:59:59.999Z')],
    [
      'uuid given in upper case',
      'uuid',
      'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11',
      'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
    ],
    ['bytea from a Buffer', 'bytea', Buffer.from([0, 1, 2, 253, 254, 255])],
    ['bytea from a Uint8Array', 'bytea', new Uint8Array([9, 8, 7]), Buffer.from([9, 8, 7])],
    ['jsonb from an object', 'jsonb', { nested: { list: [1, 'two', null, true] } }],
    ['json from an array', 'json', [1, { a: 'b' }]],
    ['NULL', 'int', null],
  ])('%s', async (_, sqlType, value, expected = value) => {
    const table = uniqueName('value');
    await execute(connection, `CREATE TEMP TABLE ${table} (v ${sqlType})`);
    await execute(connection, `INSERT INTO ${table} (v) VALUES (@v)`, { v: value });
    expect(await rows(connection, `SELECT v FROM ${table}`)).toEqual([[expected]]);
    // The same parameter also finds the row again (json has no equality operator).
    if (sqlType !== 'json') {
      expect(
        await rows(connection, `SELECT count(*) FROM ${table} WHERE v IS NOT DISTINCT FROM @v`, { v: value }),
      ).toEqual([[1n]]);
    }
  });

  it('round-trips every value through SELECT @p with its own type', async () => {
    const values: Record<string, unknown> = {
      int: 42,
      big: 2n ** 62n,
      double: 2.5,
      bool: true,
      text: 'text',
      date: new Date('2020-02-02T02:02:02.020Z'),
      bytes: Buffer.from('bytes'),
      json: { a: 1 },
    };
    const names = Object.keys(values);
    const result = await rows(connection, `SELECT ${names.map((name) => `@${name}`).join(', ')}`, values);
    expect(result).toEqual([names.map((name) => values[name])]);
  });

  it('uses an explicit DbType where the value alone is ambiguous', async () => {
    const command = connection.createCommand('SELECT @d AS d, @t AS t, @n AS n, @j AS j, @ts AS ts');
    const at = new Date('2024-05-01T22:30:00.000Z');
    command.parameters.add(connection.providerFactory.createParameter('@d', at)).dbType = DbType.Date;
    command.parameters.add(connection.providerFactory.createParameter('@t', at)).dbType = DbType.Time;
    command.parameters.add(connection.providerFactory.createParameter('@n', '1.10')).dbType = DbType.Decimal;
    command.parameters.add(connection.providerFactory.createParameter('@j', '{"raw": 1}')).dbType = DbType.Json;
    command.parameters.add(connection.providerFactory.createParameter('@ts', at)).dbType = DbType.DateTime;
    await using reader = await command.executeReader();
    await reader.read();
    expect(reader.getValues()).toEqual(['2024-05-01', '22:30:00', '1.10', { raw: 1 }, at]);
    expect(reader.getColumnSchema().map((column) => column.dataTypeName)).toEqual([
      'date',
      'time',
      'numeric',
      'jsonb',
      'timestamp',
    ]);
  });
});
