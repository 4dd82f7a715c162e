import type { OneShotKind, OneShotResult } from '@asyncdb/core';
import type { PgFieldDescription, PgNoticeFields, PgWireConnection } from '../pg-client.js';
import { affectedRowsOfTag } from '../pg-command-tag.js';
import { toDbError } from '../pg-error-converter.js';
import { pgTypeInfo } from '../pg-type-map.js';
import { pgValueParser } from '../pg-type-parsers.js';
import type { PgEntryPlacement, PgMuxRequest, PgPipelineEntry } from './pg-pipeline-entry.js';
import type { PgPreparedStatements } from './pg-mux-prepared.js';
import type { PgMuxRoute } from './pg-mux-route.js';
import { PgMuxStatements, isQueryCanceled, pgMultiplexingStats } from './pg-mux-statements.js';
import { lookUpTypes, muxTypeCache } from './pg-mux-types.js';

/** How a one-shot writes: a lone statement is prepared on its session and then sent by name. */
const PREPARED = Object.freeze({ prepare: true });

/** The columns of a statement that returns no rows (NoData). */
const NO_FIELDS: readonly PgFieldDescription[] = Object.freeze([]);

/** What a multiplexed one-shot execution runs. */
export interface PgMuxOneShotRequest extends PgMuxRequest {
  readonly kind: OneShotKind;
}

/**
 * `executeScalar` / `executeNonQuery` as one pipeline entry: the answers are consumed as they arrive (the first
 * column of the first row of the first result with columns is kept, CommandComplete tags are counted) and the
 * execution settles at its ReadyForQuery — the multiplexed counterpart of `PgOneShot`.
 *
 * Cancellation: taken back when not written yet; otherwise cancelled on the server once it runs at the head, and
 * the server's outcome is the caller's (it may have completed).
 * @internal
 */
export class PgMuxOneShot implements PgPipelineEntry {
  placement: PgEntryPlacement | undefined;
  readonly #route: PgMuxRoute;
  // The request's fields, not the request: a literal kept across the round trip would have its allocation site
  // pretenured by V8 under load (about a hundred alive at a time).
  readonly #kind: OneShotKind;
  readonly #cancellation: PgMuxOneShotRequest['cancellation'];
  readonly #secrets: readonly string[];
  readonly #onNotice: PgMuxOneShotRequest['onNotice'];
  readonly #statements: PgMuxStatements;
  #resolve!: (result: OneShotResult) => void;
  #reject!: (error: unknown) => void;
  #searching: boolean;
  #reading = false;
  #field: PgFieldDescription | undefined;
  #valueText: string | null | undefined;
  #affected = -1;
  #failure: Error | undefined;
  #settled = false;

  private constructor(route: PgMuxRoute, request: PgMuxOneShotRequest) {
    this.#route = route;
    this.#kind = request.kind;
    this.#cancellation = request.cancellation;
    this.#secrets = request.secrets;
    this.#onNotice = request.onNotice;
    this.#statements = new PgMuxStatements(request.statements, PREPARED);
    this.#searching = request.kind === 'scalar';
  }

  /** Queues the execution on the route; resolves at its ReadyForQuery. */
  static run(route: PgMuxRoute, request: PgMuxOneShotRequest): Promise<OneShotResult> {
    if (request.cancellation.aborted) return Promise.reject(new Error('The command was aborted before it was sent.'));
    let shot: PgMuxOneShot;
    try {
      shot = new PgMuxOneShot(route, request);
    } catch (error) {
      return Promise.reject(toDbError(error, request.secrets));
    }
    const done = new Promise<OneShotResult>((resolve, reject) => {
      shot.#resolve = resolve;
      shot.#reject = reject;
    });
    route.submit(shot);
    request.cancellation.onAbort(shot.#onAbort);
    return done;
  }

  get executes(): number {
    return this.#statements.executes;
  }

  write(wire: PgWireConnection, prepared?: PgPreparedStatements): void {
    this.#statements.write(wire, prepared);
    // Sent by name without a Describe: its columns are the ones kept when it was prepared.
    const known = this.#statements.knownFields;
    if (known !== undefined) this.#described(known);
  }

  onParseComplete(): void {
    this.#statements.onParseComplete();
  }

  onRowDescription(fields: PgFieldDescription[]): void {
    this.#statements.onDescribed(fields);
    this.#described(fields);
  }

  #described(fields: readonly PgFieldDescription[]): void {
    // A result without columns (`SELECT;`) is skipped, as core's reader skips it.
    if (this.#searching && fields.length > 0) {
      this.#searching = false;
      this.#reading = true;
      this.#field = fields[0];
    }
  }

  onNoData(): void {
    this.#statements.onDescribed(NO_FIELDS);
  }

  onDataRow(values: Array<string | null>): void {
    if (!this.#reading) return;
    this.#valueText = values[0] ?? null;
    this.#reading = false;
  }

  onCommandComplete(tag: string): void {
    this.#reading = false;
    const affected = affectedRowsOfTag(tag);
    if (affected !== undefined) this.#affected = Math.max(this.#affected, 0) + affected;
  }

  onEmptyQuery(): void {
    this.#reading = false;
  }

  onError(error: Error): void {
    this.#failure ??= error;
  }

  onNotice(notice: PgNoticeFields): void {
    this.#onNotice?.(notice);
  }

  onReady(atRisk: boolean): void {
    const failure = this.#failure;
    if (this.#statements.settle(failure) && !this.#cancellation.aborted) {
      // The statement it used by name went stale (a schema change): sent again, parsed afresh. Its implicit
      // transaction was rolled back, and it never uses a name on a transaction's session.
      pgMultiplexingStats.stalePreparedRetries += 1;
      this.#reset();
      this.#route.submit(this);
      return;
    }
    if (failure && atRisk && isQueryCanceled(failure) && !this.#cancellation.aborted) {
      // A CancelRequest meant for the command ahead found this one; its implicit transaction was rolled back.
      pgMultiplexingStats.strayCancelRetries += 1;
      this.#reset();
      this.#route.submit(this);
      return;
    }
    if (failure) {
      this.#fail(failure);
      return;
    }
    this.#finish();
  }

  onLost(error: Error): void {
    this.#statements.settle(undefined);
    this.#fail(error);
  }

  readonly #onAbort = (): void => {
    if (this.#settled) return;
    if (this.#route.withdraw(this)) {
      this.#rejectWith(new Error('The command was aborted before it was sent.'));
      return;
    }
    this.placement?.session.cancel(this);
  };

  #reset(): void {
    this.#searching = this.#kind === 'scalar';
    this.#reading = false;
    this.#field = undefined;
    this.#valueText = undefined;
    this.#affected = -1;
    this.#failure = undefined;
  }

  /** Settles with the kept value, parsed by its type (looked up first when neither built in nor cached). */
  #finish(): void {
    const text = this.#valueText;
    const field = this.#field;
    if (text === undefined || text === null || !field) {
      this.#succeed(text);
      return;
    }
    const oid = field.dataTypeID;
    // A built-in type (nearly every scalar) needs neither the catalog cache nor a promise.
    if (pgTypeInfo(oid) !== undefined) {
      this.#parse(oid, text);
      return;
    }
    const cached = muxTypeCache(this.#route).get(oid);
    if (cached !== undefined) {
      this.#parse(cached.parserOid, text);
      return;
    }
    lookUpTypes(this.#route, [oid]).then(
      () => this.#parse(muxTypeCache(this.#route).get(oid)?.parserOid ?? oid, text),
      (error: unknown) => this.#fail(error),
    );
  }

  #parse(parserOid: number, text: string): void {
    let value: unknown;
    try {
      value = pgValueParser(parserOid)(text);
    } catch (error) {
      this.#fail(error);
      return;
    }
    this.#succeed(value);
  }

  #succeed(value: unknown): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#resolve({ value, recordsAffected: this.#affected });
  }

  #fail(error: unknown): void {
    this.#rejectWith(toDbError(error, this.#secrets));
  }

  #rejectWith(error: unknown): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#reject(error);
  }
}
