import type { DbType } from '../contracts/db-type.js';
import { NotSupportedError } from '../errors/errors.js';
import { assertNoLoneSurrogate } from './lone-surrogate.js';

/**
 * The DbType a parameter gets from its value when none was set: what ADO.NET's `SqlParameter` does when
 * `Value` is assigned. `undefined` and `null` infer `String`, as a fresh ADO.NET parameter does.
 */
export function inferDbType(value: unknown): DbType {
  switch (typeof value) {
    case 'string':
      return 'String';
    case 'number':
      return Number.isInteger(value) && value >= -2147483648 && value <= 2147483647 ? 'Int32' : 'Double';
    case 'bigint':
      return 'Int64';
    case 'boolean':
      return 'Boolean';
    case 'undefined':
      return 'String';
    case 'object':
      if (value === null) return 'String';
      if (value instanceof Date) return 'DateTime';
      if (value instanceof Uint8Array) return 'Binary';
      return 'Json';
    default:
      return 'Object';
  }
}

/**
 * Checks that a value is one asyncdb knows how to send: null, string, number, bigint, boolean, Date, Uint8Array
 * (Buffer), or a plain object/array (sent as JSON). Anything else is refused before anything is sent, and so is a
 * string (also one inside an object/array) with a lone UTF-16 surrogate (`ArgumentError`).
 */
export function assertBindableValue(value: unknown, parameterName: string): void {
  if (value === null) return;
  const kind = typeof value;
  if (kind === 'string') return assertNoLoneSurrogate(value, parameterName);
  if (kind === 'number' || kind === 'bigint' || kind === 'boolean') return;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime()))
      throw new NotSupportedError(`The parameter '@${parameterName}' holds an invalid Date.`);
    return;
  }
  if (value instanceof Uint8Array) return;
  if (kind === 'object') {
    const prototype = Object.getPrototypeOf(value) as unknown;
    if (Array.isArray(value) || prototype === Object.prototype || prototype === null) {
      return assertNoLoneSurrogate(value, parameterName);
    }
    const typeName = (value as { constructor?: { name?: string } }).constructor?.name ?? 'object';
    throw new NotSupportedError(
      `The parameter '@${parameterName}' holds a ${typeName}, which asyncdb cannot send. Use a string, number, bigint, boolean, Date, Uint8Array, null, or a plain object/array (sent as JSON).`,
    );
  }
  throw new NotSupportedError(`The parameter '@${parameterName}' holds a ${kind}, which asyncdb cannot send.`);
}
