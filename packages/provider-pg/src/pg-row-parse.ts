import type { PgValueParser } from './pg-type-parsers.js';

/**
 * One DataRow's text values turned into JavaScript values by the result's parsers (SQL NULL stays `null`). Shared by
 * the cursor of a session and the multiplexed cursor, which read the same row stream.
 * @internal
 */
export function parsePgRow(values: ReadonlyArray<string | null>, parsers: readonly PgValueParser[]): unknown[] {
  const row = new Array<unknown>(values.length);
  for (let i = 0; i < values.length; i += 1) {
    const value = values[i];
    row[i] = value === null || value === undefined ? null : parsers[i]!(value);
  }
  return row;
}
