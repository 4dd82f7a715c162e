import { MssqlPool, type MssqlPoolOptions } from './mssql-pool.js';

/**
 * The pools of one provider factory, keyed by connection string (as SqlClient keys its pools): two connections with
 * the same string share sessions, any difference gives a separate pool.
 */
export class MssqlPoolRegistry {
  readonly #pools = new Map<string, MssqlPool>();

  /** The pool for `key`, created with `options()` on first use. */
  get(key: string, options: () => MssqlPoolOptions): MssqlPool {
    let pool = this.#pools.get(key);
    if (!pool) {
      pool = new MssqlPool(options());
      this.#pools.set(key, pool);
    }
    return pool;
  }

  /** Empties the pool for `key` (idle sessions closed now, busy ones when returned). */
  async clear(key: string): Promise<void> {
    await this.#pools.get(key)?.clear();
  }

  /** Empties every pool. */
  async clearAll(): Promise<void> {
    await Promise.all([...this.#pools.values()].map((pool) => pool.clear()));
  }
}
