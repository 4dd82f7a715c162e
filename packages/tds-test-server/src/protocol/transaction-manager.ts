import type { TdsIsolationLevel, TransactionRequest } from '../engine/engine-types.js';
import { readAllHeaders, type AllHeaders } from './all-headers.js';
import { BufferReader } from './buffer-reader.js';
import { ProtocolError } from './protocol-error.js';

/** TRANSACTION_MANAGER request types (MS-TDS 2.2.6.9). */
export const TransactionRequestType = {
  GetDtcAddress: 0,
  PropagateXact: 1,
  BeginXact: 5,
  PromoteXact: 6,
  CommitXact: 7,
  RollbackXact: 8,
  SaveXact: 9,
} as const;

const ISOLATION_LEVELS: Readonly<Record<number, TdsIsolationLevel | undefined>> = {
  0: undefined, // no change
  1: 'read uncommitted',
  2: 'read committed',
  3: 'repeatable read',
  4: 'serializable',
  5: 'snapshot',
};

/** A decoded TRANSACTION_MANAGER request. */
export interface TransactionManagerRequest {
  readonly headers: AllHeaders;
  readonly request: TransactionRequest;
}

/** Decodes a TRANSACTION_MANAGER payload. Distributed-transaction requests are not supported. */
export function decodeTransactionManager(payload: Buffer): TransactionManagerRequest {
  const reader = new BufferReader(payload);
  const headers = readAllHeaders(reader);
  const type = reader.u16();
  switch (type) {
    case TransactionRequestType.BeginXact: {
      const isolationLevel = isolation(reader.u8());
      const name = readName(reader);
      return { headers, request: { kind: 'begin', ...optional({ isolationLevel, name }) } };
    }
    case TransactionRequestType.CommitXact:
    case TransactionRequestType.RollbackXact: {
      const name = readName(reader);
      // fBeginXact, and when set an isolation level and a name for the new transaction (ignored: the
      // seam only says whether to begin again).
      const beginNew = reader.remaining > 0 ? (reader.u8() & 0x01) !== 0 : false;
      const kind = type === TransactionRequestType.CommitXact ? 'commit' : 'rollback';
      return { headers, request: { kind, ...optional({ name }), ...(beginNew ? { beginNew } : {}) } };
    }
    case TransactionRequestType.SaveXact:
      return { headers, request: { kind: 'save', name: readName(reader) ?? '' } };
    default:
      throw new ProtocolError(`TRANSACTION_MANAGER request type ${type} is not supported (distributed transactions)`);
  }
}

function isolation(value: number): TdsIsolationLevel | undefined {
  if (!(value in ISOLATION_LEVELS)) throw new ProtocolError(`unknown isolation level ${value}`);
  return ISOLATION_LEVELS[value];
}

/** A B_VARBYTE holding a UCS-2 name: the length is in bytes, not characters. */
function readName(reader: BufferReader): string | undefined {
  if (reader.remaining === 0) return undefined;
  const bytes = reader.bVarByte('transaction name');
  if (bytes.length % 2 !== 0) throw new ProtocolError('transaction name has an odd number of bytes');
  const name = bytes.toString('ucs2');
  return name === '' ? undefined : name;
}

function optional<T extends Record<string, unknown>>(values: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined) (out as Record<string, unknown>)[key] = value;
  }
  return out;
}
