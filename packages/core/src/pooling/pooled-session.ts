import type { DbConnectionStringBuilder } from '../connection-string/connection-string-builder.js';
import type { SessionInfo } from '../providers/provider-spi.js';

/**
 * One physical session as core's pool holds it: the provider's object around a driver connection. It lives as long
 * as the physical connection does (many `DbConnection` opens in turn), so it keeps its driver listeners for its whole
 * life; the pool only asks it the four things below.
 */
export interface PooledSession {
  /** What `DbConnection` reports while this session is its own (version, database, data source, session id). */
  readonly info: SessionInfo;
  /**
   * Synchronous liveness check, made every time the pool hands the session out: false once the socket has ended or
   * errored (or the provider otherwise knows the session cannot run a command). Must not talk to the server.
   */
  isAlive(): boolean;
  /**
   * Makes a returned session fit for the next user. Synchronous when it can be (nothing to do, or a reset the
   * provider sends ahead of the next command, as pg's deferred `DISCARD ALL`); a promise when it must talk to the
   * server first (rolling back a transaction left open): the session is idle again only once it resolves, and
   * `close()` waits for it. A rejection destroys the session.
   */
  reset(): void | Promise<void>;
  /**
   * Optional, asked just before {@link PooledSession.reset}: whether `close()` must wait for an asynchronous reset
   * (default true). A provider whose reset is only hygiene (mysql's COM_RESET_CONNECTION of a session outside a
   * transaction) answers false: `close()` returns at once and the session rejoins the pool when the reset is done.
   */
  closeWaitsForReset?(): boolean;
  /**
   * Optional: the session went onto the pool's idle stack (it was not granted straight to a waiting open). The place
   * for what only an idle session needs — unref'ing its socket, say — rather than on every return: under load most
   * returned sessions go straight to the next open.
   */
  idled?(): void;
  /** Closes the physical connection (never throws; idempotent). */
  destroy(): void;
}

/** What a provider's {@link SessionFactory} receives to create a session. */
export interface CreateSessionContext<S extends PooledSession = PooledSession> {
  /** The connection string of the pool (its provider's keyword table). */
  readonly builder: DbConnectionStringBuilder;
  /** The host this pool serves, when the data source names several (else undefined: the connection string's). */
  readonly host: string | undefined;
  /**
   * Aborted when `Connect Timeout` elapses or the pool is cleared: the provider must then give up connecting (and
   * reject). The caller that triggered the creation is not watched here: a session nobody waits for any more goes
   * idle for the next open.
   */
  readonly signal: AbortSignal;
  /** `Connect Timeout` in milliseconds (0 = none). */
  readonly connectTimeoutMs: number;
  /**
   * The provider calls this when the session's connection dies (socket 'end'/'close'/'error'), from the listeners it
   * keeps for the session's life: an idle session is evicted at once; one in use is destroyed when it comes back.
   */
  readonly lost: (session: S) => void;
}

/** How a provider creates its sessions: connect, log in, describe. Rejects with a typed error on failure. */
export type SessionFactory<S extends PooledSession = PooledSession> = (context: CreateSessionContext<S>) => Promise<S>;
