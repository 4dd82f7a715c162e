import { describeValue } from './same-value.js';

/**
 * An integer read from the server as a `number`. Integer literals are 32-bit on some engines and 64-bit on others
 * (`SELECT 1` is BIGINT on MySQL), so portable checks accept a `number` or a `bigint` — but nothing else: a string
 * '1' is a conformance failure, not a match.
 * @internal
 */
export function asInteger(value: unknown): number {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'bigint') return Number(value);
  throw new Error(`Expected an integer (number or bigint), got ${describeValue(value)}`);
}
