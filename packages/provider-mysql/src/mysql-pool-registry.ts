import { DbTimeoutError } from '@asyncdb/core';
import { mysqlPoolOptions, type MysqlSettings } from './mysql-driver-options.js';
import type { MysqlDriver, MysqlDriverConnection, MysqlDriverPool } from './mysql-driver.js';
import type { MysqlKillSwitch } from './mysql-kill-switch.js';
import { isConnectionUsable, MysqlSession, watchConnection } from './mysql-session.js';

/** A session taken for one open connection, and how to give it back. */
export interface MysqlLease {
  readonly session: MysqlSession;
  /** Resets and pools the session, or destroys it when `broken` (or when it cannot be reset). */
  release(broken: boolean): Promise<void>;
}

interface PoolEntry {
  readonly pool: MysqlDriverPool;
  readonly settings: MysqlSettings;
  /** Connections we handed back and nobody took since: closed at once by clearPool. */
  readonly idle: Set<MysqlDriverConnection>;
  /** Connections checked out by open DbConnections, or being reset before they go back to the pool. */
  readonly inUse: Set<MysqlDriverConnection>;
  retired: boolean;
  /** Set by the pool's 'acquire' event, which mysql2 emits inside getConnection when it hands out a free connection. */
  handedOut: boolean;
  /** Set by the pool's 'enqueue' event, emitted inside getConnection when the request has to wait. */
  enqueued: boolean;
}

const RESOLVED: Promise<void> = Promise.resolve();

/** ADO.NET's message, so the error reads the same on every provider. */
const POOL_TIMEOUT_MESSAGE =
  'Timeout expired. The timeout period elapsed prior to obtaining a connection from the pool. ' +
  'This may have occurred because all pooled connections were in use and max pool size was reached.';

/**
 * One mysql2 pool per connection string, plus what mysql2's pool lacks: an acquire deadline (the open's
 * `Connect Timeout`, as core's signal carries it — mysql2 would queue forever), a session reset before reuse,
 * `Min Pool Size` warm-up, `clearPool` that closes idle connections at once and in-use ones when they come back,
 * and sockets unref'd while idle so a pool never keeps the process alive.
 */
export class MysqlPoolRegistry {
  readonly #driver: MysqlDriver;
  readonly #killSwitch: MysqlKillSwitch;
  readonly #pools = new Map<string, PoolEntry>();

  constructor(driver: MysqlDriver, killSwitch: MysqlKillSwitch) {
    this.#driver = driver;
    this.#killSwitch = killSwitch;
  }

  /**
   * Takes a session from the pool of `key` (or opens a fresh connection when `Pooling=false`). `signal` aborts at
   * the connect deadline: while still queued for a pooled connection that is a `DbTimeoutError` of kind 'pool'.
   */
  async acquire(key: string, settings: MysqlSettings, signal: AbortSignal): Promise<MysqlLease> {
    if (!settings.pooling) return this.#openUnpooled(settings, signal);
    const entry = this.#entry(key, settings);
    for (;;) {
      const connection = await this.#take(entry, signal);
      if (!isConnectionUsable(connection)) {
        // Died while idle (killed, server restarted): mysql2 may not have evicted it yet.
        entry.inUse.delete(connection);
        connection.destroy();
        continue;
      }
      const session = new MysqlSession(connection, settings, this.#killSwitch);
      // A pooled connection was initialized when it was made and again by its reset: usually nothing to wait for.
      if (!session.initialized) {
        try {
          await untilAborted(session.initialize(), signal);
        } catch (error) {
          session.destroy();
          entry.inUse.delete(connection);
          throw error;
        }
      }
      return { session, release: (broken) => this.#release(entry, session, broken) };
    }
  }

  /** Closes the idle connections of `key`'s pool now and its in-use ones when they are returned. */
  async clear(key: string): Promise<void> {
    const entry = this.#pools.get(key);
    if (!entry) return;
    this.#pools.delete(key);
    entry.retired = true;
    for (const connection of entry.idle) connection.destroy();
    entry.idle.clear();
    if (entry.inUse.size === 0) await endPool(entry.pool);
  }

  /** Clears every pool, and closes the side connections used for KILL QUERY. */
  async clearAll(): Promise<void> {
    await Promise.all([...this.#pools.keys()].map((key) => this.clear(key)));
    await this.#killSwitch.closeAll();
  }

  #entry(key: string, settings: MysqlSettings): PoolEntry {
    let entry = this.#pools.get(key);
    if (!entry) {
      const pool = this.#driver.createPool(mysqlPoolOptions(settings));
      // Every connection the pool makes gets a permanent 'error' listener before anything can happen to it.
      pool.on('connection', watchConnection);
      const created: PoolEntry = {
        pool,
        settings,
        idle: new Set(),
        inUse: new Set(),
        retired: false,
        handedOut: false,
        enqueued: false,
      };
      // Permanent listeners (not one pair per open): #take reads the flags right after its getConnection call.
      pool.on('acquire', () => {
        created.handedOut = true;
      });
      pool.on('enqueue', () => {
        created.enqueued = true;
      });
      entry = created;
      this.#pools.set(key, entry);
      this.#warmUp(entry);
    }
    return entry;
  }

  /** Opens `Min Pool Size` connections in the background; failures are left for a real open to report. */
  #warmUp(entry: PoolEntry): void {
    const count = Math.min(entry.settings.minPoolSize, entry.settings.maxPoolSize);
    for (let i = 0; i < count; i++) {
      const never = new AbortController().signal;
      void this.#take(entry, never)
        .then(async (connection) => {
          const session = new MysqlSession(connection, entry.settings, this.#killSwitch);
          await session.initialize().catch(() => session.markBroken());
          await this.#recycle(entry, session, session.broken);
        })
        .catch(() => {});
    }
  }

  /**
   * One `pool.getConnection`, abandoned (its connection handed straight back) if `signal` aborts first. A free
   * connection comes back on the next tick, with nothing to give up on: only a wait in mysql2's queue or a new
   * connection being made listens to the open's deadline.
   */
  #take(entry: PoolEntry, signal: AbortSignal): Promise<MysqlDriverConnection> {
    if (signal.aborted) return Promise.reject(new Error('Opening the connection was aborted.'));
    return new Promise<MysqlDriverConnection>((resolve, reject) => {
      let settled = false;
      let queued = false;
      let listening = false;
      const onAbort = (): void => {
        if (settled) return;
        settled = true;
        const timedOut = (signal.reason as { kind?: string } | undefined)?.kind === 'timeout';
        reject(
          queued && timedOut
            ? new DbTimeoutError(POOL_TIMEOUT_MESSAGE, 'pool', { providerName: 'mysql' })
            : new Error('Opening the connection was aborted.'),
        );
      };
      entry.handedOut = false;
      entry.enqueued = false;
      entry.pool.getConnection((error, connection) => {
        if (listening) signal.removeEventListener('abort', onAbort);
        if (error) {
          if (!settled) reject(error);
          settled = true;
          return;
        }
        watchConnection(connection);
        connection.stream.ref();
        entry.idle.delete(connection);
        if (settled) {
          // The caller gave up waiting: the connection goes straight back for the next one in line.
          this.#giveBack(entry, connection);
          return;
        }
        settled = true;
        entry.inUse.add(connection);
        resolve(connection);
      });
      // Both events are emitted synchronously inside getConnection.
      if (entry.handedOut) return;
      queued = entry.enqueued;
      listening = true;
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /**
   * What `close()` waits for. The reset (COM_RESET_CONNECTION, then the provider's settings: two round trips) runs
   * in the background and the connection goes back to mysql2's pool only once it is done, so the next open never
   * sees a dirty session — it takes another free connection, or waits in the pool's queue as for any busy one. A
   * session that may hold a transaction is reset before `close()` returns: closing rolls back, as ADO.NET's Close
   * does, and nothing the transaction locked stays locked after `close()`.
   */
  #release(entry: PoolEntry, session: MysqlSession, broken: boolean): Promise<void> {
    const recycling = this.#recycle(entry, session, broken);
    if (session.mayHoldTransaction && !broken) return recycling;
    recycling.catch(() => {});
    return RESOLVED;
  }

  /** Resets and pools the session, or destroys it (broken, lost, pool cleared, or the reset failed). */
  async #recycle(entry: PoolEntry, session: MysqlSession, broken: boolean): Promise<void> {
    if (session.cancelling) await session.whenIdle();
    const connection = session.driver;
    let destroy = broken || session.broken || entry.retired;
    if (!destroy) {
      try {
        // Without Connection Reset the session keeps its state, but the next user still gets the configured database.
        if (entry.settings.connectionReset) await session.reset();
        else await session.restoreDatabase();
      } catch {
        destroy = true;
      }
    }
    // Still counted in use until here, so that clearPool ends the pool only after the reset is over.
    entry.inUse.delete(connection);
    if (destroy || entry.retired) session.destroy();
    else {
      session.release();
      entry.idle.add(connection);
    }
    if (entry.retired && entry.inUse.size === 0) await endPool(entry.pool);
  }

  #giveBack(entry: PoolEntry, connection: MysqlDriverConnection): void {
    if (entry.retired) {
      connection.destroy();
      return;
    }
    connection.stream.unref();
    entry.idle.add(connection);
    connection.release?.();
  }

  async #openUnpooled(settings: MysqlSettings, signal: AbortSignal): Promise<MysqlLease> {
    const connection = this.#driver.createConnection(settings.driver);
    watchConnection(connection);
    const session = new MysqlSession(connection, settings, this.#killSwitch);
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
    return {
      session,
      release: async (broken) => {
        await session.whenIdle();
        if (broken || session.broken) session.destroy();
        else await session.end();
      },
    };
  }
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

function endPool(pool: MysqlDriverPool): Promise<void> {
  return new Promise((resolve) => pool.end(() => resolve()));
}
