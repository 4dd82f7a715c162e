import {
  DbConnection,
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
import { toTediousConfig } from './mssql-client-config.js';
import type { MssqlConnectionStringBuilder } from './mssql-connection-string-builder.js';
import { formatDataSource } from './mssql-data-source.js';
import { toDbError } from './mssql-error-converter.js';
import { executeOnConnection, type MssqlExecuteHooks } from './mssql-execute.js';
import type { MssqlPool } from './mssql-pool.js';
import { MssqlProviderFactory } from './mssql-provider-factory.js';
import { MssqlSession, type MssqlSessionListener } from './mssql-session.js';
import { createTediousRequest, type TediousMessageToken } from './mssql-tedious.js';
import { executeTransactionRequest } from './mssql-transaction-requests.js';
import { MssqlTransaction } from './mssql-transaction.js';

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

  readonly #listener: MssqlSessionListener = {
    onInfoMessage: (token: TediousMessageToken) =>
      this.onInfoMessage({
        message: token.message,
        severity: token.class,
        code: token.number,
        source: token.procName || token.serverName || undefined,
      }),
    // A request that is running reports the loss itself (its cursor calls onFatal once the reader has the error);
    // reporting it here first would turn the command's connection_failure into "the connection was closed".
    onLost: (error: Error) => {
      if (this.#running === 0) this.onSessionLost(toDbError(error));
    },
  };
  #running = 0;

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
    const config = toTediousConfig(builder, context.connectTimeoutMs);
    let session: MssqlSession;
    if (builder.getBoolean('Pooling') ?? true) {
      const pool = this.providerFactory.poolFor(builder, (signal) => MssqlSession.open(config, signal));
      session = await pool.acquire(context.signal);
      this.#pool = pool;
    } else {
      session = await MssqlSession.open(config, context.signal);
      this.#pool = undefined;
    }
    this.#session = session;
    session.attach(this.#listener);
    return {
      serverVersion: session.serverVersion,
      database: session.database,
      dataSource:
        builder.port === undefined ? (builder.dataSource ?? '(local)') : formatDataSource(builder.parsedDataSource),
      ...(session.spid === undefined ? {} : { sessionId: session.spid }),
    };
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
    const session = this.#session;
    if (!session) return Promise.reject(new Error('The connection has no open session.'));
    return executeOnConnection(session.connection, request, this.#executeHooks);
  }

  /**
   * `executeScalar` / `executeNonQuery` without core's reader: the command's cursor driven as the reader would drive
   * it (core's `runCursorOnce`), so results, errors, outputs and cancellation are the reader path's.
   */
  protected override executeOnceCore(request: CommandRequest, kind: OneShotKind): Promise<OneShotResult> | undefined {
    return runCursorOnce(this.executeCore(request), kind);
  }

  /** One hooks object for every command of this connection, rather than closures per execution. */
  readonly #executeHooks: MssqlExecuteHooks = {
    onFatal: (error) => this.onSessionLost(error),
    onStarted: () => {
      this.#running += 1;
    },
    onEnded: () => {
      this.#running -= 1;
    },
  };

  protected override transactionCore(request: TransactionRequest, signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    return executeTransactionRequest(this.#requireSession().connection, request);
  }

  /** `USE [database]`; the server confirms with an ENVCHANGE, which gives the name as the server spells it. */
  protected override changeDatabaseCore(database: string, signal: AbortSignal): Promise<string> {
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

  #requireSession(): MssqlSession {
    if (!this.#session) throw new Error('The connection has no open session.');
    return this.#session;
  }
}
