import type { TdsColumn, TdsValue } from '../engine-types.js';

/**
 * Converts a PostgreSQL text-format value (the session's type parsers return raw text) into the seam's
 * {@link TdsValue} for the column it was described as. The session runs with `TimeZone=UTC` and
 * `DateStyle=ISO`, so timestamps arrive as `YYYY-MM-DD HH:MM:SS[.ffffff][+hh[:mm]]`.
 */
export function tdsValueFor(col: TdsColumn, text: string | null): TdsValue {
  if (text === null) return null;
  switch (col.type) {
    case 'tinyint':
    case 'smallint':
    case 'int':
    case 'real':
    case 'float':
      return Number(text);
    case 'bigint':
      return BigInt(text);
    case 'bit':
      return text === 't' || text === 'true';
    case 'varbinary':
    case 'binary':
      return Buffer.from(text.startsWith('\\x') ? text.slice(2) : text, 'hex');
    case 'time':
      return timeText(text);
    case 'datetime':
    case 'datetime2':
      return parseTimestamp(text).date;
    case 'datetimeoffset':
      return parseTimestamp(text);
    case 'uniqueidentifier':
      return text.toLowerCase();
    default:
      // decimal/numeric/money stay exact strings; date is already 'YYYY-MM-DD'; text, xml, json as text.
      return text;
  }
}

/** 'HH:MM:SS[.f…]' → 'HH:MM:SS.fffffff' (seven fractional digits, as SQL Server's time(7)). */
export function timeText(text: string): string {
  const [clock = '', fractional = ''] = text.split('.');
  return `${clock}.${fractional.padEnd(7, '0').slice(0, 7)}`;
}

const TIMESTAMP = /^(\d{4,})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)(?:\.(\d+))?(?:([+-])(\d\d)(?::?(\d\d))?)?( BC)?$/;

/** Parses a PostgreSQL timestamp/timestamptz text; the date is the UTC instant, offsetMinutes the printed zone. */
export function parseTimestamp(text: string): { date: Date; offsetMinutes: number } {
  // SQL Server has no infinities: clamp to the datetime2 range.
  if (text === 'infinity') return { date: utc(9999, 12, 31, 23, 59, 59, 999), offsetMinutes: 0 };
  if (text === '-infinity') return { date: utc(1, 1, 1, 0, 0, 0, 0), offsetMinutes: 0 };
  const m = TIMESTAMP.exec(text);
  if (m === null) throw new Error(`unexpected timestamp text '${text}'`);
  const [, y, mo, d, h, mi, s, frac = '', sign, oh = '0', om = '0'] = m;
  const offsetMinutes = sign === undefined ? 0 : (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om));
  const ms = Number(frac.padEnd(3, '0').slice(0, 3));
  const local = utc(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s), ms);
  return { date: new Date(local.getTime() - offsetMinutes * 60_000), offsetMinutes };
}

/** A UTC date; unlike `Date.UTC`, years 0–99 are taken literally. */
function utc(year: number, month: number, day: number, hour: number, minute: number, second: number, ms: number): Date {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, ms);
  return date;
}
