import type { TdsColumn, TdsTypeName } from '../engine/engine-types.js';
import { BufferReader } from './buffer-reader.js';
import { DataTypeId as T, MAX_LENGTH_MARKER } from './data-type-ids.js';
import { ProtocolError } from './protocol-error.js';
import { checkScale } from './temporal.js';

/**
 * TYPE_INFO as a client sends it for an RPC parameter (MS-TDS 2.2.5.6), decoded into what the value
 * reader needs (`wire`) and what the engine sees (`column`).
 */

/** How a value of this type is laid out on the wire. */
export interface WireType {
  readonly id: number;
  /** The declared maximum length in bytes (two-byte-length types), or the fixed/one-byte length. */
  readonly length: number;
  /** True for (n)varchar(max), varbinary(max) and xml: the value is a PLP stream. */
  readonly plp: boolean;
  readonly precision?: number;
  readonly scale?: number;
  /** The 5-byte collation of a character type. */
  readonly collation?: Buffer;
}

/** A decoded TYPE_INFO. */
export interface DecodedTypeInfo {
  readonly wire: WireType;
  /** The SQL Server type; `name` is filled in by the caller. */
  readonly type: TdsTypeName;
  readonly length?: number;
  readonly precision?: number;
  readonly scale?: number;
}

const FIXED: Readonly<Record<number, { type: TdsTypeName; length: number }>> = {
  [T.Int1]: { type: 'tinyint', length: 1 },
  [T.Int2]: { type: 'smallint', length: 2 },
  [T.Int4]: { type: 'int', length: 4 },
  [T.Int8]: { type: 'bigint', length: 8 },
  [T.Bit]: { type: 'bit', length: 1 },
  [T.Flt4]: { type: 'real', length: 4 },
  [T.Flt8]: { type: 'float', length: 8 },
  [T.Money]: { type: 'money', length: 8 },
  [T.Money4]: { type: 'money', length: 4 },
  [T.DateTime]: { type: 'datetime', length: 8 },
  [T.DateTim4]: { type: 'datetime', length: 4 },
};

const UNSUPPORTED: Readonly<Record<number, string>> = {
  [T.Null]: 'NULL type',
  [T.Image]: 'image',
  [T.Text]: 'text',
  [T.NText]: 'ntext',
  [T.SqlVariant]: 'sql_variant',
  [T.Udt]: 'CLR UDT',
  [T.Tvp]: 'table-valued parameter',
};

/** Reads one TYPE_INFO from the reader. Throws {@link ProtocolError} for unknown or unsupported types. */
export function readTypeInfo(reader: BufferReader): DecodedTypeInfo {
  const id = reader.u8();
  const fixed = FIXED[id];
  if (fixed) return { wire: { id, length: fixed.length, plp: false }, type: fixed.type };
  switch (id) {
    case T.IntN: {
      const length = reader.u8();
      const type = ({ 1: 'tinyint', 2: 'smallint', 4: 'int', 8: 'bigint' } as const)[length as 1 | 2 | 4 | 8];
      if (!type) throw new ProtocolError(`intn length ${length}`);
      return { wire: { id, length, plp: false }, type };
    }
    case T.BitN:
      return { wire: { id, length: checkLength(reader.u8(), [1], 'bitn'), plp: false }, type: 'bit' };
    case T.FltN: {
      const length = checkLength(reader.u8(), [4, 8], 'floatn');
      return { wire: { id, length, plp: false }, type: length === 4 ? 'real' : 'float' };
    }
    case T.MoneyN:
      return { wire: { id, length: checkLength(reader.u8(), [4, 8], 'moneyn'), plp: false }, type: 'money' };
    case T.DateTimN:
      return { wire: { id, length: checkLength(reader.u8(), [4, 8], 'datetimen'), plp: false }, type: 'datetime' };
    case T.Guid:
      return {
        wire: { id, length: checkLength(reader.u8(), [16], 'uniqueidentifier'), plp: false },
        type: 'uniqueidentifier',
      };
    case T.Decimal:
    case T.Numeric:
    case T.DecimalN:
    case T.NumericN: {
      const length = checkLength(reader.u8(), [5, 9, 13, 17], 'decimal');
      const precision = reader.u8();
      const scale = reader.u8();
      if (precision < 1 || precision > 38 || scale > precision) {
        throw new ProtocolError(`decimal(${precision}, ${scale}) is not a valid precision/scale`);
      }
      const type = id === T.Numeric || id === T.NumericN ? 'numeric' : 'decimal';
      return { wire: { id, length, plp: false, precision, scale }, type, precision, scale };
    }
    case T.DateN:
      return { wire: { id, length: 3, plp: false }, type: 'date' };
    case T.TimeN:
    case T.DateTime2N:
    case T.DateTimeOffsetN: {
      const scale = checkScale(reader.u8());
      const type = id === T.TimeN ? 'time' : id === T.DateTime2N ? 'datetime2' : 'datetimeoffset';
      return { wire: { id, length: 0, plp: false, scale }, type, scale };
    }
    case T.BigVarChar:
    case T.BigChar:
    case T.NVarChar:
    case T.NChar: {
      const length = reader.u16();
      const collation = Buffer.from(reader.bytes(5, 'collation'));
      const unicode = id === T.NVarChar || id === T.NChar;
      const plp = length === MAX_LENGTH_MARKER;
      if (plp && (id === T.BigChar || id === T.NChar)) throw new ProtocolError('char/nchar cannot be MAX');
      const type: TdsTypeName =
        id === T.BigVarChar ? 'varchar' : id === T.BigChar ? 'char' : id === T.NVarChar ? 'nvarchar' : 'nchar';
      return { wire: { id, length, plp, collation }, type, length: plp ? -1 : unicode ? length / 2 : length };
    }
    case T.BigVarBinary:
    case T.BigBinary: {
      const length = reader.u16();
      const plp = length === MAX_LENGTH_MARKER;
      if (plp && id === T.BigBinary) throw new ProtocolError('binary cannot be MAX');
      return {
        wire: { id, length, plp },
        type: id === T.BigVarBinary ? 'varbinary' : 'binary',
        length: plp ? -1 : length,
      };
    }
    case T.Xml: {
      const schemaPresent = reader.u8();
      if (schemaPresent === 1) {
        // An XML schema collection (database, owning schema, collection name); the value is the same PLP.
        reader.bVarChar('xml schema database');
        reader.bVarChar('xml schema owner');
        reader.usVarChar('xml schema collection');
      }
      return { wire: { id, length: MAX_LENGTH_MARKER, plp: true }, type: 'xml', length: -1 };
    }
    default: {
      const name = UNSUPPORTED[id];
      throw new ProtocolError(
        name
          ? `data type ${name} (0x${id.toString(16)}) is not supported`
          : `data type 0x${id.toString(16)} is unknown`,
      );
    }
  }
}

function checkLength(length: number, allowed: readonly number[], what: string): number {
  if (!allowed.includes(length))
    throw new ProtocolError(`${what} length ${length} is not one of ${allowed.join(', ')}`);
  return length;
}

/** Builds the seam's column description of a parameter. */
export function toColumn(name: string, info: DecodedTypeInfo): TdsColumn {
  return {
    name,
    type: info.type,
    nullable: true,
    ...(info.length !== undefined ? { length: info.length } : {}),
    ...(info.precision !== undefined ? { precision: info.precision } : {}),
    ...(info.scale !== undefined ? { scale: info.scale } : {}),
  };
}
