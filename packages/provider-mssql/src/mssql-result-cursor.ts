import { DbError, DbErrorCategory, type AsyncDbError, type ResultCursor, type ResultSetHeader } from '@asyncdb/core';
import { toDbColumn } from './mssql-columns.js';
import type { DescribedColumn } from './mssql-describe.js';
import { toDbError } from './mssql-error-converter.js';
import type { TediousColumnMetadata, TediousColumnValue, TediousMessageToken, TediousRequest } from './mssql-tedious.js';
import { valueConverterFor, type MssqlValueConverter } from './mssql-values.js';

/** Rows buffered before the request is paused (tedious then stops reading the socket: TCP backpressure). */
export const HIGH_WATER_MARK = 1024;
/** Rows left in the buffer when a paused request is resumed. */
export const LOW_WATER_MARK = 256;

/** What the cursor needs besides the request's events. */
export interface MssqlCursorOptions {
  /** Sends ATTENTION for the running request (tedious `connection.cancel()`). */
  readonly cancel: () => void;
  /** Core's signal: aborting it cancels the request on the server. */
  readonly signal: AbortSignal;
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
}

type Item =
  | { readonly kind: 'columns'; readonly columns: readonly TediousColumnMetadata[] }
  | { readonly kind: 'row'; readonly values: readonly TediousColumnValue[] }
  | { readonly kind: 'done'; readonly rowCount: number | undefined }
  | { readonly kind: 'error'; readonly error: AsyncDbError };

/**
 * The results of one tedious request, pulled by core's reader. tedious pushes tokens as events; they are queued in
 * order (result columns, rows, DONE counts, ERROR tokens) and handed out on demand. At {@link HIGH_WATER_MARK}
 * buffered rows the request is paused and resumed once the reader drained it below {@link LOW_WATER_MARK}, so memory
 * stays bounded however large the result.
 *
 * Cancellation: aborting `options.signal` (cancel, AbortSignal, command timeout, close) sends ATTENTION; tedious then
 * discards the rest and completes the request with ECANCEL once the server acknowledged — the session is idle again.
 * Pending and later calls reject after that completion, so core sees the command settle only when the connection is
 * reusable.
 */
export class MssqlResultCursor implements ResultCursor {
  readonly #options: MssqlCursorOptions;
  #request: TediousRequest | undefined;
  readonly #queue: Item[] = [];
  #head = 0;
  #bufferedRows = 0;
  #paused = false;
  #discarding = false;
  #inResult = false;
  #converters: MssqlValueConverter[] = [];
  #ended = false;
  #endError: Error | null | undefined;
  #errorSurfaced = false;
  #cancelRequested = false;
  #wake: (() => void) | undefined;
  #whenEnded: Promise<void>;
  #markEnded!: () => void;
  #recordsAffected = -1;
  #resultSets = 0;
  #returnStatus: number | undefined;
  readonly #outputs = new Map<string, unknown>();
  #closing: Promise<void> | undefined;
  #fatal: AsyncDbError | undefined;

  constructor(options: MssqlCursorOptions) {
    this.#options = options;
    this.#whenEnded = new Promise((resolve) => {
      this.#markEnded = resolve;
    });
    if (options.signal.aborted) this.#cancel();
    else options.signal.addEventListener('abort', this.#onAbort, { once: true });
  }

  /** Rows changed by the DML statements completed so far, or -1. */
  get recordsAffected(): number {
    return this.#recordsAffected;
  }

  /** Output parameter values (by name without '@') and the return status, once the request completed. */
  get outputValues(): ReadonlyMap<string, unknown> | undefined {
    if (!this.#ended) return undefined;
    const values = new Map(this.#outputs);
    if (this.#options.returnValueName !== undefined) values.set(this.#options.returnValueName, this.#returnStatus ?? null);
    return values;
  }

  /** Subscribes to a request's events; call before the request is sent. */
  attach(request: TediousRequest): void {
    this.#request = request;
    request.on('columnMetadata', (columns) => this.#push({ kind: 'columns', columns }));
    request.on('row', (values) => {
      if (this.#discarding) return;
      this.#push({ kind: 'row', values });
      this.#bufferedRows += 1;
      if (this.#bufferedRows >= HIGH_WATER_MARK && !this.#paused && !this.#cancelRequested) {
        this.#paused = true;
        request.pause();
      }
    });
    request.on('done', (rowCount) => this.#push({ kind: 'done', rowCount }));
    request.on('doneInProc', (rowCount) => this.#push({ kind: 'done', rowCount }));
    request.on('doneProc', (_rowCount, _more, returnStatus) => {
      if (returnStatus !== undefined) this.#returnStatus = returnStatus;
    });
    request.on('returnValue', (name, value, metadata) => {
      this.#outputs.set(this.#parameterName(name), valueConverterFor(metadata)(value));
    });
  }

  /** An ERROR token of this request (tedious reports them on the connection, in stream order). */
  onErrorMessage(token: TediousMessageToken): void {
    if (this.#ended || this.#cancelRequested) return;
    const error = toDbError({ ...token, code: 'EREQUEST' });
    this.#noteFatal(error);
    this.#push({ kind: 'error', error });
  }

  /** The request's completion callback. */
  complete(error: Error | null | undefined): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#endError = error;
    if (error) this.#noteFatal(toDbError(error));
    this.#options.signal.removeEventListener('abort', this.#onAbort);
    this.#markEnded();
    this.#notify();
  }

  /** Resolves once the request completed (the session is idle). */
  whenEnded(): Promise<void> {
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
      switch (item.kind) {
        case 'columns': {
          this.#inResult = true;
          this.#converters = item.columns.map(valueConverterFor);
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
        case 'row':
          continue;
      }
    }
  }

  async fetch(maxRows: number): Promise<unknown[][]> {
    await this.#settleIfCancelled();
    const rows: unknown[][] = [];
    while (this.#inResult && rows.length < maxRows) {
      const item = this.#peek();
      if (item === undefined) {
        if (this.#ended) {
          this.#inResult = false;
          if (rows.length === 0) this.#throwEndError();
          break;
        }
        if (rows.length > 0) break;
        await this.#next();
        continue;
      }
      if (item.kind === 'row') {
        this.#take();
        rows.push(item.values.map((column, index) => (this.#converters[index] ?? identity)(column.value)));
        continue;
      }
      if (item.kind === 'error' && rows.length > 0) break;
      if (item.kind !== 'columns') this.#take();
      this.#inResult = false;
      if (item.kind === 'error') {
        this.#errorSurfaced = true;
        throw item.error;
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
      if (this.#options.drainOnClose && !this.#options.signal.aborted) this.#resume();
      else this.#cancel();
    }
    await this.#whenEnded;
    this.#clearQueue();
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
    await this.#whenEnded;
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

  #push(item: Item): void {
    if (this.#discarding || this.#cancelRequested) return;
    this.#queue.push(item);
    this.#notify();
  }

  #peek(): Item | undefined {
    return this.#queue[this.#head];
  }

  #take(): Item | undefined {
    const item = this.#queue[this.#head];
    if (item === undefined) return undefined;
    // Drop the reference at once so a consumed row can be collected before the queue is compacted.
    this.#queue[this.#head] = undefined as unknown as Item;
    this.#head += 1;
    if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue.splice(0, this.#head);
      this.#head = 0;
    }
    if (item.kind === 'row') {
      this.#bufferedRows -= 1;
      if (this.#bufferedRows <= LOW_WATER_MARK) this.#resume();
    }
    return item;
  }

  #clearQueue(): void {
    this.#queue.length = 0;
    this.#head = 0;
    this.#bufferedRows = 0;
  }

  #resume(): void {
    if (!this.#paused || this.#ended || this.#cancelRequested) return;
    this.#paused = false;
    this.#request?.resume();
  }

  #next(): Promise<void> {
    return new Promise((resolve) => {
      this.#wake = resolve;
    });
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}

const identity: MssqlValueConverter = (value) => value;
