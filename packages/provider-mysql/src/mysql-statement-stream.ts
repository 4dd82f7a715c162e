import type { MysqlCommand, MysqlField, MysqlOkPacket, MysqlPacket } from './mysql-driver.js';
import { isEofPacket } from './mysql-last-packet.js';
import { chooseRowParser } from './mysql-row-parser-choice.js';

/** One thing a running statement produced, in order. */
export type StatementItem =
  | { readonly kind: 'columns'; readonly fields: readonly MysqlField[] }
  | { readonly kind: 'row'; readonly row: unknown[] }
  | { readonly kind: 'ok'; readonly packet: MysqlOkPacket }
  | { readonly kind: 'end' }
  | { readonly kind: 'error'; readonly error: Error };

/** What the stream needs from the session: flow control of the socket, and the end of the statement. */
export interface FlowControl {
  pause(): void;
  resume(): void;
  /** The packet that ended the statement, while its `end` event is handled (undefined when unknown). */
  endingPacket?(): MysqlPacket | undefined;
  /** Told once, synchronously, when the stream ends (so the session stops tracking it). */
  streamFinished?(stream: MysqlStatementStream): void;
}

/** Who {@link MysqlStatementStream.onNextPush} wakes: the one-shot cursor itself. */
export interface PushReader {
  /** Something was pushed, the stream finished, or it was interrupted. */
  onPush(): void;
}

/** The stream a command's events go to: set on the command, so the listeners can be shared functions. */
const STREAM = Symbol('asyncdb.mysqlStatementStream');

interface AttachedCommand extends MysqlCommand {
  [STREAM]: MysqlStatementStream;
}

const RESOLVED: Promise<void> = Promise.resolve();

/** The terminal item of a clean end: one shared object, nothing to allocate per statement. */
const END: { readonly kind: 'end' } = Object.freeze({ kind: 'end' });

/*
 * The listeners of every command, created once: `this` is the command, which carries its stream. A statement costs
 * four `on` calls and no closure.
 */
function onFields(this: MysqlCommand, fields: MysqlField[] | undefined): void {
  if (fields !== undefined) chooseRowParser(this, fields);
  (this as AttachedCommand)[STREAM].onFields(fields);
}
function onResult(this: MysqlCommand, result: unknown[] | MysqlOkPacket): void {
  (this as AttachedCommand)[STREAM].onResult(result);
}
function onError(this: MysqlCommand, error: Error): void {
  (this as AttachedCommand)[STREAM].finish({ kind: 'error', error });
}
function onEnd(this: MysqlCommand): void {
  (this as AttachedCommand)[STREAM].onEnd();
}

/**
 * The events of one mysql2 command (one statement) as a pull queue with backpressure: rows are buffered until
 * `highWaterMark`, then the socket is paused (`connection.pause()`, so TCP pushes back on the server) and resumed
 * once the reader has taken half of them. Memory stays bounded however many rows the statement returns.
 *
 * The terminal item (`end` or `error`) is always the last; events after it (mysql2 may emit `end` twice after a
 * failed prepare) are ignored.
 */
/** What the queue holds: a row bare (an array: no wrapper object per row), anything else as its item. */
type Queued = unknown[] | Exclude<StatementItem, { readonly kind: 'row' }>;

/** The queue of a stream that has received nothing yet (never written to: see `#append`). */
const NO_ITEMS: Queued[] = [];

export class MysqlStatementStream {
  readonly #flow: FlowControl;
  /**
   * Made when the first item arrives: an array made with the stream would live for the whole round trip, and V8
   * pretenures an array literal's site when a burst of callers keeps many alive at once (see mysql-result-cursor.ts).
   */
  #items: Queued[] = NO_ITEMS;
  #head = 0;
  #bufferedRows = 0;
  #highWaterMark: number;
  #paused = false;
  #discarding = false;
  #finished = false;
  #endedCleanly = false;
  #warningCount = 0;
  #failure: Error | undefined;
  #serverStatus: number | undefined;
  #okPending = false;
  #waiter: (() => void) | undefined;
  /** The one-shot reader waiting instead of {@link #waiter} (an object: no closure per command). */
  #reader: PushReader | undefined;
  /** {@link #reader} is woken only by the end, a pause or an interrupt ({@link onEndOrPause}). */
  #readerWaitsForEnd = false;
  // Created only when someone waits for the end (cancel, drain): most statements are simply read to it.
  #done: Promise<void> | undefined;
  #resolveDone: (() => void) | undefined;

  constructor(flow: FlowControl, highWaterMark: number) {
    this.#flow = flow;
    this.#highWaterMark = Math.max(1, highWaterMark);
  }

  /** Subscribes to a command's events (`fields`, `result`, `error`, `end`). */
  attach(command: MysqlCommand): void {
    (command as AttachedCommand)[STREAM] = this;
    command.on('fields', onFields);
    command.on('result', onResult);
    command.on('error', onError);
    command.on('end', onEnd);
  }

  /** @internal A command's `fields` event: column definitions, or `undefined` before an OK packet. */
  onFields(fields: MysqlField[] | undefined): void {
    if (fields === undefined) this.#okPending = true;
    else this.#push({ kind: 'columns', fields });
  }

  /** @internal A command's `result` event: a row, or the OK packet announced by `fields: undefined`. */
  onResult(result: unknown[] | MysqlOkPacket): void {
    if (this.#okPending || !Array.isArray(result)) {
      this.#okPending = false;
      const packet = result as MysqlOkPacket;
      this.#warningCount = Math.max(this.#warningCount, packet.warningStatus ?? 0);
      this.#serverStatus = packet.serverStatus;
      this.#push({ kind: 'ok', packet });
    } else {
      this.#pushRow(result);
    }
  }

  /** @internal A command's `end` event: an EOF packet that ended it carries a result set's warnings and status. */
  onEnd(): void {
    const packet = this.#flow.endingPacket?.();
    if (isEofPacket(packet)) this.endWith(packet.eofWarningCount(), packet.eofStatusFlags());
    else this.endWith(undefined, undefined);
  }

  /**
   * @internal The statement ended cleanly; a text query that read the final EOF packet itself passes its warning count
   * and status (undefined after an OK packet, whose own were taken with it): no watched packet to look up.
   */
  endWith(warningCount: number | undefined, serverStatus: number | undefined): void {
    if (this.#finished) return;
    if (warningCount !== undefined) {
      this.#warningCount = Math.max(this.#warningCount, warningCount);
      this.#serverStatus = serverStatus;
    }
    this.finish(END);
  }

  /** The error the statement ended with, once it did (undefined while running or after a clean end). */
  get failure(): Error | undefined {
    return this.#failure;
  }

  /** True once `end` or `error` arrived (or {@link finish} was called). */
  get finished(): boolean {
    return this.#finished;
  }

  /** True while the socket is paused because the buffer is full (the statement has more rows to send). */
  get paused(): boolean {
    return this.#paused;
  }

  /** Resolves when the statement is over on the wire. */
  get done(): Promise<void> {
    if (this.#finished) return RESOLVED;
    this.#done ??= new Promise((resolve) => {
      this.#resolveDone = resolve;
    });
    return this.#done;
  }

  /**
   * The server status flags the statement ended with (`SERVER_STATUS_*`, from its last OK or EOF packet); undefined
   * when unknown (it failed, or was cut short).
   */
  get serverStatus(): number | undefined {
    return this.#finished && this.#endedCleanly ? this.#serverStatus : undefined;
  }

  /** Warnings the server reported for the statement (OK packets and EOF packets). */
  get warningCount(): number {
    return this.#warningCount;
  }

  /** Rows may be buffered up to this many before the socket is paused. */
  set highWaterMark(rows: number) {
    this.#highWaterMark = Math.max(1, rows);
  }

  /** The next item without taking it, or undefined when none is buffered. */
  peek(): StatementItem | undefined {
    const item = this.#items[this.#head];
    return Array.isArray(item) ? { kind: 'row', row: item } : item;
  }

  /** Takes the next buffered item (undefined when none). */
  take(): StatementItem | undefined {
    const item = this.#items[this.#head];
    if (item === undefined) return undefined;
    this.#advance();
    if (!Array.isArray(item)) return item;
    this.#rowTaken();
    return { kind: 'row', row: item };
  }

  /** Takes the next buffered item if it is a row (the hot path of reading: no item object). */
  takeRow(): unknown[] | undefined {
    const item = this.#items[this.#head];
    if (!Array.isArray(item)) return undefined;
    this.#advance();
    this.#rowTaken();
    return item;
  }

  /** Takes the next buffered item that is not a row, dropping the rows before it (nobody reads them any more). */
  takeNonRow(): StatementItem | undefined {
    for (;;) {
      const item = this.#items[this.#head];
      if (item === undefined) return undefined;
      this.#advance();
      if (!Array.isArray(item)) return item;
      this.#rowTaken();
    }
  }

  #advance(): void {
    this.#items[this.#head] = undefined as unknown as Queued;
    this.#head += 1;
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
  }

  #rowTaken(): void {
    this.#bufferedRows -= 1;
    if (this.#paused && this.#bufferedRows * 2 <= this.#highWaterMark) this.#setPaused(false);
  }

  /**
   * Resolves when an item is buffered (at once when one is), or when {@link interrupt} is called: callers check
   * again after it resolves.
   */
  waitForItem(): Promise<void> {
    if (this.#head < this.#items.length) return RESOLVED;
    return new Promise<void>((resolve) => {
      this.#reader = undefined;
      this.#readerWaitsForEnd = false;
      this.#waiter = resolve;
    });
  }

  /**
   * Calls `reader.onPush()` once, synchronously, when the next item is pushed, the stream finishes or it is
   * interrupted (items already buffered do not count): {@link waitForItem} without a promise, for the one-shot path.
   * Replaces a waiter, as a later {@link waitForItem} replaces this.
   */
  onNextPush(reader: PushReader): void {
    this.#waiter = undefined;
    this.#reader = reader;
    this.#readerWaitsForEnd = false;
  }

  /**
   * {@link onNextPush} for a reader that can only finish at the statement's end anyway (the one-shot): `reader.onPush()`
   * is called once the stream finishes, pauses (its buffer is full: rows are left to kill or drain) or is interrupted —
   * not for every column list, row and OK packet on the way, which it then takes in one pass.
   */
  onEndOrPause(reader: PushReader): void {
    this.#waiter = undefined;
    this.#reader = reader;
    this.#readerWaitsForEnd = true;
  }

  /** Wakes a reader waiting in {@link waitForItem} without an item (the command was aborted). */
  interrupt(): void {
    this.#wake();
  }

  /**
   * Stops buffering: drops the buffered rows and every later one, and resumes the socket so the statement can run
   * to its end (after a KILL QUERY, or to drain a procedure's remaining results). Non-row items are kept.
   */
  discard(): void {
    this.#discarding = true;
    // Nothing buffered (a non-query one-shot discards before any reply): no copies to make.
    if (this.#head >= this.#items.length) this.#items = NO_ITEMS;
    else this.#items = this.#items.slice(this.#head).filter((item) => !Array.isArray(item));
    this.#head = 0;
    this.#bufferedRows = 0;
    this.#setPaused(false);
  }

  /** Ends the stream with a terminal item (also used when the connection dies under it). */
  finish(item: { readonly kind: 'end' } | { readonly kind: 'error'; readonly error: Error }): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#endedCleanly = item.kind === 'end';
    if (item.kind === 'error') this.#failure = item.error;
    this.#append(item);
    this.#setPaused(false);
    this.#wake();
    this.#resolveDone?.();
    this.#flow.streamFinished?.(this);
  }

  #push(item: Exclude<StatementItem, { readonly kind: 'row' }>): void {
    if (this.#finished) return;
    this.#append(item);
    if (!this.#readerWaitsForEnd) this.#wake();
  }

  #pushRow(row: unknown[]): void {
    if (this.#finished || this.#discarding) return;
    this.#bufferedRows += 1;
    this.#append(row);
    if (!this.#paused && this.#bufferedRows >= this.#highWaterMark) {
      this.#setPaused(true);
      this.#wake();
    } else if (!this.#readerWaitsForEnd) this.#wake();
  }

  #append(item: Queued): void {
    if (this.#items === NO_ITEMS) this.#items = [item];
    else this.#items.push(item);
  }

  #setPaused(paused: boolean): void {
    if (this.#paused === paused) return;
    this.#paused = paused;
    if (paused) this.#flow.pause();
    else this.#flow.resume();
  }

  #wake(): void {
    const waiter = this.#waiter;
    const reader = this.#reader;
    this.#waiter = undefined;
    this.#reader = undefined;
    this.#readerWaitsForEnd = false;
    waiter?.();
    reader?.onPush();
  }
}
