/**
 * Reading PostgreSQL's text output of `timestamp` and `timestamptz` (DateStyle ISO, which `RESET ALL` restores)
 * into `Date`s. Written out rather than handed to `Date.parse`, which reads a zone-less timestamp as local time and
 * does not know years before 1 AD.
 */

const TIMESTAMP =
  /^(\d{4,})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(?:([+-])(\d{2})(?::?(\d{2}))?(?::?(\d{2}))?)?( BC)?$/;

function fromParts(match: RegExpExecArray, zoned: boolean): Date {
  const [, y, mo, d, h, mi, s, fraction = '', sign, zh = '0', zm = '0', zs = '0', bc] = match;
  let year = Number(y);
  // 1 BC is year 0 in the proleptic Gregorian calendar ECMAScript uses.
  if (bc) year = 1 - year;
  const milliseconds = Number(fraction.padEnd(3, '0').slice(0, 3));
  const date = new Date(0);
  date.setUTCFullYear(year, Number(mo) - 1, Number(d));
  date.setUTCHours(Number(h), Number(mi), Number(s), milliseconds);
  if (zoned && sign) {
    const offsetSeconds = Number(zh) * 3600 + Number(zm) * 60 + Number(zs);
    date.setTime(date.getTime() - (sign === '-' ? -1 : 1) * offsetSeconds * 1000);
  }
  return date;
}

function special(text: string): Date | undefined {
  // ±infinity have no Date; an invalid Date (NaN time) is the closest thing that is still a Date.
  if (text === 'infinity' || text === '-infinity') return new Date(Number.NaN);
  return undefined;
}

/** Reads a `timestamp` (without time zone) as a UTC wall-clock time (docs/values.md). Microseconds are truncated. */
export function parseTimestamp(text: string): Date {
  const match = TIMESTAMP.exec(text);
  if (match) return fromParts(match, false);
  return special(text) ?? new Date(Number.NaN);
}

/** Reads a `timestamptz` (which the server prints in the session time zone, with its offset). */
export function parseTimestampTz(text: string): Date {
  const match = TIMESTAMP.exec(text);
  if (match) return fromParts(match, true);
  return special(text) ?? new Date(Number.NaN);
}

/**
 * Formats a Date for a `timestamp`/`timestamptz` parameter: ISO 8601 in UTC with `Z`, so that PostgreSQL reads the
 * exact instant into `timestamptz` and the UTC wall-clock time into `timestamp`. Years outside 1–9999 are written
 * the PostgreSQL way (`…-01-01 00:00:00Z BC`, five-digit years), which `toISOString` cannot.
 */
export function formatTimestamp(date: Date): string {
  const year = date.getUTCFullYear();
  if (year >= 1 && year <= 9999) return date.toISOString();
  const bc = year < 1;
  const printedYear = String(bc ? 1 - year : year).padStart(4, '0');
  const rest = date.toISOString().replace(/^[+-]?\d+-/, '');
  const [monthDay = '', time = ''] = rest.split('T');
  return `${printedYear}-${monthDay} ${time}${bc ? ' BC' : ''}`;
}
