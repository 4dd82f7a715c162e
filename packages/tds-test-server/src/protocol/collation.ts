/**
 * The collation the server reports, in the 5-byte TDS form (MS-TDS 2.2.5.1.2): LCID (20 bits),
 * comparison flags (8 bits), version (4 bits), SortId (1 byte).
 *
 * The server uses Latin1_General_100_CI_AS_SC_UTF8: PostgreSQL stores text as UTF-8, so a UTF-8
 * collation lets varchar values cross the wire without a lossy code-page conversion (tedious encodes
 * and decodes varchar with the codepage the collation names; the UTF8 flag means 'utf-8').
 */

/** Comparison flag bits. */
export const CollationFlag = {
  IgnoreCase: 0x01,
  IgnoreAccent: 0x02,
  IgnoreKana: 0x04,
  IgnoreWidth: 0x08,
  Binary: 0x10,
  Binary2: 0x20,
  Utf8: 0x40,
} as const;

/** Builds the 5-byte collation. */
export function encodeCollation(lcid: number, flags: number, version: number, sortId: number): Buffer {
  return Buffer.from([
    lcid & 0xff,
    (lcid >>> 8) & 0xff,
    ((lcid >>> 16) & 0x0f) | ((flags & 0x0f) << 4),
    ((flags & 0xf0) >>> 4) | ((version & 0x0f) << 4),
    sortId & 0xff,
  ]);
}

/** Reads the flags of a 5-byte collation. */
export function collationFlags(collation: Buffer): number {
  return (((collation[3] ?? 0) & 0x0f) << 4) | (((collation[2] ?? 0) & 0xf0) >>> 4);
}

/** Latin1_General_100_CI_AS_SC_UTF8 (LCID 0x0409, case-, kana- and width-insensitive, UTF-8, version 2). */
export const SERVER_COLLATION: Buffer = encodeCollation(
  0x0409,
  CollationFlag.IgnoreCase | CollationFlag.IgnoreKana | CollationFlag.IgnoreWidth | CollationFlag.Utf8,
  2,
  0,
);

/** True when a collation stores varchar as UTF-8; otherwise the server reads varchar as Latin-1. */
export function isUtf8Collation(collation: Buffer): boolean {
  return (collationFlags(collation) & CollationFlag.Utf8) !== 0;
}
