import { describe, expect, it } from 'vitest';
import {
  readBigInt,
  readBitBigInt,
  readBitBoolean,
  readDate,
  readDateTime,
  readFloat,
  readTime,
  readTinyBoolean,
} from './mysql-value-readers.js';

describe('readDateTime', () => {
  it.each([
    ['2024-02-29 13:14:15', '2024-02-29T13:14:15.000Z'],
    ['2024-02-29 13:14:15.5', '2024-02-29T13:14:15.500Z'],
    ['2024-02-29 13:14:15.123456', '2024-02-29T13:14:15.123Z'],
    ['2024-02-29 13:14:15.678000', '2024-02-29T13:14:15.678Z'],
    ['1000-01-01 00:00:00', '1000-01-01T00:00:00.000Z'],
    ['9999-12-31 23:59:59.999999', '9999-12-31T23:59:59.999Z'],
    ['0042-03-04 05:06:07', '0042-03-04T05:06:07.000Z'],
  ])('reads %s as UTC', (text, iso) => {
    expect(readDateTime(text)?.toISOString()).toBe(iso);
  });

  it('reads the zero date as null', () => {
    expect(readDateTime('0000-00-00 00:00:00')).toBeNull();
  });
});

describe('readDate', () => {
  it('keeps YYYY-MM-DD and maps the zero date to null', () => {
    expect(readDate('2024-02-29')).toBe('2024-02-29');
    expect(readDate('0000-00-00')).toBeNull();
  });
});

describe('readTime', () => {
  it.each([
    ['12:34:56', '12:34:56'],
    ['12:34:56.500000', '12:34:56.5'],
    ['12:34:56.5', '12:34:56.5'],
    ['12:34:56.000000', '12:34:56'],
    ['-838:59:59.000001', '-838:59:59.000001'],
    ['100:00:00', '100:00:00'],
  ])('normalises %s to %s', (raw, expected) => {
    expect(readTime(raw)).toBe(expected);
  });
});

describe('readFloat', () => {
  it.each([
    [1.100000023841858, 1.1],
    [1.1, 1.1],
    [3.4028234663852886e38, 3.4028235e38],
    [-0.10000000149011612, -0.1],
    [0, 0],
    // A negative zero stays negative, as on every provider (core's shortestSingle).
    ['-0', -0],
    [16777216, 16777216],
  ])('reads the float %s as %s', (raw, expected) => {
    expect(readFloat(raw)).toBe(expected);
  });
});

describe('integer and bit readers', () => {
  it('reads BIGINT text as bigint', () => {
    expect(readBigInt('-9223372036854775808')).toBe(-9223372036854775808n);
    expect(readBigInt('18446744073709551615')).toBe(18446744073709551615n);
    expect(readBigInt(42)).toBe(42n);
  });

  it('reads TINYINT(1) and BIT(1) as boolean', () => {
    expect(readTinyBoolean(0)).toBe(false);
    expect(readTinyBoolean(1)).toBe(true);
    expect(readTinyBoolean(-1)).toBe(true);
    expect(readBitBoolean(Buffer.from([1]))).toBe(true);
    expect(readBitBoolean(Buffer.from([0]))).toBe(false);
  });

  it('reads BIT(n) as an unsigned bigint', () => {
    expect(readBitBigInt(Buffer.from([0x01, 0x02]))).toBe(258n);
    expect(readBitBigInt(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]))).toBe(2n ** 64n - 1n);
  });
});
