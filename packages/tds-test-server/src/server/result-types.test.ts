import { describe, expect, it } from 'vitest';
import type { EngineEvent, TdsColumn, TdsValue } from '../engine/engine-types.js';
import { FakeEngine } from '../testing/fake-engine.js';
import { tediousSuite } from '../testing/tedious-suite.js';
import { execBatch } from '../testing/tedious-client.js';

/** One column of every type, the value the engine yields, and what tedious must decode. */
const cases: Array<{ column: TdsColumn; value: TdsValue; expected: unknown; tediousType: string }> = [
  { column: { name: 'ti', type: 'tinyint', nullable: false }, value: 255, expected: 255, tediousType: 'IntN' },
  { column: { name: 'si', type: 'smallint', nullable: false }, value: -32768, expected: -32768, tediousType: 'IntN' },
  {
    column: { name: 'i', type: 'int', nullable: true, identity: true },
    value: -2147483648,
    expected: -2147483648,
    tediousType: 'IntN',
  },
  {
    column: { name: 'bi', type: 'bigint', nullable: false },
    value: 9223372036854775807n,
    expected: '9223372036854775807',
    tediousType: 'IntN',
  },
  { column: { name: 'b', type: 'bit', nullable: false }, value: true, expected: true, tediousType: 'BitN' },
  { column: { name: 'r', type: 'real', nullable: false }, value: 1.5, expected: 1.5, tediousType: 'FloatN' },
  { column: { name: 'f', type: 'float', nullable: false }, value: Math.PI, expected: Math.PI, tediousType: 'FloatN' },
  {
    column: { name: 'd', type: 'decimal', precision: 10, scale: 4, nullable: false },
    value: '-123456.7891',
    expected: -123456.7891,
    tediousType: 'DecimalN',
  },
  {
    column: { name: 'n', type: 'numeric', precision: 38, scale: 2, nullable: false },
    value: '99999999999.99',
    expected: 99999999999.99,
    tediousType: 'NumericN',
  },
  {
    column: { name: 'm', type: 'money', nullable: false },
    value: '-12.3456',
    expected: -12.3456,
    tediousType: 'MoneyN',
  },
  {
    column: { name: 'nv', type: 'nvarchar', length: 50, nullable: false },
    value: 'héllo 世界 😀',
    expected: 'héllo 世界 😀',
    tediousType: 'NVarChar',
  },
  {
    column: { name: 'nvmax', type: 'nvarchar', length: -1, nullable: false },
    value: 'ü'.repeat(10_000),
    expected: 'ü'.repeat(10_000),
    tediousType: 'NVarChar',
  },
  {
    column: { name: 'vc', type: 'varchar', length: 20, nullable: false },
    value: 'café',
    expected: 'café',
    tediousType: 'VarChar',
  },
  {
    column: { name: 'vcmax', type: 'varchar', length: -1, nullable: false },
    value: 'x'.repeat(9000),
    expected: 'x'.repeat(9000),
    tediousType: 'VarChar',
  },
  {
    column: { name: 'nc', type: 'nchar', length: 3, nullable: false },
    value: 'abc',
    expected: 'abc',
    tediousType: 'NChar',
  },
  {
    column: { name: 'c', type: 'char', length: 3, nullable: false },
    value: 'xyz',
    expected: 'xyz',
    tediousType: 'Char',
  },
  {
    column: { name: 'vb', type: 'varbinary', length: 10, nullable: false },
    value: Buffer.from([1, 2, 3]),
    expected: Buffer.from([1, 2, 3]),
    tediousType: 'VarBinary',
  },
  {
    column: { name: 'vbmax', type: 'varbinary', length: -1, nullable: false },
    value: Buffer.alloc(100_000, 7),
    expected: Buffer.alloc(100_000, 7),
    tediousType: 'VarBinary',
  },
  {
    column: { name: 'bin', type: 'binary', length: 4, nullable: false },
    value: Buffer.from('deadbeef', 'hex'),
    expected: Buffer.from('deadbeef', 'hex'),
    tediousType: 'Binary',
  },
  {
    column: { name: 'dt', type: 'date', nullable: false },
    value: '2024-02-29',
    expected: new Date('2024-02-29T00:00:00Z'),
    tediousType: 'Date',
  },
  {
    column: { name: 'dmin', type: 'date', nullable: false },
    value: '0001-01-01',
    expected: new Date('0001-01-01T00:00:00Z'),
    tediousType: 'Date',
  },
  {
    column: { name: 'dmax', type: 'date', nullable: false },
    value: '9999-12-31',
    expected: new Date('9999-12-31T00:00:00Z'),
    tediousType: 'Date',
  },
  {
    column: { name: 't', type: 'time', scale: 7, nullable: false },
    value: '13:14:15.1234567',
    expected: new Date('1970-01-01T13:14:15.123Z'),
    tediousType: 'Time',
  },
  {
    column: { name: 't0', type: 'time', scale: 0, nullable: false },
    value: '23:59:59',
    expected: new Date('1970-01-01T23:59:59Z'),
    tediousType: 'Time',
  },
  {
    column: { name: 'dtm', type: 'datetime', nullable: false },
    value: new Date('2024-01-02T03:04:05.123Z'),
    expected: new Date('2024-01-02T03:04:05.123Z'),
    tediousType: 'DateTimeN',
  },
  {
    column: { name: 'dt2', type: 'datetime2', scale: 7, nullable: false },
    value: new Date('2024-05-06T07:08:09.123Z'),
    expected: new Date('2024-05-06T07:08:09.123Z'),
    tediousType: 'DateTime2',
  },
  {
    column: { name: 'dt2s3', type: 'datetime2', scale: 3, nullable: false },
    value: new Date('1999-12-31T23:59:59.999Z'),
    expected: new Date('1999-12-31T23:59:59.999Z'),
    tediousType: 'DateTime2',
  },
  {
    column: { name: 'dto', type: 'datetimeoffset', scale: 7, nullable: false },
    value: { date: new Date('2024-05-06T07:08:09.123Z'), offsetMinutes: 120 },
    expected: new Date('2024-05-06T07:08:09.123Z'),
    tediousType: 'DateTimeOffset',
  },
  {
    column: { name: 'g', type: 'uniqueidentifier', nullable: false },
    value: '6f9619ff-8b86-d011-b42d-00c04fc964ff',
    expected: '6F9619FF-8B86-D011-B42D-00C04FC964FF',
    tediousType: 'UniqueIdentifier',
  },
  {
    column: { name: 'x', type: 'xml', nullable: false },
    value: '<a b="1">ü</a>',
    expected: '<a b="1">ü</a>',
    tediousType: 'Xml',
  },
];

describe('result sets decoded by tedious', () => {
  const engine = new FakeEngine();
  const tds = tediousSuite({ engine, log: () => undefined });

  it('decodes every type to the exact value (ROW)', async () => {
    const columns = cases.map((c) => c.column);
    engine.script.batch = (): EngineEvent[] => [
      { kind: 'columns', columns },
      { kind: 'row', values: cases.map((c) => c.value) },
      { kind: 'done', rowCount: 1 },
    ];
    const result = await execBatch(tds.connection, 'select everything');
    expect(result.error).toBeUndefined();
    expect(result.columns[0]!.map((c) => c.colName)).toEqual(cases.map((c) => c.column.name));
    expect(result.columns[0]!.map((c) => c.type.name)).toEqual(cases.map((c) => c.tediousType));
    const row = result.resultSets[0]![0]!;
    cases.forEach((c, i) => expect(row[i], c.column.name).toEqual(c.expected));
    // Sub-millisecond digits survive in tedious' nanosecondsDelta.
    expect(
      (row[cases.findIndex((c) => c.column.name === 't')] as { nanosecondsDelta: number }).nanosecondsDelta,
    ).toBeCloseTo(0.0004567, 9);
  });

  it('reports column metadata: lengths, precision, scale, nullability, identity', async () => {
    const result = await execBatch(tds.connection, 'select everything');
    const meta = Object.fromEntries(result.columns[0]!.map((c) => [c.colName, c]));
    expect(meta.nv!.dataLength).toBe(100);
    expect(meta.nvmax!.dataLength).toBe(0xffff);
    expect(meta.vc!.dataLength).toBe(20);
    expect(meta.d).toMatchObject({ precision: 10, scale: 4 });
    expect(meta.t0).toMatchObject({ scale: 0 });
    expect(meta.i!.flags & 0x01).toBe(1); // nullable
    expect(meta.i!.flags & 0x10).toBe(0x10); // identity
    expect(meta.ti!.flags & 0x01).toBe(0);
  });

  it('sends rows with NULLs as NBCROW and tedious reads every NULL', async () => {
    const columns = cases.map((c) => ({ ...c.column, nullable: true }));
    engine.script.batch = (): EngineEvent[] => [
      { kind: 'columns', columns },
      { kind: 'row', values: cases.map(() => null) },
      { kind: 'row', values: cases.map((c, i) => (i % 2 === 0 ? null : c.value)) },
      { kind: 'done', rowCount: 2 },
    ];
    const result = await execBatch(tds.connection, 'select nulls');
    expect(result.error).toBeUndefined();
    expect(result.resultSets[0]![0]).toEqual(cases.map(() => null));
    expect(result.resultSets[0]![1]).toEqual(cases.map((c, i) => (i % 2 === 0 ? null : c.expected)));
  });
});
