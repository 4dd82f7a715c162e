import { ArgumentError, ParameterDirection, inferDbType, type BoundParameter, type DbType } from '@asyncdb/core';
import { EXACT_DECIMAL, decimalShape, parseDecimal, toUnscaledDecimal } from './mssql-exact-decimal-type.js';
import { XML_TYPE } from './mssql-xml-type.js';
import {
  TEDIOUS_TYPES,
  type TediousDataType,
  type TediousParameterOptions,
  type TediousRequest,
} from './mssql-tedious.js';

/** A parameter ready for tedious: its type, value and declared length/precision/scale. */
export interface TediousParameter {
  readonly name: string;
  readonly type: TediousDataType;
  readonly value: unknown;
  readonly options: TediousParameterOptions;
  /** Output, InputOutput: sent BY REF so the server returns its value. */
  readonly output: boolean;
}

/** Above this many characters (n)varchar parameters are declared MAX; below, a fixed 4000/8000 keeps one plan. */
const NVARCHAR_MAX_CHARS = 4000;
const VARCHAR_MAX_CHARS = 8000;
const VARBINARY_MAX_BYTES = 8000;
/** A length tedious declares as `(max)`. */
const MAX = 65535;
/** Decimal output/NULL parameters without precision and scale are declared decimal(38, 10). */
const DEFAULT_OUTPUT_DECIMAL_SCALE = 10;
/** Fractional-second digits of time/datetime2/datetimeoffset parameters without a scale. */
const DEFAULT_TIME_SCALE = 7;

const TIME_TEXT = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?$/;
const DATE_TEXT = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Maps a bound parameter to tedious (DbType, or the value's type when none was set):
 * String/StringFixedLength/Json → NVarChar (nchar for fixed), Xml → xml, AnsiString → VarChar, Int16/Int32/Int64/Byte →
 * SmallInt/Int/BigInt/TinyInt (SByte → SmallInt), Boolean → Bit, Double → Float, Single → Real,
 * Decimal/Currency → exact decimal(p, s) (Currency: decimal(19, 4)), Date → Date, DateTime → DateTime when set
 * explicitly and DateTime2(7) when inferred from a JS Date (no precision lost), DateTime2 → DateTime2,
 * DateTimeOffset → DateTimeOffset, Time → Time, Guid → UniqueIdentifier, Binary → VarBinary, Object → by value.
 * Returns undefined for a ReturnValue parameter (nothing is sent; the return status comes back).
 */
export function toTediousParameter(parameter: BoundParameter): TediousParameter | undefined {
  if (parameter.direction === ParameterDirection.ReturnValue) return undefined;
  const output =
    parameter.direction === ParameterDirection.Output || parameter.direction === ParameterDirection.InputOutput;
  const value = parameter.direction === ParameterDirection.Output ? null : parameter.value;
  const dbType: DbType = parameter.dbType === 'Object' ? inferDbType(value) : parameter.dbType;
  const base = { name: parameter.name, output };
  const { size, precision, scale, name } = parameter;
  switch (dbType) {
    case 'Xml':
      return { ...base, type: XML_TYPE, value: value === null ? null : toText(value, false), options: {} };
    case 'String':
    case 'Json':
      return { ...base, ...text(TEDIOUS_TYPES.NVarChar, value, size, NVARCHAR_MAX_CHARS, output, dbType === 'Json') };
    case 'StringFixedLength':
      return { ...base, ...fixedText(TEDIOUS_TYPES.NChar, value, size) };
    case 'AnsiString':
      return { ...base, ...text(TEDIOUS_TYPES.VarChar, value, size, VARCHAR_MAX_CHARS, output, false) };
    case 'AnsiStringFixedLength':
      return { ...base, ...fixedText(TEDIOUS_TYPES.Char, value, size) };
    case 'Byte':
      return { ...base, type: TEDIOUS_TYPES.TinyInt, value: toNumber(value), options: {} };
    case 'SByte':
    case 'Int16':
      return { ...base, type: TEDIOUS_TYPES.SmallInt, value: toNumber(value), options: {} };
    case 'Int32':
      return { ...base, type: TEDIOUS_TYPES.Int, value: toNumber(value), options: {} };
    case 'Int64':
      return { ...base, type: TEDIOUS_TYPES.BigInt, value: toBigInt(value, name), options: {} };
    case 'Boolean':
      return { ...base, type: TEDIOUS_TYPES.Bit, value: value === null ? null : Boolean(value), options: {} };
    case 'Double':
      return { ...base, type: TEDIOUS_TYPES.Float, value: toNumber(value), options: {} };
    case 'Single':
      return { ...base, type: TEDIOUS_TYPES.Real, value: toNumber(value), options: {} };
    case 'Decimal':
      return { ...base, ...decimal(value, precision, scale, name) };
    case 'Currency':
      return { ...base, ...decimal(value, precision || 19, precision ? scale : 4, name) };
    case 'Date':
      return { ...base, type: TEDIOUS_TYPES.Date, value: toDate(value, name), options: {} };
    case 'DateTime':
      return parameter.dbTypeExplicit
        ? { ...base, type: TEDIOUS_TYPES.DateTime, value: toDate(value, name), options: {} }
        : {
            ...base,
            type: TEDIOUS_TYPES.DateTime2,
            value: toDate(value, name),
            options: { scale: DEFAULT_TIME_SCALE },
          };
    case 'DateTime2':
      return {
        ...base,
        type: TEDIOUS_TYPES.DateTime2,
        value: toDate(value, name),
        options: { scale: timeScale(scale) },
      };
    case 'DateTimeOffset':
      return {
        ...base,
        type: TEDIOUS_TYPES.DateTimeOffset,
        value: toDate(value, name),
        options: { scale: timeScale(scale) },
      };
    case 'Time':
      return { ...base, type: TEDIOUS_TYPES.Time, value: toTime(value, name), options: { scale: timeScale(scale) } };
    case 'Guid':
      return {
        ...base,
        type: TEDIOUS_TYPES.UniqueIdentifier,
        value: value === null ? null : String(value),
        options: {},
      };
    case 'Binary':
      return {
        ...base,
        type: TEDIOUS_TYPES.VarBinary,
        value: toBuffer(value, name),
        options: { length: binaryLength(value, size, output) },
      };
    case 'Object':
      return { ...base, ...text(TEDIOUS_TYPES.NVarChar, value, size, NVARCHAR_MAX_CHARS, output, false) };
  }
}

/**
 * Adds the command's parameters to a tedious request: every Input, Output and InputOutput parameter, in collection
 * order (sp_executesql declares them all; a stored procedure receives them by name).
 */
export function addParameters(request: TediousRequest, parameters: readonly BoundParameter[]): void {
  for (const parameter of parameters) {
    const mapped = toTediousParameter(parameter);
    if (!mapped) continue;
    if (mapped.output) request.addOutputParameter(mapped.name, mapped.type, mapped.value, mapped.options);
    else request.addParameter(mapped.name, mapped.type, mapped.value, mapped.options);
  }
}

/** True when a command sends at least one parameter (then it runs through sp_executesql, else as a SQL batch). */
export function sendsParameters(parameters: readonly BoundParameter[]): boolean {
  return parameters.some((parameter) => parameter.direction !== ParameterDirection.ReturnValue);
}

function text(
  type: TediousDataType,
  value: unknown,
  size: number,
  maxChars: number,
  output: boolean,
  json: boolean,
): { type: TediousDataType; value: unknown; options: TediousParameterOptions } {
  const string = value === null ? null : toText(value, json);
  let length: number;
  if (size > 0) length = size > maxChars ? MAX : size;
  else if (output) length = MAX;
  else length = string !== null && string.length > maxChars ? MAX : maxChars;
  return { type, value: string, options: { length } };
}

/** nchar/char: the declared size, else the value's own length (a fixed 4000 would pad the value). */
function fixedText(
  type: TediousDataType,
  value: unknown,
  size: number,
): { type: TediousDataType; value: unknown; options: TediousParameterOptions } {
  const string = value === null ? null : toText(value, false);
  return { type, value: string, options: { length: size > 0 ? size : Math.max(string?.length ?? 1, 1) } };
}

function toText(value: unknown, json: boolean): string {
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array)
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('utf8');
  if (json || (typeof value === 'object' && value !== null))
    return JSON.stringify(value, (_key, inner: unknown) => (typeof inner === 'bigint' ? inner.toString() : inner));
  return String(value);
}

function toNumber(value: unknown): unknown {
  if (value === null) return null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

function toBigInt(value: unknown, name: string): bigint | null {
  if (value === null) return null;
  try {
    if (typeof value === 'boolean') return value ? 1n : 0n;
    return BigInt(value as string | number | bigint);
  } catch {
    throw new ArgumentError(`The parameter '@${name}' is not an integer.`, name);
  }
}

function decimal(
  value: unknown,
  precision: number,
  scale: number,
  name: string,
): { type: TediousDataType; value: unknown; options: TediousParameterOptions } {
  const parsed = value === null ? undefined : parseDecimal(typeof value === 'boolean' ? Number(value) : value, name);
  const shape =
    parsed === undefined && precision === 0
      ? { precision: 38, scale: scale || DEFAULT_OUTPUT_DECIMAL_SCALE }
      : decimalShape(parsed, precision, scale);
  const unscaled = parsed === undefined ? null : toUnscaledDecimal(parsed, shape.precision, shape.scale, name);
  return { type: EXACT_DECIMAL, value: unscaled, options: shape };
}

function timeScale(scale: number): number {
  return scale > 0 ? Math.min(scale, 7) : DEFAULT_TIME_SCALE;
}

function toDate(value: unknown, name: string): Date | null {
  if (value === null) return null;
  if (value instanceof Date) return value;
  if (typeof value === 'string') {
    const dateOnly = DATE_TEXT.exec(value);
    const parsed = dateOnly
      ? new Date(Date.UTC(Number(dateOnly[1]), Number(dateOnly[2]) - 1, Number(dateOnly[3])))
      : new Date(value);
    if (dateOnly) parsed.setUTCFullYear(Number(dateOnly[1]));
    if (!Number.isNaN(parsed.getTime())) return parsed;
  }
  if (typeof value === 'number') return new Date(value);
  throw new ArgumentError(`The parameter '@${name}' is not a date.`, name);
}

/**
 * A time of day for tedious' Time type: a UTC Date on 1970-01-01 with the milliseconds, plus the `nanosecondDelta`
 * property tedious reads for the sub-millisecond digits (in seconds).
 */
function toTime(value: unknown, name: string): Date | null {
  if (value === null) return null;
  if (value instanceof Date) {
    const ms = ((value.getTime() % 86_400_000) + 86_400_000) % 86_400_000;
    return new Date(ms);
  }
  const match = typeof value === 'string' ? TIME_TEXT.exec(value.trim()) : null;
  if (!match) throw new ArgumentError(`The parameter '@${name}' is not a time of day ('HH:MM:SS[.fffffff]').`, name);
  const [, hours, minutes, seconds = '0', fraction = ''] = match;
  const ticks = Number(fraction.padEnd(7, '0'));
  const time = new Date(
    Date.UTC(1970, 0, 1, Number(hours), Number(minutes), Number(seconds), Math.floor(ticks / 10_000)),
  );
  Object.defineProperty(time, 'nanosecondDelta', { value: (ticks % 10_000) / 1e7 });
  return time;
}

function toBuffer(value: unknown, name: string): Buffer | null {
  if (value === null) return null;
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  throw new ArgumentError(`The parameter '@${name}' is not binary data (Uint8Array or Buffer).`, name);
}

function binaryLength(value: unknown, size: number, output: boolean): number {
  if (size > 0) return size > VARBINARY_MAX_BYTES ? MAX : size;
  if (output) return MAX;
  const length = value instanceof Uint8Array ? value.byteLength : 0;
  return length > VARBINARY_MAX_BYTES ? MAX : VARBINARY_MAX_BYTES;
}
