/**
 * Provider-neutral parameter and column types. Mirrors `System.Data.DbType` (the subset that maps onto
 * PostgreSQL, MySQL and SQL Server), plus `Json`. The JS value each type reads as is in docs/values.md.
 */
export const DbType = {
  AnsiString: 'AnsiString',
  AnsiStringFixedLength: 'AnsiStringFixedLength',
  Binary: 'Binary',
  Boolean: 'Boolean',
  Byte: 'Byte',
  Currency: 'Currency',
  Date: 'Date',
  DateTime: 'DateTime',
  DateTime2: 'DateTime2',
  DateTimeOffset: 'DateTimeOffset',
  Decimal: 'Decimal',
  Double: 'Double',
  Guid: 'Guid',
  Int16: 'Int16',
  Int32: 'Int32',
  Int64: 'Int64',
  Object: 'Object',
  SByte: 'SByte',
  Single: 'Single',
  String: 'String',
  StringFixedLength: 'StringFixedLength',
  Time: 'Time',
  Xml: 'Xml',
  Json: 'Json',
} as const;
/** One of the {@link DbType} values. */
export type DbType = (typeof DbType)[keyof typeof DbType];
