import type { BoundParameter, DbType } from '@asyncdb/core';
import { boundParameter } from '@asyncdb/testkit';
import { describe, expect, it } from 'vitest';
import { mysqlDriver } from './mysql-driver.js';
import { encodeMysqlParameter } from './mysql-parameter-encoder.js';

const typed = mysqlDriver.TypedParameter;

/** A bound input `p`, its DbType set when given (else inferred). */
function bound(value: unknown, dbType?: DbType): BoundParameter {
  return boundParameter(value, { dbType });
}

/** The protocol type name of an encoded value, or its JS kind when mysql2 infers it. */
function wire(value: unknown): string {
  const encoded = encodeMysqlParameter(bound(value), typed);
  return describeEncoded(encoded);
}

function describeEncoded(encoded: unknown): string {
  if (encoded !== null && typeof encoded === 'object' && 'type' in encoded && 'unsigned' in encoded) {
    const parameter = encoded as { type: number; unsigned: boolean };
    const names: Record<number, string> = {
      3: 'LONG',
      4: 'FLOAT',
      5: 'DOUBLE',
      8: 'LONGLONG',
      10: 'DATE',
      11: 'TIME',
      245: 'JSON',
      246: 'NEWDECIMAL',
      252: 'BLOB',
    };
    return `${names[parameter.type] ?? parameter.type}${parameter.unsigned ? ' UNSIGNED' : ''}`;
  }
  return encoded === null
    ? 'null'
    : Buffer.isBuffer(encoded)
      ? 'Buffer'
      : encoded instanceof Date
        ? 'Date'
        : typeof encoded;
}

describe('encodeMysqlParameter', () => {
  it.each([
    [42, 'LONG'],
    [-2147483648, 'LONG'],
    [2147483648, 'DOUBLE'],
    [1.5, 'DOUBLE'],
    [9223372036854775807n, 'LONGLONG'],
    [-9223372036854775808n, 'LONGLONG'],
    [18446744073709551615n, 'LONGLONG UNSIGNED'],
    [2n ** 70n, 'NEWDECIMAL'],
    ['text', 'string'],
    [true, 'boolean'],
    [null, 'null'],
    [new Date(0), 'Date'],
    [Buffer.from([1]), 'Buffer'],
    [new Uint8Array([1, 2]), 'Buffer'],
    [{ a: 1 }, 'object'],
  ])('sends %s as %s', (value, expected) => {
    expect(wire(value)).toBe(expected);
  });

  it('copies no bytes when wrapping a Uint8Array', () => {
    const bytes = new Uint8Array([1, 2, 3]).subarray(1);
    const encoded = encodeMysqlParameter(bound(bytes), typed) as Buffer;
    expect([...encoded]).toEqual([2, 3]);
    expect(encoded.buffer).toBe(bytes.buffer);
  });

  it.each([
    ['12.50', 'Decimal', 'NEWDECIMAL'],
    [1.25, 'Single', 'FLOAT'],
    [7, 'Double', 'DOUBLE'],
    [7, 'Int64', 'LONGLONG'],
    ['2024-02-29', 'Date', 'DATE'],
    ['12:34:56.5', 'Time', 'TIME'],
    ['{"a":1}', 'Json', 'JSON'],
    ['abc', 'Binary', 'BLOB'],
  ] as const)('honours an explicit dbType: %s as %s is sent as %s', (value, dbType, expected) => {
    expect(describeEncoded(encodeMysqlParameter(bound(value, dbType), typed))).toBe(expected);
  });

  it('falls back to inference when the explicit dbType does not fit the value', () => {
    expect(describeEncoded(encodeMysqlParameter(bound(true, 'Decimal'), typed))).toBe('boolean');
  });
});
