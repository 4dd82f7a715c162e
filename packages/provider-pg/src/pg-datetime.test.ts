import { describe, expect, it } from 'vitest';
import { formatTimestamp, parseTimestamp, parseTimestampTz } from './pg-datetime.js';

describe('parseTimestamp', () => {
  it('reads the wall-clock time as UTC, truncating microseconds to milliseconds', () => {
    expect(parseTimestamp('2024-01-02 03:04:05.123456').toISOString()).toBe('2024-01-02T03:04:05.123Z');
    expect(parseTimestamp('2024-01-02 03:04:05').toISOString()).toBe('2024-01-02T03:04:05.000Z');
    expect(parseTimestamp('2024-01-02 03:04:05.5').toISOString()).toBe('2024-01-02T03:04:05.500Z');
  });

  it('reads years before 1 AD and after 9999', () => {
    expect(parseTimestamp('0044-03-15 12:00:00 BC').getUTCFullYear()).toBe(-43);
    expect(parseTimestamp('12345-01-01 00:00:00').getUTCFullYear()).toBe(12345);
  });

  it('reads infinity as an invalid Date', () => {
    expect(parseTimestamp('infinity').getTime()).toBeNaN();
    expect(parseTimestamp('-infinity').getTime()).toBeNaN();
  });
});

describe('parseTimestampTz', () => {
  it.each([
    ['2024-01-02 03:04:05+00', '2024-01-02T03:04:05.000Z'],
    ['2024-01-02 03:04:05.25-05', '2024-01-02T08:04:05.250Z'],
    ['2024-01-02 08:34:05+05:30', '2024-01-02T03:04:05.000Z'],
    ['1900-01-01 00:00:00+00:09:21', '1899-12-31T23:50:39.000Z'],
  ])('reads %s', (text, iso) => {
    expect(parseTimestampTz(text).toISOString()).toBe(iso);
  });
});

describe('formatTimestamp', () => {
  it('writes ISO 8601 with Z', () => {
    expect(formatTimestamp(new Date('2024-05-01T12:00:00.001Z'))).toBe('2024-05-01T12:00:00.001Z');
  });

  it('writes BC and five-digit years the PostgreSQL way', () => {
    const bc = new Date(0);
    bc.setUTCFullYear(-43, 2, 15);
    expect(formatTimestamp(bc)).toBe('0044-03-15 00:00:00.000Z BC');
    expect(formatTimestamp(new Date('+012345-01-01T00:00:00Z'))).toBe('12345-01-01 00:00:00.000Z');
  });
});
