import type { BoundParameter, DbType } from '@asyncdb/core';
import { boundParameter } from '@asyncdb/testkit';
import { describe, expect, it } from 'vitest';
import { encodeParameterValue, parameterOid } from './pg-parameter-encoder.js';
import { PgOid } from './pg-type-map.js';

const inferred = (value: unknown): BoundParameter => boundParameter(value);
const explicit = (value: unknown, dbType: DbType): BoundParameter => boundParameter(value, { dbType });

describe('parameterOid', () => {
  it.each([
    ['a string', 'x', 0],
    ['null', null, 0],
    ['an int32 number', 42, PgOid.int4],
    ['a fractional number', 1.5, PgOid.float8],
    ['a bigint', 1n, PgOid.int8],
    ['a boolean', true, PgOid.bool],
    ['a Date', new Date(0), PgOid.timestamptz],
    ['bytes', new Uint8Array(1), PgOid.bytea],
    ['an object', { a: 1 }, PgOid.jsonb],
  ])('types %s by its value', (_, value, oid) => {
    expect(parameterOid(inferred(value))).toBe(oid);
  });

  it.each([
    ['DateTime', PgOid.timestamp],
    ['DateTimeOffset', PgOid.timestamptz],
    ['Date', PgOid.date],
    ['Time', PgOid.time],
    ['Decimal', PgOid.numeric],
    ['Guid', PgOid.uuid],
    ['Int16', PgOid.int2],
    ['String', 0],
    ['Json', PgOid.jsonb],
    ['Xml', PgOid.xml],
  ] as const)('follows an explicit DbType.%s', (dbType, oid) => {
    expect(parameterOid(explicit(new Date(0), dbType))).toBe(oid);
  });
});

describe('encodeParameterValue', () => {
  it.each([
    [null, 'String', null],
    ['text', 'String', 'text'],
    [42, 'Int32', '42'],
    [-0.5, 'Double', '-0.5'],
    [Number.NaN, 'Double', 'NaN'],
    [Infinity, 'Double', 'Infinity'],
    [-Infinity, 'Double', '-Infinity'],
    [2n ** 63n - 1n, 'Int64', '9223372036854775807'],
    [true, 'Boolean', 'true'],
    [false, 'Boolean', 'false'],
    [{ a: [1, 'x'] }, 'Json', '{"a":[1,"x"]}'],
    [[1, 2], 'Json', '[1,2]'],
    ['{"raw":true}', 'Json', '{"raw":true}'],
  ] as const)('encodes %s as %s', (value, dbType, expected) => {
    expect(encodeParameterValue(value, dbType)).toBe(expected);
  });

  it('writes a Date as ISO 8601 with Z, or its date / time part for Date / Time', () => {
    const date = new Date('2024-05-01T22:30:00.250Z');
    expect(encodeParameterValue(date, 'DateTime')).toBe('2024-05-01T22:30:00.250Z');
    expect(encodeParameterValue(date, 'Date')).toBe('2024-05-01');
    expect(encodeParameterValue(date, 'Time')).toBe('22:30:00.250');
  });

  it('sends bytes as a Buffer (binary format) over the same memory', () => {
    const bytes = new Uint8Array([1, 2, 3, 4]).subarray(1, 3);
    const encoded = encodeParameterValue(bytes, 'Binary');
    expect(Buffer.isBuffer(encoded)).toBe(true);
    expect([...(encoded as Buffer)]).toEqual([2, 3]);
  });
});
