import type { TdsColumn, TdsValue } from '../engine-types.js';
import { parseTimestamp, timeText } from '../pg/pg-value-map.js';

/**
 * Converts a value to the JavaScript shape the seam uses for `col`'s type, for values that do not come
 * back from PostgreSQL (RPC arguments bound to procedure parameters, literals assigned to variables).
 * Conversions SQL Server would make implicitly are done where they are unambiguous; anything else is
 * returned unchanged and PostgreSQL's cast decides when the value is used.
 */
export function coerceValue(value: TdsValue, col: TdsColumn): TdsValue {
  if (value === null) return null;
  switch (col.type) {
    case 'tinyint':
    case 'smallint':
    case 'int':
    case 'real':
    case 'float':
      if (typeof value === 'bigint' || typeof value === 'boolean') return Number(value);
      if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
      return value;
    case 'bigint':
      if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
      if (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)) return BigInt(value.trim());
      if (typeof value === 'boolean') return value ? 1n : 0n;
      return value;
    case 'bit':
      if (typeof value === 'number' || typeof value === 'bigint') return Number(value) !== 0;
      if (typeof value === 'string') return !['0', 'false', 'f', ''].includes(value.trim().toLowerCase());
      return value;
    case 'decimal':
    case 'numeric':
    case 'money':
      return typeof value === 'number' || typeof value === 'bigint' ? String(value) : value;
    case 'nvarchar':
    case 'varchar':
    case 'nchar':
    case 'char':
    case 'xml':
      if (typeof value === 'string') return truncate(value, col.length);
      if (typeof value === 'number' || typeof value === 'bigint') return truncate(String(value), col.length);
      return value;
    case 'time':
      return typeof value === 'string' && /^\d\d:\d\d/.test(value) ? timeText(value) : value;
    case 'datetime':
    case 'datetime2':
      return typeof value === 'string' ? parseDateTime(value) : value;
    default:
      return value;
  }
}

function parseDateTime(text: string): TdsValue {
  const normalized = text.trim().replace('T', ' ').replace(/Z$/, '+00');
  const withTime = /^\d{4}-\d\d-\d\d$/.test(normalized) ? `${normalized} 00:00:00` : normalized;
  try {
    return parseTimestamp(withTime).date;
  } catch {
    return text;
  }
}

/** SQL Server silently truncates strings assigned to shorter variables and parameters. */
function truncate(text: string, length: number | undefined): string {
  return length === undefined || length < 0 ? text : text.slice(0, length);
}
