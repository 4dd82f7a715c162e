import type { Cancellation, OneShotKind, OneShotResult, OneShotSink, StatementRequest } from '@asyncdb/core';
import type { PgFieldDescription, PgSubmittable, PgWireConnection } from './pg-client.js';
import { TYPE_LOOKUP_SQL, catalogTypeCache, integerArrayLiteral, readCatalogTypes } from './pg-catalog.js';
import { affectedRowsOfTag } from './pg-command-tag.js';
import { deferReset, takeDeferredReset } from './pg-deferred-reset.js';
import { toDbError } from './pg-error-converter.js';
import type { PgSession, PgSessionTurn } from './pg-session.js';
import { isServerGoodbye } from './pg-server-goodbye.js';
import { PgStatementBatch } from './pg-statement-batch.js';
import { queryTextRows } from './pg-turn-query.js';
import { pgTypeInfo } from './pg-type-map.js';
import { pgValueParser } from './pg-type-parsers.js';

/** What a one-shot execution runs. */
export interface PgOneShotRequest {
  readonly statements: readonly StatementRequest[];
  readonly kind: OneShotKind;
  readonly cancellation: Cancellation;
  /** Strings to blank out of error messages (the password). */
  readonly secrets: readonly string[];
  /**
   * The checkout's first command (see `PgSession.takeFirstCommand`): a goodbye of the server before any answer holds
   * the session's loss back, so that the connection can replay the command on a new connection.
   */
  readonly replayable?: boolean;
}

/**
 * A {@link PgOneShotRequest} as a class instance: it lives for the whole round trip, and V8 pretenures an object
 * literal's site when a burst of callers keeps many alive at once (docs/benchmarks.md).
 */
export class PgOneShotRequestRecord implements PgOneShotRequest {
  constructor(
    readonly statements: readonly StatementRequest[],
    readonly kind: OneShotKind,
    readonly cancellation: Cancellation,
    readonly secrets: readonly string[],
    readonly replayable: boolean,
  ) {}
}

/** {@link PgOneShot.run}'s sink: settles a promise (the result object is made only here). */
class PromiseSink implements OneShotSink {
  constructor(
    readonly resolve: (result: OneShotResult) => void,
    readonly reject: (error: unknown) => void,
  ) {}

  succeed(value: unknown, recordsAffected: number, outputValues: ReadonlyMap<string, unknown> | undefined): void {
    this.resolve({ value, recordsAffected, outputValues });
  }

  fail(error: unknown): void {
    this.reject(error);
  }
}

/** Where a scalar execution is in its search for the value. */
type ValueSearch = 'searching' | 'reading' | 'found';

/**
 * `executeScalar` / `executeNonQuery` on PostgreSQL as one `pg` submittable: the batch goes out in one write, as
 * {@link PgStatementBatch} writes it for every path (a simple-protocol Query for one statement without parameters,
 * otherwise Parse/Bind/Describe/Execute per statement and one Sync), and the backend's answers are consumed as they
 * arrive: the first column of the first row of the first result with columns is kept, CommandComplete tags are
 * counted, every other row is dropped. It settles once at ReadyForQuery — no event queue, no promise per message, no
 * cursor.
 *
 * The same rules as the cursor: the owed `DISCARD ALL` goes ahead of the batch (owed again when the batch fails); the
 * first ErrorResponse fails the execution (the server skips the rest of the batch); a CancelRequest is sent only while
 * a statement may be running; a lost connection fails it at once.
 * @internal
 */
export class PgOneShot implements PgSubmittable, PgSessionTurn {
  readonly #session: PgSession;
  readonly #request: PgOneShotRequest;
  readonly #batch: PgStatementBatch;
  /** Where the outcome goes: core's sink (`startOnceCore`), or a promise's ({@link PgOneShot.run}). */
  readonly #sink: OneShotSink;
  #connection: PgWireConnection | undefined;
  /** Executes the server has not completed yet: a statement of ours may be running while this is above 0. */
  #executing = 0;
  #hiddenCompletes = 0;
  #simpleQuery = false;
  #carriesReset = false;
  #affected = -1;
  #search: ValueSearch;
  #field: PgFieldDescription | undefined;
  #valueText: string | null | undefined;
  #failure: Error | undefined;
  #ended = false;
  /** True once the server answered anything of the batch (a row description, a row, a completion…). */
  #answered = false;
  /** The checkout's first command, not yet replayed (see {@link PgOneShotRequest.replayable}). */
  #replayable: boolean;
  #idleWaiters: Array<() => void> | undefined;

  private constructor(session: PgSession, request: PgOneShotRequest, batch: PgStatementBatch, sink: OneShotSink) {
    this.#session = session;
    this.#request = request;
    this.#batch = batch;
    this.#sink = sink;
    this.#search = request.kind === 'scalar' ? 'searching' : 'found';
    this.#replayable = request.replayable === true;
  }

  /** Runs the request on the session; resolves once the session is idle again. */
  static run(session: PgSession, request: PgOneShotRequest): Promise<OneShotResult> {
    return new Promise((resolve, reject) => PgOneShot.start(session, request, new PromiseSink(resolve, reject)));
  }

  /**
   * Runs the request on the session and delivers the outcome to `sink` once the session is idle again (core's
   * `startOnceCore`: no promise of its own). Throws, having sent nothing, when a value cannot be encoded.
   */
  static start(session: PgSession, request: PgOneShotRequest, sink: OneShotSink): void {
    // What the session ran decides whether its close owes a DISCARD ALL (see pg-session-dirt.ts).
    for (const statement of request.statements) session.dirt.markExecuted(statement.text);
    // Encoded before anything is sent: a value that cannot be encoded fails the execution with nothing written.
    const shot = new PgOneShot(session, request, new PgStatementBatch(request.statements), sink);
    if (session.cancelling) {
      // The late-cancel guard (see PgSession): nothing is sent before every earlier CancelRequest was acknowledged.
      session.settleCancels().then(
        () => shot.#start(),
        (error: unknown) => sink.fail(error),
      );
      return;
    }
    shot.#start();
  }

  get statementRunning(): boolean {
    return !this.#ended && this.#executing > 0;
  }

  whenIdle(): Promise<void> {
    if (this.#ended) return Promise.resolve();
    return new Promise((resolve) => (this.#idleWaiters ??= []).push(resolve));
  }

  fail(error: Error): void {
    if (this.#ended) return;
    this.#end();
    this.#sink.fail(toDbError(error, this.#request.secrets));
  }

  submit(connection: PgWireConnection): void {
    this.#connection = connection;
    if (this.#request.cancellation.aborted) {
      // Aborted while a replay was reconnecting (the first submit comes after the check in #start): nothing of the
      // batch is written again; the Sync's ReadyForQuery settles the execution with the abort.
      this.#failure = new Error('The command was aborted before it was sent.');
      // The new connection owes no reset this execution took over: none must be owed again when it fails.
      this.#carriesReset = false;
      connection.sync();
      return;
    }
    const batch = this.#batch;
    const reset = takeDeferredReset(this.#session.client);
    this.#carriesReset = reset;
    this.#executing = batch.statements.length;
    this.#hiddenCompletes = reset ? 1 : 0;
    this.#simpleQuery = batch.fitsSimpleQuery(reset);
    connection.stream.cork?.();
    try {
      batch.writeBatch(connection, reset);
    } finally {
      connection.stream.uncork?.();
    }
  }

  handleRowDescription(message: { fields: PgFieldDescription[] }): void {
    this.#answered = true;
    // A result without columns (`SELECT;`) is skipped, as core's reader skips it.
    if (this.#search === 'searching' && message.fields.length > 0) {
      this.#search = 'reading';
      this.#field = message.fields[0];
    }
  }

  handleDataRow(message: { fields: Array<string | null> }): void {
    this.#answered = true;
    if (this.#search !== 'reading') return;
    this.#valueText = message.fields[0] ?? null;
    this.#search = 'found';
  }

  handlePortalSuspended(): void {
    this.#answered = true;
    // Every Execute asks for all rows: a suspended portal means the protocol went wrong.
    this.#failure ??= new Error("Unexpected 'suspended' message from the server.");
    this.#session.markUnusable();
  }

  handleCommandComplete(message: { text: string }): void {
    this.#answered = true;
    if (this.#hiddenCompletes > 0) {
      this.#hiddenCompletes -= 1;
      return;
    }
    this.#statementEnded();
    const affected = affectedRowsOfTag(message.text);
    if (affected !== undefined) this.#affected = Math.max(this.#affected, 0) + affected;
  }

  handleEmptyQuery(): void {
    this.#answered = true;
    this.#statementEnded();
  }

  handleError(error: Error, connection: PgWireConnection): void {
    if (this.#ended) return;
    const fields = error as { code?: unknown; severity?: unknown };
    if (typeof fields.severity !== 'string' || typeof fields.code !== 'string') {
      // A socket failure: no ReadyForQuery will come.
      this.fail(error);
      return;
    }
    if (this.#replayable && !this.#answered && isServerGoodbye(error)) {
      // The server ended the session before it answered anything: no statement of the batch completed, so none was
      // committed. The session moves onto a new connection and this execution is written again there, once; until
      // then the loss is held back (and reported, with this execution failed, when no new connection can be made).
      this.#replayable = false;
      this.#connection = undefined;
      this.#executing = 0;
      this.#session.holdLossForReplay();
      this.#session.replay(this, error);
      return;
    }
    // pg's Client forgets its active query on ErrorResponse: the ReadyForQuery must be caught on the connection.
    connection.on('readyForQuery', this.#onDetachedReady);
    // The server skips everything up to Sync: no statement of ours runs any more.
    this.#executing = 0;
    this.#hiddenCompletes = 0;
    this.#failure ??= error;
  }

  handleReadyForQuery(): void {
    this.#finish();
  }

  handleCopyInResponse(connection: PgWireConnection): void {
    this.#answered = true;
    // As PgProtocolTurn: COPY FROM STDIN is failed, and a COPY that was the last statement needs a Sync of its own.
    connection.sendCopyFail('asyncdb does not support COPY FROM STDIN.');
    if (!this.#simpleQuery && this.#executing === 1) connection.sync();
  }

  handleCopyData(): void {
    // COPY TO STDOUT data is discarded; its CommandComplete still reports the row count.
  }

  #start(): void {
    const { cancellation } = this.#request;
    if (cancellation.aborted) {
      this.#sink.fail(new Error('The command was aborted before it was sent.'));
      return;
    }
    try {
      this.#session.submit(this);
    } catch (error) {
      this.#sink.fail(toDbError(error, this.#request.secrets));
      return;
    }
    // Never removed: the cancellation ends with this execution, and a late call finds nothing to cancel.
    cancellation.onAbort(() => this.#session.cancel(this));
  }

  #statementEnded(): void {
    if (this.#executing > 0) this.#executing -= 1;
    // The first result with columns had no row: the value is `undefined`, later results do not count.
    if (this.#search === 'reading') this.#search = 'found';
  }

  readonly #onDetachedReady = (): void => {
    this.#finish();
  };

  #end(): void {
    this.#ended = true;
    this.#connection?.removeListener('readyForQuery', this.#onDetachedReady);
    const waiters = this.#idleWaiters;
    this.#idleWaiters = undefined;
    if (waiters) for (const wake of waiters) wake();
  }

  #finish(): void {
    if (this.#ended) return;
    this.#end();
    const failure = this.#failure;
    if (failure) {
      // A reset that went out with a failed batch may have been rolled back with it: owe it again.
      if (this.#carriesReset) deferReset(this.#session.client);
      this.#sink.fail(toDbError(failure, this.#request.secrets));
      return;
    }
    const text = this.#valueText;
    const field = this.#field;
    if (text === undefined || text === null || !field) {
      this.#sink.succeed(text, this.#affected, undefined);
      return;
    }
    const cache = catalogTypeCache(this.#session.client);
    const oid = field.dataTypeID;
    if (pgTypeInfo(oid) || cache.has(oid)) {
      this.#resolveParsed(text, cache.get(oid)?.parserOid ?? oid);
      return;
    }
    // A type this session has not met (an enum, a domain…): look it up now that the session is idle, as the cursor does.
    queryTextRows(this.#session, TYPE_LOOKUP_SQL, [integerArrayLiteral([oid])]).then(
      (rows) => {
        for (const [typeOid, entry] of readCatalogTypes(rows)) cache.set(typeOid, entry);
        this.#resolveParsed(text, cache.get(oid)?.parserOid ?? oid);
      },
      (error: unknown) => this.#sink.fail(toDbError(error, this.#request.secrets)),
    );
  }

  #resolveParsed(text: string, parserOid: number): void {
    let value: unknown;
    try {
      value = pgValueParser(parserOid)(text);
    } catch (error) {
      this.#sink.fail(error);
      return;
    }
    this.#sink.succeed(value, this.#affected, undefined);
  }
}

export { pgReplayStats } from './pg-server-goodbye.js';
