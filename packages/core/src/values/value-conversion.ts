import type { DbColumn } from '../contracts/db-column.js';
import type { DbType } from '../contracts/db-type.js';
import { InvalidCastError, OverflowError } from '../errors/errors.js';

/**
 * The conversions behind the typed getters (`getInt32`, `getDecimal`, …), shared by every provider. They follow
 * ADO.NET's rules: widening is allowed, narrowing that does not fit throws {@link OverflowError}, any other
 * mismatch and NULL throw {@link InvalidCastError}.
 */

/** The typed getters, by the .NET type they return. */
export type TypedGetter =
  | 'Int16'
  | 'Int32'
  | 'Int64'
  | 'Double'
  | 'Single'
  | 'Decimal'
  | 'String'
  | 'Boolean'
  | 'DateTime'
  | 'Guid'
  | 'Bytes'
  | 'Byte';

const NULL_MESSAGE = 'Data is Null. This method or property cannot be called on Null values.';

const SMALL_INTEGERS: ReadonlySet<DbType> = new Set<DbType>(['Byte', 'SByte', 'Int16', 'Int32']);
const TEXT_TYPES: ReadonlySet<DbType> = new Set<DbType>([
  'String',
  'StringFixedLength',
  'AnsiString',
  'AnsiStringFixedLength',
  'Xml',
  'Guid',
]);
const DATE_TYPES: ReadonlySet<DbType> = new Set<DbType>(['Date', 'DateTime', 'DateTime2', 'DateTimeOffset']);

const RANGES: Readonly<Record<'Byte' | 'Int16' | 'Int32', readonly [bigint, bigint]>> = {
  Byte: [0n, 255n],
  Int16: [-32768n, 32767n],
  Int32: [-2147483648n, 2147483647n],
};

/** Converts a column value for a typed getter, or throws the ADO.NET-equivalent error. */
export function convertForGetter(value: unknown, column: DbColumn, getter: TypedGetter): unknown {
  if (value === null || value === undefined) throw new InvalidCastError(NULL_MESSAGE);
  const source = column.dbType;
  switch (getter) {
    case 'Byte':
    case 'Int16':
    case 'Int32':
      if (SMALL_INTEGERS.has(source) || source === 'Int64') return narrowInteger(value, getter, column);
      break;
    case 'Int64':
      if (SMALL_INTEGERS.has(source) || source === 'Int64') return BigInt(value as number | bigint);
      break;
    case 'Double':
      if (source === 'Double' || source === 'Single' || SMALL_INTEGERS.has(source) || source === 'Int64')
        return Number(value);
      if (source === 'Decimal' || source === 'Currency') return Number(value);
      break;
    case 'Single':
      if (source === 'Single' || source === 'Decimal' || source === 'Currency' || SMALL_INTEGERS.has(source)) {
        return Math.fround(Number(value));
      }
      break;
    case 'Decimal':
      if (source === 'Decimal' || source === 'Currency') return String(value);
      if (SMALL_INTEGERS.has(source) || source === 'Int64') return String(value);
      break;
    case 'String':
      if (TEXT_TYPES.has(source) && typeof value === 'string') return value;
      break;
    case 'Boolean':
      if (source === 'Boolean' && typeof value === 'boolean') return value;
      break;
    case 'DateTime':
      if (DATE_TYPES.has(source)) return toDate(value, column);
      break;
    case 'Guid':
      if (source === 'Guid' && typeof value === 'string') return value;
      break;
    case 'Bytes':
      if (source === 'Binary' && value instanceof Uint8Array) return value;
      break;
  }
  throw new InvalidCastError(
    `Unable to cast a ${column.dataTypeName} (${source}) value of column '${column.columnName}' to ${getter}.`,
  );
}

function narrowInteger(value: unknown, getter: 'Byte' | 'Int16' | 'Int32', column: DbColumn): number {
  const big = typeof value === 'bigint' ? value : BigInt(value as number);
  const [min, max] = RANGES[getter];
  if (big < min || big > max) {
    throw new OverflowError(
      `Value ${big} of column '${column.columnName}' was either too large or too small for ${getter}.`,
    );
  }
  return Number(big);
}

function toDate(value: unknown, column: DbColumn): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return new Date(`${value}T00:00:00.000Z`);
  throw new InvalidCastError(`Unable to cast the value of column '${column.columnName}' to DateTime.`);
}
