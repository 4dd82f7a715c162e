import { BufferWriter } from '../buffer-writer.js';
import { TokenType } from './token-type.js';

/** ENVCHANGE types the server sends (MS-TDS 2.2.7.9). */
export const EnvChangeType = {
  Database: 1,
  Language: 2,
  PacketSize: 4,
  SqlCollation: 7,
  BeginTransaction: 8,
  CommitTransaction: 9,
  RollbackTransaction: 10,
  ResetConnectionAck: 18,
} as const;

function envChange(type: number, write: (writer: BufferWriter) => void): Buffer {
  const writer = new BufferWriter(32).u8(TokenType.EnvChange).u16(0).u8(type);
  write(writer);
  return writer.patchU16(1, writer.size - 3).toBuffer();
}

/** A string-valued change (database, language, packet size): B_VARCHAR new and old values. */
export function encodeStringEnvChange(type: number, newValue: string, oldValue: string): Buffer {
  return envChange(type, (w) => w.bVarChar(newValue).bVarChar(oldValue));
}

/** The database changed. */
export function encodeDatabaseChange(newValue: string, oldValue: string): Buffer {
  return encodeStringEnvChange(EnvChangeType.Database, newValue, oldValue);
}

/** The packet size the server will use (sent as a decimal string, as SQL Server does). */
export function encodePacketSizeChange(newValue: number, oldValue: number): Buffer {
  return encodeStringEnvChange(EnvChangeType.PacketSize, String(newValue), String(oldValue));
}

/** The collation changed: B_VARBYTE new value (5 bytes), empty old value. */
export function encodeCollationChange(collation: Buffer): Buffer {
  return envChange(EnvChangeType.SqlCollation, (w) => w.bVarByte(collation).bVarByte(Buffer.alloc(0)));
}

/**
 * A transaction began, committed or rolled back. Begin carries the new 8-byte descriptor as the new value;
 * commit and rollback carry the ended descriptor as the old value and an empty new value.
 */
export function encodeTransactionChange(change: 'begin' | 'commit' | 'rollback', descriptor: Buffer): Buffer {
  const empty = Buffer.alloc(0);
  if (change === 'begin')
    return envChange(EnvChangeType.BeginTransaction, (w) => w.bVarByte(descriptor).bVarByte(empty));
  const type = change === 'commit' ? EnvChangeType.CommitTransaction : EnvChangeType.RollbackTransaction;
  return envChange(type, (w) => w.bVarByte(empty).bVarByte(descriptor));
}

/** Acknowledges a RESETCONNECTION request: both values empty. */
export function encodeResetConnectionAck(): Buffer {
  return envChange(EnvChangeType.ResetConnectionAck, (w) => w.bVarByte(Buffer.alloc(0)).bVarByte(Buffer.alloc(0)));
}
