import { readAllHeaders, startsWithAllHeaders, type AllHeaders } from './all-headers.js';
import { BufferReader } from './buffer-reader.js';
import { ProtocolError } from './protocol-error.js';

/** A decoded SQL_BATCH request (MS-TDS 2.2.6.7). */
export interface SqlBatchRequest {
  readonly headers: AllHeaders;
  readonly sql: string;
}

/** Decodes a SQL_BATCH payload: ALL_HEADERS, then the batch text in UCS-2. */
export function decodeSqlBatch(payload: Buffer): SqlBatchRequest {
  const reader = new BufferReader(payload);
  const headers = startsWithAllHeaders(payload) ? readAllHeaders(reader) : {};
  if (reader.remaining % 2 !== 0) throw new ProtocolError('SQL_BATCH text has an odd number of bytes');
  return { headers, sql: reader.bytes(reader.remaining).toString('ucs2') };
}
