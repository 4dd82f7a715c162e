import {
  DbConnection,
  DbError,
  openOnHosts,
  takePooledSession,
  type HostEndpoint,
  type HostRole,
  type HostSet,
  DbErrorCategory,
  InvalidOperationError,
  NotSupportedError,
  cancellationOf,
  deliverOnce,
  type CloseContext,
  type CommandRequest,
  type DbConnectionStringBuilder,
  type PooledSession,
  type SessionPool,
  type IsolationLevel,
  type OneShotKind,
  type OneShotSink,
  type OpenContext,
  type ResultCursor,
  type SessionInfo,
  type TransactionRequest,
} from '@asyncdb/core';
import type { PgClient } from './pg-client.js';
import type { PgConnectionStringBuilder } from './pg-connection-string-builder.js';
import { connectPgClient } from './pg-connect-client.js';
import { pgBuilderForHost, usesHostList } from './pg-host-builder.js';
import { pgRoleOf } from './pg-host-role.js';
import { isServerGoodbye } from './pg-server-goodbye.js';
import { toDbError } from './pg-error-converter.js';
import { toInfoMessage } from './pg-notice.js';
import { PgOneShot, PgOneShotRequestRecord } from './pg-one-shot.js';
import { PgProviderFactory } from './pg-provider-factory.js';
import { PgOutputValuesCursor } from './pg-output-values.js';
import { PgResultCursor, type PgSideQuery } from './pg-result-cursor.js';
import { pgRoutineKind, pgRoutineStatement } from './pg-routine-call.js';
import { runPgStatement } from './pg-run-statement.js';

import { describePgSession, pgSideQuery, type PgPooledSession } from './pg-pooled-session.js';
import { pgSecrets } from './pg-secrets.js';
import { PgSession, type PgSessionEvents } from './pg-session.js';
import { PgTransaction } from './pg-transaction.js';
import { transactionSql } from './pg-transaction-sql.js';
import { PgMultiplexedLink } from './multiplexing/pg-multiplexed-link.js';
import type { PgMultiplexer } from './multiplexing/pg-multiplexer.js';

/** What the connection keeps while open. */
interface OpenState {
  readonly session: PgSession;
  /**
   * The host pool a multi-host open took the session from (given back by `closeCore`); undefined for a session of
   * its own (`Pooling=false`, ended on close) and for one core's pool handed out directly (core gives it back).
   */
  readonly pool: SessionPool<PgPooledSession> | undefined;
  readonly secrets: readonly string[];
  /** Catalog lookups on a connection of their own (see `PgResultCursor`). */
  readonly sideQuery: PgSideQuery;
  /** The host list and the host used, for a multi-host data source (counts its open connections). */
  readonly host: { readonly hosts: HostSet; readonly endpoint: HostEndpoint } | undefined;
}

/** A session a multi-host open obtained: pooled (from its host's pool) or a client of its own. */
type Candidate =
  | { readonly pooled: PgPooledSession; readonly pool: SessionPool<PgPooledSession>; readonly client: PgClient }
  | { readonly pooled: undefined; readonly pool: undefined; readonly client: PgClient };

/**
 * A connection to PostgreSQL through `pg`. Mirrors `NpgsqlConnection`: pooled by default in core's pool (one per
 * connection string, one per host of a host list; `pg.Client`s, not `pg.Pool`), reset with `DISCARD ALL` before reuse
 * when the session is dirty, NOTICE messages raised as `infoMessage`.
 *
 * ```ts
 * await using connection = new PgConnection('Host=localhost;Database=shop;Username=app;Password=…');
 * await connection.open();
 * ```
 */
export class PgConnection extends DbConnection {
  readonly #factory: PgProviderFactory;
  #open: OpenState | undefined;
  /** What a held session reports to this connection (one object per connection and secrets, not per open). */
  #events: PgSessionEvents | undefined;
  #eventSecrets: readonly string[] | undefined;
  /** `Multiplexing=true`: the open connection holds no session, only its link to the multiplexer. */
  #multiplexed: PgMultiplexedLink | undefined;
  /** The last link made (unbound between opens): a re-open on the same multiplexer reuses it. */
  #keptLink: PgMultiplexedLink | undefined;

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

  /**
   * Core's pool of this connection string — its session is then taken (and given back) synchronously by core —
   * unless `Pooling=false` or the open goes through the host list (a host list, a host with its own port, a target
   * role): {@link PgConnection.openCore} then picks a host and takes from that host's pool.
   */
  protected override sessionPool(builder: DbConnectionStringBuilder): SessionPool | undefined {
    const target = this.targetSessionAttributes;
    if (target !== undefined && target !== 'any') return undefined;
    // Memoized per builder, Multiplexing included (a multiplexed open takes no session: openCore links it to the
    // multiplexer): an open reads nothing from the builder — a typed read there was a per-cycle cost in the profile.
    return this.#factory.pools.directPoolOf(builder as PgConnectionStringBuilder);
  }

  protected override attachSession(pooled: PooledSession): void {
    const session = pooled as PgPooledSession;
    const { plan } = session;
    session.attach(this.#sessionEvents(plan.secrets));
    this.#open = { session, pool: undefined, secrets: plan.secrets, sideQuery: plan.sideQuery, host: undefined };
  }

  protected override detachSession(pooled: PooledSession): void {
    (pooled as PgPooledSession).attach(undefined);
    this.#open = undefined;
  }

  /**
   * A multiplexed open once its multiplexer has connected: it takes no session and waits for nothing, so core opens it
   * synchronously (no signal, deadline or promise). The first open of a connection string goes through `openCore`.
   */
  protected override openAtOnce(builder: DbConnectionStringBuilder): SessionInfo | undefined {
    const multiplexer = this.#factory.multiplexers.existing(builder as PgConnectionStringBuilder);
    const info = multiplexer?.info;
    if (info === undefined) return undefined;
    this.#multiplexed = this.#linkTo(multiplexer!);
    return info;
  }

  /** Closes a multiplexed connection without a transaction at once: it holds no session, nothing to tell the server. */
  protected override closeAtOnce(): boolean {
    const link = this.#multiplexed;
    if (link === undefined || link.bound) return false;
    this.#multiplexed = undefined;
    return true;
  }

  /**
   * Opens a session of its own (`Pooling=false`), or — for a host list or a target role — takes one from the pool of
   * the first host that answers with the right role. Direct pooled opens go through core's pool instead.
   */
  protected override async openCore(context: OpenContext): Promise<SessionInfo> {
    const builder = context.builder as PgConnectionStringBuilder;
    if (builder.getBoolean('Multiplexing') === true) return this.#openMultiplexed(builder, context);
    const pooled = builder.getBoolean('Pooling') ?? true;
    const target = context.targetSessionAttributes ?? builder.targetSessionAttributes;
    const endpoints = builder.hostEndpoints;
    if (!usesHostList(builder, endpoints, target)) {
      // Only Pooling=false comes here (a direct pool is core's): a session of its own on the one host.
      const secrets = pgSecrets(builder);
      const client = await connectPgClient(builder, secrets, context.signal);
      client.handovers += 1;
      this.#openOwn(client, secrets, pgSideQuery(builder), undefined);
      return describePgSession(client, builder);
    }
    const hosts = this.#factory.hostSets.get(endpoints, builder.hostRecheckSeconds * 1000);
    // For the sessions of its own (Pooling=false); a pooled session's plan has them.
    const secrets = pgSecrets(builder);
    const found = await openOnHosts<HostEndpoint, Candidate>({
      hosts,
      target,
      order: builder.loadBalanceHosts ? 'round-robin' : 'in-order',
      providerName: 'pg',
      signal: context.signal,
      connect: async (endpoint) => {
        const hostBuilder = pgBuilderForHost(builder, endpoint);
        if (pooled) {
          const pool = this.#factory.pools.poolOf(hostBuilder);
          const session = await takePooledSession(pool, context.signal, 'pg');
          // Counted per hand-out: the role check trusts the startup ParameterStatus values only on the first one.
          session.client.handovers += 1;
          return { pooled: session, pool, client: session.client };
        }
        const client = await connectPgClient(hostBuilder, secrets, context.signal);
        client.handovers += 1;
        return { pooled: undefined, pool: undefined, client };
      },
      // A pooled session is taken with the role check outside any holder: its handovers count it (see pgRoleOf).
      roleOf: (candidate) => roleOfCandidate(candidate),
      release: async (candidate, broken) => {
        // A session of the wrong role is fine for another data source: it goes back to its host's pool.
        if (candidate.pool !== undefined) await candidate.pool.release(candidate.pooled, broken);
        else await candidate.client.end().catch(() => {});
      },
    });
    const hostBuilder = pgBuilderForHost(builder, found.endpoint);
    const host = { hosts, endpoint: found.endpoint };
    const { session: candidate } = found;
    hosts.opened(found.endpoint);
    if (candidate.pool !== undefined) {
      const session = candidate.pooled;
      const { plan } = session;
      session.attach(this.#sessionEvents(plan.secrets));
      this.#open = { session, pool: candidate.pool, secrets: plan.secrets, sideQuery: plan.sideQuery, host };
      // The session's own info object, so that a replay on a new connection (which updates it in place) shows in
      // `sessionId`; described with the endpoint actually used (a reconnected session has a new client).
      return Object.assign(session.info, describePgSession(session.client, hostBuilder, found.endpoint));
    }
    this.#openOwn(candidate.client, secrets, pgSideQuery(hostBuilder), host);
    return describePgSession(candidate.client, hostBuilder, found.endpoint);
  }

  /** A session of its own (`Pooling=false`): destroyed or ended on close, never pooled. */
  #openOwn(client: PgClient, secrets: readonly string[], sideQuery: PgSideQuery, host: OpenState['host']): void {
    const session = new PgSession(client, this.#sessionEvents(secrets), async (destroy) =>
      // A destroyed session may sit on a network that went silent: a Terminate would wait for an answer forever.
      destroy ? client.connection.stream.destroy() : client.end().catch(() => {}),
    );
    this.#open = { session, pool: undefined, secrets, sideQuery, host };
  }

  /** Closes what `openCore` opened: a session of its own is ended, one of a host pool goes back to that pool. */
  protected override async closeCore(context: CloseContext): Promise<void> {
    const link = this.#multiplexed;
    this.#multiplexed = undefined;
    if (link) return link.close(context.broken);
    const state = this.#open;
    this.#open = undefined;
    if (!state) return;
    state.host?.hosts.closed(state.host.endpoint);
    if (state.pool !== undefined) {
      const session = state.session as PgPooledSession;
      session.attach(undefined);
      await state.pool.release(session, context.broken || session.unusable);
      return;
    }
    await state.session.dispose(context.broken || state.session.unusable);
  }

  #sessionEvents(secrets: readonly string[]): PgSessionEvents {
    if (this.#events === undefined || this.#eventSecrets !== secrets) {
      this.#eventSecrets = secrets;
      this.#events = {
        onLost: (error) => this.onSessionLost(toDbError(error, secrets)),
        onNotice: (notice) => this.onInfoMessage(toInfoMessage(notice)),
      };
    }
    return this.#events;
  }

  protected override async executeCore(request: CommandRequest): Promise<ResultCursor> {
    if (this.#multiplexed) return this.#multiplexed.execute(request);
    const state = this.#requireOpen();
    // A checkout's first command may be replayed (see PgSession.takeFirstCommand) — not a routine call, whose lookup
    // of the routine's kind is sent first.
    const first = state.session.takeFirstCommand();
    const cursorRequest = {
      replayable: first && request.commandType !== 'StoredProcedure',
      statements: request.statements,
      behavior: request.behavior,
      cancellation: request.cancellation,
      secrets: state.secrets,
      sideQuery: state.sideQuery,
    };
    if (request.batch !== undefined) {
      const byName = request.batch.commands.some((command) => command.commandType === 'StoredProcedure');
      if (byName || PgOutputValuesCursor.needed(request.parameters)) {
        throw new NotSupportedError(
          'A DbBatch on pg runs its commands in one round trip and neither calls stored procedures by name nor fills ' +
            'output parameters: run such a command on its own (DbCommand), or write the call in SQL ' +
            '("CALL name(@a)", "SELECT * FROM name(@a)").',
        );
      }
    }
    if (request.batch !== undefined) return PgResultCursor.start(state.session, cursorRequest);
    if (request.commandType === 'StoredProcedure') {
      const name = request.commandText.trim();
      const kind = await pgRoutineKind(state.session, name, request.cancellation, state.secrets);
      cursorRequest.statements = [pgRoutineStatement(name, kind, request.parameters)];
    }
    const cursor = await PgResultCursor.start(state.session, cursorRequest);
    return PgOutputValuesCursor.needed(request.parameters)
      ? new PgOutputValuesCursor(cursor, request.parameters)
      : cursor;
  }

  /**
   * `executeScalar` / `executeNonQuery` as one submittable (see `PgOneShot`). Declined — core then reads a cursor —
   * for stored procedures, output parameters, behaviours other than Default and text with no statement.
   */
  protected override startOnceCore(request: CommandRequest, kind: OneShotKind, sink: OneShotSink): boolean {
    if (this.#multiplexed) {
      const once = this.#multiplexed.executeOnce(request, kind);
      if (once === undefined) return false;
      deliverOnce(once, sink);
      return true;
    }
    const state = this.#open;
    if (!state || request.commandType !== 'Text' || request.behavior !== 0 || request.statements.length === 0) {
      return false;
    }
    for (const parameter of request.parameters) if (parameter.direction !== 'Input') return false;
    const oneShot = new PgOneShotRequestRecord(
      request.statements,
      kind,
      request.cancellation,
      state.secrets,
      state.session.takeFirstCommand(),
    );
    PgOneShot.start(state.session, oneShot, sink);
    return true;
  }

  protected override async transactionCore(request: TransactionRequest, signal: AbortSignal): Promise<void> {
    if (this.#multiplexed) return this.#multiplexed.transaction(request, signal);
    const state = this.#requireOpen();
    if (request.kind === 'commit' && state.session.client.getTransactionStatus() === 'E') {
      // PostgreSQL answers COMMIT of a failed transaction with a silent ROLLBACK; say so instead of pretending.
      await runPgStatement(state.session, 'ROLLBACK', signal, state.secrets);
      throw new DbError(
        '25P02: The transaction could not be committed because a command in it failed; it was rolled back.',
        { sqlState: '25P02', providerCode: '25P02', category: DbErrorCategory.Other, providerName: 'pg' },
      );
    }
    if (request.kind !== 'begin') {
      await runPgStatement(state.session, transactionSql(request), signal, state.secrets);
      return;
    }
    // BEGIN is often a checkout's first command: as one submittable it is replayed like executeNonQuery.
    await PgOneShot.run(
      state.session,
      new PgOneShotRequestRecord(
        [{ text: transactionSql(request), parameters: [] }],
        'nonQuery',
        cancellationOf(signal),
        state.secrets,
        state.session.takeFirstCommand(),
      ),
    );
  }

  protected override createDbTransaction(isolationLevel: IsolationLevel): PgTransaction {
    return new PgTransaction(this, isolationLevel);
  }

  /** Opens without taking a session: commands go to the connection string's multiplexer (see docs/multiplexing.md). */
  async #openMultiplexed(builder: PgConnectionStringBuilder, context: OpenContext): Promise<SessionInfo> {
    const multiplexer = this.#factory.multiplexers.get(builder);
    const info = await multiplexer.open(context.signal, (client) => describePgSession(client, builder));
    this.#multiplexed = this.#linkTo(multiplexer);
    return info;
  }

  /** This connection's link to `multiplexer`: kept for the next open of the same connection on the same multiplexer. */
  #linkTo(multiplexer: PgMultiplexer): PgMultiplexedLink {
    const kept = this.#keptLink;
    if (kept !== undefined && kept.multiplexer === multiplexer) return kept;
    const link = new PgMultiplexedLink(
      multiplexer,
      (notice) => this.onInfoMessage(toInfoMessage(notice)),
      (error) => this.onSessionLost(error),
    );
    this.#keptLink = link;
    return link;
  }

  #requireOpen(): OpenState {
    // Core only calls the hooks on an open connection; this guards the provider's own invariant.
    if (!this.#open) throw new InvalidOperationError('The connection is not open.');
    return this.#open;
  }
}

/**
 * The role of a candidate's server. A reused pooled session may have been ended while idle, its goodbye still in flight:
 * its role query is then answered by that goodbye (nothing ran), which says nothing about the host — the session moves
 * onto a new connection and is asked again, instead of the host being marked down for `Host Recheck Seconds`.
 */
async function roleOfCandidate(candidate: Candidate): Promise<HostRole> {
  try {
    return await pgRoleOf(candidate.client);
  } catch (error) {
    const pooled = candidate.pooled;
    if (pooled === undefined || !isServerGoodbye(error)) throw error;
    await pooled.reconnect();
    return pgRoleOf(pooled.client);
  }
}
