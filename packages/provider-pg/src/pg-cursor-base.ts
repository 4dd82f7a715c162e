import type { Cancellation, DbError, ResultCursor, ResultSetHeader } from '@asyncdb/core';
import { toDbError } from './pg-error-converter.js';
import type { PgTurnEvent } from './pg-protocol-turn.js';
import { PgSerialOperations } from './pg-serial-operations.js';
import { PgStatementCounts } from './pg-statement-counts.js';

/** Raised when a cursor notices its signal aborted; core replaces it with the typed error (cancel or timeout). */
export class PgCursorAbortedError extends Error {}

/**
 * What the session cursor and the multiplexed cursor share on the reader side: core's `nextResult`, `fetch` and
 * `close` run one at a time (a close that arrives while a fetch still waits runs once that fetch has settled), and
 * the counts both report from the CommandCompletes they read, and the sticky failure an error, a lost session or an
 * abort becomes ({@link PgCursorBase.screen}). Each subclass reads its own event stream and knows how to abandon it.
 * @internal
 */
export abstract class PgCursorBase implements ResultCursor {
  /** The counts the cursor reports; a subclass records each statement's end here. */
  protected readonly counts = new PgStatementCounts();
  /** The cursor's failure: once set, every later operation throws it. */
  protected failure: DbError | undefined;
  readonly #serial = new PgSerialOperations();
  readonly #cancellation: Cancellation;
  readonly #secrets: readonly string[];

  protected constructor(cancellation: Cancellation, secrets: readonly string[]) {
    this.#cancellation = cancellation;
    this.#secrets = secrets;
  }

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

  /** Makes `error` the failure unless there is one already (passwords blanked out); returns the failure. */
  protected fail(error: unknown): DbError {
    this.failure ??= toDbError(error, this.#secrets);
    return this.failure;
  }

  /**
   * Lets an ordinary event through; a lost session becomes the failure and is thrown, an ErrorResponse or a pending
   * abort first has the cursor {@link PgCursorBase.abandon} its command, so the caller only sees the throw.
   */
  protected async screen(event: PgTurnEvent): Promise<PgTurnEvent> {
    if (event.kind === 'lost') throw this.fail(event.error);
    if (event.kind === 'error') {
      this.fail(event.error);
      await this.abandon();
      throw this.failure;
    }
    if (this.#cancellation.aborted) {
      await this.abandon();
      throw this.failure ?? new PgCursorAbortedError('The command was aborted.');
    }
    return event;
  }

  /** Drops what is left of the command until the session is idle; errors on the way become the failure. */
  protected abstract abandon(): Promise<void>;
  /** `nextResult`, run after every earlier operation settled. */
  protected abstract readNextResult(): Promise<ResultSetHeader | null>;
  /** `fetch`, run after every earlier operation settled. */
  protected abstract readRows(maxRows: number): Promise<unknown[][]>;
  /** `close`, run after every earlier operation settled (it may run twice: the second does nothing). */
  protected abstract closeOnce(): Promise<void>;
}
