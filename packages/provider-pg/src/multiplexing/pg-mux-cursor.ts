import { CommandBehavior, hasBehavior, type ResultSetHeader } from '@asyncdb/core';
import type { PgFieldDescription, PgNoticeFields, PgWireConnection } from '../pg-client.js';
import { KEY_INFO_SQL, integerArrayLiteral, readBaseColumns } from '../pg-catalog.js';
import { buildColumns, type PgBaseColumnInfo } from '../pg-columns.js';
import { parsePgRow } from '../pg-row-parse.js';
import { PgCursorAbortedError, PgCursorBase } from '../pg-cursor-base.js';
import { toDbError } from '../pg-error-converter.js';
import { ROWS_HIGH_WATER_MARK, ROWS_LOW_WATER_MARK, type PgTurnEvent } from '../pg-protocol-turn.js';
import { pgValueParser, type PgValueParser } from '../pg-type-parsers.js';
import type { PgEntryPlacement, PgMuxRequest, PgPipelineEntry } from './pg-pipeline-entry.js';
import type { PgMuxRoute } from './pg-mux-route.js';
import { PgMuxStatements, isQueryCanceled, pgMultiplexingStats } from './pg-mux-statements.js';
import { muxTextRows } from './pg-mux-text-query.js';
import { lookUpTypes, muxTypeCache, unknownOids } from './pg-mux-types.js';

/** What a multiplexed cursor runs. */
export interface PgMuxCursorRequest extends PgMuxRequest {
  readonly behavior: CommandBehavior;
}

interface CurrentResult {
  readonly parsers: readonly PgValueParser[];
  complete: boolean;
}

/**
 * The results of one multiplexed command, pulled by core's reader. The whole command is one pipeline entry
 * (every statement's Parse/Bind/Describe/Execute and a Sync, or one simple Query), so its answers arrive in one
 * stream ending with ReadyForQuery, queued here until the reader takes them.
 *
 * Head-of-line: while this command is at the head of its session, the commands behind it wait for its answers to be
 * read off the socket. Above {@link ROWS_HIGH_WATER_MARK} queued rows the session stops reading the socket (bounded
 * memory), so a reader that is slow to consume holds every command behind it on that session — see
 * docs/multiplexing.md. Closing the reader drops the remaining rows as they arrive.
 *
 * SchemaOnly describes without executing; SingleRow asks each Execute for one row; KeyInfo looks the base columns
 * up in a command of its own.
 * @internal
 */
export class PgMuxCursor extends PgCursorBase implements PgPipelineEntry {
  placement: PgEntryPlacement | undefined;
  readonly #route: PgMuxRoute;
  // The request's fields, not the request: a literal kept across the round trip would have its allocation site
  // pretenured by V8 under load.
  readonly #requestStatements: PgMuxCursorRequest['statements'];
  readonly #behavior: PgMuxCursorRequest['behavior'];
  readonly #cancellation: PgMuxCursorRequest['cancellation'];
  readonly #secrets: readonly string[];
  readonly #onNotice: PgMuxCursorRequest['onNotice'];
  readonly #statements: PgMuxStatements;
  #events: PgTurnEvent[] = Array();
  #head = 0;
  #waiter: (() => void) | undefined;
  /** Results held back until the entry ends: a cancel meant for another entry may still turn them into a 57014. */
  #held = false;
  /** Drop rows as they arrive (closed or abandoned). */
  #discard = false;
  /** A lookup of this cursor's is queued on the route: never pause the socket meanwhile (it may be behind us). */
  #lookingUp = false;
  #ended = false;
  /** The ReadyForQuery (or the loss) that ends the entry has been taken: nothing more will come. */
  #finished = false;
  #index = -1;
  #current: CurrentResult | undefined;
  #closed = false;

  private constructor(route: PgMuxRoute, request: PgMuxCursorRequest) {
    super(request.cancellation, request.secrets);
    this.#route = route;
    this.#requestStatements = request.statements;
    this.#behavior = request.behavior;
    this.#cancellation = request.cancellation;
    this.#secrets = request.secrets;
    this.#onNotice = request.onNotice;
    const describeOnly = hasBehavior(request.behavior, CommandBehavior.SchemaOnly);
    const singleRow = hasBehavior(request.behavior, CommandBehavior.SingleRow);
    this.#statements = new PgMuxStatements(request.statements, { describeOnly, rowLimit: singleRow ? 1 : 0 });
  }

  /** Queues the command on the route and returns its cursor at once (the answers arrive as they come). */
  static start(route: PgMuxRoute, request: PgMuxCursorRequest): PgMuxCursor {
    let cursor: PgMuxCursor;
    try {
      cursor = new PgMuxCursor(route, request);
    } catch (error) {
      throw toDbError(error, request.secrets);
    }
    route.submit(cursor);
    request.cancellation.onAbort(cursor.#onAbort);
    return cursor;
  }

  get executes(): number {
    return this.#statements.executes;
  }

  // --- the pipeline side ---

  write(wire: PgWireConnection): void {
    this.#statements.write(wire);
  }

  onRowDescription(fields: PgFieldDescription[]): void {
    this.#push({ kind: 'rowDescription', fields });
  }

  onNoData(): void {
    this.#push({ kind: 'noData' });
  }

  onDataRow(values: Array<string | null>): void {
    if (this.#discard) return;
    this.#push({ kind: 'row', values });
    if (!this.#held && !this.#lookingUp && this.#events.length - this.#head >= ROWS_HIGH_WATER_MARK) {
      this.placement?.session.pause(this);
    }
  }

  onCommandComplete(tag: string): void {
    // PortalSuspended (a SingleRow Execute) reaches here with an empty tag.
    this.#push(tag === '' ? { kind: 'suspended' } : { kind: 'complete', tag });
  }

  onEmptyQuery(): void {
    this.#push({ kind: 'empty' });
  }

  onError(error: Error): void {
    this.#push({ kind: 'error', error });
  }

  onNotice(notice: PgNoticeFields): void {
    this.#onNotice?.(notice);
  }

  onRisk(): void {
    this.#held = true;
  }

  onReady(atRisk: boolean): void {
    if (
      atRisk &&
      !this.#cancellation.aborted &&
      this.#events.some((e) => e.kind === 'error' && isQueryCanceled(e.error))
    ) {
      // Hit by a CancelRequest meant for the entry ahead; nothing of it was handed out, and its implicit transaction
      // was rolled back: send it again.
      pgMultiplexingStats.strayCancelRetries += 1;
      this.#events = [];
      this.#head = 0;
      this.#held = false;
      this.#route.submit(this);
      return;
    }
    this.#held = false;
    this.#ended = true;
    this.#push({ kind: 'ready' });
  }

  onLost(error: Error): void {
    this.#held = false;
    this.#ended = true;
    this.#push({ kind: 'lost', error });
  }

  #push(event: PgTurnEvent): void {
    this.#events.push(event);
    if (this.#held) return;
    const wake = this.#waiter;
    this.#waiter = undefined;
    wake?.();
  }

  #take(): PgTurnEvent | undefined {
    if (this.#held || this.#head >= this.#events.length) return undefined;
    const event = this.#events[this.#head]!;
    if (event.kind === 'ready' || event.kind === 'lost') this.#finished = true;
    this.#events[this.#head] = undefined as unknown as PgTurnEvent;
    this.#head += 1;
    if (this.#head > 1024 && this.#head * 2 > this.#events.length) {
      this.#events.splice(0, this.#head);
      this.#head = 0;
    }
    if (this.#events.length - this.#head <= ROWS_LOW_WATER_MARK) this.placement?.session.resume(this);
    return event;
  }

  async #nextEvent(): Promise<PgTurnEvent> {
    for (;;) {
      const event = this.#take();
      if (event) return event;
      await new Promise<void>((resolve) => (this.#waiter = resolve));
    }
  }

  readonly #onAbort = (): void => {
    if (this.#ended) return;
    if (this.#route.withdraw(this)) {
      this.#ended = true;
      this.#push({ kind: 'lost', error: new PgCursorAbortedError('The command was aborted before it was sent.') });
      return;
    }
    this.placement?.session.cancel(this);
  };

  // --- the reader side ---

  protected async readNextResult(): Promise<ResultSetHeader | null> {
    await this.#check();
    if (this.#current) await this.#skipCurrent();
    this.#index += 1;
    const statement = this.#requestStatements[this.#index];
    if (!statement) {
      await this.#untilReady();
      return null;
    }
    const describeOnly = hasBehavior(this.#behavior, CommandBehavior.SchemaOnly);
    for (;;) {
      const event = await this.#next();
      if (event.kind === 'rowDescription') return this.#describeRows(event.fields, describeOnly);
      const rowless =
        event.kind === 'noData' ||
        (this.#statements.simpleQuery && (event.kind === 'complete' || event.kind === 'empty'));
      if (!rowless) this.#unexpected(event);
      if (event.kind !== 'noData') {
        // A simple Query's statement without rows goes straight to its CommandComplete: put it back to be read.
        this.#head -= 1;
        this.#events[this.#head] = event;
      }
      this.#current = { parsers: [], complete: describeOnly };
      if (!describeOnly) await this.#skipCurrent();
      return { columns: [] };
    }
  }

  protected async readRows(maxRows: number): Promise<unknown[][]> {
    await this.#check();
    const current = this.#current;
    const rows: unknown[][] = [];
    if (!current) return rows;
    while (rows.length < maxRows && !current.complete) {
      const event = await this.#next();
      if (event.kind === 'row') rows.push(parsePgRow(event.values, current.parsers));
      else this.#endOfRows(event, current);
    }
    return rows;
  }

  protected async closeOnce(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#cancellation.aborted || this.failure) {
      await this.abandon();
      return;
    }
    if (this.#finished) return;
    this.#discard = true;
    this.placement?.session.resume(this);
    // The rest of the command still runs (ADO.NET's Close); its counts and a later error are read to the end.
    if (this.#current) await this.#skipCurrent();
    while (!this.#finished) {
      const event = await this.#next();
      if (event.kind === 'ready') return;
      if (event.kind === 'complete') {
        this.#index += 1;
        this.counts.complete(this.#index, event.tag);
      } else if (event.kind === 'empty' || event.kind === 'suspended') {
        this.#index += 1;
        this.counts.uncounted(this.#index);
      }
    }
  }

  async #check(): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.#cancellation.aborted) {
      await this.abandon();
      throw this.failure ?? new PgCursorAbortedError('The command was aborted.');
    }
  }

  async #describeRows(fields: readonly PgFieldDescription[], describeOnly: boolean): Promise<ResultSetHeader> {
    const cache = muxTypeCache(this.#route);
    const unknown = unknownOids(
      fields.map((field) => field.dataTypeID),
      cache,
    );
    let baseColumns: Map<string, PgBaseColumnInfo> | undefined;
    const bases = fields.filter((field) => field.tableID !== 0);
    const keyInfo = hasBehavior(this.#behavior, CommandBehavior.KeyInfo) && bases.length > 0;
    if (unknown.length > 0 || keyInfo) {
      this.#lookingUp = true;
      this.placement?.session.resume(this);
      try {
        if (unknown.length > 0) await lookUpTypes(this.#route, unknown);
        if (keyInfo) {
          const rows = await muxTextRows(this.#route, KEY_INFO_SQL, [
            integerArrayLiteral(bases.map((field) => field.tableID)),
            integerArrayLiteral(bases.map((field) => field.columnID)),
          ]);
          baseColumns = readBaseColumns(rows);
        }
      } catch (error) {
        this.fail(error);
        await this.abandon();
        throw this.failure;
      } finally {
        this.#lookingUp = false;
      }
    }
    const parsers = fields.map((field) => pgValueParser(cache.get(field.dataTypeID)?.parserOid ?? field.dataTypeID));
    this.#current = { parsers, complete: describeOnly };
    return { columns: buildColumns(fields, { catalogTypes: cache, ...(baseColumns ? { baseColumns } : {}) }) };
  }

  async #skipCurrent(): Promise<void> {
    const current = this.#current;
    this.#current = undefined;
    if (!current) return;
    while (!current.complete) {
      const event = await this.#next();
      if (event.kind !== 'row') this.#endOfRows(event, current);
    }
  }

  async #untilReady(): Promise<void> {
    while (!this.#finished) {
      const event = await this.#next();
      if (event.kind === 'ready') return;
      // SingleRow: the statements after the first still answer; their results are not read.
      if (
        event.kind !== 'row' &&
        event.kind !== 'complete' &&
        event.kind !== 'suspended' &&
        event.kind !== 'rowDescription' &&
        event.kind !== 'noData'
      ) {
        this.#unexpected(event);
      }
    }
  }

  /** Drops everything up to the entry's end; errors on the way (the 57014 of a cancel) become the failure. */
  protected async abandon(): Promise<void> {
    this.#discard = true;
    this.placement?.session.resume(this);
    while (!this.#finished) {
      const event = await this.#nextEvent();
      if (event.kind === 'error') this.fail(event.error);
      if (event.kind === 'ready' || event.kind === 'lost') return;
    }
  }

  /** The next event; an error, a lost session or an abort becomes the failure (after the entry ended). */
  async #next(): Promise<PgTurnEvent> {
    const event = await this.#nextEvent();
    return event.kind === 'row' ? event : this.screen(event);
  }

  #endOfRows(event: PgTurnEvent, current: CurrentResult): void {
    switch (event.kind) {
      case 'suspended':
        current.complete = true;
        this.counts.uncounted(this.#index);
        return;
      case 'complete':
        current.complete = true;
        this.counts.complete(this.#index, event.tag);
        return;
      case 'empty':
        current.complete = true;
        this.counts.uncounted(this.#index);
        return;
      default:
        this.#unexpected(event);
    }
  }

  #unexpected(event: PgTurnEvent): never {
    this.failure ??= toDbError(new Error(`Unexpected '${event.kind}' message from the server.`), this.#secrets);
    throw this.failure;
  }
}
