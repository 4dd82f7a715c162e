import { describe, expect, it } from 'vitest';
import { convertForGetter, type TypedGetter } from './value-conversion.js';
import { DbColumn } from '../contracts/db-column.js';
import type { DbType } from '../contracts/db-type.js';
import { InvalidCastError, OverflowError } from '../errors/errors.js';

function column(dbType: DbType, name = 'col'): DbColumn {
  return new DbColumn({ columnName: name, columnOrdinal: 0, dataTypeName: dbType.toLowerCase(), dbType });
}

function convert(value: unknown, dbType: DbType, getter: TypedGetter): unknown {
  return convertForGetter(value, column(dbType), getter);
}

function failure(value: unknown, dbType: DbType, getter: TypedGetter): unknown {
  try {
    convert(value, dbType, getter);
  } catch (error) {
    return error;
  }
  throw new Error(`expected ${getter} of a ${dbType} ${String(value)} to throw`);
}

const GETTERS: readonly TypedGetter[] = [
  'Byte',
  'Int16',
  'Int32',
  'Int64',
  'Double',
  'Single',
  'Decimal',
  'String',
  'Boolean',
  'DateTime',
  'Guid',
  'Bytes',
];

describe('NULL', () => {
  it.each(GETTERS)('Get%s of NULL throws InvalidCastError "Data is Null…"', (getter) => {
    for (const value of [null, undefined]) {
      const error = failure(value, 'Int32', getter);
      expect(error).toBeInstanceOf(InvalidCastError);
      expect((error as Error).message).toBe('Data is Null. This method or property cannot be called on Null values.');
    }
  });
});

describe('integers', () => {
  it('widen: GetInt32 / GetInt16 of smaller integers', () => {
    expect(convert(7, 'Byte', 'Int32')).toBe(7);
    expect(convert(-7, 'SByte', 'Int16')).toBe(-7);
    expect(convert(-32768, 'Int16', 'Int32')).toBe(-32768);
    expect(convert(2147483647, 'Int32', 'Int32')).toBe(2147483647);
  });

  it('GetInt64 of any integer column is a bigint', () => {
    expect(convert(5, 'Int16', 'Int64')).toBe(5n);
    expect(convert(-2147483648, 'Int32', 'Int64')).toBe(-2147483648n);
    expect(convert(9223372036854775807n, 'Int64', 'Int64')).toBe(9223372036854775807n);
  });

  it('narrow when the value fits', () => {
    expect(convert(12n, 'Int64', 'Int32')).toBe(12);
    expect(convert(-2147483648n, 'Int64', 'Int32')).toBe(-2147483648);
    expect(convert(32767, 'Int32', 'Int16')).toBe(32767);
    expect(convert(255, 'Int32', 'Byte')).toBe(255);
    expect(convert(0, 'Int16', 'Byte')).toBe(0);
  });

  it.each([
    [2147483648n, 'Int64', 'Int32'],
    [-2147483649n, 'Int64', 'Int32'],
    [32768, 'Int32', 'Int16'],
    [-32769, 'Int32', 'Int16'],
    [9223372036854775807n, 'Int64', 'Int16'],
    [256, 'Int32', 'Byte'],
    [-1, 'SByte', 'Byte'],
  ] as const)('narrowing %s (%s) to %s that does not fit throws OverflowError', (value, dbType, getter) => {
    const error = failure(value, dbType, getter);
    expect(error).toBeInstanceOf(OverflowError);
    expect((error as Error).message).toMatch(/'col'/);
  });

  it.each([
    [1.5, 'Double', 'Int32'],
    [1, 'Single', 'Int64'],
    ['1', 'Decimal', 'Int32'],
    ['1', 'String', 'Int32'],
    [true, 'Boolean', 'Int32'],
    ['2024-01-01', 'Date', 'Int64'],
  ] as const)('GetX of a non-integer column (%s, %s) throws InvalidCastError', (value, dbType, getter) => {
    expect(failure(value, dbType, getter)).toBeInstanceOf(InvalidCastError);
  });
});

describe('floating point and decimals', () => {
  it('GetDouble reads doubles, singles, integers and decimals', () => {
    expect(convert(1.25, 'Double', 'Double')).toBe(1.25);
    expect(convert(1.5, 'Single', 'Double')).toBe(1.5);
    expect(convert(3, 'Int32', 'Double')).toBe(3);
    expect(convert(9007199254740992n, 'Int64', 'Double')).toBe(9007199254740992);
    expect(convert('12.50', 'Decimal', 'Double')).toBe(12.5);
    expect(convert('3.99', 'Currency', 'Double')).toBe(3.99);
  });

  it('GetFloat rounds to single precision, and does not read doubles', () => {
    expect(convert(0.1, 'Single', 'Single')).toBe(Math.fround(0.1));
    expect(convert('0.1', 'Decimal', 'Single')).toBe(Math.fround(0.1));
    expect(convert(16777217, 'Int32', 'Single')).toBe(16777216);
    expect(failure(0.1, 'Double', 'Single')).toBeInstanceOf(InvalidCastError);
  });

  it('GetDecimal reads decimals, money and integers as exact strings, and not doubles', () => {
    expect(convert('123456789012345678901234.5678', 'Decimal', 'Decimal')).toBe('123456789012345678901234.5678');
    expect(convert('1.10', 'Currency', 'Decimal')).toBe('1.10');
    expect(convert(42, 'Int32', 'Decimal')).toBe('42');
    expect(convert(-9223372036854775808n, 'Int64', 'Decimal')).toBe('-9223372036854775808');
    expect(failure(1.5, 'Double', 'Decimal')).toBeInstanceOf(InvalidCastError);
    expect(failure(1.5, 'Single', 'Decimal')).toBeInstanceOf(InvalidCastError);
  });

  it('numbers never read as strings, nor strings as numbers', () => {
    expect(failure(1, 'Int32', 'String')).toBeInstanceOf(InvalidCastError);
    expect(failure('1.5', 'Decimal', 'String')).toBeInstanceOf(InvalidCastError);
    expect(failure('1.5', 'String', 'Double')).toBeInstanceOf(InvalidCastError);
  });
});

describe('strings, booleans, dates, guids and bytes', () => {
  it.each(['String', 'StringFixedLength', 'AnsiString', 'AnsiStringFixedLength', 'Xml', 'Guid'] as const)(
    'GetString reads a %s column',
    (dbType) => {
      expect(convert('text', dbType, 'String')).toBe('text');
    },
  );

  it('GetString does not read dates, times, JSON or binary', () => {
    expect(failure('2024-01-01', 'Date', 'String')).toBeInstanceOf(InvalidCastError);
    expect(failure('12:00:00', 'Time', 'String')).toBeInstanceOf(InvalidCastError);
    expect(failure({}, 'Json', 'String')).toBeInstanceOf(InvalidCastError);
    expect(failure(new Uint8Array(1), 'Binary', 'String')).toBeInstanceOf(InvalidCastError);
  });

  it('GetBoolean reads booleans only', () => {
    expect(convert(true, 'Boolean', 'Boolean')).toBe(true);
    expect(failure(1, 'Int32', 'Boolean')).toBeInstanceOf(InvalidCastError);
    expect(failure('true', 'String', 'Boolean')).toBeInstanceOf(InvalidCastError);
  });

  it('GetDateTime reads timestamps as they are and a date as UTC midnight', () => {
    const instant = new Date('2024-05-06T07:08:09.123Z');
    expect(convert(instant, 'DateTime', 'DateTime')).toBe(instant);
    expect(convert(instant, 'DateTime2', 'DateTime')).toBe(instant);
    expect(convert(instant, 'DateTimeOffset', 'DateTime')).toBe(instant);
    expect(convert('2024-02-29', 'Date', 'DateTime')).toEqual(new Date('2024-02-29T00:00:00.000Z'));
  });

  it('GetDateTime does not read times, numbers or malformed dates', () => {
    expect(failure('12:00:00', 'Time', 'DateTime')).toBeInstanceOf(InvalidCastError);
    expect(failure(1_700_000_000_000, 'Int64', 'DateTime')).toBeInstanceOf(InvalidCastError);
    expect(failure('29/02/2024', 'Date', 'DateTime')).toBeInstanceOf(InvalidCastError);
  });

  it('GetGuid reads uuid columns only', () => {
    const guid = '6f9619ff-8b86-d011-b42d-00c04fc964ff';
    expect(convert(guid, 'Guid', 'Guid')).toBe(guid);
    expect(failure(guid, 'String', 'Guid')).toBeInstanceOf(InvalidCastError);
  });

  it('GetBytes reads binary columns (a Buffer too)', () => {
    const bytes = new Uint8Array([1, 2]);
    expect(convert(bytes, 'Binary', 'Bytes')).toBe(bytes);
    const buffer = Buffer.from([3]);
    expect(convert(buffer, 'Binary', 'Bytes')).toBe(buffer);
    expect(failure('0102', 'String', 'Bytes')).toBeInstanceOf(InvalidCastError);
  });

  it('an InvalidCastError names the column and the getter', () => {
    const error = (() => {
      try {
        convertForGetter(true, column('Boolean', 'is_active'), 'Int32');
      } catch (caught) {
        return caught as Error;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(InvalidCastError);
    expect(error?.message).toMatch(/'is_active'/);
    expect(error?.message).toMatch(/Int32/);
  });
});
