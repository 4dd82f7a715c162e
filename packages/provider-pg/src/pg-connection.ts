import {
  DbConnection,
  DbError,
  formatEndpoint,
  openOnHosts,
  type HostEndpoint,
  type HostSet,
  DbErrorCategory,
  InvalidOperationError,
  NotSupportedError,
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
import type { PgClient } from './pg-client.js';
import { toClientConfig } from './pg-client-config.js';
import type { PgConnectionStringBuilder } from './pg-connection-string-builder.js';
import { createPgClient, queryOnSideClient } from './pg-driver.js';
import { builderForHost, usesHostList } from './pg-host-builder.js';
import { pgRoleOf } from './pg-host-role.js';
import { toDbError } from './pg-error-converter.js';
import { toInfoMessage } from './pg-notice.js';
import { PgOneShot } from './pg-one-shot.js';
import { PgProviderFactory } from './pg-provider-factory.js';
import { PgResultCursor, type PgSideQuery } from './pg-result-cursor.js';
import { runPgStatement } from './pg-run-statement.js';
import { PgSession, type PgClientReturn } from './pg-session.js';
import { resetPgSession } from './pg-session-reset.js';
import { PgTransaction } from './pg-transaction.js';
import { transactionSql } from './pg-transaction-sql.js';

/** What the connection keeps while open. */
interface OpenState {
  readonly session: PgSession;
  readonly pooled: boolean;
  readonly discardOnClose: boolean;
  readonly secrets: readonly string[];
  /** Catalog lookups on a connection of their own (see `PgResultCursor`). */
  readonly sideQuery: PgSideQuery;
  /** The host list and the host used, for a multi-host data source (counts its open connections). */
  readonly host: { readonly hosts: HostSet; readonly endpoint: HostEndpoint } | undefined;
}

/** A client an open obtained, and the connection string of the host it came from. */
interface Obtained {
  readonly client: PgClient;
  readonly builder: PgConnectionStringBuilder;
  readonly host: OpenState['host'];
}

/**
 * A connection to PostgreSQL through `pg`. Mirrors `NpgsqlConnection`: pooled by default (one `pg.Pool` per
 * connection string), reset with `DISCARD ALL` before reuse, NOTICE messages raised as `infoMessage`.
 *
 * ```ts
 * await using connection = new PgConnection('Host=localhost;Database=shop;Username=app;Password=…');
 * await connection.open();
 * ```
 */
export class PgConnection extends DbConnection {
  readonly #factory: PgProviderFactory;
  #open: OpenState | undefined;

  /** @param factory the factory whose pools the connection uses. Defaults to {@link PgProviderFactory.instance}. */
  constructor(connectionString?: string, factory: PgProviderFactory = PgProviderFactory.instance) {
    // The base constructor would parse the string before #factory exists; set it afterwards instead.
    super();
    this.#factory = factory;
    if (connectionString !== undefined) this.connectionString = connectionString;
  }

  override get providerFactory(): PgProviderFactory {
    return this.#factory;
  }

  protected override async openCore(context: OpenContext): Promise<SessionInfo> {
    const builder = context.builder as PgConnectionStringBuilder;
    const password = builder.getString('Password');
    const secrets = password === undefined || password === '' ? [] : [password];
    const pooled = builder.getBoolean('Pooling') ?? true;
    const { client, builder: hostBuilder, host } = await this.#obtain(builder, context, pooled, secrets);
    const giveBack: PgClientReturn = pooled
      ? async (destroy) => client.release?.(destroy ? new Error('The session was destroyed by asyncdb.') : undefined)
      : // A destroyed session may sit on a network that went silent: a Terminate would wait for an answer forever.
        async (destroy) => (destroy ? client.connection.stream.destroy() : client.end().catch(() => {}));
    const session = new PgSession(
      client,
      {
        onLost: (error) => this.onSessionLost(toDbError(error, secrets)),
        onNotice: (notice) => this.onInfoMessage(toInfoMessage(notice)),
      },
      giveBack,
    );
    const sideQuery: PgSideQuery = (sql, values, cancellation) =>
      queryOnSideClient(toClientConfig(hostBuilder), sql, values, cancellation);
    this.#open = { session, pooled, discardOnClose: !builder.noResetOnClose, secrets, sideQuery, host };
    host?.hosts.opened(host.endpoint);
    return describeSession(client, hostBuilder, host?.endpoint);
  }

  /**
   * A client for this open: from the connection string's one host as before, or — for a host list, a target role or
   * a host with its own port — from the per-host pool of the first host that answers with the right role.
   */
  async #obtain(
    builder: PgConnectionStringBuilder,
    context: OpenContext,
    pooled: boolean,
    secrets: readonly string[],
  ): Promise<Obtained> {
    const target = context.targetSessionAttributes ?? builder.targetSessionAttributes;
    const endpoints = builder.hostEndpoints;
    const connect = async (hostBuilder: PgConnectionStringBuilder): Promise<PgClient> => {
      const client = pooled
        ? await this.#factory.pools.acquire(hostBuilder, context.signal)
        : await connectUnpooled(hostBuilder, context.signal, secrets);
      client.handovers += 1;
      return client;
    };
    if (!usesHostList(builder, endpoints, target)) {
      return { client: await connect(builder), builder, host: undefined };
    }
    const hosts = this.#factory.hostSets.get(endpoints, builder.hostRecheckSeconds * 1000);
    const found = await openOnHosts<HostEndpoint, PgClient>({
      hosts,
      target,
      order: builder.loadBalanceHosts ? 'round-robin' : 'in-order',
      providerName: 'pg',
      signal: context.signal,
      connect: (endpoint) => connect(builderForHost(builder, endpoint)),
      roleOf: (client) => pgRoleOf(client),
      release: async (client, broken) => {
        // A client of the wrong role is fine for another data source: it goes back to its host's pool.
        if (!pooled) await client.end().catch(() => {});
        else client.release?.(broken ? new Error('The role check failed.') : undefined);
      },
    });
    return {
      client: found.session,
      builder: builderForHost(builder, found.endpoint),
      host: { hosts, endpoint: found.endpoint },
    };
  }

  protected override async closeCore(context: CloseContext): Promise<void> {
    const state = this.#open;
    this.#open = undefined;
    if (!state) return;
    state.host?.hosts.closed(state.host.endpoint);
    let destroy = context.broken || state.session.unusable;
    if (!destroy && state.pooled) {
      try {
        await resetPgSession(state.session, state.discardOnClose);
      } catch {
        // A session that cannot be reset must not be handed to the next user.
        destroy = true;
      }
    }
    await state.session.dispose(destroy);
  }

  protected override executeCore(request: CommandRequest): Promise<ResultCursor> {
    const state = this.#requireOpen();
    const procedures =
      request.commandType === 'StoredProcedure' ||
      request.batch?.commands.some((command) => command.commandType === 'StoredProcedure') === true;
    if (procedures) {
      return Promise.reject(
        new NotSupportedError(
          'The pg provider runs stored procedures as text: use "CALL name(@a, @b)" or "SELECT * FROM name(@a)".',
        ),
      );
    }
    return PgResultCursor.start(state.session, {
      statements: request.statements,
      behavior: request.behavior,
      cancellation: request.cancellation,
      secrets: state.secrets,
      sideQuery: state.sideQuery,
    });
  }

  /**
   * `executeScalar` / `executeNonQuery` as one submittable (see `PgOneShot`). Declined — core then reads a cursor —
   * for stored procedures, output parameters, behaviours other than Default and text with no statement.
   */
  protected override executeOnceCore(request: CommandRequest, kind: OneShotKind): Promise<OneShotResult> | undefined {
    const state = this.#open;
    if (!state || request.commandType !== 'Text' || request.behavior !== 0 || request.statements.length === 0) {
      return undefined;
    }
    for (const parameter of request.parameters) if (parameter.direction !== 'Input') return undefined;
    return PgOneShot.run(state.session, {
      statements: request.statements,
      kind,
      cancellation: request.cancellation,
      secrets: state.secrets,
    });
  }

  protected override async transactionCore(request: TransactionRequest, signal: AbortSignal): Promise<void> {
    const state = this.#requireOpen();
    if (request.kind === 'commit' && state.session.client.getTransactionStatus() === 'E') {
      // PostgreSQL answers COMMIT of a failed transaction with a silent ROLLBACK; say so instead of pretending.
      await runPgStatement(state.session, 'ROLLBACK', signal, state.secrets);
      throw new DbError(
        '25P02: The transaction could not be committed because a command in it failed; it was rolled back.',
        { sqlState: '25P02', providerCode: '25P02', category: DbErrorCategory.Other, providerName: 'pg' },
      );
    }
    await runPgStatement(state.session, transactionSql(request), signal, state.secrets);
  }

  protected override createDbTransaction(isolationLevel: IsolationLevel): PgTransaction {
    return new PgTransaction(this, isolationLevel);
  }

  #requireOpen(): OpenState {
    // Core only calls the hooks on an open connection; this guards the provider's own invariant.
    if (!this.#open) throw new InvalidOperationError('The connection is not open.');
    return this.#open;
  }
}

/** Connects a client that is not pooled; aborting `signal` destroys the socket, which fails the connect. */
async function connectUnpooled(
  builder: PgConnectionStringBuilder,
  signal: AbortSignal,
  secrets: readonly string[],
): Promise<PgClient> {
  // Core enforces Connect Timeout through `signal`; pg's own timer is not needed.
  const client = createPgClient({ ...toClientConfig(builder), connectionTimeoutMillis: 0 });
  // Kept for the client's whole life: an error after close must never become an uncaught 'error' event.
  client.on('error', () => {});
  if (signal.aborted) throw new Error('The open was aborted.');
  const onAbort = (): void => client.connection.stream.destroy();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    await client.connect();
    return client;
  } catch (error) {
    throw toDbError(error, secrets);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/**
 * What core reports about the session: version, database, server address, backend pid. For a multi-host data source
 * the data source is the host actually used, `host:port`.
 */
function describeSession(client: PgClient, builder: PgConnectionStringBuilder, endpoint?: HostEndpoint): SessionInfo {
  const version = client.serverParameters.get('server_version') ?? '';
  const host = builder.host ?? client.host;
  return {
    // ADO.NET's ServerVersion is the bare number ("15.4"), without the distribution's suffix.
    serverVersion: /^\d+(?:\.\d+)*/.exec(version)?.[0] ?? version,
    database: client.database ?? builder.database ?? builder.username ?? '',
    dataSource: endpoint ? formatEndpoint(endpoint) : builder.containsKey('Port') ? `${host}:${builder.port}` : host,
    serverAddress: endpoint?.host ?? host,
    serverPort: endpoint?.port ?? builder.port,
    ...(client.processID === null ? {} : { sessionId: client.processID }),
  };
}
