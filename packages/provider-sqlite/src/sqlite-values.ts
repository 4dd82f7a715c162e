import { ArgumentError, OverflowError, shortestSingle, type BoundParameter, type DbType } from '@asyncdb/core';
import type { SqliteColumnType } from './sqlite-type-map.js';
import type { SqliteValue } from './sqlite-worker-protocol.js';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
// Hoisted: `BigInt(…)` in readValue allocated two bigints for every integer value read.
const SAFE_MIN = BigInt(Number.MIN_SAFE_INTEGER);
const SAFE_MAX = BigInt(Number.MAX_SAFE_INTEGER);

/** A stored date-time without offset (`2024-02-29 13:45:30.123`, `2024-02-29T13:45:30`), read as UTC. */
const LOCAL_DATE_TIME = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?$/;

/** Reads a stored value as the JS value of its column's DbType (the value table of this package's README). */
export function readValue(value: SqliteValue, type: SqliteColumnType): unknown {
  if (value === null) return null;
  switch (type.dbType) {
    case 'Boolean':
      return typeof value === 'bigint' || typeof value === 'number' ? Number(value) !== 0 : value;
    case 'Byte':
    case 'SByte':
    case 'Int16':
    case 'Int32':
      return typeof value === 'bigint' && value >= SAFE_MIN && value <= SAFE_MAX ? Number(value) : value;
    case 'Int64':
      return typeof value === 'number' && Number.isInteger(value) ? BigInt(value) : value;
    case 'Decimal':
    case 'Currency':
      return typeof value === 'string' || typeof value === 'bigint' || typeof value === 'number'
        ? decimalText(String(value), type.scale)
        : value;
    case 'Single':
      return typeof value === 'number' || typeof value === 'bigint' ? shortestSingle(Number(value)) : value;
    case 'Double':
      return typeof value === 'bigint' ? Number(value) : value;
    case 'DateTime':
    case 'DateTime2':
      return typeof value === 'string' ? localDateTime(value) : value;
    case 'DateTimeOffset':
      return typeof value === 'string' ? instant(value) : value;
    case 'Guid':
      return typeof value === 'string' ? value.toLowerCase() : value;
    case 'Json':
      return typeof value === 'string' ? parseJson(value) : value;
    default:
      return value;
  }
}

/** The storage value of a parameter: integers as INTEGER, dates as ISO 8601 text, booleans as 0/1, JSON as text. */
export function writeValue(parameter: BoundParameter): SqliteValue {
  const { value, dbType, name } = parameter;
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1n : 0n;
  if (typeof value === 'bigint') {
    if (value < INT64_MIN || value > INT64_MAX)
      throw new OverflowError(`Parameter @${name}: ${value} does not fit in a 64-bit integer.`);
    return value;
  }
  if (typeof value === 'number') {
    if (dbType === 'Decimal' || dbType === 'Currency') return String(value);
    if (Number.isSafeInteger(value) && !isFloat(dbType)) return BigInt(value);
    return value;
  }
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return value;
  if (value instanceof Date) return dateText(value, dbType, name);
  if (dbType === 'Json' || typeof value === 'object') return JSON.stringify(value);
  throw new ArgumentError(`Parameter @${name}: a ${typeof value} cannot be stored in SQLite.`);
}

function isFloat(dbType: DbType): boolean {
  return dbType === 'Double' || dbType === 'Single';
}

function dateText(value: Date, dbType: DbType, name: string): string {
  if (Number.isNaN(value.getTime())) throw new ArgumentError(`Parameter @${name}: the Date is invalid.`);
  const iso = value.toISOString();
  switch (dbType) {
    case 'Date':
      return iso.slice(0, 10);
    case 'Time':
      return iso.slice(11, 23);
    case 'DateTimeOffset':
      return `${iso.slice(0, 23)}+00:00`;
    default:
      // SQLite's own date-time format, so its date functions read it; UTC, as a time without zone is read.
      return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
  }
}

/** `12.5` in a column of scale 4 reads `12.5000`; values already carrying more digits are left as stored. */
function decimalText(text: string, scale: number | undefined): string {
  if (scale === undefined || !/^-?\d+(\.\d+)?$/.test(text)) return text;
  const [whole, fraction = ''] = text.split('.');
  if (fraction.length >= scale) return text;
  return scale === 0 ? whole! : `${whole}.${fraction.padEnd(scale, '0')}`;
}

function localDateTime(text: string): Date | string {
  const match = LOCAL_DATE_TIME.exec(text.trim());
  if (!match) return instant(text);
  return instant(`${match[1]}T${match[2] ?? '00:00:00'}Z`);
}

function instant(text: string): Date | string {
  const date = new Date(text.trim().replace(' ', 'T'));
  return Number.isNaN(date.getTime()) ? text : date;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
