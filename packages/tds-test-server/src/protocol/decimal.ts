import { ValueEncodeError } from './value-error.js';

/**
 * Exact decimal arithmetic for decimal/numeric and money. Values cross the seam as decimal strings,
 * so they are scaled into integers (bigint) here, never through a floating-point number.
 */

/** Bytes of a decimal/numeric magnitude, chosen by precision as SQL Server does. */
export function decimalMagnitudeBytes(precision: number): 4 | 8 | 12 | 16 {
  if (precision <= 9) return 4;
  if (precision <= 19) return 8;
  if (precision <= 28) return 12;
  return 16;
}

/**
 * Parses a decimal (string, number or bigint) into an integer scaled by 10^scale, rounding half away
 * from zero when it has more fractional digits than `scale`.
 */
export function toScaledInteger(value: string | number | bigint, scale: number): bigint {
  if (typeof value === 'bigint') return value * 10n ** BigInt(scale);
  const text = typeof value === 'number' ? numberToText(value) : value.trim();
  const match = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) {
    throw new ValueEncodeError(`'${text}' is not a decimal number`);
  }
  const negative = match[1] === '-';
  const digits = (match[2] ?? '') + (match[3] ?? '');
  // Position of the decimal point counted from the right end of `digits`, after the exponent.
  const fractionDigits = (match[3] ?? '').length - Number(match[4] ?? '0');
  let magnitude: bigint;
  const shift = scale - fractionDigits;
  if (shift >= 0) {
    magnitude = BigInt(digits || '0') * 10n ** BigInt(shift);
  } else {
    const divisor = 10n ** BigInt(-shift);
    const whole = BigInt(digits || '0');
    magnitude = whole / divisor;
    if ((whole % divisor) * 2n >= divisor) magnitude += 1n;
  }
  return negative ? -magnitude : magnitude;
}

function numberToText(value: number): string {
  if (!Number.isFinite(value)) throw new ValueEncodeError(`${value} is not a finite number`);
  return String(value);
}

/** An integer scaled by 10^scale → the exact decimal string with `scale` fractional digits. */
export function scaledIntegerToString(value: bigint, scale: number): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(scale + 1, '0');
  const text =
    scale === 0 ? digits : `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
  return negative ? `-${text}` : text;
}

/** Writes the magnitude of a scaled integer into `bytes` little-endian bytes; throws when it does not fit. */
export function magnitudeToBytes(magnitude: bigint, bytes: number, what: string): Buffer {
  let rest = magnitude < 0n ? -magnitude : magnitude;
  const out = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i++) {
    out[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  if (rest !== 0n) throw new ValueEncodeError(`${what} does not fit in ${bytes * 8} bits`);
  return out;
}

/** Little-endian magnitude bytes → bigint. */
export function bytesToMagnitude(bytes: Buffer): bigint {
  let value = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i]!);
  return value;
}

/** The number of decimal digits of a magnitude (for precision checks). */
export function digitCount(value: bigint): number {
  return (value < 0n ? -value : value).toString().length;
}

/** money is an int64 of ten-thousandths: high 32 bits first, then low 32 bits. */
export const MONEY_SCALE = 4;

/** A scaled money integer → the two 32-bit halves TDS writes (high signed, low unsigned). */
export function moneyHalves(scaled: bigint): { high: number; low: number } {
  if (scaled < -(2n ** 63n) || scaled >= 2n ** 63n) throw new ValueEncodeError('money value out of range');
  const unsigned = BigInt.asUintN(64, scaled);
  return { high: Number(BigInt.asIntN(32, unsigned >> 32n)), low: Number(unsigned & 0xffffffffn) };
}

/** The two 32-bit halves of money → the scaled integer. */
export function moneyFromHalves(high: number, low: number): bigint {
  return (BigInt(high) << 32n) + BigInt(low >>> 0);
}
