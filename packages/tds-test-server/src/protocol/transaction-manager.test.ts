import { ISOLATION_LEVEL } from 'tedious';
import { describe, expect, it } from 'vitest';
import { tediousTransaction } from '../testing/tedious-payloads.js';
import { BufferWriter } from './buffer-writer.js';
import { ProtocolError } from './protocol-error.js';
import { decodeTransactionManager } from './transaction-manager.js';

describe('TRANSACTION_MANAGER', () => {
  it('decodes begin with isolation level and name, and the current descriptor', () => {
    const descriptor = Buffer.from([9, 0, 0, 0, 0, 0, 0, 0]);
    expect(decodeTransactionManager(tediousTransaction('begin', 'tx1', ISOLATION_LEVEL.SNAPSHOT, descriptor))).toEqual({
      headers: { transactionDescriptor: descriptor, outstandingRequestCount: 1 },
      request: { kind: 'begin', isolationLevel: 'snapshot', name: 'tx1' },
    });
    expect(decodeTransactionManager(tediousTransaction('begin', '', ISOLATION_LEVEL.NO_CHANGE)).request).toEqual({
      kind: 'begin',
    });
  });

  it('decodes commit, rollback and save', () => {
    expect(decodeTransactionManager(tediousTransaction('commit', 'tx1')).request).toEqual({
      kind: 'commit',
      name: 'tx1',
    });
    expect(decodeTransactionManager(tediousTransaction('rollback', '')).request).toEqual({ kind: 'rollback' });
    expect(decodeTransactionManager(tediousTransaction('save', 'sp_1')).request).toEqual({
      kind: 'save',
      name: 'sp_1',
    });
  });

  it('reads fBeginXact on commit', () => {
    const payload = new BufferWriter()
      .u32(22)
      .u32(18)
      .u16(2)
      .bytes(Buffer.alloc(8))
      .u32(1)
      .u16(7)
      .u8(0)
      .u8(1)
      .toBuffer();
    expect(decodeTransactionManager(payload).request).toEqual({ kind: 'commit', beginNew: true });
  });

  it('rejects distributed-transaction requests', () => {
    const payload = new BufferWriter().u32(22).u32(18).u16(2).bytes(Buffer.alloc(8)).u32(1).u16(0).toBuffer();
    expect(() => decodeTransactionManager(payload)).toThrow(ProtocolError);
  });
});
