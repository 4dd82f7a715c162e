import type { TdsColumn } from '../engine/engine-types.js';
import type { BufferWriter } from './buffer-writer.js';
import { SERVER_COLLATION } from './collation.js';
import { DataTypeId as T, MAX_LENGTH_MARKER } from './data-type-ids.js';
import { decimalMagnitudeBytes } from './decimal.js';
import { ValueEncodeError } from './value-error.js';

/**
 * How the server describes a column or output parameter on the wire (TYPE_INFO, MS-TDS 2.2.5.6).
 * Every type is sent in its nullable variant (INTN, BITN, FLTN, MONEYN, DATETIMN …) whatever the
 * column's nullability: the value layout then never depends on a promise the engine might break.
 */
export interface WirePlan {
  readonly column: TdsColumn;
  readonly id: number;
  /** The TYPE_INFO length: value bytes for one-byte-length types, max bytes (or 0xFFFF) for two-byte ones. */
  readonly length: number;
  /** True when values are written as PLP streams ((n)varchar(max), varbinary(max), xml). */
  readonly plp: boolean;
  readonly precision: number;
  readonly scale: number;
}

/** The largest non-MAX declared lengths: 8000 bytes, i.e. 4000 UCS-2 characters. */
const MAX_BYTES = 8000;
const MAX_NCHARS = 4000;

/** Plans the wire form of a column. Throws {@link ValueEncodeError} for a type the server cannot describe. */
export function planColumn(column: TdsColumn): WirePlan {
  const base = { column, plp: false, precision: 0, scale: 0 };
  switch (column.type) {
    case 'tinyint':
      return { ...base, id: T.IntN, length: 1 };
    case 'smallint':
      return { ...base, id: T.IntN, length: 2 };
    case 'int':
      return { ...base, id: T.IntN, length: 4 };
    case 'bigint':
      return { ...base, id: T.IntN, length: 8 };
    case 'bit':
      return { ...base, id: T.BitN, length: 1 };
    case 'real':
      return { ...base, id: T.FltN, length: 4 };
    case 'float':
      return { ...base, id: T.FltN, length: 8 };
    case 'money':
      return { ...base, id: T.MoneyN, length: 8 };
    case 'decimal':
    case 'numeric': {
      const precision = column.precision ?? 18;
      const scale = column.scale ?? 0;
      if (precision < 1 || precision > 38 || scale < 0 || scale > precision) {
        throw new ValueEncodeError(`column ${column.name}: ${column.type}(${precision}, ${scale}) is invalid`);
      }
      const id = column.type === 'decimal' ? T.DecimalN : T.NumericN;
      return { ...base, id, length: decimalMagnitudeBytes(precision) + 1, precision, scale };
    }
    case 'nvarchar':
    case 'nchar': {
      const chars = column.length;
      const max = column.type === 'nvarchar' && (chars === undefined || chars < 0 || chars > MAX_NCHARS);
      const id = column.type === 'nvarchar' ? T.NVarChar : T.NChar;
      return { ...base, id, plp: max, length: max ? MAX_LENGTH_MARKER : clamp(chars ?? MAX_NCHARS, 1, MAX_NCHARS) * 2 };
    }
    case 'varchar':
    case 'char':
    case 'varbinary':
    case 'binary': {
      const bytes = column.length;
      const variable = column.type === 'varchar' || column.type === 'varbinary';
      const max = variable && (bytes === undefined || bytes < 0 || bytes > MAX_BYTES);
      const id = { varchar: T.BigVarChar, char: T.BigChar, varbinary: T.BigVarBinary, binary: T.BigBinary }[
        column.type
      ];
      return { ...base, id, plp: max, length: max ? MAX_LENGTH_MARKER : clamp(bytes ?? MAX_BYTES, 1, MAX_BYTES) };
    }
    case 'date':
      return { ...base, id: T.DateN, length: 3 };
    case 'time':
    case 'datetime2':
    case 'datetimeoffset': {
      const scale = column.scale ?? 7;
      if (!Number.isInteger(scale) || scale < 0 || scale > 7)
        throw new ValueEncodeError(`column ${column.name}: scale ${scale} is not 0–7`);
      const id = { time: T.TimeN, datetime2: T.DateTime2N, datetimeoffset: T.DateTimeOffsetN }[column.type];
      return { ...base, id, length: 0, scale };
    }
    case 'datetime':
      return { ...base, id: T.DateTimN, length: 8 };
    case 'uniqueidentifier':
      return { ...base, id: T.Guid, length: 16 };
    case 'xml':
      return { ...base, id: T.Xml, plp: true, length: MAX_LENGTH_MARKER };
    default:
      throw new ValueEncodeError(
        `column ${String((column as TdsColumn).name)}: unknown type '${String((column as TdsColumn).type)}'`,
      );
  }
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max);
}

/** Writes TYPE_INFO for a planned column. */
export function writeTypeInfo(writer: BufferWriter, plan: WirePlan): void {
  writer.u8(plan.id);
  switch (plan.id) {
    case T.IntN:
    case T.BitN:
    case T.FltN:
    case T.MoneyN:
    case T.DateTimN:
    case T.Guid:
      writer.u8(plan.length);
      return;
    case T.DecimalN:
    case T.NumericN:
      writer.u8(plan.length).u8(plan.precision).u8(plan.scale);
      return;
    case T.DateN:
      return;
    case T.TimeN:
    case T.DateTime2N:
    case T.DateTimeOffsetN:
      writer.u8(plan.scale);
      return;
    case T.NVarChar:
    case T.NChar:
    case T.BigVarChar:
    case T.BigChar:
      writer.u16(plan.length).bytes(SERVER_COLLATION);
      return;
    case T.BigVarBinary:
    case T.BigBinary:
      writer.u16(plan.length);
      return;
    case T.Xml:
      writer.u8(0); // no schema collection
      return;
    default:
      throw new ValueEncodeError(`cannot describe type 0x${plan.id.toString(16)}`);
  }
}

/** COLMETADATA / RETURNVALUE flags: fNullable, fIdentity, and updateability "unknown" for ordinary columns. */
export function columnFlags(column: TdsColumn): number {
  const nullable = column.nullable ? 0x0001 : 0;
  // Identity columns are read-only (updateable bits 0); others report "unknown" (0x0008) as views do.
  return nullable | (column.identity ? 0x0010 : 0x0008);
}
