import { describe, expect, it } from 'vitest';
import { describeValue, valueDifference } from './same-value.js';

describe('valueDifference', () => {
  it('accepts equal primitives of the same type', () => {
    expect(valueDifference(1, 1)).toBeUndefined();
    expect(valueDifference(1n, 1n)).toBeUndefined();
    expect(valueDifference('a', 'a')).toBeUndefined();
    expect(valueDifference(null, null)).toBeUndefined();
    expect(valueDifference(Number.NaN, Number.NaN)).toBeUndefined();
  });

  it('tells a bigint from a number and a number from a string', () => {
    expect(valueDifference(1, 1n)).toBe('value: expected 1n (bigint), got 1 (number)');
    expect(valueDifference('1', 1)).toBe('value: expected 1 (number), got "1" (string)');
  });

  it('compares Dates by instant', () => {
    expect(valueDifference(new Date('2024-01-01T00:00:00Z'), new Date(Date.UTC(2024, 0, 1)))).toBeUndefined();
    expect(valueDifference('2024-01-01', new Date('2024-01-01T00:00:00Z'))).toMatch(/expected a Date/);
    expect(valueDifference(new Date(1), new Date(2))).toMatch(
      /expected 1970-01-01T00:00:00.002Z, got 1970-01-01T00:00:00.001Z/,
    );
  });

  it('compares bytes as bytes, whatever the view', () => {
    expect(valueDifference(Buffer.from([1, 2]), new Uint8Array([1, 2]))).toBeUndefined();
    expect(valueDifference(new Uint8Array([1, 3]), new Uint8Array([1, 2]))).toMatch(
      /expected bytes \[1,2\], got \[1,3\]/,
    );
    expect(valueDifference([1, 2], new Uint8Array([1, 2]))).toMatch(/expected bytes/);
  });

  it('compares objects by keys regardless of order, and arrays element by element', () => {
    expect(valueDifference({ b: [1, { c: null }], a: 'x' }, { a: 'x', b: [1, { c: null }] })).toBeUndefined();
    expect(valueDifference({ a: 1 }, { a: 1, b: 2 })).toBe('value: expected keys [a, b], got [a]');
    expect(valueDifference({ a: [1, 2] }, { a: [1, 3] })).toBe('value.a[1]: expected 3 (number), got 2 (number)');
    expect(valueDifference([1], { 0: 1 })).toMatch(/expected an object/);
  });
});

describe('describeValue', () => {
  it('names the JS type', () => {
    expect(describeValue(undefined)).toBe('undefined');
    expect(describeValue(true)).toBe('true (boolean)');
    expect(describeValue(new Uint8Array(20))).toMatch(/^bytes \[0,0,.*,…\]$/);
    expect(describeValue({ a: 1 })).toBe('{"a":1} (Object)');
  });
});
