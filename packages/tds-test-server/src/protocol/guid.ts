import { ValueEncodeError } from './value-error.js';

/**
 * uniqueidentifier bytes are the Windows GUID layout: the first three groups little-endian, the last
 * two as written. tedious reads and writes the same layout.
 */

/** 'xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx' (braces and case ignored) → 16 wire bytes. */
export function guidToBytes(value: string): Buffer {
  const hex = value.replace(/^\{|\}$/g, '').replace(/-/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new ValueEncodeError(`'${value}' is not a uniqueidentifier`);
  const raw = Buffer.from(hex, 'hex');
  return Buffer.from([raw[3]!, raw[2]!, raw[1]!, raw[0]!, raw[5]!, raw[4]!, raw[7]!, raw[6]!, ...raw.subarray(8)]);
}

/** 16 wire bytes → the upper-case hyphenated form SQL Server prints. */
export function bytesToGuid(bytes: Buffer): string {
  const ordered = Buffer.from([
    bytes[3]!,
    bytes[2]!,
    bytes[1]!,
    bytes[0]!,
    bytes[5]!,
    bytes[4]!,
    bytes[7]!,
    bytes[6]!,
    ...bytes.subarray(8, 16),
  ]);
  const hex = ordered.toString('hex').toUpperCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
