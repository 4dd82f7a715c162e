import type { TdsColumn, TdsValue } from '../../engine/engine-types.js';
import { BufferWriter } from '../buffer-writer.js';
import { columnFlags, planColumn, writeTypeInfo } from '../type-info-encoder.js';
import { writeValue } from '../value-encoder.js';
import { TokenType } from './token-type.js';

/** RETURNVALUE status: 0x01 for an OUTPUT parameter, 0x02 for a user-defined function's result. */
export const ReturnValueStatus = {
  OutputParameter: 0x01,
  UserDefinedFunction: 0x02,
} as const;

/**
 * Encodes RETURNVALUE (MS-TDS 2.2.7.18): ordinal, name (with '@'), status, UserType, Flags, TYPE_INFO,
 * value. The name is sent as SQL Server sends it; tedious strips the '@'.
 */
export function encodeReturnValue(ordinal: number, name: string, type: TdsColumn, value: TdsValue): Buffer {
  const plan = planColumn(type);
  const writer = new BufferWriter(64)
    .u8(TokenType.ReturnValue)
    .u16(ordinal & 0xffff)
    .bVarChar(name === '' || name.startsWith('@') ? name : `@${name}`)
    .u8(ReturnValueStatus.OutputParameter)
    .u32(0)
    .u16(columnFlags(type));
  writeTypeInfo(writer, plan);
  writeValue(writer, plan, value);
  return writer.toBuffer();
}

/** Encodes RETURNSTATUS (MS-TDS 2.2.7.19): the procedure's int return code. */
export function encodeReturnStatus(value: number): Buffer {
  return new BufferWriter(5)
    .u8(TokenType.ReturnStatus)
    .i32(value | 0)
    .toBuffer();
}
