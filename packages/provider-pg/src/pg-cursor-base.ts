import type { ResultCursor, ResultSetHeader } from '@asyncdb/core';
import { PgSerialOperations } from './pg-serial-operations.js';
import { PgStatementCounts } from './pg-statement-counts.js';

/**
 * What the session cursor and the multiplexed cursor share on the reader side: core's `nextResult`, `fetch` and
 * `close` run one at a time (a close that arrives while a fetch still waits runs once that fetch has settled), and
 * the counts both report from the CommandCompletes they read. Each subclass reads its own event stream.
 * @internal
 */
export abstract class PgCursorBase implements ResultCursor {
  /** The counts the cursor reports; a subclass records each statement's end here. */
  protected readonly counts = new PgStatementCounts();
  readonly #serial = new PgSerialOperations();

  get recordsAffected(): number {
    return this.counts.recordsAffected;
  }

  get recordsAffectedByStatement(): readonly number[] {
    return this.counts.byStatement;
  }

  nextResult(): Promise<ResultSetHeader | null> {
    return this.#serial.run(() => this.readNextResult());
  }

  fetch(maxRows: number): Promise<unknown[][]> {
    return this.#serial.run(() => this.readRows(maxRows));
  }

  /** Closes the cursor; a close that arrives while a fetch is still waiting runs once that fetch has settled. */
  close(): Promise<void> {
    return this.#serial.run(() => this.closeOnce());
  }

  /** `nextResult`, run after every earlier operation settled. */
  protected abstract readNextResult(): Promise<ResultSetHeader | null>;
  /** `fetch`, run after every earlier operation settled. */
  protected abstract readRows(maxRows: number): Promise<unknown[][]>;
  /** `close`, run after every earlier operation settled (it may run twice: the second does nothing). */
  protected abstract closeOnce(): Promise<void>;
}

/** Raised when a cursor notices its signal aborted; core replaces it with the typed error (cancel or timeout). */
export class PgCursorAbortedError extends Error {}
