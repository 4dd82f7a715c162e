/** TDS data type ids (MS-TDS 2.2.5.4) that the server reads in RPC parameters or writes in results. */
export const DataTypeId = {
  // Fixed-length types (no length in TYPE_INFO).
  Null: 0x1f,
  Int1: 0x30,
  Bit: 0x32,
  Int2: 0x34,
  Int4: 0x38,
  DateTim4: 0x3a,
  Flt4: 0x3b,
  Money: 0x3c,
  DateTime: 0x3d,
  Flt8: 0x3e,
  Money4: 0x7a,
  Int8: 0x7f,
  // Variable-length types with a one-byte length.
  Guid: 0x24,
  IntN: 0x26,
  Decimal: 0x37,
  Numeric: 0x3f,
  BitN: 0x68,
  DecimalN: 0x6a,
  NumericN: 0x6c,
  FltN: 0x6d,
  MoneyN: 0x6e,
  DateTimN: 0x6f,
  // Scale-only (or nothing) types added in TDS 7.3.
  DateN: 0x28,
  TimeN: 0x29,
  DateTime2N: 0x2a,
  DateTimeOffsetN: 0x2b,
  // Two-byte length types.
  BigVarBinary: 0xa5,
  BigVarChar: 0xa7,
  BigBinary: 0xad,
  BigChar: 0xaf,
  NVarChar: 0xe7,
  NChar: 0xef,
  // PLP-only type.
  Xml: 0xf1,
  // Recognised so the error can name them; not supported.
  Image: 0x22,
  Text: 0x23,
  NText: 0x63,
  SqlVariant: 0x62,
  Udt: 0xf0,
  Tvp: 0xf3,
} as const;

/** The USHORTMAXLEN that marks a (n)varchar(max)/varbinary(max) column: values are PLP streams. */
export const MAX_LENGTH_MARKER = 0xffff;

/** PLP total length meaning NULL. */
export const PLP_NULL = 0xffffffffffffffffn;

/** PLP total length meaning "sent in chunks, length not known in advance". */
export const PLP_UNKNOWN_LENGTH = 0xfffffffffffffffen;

/** The two-byte length that marks NULL for a non-PLP two-byte-length value. */
export const CHARBIN_NULL = 0xffff;
