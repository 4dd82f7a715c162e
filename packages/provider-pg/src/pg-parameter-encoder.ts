import type { BoundParameter, DbType } from '@asyncdb/core';
import type { PgWireValue } from './pg-client.js';
import { formatTimestamp } from './pg-datetime.js';
import { PgOid } from './pg-type-map.js';

/**
 * The type each DbType declares in Parse. Strings (and `Object`) stay untyped (0) so the server infers the type from
 * where the parameter is used, as it does for a quoted literal: `'42'` fits an int column, `'2024-05-01'` a date,
 * `'…'` a uuid or an enum. Typed parameters make `SELECT @p` return the value's own type.
 */
const OID_BY_DB_TYPE: Readonly<Record<DbType, number>> = {
  AnsiString: 0,
  AnsiStringFixedLength: 0,
  String: 0,
  StringFixedLength: 0,
  Object: 0,
  Binary: PgOid.bytea,
  Boolean: PgOid.bool,
  Byte: PgOid.int2,
  SByte: PgOid.int2,
  Int16: PgOid.int2,
  Int32: PgOid.int4,
  Int64: PgOid.int8,
  Currency: PgOid.money,
  Decimal: PgOid.numeric,
  Single: PgOid.float4,
  Double: PgOid.float8,
  Date: PgOid.date,
  DateTime: PgOid.timestamp,
  DateTime2: PgOid.timestamp,
  DateTimeOffset: PgOid.timestamptz,
  Time: PgOid.time,
  Guid: PgOid.uuid,
  Xml: PgOid.xml,
  Json: PgOid.jsonb,
};

/** The OID a parameter is declared with in Parse. */
export function parameterOid(parameter: BoundParameter): number {
  // A Date whose type was only inferred is an instant: timestamptz keeps it exact whatever the column's type,
  // while an explicit DbType.DateTime asks for `timestamp` (the UTC wall-clock time).
  if (!parameter.dbTypeExplicit && parameter.value instanceof Date) return PgOid.timestamptz;
  return OID_BY_DB_TYPE[parameter.dbType] ?? 0;
}

function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  return String(value);
}

function formatDate(value: Date, dbType: DbType): string {
  const year = value.getUTCFullYear();
  // PostgreSQL reads the date part of a full timestamp too, which is how years outside 1–9999 get through.
  if (dbType === 'Date' && year >= 1 && year <= 9999) return value.toISOString().slice(0, 10);
  if (dbType === 'Time') return value.toISOString().slice(11, 23);
  return formatTimestamp(value);
}

/** The text (or bytes) PostgreSQL receives for a value, exact for every type of docs/values.md. */
export function encodeParameterValue(value: unknown, dbType: DbType): PgWireValue {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
      return formatNumber(value);
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value instanceof Date) return formatDate(value, dbType);
      // Sent in binary format: the bytes reach bytea untouched, no hex round trip.
      if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
      return JSON.stringify(value);
    default:
      return String(value);
  }
}
