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

/** BatchFlag (MS-TDS 2.2.6.6, TDS 7.2 and later): the byte between two RPCs of one message. */
export const RPC_BATCH_FLAG = 0xff;
/** NoExecFlag (TDS 7.2 and later), which this server does not implement. */
const RPC_NO_EXEC_FLAG = 0xfe;

/**
 * Decodes an RPC_REQUEST payload holding one procedure call; a message of several calls (a batched RPC) throws
 * {@link ProtocolError} — use {@link decodeRpcBatch} for those.
 */
export function decodeRpcRequest(payload: Buffer): RpcRequest {
  const calls = decodeRpcBatch(payload);
  if (calls.length !== 1) throw new ProtocolError(`expected one RPC, got a batch of ${calls.length}`);
  return calls[0]!;
}

/**
 * Decodes an RPC_REQUEST payload: one procedure call, or several (a batched RPC: `RPCReqBatch *(BatchFlag
 * RPCReqBatch)`, the calls after the first without ALL_HEADERS, which apply to the whole message). A parameter that
 * cannot be read (an unsupported type, a truncated value) throws {@link ProtocolError} naming the call and the
 * parameter. A parameter name is at most 128 characters, so a length byte of 0xFF (BatchFlag) or 0xFE (NoExecFlag)
 * can only be a separator.
 */
export function decodeRpcBatch(payload: Buffer): RpcRequest[] {
  const reader = new BufferReader(payload);
  const headers = startsWithAllHeaders(payload) ? readAllHeaders(reader) : {};
  const calls: RpcRequest[] = [];
  for (;;) {
    const call = readCall(reader, headers, calls.length);
    calls.push(call.request);
    if (call.separator === undefined) return calls;
    if (call.separator === RPC_NO_EXEC_FLAG) throw new ProtocolError('the RPC NoExecFlag (0xFE) is not supported');
    if (reader.remaining === 0) return calls; // a trailing BatchFlag is allowed
  }
}

function readCall(
  reader: BufferReader,
  headers: AllHeaders,
  index: number,
): { request: RpcRequest; separator?: number } {
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
  let separator: number | undefined;
  while (reader.remaining > 0) {
    const next = reader.peekU8();
    if (next === RPC_BATCH_FLAG || next === RPC_NO_EXEC_FLAG) {
      separator = reader.u8();
      break;
    }
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
        const where = index > 0 ? `RPC ${index + 1}, ` : '';
        throw new ProtocolError(`${where}parameter ${ordinal} ("${name}"): ${error.message}`);
      }
      throw error;
    }
  }
  const request: RpcRequest = {
    headers,
    procName,
    ...(procId !== undefined ? { procId } : {}),
    optionFlags,
    parameters,
  };
  return separator === undefined ? { request } : { request, separator };
}
