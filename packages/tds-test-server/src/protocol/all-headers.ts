import { BufferReader } from './buffer-reader.js';
import { ProtocolError } from './protocol-error.js';

/**
 * ALL_HEADERS (MS-TDS 2.2.5.3): the prefix of SQL_BATCH, RPC and TRANSACTION_MANAGER payloads since
 * TDS 7.2. A 4-byte total length, then headers of (4-byte length, 2-byte type, data).
 */

/** Header types. */
export const HeaderType = {
  QueryNotifications: 0x0001,
  TransactionDescriptor: 0x0002,
  TraceActivity: 0x0003,
} as const;

/** What the headers carry that the server uses. */
export interface AllHeaders {
  /** The 8-byte transaction descriptor the client believes is current (all zero outside a transaction). */
  readonly transactionDescriptor?: Buffer;
  /** How many requests the client has outstanding (always 1 without MARS). */
  readonly outstandingRequestCount?: number;
}

/** Reads ALL_HEADERS from the reader's position and leaves the reader after it. */
export function readAllHeaders(reader: BufferReader): AllHeaders {
  const start = reader.position;
  const totalLength = reader.u32();
  if (totalLength < 4 || totalLength - 4 > reader.remaining) {
    throw new ProtocolError(`ALL_HEADERS length ${totalLength} is impossible`);
  }
  const headers = new BufferReader(reader.bytes(totalLength - 4, 'ALL_HEADERS'));
  let transactionDescriptor: Buffer | undefined;
  let outstandingRequestCount: number | undefined;
  while (headers.remaining > 0) {
    const headerLength = headers.u32();
    if (headerLength < 6 || headerLength - 4 > headers.remaining) {
      throw new ProtocolError(`header length ${headerLength} at offset ${start} is impossible`);
    }
    const type = headers.u16();
    const data = new BufferReader(headers.bytes(headerLength - 6, 'header data'));
    if (type === HeaderType.TransactionDescriptor) {
      transactionDescriptor = Buffer.from(data.bytes(8, 'transaction descriptor'));
      outstandingRequestCount = data.u32();
    }
  }
  return {
    ...(transactionDescriptor ? { transactionDescriptor } : {}),
    ...(outstandingRequestCount !== undefined ? { outstandingRequestCount } : {}),
  };
}

/**
 * True when the payload begins with ALL_HEADERS. A TDS 7.1 client sends none; then the first 4 bytes are
 * SQL text or a procedure name, which cannot equal a plausible header length followed by a header.
 */
export function startsWithAllHeaders(payload: Buffer): boolean {
  if (payload.length < 4) return false;
  const total = payload.readUInt32LE(0);
  if (total < 4 || total > payload.length) return false;
  if (total === 4) return true;
  if (total < 4 + 6 || payload.length < 10) return false;
  const first = payload.readUInt32LE(4);
  return first >= 6 && first <= total - 4;
}
