import type { TdsValue } from '../engine/engine-types.js';
import { BufferReader } from './buffer-reader.js';
import { isUtf8Collation } from './collation.js';
import { CHARBIN_NULL, DataTypeId as T, PLP_NULL, PLP_UNKNOWN_LENGTH } from './data-type-ids.js';
import { bytesToMagnitude, moneyFromHalves, MONEY_SCALE, scaledIntegerToString } from './decimal.js';
import { bytesToGuid } from './guid.js';
import { ProtocolError } from './protocol-error.js';
import {
  dateTime2ToDate,
  dateTimeToDate,
  daysToDateString,
  scaledToTimeString,
  smallDateTimeToDate,
  timeByteLength,
} from './temporal.js';
import type { WireType } from './type-info-decoder.js';

/**
 * Reads one parameter value (MS-TDS 2.2.5.5) and converts it to the seam's {@link TdsValue}
 * representation: exact decimal strings, 'YYYY-MM-DD' dates, 'HH:MM:SS.fffffff' times, UTC Dates.
 */
export function readValue(reader: BufferReader, wire: WireType): TdsValue {
  switch (wire.id) {
    case T.Int1:
    case T.Int2:
    case T.Int4:
    case T.Int8:
    case T.Bit:
    case T.Flt4:
    case T.Flt8:
    case T.Money:
    case T.Money4:
    case T.DateTime:
    case T.DateTim4:
      return readFixed(reader, wire.id, wire.length);
    case T.IntN:
    case T.BitN:
    case T.FltN:
    case T.MoneyN:
    case T.DateTimN: {
      const length = reader.u8();
      if (length === 0) return null;
      const fixedId = nullableToFixed(wire.id, length);
      return readFixed(reader, fixedId, length);
    }
    case T.Guid: {
      const length = reader.u8();
      if (length === 0) return null;
      if (length !== 16) throw new ProtocolError(`uniqueidentifier value length ${length}`);
      return bytesToGuid(reader.bytes(16));
    }
    case T.Decimal:
    case T.Numeric:
    case T.DecimalN:
    case T.NumericN: {
      const length = reader.u8();
      if (length === 0) return null;
      if (![5, 9, 13, 17].includes(length)) throw new ProtocolError(`decimal value length ${length}`);
      const positive = reader.u8() === 1;
      const magnitude = bytesToMagnitude(reader.bytes(length - 1));
      return scaledIntegerToString(positive ? magnitude : -magnitude, wire.scale ?? 0);
    }
    case T.DateN: {
      const length = reader.u8();
      if (length === 0) return null;
      if (length !== 3) throw new ProtocolError(`date value length ${length}`);
      return daysToDateString(reader.uintLE(3));
    }
    case T.TimeN:
    case T.DateTime2N:
    case T.DateTimeOffsetN:
      return readScaledTemporal(reader, wire);
    case T.BigVarChar:
    case T.BigChar:
    case T.NVarChar:
    case T.NChar:
    case T.Xml: {
      const bytes = wire.plp ? readPlp(reader) : readUShortBytes(reader);
      if (bytes === null) return null;
      const unicode = wire.id === T.NVarChar || wire.id === T.NChar || wire.id === T.Xml;
      if (unicode) {
        if (bytes.length % 2 !== 0) throw new ProtocolError('UCS-2 value has an odd number of bytes');
        return bytes.toString('ucs2');
      }
      // Non-UTF-8 collations are read as Latin-1: close to the Windows-1252 code page tedious would use.
      return bytes.toString(wire.collation && !isUtf8Collation(wire.collation) ? 'latin1' : 'utf8');
    }
    case T.BigVarBinary:
    case T.BigBinary: {
      const bytes = wire.plp ? readPlp(reader) : readUShortBytes(reader);
      return bytes === null ? null : Buffer.from(bytes);
    }
    default:
      throw new ProtocolError(`cannot read a value of type 0x${wire.id.toString(16)}`);
  }
}

function nullableToFixed(id: number, length: number): number {
  const table: Readonly<Record<number, Readonly<Record<number, number>>>> = {
    [T.IntN]: { 1: T.Int1, 2: T.Int2, 4: T.Int4, 8: T.Int8 },
    [T.BitN]: { 1: T.Bit },
    [T.FltN]: { 4: T.Flt4, 8: T.Flt8 },
    [T.MoneyN]: { 4: T.Money4, 8: T.Money },
    [T.DateTimN]: { 4: T.DateTim4, 8: T.DateTime },
  };
  const fixed = table[id]?.[length];
  if (fixed === undefined) throw new ProtocolError(`value length ${length} for type 0x${id.toString(16)}`);
  return fixed;
}

function readFixed(reader: BufferReader, id: number, length: number): TdsValue {
  switch (id) {
    case T.Int1:
      return reader.u8();
    case T.Int2:
      return reader.i16();
    case T.Int4:
      return reader.i32();
    case T.Int8:
      return reader.i64();
    case T.Bit:
      return reader.u8() !== 0;
    case T.Flt4:
      return reader.f32();
    case T.Flt8:
      return reader.f64();
    case T.Money4:
      return scaledIntegerToString(BigInt(reader.i32()), MONEY_SCALE);
    case T.Money: {
      const high = reader.i32();
      const low = reader.u32();
      return scaledIntegerToString(moneyFromHalves(high, low), MONEY_SCALE);
    }
    case T.DateTime: {
      const days = reader.i32();
      return dateTimeToDate(days, reader.u32());
    }
    case T.DateTim4: {
      const days = reader.u16();
      return smallDateTimeToDate(days, reader.u16());
    }
    default:
      throw new ProtocolError(`fixed type 0x${id.toString(16)} of length ${length}`);
  }
}

function readScaledTemporal(reader: BufferReader, wire: WireType): TdsValue {
  const length = reader.u8();
  if (length === 0) return null;
  const scale = wire.scale ?? 7;
  const timeLength = timeByteLength(scale);
  const expected = wire.id === T.TimeN ? timeLength : wire.id === T.DateTime2N ? timeLength + 3 : timeLength + 5;
  if (length !== expected)
    throw new ProtocolError(`temporal value length ${length}, expected ${expected} at scale ${scale}`);
  const time = reader.uintLE(timeLength);
  if (wire.id === T.TimeN) return scaledToTimeString(time, scale);
  const days = reader.uintLE(3);
  const date = dateTime2ToDate(days, time, scale);
  if (wire.id === T.DateTime2N) return date;
  return { date, offsetMinutes: reader.i16() };
}

function readUShortBytes(reader: BufferReader): Buffer | null {
  const length = reader.u16();
  if (length === CHARBIN_NULL) return null;
  return reader.bytes(length, 'value');
}

/** Reads a PLP stream: an 8-byte total (or NULL / unknown), then 4-byte-length chunks ended by an empty chunk. */
export function readPlp(reader: BufferReader): Buffer | null {
  const total = reader.u64();
  if (total === PLP_NULL) return null;
  const chunks: Buffer[] = [];
  let received = 0;
  for (;;) {
    const chunkLength = reader.u32();
    if (chunkLength === 0) break;
    chunks.push(reader.bytes(chunkLength, 'PLP chunk'));
    received += chunkLength;
  }
  if (total !== PLP_UNKNOWN_LENGTH && BigInt(received) !== total) {
    throw new ProtocolError(`PLP value announced ${total} bytes but carried ${received}`);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received);
}
