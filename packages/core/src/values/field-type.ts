import type { DbType } from '../contracts/db-type.js';

/** The JS type a column's values read as, named the way `getFieldType` reports it. */
export type FieldType = 'number' | 'bigint' | 'string' | 'boolean' | 'Date' | 'Uint8Array' | 'object';

const FIELD_TYPES: Readonly<Record<DbType, FieldType>> = {
  AnsiString: 'string',
  AnsiStringFixedLength: 'string',
  String: 'string',
  StringFixedLength: 'string',
  Xml: 'string',
  Guid: 'string',
  Date: 'string',
  Time: 'string',
  Decimal: 'string',
  Currency: 'string',
  Byte: 'number',
  SByte: 'number',
  Int16: 'number',
  Int32: 'number',
  Single: 'number',
  Double: 'number',
  Int64: 'bigint',
  Boolean: 'boolean',
  DateTime: 'Date',
  DateTime2: 'Date',
  DateTimeOffset: 'Date',
  Binary: 'Uint8Array',
  Json: 'object',
  Object: 'object',
};

/** The JS type values of a column with this DbType read as (docs/values.md). */
export function fieldTypeOf(dbType: DbType): FieldType {
  return FIELD_TYPES[dbType];
}
