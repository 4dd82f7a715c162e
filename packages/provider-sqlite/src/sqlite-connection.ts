import {
  DbConnection,
  DbError,
  DbErrorCategory,
  type CloseContext,
  type CommandRequest,
  type DbConnectionStringBuilder,
  type OpenContext,
  type PooledSession,
  type ResultCursor,
  type SessionInfo,
  type SessionPool,
  type TransactionRequest,
} from '@asyncdb/core';
import { toDbError } from './sqlite-error-converter.js';
import { isPrivateMemory } from './sqlite-open-options.js';
import { openSqliteSession, type SqlitePooledSession } from './sqlite-pooled-session.js';
import type { SqliteProviderFactory } from './sqlite-provider-factory.js';
import { SqliteResultCursor } from './sqlite-result-cursor.js';
import { SqliteSession, SqliteWorkerError } from './sqlite-session.js';
import { transactionSql } from './sqlite-transaction-sql.js';

/**
 * How long a statement may go on after `sqlite3_interrupt` before the worker is ended. The interrupt reaches the
 * engine while it computes towards a row; a statement producing rows slowly (a sparse filter over a large table)
 * stops only when the current batch is complete, and if that takes longer the thread is terminated and the
 * connection is Broken.
 */
const INTERRUPT_GRACE_MS = 5_000;

/**
 * A connection to a SQLite database, owning one worker thread that runs the engine (the engine is synchronous; the
 * application's event loop never waits for it). Mirrors `SqliteConnection` of Microsoft.Data.Sqlite.
 *
 * A database file is pooled through core's pool (`Pooling=true`, the default): `close()` gives the worker back, reset
 * to its state after open (docs/pooling.md). A private in-memory database (`:memory:`, `Mode=Memory`) is never
 * pooled: it lives exactly as long as its connection, as in Microsoft.Data.Sqlite.
 */
export class SqliteConnection extends DbConnection {
  readonly #factory: SqliteProviderFactory;
  #session: SqliteSession | undefined;
  /** The pooled session this connection holds, when it came from core's pool. */
  #pooled: SqlitePooledSession | undefined;
  /** {@link SqliteConnection.#convert} bound once, for the cursors (not a closure per command). */
  readonly #convertError = (error: unknown): unknown => this.#convert(error);

  constructor(connectionString: string | undefined, factory: SqliteProviderFactory) {
    // The factory field is set after super(), so the base class must not parse the connection string before it.
    super();
    this.#factory = factory;
    if (connectionString !== undefined) this.connectionString = connectionString;
  }

  override get providerFactory(): SqliteProviderFactory {
    return this.#factory;
  }

  /** Core's pool for a database file with `Pooling` on; none for a private in-memory database. */
  protected override sessionPool(builder: DbConnectionStringBuilder): SessionPool | undefined {
    if (builder.getBoolean('Pooling') === false || isPrivateMemory(builder)) return undefined;
    return this.#factory.pools.poolOf(builder) as unknown as SessionPool;
  }

  protected override attachSession(session: PooledSession): void {
    const pooled = session as SqlitePooledSession;
    this.#pooled = pooled;
    this.#session = pooled.session;
    pooled.session.ref();
    pooled.onLost = (error) => {
      if (this.#pooled === pooled) this.onSessionLost(this.#lost(error));
    };
  }

  protected override detachSession(session: PooledSession): void {
    (session as SqlitePooledSession).onLost = undefined;
    this.#pooled = undefined;
    this.#session = undefined;
  }

  /** An unpooled open (`Pooling=false`, or a private in-memory database): a worker of this connection's own. */
  protected override async openCore(context: OpenContext): Promise<SessionInfo> {
    const { session, info } = await openSqliteSession(context.builder, context.signal);
    this.#session = session;
    session.onExit = (error) => {
      if (this.#session === session && error) this.onSessionLost(this.#lost(error));
    };
    return info;
  }

  protected override async closeCore(context: CloseContext): Promise<void> {
    const session = this.#session;
    this.#session = undefined;
    if (!session) return;
    if (!context.broken && !session.exited) {
      await session.request({ op: 'close' }).catch(() => {});
    }
    await session.terminate();
  }

  protected override async executeCore(request: CommandRequest): Promise<ResultCursor> {
    const session = this.#requireSession();
    const pooled = this.#pooled;
    if (pooled) for (const statement of request.statements) pooled.note(statement.text);
    this.#watchCancellation(session, request);
    return new SqliteResultCursor(session, request, this.#convertError);
  }

  protected override async transactionCore(request: TransactionRequest, signal: AbortSignal): Promise<void> {
    void signal;
    const session = this.#requireSession();
    this.#pooled?.noteTransaction();
    try {
      await session.request({
        op: 'execute',
        sql: transactionSql(request),
        parameters: [],
        maxRows: 0,
        schemaOnly: false,
        keyInfo: false,
      });
    } catch (error) {
      throw this.#convert(error);
    }
  }

  /** On abort: interrupt the engine; if the worker has not answered within the grace period, end it. */
  #watchCancellation(session: SqliteSession, request: CommandRequest): void {
    request.cancellation.onAbort(() => {
      session.interrupt();
      const deadline = setTimeout(() => {
        if (session.busy) {
          session.abandon(
            new Error(
              `the statement did not stop within ${INTERRUPT_GRACE_MS} ms of sqlite3_interrupt; its worker was terminated`,
            ),
          );
        }
      }, INTERRUPT_GRACE_MS);
      deadline.unref();
      void session.idle().then(() => clearTimeout(deadline));
    });
  }

  #requireSession(): SqliteSession {
    const session = this.#session;
    if (!session || session.exited) throw this.#lost(new Error('The SQLite worker thread is gone.'));
    return session;
  }

  #lost(error: Error): DbError {
    return new DbError(`The SQLite connection was lost: ${error.message}`, {
      category: DbErrorCategory.ConnectionFailure,
      providerName: this.#factory.invariantName,
      cause: error,
    });
  }

  #convert(error: unknown): unknown {
    if (error instanceof SqliteWorkerError) return toDbError(error);
    if (error instanceof Error && this.#session?.exited !== false && !(error instanceof DbError)) {
      return this.#lost(error);
    }
    return error;
  }
}
