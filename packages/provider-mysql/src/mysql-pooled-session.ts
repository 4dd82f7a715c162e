import type { CreateSessionContext, PooledSession, SessionInfo } from '@asyncdb/core';
import type { MysqlSettings } from './mysql-driver-options.js';
import type { MysqlDriver, MysqlDriverConnection } from './mysql-driver.js';
import { toDbError } from './mysql-error-converter.js';
import type { MysqlKillSwitch } from './mysql-kill-switch.js';
import type { MysqlLease } from './mysql-pool-registry.js';
import { MysqlSession, watchConnection } from './mysql-session.js';

const RELEASED_BY_CORE = (): Promise<void> => Promise.resolve();

/**
 * A MySQL session in core's pool: one {@link MysqlSession} for the physical connection's whole life, with its
 * permanent listeners. A connection that dies while idle is evicted from the pool at once; while held, its holder
 * (the `MysqlConnection`) is told as well. The socket is unref'd while idle, so an idle pool never keeps the process
 * alive.
 * @internal
 */
export class MysqlPooledSession implements PooledSession {
  readonly session: MysqlSession;
  readonly info: SessionInfo;
  /**
   * What a connection holding this session keeps: one object for the session's whole life rather than one per
   * checkout. Its `release` is never the way back (core's pool takes the session back itself).
   */
  readonly lease: MysqlLease;
  #holderLost: ((error: Error) => void) | undefined;
  /**
   * Whether the socket is ref'd (a new socket is), kept in step here: ref/unref are native calls, made only when this
   * changes.
   */
  #refd = true;

  constructor(session: MysqlSession, lost: (pooled: MysqlPooledSession) => void) {
    this.session = session;
    this.info = {
      serverVersion: session.serverVersion,
      database: session.settings.database,
      dataSource: session.settings.dataSource,
      sessionId: session.threadId,
    };
    this.lease = { session, release: RELEASED_BY_CORE };
    session.onLost((error) => {
      this.#holderLost?.(error);
      lost(this);
    });
    this.#ref(false);
  }

  /**
   * Routes the connection's loss to a holder (or to nobody while idle); refs the socket while held. The socket is
   * unref'd once the session is idle ({@link idled}), not when it leaves its holder: a session given back under load
   * goes straight to the next open, and stays ref'd.
   */
  attach(holderLost: ((error: Error) => void) | undefined): void {
    this.#holderLost = holderLost;
    if (holderLost) this.#ref(true);
  }

  /** Core's pool put the session on its idle stack: an idle pool never keeps the process alive. */
  idled(): void {
    this.#ref(false);
  }

  #ref(refd: boolean): void {
    if (this.#refd === refd) return;
    this.#refd = refd;
    if (refd) this.session.driver.stream.ref();
    else this.session.driver.stream.unref();
  }

  /** mysql2 still considers the connection usable, and no cancel left it unconfirmed. */
  isAlive(): boolean {
    return this.session.usable;
  }

  /**
   * A session that may hold a transaction is reset before `close()` returns: closing rolls back, as ADO.NET's Close
   * does, and nothing the transaction locked stays locked after it. Otherwise the reset runs in the background.
   */
  closeWaitsForReset(): boolean {
    return this.session.mayHoldTransaction;
  }

  /**
   * Nothing, synchronously, for a session that needs no round trip (provably clean, see `mysql-session-dirt.ts`, or
   * `Connection Reset=false` with the database unchanged): the pool takes it back before `close()` returns.
   * Otherwise COM_RESET_CONNECTION and the provider's settings in one round trip (`Connection Reset=true`, the
   * default), or only the database restored (`Connection Reset=false`); after any cancel still in progress.
   */
  reset(): void | Promise<void> {
    const session = this.session;
    if (session.skipsReset()) return;
    const run = (): Promise<void> => (session.settings.connectionReset ? session.reset() : session.restoreDatabase());
    // The socket stays ref'd while the background reset runs: an open waiting for this session must keep the
    // process alive. The pool's idled() unrefs it once it is idle (a session granted straight to an open stays ref'd).
    this.#ref(true);
    return session.cancelling ? session.whenIdle().then(run) : run();
  }

  destroy(): void {
    this.session.destroy();
  }
}

/**
 * Core's pool's session factory for mysql: connects (aborting `context.signal` destroys the socket), gives the
 * connection its permanent listeners, and initializes the session (UTC time zone, server version).
 */
export async function createMysqlPooledSession(
  context: CreateSessionContext<MysqlPooledSession>,
  settings: MysqlSettings,
  driver: MysqlDriver,
  killSwitch: MysqlKillSwitch,
): Promise<MysqlPooledSession> {
  let session: MysqlSession;
  try {
    session = await connectMysqlSession(settings, driver, killSwitch, context.signal);
  } catch (error) {
    throw toDbError(error, settings.secrets);
  }
  return new MysqlPooledSession(session, context.lost);
}

/** Connects and initializes a session; rejects (and destroys the socket) when `signal` aborts first. */
export async function connectMysqlSession(
  settings: MysqlSettings,
  driver: MysqlDriver,
  killSwitch: MysqlKillSwitch,
  signal: AbortSignal,
): Promise<MysqlSession> {
  const connection: MysqlDriverConnection = driver.createConnection(settings.driver);
  watchConnection(connection);
  const session = new MysqlSession(connection, settings, killSwitch);
  try {
    await untilAborted(
      new Promise<void>((resolve, reject) => {
        connection.once('connect', () => resolve());
        connection.once('error', reject);
      }),
      signal,
    );
    await untilAborted(session.initialize(), signal);
  } catch (error) {
    session.destroy();
    throw error;
  }
  return session;
}

/** Rejects as soon as `signal` aborts (core then reports the timeout, cancel or close). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new Error('Opening the connection was aborted.'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new Error('Opening the connection was aborted.'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
