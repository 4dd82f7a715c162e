import { shortestSingle } from '@asyncdb/core';
import type { TediousColumnMetadata } from './mssql-tedious.js';
import { columnTypeOf, MONEY_SCALE } from './mssql-type-map.js';

/** Converts one value tedious decoded into the JS value of docs/values.md. */
export type MssqlValueConverter = (value: unknown) => unknown;

/** 100-nanosecond ticks per millisecond: SQL Server's time/datetime2 resolution. */
const TICKS_PER_MS = 10_000;
const MS_PER_DAY = 86_400_000;

/**
 * Builds the converter for a column (once per result set, not per value). The connection runs with tedious'
 * `useUTC: true`, so temporal values arrive as UTC instants:
 * - bigint: tedious gives a decimal string → `bigint`;
 * - decimal/numeric/money: an exact string (see `mssql-exact-decimal-reader.ts`); a number, if tedious produced one,
 *   is printed with the column's scale, which is exact up to 15 significant digits;
 * - date → `'YYYY-MM-DD'`; time → `'HH:MM:SS'` plus the column's fractional digits (up to 7);
 * - datetime/datetime2/smalldatetime/datetimeoffset → `Date` (millisecond precision: JS dates have no more);
 * - real → the shortest decimal that reads back as the same 32-bit float (`1.1`, not `1.100000023841858`);
 * - uniqueidentifier → lower case; binary → Buffer; bit → boolean; strings and xml unchanged.
 */
export function valueConverterFor(metadata: TediousColumnMetadata): MssqlValueConverter {
  const { dbType } = columnTypeOf(metadata);
  switch (dbType) {
    case 'Int64':
      return (value) => (value === null || value === undefined ? null : BigInt(value as string | number | bigint));
    case 'Decimal':
      return decimalConverter(metadata.scale ?? 0);
    case 'Currency':
      return decimalConverter(MONEY_SCALE);
    case 'Date':
      return (value) => (value instanceof Date ? formatDate(value) : nullish(value));
    case 'Time':
      return (value) => (value instanceof Date ? formatTime(value, metadata.scale ?? 7) : nullish(value));
    case 'Single':
      return (value) => (typeof value === 'number' ? shortestSingle(value) : nullish(value));
    case 'Guid':
      return (value) => (typeof value === 'string' ? value.toLowerCase() : nullish(value));
    default:
      return (value) => nullish(value);
  }
}

function nullish(value: unknown): unknown {
  return value === undefined ? null : value;
}

function decimalConverter(scale: number): MssqlValueConverter {
  return (value) => {
    if (typeof value === 'number') return value.toFixed(scale);
    return nullish(value);
  };
}

/** `YYYY-MM-DD` of a UTC midnight Date (years 1–9999). */
export function formatDate(value: Date): string {
  return value.toISOString().slice(0, 10);
}

/**
 * `HH:MM:SS[.fffffff]` of a tedious time value: a UTC Date on 1970-01-01 holding the milliseconds, plus the
 * non-enumerable `nanosecondsDelta` tedious adds (the sub-millisecond remainder, in seconds).
 */
export function formatTime(value: Date, scale: number): string {
  const ms = ((value.getTime() % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY;
  const delta = (value as Date & { nanosecondsDelta?: number }).nanosecondsDelta ?? 0;
  const ticks = ms * TICKS_PER_MS + Math.round(delta * 1e7);
  const totalSeconds = Math.floor(ticks / 1e7);
  // Trailing zeros are dropped, so a value reads the same whatever the column's scale (and as on PostgreSQL).
  const fraction = String(ticks % 1e7)
    .padStart(7, '0')
    .slice(0, Math.max(0, Math.min(7, scale)))
    .replace(/0+$/, '');
  const hh = String(Math.floor(totalSeconds / 3600)).padStart(2, '0');
  const mm = String(Math.floor((totalSeconds % 3600) / 60)).padStart(2, '0');
  const ss = String(totalSeconds % 60).padStart(2, '0');
  return fraction === '' ? `${hh}:${mm}:${ss}` : `${hh}:${mm}:${ss}.${fraction}`;
}
