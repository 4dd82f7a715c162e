import type { RpcParameter } from '../engine/engine-types.js';
import { readAllHeaders, startsWithAllHeaders, type AllHeaders } from './all-headers.js';
import { BufferReader } from './buffer-reader.js';
import { ProtocolError } from './protocol-error.js';
import { readTypeInfo, toColumn } from './type-info-decoder.js';
import { readValue } from './value-decoder.js';

/** Names of the special procedures a client may call by id (MS-TDS 2.2.6.6, ProcID). */
export const SPECIAL_PROCEDURES: Readonly<Record<number, string>> = {
  1: 'sp_cursor',
  2: 'sp_cursoropen',
  3: 'sp_cursorprepare',
  4: 'sp_cursorexecute',
  5: 'sp_cursorprepexec',
  6: 'sp_cursorunprepare',
  7: 'sp_cursorfetch',
  8: 'sp_cursoroption',
  9: 'sp_cursorclose',
  10: 'sp_executesql',
  11: 'sp_prepare',
  12: 'sp_execute',
  13: 'sp_prepexec',
  14: 'sp_prepexecrpc',
  15: 'sp_unprepare',
};

/** RPC option flags. */
export const RpcOption = {
  WithRecompile: 0x01,
  NoMetadata: 0x02,
  ReuseMetadata: 0x04,
} as const;

/** Parameter status flags. */
const STATUS_BY_REF = 0x01;
const STATUS_ENCRYPTED = 0x08;

/** A decoded RPC request. */
export interface RpcRequest {
  readonly headers: AllHeaders;
  /** The procedure name; special procedures sent by id are named (`sp_executesql`, …). */
  readonly procName: string;
  /** The ProcID when the client called by id. */
  readonly procId?: number;
  readonly optionFlags: number;
  readonly parameters: readonly RpcParameter[];
}

/**
 * Decodes an RPC_REQUEST payload holding one procedure call. A parameter that cannot be read (an
 * unsupported type, a truncated value) throws {@link ProtocolError} naming the parameter. Batched RPCs
 * (several calls in one message, which tedious never sends) are not supported: the separator byte is
 * read as the next parameter's name length and fails there.
 */
export function decodeRpcRequest(payload: Buffer): RpcRequest {
  const reader = new BufferReader(payload);
  const headers = startsWithAllHeaders(payload) ? readAllHeaders(reader) : {};
  const nameLength = reader.u16();
  let procName: string;
  let procId: number | undefined;
  if (nameLength === 0xffff) {
    procId = reader.u16();
    const known = SPECIAL_PROCEDURES[procId];
    if (!known) throw new ProtocolError(`unknown special procedure id ${procId}`);
    procName = known;
  } else {
    procName = reader.ucs2(nameLength, 'procedure name');
  }
  const optionFlags = reader.u16();
  const parameters: RpcParameter[] = [];
  while (reader.remaining > 0) {
    const ordinal = parameters.length + 1;
    let name = '';
    try {
      name = reader.bVarChar('parameter name');
      const status = reader.u8();
      if ((status & STATUS_ENCRYPTED) !== 0) throw new ProtocolError('Always Encrypted parameters are not supported');
      const info = readTypeInfo(reader);
      const value = readValue(reader, info.wire);
      parameters.push({ name, type: toColumn(name, info), value, output: (status & STATUS_BY_REF) !== 0 });
    } catch (error) {
      if (error instanceof ProtocolError) {
        throw new ProtocolError(`parameter ${ordinal} ("${name}"): ${error.message}`);
      }
      throw error;
    }
  }
  return { headers, procName, ...(procId !== undefined ? { procId } : {}), optionFlags, parameters };
}
