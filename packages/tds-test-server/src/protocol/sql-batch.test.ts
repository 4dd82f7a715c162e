import { describe, expect, it } from 'vitest';
import { tediousSqlBatch } from '../testing/tedious-payloads.js';
import { ProtocolError } from './protocol-error.js';
import { decodeSqlBatch } from './sql-batch.js';

describe('SQL_BATCH', () => {
  it('reads the text and the transaction descriptor from ALL_HEADERS', () => {
    const descriptor = Buffer.from([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(decodeSqlBatch(tediousSqlBatch("SELECT N'☃'", descriptor))).toEqual({
      headers: { transactionDescriptor: descriptor, outstandingRequestCount: 1 },
      sql: "SELECT N'☃'",
    });
  });

  it('accepts a batch without ALL_HEADERS (TDS 7.1) and an empty batch', () => {
    expect(decodeSqlBatch(Buffer.from('select 1', 'ucs2'))).toEqual({ headers: {}, sql: 'select 1' });
    expect(decodeSqlBatch(tediousSqlBatch(''))).toMatchObject({ sql: '' });
  });

  it('rejects text with an odd number of bytes', () => {
    expect(() => decodeSqlBatch(Buffer.concat([tediousSqlBatch('x'), Buffer.from([0])]))).toThrow(ProtocolError);
  });
});
