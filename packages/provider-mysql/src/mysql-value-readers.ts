/**
 * Conversions from the raw values mysql2 produces (with `dateStrings`, `supportBigNumbers` and `bigNumberStrings`)
 * to the JS values of docs/values.md. They take the text and binary protocols' slightly different spellings to the
 * same result, so a value reads the same whether its statement had parameters (binary) or not (text).
 */

import { shortestSingle } from '@asyncdb/core';

/** A value converter for one column; never called with SQL NULL. */
export type ValueReader = (raw: unknown) => unknown;

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?)?$/;

/**
 * `YYYY-MM-DD HH:MM:SS[.ffffff]` (a DATETIME/TIMESTAMP as the session, set to UTC, sees it) → `Date` read as UTC,
 * truncated to milliseconds. MySQL's zero date (`0000-00-00 00:00:00`) reads as `null`: it is MySQL's stand-in for
 * NULL (`WHERE d IS NULL` matches it) and no `Date` can hold it.
 */
export function readDateTime(raw: unknown): Date | null {
  const text = String(raw);
  const match = DATE_TIME.exec(text);
  if (!match) return new Date(Number.NaN);
  const [, year, month, day, hours = '0', minutes = '0', seconds = '0', fraction = ''] = match;
  if (year === '0000' || month === '00' || day === '00') return null;
  const milliseconds = Number(fraction.padEnd(3, '0').slice(0, 3));
  const date = new Date(0);
  date.setUTCFullYear(Number(year), Number(month) - 1, Number(day));
  date.setUTCHours(Number(hours), Number(minutes), Number(seconds), milliseconds);
  return date;
}

/** A DATE stays `YYYY-MM-DD`; the zero date reads as `null` (see {@link readDateTime}). */
export function readDate(raw: unknown): string | null {
  const text = String(raw);
  return text.startsWith('0000-00-00') ? null : text.slice(0, 10);
}

/**
 * A TIME as `[-]HH:MM:SS[.ffffff]` with trailing fractional zeros removed (and no fraction when it is zero): the
 * text protocol pads to the column's scale and the binary one trims, so both are brought to the trimmed form,
 * which is also what PostgreSQL prints. Hours may exceed 23 (MySQL TIME is an interval up to 838:59:59).
 */
export function readTime(raw: unknown): string {
  const text = String(raw);
  const dot = text.indexOf('.');
  if (dot < 0) return text;
  const fraction = text.slice(dot + 1).replace(/0+$/, '');
  return fraction === '' ? text.slice(0, dot) : `${text.slice(0, dot)}.${fraction}`;
}

/**
 * A FLOAT (single precision) as the shortest decimal that rounds to the same float: the binary protocol sends the
 * 4-byte float (1.1 arrives as 1.100000023841858), the text protocol its shortest text; both read as 1.1.
 */
export function readFloat(raw: unknown): number {
  return shortestSingle(Number(raw));
}

/** BIGINT (signed or unsigned), sent as text by `bigNumberStrings` → bigint. */
export function readBigInt(raw: unknown): bigint {
  return typeof raw === 'bigint' ? raw : BigInt(raw as string | number);
}

/** TINYINT(1) → boolean (any non-zero value is true, as in MySQL). */
export function readTinyBoolean(raw: unknown): boolean {
  return Number(raw) !== 0;
}

/** BIT(1) → boolean. */
export function readBitBoolean(raw: unknown): boolean {
  return bitValue(raw) !== 0n;
}

/** BIT(n > 1) → bigint (the bits as an unsigned number, as MySqlConnector reads BIT as UInt64). */
export function readBitBigInt(raw: unknown): bigint {
  return bitValue(raw);
}

function bitValue(raw: unknown): bigint {
  if (raw instanceof Uint8Array) {
    let value = 0n;
    for (const byte of raw) value = (value << 8n) | BigInt(byte);
    return value;
  }
  return BigInt(raw as string | number);
}

/** A column whose values mysql2 already produces in the right form (or that need no change). */
export function identity(raw: unknown): unknown {
  return raw;
}
