import {
  CommandBehavior,
  hasBehavior,
  type Cancellation,
  type ResultSetHeader,
  type StatementRequest,
} from '@asyncdb/core';
import type { PgFieldDescription, PgWireValue } from './pg-client.js';
import {
  KEY_INFO_SQL,
  TYPE_LOOKUP_SQL,
  catalogTypeCache,
  integerArrayLiteral,
  readBaseColumns,
  readCatalogTypes,
  type PgCatalogTypeEntry,
} from './pg-catalog.js';
import { buildColumns, type PgBaseColumnInfo } from './pg-columns.js';
import { parsePgRow } from './pg-row-parse.js';
import { PgCursorAbortedError, PgCursorBase } from './pg-cursor-base.js';
import { deferReset, takeDeferredReset, writeDeferredReset } from './pg-deferred-reset.js';
import { toDbError } from './pg-error-converter.js';
import type { PgProtocolTurn, PgTurnEvent } from './pg-protocol-turn.js';
import type { PgSession } from './pg-session.js';
import { PgStatementBatch } from './pg-statement-batch.js';
import { queryTextRows } from './pg-turn-query.js';
import { pgTypeInfo } from './pg-type-map.js';
import { pgValueParser, type PgValueParser } from './pg-type-parsers.js';

/** Rows asked for together with the first Describe when a statement runs on its own portal (not pipelined). */
export const PREFETCH_ROWS = 1000;

/** Behaviours that need a statement described (or limited) before it runs, so its batch cannot be pipelined. */
const UNPIPELINED_BEHAVIOR = CommandBehavior.SchemaOnly | CommandBehavior.KeyInfo | CommandBehavior.SingleRow;

/** Runs a catalog query on a connection of its own; rows as the server's text. */
export type PgSideQuery = (
  sql: string,
  values: ReadonlyArray<string | null>,
  cancellation: Cancellation,
) => Promise<Array<Array<string | null>>>;

/** Portal the catalog lookups use, so they never disturb the unnamed portal of the user's statement. */
const META_PORTAL = 'asyncdb_meta';

/** What a cursor runs. */
export interface PgCursorRequest {
  readonly statements: readonly StatementRequest[];
  readonly behavior: CommandBehavior;
  /** Aborted by core on cancel, timeout or close (watched without an AbortSignal: see `CommandRequest`). */
  readonly cancellation: Cancellation;
  /** Strings to blank out of error messages (the password). */
  readonly secrets: readonly string[];
  /** Looks up types on another connection while this one streams a pipelined result; without it, see below. */
  readonly sideQuery?: PgSideQuery | undefined;
  /** The checkout's first command: replayed on a new connection when the server said goodbye before answering. */
  readonly replayable?: boolean;
}

type RowState = 'pending' | 'suspended' | 'complete';

interface CurrentResult {
  readonly parsers: readonly PgValueParser[];
  /** 'pending': the server still answers an Execute; 'suspended': more rows wait in the portal. */
  state: RowState;
}

/**
 * The results of one command on PostgreSQL, pulled by core's reader (see `ResultCursor`).
 *
 * The statements of a batch run one after the other in one protocol turn with no Sync between them — the
 * extended-protocol counterpart of a multi-statement simple Query, so the batch is one implicit transaction unless it
 * manages its own. Two ways to send it:
 *
 * - **Pipelined** (the default): Parse/Bind/Describe/Execute of every statement and the Sync in one write — one round
 *   trip for the whole command, as `pg`'s own queries and Npgsql do. The server sends every row; the turn stops
 *   reading the socket when enough rows are queued (TCP backpressure), so memory stays bounded. A result closed
 *   early is read to its end and dropped (ADO.NET's `Close`); cancel the command first to stop it on the server.
 * - **Statement by statement**, for SchemaOnly, KeyInfo and SingleRow, which must describe or limit a statement
 *   before it runs: Parse/Bind/Describe/Execute(n)/Flush on the unnamed portal; more rows are asked for
 *   (Execute(n) on the suspended portal) only when the reader wants them; Sync at the end.
 *
 * A pooled session's owed `DISCARD ALL` (see `pg-deferred-reset.ts`) goes ahead of the first statement.
 * @internal
 */
export class PgResultCursor extends PgCursorBase {
  readonly #session: PgSession;
  readonly #turn: PgProtocolTurn;
  readonly #request: PgCursorRequest;
  readonly #pipelined: boolean;
  readonly #stash: PgTurnEvent[] = Array();
  #batch: PgStatementBatch | undefined;
  /** True when this turn carries the session's owed reset (owed again if the turn fails). */
  #carriesReset = false;
  /** True once the ReadyForQuery that ends the turn has been read: the session is idle. */
  #readySeen = false;
  /** True when the batch went as one simple-protocol Query. */
  #simpleQuery = false;
  #index = -1;
  #current: CurrentResult | undefined;
  #closed = false;

  private constructor(session: PgSession, turn: PgProtocolTurn, request: PgCursorRequest) {
    super(request.cancellation, request.secrets);
    this.#session = session;
    this.#turn = turn;
    this.#request = request;
    this.#pipelined = (request.behavior & UNPIPELINED_BEHAVIOR) === 0;
    // Never removed: the cancellation ends with this execution, and a late call finds nothing to cancel.
    request.cancellation.onAbort(this.#onAbort);
  }

  /** Starts a cursor on the session (waiting for the late-cancel guard first). */
  static async start(session: PgSession, request: PgCursorRequest): Promise<PgResultCursor> {
    for (const statement of request.statements) session.dirt.markExecuted(statement.text);
    try {
      const turn = await session.beginTurn(request.replayable === true);
      return new PgResultCursor(session, turn, request);
    } catch (error) {
      throw toDbError(error, request.secrets);
    }
  }

  protected async readNextResult(): Promise<ResultSetHeader | null> {
    await this.#check();
    if (this.#current) await this.#skipCurrent();
    this.#index += 1;
    if (this.#index >= this.#request.statements.length) {
      if (!this.#turn.syncSent) await this.#endBatch();
      else if (!this.#readySeen) await this.#untilReady();
      return null;
    }
    return this.#startStatement();
  }

  protected async readRows(maxRows: number): Promise<unknown[][]> {
    await this.#check();
    const current = this.#current;
    const rows: unknown[][] = [];
    if (!current) return rows;
    // The state is checked before taking: in a pipelined batch the next statement's events follow at once.
    while (rows.length < maxRows && current.state !== 'complete') {
      let event = this.#take();
      if (!event) {
        if (current.state === 'suspended') {
          // Real backpressure: the next batch is requested only when the reader has consumed this one.
          if (rows.length > 0) break;
          current.state = 'pending';
          this.#turn.write('execute', (wire) => {
            wire.execute({ rows: maxRows });
            wire.flush();
          });
        }
        event = await this.#next();
      }
      if (event.kind === 'row') rows.push(parsePgRow(event.values, current.parsers));
      else this.#endOfRows(await this.screen(event), current);
    }
    return rows;
  }

  protected async closeOnce(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      if (this.#settled()) return;
      if (this.#request.cancellation.aborted || this.failure) {
        await this.abandon();
        return;
      }
      await this.#closeCurrentPortal();
      // The rest of the batch still runs, as ADO.NET readers do on Close; only its rows are skipped.
      while (this.#request.statements[this.#index + 1] !== undefined) {
        this.#index += 1;
        await this.#startStatement();
        await this.#skipCurrent();
      }
      if (!this.#turn.syncSent) await this.#endBatch();
      else await this.#untilReady();
    } catch (error) {
      await this.abandon();
      throw error;
    } finally {
      // A reset that went out with a failed turn may have been rolled back with it: owe it again.
      if (this.#carriesReset && this.failure) deferReset(this.#session.client);
    }
  }

  readonly #onAbort = (): void => {
    this.#session.cancel(this.#turn);
  };

  /** Throws the sticky failure, or cleans up and throws when the signal aborted. */
  async #check(): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.#turn.lost) throw this.fail(this.#session.lostError ?? new Error('Connection terminated unexpectedly'));
    if (this.#request.cancellation.aborted) {
      await this.abandon();
      throw this.failure ?? new PgCursorAbortedError('The command was aborted.');
    }
  }

  async #startStatement(): Promise<ResultSetHeader> {
    const schemaOnly = hasBehavior(this.#request.behavior, CommandBehavior.SchemaOnly);
    this.#turn.discardRows = false;
    if (!this.#pipelined) this.#writeStatement(schemaOnly);
    else if (this.#index === 0) this.#writeBatch();
    for (;;) {
      const event = await this.#next();
      if (event.kind === 'rowDescription') return this.#describeRows(event.fields, schemaOnly);
      const rowless =
        event.kind === 'noData' || (this.#simpleQuery && (event.kind === 'complete' || event.kind === 'empty'));
      if (rowless) {
        // A simple Query's statement without rows goes straight to its CommandComplete: put it back to be read.
        if (event.kind !== 'noData') this.#stash.unshift(event);
        this.#current = { parsers: [], state: schemaOnly ? 'complete' : 'pending' };
        if (!schemaOnly) await this.#skipCurrent();
        return { columns: [] };
      }
      this.#unexpected(event);
    }
  }

  /** Writes the whole batch and its Sync at once (see the class comment). */
  #writeBatch(): void {
    const batch = this.#encoded();
    const reset = this.#takeReset();
    // One statement without parameters goes as a simple-protocol Query, as `pg`'s own client.query(text) sends.
    // (Multi-statement text is never sent this way: core has split it, and each statement keeps its own result.)
    if (batch.fitsSimpleQuery(reset)) {
      this.#simpleQuery = true;
      this.#turn.write('sync', (wire) => batch.writeBatch(wire, false), { executes: 1, simpleQuery: true });
      return;
    }
    this.#turn.write('sync', (wire) => batch.writeBatch(wire, reset), {
      executes: batch.statements.length,
      hiddenCompletes: reset ? 1 : 0,
    });
  }

  /** Writes one statement on the unnamed portal with a bounded first Execute (or none for SchemaOnly). */
  #writeStatement(schemaOnly: boolean): void {
    const prefetch = hasBehavior(this.#request.behavior, CommandBehavior.SingleRow) ? 1 : PREFETCH_ROWS;
    const batch = this.#encoded();
    const index = this.#index;
    const reset = index === 0 && this.#takeReset();
    this.#turn.write(
      schemaOnly ? 'describe' : 'execute',
      (wire) => {
        if (reset) writeDeferredReset(wire);
        // SchemaOnly describes without executing (no side effects), like SqlClient's FMTONLY.
        batch.writeStatement(wire, index, prefetch, schemaOnly);
        wire.flush();
      },
      { hiddenCompletes: reset ? 1 : 0 },
    );
  }

  /** The statements encoded, once, before the first of them is written. */
  #encoded(): PgStatementBatch {
    return (this.#batch ??= new PgStatementBatch(this.#request.statements));
  }

  #takeReset(): boolean {
    this.#carriesReset = takeDeferredReset(this.#session.client);
    return this.#carriesReset;
  }

  async #describeRows(fields: readonly PgFieldDescription[], schemaOnly: boolean): Promise<ResultSetHeader> {
    const cache = catalogTypeCache(this.#session.client);
    const unknown = [...new Set(fields.map((field) => field.dataTypeID))].filter(
      (oid) => !pgTypeInfo(oid) && !cache.has(oid),
    );
    const keyInfo = hasBehavior(this.#request.behavior, CommandBehavior.KeyInfo);
    let baseColumns: Map<string, PgBaseColumnInfo> | undefined;
    if (unknown.length > 0 && this.#pipelined) await this.#lookupTypesAside(unknown, cache);
    else if (unknown.length > 0 || keyInfo) {
      // The lookups share the turn: first let the statement's own group finish (its rows, at most the prefetch,
      // wait in the stash), then run them on another portal.
      await this.#stashGroup();
      if (unknown.length > 0) {
        const rows = await this.#lookup(TYPE_LOOKUP_SQL, [integerArrayLiteral(unknown)]);
        for (const [oid, entry] of readCatalogTypes(rows)) cache.set(oid, entry);
      }
      const bases = fields.filter((field) => field.tableID !== 0);
      if (keyInfo && bases.length > 0) {
        const rows = await this.#lookup(KEY_INFO_SQL, [
          integerArrayLiteral(bases.map((field) => field.tableID)),
          integerArrayLiteral(bases.map((field) => field.columnID)),
        ]);
        baseColumns = readBaseColumns(rows);
      }
    }
    const parsers = fields.map((field) => pgValueParser(cache.get(field.dataTypeID)?.parserOid ?? field.dataTypeID));
    this.#current = { parsers, state: schemaOnly ? 'complete' : 'pending' };
    return { columns: buildColumns(fields, { catalogTypes: cache, ...(baseColumns ? { baseColumns } : {}) }) };
  }

  /**
   * Looks up types this session has not met, for a pipelined result whose rows are already on their way: on a
   * connection of its own (the session is busy until its batch ends). A type that connection cannot see — created
   * in this session's still-open transaction — is looked up on the session itself once its batch has ended; its
   * remaining events are held in memory meanwhile (the only unbounded case, and a rare one).
   */
  async #lookupTypesAside(oids: readonly number[], cache: Map<number, PgCatalogTypeEntry>): Promise<void> {
    const values = [integerArrayLiteral(oids)];
    const sideQuery = this.#request.sideQuery;
    if (sideQuery) {
      try {
        const rows = await sideQuery(TYPE_LOOKUP_SQL, values, this.#request.cancellation);
        for (const [oid, entry] of readCatalogTypes(rows)) cache.set(oid, entry);
      } catch {
        // A failed side lookup (no slot on the server, say) falls back to the session itself.
      }
    }
    if (oids.every((oid) => cache.has(oid))) return;
    for (;;) {
      const event = await this.#turn.next();
      this.#stash.push(event);
      if (event.kind === 'ready' || event.kind === 'lost') break;
    }
    if (this.#turn.lost) return;
    const rows = await queryTextRows(this.#session, TYPE_LOOKUP_SQL, values);
    for (const [oid, entry] of readCatalogTypes(rows)) cache.set(oid, entry);
  }

  /** Runs a catalog query on {@link META_PORTAL} inside the turn and returns its rows as text. */
  async #lookup(sql: string, values: PgWireValue[]): Promise<Array<Array<string | null>>> {
    this.#turn.write('close', (wire) => {
      wire.parse({ text: sql });
      wire.bind({ portal: META_PORTAL, values });
      wire.execute({ portal: META_PORTAL });
      wire.close({ type: 'P', name: META_PORTAL });
      wire.flush();
    });
    const rows: Array<Array<string | null>> = [];
    for (;;) {
      const event = await this.#next(true);
      if (event.kind === 'row') rows.push([...event.values]);
      else if (event.kind === 'closeComplete') return rows;
      else if (event.kind !== 'complete') this.#unexpected(event);
    }
  }

  /** Moves the events of the pending group out of the turn's queue, so another group can be read behind them. */
  async #stashGroup(): Promise<void> {
    await this.#turn.whenIdle();
    for (let event = this.#turn.take(); event; event = this.#turn.take()) this.#stash.push(event);
  }

  /** Reads (and drops) what is left of the current result, so the statement completes and reports its count. */
  async #skipCurrent(): Promise<void> {
    const current = this.#current;
    this.#current = undefined;
    if (!current) return;
    // Pipelined, the next statement's rows may already be arriving: skip rows as they are taken instead.
    if (!this.#pipelined) this.#turn.discardRows = true;
    try {
      while (current.state !== 'complete') {
        let event = this.#take();
        if (!event) {
          if (current.state === 'suspended') {
            current.state = 'pending';
            this.#turn.write('execute', (wire) => {
              wire.execute({});
              wire.flush();
            });
          }
          event = await this.#next();
        }
        if (event.kind !== 'row') this.#endOfRows(await this.screen(event), current);
      }
    } finally {
      this.#turn.discardRows = false;
    }
  }

  /** Closes the current portal without reading the rest of it (the cheap way to discard a large result). */
  async #closeCurrentPortal(): Promise<void> {
    const current = this.#current;
    this.#current = undefined;
    if (!current || current.state === 'complete') return;
    // Pipelined, the next statement's rows may already be arriving: skip rows as they are taken instead.
    if (!this.#pipelined) this.#turn.discardRows = true;
    while (current.state === 'pending') {
      const event = await this.#next();
      if (event.kind !== 'row') this.#endOfRows(event, current);
    }
    if (!this.#pipelined) this.#stash.length = 0;
    if (current.state !== 'suspended') return;
    // A portal closed before its end reports no count: only a row-returning statement can be suspended.
    this.counts.uncounted(this.#index);
    this.#turn.write('close', (wire) => {
      wire.close({ type: 'P' });
      wire.flush();
    });
    for (;;) {
      const event = await this.#next();
      if (event.kind === 'closeComplete') return;
      this.#unexpected(event);
    }
  }

  /** Ends the batch with Sync (committing its implicit transaction) and waits for ReadyForQuery. */
  async #endBatch(): Promise<void> {
    this.#turn.write('sync', (wire) => wire.sync());
    await this.#untilReady();
  }

  async #untilReady(): Promise<void> {
    for (;;) {
      const event = await this.#next();
      if (event.kind === 'ready') {
        this.#readySeen = true;
        return;
      }
      if (event.kind !== 'row' && event.kind !== 'complete' && event.kind !== 'closeComplete') this.#unexpected(event);
    }
  }

  /**
   * Brings the session back to idle after an abort or a failure, whatever state it is in: waits for the group the
   * server is working on (the CancelRequest makes that quick), for every CancelRequest to be acknowledged, then
   * closes the portal and syncs. Errors met on the way (the 57014 the cancel causes) are the expected outcome.
   */
  protected async abandon(): Promise<void> {
    const turn = this.#turn;
    turn.discardRows = true;
    this.#stash.length = 0;
    while (!turn.ended && !turn.lost && turn.serverBusy) {
      const event = await turn.next();
      if (event.kind === 'error') this.fail(event.error);
    }
    for (let event = turn.take(); event; event = turn.take()) {
      if (event.kind === 'error') this.fail(event.error);
    }
    await this.#session.settleCancels();
    if (turn.ended || turn.lost) return;
    if (!turn.syncSent) {
      const failed = this.failure !== undefined;
      turn.write('sync', (wire) => {
        // After an error the server skips to Sync anyway; otherwise free the portal first.
        if (!failed) wire.close({ type: 'P' });
        wire.sync();
      });
    }
    while (!turn.ended && !turn.lost) await turn.next();
  }

  /** True when nothing of the turn is left to read: ReadyForQuery was read, or the turn ended with nothing queued. */
  #settled(): boolean {
    return (
      this.#readySeen || this.#turn.lost || (this.#turn.ended && this.#turn.queued === 0 && this.#stash.length === 0)
    );
  }

  #take(): PgTurnEvent | undefined {
    return this.#stash.length > 0 ? this.#stash.shift() : this.#turn.take();
  }

  /**
   * The next event (stashed ones first unless `fromTurn`). An ErrorResponse, a lost connection or an abort is turned
   * into the cursor's failure here, after the session is idle again: the caller only sees the throw.
   */
  async #next(fromTurn = false): Promise<PgTurnEvent> {
    const event = (fromTurn ? undefined : this.#take()) ?? (await this.#turn.next());
    return event.kind === 'row' ? event : this.screen(event);
  }

  /** Handles the end of a row stream (or an error) for the current result. */
  #endOfRows(event: PgTurnEvent, current: CurrentResult): void {
    switch (event.kind) {
      case 'suspended':
        current.state = 'suspended';
        return;
      case 'complete':
        current.state = 'complete';
        this.counts.complete(this.#index, event.tag);
        return;
      case 'empty':
        current.state = 'complete';
        this.counts.uncounted(this.#index);
        return;
      default:
        this.#unexpected(event);
    }
  }

  /** A message out of place (a protocol bug): fail the cursor; core then closes it, and the session is destroyed. */
  #unexpected(event: PgTurnEvent): never {
    this.failure ??= toDbError(new Error(`Unexpected '${event.kind}' message from the server.`), this.#request.secrets);
    this.#session.markUnusable();
    throw this.failure;
  }
}
