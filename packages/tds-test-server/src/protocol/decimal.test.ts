import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bytesToMagnitude,
  magnitudeToBytes,
  moneyFromHalves,
  moneyHalves,
  scaledIntegerToString,
  toScaledInteger,
} from './decimal.js';
import { ValueEncodeError } from './value-error.js';

describe('decimal arithmetic', () => {
  it('scales decimal strings exactly, rounding half away from zero', () => {
    expect(toScaledInteger('12.345', 2)).toBe(1235n);
    expect(toScaledInteger('-12.345', 2)).toBe(-1235n);
    expect(toScaledInteger('-12.344', 2)).toBe(-1234n);
    expect(toScaledInteger('.5', 0)).toBe(1n);
    expect(toScaledInteger('7.', 3)).toBe(7000n);
    expect(toScaledInteger('1.5e3', 0)).toBe(1500n);
    expect(toScaledInteger('12345678901234567890123456789012345678', 0)).toBe(12345678901234567890123456789012345678n);
    expect(toScaledInteger(0.1, 4)).toBe(1000n);
    expect(toScaledInteger(1e-7, 7)).toBe(1n);
    expect(toScaledInteger(5n, 2)).toBe(500n);
    expect(() => toScaledInteger('abc', 2)).toThrow(ValueEncodeError);
    expect(() => toScaledInteger('.', 2)).toThrow(ValueEncodeError);
    expect(() => toScaledInteger(Number.NaN, 2)).toThrow(ValueEncodeError);
  });

  it('prints scaled integers with exactly `scale` digits and no negative zero', () => {
    expect(scaledIntegerToString(-5n, 3)).toBe('-0.005');
    expect(scaledIntegerToString(0n, 2)).toBe('0.00');
    expect(scaledIntegerToString(123n, 0)).toBe('123');
  });

  it('round-trips any decimal through string and bytes', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 38n) + 1n, max: 10n ** 38n - 1n }),
        fc.integer({ min: 0, max: 38 }),
        (scaled, scale) => {
          const text = scaledIntegerToString(scaled, scale);
          expect(toScaledInteger(text, scale)).toBe(scaled);
          const magnitude = scaled < 0n ? -scaled : scaled;
          expect(bytesToMagnitude(magnitudeToBytes(magnitude, 16, 'x'))).toBe(magnitude);
        },
      ),
    );
  });

  it('refuses a magnitude that does not fit its bytes', () => {
    expect(() => magnitudeToBytes(2n ** 32n, 4, 'column d')).toThrow(/column d does not fit in 32 bits/);
  });

  it('splits money into high and low halves and back, at the int64 limits', () => {
    for (const value of [0n, 1n, -1n, 123456789n, -(2n ** 63n), 2n ** 63n - 1n]) {
      const { high, low } = moneyHalves(value);
      expect(moneyFromHalves(high, low)).toBe(value);
    }
    expect(() => moneyHalves(2n ** 63n)).toThrow(ValueEncodeError);
  });
});
