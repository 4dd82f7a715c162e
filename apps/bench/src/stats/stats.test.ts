import { describe, expect, it } from 'vitest';
import { median, p99, percentile, perSecond, ratio } from './stats.js';

describe('median', () => {
  it('takes the middle value of an odd count, whatever the order', () => {
    expect(median([5, 1, 3])).toBe(3);
  });
  it('averages the two middle values of an even count', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
  it('is the value itself for one value, and does not reorder the input', () => {
    const values = [3, 1, 2];
    expect(median([7])).toBe(7);
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });
  it('refuses an empty list and non-finite values', () => {
    expect(() => median([])).toThrow(RangeError);
    expect(() => median([1, Number.NaN])).toThrow(RangeError);
  });
});

describe('percentile', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
  it('p99 of 1..100 is 99 and p100 is the maximum (nearest rank)', () => {
    expect(p99(hundred)).toBe(99);
    expect(percentile(hundred, 100)).toBe(100);
  });
  it('never interpolates: it returns an observed value', () => {
    expect(p99([1, 2, 1000])).toBe(1000);
    expect(percentile([10, 20], 50)).toBe(10);
  });
  it('p0 is the minimum and out-of-range percentiles are refused', () => {
    expect(percentile([3, 1, 2], 0)).toBe(1);
    expect(() => percentile([1], 101)).toThrow(RangeError);
    expect(() => percentile([1], -1)).toThrow(RangeError);
  });
  it('p99 of 1000 values picks the 990th smallest', () => {
    const values = Array.from({ length: 1000 }, (_, i) => 1000 - i);
    expect(p99(values)).toBe(990);
  });
});

describe('ratio', () => {
  it('is asyncdb / raw when higher is better (throughput)', () => {
    expect(ratio(900, 1000, 'higher')).toBeCloseTo(0.9);
  });
  it('is raw / asyncdb when lower is better (memory, latency, time)', () => {
    expect(ratio(50, 400, 'lower')).toBe(8);
    expect(ratio(200, 100, 'lower')).toBe(0.5);
  });
  it('handles zeros without NaN', () => {
    expect(ratio(0, 0, 'higher')).toBe(1);
    expect(ratio(5, 0, 'higher')).toBe(Infinity);
  });
});

describe('perSecond', () => {
  it('converts a count and milliseconds into a rate', () => {
    expect(perSecond(20_000, 2_000)).toBe(10_000);
    expect(perSecond(1, 0)).toBe(Infinity);
  });
});
