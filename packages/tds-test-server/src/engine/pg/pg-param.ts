import type { TdsColumn, TdsValue } from '../engine-types.js';

/** What a PostgreSQL bind parameter carries: text, bytes (sent in binary format by pg), or NULL. */
export type PgParam = string | Buffer | null;

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

function datePart(date: Date): string {
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

function timePart(date: Date): string {
  return `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}.${pad(date.getUTCMilliseconds(), 3)}`;
}

function offsetText(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/**
 * The PostgreSQL parameter for a {@link TdsValue} bound as `col`'s type (the SQL text casts it, e.g.
 * `$1::timestamp(6)`). Dates are written as UTC text, never through pg's local-time Date serialisation.
 */
export function toPgParam(value: TdsValue, col: TdsColumn): PgParam {
  if (value === null) return null;
  const binary = col.type === 'varbinary' || col.type === 'binary';
  if (Buffer.isBuffer(value)) return binary ? value : value.toString('utf8');
  if (value instanceof Date) return dateParam(value, col);
  if (typeof value === 'object') {
    // datetimeoffset: the wall-clock time at its offset, plus the offset.
    const local = new Date(value.date.getTime() + value.offsetMinutes * 60_000);
    return `${datePart(local)} ${timePart(local)}${offsetText(value.offsetMinutes)}`;
  }
  if (col.type === 'bit') {
    if (typeof value === 'string') return value;
    return value === true || (typeof value !== 'boolean' && Number(value) !== 0) ? 'true' : 'false';
  }
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (binary && typeof value === 'string') return Buffer.from(value, 'utf8');
  return String(value);
}

function dateParam(date: Date, col: TdsColumn): string {
  switch (col.type) {
    case 'date':
      return datePart(date);
    case 'time':
      return timePart(date);
    case 'datetimeoffset':
      return `${datePart(date)} ${timePart(date)}+00:00`;
    default:
      return `${datePart(date)} ${timePart(date)}`;
  }
}
