import type pg from 'pg';
import Cursor from 'pg-cursor';
import type { TdsColumn, TdsValue } from '../engine-types.js';
import { tdsColumnFor } from './pg-column-map.js';
import { RAW_TYPES, sendCancelRequest } from './pg-connect.js';
import type { PgParam } from './pg-param.js';
import { tdsValueFor } from './pg-value-map.js';

/** How long a cancelled statement may keep running before the cancel is sent again, and how often that is checked. */
const CANCEL_RETRY_MS = 500;
const CANCEL_POLL_MS = 10;
/** Cancels sent for one abort at most (then the statement runs to its end, as before). */
const CANCEL_ATTEMPTS = 20;

/** Thrown when the request's signal aborted the work (TDS ATTENTION); the request then simply ends. */
export class RequestCancelled extends Error {
  constructor() {
    super('The request was cancelled.');
    this.name = 'RequestCancelled';
  }
}

/** A fully read result (small results: expressions, catalog lookups). */
export interface RawResult {
  readonly fields: readonly pg.FieldDef[];
  readonly rows: readonly (readonly (string | null)[])[];
  readonly rowCount: number | null;
  readonly command: string;
}

/** What streaming a statement yields. */
export type StreamEvent = { readonly kind: 'columns'; readonly columns: readonly TdsColumn[] } | { readonly kind: 'row'; readonly values: readonly TdsValue[] };

/** How a streamed statement ended. */
export interface StreamSummary {
  /** Rows returned (result sets) or affected (DML); null for DDL and other commands. */
  readonly rowCount: number | null;
  readonly hasResultSet: boolean;
}

/** Gives the SQL Server type of result column `index` when the engine knows it (declared types). */
export type ColumnDescriber = (field: pg.FieldDef, index: number) => TdsColumn | undefined;

const STATEMENT_SAVEPOINT = 'tds_statement';

/** The connection-level state pg reports after each command ('I' idle, 'T' in transaction, 'E' failed). */
type TransactionStatus = 'I' | 'T' | 'E';

/**
 * Runs the engine's SQL on one PostgreSQL session. Statements stream through a portal (pg-cursor), so a
 * result is fetched `fetchSize` rows at a time, only as the consumer pulls. While the session is in an
 * explicit transaction each statement runs inside a savepoint, so a failing (or cancelled) statement is
 * rolled back alone and the transaction stays usable, as in SQL Server. Aborting the attached signal
 * cancels the running statement on the server; {@link settle} then waits until the session is idle.
 */
export class PgRunner {
  /** True while an explicit transaction is open (statements then run in savepoints). */
  inTransaction = false;
  /** Warnings PostgreSQL sent since they were last taken. */
  readonly notices: string[] = [];
  #signal: AbortSignal | undefined;
  #busy = 0;
  #cancel: Promise<void> | undefined;
  #status: TransactionStatus = 'I';
  #closing = false;
  #markLost: () => void = () => undefined;
  /** Settles when the PostgreSQL connection ends without {@link close} (backend terminated, server gone). */
  readonly lost: Promise<void> = new Promise((resolve) => (this.#markLost = resolve));
  readonly #onAbort = (): void => {
    if (this.#busy > 0) this.#cancel ??= this.#cancelUntilIdle();
  };

  /**
   * Cancels the running statement until it has stopped. One cancel is not enough: it can land before the statement
   * started (the query was still in pg's queue or on the wire) or between two statements of one request, and
   * PostgreSQL then ignores it while the statement runs on — a CPU-bound one for good. So the cancel is repeated
   * every {@link CANCEL_RETRY_MS} while a statement of this request is still running, for at most
   * {@link CANCEL_ATTEMPTS} attempts. A cancel arriving after the statement ended is absorbed by `settle()`'s probe.
   */
  async #cancelUntilIdle(): Promise<void> {
    for (let attempt = 0; attempt < CANCEL_ATTEMPTS && this.#busy > 0 && !this.#closing; attempt++) {
      await sendCancelRequest(this.client);
      for (let waited = 0; waited < CANCEL_RETRY_MS && this.#busy > 0; waited += CANCEL_POLL_MS) {
        await new Promise((resolve) => setTimeout(resolve, CANCEL_POLL_MS));
      }
    }
  }

  constructor(
    private readonly client: pg.Client,
    /** The backend pid (the SPID). */
    readonly pid: number,
    private readonly fetchSize: number,
  ) {
    client.on('notice', (notice) => this.notices.push(notice.message ?? ''));
    const gone = (): void => {
      if (!this.#closing) this.#markLost();
    };
    client.on('end', gone);
    client.on('error', gone);
    // pg does not expose the ReadyForQuery status; the connection emits it with every message.
    client.connection.on('readyForQuery', (message: { status?: string }) => {
      if (message.status === 'I' || message.status === 'T' || message.status === 'E') this.#status = message.status;
    });
  }

  /** True when PostgreSQL reports an open transaction block. */
  get pgInTransaction(): boolean {
    return this.#status !== 'I';
  }

  /** Makes `signal` the current request's: aborting it cancels running statements. Returns the detach function. */
  attach(signal: AbortSignal): () => void {
    this.#signal = signal;
    signal.addEventListener('abort', this.#onAbort);
    return () => {
      signal.removeEventListener('abort', this.#onAbort);
      if (this.#signal === signal) this.#signal = undefined;
    };
  }

  /** Throws {@link RequestCancelled} when the current request was aborted. */
  checkAborted(): void {
    if (this.#signal?.aborted === true) throw new RequestCancelled();
  }

  /**
   * Waits until a cancel request sent for this session has landed and the session is idle. A cancel that
   * arrives after its statement finished could otherwise hit the next one; a probe query absorbs it.
   */
  async settle(): Promise<void> {
    const cancel = this.#cancel;
    if (cancel === undefined) return;
    await cancel;
    this.#cancel = undefined;
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await this.client.query('SELECT 1');
        return;
      } catch {
        // 57014 from a late cancel: the probe took it; try once more.
      }
    }
  }

  /** Ends the PostgreSQL session. */
  async close(): Promise<void> {
    this.#closing = true;
    await this.client.end().catch(() => undefined);
  }

  /** Runs session-control SQL (BEGIN, COMMIT, SAVEPOINT, SET, catalog lookups) outside statement savepoints. */
  async command(text: string, values: readonly PgParam[] = []): Promise<RawResult> {
    return this.#guard(() => this.#raw(text, values));
  }

  /** Runs a statement and reads its whole (small) result, in a statement savepoint inside transactions. */
  async query(text: string, values: readonly PgParam[] = []): Promise<RawResult> {
    if (!this.inTransaction) return this.#guard(() => this.#raw(text, values));
    await this.#raw(`SAVEPOINT ${STATEMENT_SAVEPOINT}`);
    try {
      const result = await this.#guard(() => this.#raw(text, values));
      await this.#raw(`RELEASE SAVEPOINT ${STATEMENT_SAVEPOINT}`);
      return result;
    } catch (error) {
      await this.#recover();
      throw error;
    }
  }

  /**
   * Streams a statement: a `columns` event (when it returns rows), then its rows; returns the count.
   * `describe` may give a result column's SQL Server type where it knows better than the PostgreSQL type.
   */
  async *stream(text: string, values: readonly PgParam[] = [], describe?: ColumnDescriber): AsyncGenerator<StreamEvent, StreamSummary> {
    this.checkAborted();
    if (this.inTransaction) await this.#raw(`SAVEPOINT ${STATEMENT_SAVEPOINT}`);
    const cursor = this.client.query(new Cursor<(string | null)[]>(text, values as PgParam[], { rowMode: 'array', types: RAW_TYPES }));
    // Open until the last read (fewer rows than asked) or a failed read, after which pg-cursor has synced.
    let portalOpen = true;
    let finished = false;
    const read = async (): Promise<{ rows: (string | null)[][]; result: pg.QueryResult }> => {
      try {
        const batch = await this.#read(cursor);
        if (batch.rows.length < this.fetchSize) portalOpen = false;
        return batch;
      } catch (error) {
        portalOpen = false;
        throw error;
      }
    };
    try {
      let { rows, result } = await read();
      const hasResultSet = result.fields.length > 0;
      let columns: TdsColumn[] = [];
      if (hasResultSet) {
        columns = result.fields.map((field, i) => {
          const mapped = tdsColumnFor(field, rows.map((row) => row[i] ?? null));
          const known = describe?.(field, i);
          return known === undefined ? mapped : { ...known, name: mapped.name };
        });
        yield { kind: 'columns', columns };
      }
      let count = 0;
      for (;;) {
        for (const row of rows) {
          this.checkAborted();
          count++;
          yield { kind: 'row', values: row.map((value, i) => tdsValueFor(columns[i] as TdsColumn, value)) };
        }
        if (!portalOpen) break;
        ({ rows, result } = await read());
      }
      finished = true;
      if (this.inTransaction) await this.#raw(`RELEASE SAVEPOINT ${STATEMENT_SAVEPOINT}`);
      return { rowCount: hasResultSet ? count : result.rowCount, hasResultSet };
    } finally {
      if (!finished) {
        // Closing the portal ends the statement (Close + Sync → ReadyForQuery).
        if (portalOpen) await cursor.close().catch(() => undefined);
        if (this.inTransaction) await this.#recover();
      }
    }
  }

  #read(cursor: Cursor<(string | null)[]>): Promise<{ rows: (string | null)[][]; result: pg.QueryResult }> {
    return this.#guard(
      () =>
        new Promise((resolve, reject) => {
          cursor.read(this.fetchSize, (error, rows, result) => (error ? reject(error) : resolve({ rows, result })));
        }),
    );
  }

  /** Rolls the failed statement back to its savepoint, once any cancel has landed. */
  async #recover(): Promise<void> {
    await this.settle();
    if (!this.pgInTransaction) return;
    await this.#raw(`ROLLBACK TO SAVEPOINT ${STATEMENT_SAVEPOINT}`).catch(() => undefined);
    await this.#raw(`RELEASE SAVEPOINT ${STATEMENT_SAVEPOINT}`).catch(() => undefined);
  }

  async #guard<T>(work: () => Promise<T>): Promise<T> {
    this.checkAborted();
    this.#busy++;
    try {
      return await work();
    } catch (error) {
      if (this.#signal?.aborted === true && (error as { code?: string }).code === '57014') throw new RequestCancelled();
      throw error;
    } finally {
      this.#busy--;
    }
  }

  async #raw(text: string, values: readonly PgParam[] = []): Promise<RawResult> {
    const result = await this.client.query({ text, values: values as PgParam[], rowMode: 'array', types: RAW_TYPES });
    return { fields: result.fields, rows: result.rows as (string | null)[][], rowCount: result.rowCount, command: result.command };
  }
}
