import type { TdsMessage } from '../../engine/engine-types.js';
import { BufferWriter } from '../buffer-writer.js';
import { TokenType } from './token-type.js';

/** Severity from which a message is an ERROR token rather than an INFO token. */
export const ERROR_SEVERITY = 11;

/**
 * Encodes an ERROR (severity ≥ 11) or INFO token (MS-TDS 2.2.7.10 / 2.2.7.13): number, state, class,
 * message text, server name, procedure name, line number.
 */
export function encodeMessage(message: TdsMessage, serverName: string): Buffer {
  const isError = message.severity >= ERROR_SEVERITY;
  const writer = new BufferWriter(64 + message.message.length * 2)
    .u8(isError ? TokenType.Error : TokenType.Info)
    .u16(0)
    .u32(message.number >>> 0)
    .u8(clampByte(message.state))
    .u8(clampByte(message.severity))
    .usVarChar(message.message)
    .bVarChar(serverName)
    .bVarChar(message.procName ?? '')
    .u32((message.lineNumber ?? 1) >>> 0);
  return writer.patchU16(1, writer.size - 3).toBuffer();
}

function clampByte(value: number): number {
  return Math.min(Math.max(Math.trunc(value), 0), 255);
}
