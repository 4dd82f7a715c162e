import { describe, expect, it } from 'vitest';
import { decodeExactDecimal, enableExactDecimals, formatScaled } from './mssql-exact-decimal-reader.js';

/** DECIMALN bytes: length, sign, magnitude little-endian in 4/8/12/16 bytes. */
function decimalBytes(unscaled: bigint, width: 4 | 8 | 12 | 16): Buffer {
  const buffer = Buffer.alloc(2 + width);
  buffer.writeUInt8(1 + width, 0);
  buffer.writeUInt8(unscaled < 0n ? 0 : 1, 1);
  let magnitude = unscaled < 0n ? -unscaled : unscaled;
  for (let i = 0; i < width; i += 1) {
    buffer.writeUInt8(Number(magnitude & 0xffn), 2 + i);
    magnitude >>= 8n;
  }
  return buffer;
}

function moneyBytes(tenThousandths: bigint): Buffer {
  const buffer = Buffer.alloc(8);
  buffer.writeInt32LE(Number(BigInt.asIntN(32, tenThousandths >> 32n)), 0);
  buffer.writeUInt32LE(Number(BigInt.asUintN(32, tenThousandths)), 4);
  return buffer;
}

describe('decodeExactDecimal', () => {
  it('decodes decimal(38, s) beyond double precision exactly', () => {
    const max = 10n ** 38n - 1n;
    expect(decodeExactDecimal({ type: { name: 'DecimalN' }, scale: 10 }, decimalBytes(max, 16), 0)).toBe(
      '9999999999999999999999999999.9999999999',
    );
    expect(
      decodeExactDecimal({ type: { name: 'NumericN' }, scale: 4 }, decimalBytes(-12345678901234567891n, 12), 0),
    ).toBe('-1234567890123456.7891');
    expect(decodeExactDecimal({ type: { name: 'DecimalN' }, scale: 2 }, decimalBytes(5n, 4), 0)).toBe('0.05');
    expect(decodeExactDecimal({ type: { name: 'DecimalN' }, scale: 0 }, decimalBytes(0n, 4), 0)).toBe('0');
  });

  it('decodes money and smallmoney with four decimals', () => {
    expect(decodeExactDecimal({ type: { name: 'Money' } }, moneyBytes(9223372036854775807n), 0)).toBe(
      '922337203685477.5807',
    );
    expect(decodeExactDecimal({ type: { name: 'Money' } }, moneyBytes(-9223372036854775808n), 0)).toBe(
      '-922337203685477.5808',
    );
    const smallMoney = Buffer.alloc(4);
    smallMoney.writeInt32LE(-100);
    expect(decodeExactDecimal({ type: { name: 'SmallMoney' } }, smallMoney, 0)).toBe('-0.0100');
    expect(
      decodeExactDecimal({ type: { name: 'MoneyN' } }, Buffer.concat([Buffer.from([8]), moneyBytes(12345600n)]), 0),
    ).toBe('1234.5600');
    expect(decodeExactDecimal({ type: { name: 'MoneyN' } }, Buffer.concat([Buffer.from([4]), smallMoney]), 0)).toBe(
      '-0.0100',
    );
  });

  it('leaves NULL and other types alone', () => {
    expect(decodeExactDecimal({ type: { name: 'DecimalN' }, scale: 2 }, Buffer.from([0]), 0)).toBeUndefined();
    expect(decodeExactDecimal({ type: { name: 'IntN' } }, Buffer.from([4, 1, 0, 0, 0]), 0)).toBeUndefined();
  });

  it('formatScaled pads to the scale', () => {
    expect(formatScaled(-5n, 3)).toBe('-0.005');
    expect(formatScaled(12n, 0)).toBe('12');
  });

  it("wraps tedious' value parser (the integration tests check values through it end to end)", () => {
    expect(enableExactDecimals({})).toBe(true);
  });
});
