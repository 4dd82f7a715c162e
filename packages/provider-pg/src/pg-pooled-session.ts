import {
  formatEndpoint,
  type CreateSessionContext,
  type HostEndpoint,
  type PooledSession,
  type SessionInfo,
} from '@asyncdb/core';
import type { PgClient } from './pg-client.js';
import { toClientConfig } from './pg-client-config.js';
import { connectPgClient } from './pg-connect-client.js';
import type { PgConnectionStringBuilder } from './pg-connection-string-builder.js';
import { queryOnSideClient } from './pg-driver.js';
import type { PgSideQuery } from './pg-result-cursor.js';
import { pgSecrets } from './pg-secrets.js';
import { PgSession, type PgSessionEvents } from './pg-session.js';
import { owePgReset, resetPgSession } from './pg-session-reset.js';

/** What every session of one pool shares (computed once per pool, not per open). */
export interface PgSessionPlan {
  /** The password, to be scrubbed from error messages. */
  readonly secrets: readonly string[];
  /** Catalog lookups on a connection of their own (see `PgResultCursor`). */
  readonly sideQuery: PgSideQuery;
  /** False with `No Reset On Close=true`. */
  readonly discardOnClose: boolean;
}

/** The plan of a connection string's sessions. */
export function pgSessionPlan(builder: PgConnectionStringBuilder): PgSessionPlan {
  return { secrets: pgSecrets(builder), sideQuery: pgSideQuery(builder), discardOnClose: !builder.noResetOnClose };
}

/** Catalog lookups for a connection string's sessions, each on a client of its own (see `PgResultCursor`). */
export function pgSideQuery(builder: PgConnectionStringBuilder): PgSideQuery {
  const config = toClientConfig(builder);
  return (sql, values, cancellation) => queryOnSideClient(config, sql, values, cancellation);
}

/**
 * A PostgreSQL session in core's pool: a {@link PgSession} that lives as long as its `pg` client, with its listeners
 * for the client's whole life. While idle, a socket error or end evicts it from the pool at once (through
 * `context.lost`); while held, it also marks the holder's connection Broken. Its socket is unref'd while idle (an
 * idle pool never keeps the process alive) and ref'd while held or while an asynchronous reset runs.
 * @internal
 */
export class PgPooledSession extends PgSession implements PooledSession {
  /** Updated in place when a replay moves the session onto a new connection (core keeps this object). */
  readonly info: { -readonly [K in keyof SessionInfo]: SessionInfo[K] };
  readonly plan: PgSessionPlan;
  /** The connection string of the session's pool (its host's, for a host list): a replay connects with it. */
  readonly #builder: PgConnectionStringBuilder;
  readonly #lost: (session: PgPooledSession) => void;
  #held = false;

  constructor(
    client: PgClient,
    builder: PgConnectionStringBuilder,
    plan: PgSessionPlan,
    lost: (session: PgPooledSession) => void,
  ) {
    super(client, undefined, (destroy) => endPooledClient(this.client, destroy && this.unusable));
    this.info = { ...describePgSession(client, builder) };
    this.#builder = builder;
    this.plan = plan;
    this.#lost = lost;
    client.connection.stream.unref?.();
  }

  /**
   * Moves the session onto a new connection to the same server, for the replay of a checkout's first command that
   * the old backend never answered (it had ended while the session sat idle). `Connect Timeout` bounds the connect.
   * @throws the connect's failure (the caller then reports the original loss).
   */
  override async reconnect(): Promise<void> {
    const timeoutMs = (this.#builder.getInteger('Connect Timeout') ?? 15) * 1000;
    const signal = timeoutMs > 0 ? AbortSignal.timeout(timeoutMs) : new AbortController().signal;
    const client = await connectPgClient(this.#builder, this.plan.secrets, signal);
    client.handovers = this.client.handovers;
    this.replaceClient(client);
    if (!this.#held) client.connection.stream.unref?.();
    if (client.processID === null) delete this.info.sessionId;
    else this.info.sessionId = client.processID;
  }

  /** Routes loss and notices to a holder (socket ref'd while held) or to nobody (idle: unref'd). */
  override attach(events: PgSessionEvents | undefined): void {
    super.attach(events);
    this.#held = events !== undefined;
    if (this.#held) {
      this.client.connection.stream.ref?.();
      this.markHandedOut();
    } else this.client.connection.stream.unref?.();
  }

  /** Alive: not lost, not marked unusable (protocol confusion), not destroyed, and its socket still writable. */
  isAlive(): boolean {
    return !this.unusable && !this.disposed && this.client.connection.stream.writable;
  }

  /**
   * Synchronous for a session idle outside a transaction: a `DISCARD ALL` is owed only when the checkout may have
   * changed the session (see `pg-session-dirt.ts`), and then travels ahead of its next command. A transaction left
   * open is rolled back (and an unacknowledged cancel waited for) before the session is idle again, so that nothing
   * it locked outlives `close()`.
   */
  reset(): void | Promise<void> {
    if (this.cancelling || this.client.getTransactionStatus() !== 'I') {
      const stream = this.client.connection.stream;
      stream.ref?.();
      return this.settleCancels()
        .then(() => resetPgSession(this, this.plan.discardOnClose))
        .finally(() => {
          if (!this.#held) stream.unref?.();
        });
    }
    owePgReset(this, this.plan.discardOnClose);
    return undefined;
  }

  /** Closes the client: Terminate when the socket is healthy, the socket destroyed at once when it is not. */
  destroy(): void {
    void this.dispose(true);
  }

  protected override onLost(): void {
    this.#lost(this);
  }
}

/** The Terminate message ('X', length 4). */
const TERMINATE = Buffer.from([0x58, 0, 0, 0, 4]);

/**
 * Ends a pooled client without ever waiting on the network: a healthy socket gets Terminate and is destroyed once
 * the message is handed to the kernel (a silent network must not keep it open waiting for the server's FIN, issue 13
 * item 8); an unusable one is destroyed at once.
 */
function endPooledClient(client: PgClient, unusable: boolean): Promise<void> {
  const stream = client.connection.stream;
  if (unusable || !stream.writable || stream.end === undefined) stream.destroy();
  else stream.end(TERMINATE, () => stream.destroy());
  return Promise.resolve();
}

/**
 * Core's pool's session factory for pg: connects a client (aborting `context.signal` destroys its socket, which fails
 * the connect), keeps an 'error' listener on it for life, and describes the session once.
 */
export async function createPgPooledSession(
  context: CreateSessionContext<PgPooledSession>,
  plan: PgSessionPlan,
): Promise<PgPooledSession> {
  const builder = context.builder as PgConnectionStringBuilder;
  const client = await connectPgClient(builder, plan.secrets, context.signal);
  return new PgPooledSession(client, builder, plan, context.lost);
}

/**
 * What core reports about the session: version, database, server address, backend pid. For a multi-host data source
 * the data source is the host actually used, `host:port`.
 */
export function describePgSession(
  client: PgClient,
  builder: PgConnectionStringBuilder,
  endpoint?: HostEndpoint,
): SessionInfo {
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
