import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TdsColumn, TdsSession, TdsValue } from './engine-types.js';
import { executeSql, ok, openSession, param, resultSets, rpc, testEngine } from './test-support.js';

/** One SQL Server type: how it is declared, the parameter sent, what comes back (value and column). */
interface TypeCase {
  readonly declaration: string;
  readonly type: TdsColumn['type'];
  readonly extra?: Partial<TdsColumn>;
  readonly value: TdsValue;
  readonly expected?: TdsValue;
  readonly column: Partial<TdsColumn>;
}

const when = new Date('2024-05-06T07:08:09.123Z');

const cases: TypeCase[] = [
  { declaration: 'tinyint', type: 'tinyint', value: 255, column: { type: 'tinyint' } },
  { declaration: 'smallint', type: 'smallint', value: -32768, column: { type: 'smallint' } },
  { declaration: 'int', type: 'int', value: -2147483648, column: { type: 'int' } },
  { declaration: 'bigint', type: 'bigint', value: 9223372036854775807n, column: { type: 'bigint' } },
  { declaration: 'bit', type: 'bit', value: true, column: { type: 'bit' } },
  { declaration: 'real', type: 'real', value: 1.5, column: { type: 'real' } },
  { declaration: 'float', type: 'float', value: Math.PI, column: { type: 'float' } },
  { declaration: 'decimal(10, 4)', type: 'decimal', extra: { precision: 10, scale: 4 }, value: '-123456.7891', column: { type: 'decimal', precision: 10, scale: 4 } },
  { declaration: 'numeric(38, 2)', type: 'numeric', extra: { precision: 38, scale: 2 }, value: '99999999999999999999999999999999999.99', column: { type: 'numeric', precision: 38, scale: 2 } },
  { declaration: 'money', type: 'money', value: '-12.3456', column: { type: 'money', precision: 19, scale: 4 } },
  { declaration: 'nvarchar(50)', type: 'nvarchar', extra: { length: 50 }, value: 'héllo 世界 😀', column: { type: 'nvarchar', length: 50 } },
  { declaration: 'nvarchar(max)', type: 'nvarchar', extra: { length: -1 }, value: 'ü'.repeat(10_000), column: { type: 'nvarchar', length: -1 } },
  { declaration: 'varchar(20)', type: 'varchar', extra: { length: 20 }, value: 'café', column: { type: 'varchar', length: 20 } },
  { declaration: 'varchar(max)', type: 'varchar', extra: { length: -1 }, value: 'x'.repeat(9000), column: { type: 'varchar', length: -1 } },
  { declaration: 'nchar(3)', type: 'nchar', extra: { length: 3 }, value: 'abc', column: { type: 'nchar', length: 3 } },
  { declaration: 'varbinary(10)', type: 'varbinary', extra: { length: 10 }, value: Buffer.from([0, 1, 2, 255]), column: { type: 'varbinary', length: 10 } },
  { declaration: 'varbinary(max)', type: 'varbinary', extra: { length: -1 }, value: Buffer.alloc(100_000, 7), column: { type: 'varbinary', length: -1 } },
  { declaration: 'date', type: 'date', value: '2024-02-29', column: { type: 'date' } },
  { declaration: 'time(7)', type: 'time', extra: { scale: 7 }, value: '13:14:15.1234567', expected: '13:14:15.1234570', column: { type: 'time', scale: 7 } },
  { declaration: 'time(0)', type: 'time', extra: { scale: 0 }, value: '23:59:59', expected: '23:59:59.0000000', column: { type: 'time', scale: 0 } },
  { declaration: 'datetime', type: 'datetime', value: when, column: { type: 'datetime' } },
  { declaration: 'datetime2(7)', type: 'datetime2', extra: { scale: 7 }, value: when, column: { type: 'datetime2', scale: 7 } },
  { declaration: 'datetime2(3)', type: 'datetime2', extra: { scale: 3 }, value: new Date('0001-01-01T00:00:00.000Z'), column: { type: 'datetime2', scale: 3 } },
  {
    declaration: 'datetimeoffset(7)',
    type: 'datetimeoffset',
    extra: { scale: 7 },
    value: { date: when, offsetMinutes: 120 },
    expected: { date: when, offsetMinutes: 0 },
    column: { type: 'datetimeoffset', scale: 7 },
  },
  { declaration: 'uniqueidentifier', type: 'uniqueidentifier', value: '6F9619FF-8B86-D011-B42D-00C04FC964FF', expected: '6f9619ff-8b86-d011-b42d-00c04fc964ff', column: { type: 'uniqueidentifier' } },
  { declaration: 'xml', type: 'xml', value: '<a b="1">ü</a>', column: { type: 'xml' } },
];

describe('values', () => {
  let session: TdsSession;
  beforeAll(async () => {
    session = await openSession(testEngine());
  });
  afterAll(async () => session.close());

  it.each(cases)('$declaration round-trips as a parameter', async (c) => {
    const events = await rpc(session, 'sp_executesql', executeSql('SELECT @p AS v, CAST(NULL AS ' + c.declaration + ') AS n', `@p ${c.declaration}`, param('@p', c.type, c.value, c.extra)));
    const [set] = resultSets(events);
    expect(set?.columns[0]).toMatchObject({ name: 'v', ...c.column });
    expect(set?.columns[1]).toMatchObject({ name: 'n', ...c.column });
    expect(set?.rows).toEqual([[c.expected ?? c.value, null]]);
  });

  it('stores and reads every T-SQL type through a table', async () => {
    await ok(session, `CREATE TABLE #types (
      id INT IDENTITY(1,1) PRIMARY KEY, ti TINYINT, si SMALLINT, i INT, bi BIGINT, b BIT, r REAL, f FLOAT,
      d DECIMAL(10,4), m MONEY, nv NVARCHAR(50), nvmax NVARCHAR(MAX), vc VARCHAR(20), nc NCHAR(3),
      vb VARBINARY(MAX), dt DATE, t TIME(3), dtm DATETIME, dt2 DATETIME2(7), dto DATETIMEOFFSET, g UNIQUEIDENTIFIER, x XML)`);
    const values = cases.filter((c) => !['numeric(38, 2)', 'varbinary(10)', 'nvarchar(max)', 'varchar(max)', 'time(7)', 'time(0)', 'datetime2(3)', 'datetime2(7)'].includes(c.declaration));
    const names = ['ti', 'si', 'i', 'bi', 'b', 'r', 'f', 'd', 'm', 'nv', 'vc', 'nc', 'vb', 'dt', 'dtm', 'dto', 'g', 'x'];
    expect(values.map((c) => c.declaration)).toEqual(['tinyint', 'smallint', 'int', 'bigint', 'bit', 'real', 'float', 'decimal(10, 4)', 'money', 'nvarchar(50)', 'varchar(20)', 'nchar(3)', 'varbinary(max)', 'date', 'datetime', 'datetimeoffset(7)', 'uniqueidentifier', 'xml']);
    const declarations = values.map((c, i) => `@p${i} ${c.declaration}`).join(', ');
    const insert = `INSERT INTO #types (${names.join(', ')}) VALUES (${values.map((_c, i) => `@p${i}`).join(', ')})`;
    await rpc(session, 'sp_executesql', executeSql(insert, declarations, ...values.map((c, i) => param(`@p${i}`, c.type, c.value, c.extra))));
    const events = await ok(session, `SELECT ${names.join(', ')} FROM #types`);
    const [set] = resultSets(events);
    expect(set?.rows[0]).toEqual(values.map((c) => c.expected ?? c.value));
    expect(set?.columns.map((c) => c.type)).toEqual(values.map((c) => c.column.type));
  });

  it('describes table columns as declared: T-SQL type, NOT NULL, IDENTITY', async () => {
    await ok(session, 'CREATE TABLE #described (id INT IDENTITY(1,1) PRIMARY KEY, code VARCHAR(10) NOT NULL, price MONEY NULL, at DATETIME, small TINYINT)');
    await ok(session, 'ALTER TABLE #described ADD flag BIT NOT NULL DEFAULT 0, c CHAR(2)');
    const [set] = resultSets(await ok(session, 'SELECT id, code, price, at, small, flag, c, id + 1 AS computed FROM #described'));
    expect(set?.columns).toEqual([
      { name: 'id', type: 'int', nullable: false, identity: true },
      { name: 'code', type: 'varchar', length: 10, nullable: false },
      { name: 'price', type: 'money', precision: 19, scale: 4, nullable: true },
      { name: 'at', type: 'datetime', scale: 3, nullable: true },
      { name: 'small', type: 'tinyint', nullable: true },
      { name: 'flag', type: 'bit', nullable: false },
      { name: 'c', type: 'char', length: 2, nullable: true },
      { name: 'computed', type: 'int', nullable: true },
    ]);
  });

  it('converts string parameters into the type of the column they meet, as SQL Server does', async () => {
    await ok(session, 'CREATE TABLE #implicit (i INT, b BIT, d DECIMAL(10,2), g UNIQUEIDENTIFIER, dt DATE, s NVARCHAR(10))');
    const text = (value: string | null) => param('', 'nvarchar', value, { length: 4000 });
    await rpc(
      session,
      'sp_executesql',
      executeSql('INSERT INTO #implicit (i, b, d, g, dt, s) VALUES (@i, @b, @d, @g, @dt, @s)', '@i nvarchar(4000), @b nvarchar(4000), @d nvarchar(4000), @g nvarchar(4000), @dt nvarchar(4000), @s nvarchar(4000)',
        text('42'), text('1'), text('12.5'), text('A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'), text('2024-02-29'), text(null)),
    );
    const events = await rpc(session, 'sp_executesql', executeSql('SELECT i, b, d, g, dt, s FROM #implicit WHERE i = @i AND @d = d', '@i nvarchar(10), @d nvarchar(10)', text('42'), text('12.50')));
    expect(resultSets(events)[0]?.rows).toEqual([[42, true, '12.50', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '2024-02-29', null]]);
  });

  it('reports unconstrained numerics with the scale of their values', async () => {
    const [set] = resultSets(await ok(session, 'SELECT 1.5 AS a, SUM(x) AS s, AVG(x) AS av FROM (VALUES (1.25), (2.50)) AS v(x)'));
    expect(set?.columns.map((c) => [c.name, c.type, c.precision, c.scale])).toEqual([
      ['a', 'decimal', 38, 1],
      ['s', 'decimal', 38, 2],
      ['av', 'decimal', 38, 16],
    ]);
    expect(set?.rows[0]?.slice(0, 2)).toEqual(['1.5', '3.75']);
  });

  it('maps other PostgreSQL types to nvarchar text', async () => {
    const [set] = resultSets(await ok(session, "SELECT json_build_object('a', 1) AS j"));
    expect(set?.columns[0]).toMatchObject({ type: 'nvarchar', length: -1 });
    expect(set?.rows[0]).toEqual(['{"a" : 1}']);
  });
});
