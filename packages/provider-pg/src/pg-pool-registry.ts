import { DbTimeoutError, poolKeyOf, type CoreAbortReason } from '@asyncdb/core';
import type { PgClient, PgPool } from './pg-client.js';
import { toPoolConfig } from './pg-client-config.js';
import type { PgConnectionStringBuilder } from './pg-connection-string-builder.js';
import { createPgPool } from './pg-driver.js';
import { toDbError } from './pg-error-converter.js';

/** ADO.NET's message for a pool that stayed full until `Connect Timeout`. */
export const POOL_TIMEOUT_MESSAGE =
  'Timeout expired. The timeout period elapsed prior to obtaining a connection from the pool. ' +
  'This may have occurred because all pooled connections were in use and max pool size was reached.';

/**
 * `pg`'s own acquire deadline runs this much after core's, so that core's timer decides which error the caller sees
 * and `pg` only cleans up its queue (or a connect attempt nobody waits for any more).
 */
const DRIVER_DEADLINE_GRACE_MS = 1_000;

interface PoolEntry {
  readonly pool: PgPool;
  readonly max: number;
  /** Idle clients that died and were evicted (an 'error' event handled instead of crashing the process). */
  evicted: number;
}

/**
 * The pool key of a connection string: core's canonical key (keywords in canonical spelling and order, without the
 * keywords that only shape the `DbConnection` object), memoized there, so pg's pools split exactly as core's do.
 */
export function poolKey(builder: PgConnectionStringBuilder): string {
  return poolKeyOf(builder);
}

/**
 * One `pg.Pool` per connection string (in its canonical form, so that keyword order and synonyms do not split
 * pools), as ADO.NET keys its pools. Idle clients that die are evicted by `pg.Pool`; the registry's 'error' listener
 * is what keeps that from being an uncaught 'error' event (brianc/node-postgres#2439).
 * @internal
 */
export class PgPoolRegistry {
  readonly #pools = new Map<string, PoolEntry>();

  /** Number of live pools. */
  get size(): number {
    return this.#pools.size;
  }

  /** The pool for a connection string, if one exists (for tests and diagnostics). */
  poolOf(builder: PgConnectionStringBuilder): { readonly pool: PgPool; readonly evicted: number } | undefined {
    return this.#pools.get(poolKey(builder));
  }

  /**
   * Takes a client from the pool of this connection string. When `signal` aborts first, the caller is released at
   * once and a client the pool hands over later goes straight back. A wait that began with every slot in use and
   * ends by the connect timeout is a pool timeout (`DbTimeoutError` of kind 'pool'); any other timeout is left to
   * core, which reports it as a connect timeout.
   */
  acquire(builder: PgConnectionStringBuilder, signal: AbortSignal): Promise<PgClient> {
    const entry = this.#entry(builder);
    const { pool } = entry;
    const waitsForSlot = pool.idleCount === 0 && pool.totalCount >= entry.max;
    const password = builder.getString('Password');
    const secrets = password === undefined ? [] : [password];
    // An idle client is handed over within a microtask: then no abort listener is needed to release the caller early,
    // only a look at the signal once the client has come, so that an aborted open never keeps it.
    const listen = pool.idleCount === 0;
    return new Promise<PgClient>((resolve, reject) => {
      let settled = false;
      const onAbort = (): void => {
        if (settled) return;
        settled = true;
        const reason = signal.reason as CoreAbortReason | undefined;
        if (reason?.kind === 'timeout' && waitsForSlot)
          reject(new DbTimeoutError(POOL_TIMEOUT_MESSAGE, 'pool', { providerName: 'pg' }));
        else reject(new Error('The open was aborted.'));
      };
      if (signal.aborted) onAbort();
      else if (listen) signal.addEventListener('abort', onAbort, { once: true });
      pool.connect().then(
        (client) => {
          if (listen) signal.removeEventListener('abort', onAbort);
          else if (signal.aborted) onAbort();
          if (settled) {
            client.release?.();
            return;
          }
          settled = true;
          resolve(client);
        },
        (error: unknown) => {
          if (listen) signal.removeEventListener('abort', onAbort);
          if (settled) return;
          settled = true;
          const timedOut = error instanceof Error && /timeout exceeded when trying to connect/.test(error.message);
          if (timedOut && waitsForSlot)
            reject(new DbTimeoutError(POOL_TIMEOUT_MESSAGE, 'pool', { cause: error, providerName: 'pg' }));
          else reject(toDbError(error, secrets));
        },
      );
    });
  }

  /**
   * Closes the idle clients of a pool and forgets it; clients in use are destroyed when they come back (`pg.Pool` is
   * ending). The next open with this connection string starts a new pool. Mirrors `SqlConnection.ClearPool`.
   */
  async clear(builder: PgConnectionStringBuilder): Promise<void> {
    const key = poolKey(builder);
    const entry = this.#pools.get(key);
    if (!entry) return;
    this.#pools.delete(key);
    await endPool(entry.pool);
  }

  /** Clears every pool. Mirrors `SqlConnection.ClearAllPools`. */
  async clearAll(): Promise<void> {
    const entries = [...this.#pools.values()];
    this.#pools.clear();
    await Promise.all(entries.map((entry) => endPool(entry.pool)));
  }

  #entry(builder: PgConnectionStringBuilder): PoolEntry {
    const key = poolKey(builder);
    let entry = this.#pools.get(key);
    if (!entry) {
      const config = toPoolConfig(builder);
      const pool = createPgPool({
        ...config,
        connectionTimeoutMillis:
          config.connectionTimeoutMillis > 0 ? config.connectionTimeoutMillis + DRIVER_DEADLINE_GRACE_MS : 0,
      });
      const created: PoolEntry = { pool, max: config.max, evicted: 0 };
      // pg.Pool has already removed the dead idle client when it emits this; without a listener Node would throw.
      pool.on('error', () => {
        created.evicted += 1;
      });
      entry = created;
      this.#pools.set(key, entry);
    }
    return entry;
  }
}

/** Ends a pool: waits for its idle clients to close, but not for clients still in use (they close when released). */
function endPool(pool: PgPool): Promise<void> {
  const allIdle = pool.totalCount === pool.idleCount;
  const ending = pool.end().catch(() => {});
  return allIdle ? ending : Promise.resolve();
}
