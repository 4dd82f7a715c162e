import type { Cancellation, InfoMessage, OneShotKind, OneShotSink, ResultCursor, ResultSetHeader } from '@asyncdb/core';
import { mysqlResultShape, type MysqlResultShape } from './mysql-columns.js';
import { cachedResultShape } from './mysql-shape-cache.js';
import type { MysqlOkPacket } from './mysql-driver.js';
import { toDbError } from './mysql-error-converter.js';
import type { MysqlSession } from './mysql-session.js';
import type { PlannedStatement } from './mysql-statement-plan.js';
import type { MysqlStatementStream, PushReader, StatementItem } from './mysql-statement-stream.js';
import { countsAffectedRows, isReadOnlyStatement } from './mysql-sql-words.js';

/** ER_UNSUPPORTED_PS: the statement cannot be prepared (PREPARE, EXECUTE, DEALLOCATE, a few administrative ones). */
const ER_UNSUPPORTED_PS = 1295;

/** Rows buffered per statement before the socket is paused, until the reader says how many it fetches at a time. */
const DEFAULT_HIGH_WATER_MARK = 1000;

/** What the cursor reports to its connection. */
export interface CursorListener {
  /** A server warning or note (from SHOW WARNINGS). */
  infoMessage(message: InfoMessage): void;
}

/*
 * The two records below live for a whole round trip: classes, not object literals, because V8 moves a literal's
 * allocation site to the old generation when a burst of callers keeps many of its objects alive across a scavenge
 * (allocation-site pretenuring), and everything they reference is then promoted with them.
 */

/** A one-shot execution in progress (see {@link MysqlResultCursor.once}). */
class OneShot {
  /** The scalar was read (always true for a non-query). */
  found: boolean;
  value: unknown = undefined;

  constructor(
    readonly kind: OneShotKind,
    readonly sink: OneShotSink,
  ) {
    this.found = kind !== 'scalar';
  }
}

/** The statement being run and the stream of its results. */
class Running {
  constructor(
    readonly statement: PlannedStatement,
    readonly stream: MysqlStatementStream,
    /** Its index in the command's (or batch's) statements. */
    readonly index: number,
  ) {}
}

/**
 * A `DbBatch` run as one pipeline (see `mysql-batch-pipeline.ts`): for each command, the index just past its last
 * planned statement and how many statements core gave it (what `recordsAffectedByStatement` counts in).
 */
export interface MysqlBatchPlan {
  readonly commands: ReadonlyArray<{ readonly end: number; readonly statements: number }>;
}

/**
 * The results of one command: runs its statements one at a time, in order, each producing its results (rows, or
 * an OK packet for DML/DDL), and streams rows with backpressure. Implements core's {@link ResultCursor}.
 *
 * Cancellation: when core aborts the request while a statement runs, the session kills it with KILL QUERY from
 * a side connection, waits for the session to be idle, and only then does the pending call reject (core turns the
 * rejection into the right typed error). `close()` kills an unfinished read-only statement (cheaper than reading
 * its rows), lets anything with effects finish, and runs the statements with effects that were not reached yet, as
 * the server would have run them in an ADO.NET batch.
 */
export class MysqlResultCursor implements ResultCursor, PushReader {
  readonly #session: MysqlSession;
  readonly #statements: readonly PlannedStatement[];
  readonly #cancellation: Cancellation;
  readonly #listener: CursorListener;
  #next = 0;
  #running: Running | undefined;
  #shape: MysqlResultShape | undefined;
  #highWaterMark = DEFAULT_HIGH_WATER_MARK;
  #affected = -1;
  #failed = false;
  #closed = false;
  /** Set when close() is over: an abort can no longer concern this execution. */
  #settled = false;
  #cancelling: Promise<void> | undefined;
  #outputs: Map<string, unknown> | undefined;
  readonly #onAbort: () => void;
  #oneShot: OneShot | undefined;
  /** Set for a pipelined batch: every statement is sent at once, when the first result is asked for. */
  readonly #batch: MysqlBatchPlan | undefined;
  #streams: MysqlStatementStream[] | undefined;
  // Array(), not a literal: a literal array is an allocation site V8 may pretenure (docs/benchmarks.md).
  readonly #byStatement: number[] = Array();
  #command = 0;
  #commandAffected = -1;

  constructor(
    session: MysqlSession,
    statements: readonly PlannedStatement[],
    cancellation: Cancellation,
    listener: CursorListener,
    batch?: MysqlBatchPlan,
  ) {
    this.#session = session;
    this.#batch = batch;
    this.#statements = statements;
    this.#cancellation = cancellation;
    this.#listener = listener;
    this.#onAbort = () => {
      // Left registered once close is over (removing a listener costs as much as adding one): it then does nothing.
      if (this.#settled) return;
      const running = this.#running;
      const streams = this.#streams;
      this.#cancelling = streams
        ? this.#session.cancel(streams)
        : running && !running.stream.finished
          ? this.#session.cancel(running.stream)
          : this.#session.whenIdle();
      // A read waiting for the statement wakes up, sees the abort and waits for the cancel instead.
      running?.stream.interrupt();
    };
    // The cancellation belongs to this execution alone and aborts at most once: no removal. (Watched without core's
    // AbortSignal, which core then never has to create.)
    cancellation.onAbort(this.#onAbort);
  }

  /** Rows changed by the DML statements completed so far, or -1 when none was DML. */
  get recordsAffected(): number {
    return this.#affected;
  }

  /** For a batch: one entry per core statement completed so far (see core's `ResultCursor`). */
  get recordsAffectedByStatement(): readonly number[] | undefined {
    return this.#batch ? this.#byStatement : undefined;
  }

  /** The procedure's OUT and INOUT parameter values, once read. */
  get outputValues(): ReadonlyMap<string, unknown> | undefined {
    return this.#outputs;
  }

  /**
   * `executeScalar` / `executeNonQuery` of a single statement without output parameters, in one call: the
   * statement's items are taken as they arrive, from the stream's own wake-up (no `nextResult`/`fetch`/`close`
   * promises). What it does is what core's `runCursorOnce` would do with this cursor — the first row's first value,
   * every OK packet counted, warnings reported, an unpreparable statement retried as text, a statement with rows left
   * ended through {@link close} (KILL QUERY for a read, drained otherwise). The outcome goes to core's `sink` (no
   * promise of its own). Returns false, having started nothing, when the command does not fit (several statements,
   * output parameters, already aborted): the caller uses `runCursorOnce`.
   */
  startOnce(kind: OneShotKind, sink: OneShotSink): boolean {
    const statement = this.#statements[0];
    if (statement === undefined || this.#statements.length !== 1 || statement.outputNames || this.#batch) return false;
    if (this.#cancellation.aborted) return false;
    this.#next = 1;
    this.#oneShot = new OneShot(kind, sink);
    this.#startOnce(statement);
    return true;
  }

  #startOnce(statement: PlannedStatement): void {
    const stream = this.#session.start(statement.text, statement.values, this.#highWaterMark);
    this.#running = new Running(statement, stream, 0);
    // A non-query reads every row only to drop it: drop them on arrival instead.
    if (this.#oneShot!.kind === 'nonQuery') stream.discard();
    this.#advanceOnce();
  }

  /**
   * @internal The one-shot's wake-up from its statement's stream (the cursor is the stream's reader: no closure per
   * command). Only the one-shot path registers it.
   */
  onPush(): void {
    this.#advanceOnce();
  }

  /** Takes what the statement produced so far; settles the one-shot, or waits for the next item. */
  #advanceOnce(): void {
    const shot = this.#oneShot!;
    const running = this.#running!;
    const stream = running.stream;
    if (this.#cancellation.aborted) {
      this.#settleOnce(this.#rejectAborted());
      return;
    }
    for (;;) {
      if (shot.found && !stream.finished) {
        // Rows nobody reads: left buffered, so that a long read fills the buffer and is then killed by close(), as
        // the reader's first fetch and close would; a short one simply ends.
        if (stream.paused) this.#settleOnce(this.close());
        else stream.onEndOrPause(this);
        return;
      }
      if (!shot.found) {
        // The first row is taken bare (no item object around it).
        const row = stream.takeRow();
        if (row !== undefined) {
          shot.found = true;
          shot.value = this.#shape!.convert(row)[0];
          this.#shape = undefined;
          continue;
        }
      }
      const item = stream.takeNonRow();
      if (item === undefined) {
        // Woken again at the statement's end (or when its buffer fills): everything up to there in one pass.
        stream.onEndOrPause(this);
        return;
      }
      switch (item.kind) {
        case 'columns':
          if (!shot.found) this.#shape = cachedResultShape(item.fields);
          continue;
        case 'row':
          // takeNonRow never returns a row.
          continue;
        case 'ok':
          this.#countOk(running.statement, item.packet);
          continue;
        case 'end':
          this.#running = undefined;
          this.#shape = undefined;
          this.#settleOnce(stream.warningCount > 0 ? this.#reportWarnings(stream) : undefined);
          return;
        case 'error':
          this.#running = undefined;
          this.#shape = undefined;
          if (isUnpreparable(item.error) && running.statement.values?.length === 0) {
            this.#startOnce({ ...running.statement, values: undefined });
            return;
          }
          this.#failed = true;
          this.#settleOnce(Promise.reject(toDbError(item.error, this.#session.settings.secrets)));
          return;
      }
    }
  }

  /** Resolves the one-shot once `pending` (warnings, close, the abort's cancel) is over, or rejects with its failure. */
  #settleOnce(pending: Promise<unknown> | undefined): void {
    const shot = this.#oneShot!;
    // The usual case settles at once, without a closure.
    if (pending === undefined) {
      this.#succeedOnce(shot);
      return;
    }
    pending.then(
      () => this.#succeedOnce(shot),
      (error: unknown) => {
        this.#closed = true;
        this.#settled = true;
        shot.sink.fail(error);
      },
    );
  }

  /** Delivers the one-shot's result; the cursor is over. */
  #succeedOnce(shot: OneShot): void {
    this.#closed = true;
    this.#settled = true;
    shot.sink.succeed(shot.value, this.#affected, undefined);
  }

  async nextResult(): Promise<ResultSetHeader | null> {
    if (this.#cancellation.aborted) await this.#rejectAborted();
    if (this.#shape && this.#running) await this.#leaveCurrentRows();
    for (;;) {
      if (!this.#running) {
        const statement = this.#statements[this.#next];
        if (statement === undefined || this.#failed) return null;
        const index = this.#next;
        this.#next += 1;
        this.#running = new Running(statement, this.#start(index, statement), index);
      }
      const running = this.#running;
      const item = running.stream.takeNonRow() ?? (await this.#nextItem(running.stream));
      switch (item.kind) {
        case 'columns':
          if (running.statement.outputNames) {
            await this.#readOutputs(running, item.fields);
            continue;
          }
          this.#shape = cachedResultShape(item.fields);
          return { columns: this.#shape.columns };
        case 'ok':
          this.#countOk(running.statement, item.packet);
          return { columns: [] };
        case 'end':
          this.#running = undefined;
          this.#statementEnded(running.index);
          if (running.stream.warningCount > 0) await this.#reportWarnings(running.stream);
          continue;
        case 'error':
          this.#running = undefined;
          if (isUnpreparable(item.error) && running.statement.values?.length === 0 && !this.#batch) {
            // Nothing was executed and there are no values to protect: run it as plain text instead.
            const statement: PlannedStatement = { ...running.statement, values: undefined };
            const stream = this.#session.start(statement.text, undefined, this.#highWaterMark);
            this.#running = new Running(statement, stream, running.index);
            continue;
          }
          this.#fail();
          throw toDbError(item.error, this.#session.settings.secrets);
        case 'row':
          continue;
      }
    }
  }

  async fetch(maxRows: number): Promise<unknown[][]> {
    if (this.#cancellation.aborted) await this.#rejectAborted();
    const shape = this.#shape;
    const running = this.#running;
    if (!shape || !running) return [];
    this.#highWaterMark = Math.max(maxRows, 1);
    running.stream.highWaterMark = this.#highWaterMark;
    const rows: unknown[][] = [];
    const stream = running.stream;
    while (rows.length < maxRows) {
      const row = stream.takeRow();
      if (row !== undefined) {
        rows.push(shape.convert(row));
        continue;
      }
      const item = stream.peek();
      if (item === undefined) {
        if (rows.length > 0) break;
        await this.#wait(stream);
        continue;
      }
      if (item.kind === 'error' && rows.length === 0) {
        stream.take();
        this.#running = undefined;
        this.#shape = undefined;
        this.#fail();
        throw toDbError(item.error, this.#session.settings.secrets);
      }
      break;
    }
    if (rows.length === 0) this.#shape = undefined;
    return rows;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      if (this.#cancellation.aborted) return;
      this.#shape = undefined;
      if (this.#batch) {
        await this.#closeBatch();
        return;
      }
      // `#running` stays set while a statement is finished here, so that an abort during close can kill it.
      const running = this.#running;
      if (running) await this.#finishStatement(running, { mayKill: true });
      this.#running = undefined;
      while (!this.#failed) {
        const statement = this.#statements[this.#next];
        if (statement === undefined) break;
        this.#next += 1;
        // Reading a SELECT nobody will look at changes nothing; statements with effects run as the batch said.
        if (isReadOnlyStatement(statement.keyword) && !statement.outputNames) continue;
        if (this.#cancellation.aborted) await this.#rejectAborted();
        const stream = this.#session.start(statement.text, statement.values, this.#highWaterMark);
        const next = new Running(statement, stream, this.#next - 1);
        this.#running = next;
        await this.#finishStatement(next, { mayKill: false });
        this.#running = undefined;
      }
    } finally {
      this.#settled = true;
      if (this.#cancelling) await this.#cancelling;
      if (this.#session.cancelling) await this.#session.whenIdle();
    }
  }

  /** Takes the next non-row item of a statement, waiting for it (rows are dropped: nobody reads them any more). */
  async #nextItem(stream: MysqlStatementStream): Promise<StatementItem> {
    for (;;) {
      const item = stream.takeNonRow();
      if (item !== undefined) return item;
      await this.#wait(stream);
    }
  }

  /**
   * Before moving on: a result whose rows were not all read is skipped. A paused read-only statement (many rows
   * left) is killed rather than read to its end; anything else is drained.
   */
  async #leaveCurrentRows(): Promise<void> {
    const running = this.#running;
    if (!this.#shape || !running) return;
    this.#shape = undefined;
    const stream = running.stream;
    // In a pipelined batch a KILL could hit a later statement: the rows are read and dropped instead.
    if (this.#batch || stream.finished || !stream.paused || !isReadOnlyStatement(running.statement.keyword)) {
      stream.discard();
      return;
    }
    await this.#session.cancel(stream);
    this.#running = undefined;
    // The statement ended with "query interrupted" (or by itself); either way its results are over.
    while (stream.take() !== undefined) {
      // dropped
    }
  }

  /** Completes a statement during close: kill (read-only and allowed) or drain, then account for what it reported. */
  async #finishStatement(running: Running, options: { readonly mayKill: boolean }): Promise<void> {
    const { statement, stream } = running;
    if (!stream.finished && options.mayKill && isReadOnlyStatement(statement.keyword) && !statement.outputNames) {
      await this.#session.cancel(stream);
      return;
    }
    if (!statement.outputNames) stream.discard();
    for (;;) {
      const item = stream.takeNonRow() ?? (await this.#nextItem(stream));
      if (item.kind === 'ok') this.#countOk(statement, item.packet);
      else if (item.kind === 'columns' && statement.outputNames) await this.#readOutputs(running, item.fields);
      else if (item.kind === 'end') {
        await this.#reportWarnings(stream);
        return;
      } else if (item.kind === 'error') {
        this.#failed = true;
        throw toDbError(item.error, this.#session.settings.secrets);
      }
    }
  }

  /** The stream of statement `index`: a pipelined batch sends every statement the first time one is asked for. */
  #start(index: number, statement: PlannedStatement): MysqlStatementStream {
    if (this.#batch === undefined) return this.#session.start(statement.text, statement.values, this.#highWaterMark);
    this.#streams ??= this.#session.startBatch(this.#statements, this.#highWaterMark);
    return this.#streams[index]!;
  }

  /**
   * A statement failed. In a pipelined batch the statements after it were sent and still run on the server: their
   * results are dropped as they come (so that nothing pauses the socket) and they report no count.
   */
  #fail(): void {
    this.#failed = true;
    const streams = this.#streams;
    if (streams) for (let index = this.#next; index < streams.length; index += 1) streams[index]!.discard();
  }

  /**
   * Closing a pipelined batch: every statement was sent, so each is read to its end, its rows dropped (no KILL: it
   * could hit a later statement), its count taken, up to the first failure, which is thrown once the last reply is in.
   */
  async #closeBatch(): Promise<void> {
    this.#streams ??= this.#session.startBatch(this.#statements, this.#highWaterMark);
    const streams = this.#streams;
    const first = this.#running?.index ?? this.#next;
    this.#running = undefined;
    this.#next = streams.length;
    for (let index = first; index < streams.length; index += 1) streams[index]!.discard();
    let failure: Error | undefined;
    for (let index = first; index < streams.length; index += 1) {
      const stream = streams[index]!;
      const statement = this.#statements[index]!;
      for (;;) {
        const item = stream.takeNonRow() ?? (await this.#nextItem(stream));
        if (item.kind === 'ok') {
          // After a failure nothing is counted, but the server still ran the statement: what it changed (a USE, the
          // session state) must still be known to the reset.
          if (this.#failed) this.#observeOk(statement, item.packet);
          else this.#countOk(statement, item.packet);
        } else if (item.kind === 'end') {
          this.#statementEnded(index);
          if (index === streams.length - 1) await this.#reportWarnings(stream);
          break;
        } else if (item.kind === 'error') {
          if (!this.#failed) failure = item.error;
          this.#failed = true;
          break;
        }
      }
    }
    if (failure) throw toDbError(failure, this.#session.settings.secrets);
  }

  /** In a batch: once a command's last statement ended, its count goes into `recordsAffectedByStatement`. */
  #statementEnded(index: number): void {
    const commands = this.#batch?.commands;
    if (commands === undefined || this.#failed) return;
    while (this.#command < commands.length && commands[this.#command]!.end <= index + 1) {
      const { statements } = commands[this.#command]!;
      for (let entry = 0; entry < statements; entry += 1)
        this.#byStatement.push(entry === 0 ? this.#commandAffected : -1);
      this.#command += 1;
      this.#commandAffected = -1;
    }
  }

  /** Reads the one row of the SELECT that fetches a procedure's output parameters. */
  async #readOutputs(running: Running, fields: Parameters<typeof mysqlResultShape>[0]): Promise<void> {
    const shape = mysqlResultShape(fields);
    const names = running.statement.outputNames ?? [];
    const outputs = new Map<string, unknown>();
    for (;;) {
      const item = running.stream.peek();
      if (item === undefined) {
        await this.#wait(running.stream);
        continue;
      }
      if (item.kind !== 'row') break;
      running.stream.take();
      const row = shape.convert(item.row);
      names.forEach((name, index) => outputs.set(name, row[index] ?? null));
    }
    this.#outputs = outputs;
  }

  #countOk(statement: PlannedStatement, packet: MysqlOkPacket): void {
    this.#observeOk(statement, packet);
    if (!countsAffectedRows(statement.keyword)) return;
    this.#affected = Math.max(this.#affected, 0) + Number(packet.affectedRows);
    this.#commandAffected = Math.max(this.#commandAffected, 0) + Number(packet.affectedRows);
  }

  /** What a statement's OK packet tells the session (state changes, a USE), whether or not it is counted. */
  #observeOk(statement: PlannedStatement, packet: MysqlOkPacket): void {
    this.#session.observeOk(packet);
    if (statement.keyword === 'USE') this.#session.noteDatabaseChange();
  }

  /** SHOW WARNINGS right after a statement that reported any, before the next statement clears them. */
  async #reportWarnings(stream: MysqlStatementStream): Promise<void> {
    if (stream.warningCount === 0 || this.#cancellation.aborted) return;
    // In a pipelined batch SHOW WARNINGS would queue behind every statement and see the last one's warnings only:
    // they are read once, after the last statement.
    if (this.#streams !== undefined && stream !== this.#streams[this.#streams.length - 1]) return;
    let rows: unknown;
    try {
      rows = await this.#session.simple('SHOW WARNINGS');
    } catch {
      return;
    }
    if (!Array.isArray(rows)) return;
    // Rows are arrays (`rowsAsArray` on the connection): Level, Code, Message.
    for (const row of rows as unknown[][]) {
      const [level, code, message] = row;
      this.#listener.infoMessage({
        message: String(message ?? ''),
        severity: String(level ?? 'Warning'),
        code: typeof code === 'number' ? code : Number(code),
        source: 'mysql',
      });
    }
  }

  /**
   * Waits until `stream` has an item (or is interrupted by an abort); after an abort, waits for the cancel to finish
   * and rejects. No race against an abort promise: the abort handler interrupts the wait itself.
   */
  async #wait(stream: MysqlStatementStream): Promise<void> {
    await stream.waitForItem();
    if (this.#cancellation.aborted) await this.#rejectAborted();
  }

  /** Waits for the cancel started by the abort, then rejects. */
  async #rejectAborted(): Promise<never> {
    await this.#cancelling;
    // Core replaces this with OperationCanceledError, DbTimeoutError or the "connection closed" error.
    throw new Error('The command was aborted.');
  }
}

function isUnpreparable(error: Error): boolean {
  return (error as { errno?: number }).errno === ER_UNSUPPORTED_PS;
}
