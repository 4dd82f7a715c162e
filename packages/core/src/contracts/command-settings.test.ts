import { describe, expect, it } from 'vitest';
import { ArgumentError } from '../errors/errors.js';
import { checkedTimeoutSeconds } from './command-settings.js';

describe('checkedTimeoutSeconds', () => {
  it.each([
    ['a numeric string', '30', 'string'],
    ['null', null, 'null'],
    ['a bigint', 30n, 'bigint'],
    ['an object', { valueOf: (): number => 30 }, 'object'],
  ])('refuses %s with an ArgumentError naming its type, not a range', (_what, value, type) => {
    const attempt = (): number => checkedTimeoutSeconds(value as unknown as number, 'CommandTimeout');
    expect(attempt).toThrow(ArgumentError);
    expect(attempt).toThrow(`Invalid CommandTimeout value of type ${type}; it must be a number of seconds.`);
    expect(attempt).not.toThrow(/>= 0/);
  });

  it('names the property as the paramName', () => {
    try {
      checkedTimeoutSeconds('5' as unknown as number, 'Timeout');
      expect.unreachable();
    } catch (error) {
      expect((error as ArgumentError).paramName).toBe('timeout');
    }
  });

  it('accepts 0, fractions of a second and Int32.MaxValue; refuses negatives, NaN, Infinity and more', () => {
    expect(checkedTimeoutSeconds(0, 'CommandTimeout')).toBe(0);
    expect(checkedTimeoutSeconds(1.5, 'CommandTimeout')).toBe(1.5);
    expect(checkedTimeoutSeconds(2147483647, 'CommandTimeout')).toBe(2147483647);
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY, 2147483648]) {
      expect(() => checkedTimeoutSeconds(bad, 'CommandTimeout')).toThrow(ArgumentError);
    }
  });
});
