import type { DbConnectionStringBuilder } from '../connection-string/connection-string-builder.js';
import { poolKeyOf } from './pool-key.js';
import { readPoolSettings } from './pool-settings.js';
import type { PooledSession, SessionFactory } from './pooled-session.js';
import { SessionPool } from './session-pool.js';

/** What a provider gives its registry once. */
export interface SessionPoolRegistryOptions<S extends PooledSession> {
  /** The provider's invariant name (errors). */
  readonly providerName: string;
  /** Creates a session for any pool of the registry ({@link CreateSessionContext} says which string and host). */
  readonly createSession: SessionFactory<S>;
}

/**
 * The pools of one provider factory: one {@link SessionPool} per data source (pool key) and host. A single-host data
 * source has one pool (host undefined); a multi-host one gets a pool per host, and {@link SessionPoolRegistry.clear}
 * clears them all. Pools are kept for the registry's life (a cleared pool starts a new generation rather than being
 * replaced), so a provider may cache the pool of a connection string.
 */
export class SessionPoolRegistry<S extends PooledSession = PooledSession> {
  readonly #options: SessionPoolRegistryOptions<S>;
  /** Pool key → host ('' for a single-host data source) → pool. */
  readonly #pools = new Map<string, Map<string, SessionPool<S>>>();

  constructor(options: SessionPoolRegistryOptions<S>) {
    this.#options = options;
  }

  /** Number of pools (every host counted). */
  get size(): number {
    let size = 0;
    for (const hosts of this.#pools.values()) size += hosts.size;
    return size;
  }

  /**
   * The pool of data source `key` (see `poolKeyOf`) and `host`, created on first use from `builder`.
   * @throws {ConnectionStringError} when the pool keywords are inconsistent (`Min Pool Size` > `Max Pool Size`).
   */
  poolFor(key: string, builder: DbConnectionStringBuilder, host?: string): SessionPool<S> {
    let hosts = this.#pools.get(key);
    const pool = hosts?.get(host ?? '');
    if (pool !== undefined) return pool;
    const created = new SessionPool<S>({
      providerName: this.#options.providerName,
      builder,
      host,
      settings: readPoolSettings(builder),
      createSession: this.#options.createSession,
    });
    if (hosts === undefined) {
      hosts = new Map();
      this.#pools.set(key, hosts);
    }
    hosts.set(host ?? '', created);
    return created;
  }

  /**
   * The pool of a single-host data source, keyed by its builder's `poolKeyOf`: what a provider without host lists
   * (sqlite, core's memory provider) opens from, so it never spells the key itself.
   * @throws {ConnectionStringError} when the pool keywords are inconsistent (`Min Pool Size` > `Max Pool Size`).
   */
  poolOf(builder: DbConnectionStringBuilder): SessionPool<S> {
    return this.poolFor(poolKeyOf(builder), builder);
  }

  /** Every pool of data source `key` (one per host). */
  poolsOf(key: string): Array<SessionPool<S>> {
    return [...(this.#pools.get(key)?.values() ?? [])];
  }

  /** Clears every pool of data source `key` (every host). Mirrors `ClearPool`. */
  clear(key: string): void {
    for (const pool of this.#pools.get(key)?.values() ?? []) pool.clear();
  }

  /**
   * Clears the pools of the connection string `builder` parsed — the whole of a `DbProviderFactory.clearPool` for a
   * provider without host lists (`return this.pools.clearPoolOf(this.createConnectionStringBuilder(cs))`). Resolves
   * at once: idle sessions close in the background, sessions in use when they come back.
   */
  clearPoolOf(builder: DbConnectionStringBuilder): Promise<void> {
    this.clear(poolKeyOf(builder));
    return Promise.resolve();
  }

  /** Clears every pool. Mirrors `ClearAllPools`. */
  clearAll(): void {
    for (const hosts of this.#pools.values()) for (const pool of hosts.values()) pool.clear();
  }
}
