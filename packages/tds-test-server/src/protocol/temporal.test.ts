import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  dateStringToDays,
  dateTime2ToDate,
  dateTimeToDate,
  dateToDateTime,
  dateToDateTime2,
  daysToDateString,
  scaledToTimeString,
  ticksToScaled,
  timeStringToTicks,
} from './temporal.js';
import { ValueEncodeError } from './value-error.js';

describe('temporal conversions', () => {
  it('counts days from 0001-01-01, as SQL Server does', () => {
    expect(dateStringToDays('0001-01-01')).toBe(0);
    expect(dateStringToDays('2000-01-01')).toBe(730119);
    expect(dateStringToDays('9999-12-31')).toBe(3652058);
    expect(daysToDateString(730119)).toBe('2000-01-01');
    expect(() => dateStringToDays('2024-1-1')).toThrow(ValueEncodeError);
  });

  it('round-trips every date of the SQL Server range', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3652058 }), (days) => {
        expect(dateStringToDays(daysToDateString(days))).toBe(days);
      }),
    );
  });

  it('parses times and rounds them to the column scale', () => {
    expect(timeStringToTicks('13:14:15.1234567')).toBe(((13 * 60 + 14) * 60 + 15) * 1e7 + 1234567);
    expect(timeStringToTicks('00:00')).toBe(0);
    expect(ticksToScaled(timeStringToTicks('00:00:01.25'), 1)).toBe(13); // 1.3 s at scale 1 (half away from zero)
    expect(ticksToScaled(timeStringToTicks('23:59:59.9999999'), 0)).toBe(86399); // never rounds past midnight
    expect(scaledToTimeString(123, 2)).toBe('00:00:01.23');
    expect(scaledToTimeString(86399, 0)).toBe('23:59:59');
    expect(() => timeStringToTicks('24:00:00')).toThrow(ValueEncodeError);
    expect(() => timeStringToTicks('noon')).toThrow(ValueEncodeError);
  });

  it('round-trips any time at every scale', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 7 }), fc.integer({ min: 0, max: 863_999_999_999 }), (scale, ticks) => {
        const scaled = ticksToScaled(ticks, scale);
        expect(ticksToScaled(timeStringToTicks(scaledToTimeString(scaled, scale)), scale)).toBe(scaled);
      }),
    );
  });

  it('splits a Date into datetime2 days and time, carrying into the next day', () => {
    expect(dateToDateTime2(new Date('2000-01-01T00:00:00.001Z'), 3)).toEqual({ days: 730119, time: 1 });
    expect(dateToDateTime2(new Date('2000-01-01T23:59:59.999Z'), 0)).toEqual({ days: 730120, time: 0 });
    expect(dateTime2ToDate(730119, 12345678, 7)).toEqual(new Date('2000-01-01T00:00:01.234Z'));
    expect(() => dateToDateTime2(new Date(Number.NaN), 7)).toThrow(ValueEncodeError);
  });

  it('converts legacy datetime in 1/300 s ticks', () => {
    expect(dateToDateTime(new Date('1900-01-01T00:00:01Z'))).toEqual({ days: 0, ticks: 300 });
    expect(dateToDateTime(new Date('1899-12-31T00:00:00Z'))).toEqual({ days: -1, ticks: 0 });
    expect(dateTimeToDate(1, 150)).toEqual(new Date('1900-01-02T00:00:00.500Z'));
  });
});
