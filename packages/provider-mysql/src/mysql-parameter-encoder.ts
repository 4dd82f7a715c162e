import type { BoundParameter } from '@asyncdb/core';
import type { MysqlTypedParameters } from './mysql-driver.js';

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;

/**
 * Turns a bound parameter into the value mysql2 writes into COM_STMT_EXECUTE, with an explicit protocol type where
 * mysql2's inference would lose something:
 * - integers in the 32-bit range go as INT (mysql2 would send every number as DOUBLE; `LIMIT ?` and `SELECT ?`
 *   then see an integer), other numbers as DOUBLE;
 * - bigint goes as BIGINT (signed, or UNSIGNED above 2^63-1), and as DECIMAL text beyond 64 bits, so it never
 *   passes through a double;
 * - a `dbType` set by the user picks DECIMAL, FLOAT, DATE, TIME, JSON or binary explicitly;
 * - Uint8Array goes as a Buffer (BLOB), Date as DATETIME in UTC (the connection's `timezone: 'Z'`), plain
 *   objects and arrays as JSON text, booleans as TINYINT 0/1.
 */
export function encodeMysqlParameter(parameter: BoundParameter, typed: MysqlTypedParameters): unknown {
  const value = parameter.value;
  if (value === null || value === undefined) return null;
  if (parameter.dbTypeExplicit) {
    const explicit = encodeExplicit(parameter, typed);
    if (explicit !== undefined) return explicit;
  }
  switch (typeof value) {
    case 'number':
      return Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX
        ? typed.LONG(value)
        : typed.DOUBLE(value);
    case 'bigint':
      return encodeBigInt(value, typed);
    case 'object':
      if (value instanceof Uint8Array && !Buffer.isBuffer(value))
        return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
      return value;
    default:
      return value;
  }
}

function encodeBigInt(value: bigint, typed: MysqlTypedParameters): unknown {
  if (value >= INT64_MIN && value < 2n ** 63n) return typed.LONGLONG(value);
  if (value > 0n && value <= UINT64_MAX) return typed.LONGLONG.unsigned(value);
  return typed.NEWDECIMAL(value.toString());
}

/** The protocol type for a `dbType` the user set; `undefined` to fall back to inference from the value. */
function encodeExplicit(parameter: BoundParameter, typed: MysqlTypedParameters): unknown {
  const value = parameter.value;
  switch (parameter.dbType) {
    case 'Decimal':
    case 'Currency':
      return typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint'
        ? typed.NEWDECIMAL(String(value))
        : undefined;
    case 'Single':
      return typeof value === 'number' ? typed.FLOAT(value) : undefined;
    case 'Double':
      return typeof value === 'number' ? typed.DOUBLE(value) : undefined;
    case 'Int64':
      return typeof value === 'number' && Number.isSafeInteger(value) ? typed.LONGLONG(value) : undefined;
    case 'Date':
      return value instanceof Date || typeof value === 'string' ? typed.DATE(value) : undefined;
    case 'Time':
      return typeof value === 'string' ? typed.TIME(value) : undefined;
    case 'Json':
      return typed.JSON(typeof value === 'string' ? value : JSON.stringify(value));
    case 'Binary':
      return typeof value === 'string' ? typed.BLOB(Buffer.from(value, 'utf8')) : undefined;
    case 'String':
    case 'StringFixedLength':
    case 'AnsiString':
    case 'AnsiStringFixedLength':
    case 'Guid':
    case 'Xml':
      return typeof value === 'string' ? value : undefined;
    default:
      return undefined;
  }
}
