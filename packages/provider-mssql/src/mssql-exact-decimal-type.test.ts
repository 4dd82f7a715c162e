import { describe, expect, it } from 'vitest';
import { ArgumentError, OverflowError } from '@asyncdb/core';
import { EXACT_DECIMAL, decimalShape, parseDecimal, toUnscaledDecimal } from './mssql-exact-decimal-type.js';

function wire(value: bigint | null, precision: number, scale: number): Buffer {
  const parameter = { value, precision, scale };
  return Buffer.concat([
    EXACT_DECIMAL.generateTypeInfo(parameter, {} as never),
    EXACT_DECIMAL.generateParameterLength(parameter, {} as never),
    ...EXACT_DECIMAL.generateParameterData(parameter, {} as never),
  ]);
}

describe('exact decimal parameters', () => {
  it('parses strings, numbers and bigints exactly', () => {
    expect(parseDecimal('-12.50', 'p')).toEqual({ unscaled: -1250n, scale: 2 });
    expect(parseDecimal(' +.5 ', 'p')).toEqual({ unscaled: 5n, scale: 1 });
    expect(parseDecimal('1.5e3', 'p')).toEqual({ unscaled: 1500n, scale: 0 });
    expect(parseDecimal('1e-3', 'p')).toEqual({ unscaled: 1n, scale: 3 });
    expect(parseDecimal(0.1, 'p')).toEqual({ unscaled: 1n, scale: 1 });
    expect(parseDecimal(12345678901234567890123n, 'p')).toEqual({ unscaled: 12345678901234567890123n, scale: 0 });
  });

  it.each(['', 'abc', '1.2.3', '--1', Number.NaN, Number.POSITIVE_INFINITY, {}])(
    'refuses %j with ArgumentError',
    (value) => {
      expect(() => parseDecimal(value, 'p')).toThrow(ArgumentError);
    },
  );

  it('rescales, rounding half away from zero, and refuses values that do not fit', () => {
    expect(toUnscaledDecimal({ unscaled: 125n, scale: 2 }, 10, 1, 'p')).toBe(13n);
    expect(toUnscaledDecimal({ unscaled: -125n, scale: 2 }, 10, 1, 'p')).toBe(-13n);
    expect(toUnscaledDecimal({ unscaled: 124n, scale: 2 }, 10, 1, 'p')).toBe(12n);
    expect(toUnscaledDecimal({ unscaled: 5n, scale: 0 }, 10, 3, 'p')).toBe(5000n);
    expect(() => toUnscaledDecimal({ unscaled: 100n, scale: 0 }, 2, 0, 'p')).toThrow(OverflowError);
  });

  it('declares the parameter precision and scale, else 38 and the value scale', () => {
    expect(decimalShape({ unscaled: 1n, scale: 3 }, 0, 0)).toEqual({ precision: 38, scale: 3 });
    expect(decimalShape({ unscaled: 1n, scale: 3 }, 10, 2)).toEqual({ precision: 10, scale: 2 });
    expect(decimalShape(undefined, 0, 4)).toEqual({ precision: 38, scale: 4 });
    expect(
      EXACT_DECIMAL.declaration({ name: 'p', type: EXACT_DECIMAL, value: 1n, output: false, precision: 20, scale: 4 }),
    ).toBe('decimal(20, 4)');
  });

  it('writes the DECIMALN wire format: type info, length, sign and magnitude by precision', () => {
    expect([...wire(1234n, 9, 2)]).toEqual([0x6a, 5, 9, 2, 5, 1, 0xd2, 0x04, 0, 0]);
    expect([...wire(-1n, 19, 0)]).toEqual([0x6a, 9, 19, 0, 9, 0, 1, 0, 0, 0, 0, 0, 0, 0]);
    const big = wire(10n ** 38n - 1n, 38, 0);
    expect(big.length).toBe(4 + 1 + 17);
    let magnitude = 0n;
    for (let i = 16; i >= 1; i -= 1) magnitude = (magnitude << 8n) | BigInt(big[5 + i]!);
    expect(magnitude).toBe(10n ** 38n - 1n);
    expect([...wire(null, 38, 4)]).toEqual([0x6a, 17, 38, 4, 0]);
  });
});
