import { expect } from 'vitest';
import { InvalidCastError, OverflowError, type DbDataReader, type DbType } from '@asyncdb/core';
import { gatedIt } from '../capability-gate.js';
import type { ValueTable } from './values-suite.js';

/** Runs `check` on a reader over `literal` stored in the column of `dbType`, closing the reader afterwards. */
async function withValue(
  values: ValueTable,
  dbType: DbType,
  literal: string,
  check: (reader: DbDataReader) => void,
): Promise<void> {
  const reader = await values.readLiteral(dbType, literal);
  try {
    check(reader);
  } finally {
    await reader.close();
  }
}

/** The first sample of a DbType in the fixture. */
function firstSample(values: ValueTable, dbType: DbType): { literal: string; expected: unknown } {
  const sample = values.caseOf(dbType)?.samples[0];
  if (!sample) throw new Error(`The fixture gives no ${dbType} sample.`);
  return sample;
}

/**
 * The typed-getter rules of docs/values.md across types, as ADO.NET's GetValueConversionTestBase encodes them:
 * widening is allowed, narrowing that does not fit throws OverflowError, every other mismatch InvalidCastError.
 * Portable numeric and string literals are used wherever they do the job, so the rules do not depend on samples.
 * @internal
 */
export function conversionTests(values: ValueTable): void {
  gatedIt(values.gate('Int16'), 'getInt32, getInt64, getDouble and getDecimal widen a 16-bit integer', () =>
    withValue(values, 'Int16', '-32768', (reader) => {
      expect(reader.getInt32(0)).toBe(-32768);
      expect(reader.getInt64(0)).toBe(-32768n);
      expect(reader.getDouble(0)).toBe(-32768);
      expect(reader.getDecimal(0)).toBe('-32768');
    }),
  );

  gatedIt(values.gate('Int32'), 'getInt64, getDouble and getDecimal widen a 32-bit integer', () =>
    withValue(values, 'Int32', '2147483647', (reader) => {
      expect(reader.getInt32(0)).toBe(2147483647);
      expect(reader.getInt64(0)).toBe(2147483647n);
      expect(reader.getDouble(0)).toBe(2147483647);
      expect(reader.getDecimal(0)).toBe('2147483647');
    }),
  );

  gatedIt(values.gate('Int64'), 'getInt32, getInt16 and getByte narrow a 64-bit integer that fits', () =>
    withValue(values, 'Int64', '42', (reader) => {
      expect(reader.getValue(0)).toBe(42n);
      expect(reader.getInt32(0)).toBe(42);
      expect(reader.getInt16(0)).toBe(42);
      expect(reader.getByte(0)).toBe(42);
    }),
  );

  gatedIt(values.gate('Int64'), 'getInt32 of a 64-bit integer that does not fit throws OverflowError', () =>
    withValue(values, 'Int64', '9223372036854775807', (reader) => {
      expect(reader.getInt64(0)).toBe(9223372036854775807n);
      expect(() => reader.getInt32(0)).toThrow(OverflowError);
      expect(() => reader.getInt16(0)).toThrow(OverflowError);
    }),
  );

  gatedIt(values.gate('Int32'), 'getInt16 and getByte of a 32-bit integer that does not fit throw OverflowError', () =>
    withValue(values, 'Int32', '-2147483648', (reader) => {
      expect(() => reader.getInt16(0)).toThrow(OverflowError);
      expect(() => reader.getByte(0)).toThrow(OverflowError);
      expect(reader.getInt32(0)).toBe(-2147483648);
    }),
  );

  gatedIt(values.gate('Single'), 'getDouble widens a single-precision float', () =>
    withValue(values, 'Single', '1.5', (reader) => {
      expect(reader.getFloat(0)).toBe(1.5);
      expect(reader.getDouble(0)).toBe(1.5);
    }),
  );

  gatedIt(values.gate('Decimal'), 'getDouble converts an exact decimal; getDecimal returns its exact text', () =>
    withValue(values, 'Decimal', '12.5', (reader) => {
      expect(reader.getDouble(0)).toBe(12.5);
      expect(reader.getDecimal(0)).toBe(reader.getValue(0));
      expect(Number(reader.getDecimal(0))).toBe(12.5);
    }),
  );

  gatedIt(values.gate('Date'), 'getDateTime reads a date as that day at UTC midnight', async () => {
    const sample = firstSample(values, 'Date');
    await withValue(values, 'Date', sample.literal, (reader) => {
      expect(reader.getDateTime(0).toISOString()).toBe(`${String(sample.expected)}T00:00:00.000Z`);
    });
  });

  gatedIt(
    values.gate('Int32'),
    'getString, getBoolean, getDateTime, getGuid and getBytes of an integer throw InvalidCastError',
    () =>
      withValue(values, 'Int32', '1', (reader) => {
        expect(() => reader.getString(0)).toThrow(InvalidCastError);
        expect(() => reader.getBoolean(0)).toThrow(InvalidCastError);
        expect(() => reader.getDateTime(0)).toThrow(InvalidCastError);
        expect(() => reader.getGuid(0)).toThrow(InvalidCastError);
        expect(() => reader.getBytes(0)).toThrow(InvalidCastError);
      }),
  );

  gatedIt(
    values.gate('String'),
    'getInt32, getDecimal, getBoolean, getGuid, getDateTime and getBytes of a string throw InvalidCastError',
    () =>
      withValue(values, 'String', "'1'", (reader) => {
        expect(reader.getString(0)).toBe('1');
        expect(() => reader.getInt32(0)).toThrow(InvalidCastError);
        expect(() => reader.getDecimal(0)).toThrow(InvalidCastError);
        expect(() => reader.getBoolean(0)).toThrow(InvalidCastError);
        expect(() => reader.getGuid(0)).toThrow(InvalidCastError);
        expect(() => reader.getDateTime(0)).toThrow(InvalidCastError);
        expect(() => reader.getBytes(0)).toThrow(InvalidCastError);
      }),
  );

  gatedIt(values.gate('Boolean'), 'getInt32 and getString of a boolean throw InvalidCastError', () =>
    withValue(values, 'Boolean', firstSample(values, 'Boolean').literal, (reader) => {
      expect(typeof reader.getBoolean(0)).toBe('boolean');
      expect(() => reader.getInt32(0)).toThrow(InvalidCastError);
      expect(() => reader.getString(0)).toThrow(InvalidCastError);
    }),
  );

  gatedIt(values.gate('Double'), 'getDecimal, getFloat and getInt32 of a double throw InvalidCastError', () =>
    withValue(values, 'Double', '1.5', (reader) => {
      expect(reader.getDouble(0)).toBe(1.5);
      expect(() => reader.getDecimal(0)).toThrow(InvalidCastError);
      expect(() => reader.getFloat(0)).toThrow(InvalidCastError);
      expect(() => reader.getInt32(0)).toThrow(InvalidCastError);
    }),
  );

  gatedIt(
    values.gate('Guid'),
    'getString reads a uuid as its lower-case text; getInt32 throws InvalidCastError',
    async () => {
      const sample = firstSample(values, 'Guid');
      await withValue(values, 'Guid', sample.literal, (reader) => {
        expect(reader.getString(0)).toBe(sample.expected);
        expect(() => reader.getInt32(0)).toThrow(InvalidCastError);
      });
    },
  );

  gatedIt(
    values.gate('Binary'),
    'getBytes copies a range into a buffer, and without a buffer returns the length',
    async () => {
      const sample = values
        .caseOf('Binary')
        ?.samples.find((candidate) => candidate.expected instanceof Uint8Array && candidate.expected.length >= 3);
      if (!sample) throw new Error('The fixture gives no Binary sample of 3 bytes or more.');
      const bytes = sample.expected as Uint8Array;
      await withValue(values, 'Binary', sample.literal, (reader) => {
        expect(reader.getBytes(0, 1, null, 0, 0)).toBe(bytes.length);
        const buffer = new Uint8Array(5);
        expect(reader.getBytes(0, 1, buffer, 2, 2)).toBe(2);
        expect([...buffer]).toEqual([0, 0, bytes[1], bytes[2], 0]);
        expect(reader.getBytes(0, bytes.length + 10, buffer, 0, 1)).toBe(0);
        expect(() => reader.getString(0)).toThrow(InvalidCastError);
      });
    },
  );
}
