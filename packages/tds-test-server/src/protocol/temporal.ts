import { ProtocolError } from './protocol-error.js';
import { ValueEncodeError } from './value-error.js';

/**
 * Conversions between the seam's temporal values and TDS's storage: dates as days since 0001-01-01
 * (3 bytes), times as units of 10^-scale seconds since midnight (3–5 bytes), legacy datetime as days
 * since 1900-01-01 plus 1/300-second ticks. All arithmetic is in UTC.
 */

const MS_PER_DAY = 86_400_000;
const TICKS_PER_DAY = 864_000_000_000; // 100-ns units
/** Milliseconds from 1970-01-01 back to 0001-01-01 (proleptic Gregorian, as SQL Server counts). */
const EPOCH_0001_MS = utcMs(1, 1, 1);
const EPOCH_1900_MS = utcMs(1900, 1, 1);

function utcMs(year: number, month: number, day: number): number {
  // Date.UTC maps years 0–99 to 1900–1999, so the year is set separately.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(0, 0, 0, 0);
  return date.getTime();
}

/** Bytes a time value takes at a given fractional-second scale (0–7). */
export function timeByteLength(scale: number): 3 | 4 | 5 {
  if (scale <= 2) return 3;
  if (scale <= 4) return 4;
  return 5;
}

/** Checks a fractional-second scale read from the wire. */
export function checkScale(scale: number): number {
  if (!Number.isInteger(scale) || scale < 0 || scale > 7) throw new ProtocolError(`time scale ${scale} is not 0–7`);
  return scale;
}

/** 'YYYY-MM-DD' → days since 0001-01-01. */
export function dateStringToDays(value: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) throw new ValueEncodeError(`'${value}' is not a date (YYYY-MM-DD)`);
  return Math.round((utcMs(Number(match[1]), Number(match[2]), Number(match[3])) - EPOCH_0001_MS) / MS_PER_DAY);
}

/** Days since 0001-01-01 → 'YYYY-MM-DD'. */
export function daysToDateString(days: number): string {
  return new Date(EPOCH_0001_MS + days * MS_PER_DAY).toISOString().slice(0, 10);
}

/** A Date's UTC day → days since 0001-01-01. */
export function dateToDays(value: Date): number {
  return Math.floor((value.getTime() - EPOCH_0001_MS) / MS_PER_DAY);
}

/** 'HH:MM:SS[.fffffff]' → 100-ns ticks since midnight. */
export function timeStringToTicks(value: string): number {
  const match = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/.exec(value);
  if (!match) throw new ValueEncodeError(`'${value}' is not a time (HH:MM:SS[.fffffff])`);
  const [, hours, minutes, seconds = '0', fraction = ''] = match;
  const fractionTicks = Math.round(Number((fraction + '000000000').slice(0, 9)) / 100);
  const ticks = ((Number(hours) * 60 + Number(minutes)) * 60 + Number(seconds)) * 10_000_000 + fractionTicks;
  if (ticks >= TICKS_PER_DAY) throw new ValueEncodeError(`'${value}' is not a time of day`);
  return ticks;
}

/** 100-ns ticks → the integer TDS stores at `scale`, rounded, capped at the last instant of the day. */
export function ticksToScaled(ticks: number, scale: number): number {
  const divisor = 10 ** (7 - scale);
  const scaled = Math.round(ticks / divisor);
  const limit = TICKS_PER_DAY / divisor;
  return scaled >= limit ? limit - 1 : scaled;
}

/** The integer TDS stores at `scale` → 'HH:MM:SS[.f…]' with exactly `scale` fractional digits. */
export function scaledToTimeString(scaled: number, scale: number): string {
  const ticks = scaled * 10 ** (7 - scale);
  const totalSeconds = Math.floor(ticks / 10_000_000);
  const hh = String(Math.floor(totalSeconds / 3600)).padStart(2, '0');
  const mm = String(Math.floor((totalSeconds % 3600) / 60)).padStart(2, '0');
  const ss = String(totalSeconds % 60).padStart(2, '0');
  const base = `${hh}:${mm}:${ss}`;
  if (scale === 0) return base;
  const fraction = String(ticks % 10_000_000)
    .padStart(7, '0')
    .slice(0, scale);
  return `${base}.${fraction}`;
}

/** A Date (UTC) → days since 0001-01-01 and the time of day at `scale`, carrying into the next day when rounding reaches midnight. */
export function dateToDateTime2(value: Date, scale: number): { days: number; time: number } {
  const ms = value.getTime();
  if (Number.isNaN(ms)) throw new ValueEncodeError('invalid Date');
  let days = dateToDays(value);
  const msOfDay = ms - EPOCH_0001_MS - days * MS_PER_DAY;
  let time = Math.round((msOfDay * 10_000) / 10 ** (7 - scale));
  const perDay = TICKS_PER_DAY / 10 ** (7 - scale);
  if (time >= perDay) {
    days += 1;
    time -= perDay;
  }
  if (days < 0 || days > 3_652_058)
    throw new ValueEncodeError(`${value.toISOString()} is outside 0001-01-01..9999-12-31`);
  return { days, time };
}

/** Days since 0001-01-01 and a time at `scale` → a Date (UTC); digits below a millisecond are dropped. */
export function dateTime2ToDate(days: number, time: number, scale: number): Date {
  const ticks = time * 10 ** (7 - scale);
  return new Date(EPOCH_0001_MS + days * MS_PER_DAY + Math.floor(ticks / 10_000));
}

/** A Date (UTC) → legacy datetime: days since 1900-01-01 and 1/300-second ticks. */
export function dateToDateTime(value: Date): { days: number; ticks: number } {
  const ms = value.getTime();
  if (Number.isNaN(ms)) throw new ValueEncodeError('invalid Date');
  let days = Math.floor((ms - EPOCH_1900_MS) / MS_PER_DAY);
  let ticks = Math.round(((ms - EPOCH_1900_MS - days * MS_PER_DAY) * 3) / 10);
  if (ticks >= 25_920_000) {
    days += 1;
    ticks = 0;
  }
  return { days, ticks };
}

/** Legacy datetime → Date (UTC), rounding ticks to milliseconds the way tedious does. */
export function dateTimeToDate(days: number, ticks: number): Date {
  return new Date(EPOCH_1900_MS + days * MS_PER_DAY + Math.round((ticks * 10) / 3));
}

/** smalldatetime (days since 1900-01-01, minutes since midnight) → Date (UTC). */
export function smallDateTimeToDate(days: number, minutes: number): Date {
  return new Date(EPOCH_1900_MS + days * MS_PER_DAY + minutes * 60_000);
}
