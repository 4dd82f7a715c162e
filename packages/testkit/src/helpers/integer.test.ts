import { describe, expect, it } from 'vitest';
import { asInteger } from './integer.js';

describe('asInteger', () => {
  it('accepts integer numbers and bigints', () => {
    expect(asInteger(1)).toBe(1);
    expect(asInteger(-7n)).toBe(-7);
  });

  it('refuses strings, fractions and null', () => {
    expect(() => asInteger('1')).toThrow('Expected an integer (number or bigint), got "1" (string)');
    expect(() => asInteger(1.5)).toThrow(/got 1.5/);
    expect(() => asInteger(null)).toThrow(/got null/);
  });
});
