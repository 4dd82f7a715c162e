import { describe, expect, it } from 'vitest';
import { shortestSingle } from './shortest-single.js';

describe('shortestSingle', () => {
  it('gives the shortest decimal that reads back as the same float32', () => {
    expect(shortestSingle(Math.fround(1.1))).toBe(1.1);
    expect(shortestSingle(1.1)).toBe(1.1);
    expect(shortestSingle(Math.fround(123.456))).toBe(123.456);
    expect(shortestSingle(16777217)).toBe(16777216);
  });

  it('round-trips every float32 it returns', () => {
    for (const value of [1.1, 0.1, 16777217, 1e-45, -2.5, 123.456, 3.4028234663852886e38]) {
      const single = Math.fround(value);
      expect(Math.fround(shortestSingle(single))).toBe(single);
    }
  });

  it('returns NaN, infinities and both zeros as they are; beyond the float32 range an infinity', () => {
    expect(shortestSingle(0)).toBe(0);
    expect(Object.is(shortestSingle(-0), -0)).toBe(true);
    expect(shortestSingle(Number.NaN)).toBeNaN();
    expect(shortestSingle(Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
    expect(shortestSingle(-1e39)).toBe(Number.NEGATIVE_INFINITY);
  });
});
