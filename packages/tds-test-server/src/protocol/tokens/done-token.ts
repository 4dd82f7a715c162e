import { BufferWriter } from '../buffer-writer.js';
import { TokenType } from './token-type.js';

/** DONE status bits (MS-TDS 2.2.7.6). */
export const DoneStatus = {
  Final: 0x0000,
  /** More results follow in this response. */
  More: 0x0001,
  /** The statement failed. */
  Error: 0x0002,
  /** A transaction is in progress. */
  InXact: 0x0004,
  /** The row count is valid. */
  Count: 0x0010,
  /** Acknowledges an ATTENTION. */
  Attention: 0x0020,
  /** A severe error occurred; the results so far must be discarded. */
  ServerError: 0x0100,
} as const;

/** Which DONE variant: after a statement in a batch, after a statement inside a procedure, or after the procedure. */
export type DoneKind = 'done' | 'doneInProc' | 'doneProc';

const TOKEN_BY_KIND: Readonly<Record<DoneKind, number>> = {
  done: TokenType.Done,
  doneInProc: TokenType.DoneInProc,
  doneProc: TokenType.DoneProc,
};

/** Encodes DONE / DONEINPROC / DONEPROC: status, current command, and a 64-bit row count (TDS 7.2+). */
export function encodeDone(kind: DoneKind, status: number, rowCount: number | bigint = 0, currentCommand = 0): Buffer {
  return new BufferWriter(13).u8(TOKEN_BY_KIND[kind]).u16(status).u16(currentCommand).u64(BigInt(rowCount)).toBuffer();
}
