import {
  DbConnection,
  InvalidOperationError,
  NotSupportedError,
  IsolationLevel,
  runCursorOnce,
  deliverOnce,
  type CloseContext,
  type CommandRequest,
  type DbConnectionStringBuilder,
  type InfoMessage,
  type OneShotKind,
  type OneShotSink,
  type PooledSession,
  type SessionPool,
  type OpenContext,
  type ResultCursor,
  type SessionInfo,
  type TransactionRequest,
  type HostEndpoint,
  type HostSet,
} from '@asyncdb/core';
import { mysqlDriver } from './mysql-driver.js';
import type { MysqlConnectionStringBuilder } from './mysql-connection-string-builder.js';
import { openOnMysqlHosts } from './mysql-host-list.js';
import { toDbError } from './mysql-error-converter.js';
import type { MysqlLease } from './mysql-pool-registry.js';
import type { MysqlPooledSession } from './mysql-pooled-session.js';
import type { MysqlProviderFactory } from './mysql-provider-factory.js';
import { MysqlResultCursor, type CursorListener } from './mysql-result-cursor.js';
import { refusedSkippedMarker } from './mysql-gated-comments.js';
import { quoteIdentifier, type MysqlSession } from './mysql-session.js';
import { planBatch } from './mysql-batch-plan.js';
import { planStatements } from './mysql-statement-plan.js';
import { MysqlTransaction } from './mysql-transaction.js';

const ISOLATION_SQL: Partial<Record<IsolationLevel, string>> = {
  ReadUncommitted: 'READ UNCOMMITTED',
  ReadCommitted: 'READ COMMITTED',
  RepeatableRead: 'REPEATABLE READ',
  Serializable: 'SERIALIZABLE',
};

/**
 * A connection to MySQL or MariaDB through mysql2. Mirrors MySqlConnector's `MySqlConnection`; everything that is
 * not engine-specific (validation, the Begin/End model, timeouts, readers, transactions' state) is core's.
 *
 * ```ts
 * await using connection = MysqlProviderFactory.instance.createConnection('Server=localhost;User ID=app;Database=shop');
 * await connection.open();
 * ```
 */
export class MysqlConnection extends DbConnection {
  readonly #factory: MysqlProviderFactory;
  #lease: MysqlLease | undefined;
  /** For a session of a `Server` list: the list's host set and the host used (its open connections are counted). */
  #host: { readonly hosts: HostSet; readonly endpoint: HostEndpoint; readonly pooled: boolean } | undefined;
  /** What every cursor of this connection reports to it (one object, not one per command). */
  readonly #cursorListener: CursorListener = new CursorNotes((message) => this.onInfoMessage(message));

  constructor(factory: MysqlProviderFactory, connectionString?: string) {
    super();
    this.#factory = factory;
    if (connectionString !== undefined) this.connectionString = connectionString;
  }

  override get providerFactory(): MysqlProviderFactory {
    return this.#factory;
  }

  /** Core's pool of this connection string, unless `Pooling=false` or a `Server` list (one pool per host: openCore). */
  protected override sessionPool(builder: DbConnectionStringBuilder): SessionPool | undefined {
    const plan = this.#factory.settingsCache.planOf(builder);
    if (plan.pool !== undefined) return plan.pool;
    const { settings, poolKey, hostList } = plan;
    if (!settings.pooling || hostList !== undefined) return undefined;
    plan.pool = this.#factory.pools.poolOf(poolKey, settings, builder);
    return plan.pool;
  }

  protected override attachSession(session: PooledSession): void {
    const pooled = session as MysqlPooledSession;
    const secrets = pooled.session.settings.secrets;
    // As a DbError (providerCode, sqlState), since it becomes the cause of a running command's connection_failure.
    pooled.attach((error) => this.onSessionLost(toDbError(error, secrets)));
    this.#lease = pooled.lease;
  }

  protected override detachSession(session: PooledSession): void {
    (session as MysqlPooledSession).attach(undefined);
    this.#lease = undefined;
  }

  /**
   * Opens a session of its own (`Pooling=false`), or — for a `Server` list — takes one from the pool of the first
   * host that answers (mysql-host-list.ts). Pooled opens of one server go through core's pool.
   */
  protected override async openCore(context: OpenContext): Promise<SessionInfo> {
    const { settings, hostList } = this.#factory.settingsCache.planOf(context.builder);
    if (hostList !== undefined) return this.#openOnHosts(context, hostList);
    let lease: MysqlLease;
    try {
      lease = await this.#factory.pools.openUnpooled(settings, context.signal);
    } catch (error) {
      throw toDbError(error, settings.secrets);
    }
    this.#lease = lease;
    // As a DbError (providerCode, sqlState), since it becomes the cause of a running command's connection_failure.
    lease.session.onLost((error) => this.onSessionLost(toDbError(error, settings.secrets)));
    return {
      serverVersion: lease.session.serverVersion,
      database: settings.database,
      dataSource: settings.dataSource,
      sessionId: lease.session.threadId,
    };
  }

  async #openOnHosts(context: OpenContext, endpoints: readonly HostEndpoint[]): Promise<SessionInfo> {
    const builder = context.builder as MysqlConnectionStringBuilder;
    const found = await openOnMysqlHosts(this.#factory, builder, endpoints, context.signal);
    const { lease, pooled, settings } = found;
    this.#lease = lease;
    this.#host = { hosts: found.hosts, endpoint: found.endpoint, pooled: pooled !== undefined };
    // As a DbError (providerCode, sqlState), since it becomes the cause of a running command's connection_failure.
    const lost = (error: Error): void => this.onSessionLost(toDbError(error, settings.secrets));
    if (pooled) pooled.attach(lost);
    else lease.session.onLost(lost);
    return {
      serverVersion: lease.session.serverVersion,
      database: settings.database,
      dataSource: settings.dataSource,
      sessionId: lease.session.threadId,
      serverAddress: found.endpoint.host,
      serverPort: found.endpoint.port,
    };
  }

  /** Ends the session of its own (`Pooling=false`), or destroys it when broken; a host pool's goes back to it. */
  protected override async closeCore(context: CloseContext): Promise<void> {
    const lease = this.#lease;
    this.#lease = undefined;
    const host = this.#host;
    this.#host = undefined;
    host?.hosts.closed(host.endpoint);
    // The connection is closing: a session that dies during its reset is no longer this connection's concern. (A
    // host pool's session keeps its pool's listener: its lease detaches this connection instead.)
    if (host?.pooled !== true) lease?.session.onLost(undefined);
    await lease?.release(context.broken);
  }

  protected override async executeCore(request: CommandRequest): Promise<ResultCursor> {
    const refused = refusedTextOutput(request) ?? refusedSkippedMarker(request, this);
    if (refused) throw refused;
    const session = this.#lease?.session;
    // Usually nothing to wait for: #idleSession's await only when a session is missing, lost or still cancelling.
    if (session === undefined || session.cancelling || session.lost)
      return this.#execute(await this.#idleSession(), request);
    return this.#execute(session, request);
  }

  /**
   * `executeScalar` / `executeNonQuery` without core's reader (see core's `runCursorOnce`). Declined — core then calls
   * executeCore and reads — while the session is missing, lost or still cancelling (executeCore waits for those).
   */
  protected override startOnceCore(request: CommandRequest, kind: OneShotKind, sink: OneShotSink): boolean {
    const refused = refusedTextOutput(request) ?? refusedSkippedMarker(request, this);
    if (refused) {
      sink.fail(refused);
      return true;
    }
    const session = this.#lease?.session;
    if (session === undefined || session.cancelling || session.lost) return false;
    const cursor = this.#execute(session, request);
    if (!cursor.startOnce(kind, sink)) {
      // Several statements, output parameters, or already aborted: core's reading of a cursor, delivered to the sink.
      deliverOnce(runCursorOnce(cursor, kind), sink);
    }
    return true;
  }

  #execute(session: MysqlSession, request: CommandRequest): MysqlResultCursor {
    if (request.batch !== undefined) {
      const { statements, plan } = planBatch(request, request.batch, mysqlDriver.TypedParameter);
      return new MysqlResultCursor(session, statements, request.cancellation, this.#cursorListener, plan);
    }
    const statements = planStatements(request, mysqlDriver.TypedParameter);
    return new MysqlResultCursor(session, statements, request.cancellation, this.#cursorListener);
  }

  protected override async transactionCore(request: TransactionRequest, signal: AbortSignal): Promise<void> {
    const session = await this.#idleSession();
    for (const sql of transactionStatements(request)) {
      // Transaction control is short; once sent it is allowed to finish (a half-sent COMMIT cannot be recalled).
      if (signal.aborted) throw new Error('The transaction operation was aborted.');
      await this.#run(session, sql);
    }
  }

  protected override async changeDatabaseCore(database: string): Promise<string> {
    const session = await this.#idleSession();
    await this.#run(session, `USE ${quoteIdentifier(database)}`);
    session.noteDatabaseChange();
    return database;
  }

  protected override createDbTransaction(isolationLevel: IsolationLevel): MysqlTransaction {
    return new MysqlTransaction(this, isolationLevel);
  }

  async #idleSession(): Promise<MysqlSession> {
    const session = this.#lease?.session;
    if (!session) throw new InvalidOperationError('The connection has no session.');
    if (session.cancelling) await session.whenIdle();
    const lost = session.lost;
    if (lost) throw toDbError(lost, session.settings.secrets);
    return session;
  }

  async #run(session: MysqlSession, sql: string): Promise<void> {
    try {
      await session.simple(sql);
    } catch (error) {
      throw toDbError(error, session.settings.secrets);
    }
  }
}

/** The SQL of one transaction request. Savepoint names were validated by core as identifiers. */
function transactionStatements(request: TransactionRequest): string[] {
  switch (request.kind) {
    case 'begin': {
      const level = ISOLATION_SQL[request.isolationLevel];
      // SET TRANSACTION (without SESSION) applies to the next transaction only.
      return level ? [`SET TRANSACTION ISOLATION LEVEL ${level}`, 'START TRANSACTION'] : ['START TRANSACTION'];
    }
    case 'commit':
      return ['COMMIT'];
    case 'rollback':
      return request.savepoint ? [`ROLLBACK TO SAVEPOINT ${quoteIdentifier(request.savepoint)}`] : ['ROLLBACK'];
    case 'save':
      return [`SAVEPOINT ${quoteIdentifier(request.savepoint)}`];
    case 'release':
      return [`RELEASE SAVEPOINT ${quoteIdentifier(request.savepoint)}`];
  }
}

/**
 * MySQL fills output parameters of stored procedures only (through user variables, see `mysql-statement-plan.ts`):
 * an Output, InputOutput or ReturnValue parameter of a Text command would be left unchanged without a word, so it is
 * refused before anything is sent.
 */
function refusedTextOutput(request: CommandRequest): NotSupportedError | undefined {
  if (request.commandType !== 'Text') return undefined;
  for (const parameter of request.parameters) {
    if (parameter.direction !== 'Input') {
      return new NotSupportedError(
        `The parameter '@${parameter.name}' has direction ${parameter.direction}: the mysql provider fills output ` +
          'parameters of stored procedures only (CommandType.StoredProcedure); in a Text command, SELECT the value.',
      );
    }
  }
  return undefined;
}

/**
 * Relays a cursor's server notes to its connection. A class instance, not an object literal: a connection lives as long
 * as its caller holds it (a hundred waiting for a pool of ten, say), and V8 allocates an object literal's site straight
 * into the old generation when a burst keeps a hundred of them alive across a scavenge (allocation-site pretenuring) —
 * this one references its connection, which was then promoted with it on every open (docs/benchmarks.md).
 */
class CursorNotes implements CursorListener {
  constructor(readonly infoMessage: (message: InfoMessage) => void) {}
}
