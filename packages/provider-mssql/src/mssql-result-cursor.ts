import {
  DbError,
  DbErrorCategory,
  type AsyncDbError,
  type Cancellation,
  type ResultCursor,
  type ResultSetHeader,
} from '@asyncdb/core';
import { toDbColumn } from './mssql-columns.js';
import type { DescribedColumn } from './mssql-describe.js';
import { toDbError } from './mssql-error-converter.js';
import type {
  TediousColumnMetadata,
  TediousColumnValue,
  TediousMessageToken,
  TediousRequest,
  TediousRequestSink,
} from './mssql-tedious.js';
import { MssqlTokenQueue, type MssqlMarker, type MssqlQueued } from './mssql-token-queue.js';
import { valueConverterFor, type MssqlValueConverter } from './mssql-values.js';

/**
 * Rows buffered before the request is paused (tedious then stops reading the socket: TCP backpressure). Small on
 * purpose: core's reader holds a batch of its own, and rows that wait here survive young-generation collections, which
 * is what grows a streaming process's heap. Pausing and resuming a tedious request costs next to nothing.
 */
export const HIGH_WATER_MARK = 256;
/** Rows left in the buffer when a paused request is resumed. */
export const LOW_WATER_MARK = 64;
/**
 * A reader waiting for rows is woken once this many are queued (or tedious has parsed all it received): small
 * batches, handed on long before the high-water mark, so a reader that keeps up does not pause the request, and does
 * not pay a fetch for every row. (Measured: batches of hundreds of rows, paused at the mark, made a 1 000 000-row
 * read peak 12 MB higher.)
 */
export const WAKE_BATCH_ROWS = 16;

/** What the cursor needs besides the request's events. */
export interface MssqlCursorOptions {
  /** Sends ATTENTION for the running request (tedious `connection.cancel()`). */
  readonly cancel: () => void;
  /** Core's abort (watched without an AbortSignal): it cancels the request on the server. */
  readonly cancellation: Cancellation;
  /**
   * True when the command expects output parameters or a return value: `close()` then reads the rest (the values
   * arrive last) instead of cancelling it.
   */
  readonly drainOnClose: boolean;
  /** Names of the parameters the command declared, to return output values under the caller's spelling. */
  readonly parameterNames: readonly string[];
  /** The ReturnValue parameter's name, if the command has one: it receives the RETURN status. */
  readonly returnValueName?: string | undefined;
  /** The server's description of the first result set's columns (CommandBehavior.KeyInfo), by ordinal. */
  readonly keyInfo?: readonly DescribedColumn[] | undefined;
  /**
   * Called by `close()` when the request met a connection failure (a fatal error of class 20 or more, a lost socket, an
   * ATTENTION never acknowledged): the session is gone. Called after the failure was handed to the reader, so the
   * command fails with that error and the connection is Broken by the time it does.
   */
  readonly onFatal?: ((error: AsyncDbError) => void) | undefined;
  /**
   * Called once when the request completed (the session is idle again), however it ended; `fatal` when it met a
   * connection failure (the session is gone or going).
   */
  readonly onEnded?: ((fatal: boolean) => void) | undefined;
  /**
   * Set when the request is a batched RPC (a `DbBatch`): how many of the request's statements each RPC carries, in
   * order. The cursor then counts rows per RPC (each ends with DONEPROC) for `recordsAffectedByStatement`, and stops
   * at the first RPC that fails: SQL Server runs the RPCs after it, but their results are dropped (see mssql-batch.ts).
   */
  readonly batchStatements?: readonly number[] | undefined;
}

/**
 * The results of one tedious request, pulled by core's reader. tedious pushes tokens as events; they are queued in
 * order (result columns, rows, DONE counts, ERROR tokens) and handed out on demand. At {@link HIGH_WATER_MARK}
 * buffered rows the request is paused and resumed once the reader drained it below {@link LOW_WATER_MARK}, so memory
 * stays bounded however large the result.
 *
 * Cancellation: aborting `options.cancellation` (cancel, AbortSignal, command timeout, close) sends ATTENTION; tedious then
 * discards the rest and completes the request with ECANCEL once the server acknowledged — the session is idle again.
 * Pending and later calls reject after that completion, so core sees the command settle only when the connection is
 * reusable.
 */
export class MssqlResultCursor implements ResultCursor, TediousRequestSink {
  readonly #options: MssqlCursorOptions;
  #request: TediousRequest | undefined;
  readonly #queue = new MssqlTokenQueue();
  #paused = false;
  #discarding = false;
  #inResult = false;
  /** The converters of the result set tedious is sending (rows are converted as they arrive). */
  #converters: MssqlValueConverter[] = Array();
  #ended = false;
  #endError: Error | null | undefined;
  #errorSurfaced = false;
  #cancelRequested = false;
  #wake: (() => void) | undefined;
  /** The waiter wants rows (see {@link MssqlResultCursor.#notify}). */
  #wakeForRows = false;
  #wakeScheduled = false;
  /** Created only when someone waits for the end before it came (a close or cancel mid-stream). */
  #whenEnded: Promise<void> | undefined;
  #markEnded: (() => void) | undefined;
  #recordsAffected = -1;
  #resultSets = 0;
  #returnStatus: number | undefined;
  #outputs: Map<string, unknown> | undefined;
  #closing: Promise<void> | undefined;
  #fatal: AsyncDbError | undefined;
  /** Batched RPC only: counts of the statements of the RPCs completed so far (see `batchStatements`). */
  #byStatement: number[] | undefined;
  #call = 0;
  #callCount = -1;
  #callFailed = false;
  #batchFailed = false;
  /** Batched RPC only: the DONE that comes next ends a SELECT (its count is rows read, not rows changed). */
  #afterColumns = false;

  constructor(options: MssqlCursorOptions) {
    this.#options = options;
    options.cancellation.onAbort(this.#onAbort);
    if (options.batchStatements !== undefined) this.#byStatement = [];
  }

  /** Batched RPC only: one count per statement of the RPCs completed before the first failure (core's contract). */
  get recordsAffectedByStatement(): readonly number[] | undefined {
    return this.#byStatement;
  }

  /** Rows changed by the DML statements completed so far, or -1. */
  get recordsAffected(): number {
    return this.#recordsAffected;
  }

  /** Output parameter values (by name without '@') and the return status, once the request completed. */
  get outputValues(): ReadonlyMap<string, unknown> | undefined {
    // drainOnClose is set exactly when the command has Output, InputOutput or ReturnValue parameters.
    if (!this.#ended || !this.#options.drainOnClose || this.#byStatement !== undefined) return undefined;
    const values = new Map(this.#outputs);
    if (this.#options.returnValueName !== undefined)
      values.set(this.#options.returnValueName, this.#returnStatus ?? null);
    return values;
  }

  /** The request whose results this cursor receives (as its {@link TediousRequestSink}): paused and resumed here. */
  attach(request: TediousRequest): void {
    this.#request = request;
  }

  /** A result set starts: its converters are built once, and its header is queued. */
  onColumnMetadata(columns: readonly TediousColumnMetadata[]): void {
    this.#converters = columns.map(valueConverterFor);
    this.#afterColumns = true;
    this.#push({ kind: 'columns', columns });
  }

  /** A statement ended (DONE or DONEINPROC), with its row count when it has one. */
  onDone(rowCount: number | undefined): void {
    if (this.#byStatement !== undefined) {
      if (this.#afterColumns) this.#afterColumns = false;
      else if (rowCount !== undefined) this.#callCount = Math.max(this.#callCount, 0) + rowCount;
    }
    this.#push({ kind: 'done', rowCount });
  }

  /** A procedure ended (DONEPROC), with its RETURN status. */
  onDoneProc(returnStatus: number | undefined): void {
    if (this.#byStatement !== undefined) {
      this.#endCall();
      return;
    }
    if (returnStatus !== undefined) this.#returnStatus = returnStatus;
  }

  /** An output parameter's value (RETURNVALUE). */
  onReturnValue(name: string, value: unknown, metadata: TediousColumnMetadata): void {
    if (this.#byStatement !== undefined) return;
    let converted: unknown;
    try {
      converted = valueConverterFor(metadata)(value);
    } catch (error) {
      // As for a row: not into tedious' parser; the command fails where the value came.
      this.#pushError(toDbError(error));
      return;
    }
    (this.#outputs ??= new Map()).set(this.#parameterName(name), converted);
  }

  /** An ERROR token of this request (tedious reports them on the connection, in stream order). */
  readonly onErrorMessage = (token: TediousMessageToken): void => {
    if (this.#ended || this.#cancelRequested) return;
    const error = toDbError({ ...token, code: 'EREQUEST' });
    this.#noteFatal(error);
    this.#pushError(error);
  };

  /**
   * Queues an error; in a batched RPC it fails the running RPC, and the first one ends what the reader sees (once
   * `#batchFailed` is set, `#push` drops every later item, errors included).
   */
  #pushError(error: AsyncDbError): void {
    this.#push({ kind: 'error', error });
    if (this.#byStatement !== undefined) {
      this.#callFailed = true;
      this.#batchFailed = true;
    }
  }

  /** DONEPROC of a batched RPC: its statements' counts are final, unless it or an RPC before it failed. */
  #endCall(): void {
    const statements = this.#options.batchStatements?.[this.#call] ?? 1;
    if (!this.#callFailed && !this.#batchFailed) {
      this.#byStatement!.push(this.#callCount);
      for (let extra = 1; extra < statements; extra += 1) this.#byStatement!.push(-1);
    }
    if (this.#callFailed) this.#batchFailed = true;
    this.#call += 1;
    this.#callCount = -1;
    this.#callFailed = false;
    this.#afterColumns = false;
  }

  /** The request's completion callback. */
  complete(error: Error | null | undefined): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#endError = error;
    if (error) this.#noteFatal(toDbError(error));
    // The abort listener stays: core's signal belongs to this execution alone and is dropped with it, and an abort
    // after the end does nothing (#cancel checks #ended). Removing it cost a visible share of a short command.
    this.#options.onEnded?.(this.#fatal !== undefined);
    this.#markEnded?.();
    // Nothing more will come: wake the reader now rather than after the parser's turn.
    this.#wakeNow();
  }

  /** Resolves once the request completed (the session is idle). */
  whenEnded(): Promise<void> {
    if (this.#ended) return Promise.resolve();
    this.#whenEnded ??= new Promise((resolve) => {
      this.#markEnded = resolve;
    });
    return this.#whenEnded;
  }

  async nextResult(): Promise<ResultSetHeader | null> {
    await this.#settleIfCancelled();
    if (this.#inResult) await this.#skipRows();
    for (;;) {
      const item = this.#take();
      if (item === undefined) {
        if (this.#ended) {
          this.#throwEndError();
          return null;
        }
        await this.#next();
        continue;
      }
      // A row here belongs to a result set the reader skipped.
      if (Array.isArray(item)) continue;
      switch (item.kind) {
        case 'columns': {
          this.#inResult = true;
          const keyInfo = this.#resultSets === 0 ? this.#options.keyInfo : undefined;
          this.#resultSets += 1;
          return { columns: item.columns.map((column, ordinal) => toDbColumn(column, ordinal, keyInfo?.[ordinal])) };
        }
        case 'done':
          // A DONE outside a result set ends a statement; with a count it was DML (or a SELECT assignment).
          if (item.rowCount === undefined) continue;
          this.#recordsAffected = Math.max(this.#recordsAffected, 0) + item.rowCount;
          return { columns: [] };
        case 'error':
          this.#errorSurfaced = true;
          throw item.error;
      }
    }
  }

  async fetch(maxRows: number): Promise<unknown[][]> {
    await this.#settleIfCancelled();
    const rows: unknown[][] = [];
    while (this.#inResult && rows.length < maxRows) {
      if (this.#queue.takeRows(maxRows - rows.length, rows) > 0) {
        this.#resumeIfDrained();
        continue;
      }
      const item = this.#queue.peek();
      if (item === undefined) {
        if (this.#ended) {
          this.#inResult = false;
          if (rows.length === 0) this.#throwEndError();
          break;
        }
        // Hand out what is there rather than wait for a full batch.
        if (rows.length > 0) break;
        await this.#next(true);
        continue;
      }
      // A marker (takeRows stopped at it): the result set ends here.
      const marker = item as MssqlMarker;
      if (marker.kind === 'error' && rows.length > 0) break;
      if (marker.kind !== 'columns') this.#queue.take();
      this.#inResult = false;
      if (marker.kind === 'error') {
        this.#errorSurfaced = true;
        throw marker.error;
      }
    }
    return rows;
  }

  /**
   * Discards what is left and resolves once the request completed. With output parameters or a return value the rest
   * is read (those values come last); otherwise the request is cancelled with ATTENTION, which is cheaper than reading
   * rows nobody wants.
   */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    this.#discarding = true;
    this.#clearQueue();
    if (!this.#ended) {
      if (this.#options.drainOnClose && !this.#options.cancellation.aborted) this.#resume();
      else this.#cancel();
      await this.whenEnded();
      this.#clearQueue();
    }
    if (this.#fatal) this.#options.onFatal?.(this.#fatal);
  }

  #noteFatal(error: AsyncDbError): void {
    if (error instanceof DbError && error.category === DbErrorCategory.ConnectionFailure) this.#fatal ??= error;
  }

  readonly #onAbort = (): void => this.#cancel();

  #cancel(): void {
    if (this.#ended || this.#cancelRequested) return;
    this.#cancelRequested = true;
    this.#clearQueue();
    // tedious resumes a paused request itself to read up to the attention acknowledgement.
    this.#options.cancel();
  }

  /** After a cancel, wait for the acknowledgement and report tedious' error (core maps it to the right type). */
  async #settleIfCancelled(): Promise<void> {
    if (!this.#cancelRequested) return;
    await this.whenEnded();
    this.#inResult = false;
    throw toDbError(this.#endError ?? new Error('The command was cancelled.'));
  }

  async #skipRows(): Promise<void> {
    for (;;) {
      const item = this.#peek();
      if (item === undefined) {
        if (this.#ended) break;
        await this.#next();
        continue;
      }
      if (Array.isArray(item)) {
        this.#take();
        continue;
      }
      if (item.kind === 'columns') break;
      this.#take();
      if (item.kind === 'done') break;
      if (item.kind === 'error') {
        this.#inResult = false;
        this.#errorSurfaced = true;
        throw item.error;
      }
    }
    this.#inResult = false;
  }

  #throwEndError(): void {
    if (this.#endError && !this.#errorSurfaced) {
      this.#errorSurfaced = true;
      throw toDbError(this.#endError);
    }
  }

  #parameterName(returned: string): string {
    const name = returned.startsWith('@') ? returned.slice(1) : returned;
    if (this.#options.parameterNames.includes(name)) return name;
    const lower = name.toLowerCase();
    return this.#options.parameterNames.find((candidate) => candidate.toLowerCase() === lower) ?? name;
  }

  /**
   * A ROW token. Its values are converted as it arrives, into the array tedious emitted (ours alone: no row collection,
   * no other listener), so what waits in the queue is one array of final values — tedious' per-value
   * `{ value, metadata }` objects die young instead of surviving in the buffer, and no second array is made per row.
   */
  onRow(columns: readonly TediousColumnValue[]): void {
    if (this.#discarding || this.#cancelRequested) return;
    const row = columns as unknown as unknown[];
    const converters = this.#converters;
    try {
      for (let index = 0; index < row.length; index += 1) {
        const value = (row[index] as TediousColumnValue).value;
        const convert = converters[index];
        row[index] = convert === undefined ? value : convert(value);
      }
    } catch (error) {
      // Thrown here it would escape into tedious' token parser; queued, the reader gets it at this row's place.
      this.#pushError(toDbError(error));
      return;
    }
    this.#push(row);
    if (this.#queue.rowCount >= HIGH_WATER_MARK && !this.#paused) {
      this.#paused = true;
      this.#request?.pause();
    }
  }

  #push(item: MssqlQueued): void {
    // After a batched RPC failed, the results of the RPCs the server still runs are not the reader's.
    if (this.#discarding || this.#cancelRequested || this.#batchFailed) return;
    this.#queue.push(item);
    this.#notify();
  }

  #peek(): MssqlQueued | undefined {
    return this.#queue.peek();
  }

  #take(): MssqlQueued | undefined {
    const item = this.#queue.take();
    if (Array.isArray(item)) this.#resumeIfDrained();
    return item;
  }

  #resumeIfDrained(): void {
    if (this.#queue.rowCount <= LOW_WATER_MARK) this.#resume();
  }

  #clearQueue(): void {
    this.#queue.clear();
  }

  #resume(): void {
    if (!this.#paused || this.#ended || this.#cancelRequested) return;
    this.#paused = false;
    this.#request?.resume();
  }

  /**
   * Waits for {@link MssqlResultCursor.#notify}; callers re-check the queue after it (a wake may find nothing new).
   * `forRows`: the reader wants rows, and is woken as soon as {@link WAKE_BATCH_ROWS} are queued.
   */
  #next(forRows = false): Promise<void> {
    this.#wakeForRows = forRows;
    return new Promise((resolve) => {
      this.#wake = resolve;
    });
  }

  /**
   * Something was queued: wake the waiting reader once tedious has parsed everything it received (`setImmediate` runs
   * after the I/O callback that fed the parser and all its microtasks), or — when it waits for rows — as soon as a
   * small batch is queued. tedious hands tokens out one microtask apart, so a reader woken at each token waits again
   * for the next: a `SELECT 1` took four waits (columns, row, DONE, completion) where one does, and a streamed read
   * paid a fetch per row.
   */
  #notify(): void {
    if (this.#wake === undefined) return;
    if (this.#wakeForRows && this.#queue.rowCount >= WAKE_BATCH_ROWS) {
      this.#wakeNow();
      return;
    }
    if (this.#wakeScheduled) return;
    this.#wakeScheduled = true;
    setImmediate(MssqlResultCursor.#wakeLater, this);
  }

  static #wakeLater(cursor: MssqlResultCursor): void {
    cursor.#wakeScheduled = false;
    cursor.#wakeNow();
  }

  #wakeNow(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}
