import { describe, expect, it } from 'vitest';
import type { TediousColumnMetadata } from './mssql-tedious.js';
import { formatDate, formatTime, valueConverterFor } from './mssql-values.js';

const column = (name: string, extra: Partial<TediousColumnMetadata> = {}): TediousColumnMetadata => ({
  colName: 'c',
  type: { name },
  flags: 1,
  ...extra,
});

/** A time value the way tedious builds it: the milliseconds in a Date, the rest in `nanosecondsDelta` (seconds). */
function tediousTime(iso: string, nanosecondsDelta = 0): Date {
  const date = new Date(`1970-01-01T${iso}Z`);
  Object.defineProperty(date, 'nanosecondsDelta', { value: nanosecondsDelta });
  return date;
}

describe('valueConverterFor', () => {
  it('reads bigint (a decimal string from tedious) as bigint', () => {
    expect(valueConverterFor(column('IntN', { dataLength: 8 }))('-9223372036854775808')).toBe(-9223372036854775808n);
    expect(valueConverterFor(column('BigInt'))('42')).toBe(42n);
  });

  it('keeps exact decimal strings, and prints a number with the column scale', () => {
    const decimal = valueConverterFor(column('DecimalN', { precision: 10, scale: 3 }));
    expect(decimal('1.500')).toBe('1.500');
    expect(decimal(1.5)).toBe('1.500');
    expect(valueConverterFor(column('MoneyN', { dataLength: 8 }))(12.5)).toBe('12.5000');
  });

  it('reads date as YYYY-MM-DD and time as HH:MM:SS with its significant fractional digits', () => {
    expect(valueConverterFor(column('Date'))(new Date('0001-01-01T00:00:00Z'))).toBe('0001-01-01');
    const time = valueConverterFor(column('Time', { scale: 7 }));
    expect(time(tediousTime('13:45:30'))).toBe('13:45:30');
    expect(time(tediousTime('23:59:59.999', 0.0009999))).toBe('23:59:59.9999999');
    expect(valueConverterFor(column('Time', { scale: 3 }))(tediousTime('01:02:03.450'))).toBe('01:02:03.45');
  });

  it('lower-cases uniqueidentifier, keeps the other values, and reads NULL as null', () => {
    expect(valueConverterFor(column('UniqueIdentifier'))('A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11')).toBe(
      'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
    );
    const buffer = Buffer.from([1, 2]);
    expect(valueConverterFor(column('VarBinary'))(buffer)).toBe(buffer);
    for (const type of ['IntN', 'DecimalN', 'Date', 'Time', 'UniqueIdentifier', 'NVarChar', 'FloatN']) {
      expect(valueConverterFor(column(type, { dataLength: 4 }))(null)).toBeNull();
    }
  });

  it('reads real as the shortest decimal of the 32-bit float', () => {
    const real = valueConverterFor(column('FloatN', { dataLength: 4 }));
    expect(real(Math.fround(1.1))).toBe(1.1);
    expect(real(Math.fround(3.4e38))).toBe(3.4e38);
    expect(valueConverterFor(column('FloatN', { dataLength: 8 }))(0.1 + 0.2)).toBe(0.1 + 0.2);
  });
});

describe('formatting helpers', () => {
  it('formatDate and formatTime', () => {
    expect(formatDate(new Date('9999-12-31T00:00:00Z'))).toBe('9999-12-31');
    expect(formatTime(tediousTime('00:00:00'), 0)).toBe('00:00:00');
    expect(formatTime(tediousTime('12:00:00.500'), 0)).toBe('12:00:00');
  });
});
