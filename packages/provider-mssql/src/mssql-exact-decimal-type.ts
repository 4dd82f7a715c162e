import { ArgumentError, OverflowError } from '@asyncdb/core';
import type { TediousDataType } from './mssql-tedious.js';

/**
 * An exact `decimal(p, s)` parameter type for tedious. tedious' own Decimal type converts the value to a JS number
 * and writes at most 64 bits, so `'12345678901234567890.12'` would be sent rounded (or not at all). This type
 * implements tedious' public `DataType` contract (the one its TYPES implement) and writes the DECIMALN wire format
 * from a bigint: sign byte, then the unscaled magnitude little-endian in 4, 8, 12 or 16 bytes by precision.
 * The parameter's value is the unscaled bigint, already rounded to the declared scale by {@link toUnscaledDecimal}.
 */

/** The largest precision SQL Server accepts. */
export const MAX_DECIMAL_PRECISION = 38;

const DECIMALN_ID = 0x6a;

/** A decimal number as an unscaled integer and a scale: value = unscaled / 10^scale. */
export interface ParsedDecimal {
  readonly unscaled: bigint;
  readonly scale: number;
}

const DECIMAL_TEXT = /^([+-])?(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i;

/**
 * Reads a decimal from a string (`'-12.50'`, `'1e-3'`), a finite number or a bigint, exactly.
 * @throws {ArgumentError} when the value is not a decimal number.
 */
export function parseDecimal(value: unknown, parameterName: string): ParsedDecimal {
  if (typeof value === 'bigint') return { unscaled: value, scale: 0 };
  const text =
    typeof value === 'number' && Number.isFinite(value)
      ? String(value)
      : typeof value === 'string'
        ? value.trim()
        : undefined;
  const match = text === undefined ? null : DECIMAL_TEXT.exec(text);
  const [, sign, integer = '', fraction = '', exponentText] = match ?? [];
  if (!match || integer + fraction === '') {
    throw new ArgumentError(`The parameter '@${parameterName}' is not a decimal number.`, parameterName);
  }
  const exponent = exponentText === undefined ? 0 : Number(exponentText);
  let unscaled = BigInt(integer + fraction);
  let scale = fraction.length - exponent;
  if (scale < 0) {
    unscaled *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { unscaled: sign === '-' ? -unscaled : unscaled, scale };
}

/** The number of decimal digits of |value|. */
function digitCount(value: bigint): number {
  return (value < 0n ? -value : value).toString().length;
}

/**
 * Rescales a decimal to `scale` digits (rounding half away from zero, as SQL Server converts) and checks that it fits
 * `decimal(precision, scale)`.
 * @throws {OverflowError} when it does not fit.
 */
export function toUnscaledDecimal(
  decimal: ParsedDecimal,
  precision: number,
  scale: number,
  parameterName: string,
): bigint {
  let unscaled = decimal.unscaled;
  if (decimal.scale < scale) {
    unscaled *= 10n ** BigInt(scale - decimal.scale);
  } else if (decimal.scale > scale) {
    const divisor = 10n ** BigInt(decimal.scale - scale);
    const quotient = unscaled / divisor;
    const remainder = unscaled % divisor;
    const roundsAway = (remainder < 0n ? -remainder : remainder) * 2n >= divisor;
    unscaled = roundsAway ? quotient + (unscaled < 0n ? -1n : 1n) : quotient;
  }
  if (unscaled !== 0n && digitCount(unscaled) > precision) {
    throw new OverflowError(`The value of parameter '@${parameterName}' does not fit decimal(${precision}, ${scale}).`);
  }
  return unscaled;
}

/**
 * The precision and scale to declare for a decimal parameter: the parameter's own when set (scale alone keeps
 * precision 38), else precision 38 and the value's scale (so one plan serves values of the same scale).
 */
export function decimalShape(
  decimal: ParsedDecimal | undefined,
  precision: number,
  scale: number,
): { precision: number; scale: number } {
  if (precision > 0)
    return { precision: Math.min(precision, MAX_DECIMAL_PRECISION), scale: Math.min(scale, precision) };
  const valueScale = scale > 0 ? scale : (decimal?.scale ?? 0);
  return { precision: MAX_DECIMAL_PRECISION, scale: Math.min(valueScale, MAX_DECIMAL_PRECISION) };
}

function wireLength(precision: number): number {
  if (precision <= 9) return 5;
  if (precision <= 19) return 9;
  if (precision <= 28) return 13;
  return 17;
}

interface DecimalParameter {
  readonly value: unknown;
  readonly precision?: number | undefined;
  readonly scale?: number | undefined;
}

const precisionOf = (parameter: DecimalParameter): number => parameter.precision ?? MAX_DECIMAL_PRECISION;
const scaleOf = (parameter: DecimalParameter): number => parameter.scale ?? 0;

/** The exact decimal parameter type (value: the unscaled bigint, or null). */
export const EXACT_DECIMAL: TediousDataType = {
  id: DECIMALN_ID,
  type: 'DECIMALN',
  name: 'DecimalN',
  declaration: (parameter) => `decimal(${precisionOf(parameter)}, ${scaleOf(parameter)})`,
  resolvePrecision: (parameter) => precisionOf(parameter),
  resolveScale: (parameter) => scaleOf(parameter),
  generateTypeInfo: (parameter) =>
    Buffer.from([DECIMALN_ID, wireLength(precisionOf(parameter)), precisionOf(parameter), scaleOf(parameter)]),
  generateParameterLength: (parameter) =>
    Buffer.from([parameter.value === null || parameter.value === undefined ? 0 : wireLength(precisionOf(parameter))]),
  *generateParameterData(parameter) {
    if (parameter.value === null || parameter.value === undefined) return;
    const unscaled = parameter.value as bigint;
    const buffer = Buffer.alloc(wireLength(precisionOf(parameter)));
    buffer.writeUInt8(unscaled < 0n ? 0 : 1, 0);
    let magnitude = unscaled < 0n ? -unscaled : unscaled;
    for (let i = 1; i < buffer.length && magnitude > 0n; i += 1) {
      buffer.writeUInt8(Number(magnitude & 0xffn), i);
      magnitude >>= 8n;
    }
    yield buffer;
  },
  validate: (value: unknown) => value ?? null,
};
