import type { DbDataReader, DbType } from '@asyncdb/core';

/**
 * The typed getter that reads each DbType in its natural JS form (ADO.NET's `GetX` for the column's type), and
 * how the value it returns relates to the value `getValue` returns (docs/values.md).
 * @internal
 */
export interface NaturalGetter {
  /** The getter's name, as it appears in test titles. */
  readonly name: string;
  read(reader: DbDataReader, ordinal: number): unknown;
  /** The getter's result for a value `getValue` reads as `value`. */
  expected(value: unknown): unknown;
}

const same = (value: unknown): unknown => value;

function getter(name: string, read: NaturalGetter['read'], expected: NaturalGetter['expected'] = same): NaturalGetter {
  return { name, read, expected };
}

const fieldValue = getter('getFieldValue', (reader, ordinal) => reader.getFieldValue(ordinal));
const stringGetter = getter('getString', (reader, ordinal) => reader.getString(ordinal));
const dateTimeGetter = getter('getDateTime', (reader, ordinal) => reader.getDateTime(ordinal));
const decimalGetter = getter('getDecimal', (reader, ordinal) => reader.getDecimal(ordinal));

/** The natural getter of every DbType the Values group has rows for. */
export const NATURAL_GETTERS: Readonly<Partial<Record<DbType, NaturalGetter>>> = {
  Boolean: getter('getBoolean', (reader, ordinal) => reader.getBoolean(ordinal)),
  Byte: getter('getByte', (reader, ordinal) => reader.getByte(ordinal)),
  SByte: fieldValue,
  Int16: getter('getInt16', (reader, ordinal) => reader.getInt16(ordinal)),
  Int32: getter('getInt32', (reader, ordinal) => reader.getInt32(ordinal)),
  Int64: getter('getInt64', (reader, ordinal) => reader.getInt64(ordinal)),
  Decimal: decimalGetter,
  Currency: decimalGetter,
  // getFloat rounds to single precision, so it equals the value read only once rounded the same way.
  Single: getter(
    'getFloat',
    (reader, ordinal) => reader.getFloat(ordinal),
    (value) => Math.fround(value as number),
  ),
  Double: getter('getDouble', (reader, ordinal) => reader.getDouble(ordinal)),
  String: stringGetter,
  StringFixedLength: stringGetter,
  AnsiString: stringGetter,
  AnsiStringFixedLength: stringGetter,
  Xml: stringGetter,
  // A date reads as 'YYYY-MM-DD'; getDateTime gives that day's UTC midnight.
  Date: getter(
    'getDateTime',
    (reader, ordinal) => reader.getDateTime(ordinal),
    (value) => new Date(`${String(value)}T00:00:00.000Z`),
  ),
  Time: fieldValue,
  DateTime: dateTimeGetter,
  DateTime2: dateTimeGetter,
  DateTimeOffset: dateTimeGetter,
  Guid: getter('getGuid', (reader, ordinal) => reader.getGuid(ordinal)),
  Binary: getter('getBytes', (reader, ordinal) => reader.getBytes(ordinal)),
  Json: fieldValue,
};
