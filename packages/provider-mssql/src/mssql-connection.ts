import {
  DbConnection,
  DbError,
  DbErrorCategory,
  type AsyncDbError,
  runCursorOnce,
  type CloseContext,
  type CommandRequest,
  type IsolationLevel,
  type OneShotKind,
  type OneShotResult,
  type OpenContext,
  type ResultCursor,
  type SessionInfo,
  type TransactionRequest,
} from '@asyncdb/core';
import type { MssqlConnectionStringBuilder } from './mssql-connection-string-builder.js';
import { toDbError } from './mssql-error-converter.js';
import { executeOnConnection, type MssqlExecuteHooks } from './mssql-execute.js';
import { executeOnce } from './mssql-one-shot.js';
import type { MssqlPool } from './mssql-pool.js';
import { MssqlProviderFactory } from './mssql-provider-factory.js';
import type { MssqlSession, MssqlSessionListener } from './mssql-session.js';
import { describeSession, sessionOpener, type MssqlSessionOpener } from './mssql-session-opener.js';
import { createTediousRequest, type TediousMessageToken } from './mssql-tedious.js';
import { executeTransactionRequest } from './mssql-transaction-requests.js';
import { MssqlTransaction } from './mssql-transaction.js';

/** What a connection needs to reopen its session after an idle loss (Connect Retry Count / Interval). */
interface MssqlResilience {
  readonly open: MssqlSessionOpener;
  readonly retries: number;
  readonly intervalMs: number;
  readonly connectTimeoutMs: number;
}

/**
 * A connection to SQL Server. Mirrors `SqlConnection`: one physical TDS session (a tedious connection) for as long
 * as it is open — its transactions, `#temp` tables and `SET` options belong to it — taken from the pool for its
 * connection string and returned, reset, on close.
 *
 * ```ts
 * await using connection = new MssqlConnection('Server=db,1433;Database=shop;User ID=app;Password=…;Encrypt=true');
 * await connection.open();
 * connection.on('infoMessage', (message) => console.log(message.message)); // PRINT and RAISERROR(…, 10, …)
 * ```
 */
export class MssqlConnection extends DbConnection {
  readonly #factory: MssqlProviderFactory;
  #session: MssqlSession | undefined;
  #pool: MssqlPool | undefined;

  readonly #listener: MssqlSessionListener = new SessionListener(
    (token: TediousMessageToken) =>
      this.onInfoMessage({
        message: token.message,
        severity: token.class,
        code: token.number,
        source: token.procName || token.serverName || undefined,
      }),
    // A request that is running reports the loss itself (its cursor calls onFatal once the reader has the error);
    // reporting it here first would turn the command's connection_failure into "the connection was closed".
    (error: Error) => {
      if (this.#running !== 0) return;
      // The request that just failed on this loss (tedious may complete it before the socket's end) owns it.
      if (this.#lastEndedFatally) {
        this.onSessionLost(toDbError(error));
        return;
      }
      // Idle connection resiliency (Connect Retry Count): a session that dies while nothing runs on it is reopened
      // by the next request, unless a transaction was open (its work is gone: the caller must hear about it).
      const session = this.#session;
      if (
        this.#resilience !== undefined &&
        this.#resilience.retries > 0 &&
        session?.connection.inTransaction === false
      ) {
        this.#lostWhileIdle = toDbError(error);
        return;
      }
      this.onSessionLost(toDbError(error));
    },
  );
  #running = 0;
  /** The last request ended on a connection failure: a loss reported now is that one, not an idle one. */
  #lastEndedFatally = false;
  /** How to reopen the session transparently (set by openCore). */
  #resilience: MssqlResilience | undefined;
  /** The loss of an idle session, owed a reconnect before the next request (see `onLost`). */
  #lostWhileIdle: AsyncDbError | undefined;

  /**
   * @param connectionString validated at once (unknown keyword → ConnectionStringError).
   * @param factory the factory whose pools it uses. Defaults to {@link MssqlProviderFactory.instance}.
   */
  constructor(connectionString?: string, factory: MssqlProviderFactory = MssqlProviderFactory.instance) {
    // The connection string is set after the factory: core's setter asks the factory for a builder.
    super();
    this.#factory = factory;
    if (connectionString !== undefined) this.connectionString = connectionString;
  }

  /** The SQL Server provider factory. */
  override get providerFactory(): MssqlProviderFactory {
    return this.#factory;
  }

  /** The session's SPID (`@@SPID`), when open. Mirrors `SqlConnection.ServerProcessId`. */
  get serverProcessId(): number | undefined {
    return this.#session?.spid;
  }

  protected override async openCore(context: OpenContext): Promise<SessionInfo> {
    const builder = context.builder as MssqlConnectionStringBuilder;
    const open = sessionOpener(builder, context.connectTimeoutMs, this.#factory.failoverMemory);
    let session: MssqlSession;
    if (builder.getBoolean('Pooling') ?? true) {
      const pool = this.providerFactory.poolFor(builder, open);
      session = await pool.acquire(context.signal);
      this.#pool = pool;
    } else {
      session = await open(context.signal);
      this.#pool = undefined;
    }
    this.#session = session;
    this.#lostWhileIdle = undefined;
    this.#resilience = {
      open,
      retries: builder.connectRetryCount,
      intervalMs: builder.connectRetryInterval * 1000,
      connectTimeoutMs: context.connectTimeoutMs,
    };
    session.attach(this.#listener);
    return describeSession(session, builder);
  }

  protected override async closeCore(context: CloseContext): Promise<void> {
    const session = this.#session;
    const pool = this.#pool;
    this.#session = undefined;
    this.#pool = undefined;
    if (!session) return;
    session.detach();
    let broken = context.broken || !session.isAlive;
    // SqlClient rolls back a transaction still open when the connection closes; do it before the session is pooled.
    if (!broken && session.connection.inTransaction) {
      await executeTransactionRequest(session.connection, { kind: 'rollback' }).catch(() => {
        broken = true;
      });
    }
    if (pool) pool.release(session, broken);
    else await session.close();
  }

  protected override executeCore(request: CommandRequest): Promise<ResultCursor> {
    if (this.#lostWhileIdle !== undefined) return this.#reconnect().then(() => this.executeCore(request));
    const session = this.#session;
    if (!session) return Promise.reject(new Error('The connection has no open session.'));
    return executeOnConnection(session.connection, request, this.#executeHooks);
  }

  /**
   * `executeScalar` / `executeNonQuery` without core's reader: a plain text command in one promise (mssql-one-shot.ts);
   * anything else (procedures, output parameters, batches, SchemaOnly/KeyInfo, a session to reopen first) drives the
   * command's cursor as the reader would (core's `runCursorOnce`), so results, errors, outputs and cancellation are the
   * reader path's.
   */
  protected override executeOnceCore(request: CommandRequest, kind: OneShotKind): Promise<OneShotResult> | undefined {
    const session = this.#session;
    if (session !== undefined && this.#lostWhileIdle === undefined) {
      const once = executeOnce(session.connection, request, kind, this.#executeHooks);
      if (once !== undefined) return once;
    }
    return runCursorOnce(this.executeCore(request), kind);
  }

  /** One hooks object for every command of this connection, rather than closures per execution. */
  readonly #executeHooks: MssqlExecuteHooks = new ExecuteHooks(
    (error) => this.onSessionLost(error),
    () => {
      this.#running += 1;
    },
    (fatal) => {
      this.#running -= 1;
      this.#lastEndedFatally = fatal;
    },
  );

  protected override transactionCore(request: TransactionRequest, signal: AbortSignal): Promise<void> {
    if (this.#lostWhileIdle !== undefined && request.kind === 'begin') {
      return this.#reconnect().then(() => this.transactionCore(request, signal));
    }
    signal.throwIfAborted();
    return executeTransactionRequest(this.#requireSession().connection, request);
  }

  /** `USE [database]`; the server confirms with an ENVCHANGE, which gives the name as the server spells it. */
  protected override changeDatabaseCore(database: string, signal: AbortSignal): Promise<string> {
    if (this.#lostWhileIdle !== undefined)
      return this.#reconnect().then(() => this.changeDatabaseCore(database, signal));
    const session = this.#requireSession();
    return new Promise<string>((resolve, reject) => {
      const onAbort = (): void => {
        session.connection.cancel();
      };
      const request = createTediousRequest(`USE [${database.replaceAll(']', ']]')}]`, (error) => {
        signal.removeEventListener('abort', onAbort);
        if (error) reject(toDbError(error));
        else resolve(session.database);
      });
      signal.addEventListener('abort', onAbort, { once: true });
      session.connection.execSqlBatch(request);
    });
  }

  protected override createDbTransaction(isolationLevel: IsolationLevel): MssqlTransaction {
    return new MssqlTransaction(this, isolationLevel);
  }

  /**
   * Replaces a session that died while idle (see `onLost`): the dead one is discarded, a new one is opened (from the
   * pool when pooling) — at once, then up to `Connect Retry Count - 1` more times `Connect Retry Interval` apart — and
   * moved to the database the old one was in. Session state other than the database (`#temp` tables, `SET` options)
   * does not survive, as it would not with a new connection. When no attempt succeeds the connection is Broken and
   * the request fails with the original loss (the last attempt's error as its cause).
   */
  async #reconnect(): Promise<void> {
    const lost = this.#lostWhileIdle!;
    const resilience = this.#resilience!;
    this.#lostWhileIdle = undefined;
    const old = this.#session;
    const database = old?.database;
    if (old) {
      old.detach();
      if (this.#pool) this.#pool.release(old, true);
      else await old.close().catch(() => {});
    }
    this.#session = undefined;
    let lastError: unknown;
    for (let attempt = 0; attempt < resilience.retries; attempt += 1) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, resilience.intervalMs));
      const signal = AbortSignal.timeout(resilience.connectTimeoutMs > 0 ? resilience.connectTimeoutMs : 2_147_483_647);
      try {
        const session = this.#pool ? await this.#pool.acquire(signal) : await resilience.open(signal);
        this.#session = session;
        session.attach(this.#listener);
        if (database !== undefined && session.database !== database) await this.changeDatabaseCore(database, signal);
        return;
      } catch (error) {
        lastError = error;
        const session = this.#session as MssqlSession | undefined;
        if (session) {
          session.detach();
          if (this.#pool) this.#pool.release(session, true);
          else await session.close().catch(() => {});
          this.#session = undefined;
        }
      }
    }
    const error = new DbError(`${lost.message} Reconnecting failed (Connect Retry Count=${resilience.retries}).`, {
      category: DbErrorCategory.ConnectionFailure,
      isTransient: true,
      providerName: 'mssql',
      cause: lastError,
    });
    this.onSessionLost(error);
    throw error;
  }

  #requireSession(): MssqlSession {
    if (!this.#session) throw new Error('The connection has no open session.');
    return this.#session;
  }
}

/*
 * The two per-connection objects below are class instances, not object literals: a connection lives as long as its
 * caller holds it (a hundred waiting for a pool of ten, say), and V8 allocates an object literal's site straight into
 * the old generation when a burst keeps a hundred of them alive across a scavenge (allocation-site pretenuring) — the
 * connection they reference is then promoted with them, on every open (docs/benchmarks.md).
 */

/** What a session reports to the connection holding it. */
class SessionListener implements MssqlSessionListener {
  constructor(
    readonly onInfoMessage: (token: TediousMessageToken) => void,
    readonly onLost: (error: Error) => void,
  ) {}
}

/** What every command of a connection reports to it. */
class ExecuteHooks implements MssqlExecuteHooks {
  constructor(
    readonly onFatal: (error: AsyncDbError) => void,
    readonly onStarted: () => void,
    readonly onEnded: (fatal: boolean) => void,
  ) {}
}
