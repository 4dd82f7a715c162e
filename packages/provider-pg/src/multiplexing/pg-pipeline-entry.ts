import type { Cancellation, StatementRequest } from '@asyncdb/core';
import type { PgFieldDescription, PgNoticeFields, PgWireConnection } from '../pg-client.js';
import type { PgPreparedStatements } from './pg-mux-prepared.js';

/** What every multiplexed command carries, whichever way it is read (a cursor or a one-shot). */
export interface PgMuxRequest {
  readonly statements: readonly StatementRequest[];
  /** Aborted by core on cancel, timeout or close: takes the entry back, or cancels it on the server. */
  readonly cancellation: Cancellation;
  /** Strings to blank out of error messages (the password). */
  readonly secrets: readonly string[];
  /** The connection's notice listener: NoticeResponses of this entry. */
  readonly onNotice?: ((notice: PgNoticeFields) => void) | undefined;
}

/**
 * One caller's command in a multiplexed session's pipeline: it writes its own messages (ending with a Sync, or one
 * simple-protocol Query, so that the server treats it as a unit of its own), and receives the backend's answers
 * once it is at the head of the pipeline — every message between the ReadyForQuery of the entry before it and its own.
 * @internal
 */
export interface PgPipelineEntry {
  /** Statements it runs: the server executes one of them until that many CommandComplete/EmptyQuery arrived. */
  readonly executes: number;
  /** Set by the session once written; cleared when its ReadyForQuery arrives. */
  placement: PgEntryPlacement | undefined;
  /**
   * Writes its messages, ending with Sync (or a simple Query, which the server ends by itself). `prepared` is the
   * session's named statements when the entry may use them (undefined on a transaction's session).
   */
  write(wire: PgWireConnection, prepared?: PgPreparedStatements): void;
  /** A ParseComplete while the entry is at the head. */
  onParseComplete?(): void;
  onRowDescription(fields: PgFieldDescription[]): void;
  onNoData(): void;
  onDataRow(values: Array<string | null>): void;
  onCommandComplete(tag: string): void;
  onEmptyQuery(): void;
  /** An ErrorResponse: the server now skips the rest of this entry up to its Sync — and nothing after it. */
  onError(error: Error): void;
  /**
   * ReadyForQuery ended the entry. `atRisk` is true when a CancelRequest meant for an entry ahead of it was in flight
   * while it could have been running: a query_canceled (57014) it reports may then not be its own.
   */
  onReady(atRisk: boolean, transactionStatus: string): void;
  /** The physical session died before the entry ended. */
  onLost(error: Error): void;
  /** A NoticeResponse while the entry was at the head. */
  onNotice?(notice: PgNoticeFields): void;
  /** A CancelRequest meant for another entry may reach this one: hold its results until it ends (see `onReady`). */
  onRisk?(): void;
}

/** Where a written entry is: the session it went to (the session owns the rest of its state). */
export interface PgEntryPlacement {
  readonly session: {
    cancel(entry: PgPipelineEntry): void;
    isRunning(entry: PgPipelineEntry): boolean;
    pause(entry: PgPipelineEntry): void;
    resume(entry: PgPipelineEntry): void;
  };
}
