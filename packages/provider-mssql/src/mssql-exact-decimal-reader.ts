import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { MONEY_SCALE } from './mssql-type-map.js';

/**
 * Exact decimal, numeric and money values from tedious.
 *
 * tedious decodes these types into JS numbers (`magnitude * sign / 10 ** scale`, computed in doubles), which loses
 * digits beyond ~15 significant ones — wrong for money. It has no option or hook for it, so we wrap the one function
 * its ROW, NBCROW and RETURNVALUE parsers call for every fixed-length value (`lib/value-parser.js` `readValue`, read
 * through the module's exports object at each call). The wrapper lets tedious decode and bounds-check as usual, then,
 * for decimal/numeric/money values of **our** connections only (their options objects are registered below),
 * re-reads the same bytes exactly into a decimal string. Other tedious users in the process are untouched.
 *
 * If a tedious release changes that module, {@link enableExactDecimals} returns false and values fall back to the
 * number tedious produced, printed with the column's scale (exact up to 15 significant digits); the unit tests of this
 * file and the integration tests of big decimals fail loudly in that case.
 */

/** A tedious value-parser result: the value and the offset after it. */
interface ParseResult {
  value: unknown;
  offset: number;
}

type ReadValue = (buffer: Buffer, offset: number, metadata: DecimalMetadata, options: object) => ParseResult;

/** The part of tedious' column metadata the decoder reads. */
interface DecimalMetadata {
  readonly type: { readonly name: string };
  readonly scale?: number | undefined;
}

const WRAPPED = Symbol.for('asyncdb.mssql.exactDecimals');
const exactOptions = new WeakSet<object>();
let installed: boolean | undefined;

/**
 * Makes the connection whose tedious options object is `options` read decimal/numeric/money values as exact strings.
 * Returns false when tedious' value parser could not be wrapped (values then stay tedious' numbers).
 */
export function enableExactDecimals(options: object): boolean {
  installed ??= install();
  if (installed) exactOptions.add(options);
  return installed;
}

function install(): boolean {
  try {
    const require = createRequire(import.meta.url);
    // The same file tedious' own parsers require, so the same module instance.
    const valueParser = require(join(dirname(require.resolve('tedious')), 'value-parser.js')) as {
      readValue?: unknown;
    };
    const original = valueParser.readValue;
    if (typeof original !== 'function') return false;
    if ((original as { [WRAPPED]?: boolean })[WRAPPED]) return true;
    const readValue = original as ReadValue;
    const wrapped: ReadValue = (buffer, offset, metadata, options) => {
      const result = readValue(buffer, offset, metadata, options);
      if (result.value !== null && exactOptions.has(options)) {
        const exact = decodeExactDecimal(metadata, buffer, offset);
        if (exact !== undefined) result.value = exact;
      }
      return result;
    };
    Object.defineProperty(wrapped, WRAPPED, { value: true });
    valueParser.readValue = wrapped;
    return true;
  } catch {
    return false;
  }
}

/**
 * Decodes a DECIMALN/NUMERICN (length byte, sign byte, little-endian magnitude), MONEY/MONEYN (high then low
 * 32-bit halves of a 64-bit integer of ten-thousandths) or SMALLMONEY value into an exact decimal string.
 * `undefined` for any other type. The bytes have already been bounds-checked by tedious.
 * @internal exported for tests
 */
export function decodeExactDecimal(metadata: DecimalMetadata, buffer: Buffer, offset: number): string | undefined {
  switch (metadata.type.name) {
    case 'DecimalN':
    case 'NumericN': {
      const length = buffer.readUInt8(offset);
      if (length === 0) return undefined;
      const positive = buffer.readUInt8(offset + 1) === 1;
      let magnitude = 0n;
      for (let i = length - 1; i >= 1; i -= 1) magnitude = (magnitude << 8n) | BigInt(buffer.readUInt8(offset + 1 + i));
      return formatScaled(positive ? magnitude : -magnitude, metadata.scale ?? 0);
    }
    case 'Money':
      return formatScaled(readMoney(buffer, offset), MONEY_SCALE);
    case 'SmallMoney':
      return formatScaled(BigInt(buffer.readInt32LE(offset)), MONEY_SCALE);
    case 'MoneyN': {
      const length = buffer.readUInt8(offset);
      if (length === 8) return formatScaled(readMoney(buffer, offset + 1), MONEY_SCALE);
      if (length === 4) return formatScaled(BigInt(buffer.readInt32LE(offset + 1)), MONEY_SCALE);
      return undefined;
    }
    default:
      return undefined;
  }
}

function readMoney(buffer: Buffer, offset: number): bigint {
  return (BigInt(buffer.readInt32LE(offset)) << 32n) | BigInt(buffer.readUInt32LE(offset + 4));
}

/** `unscaled / 10 ** scale` as a decimal string with exactly `scale` fractional digits. */
export function formatScaled(unscaled: bigint, scale: number): string {
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  const integer = digits.slice(0, digits.length - scale);
  const fraction = scale > 0 ? `.${digits.slice(digits.length - scale)}` : '';
  return `${negative ? '-' : ''}${integer}${fraction}`;
}
