import type { TdsColumn, TdsValue } from '../../engine/engine-types.js';
import { BufferWriter } from '../buffer-writer.js';
import { columnFlags, planColumn, writeTypeInfo, type WirePlan } from '../type-info-encoder.js';
import { writeValue } from '../value-encoder.js';
import { ValueEncodeError } from '../value-error.js';
import { TokenType } from './token-type.js';

/** Plans every column of a result set (the plans are reused for each row). */
export function planColumns(columns: readonly TdsColumn[]): WirePlan[] {
  if (columns.length > 4096) throw new ValueEncodeError(`${columns.length} columns exceed SQL Server's 4096`);
  return columns.map((column) => planColumn(column));
}

/** Encodes COLMETADATA (MS-TDS 2.2.7.4): count, then per column UserType, Flags, TYPE_INFO, ColName. */
export function encodeColMetadata(plans: readonly WirePlan[]): Buffer {
  const writer = new BufferWriter(16 + plans.length * 32).u8(TokenType.ColMetadata).u16(plans.length);
  for (const plan of plans) {
    writer.u32(0).u16(columnFlags(plan.column));
    writeTypeInfo(writer, plan);
    writer.bVarChar(plan.column.name);
  }
  return writer.toBuffer();
}

/**
 * Encodes a row as ROW, or as NBCROW (MS-TDS 2.2.7.17) when it holds a NULL: the null bitmap then
 * replaces each NULL's own marker, which is what SQL Server does for sparse rows.
 */
export function encodeRow(plans: readonly WirePlan[], values: readonly TdsValue[]): Buffer {
  if (values.length !== plans.length) {
    throw new ValueEncodeError(`row has ${values.length} values for ${plans.length} columns`);
  }
  const hasNull = values.some((value) => value === null || value === undefined);
  const writer = new BufferWriter(32 + plans.length * 8);
  if (!hasNull) {
    writer.u8(TokenType.Row);
    for (let i = 0; i < plans.length; i++) writeValue(writer, plans[i]!, values[i]!);
    return writer.toBuffer();
  }
  writer.u8(TokenType.NbcRow);
  const bitmap = Buffer.alloc(Math.ceil(plans.length / 8));
  for (let i = 0; i < values.length; i++) {
    if (values[i] === null || values[i] === undefined) bitmap[i >> 3]! |= 1 << (i & 7);
  }
  writer.bytes(bitmap);
  for (let i = 0; i < plans.length; i++) {
    const value = values[i];
    if (value !== null && value !== undefined) writeValue(writer, plans[i]!, value);
  }
  return writer.toBuffer();
}
