import type { ValueSample } from '../conformance-fixture.js';

const instant = (iso: string): Date => new Date(iso);

/** Samples of a `date` column over the years 1 to 9999, read as `YYYY-MM-DD` strings. */
export const DATE_SAMPLES: readonly ValueSample[] = [
  { kind: 'typical', literal: "'2024-02-29'", expected: '2024-02-29' },
  { kind: 'min', literal: "'0001-01-01'", expected: '0001-01-01' },
  { kind: 'max', literal: "'9999-12-31'", expected: '9999-12-31' },
];

/** Samples of a `time` column with microseconds, read as `HH:MM:SS[.ffffff]` strings. */
export const TIME_SAMPLES: readonly ValueSample[] = [
  { kind: 'typical', literal: "'13:45:30'", expected: '13:45:30' },
  { kind: 'min', literal: "'00:00:00'", expected: '00:00:00' },
  { kind: 'max', literal: "'23:59:59.999999'", expected: '23:59:59.999999' },
];

/**
 * Samples of a date-and-time column without time zone over the years 1 to 9999 with milliseconds (`timestamp`,
 * `datetime2(3)`), written in ISO 8601 and read as the `Date` of that wall-clock time in UTC.
 */
export const DATETIME_SAMPLES: readonly ValueSample[] = [
  { kind: 'typical', literal: "'2024-02-29T13:45:30.123'", expected: instant('2024-02-29T13:45:30.123Z') },
  { kind: 'min', literal: "'0001-01-01T00:00:00'", expected: instant('0001-01-01T00:00:00.000Z') },
  { kind: 'max', literal: "'9999-12-31T23:59:59.999'", expected: instant('9999-12-31T23:59:59.999Z') },
];

/**
 * Samples of a date-and-time column with a time-zone offset (`timestamptz`, `datetimeoffset(3)`), written in ISO 8601
 * and read as the `Date` of that instant.
 */
export const DATETIME_OFFSET_SAMPLES: readonly ValueSample[] = [
  { kind: 'with offset', literal: "'2024-02-29T15:45:30.123+02:00'", expected: instant('2024-02-29T13:45:30.123Z') },
  { kind: 'epoch', literal: "'1970-01-01T00:00:00+00:00'", expected: instant('1970-01-01T00:00:00.000Z') },
];
