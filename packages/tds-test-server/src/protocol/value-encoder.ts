import type { TdsValue } from '../engine/engine-types.js';
import type { BufferWriter } from './buffer-writer.js';
import { CHARBIN_NULL, DataTypeId as T, PLP_NULL } from './data-type-ids.js';
import { magnitudeToBytes, moneyHalves, MONEY_SCALE, toScaledInteger } from './decimal.js';
import { guidToBytes } from './guid.js';
import {
  dateStringToDays,
  dateToDateTime,
  dateToDateTime2,
  dateToDays,
  ticksToScaled,
  timeByteLength,
  timeStringToTicks,
} from './temporal.js';
import type { WirePlan } from './type-info-encoder.js';
import { ValueEncodeError } from './value-error.js';

/**
 * Writes one value in the layout of its planned type (MS-TDS 2.2.5.5). Values arrive in the seam's
 * representation; a value of the wrong JS type or out of range throws {@link ValueEncodeError}.
 */
export function writeValue(writer: BufferWriter, plan: WirePlan, value: TdsValue): void {
  if (value === null || value === undefined) {
    writeNull(writer, plan);
    return;
  }
  switch (plan.id) {
    case T.IntN:
      writer.u8(plan.length);
      writeInteger(writer, plan, value);
      return;
    case T.BitN:
      writer.u8(1).u8(toBoolean(plan, value) ? 1 : 0);
      return;
    case T.FltN: {
      const number = toNumber(plan, value);
      if (plan.length === 4) writer.u8(4).f32(number);
      else writer.u8(8).f64(number);
      return;
    }
    case T.MoneyN: {
      const { high, low } = moneyHalves(toScaledInteger(decimalInput(plan, value), MONEY_SCALE));
      writer.u8(8).i32(high).u32(low);
      return;
    }
    case T.DecimalN:
    case T.NumericN: {
      const scaled = toScaledInteger(decimalInput(plan, value), plan.scale);
      writer
        .u8(plan.length)
        .u8(scaled < 0n ? 0 : 1)
        .bytes(magnitudeToBytes(scaled, plan.length - 1, `column ${plan.column.name}`));
      return;
    }
    case T.NVarChar:
    case T.NChar:
    case T.Xml:
      writeBytes(writer, plan, Buffer.from(toText(plan, value), 'ucs2'));
      return;
    case T.BigVarChar:
    case T.BigChar:
      writeBytes(writer, plan, Buffer.from(toText(plan, value), 'utf8'));
      return;
    case T.BigVarBinary:
    case T.BigBinary:
      if (!(value instanceof Uint8Array)) throw mismatch(plan, value, 'a Buffer');
      writeBytes(writer, plan, value);
      return;
    case T.DateN:
      writer.u8(3).uintLE(toDays(plan, value), 3);
      return;
    case T.TimeN: {
      const bytes = timeByteLength(plan.scale);
      writer.u8(bytes).uintLE(ticksToScaled(toTicks(plan, value), plan.scale), bytes);
      return;
    }
    case T.DateTime2N: {
      const { days, time } = dateToDateTime2(toDate(plan, value), plan.scale);
      const bytes = timeByteLength(plan.scale);
      writer
        .u8(bytes + 3)
        .uintLE(time, bytes)
        .uintLE(days, 3);
      return;
    }
    case T.DateTimeOffsetN: {
      const { date, offsetMinutes } = toOffsetDate(plan, value);
      const { days, time } = dateToDateTime2(date, plan.scale);
      const bytes = timeByteLength(plan.scale);
      writer
        .u8(bytes + 5)
        .uintLE(time, bytes)
        .uintLE(days, 3)
        .i16(offsetMinutes);
      return;
    }
    case T.DateTimN: {
      const { days, ticks } = dateToDateTime(toDate(plan, value));
      writer.u8(8).i32(days).u32(ticks);
      return;
    }
    case T.Guid:
      if (typeof value !== 'string') throw mismatch(plan, value, 'a string');
      writer.u8(16).bytes(guidToBytes(value));
      return;
    default:
      throw new ValueEncodeError(`cannot encode type 0x${plan.id.toString(16)}`);
  }
}

const TWO_BYTE_LENGTH_TYPES: ReadonlySet<number> = new Set([
  T.NVarChar,
  T.NChar,
  T.BigVarChar,
  T.BigChar,
  T.BigVarBinary,
  T.BigBinary,
]);

function writeNull(writer: BufferWriter, plan: WirePlan): void {
  if (plan.plp) writer.u64(PLP_NULL);
  else if (TWO_BYTE_LENGTH_TYPES.has(plan.id)) writer.u16(CHARBIN_NULL);
  else writer.u8(0);
}

/** Two-byte-length or PLP bytes. A PLP value goes in one chunk: chunk sizes are the sender's choice. */
function writeBytes(writer: BufferWriter, plan: WirePlan, bytes: Uint8Array): void {
  if (plan.plp) {
    writer.u64(BigInt(bytes.length));
    if (bytes.length > 0) writer.u32(bytes.length).bytes(bytes);
    writer.u32(0);
    return;
  }
  if (bytes.length >= CHARBIN_NULL) {
    throw new ValueEncodeError(`column ${plan.column.name}: ${bytes.length} bytes do not fit a non-MAX column`);
  }
  writer.u16(bytes.length).bytes(bytes);
}

const INTEGER_RANGES: Readonly<Record<number, readonly [bigint, bigint]>> = {
  1: [0n, 255n],
  2: [-32768n, 32767n],
  4: [-2147483648n, 2147483647n],
  8: [-(2n ** 63n), 2n ** 63n - 1n],
};

function writeInteger(writer: BufferWriter, plan: WirePlan, value: NonNullable<TdsValue>): void {
  let integer: bigint;
  if (typeof value === 'bigint') integer = value;
  else if (typeof value === 'number' && Number.isInteger(value)) integer = BigInt(value);
  else if (typeof value === 'boolean') integer = value ? 1n : 0n;
  else if (typeof value === 'string' && /^[+-]?\d+$/.test(value.trim())) integer = BigInt(value.trim());
  else throw mismatch(plan, value, 'an integer');
  const [min, max] = INTEGER_RANGES[plan.length]!;
  if (integer < min || integer > max)
    throw new ValueEncodeError(`column ${plan.column.name}: ${integer} is out of range for ${plan.column.type}`);
  if (plan.length === 1) writer.u8(Number(integer));
  else if (plan.length === 2) writer.i16(Number(integer));
  else if (plan.length === 4) writer.i32(Number(integer));
  else writer.i64(integer);
}

function toBoolean(plan: WirePlan, value: NonNullable<TdsValue>): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return value !== 0 && value !== 0n;
  if (typeof value === 'string' && /^(0|1|true|false)$/i.test(value)) return /^(1|true)$/i.test(value);
  throw mismatch(plan, value, 'a boolean');
}

function toNumber(plan: WirePlan, value: NonNullable<TdsValue>): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
  throw mismatch(plan, value, 'a number');
}

function decimalInput(plan: WirePlan, value: NonNullable<TdsValue>): string | number | bigint {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint') return value;
  throw mismatch(plan, value, 'a decimal string');
}

function toText(plan: WirePlan, value: NonNullable<TdsValue>): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  throw mismatch(plan, value, 'a string');
}

function toDays(plan: WirePlan, value: NonNullable<TdsValue>): number {
  if (typeof value === 'string') return dateStringToDays(value);
  if (value instanceof Date) return dateToDays(value);
  throw mismatch(plan, value, "a 'YYYY-MM-DD' string");
}

function toTicks(plan: WirePlan, value: NonNullable<TdsValue>): number {
  if (typeof value === 'string') return timeStringToTicks(value);
  if (value instanceof Date) {
    const msOfDay = ((value.getTime() % 86_400_000) + 86_400_000) % 86_400_000;
    return msOfDay * 10_000;
  }
  throw mismatch(plan, value, "an 'HH:MM:SS[.fffffff]' string");
}

function toDate(plan: WirePlan, value: NonNullable<TdsValue>): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return new Date(value);
  throw mismatch(plan, value, 'a Date');
}

function toOffsetDate(plan: WirePlan, value: NonNullable<TdsValue>): { date: Date; offsetMinutes: number } {
  if (value instanceof Date) return { date: value, offsetMinutes: 0 };
  if (
    typeof value === 'object' &&
    'date' in value &&
    value.date instanceof Date &&
    typeof value.offsetMinutes === 'number'
  ) {
    if (!Number.isInteger(value.offsetMinutes) || Math.abs(value.offsetMinutes) > 14 * 60) {
      throw new ValueEncodeError(`column ${plan.column.name}: offset ${value.offsetMinutes} minutes is out of range`);
    }
    return value;
  }
  throw mismatch(plan, value, '{ date, offsetMinutes }');
}

function mismatch(plan: WirePlan, value: NonNullable<TdsValue>, expected: string): ValueEncodeError {
  const actual = value instanceof Date ? 'Date' : Buffer.isBuffer(value) ? 'Buffer' : typeof value;
  return new ValueEncodeError(`column ${plan.column.name} (${plan.column.type}) expects ${expected}, got ${actual}`);
}
