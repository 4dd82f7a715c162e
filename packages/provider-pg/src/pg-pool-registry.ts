import { usesHostList } from './pg-host-builder.js';
import { poolKeyOf, SessionPoolRegistry, type SessionPool } from '@asyncdb/core';
import type { PgConnectionStringBuilder } from './pg-connection-string-builder.js';
import { createPgPooledSession, pgSessionPlan, type PgPooledSession, type PgSessionPlan } from './pg-pooled-session.js';

/** Connection strings whose direct pool is remembered. */
const DIRECT_LIMIT = 256;

/**
 * The pool key of a connection string: core's canonical key (keywords in canonical spelling and order, without the
 * keywords that only shape the `DbConnection` object), memoized there, so pg's pools split exactly as core's do.
 */
export function poolKey(builder: PgConnectionStringBuilder): string {
  return poolKeyOf(builder);
}

/**
 * The pg provider's pools: core's {@link SessionPoolRegistry} (one pool per connection string in its canonical form,
 * so keyword order and synonyms do not split pools, as ADO.NET keys its pools), with pg sessions. A multi-host data
 * source has one pool per host: the connection string of each host (`pgBuilderForHost`) is a data source of its own
 * here. The idle stack, waiters, deadlines, eviction, `Min`/`Max Pool Size` and clearing are core's (docs/pooling.md).
 * @internal
 */
export class PgPoolRegistry {
  /** The plan of each pool's sessions, by pool key. */
  readonly #plans = new Map<string, PgSessionPlan>();
  /** The pool of a builder already seen: an open looks its pool up with one WeakMap read. */
  readonly #byBuilder = new WeakMap<PgConnectionStringBuilder, SessionPool<PgPooledSession>>();
  /** {@link PgPoolRegistry.directPoolOf} by printed connection string (null: not pooled, or a host list). */
  readonly #direct = new Map<string, SessionPool<PgPooledSession> | null>();
  readonly #registry = new SessionPoolRegistry<PgPooledSession>({
    providerName: 'pg',
    createSession: (context) => {
      const builder = context.builder as PgConnectionStringBuilder;
      const key = poolKey(builder);
      let plan = this.#plans.get(key);
      if (plan === undefined) {
        plan = pgSessionPlan(builder);
        this.#plans.set(key, plan);
      }
      return createPgPooledSession(context, plan);
    },
  });

  /** Number of pools. */
  get size(): number {
    return this.#registry.size;
  }

  /**
   * The pool of a connection string (created on first use; pools live as long as the registry).
   * @throws {ConnectionStringError} when `Min Pool Size` exceeds `Max Pool Size`.
   */
  poolOf(builder: PgConnectionStringBuilder): SessionPool<PgPooledSession> {
    let pool = this.#byBuilder.get(builder);
    if (pool === undefined) {
      pool = this.#registry.poolFor(poolKey(builder), builder);
      this.#byBuilder.set(builder, pool);
    }
    return pool;
  }

  /**
   * The pool an open takes its session from directly (core's synchronous hand-out), or undefined when the connection
   * string is not pooled (`Pooling=false`), is multiplexed (`Multiplexing=true`: the open takes no session) or goes
   * through the multi-host path (a host list, a host with its own port,
   * a `Target Session Attributes` other than `any`: the open then picks a host and that host's pool). Memoized by
   * the printed connection string: an open must not re-parse the host list.
   * @throws {ConnectionStringError} when `Min Pool Size` exceeds `Max Pool Size`.
   */
  directPoolOf(builder: PgConnectionStringBuilder): SessionPool<PgPooledSession> | undefined {
    const known = this.#byBuilder.get(builder);
    if (known !== undefined) return known;
    const printed = builder.connectionString;
    let pool = this.#direct.get(printed);
    if (pool === undefined) {
      const direct =
        builder.getBoolean('Multiplexing') !== true &&
        (builder.getBoolean('Pooling') ?? true) &&
        !usesHostList(builder, builder.hostEndpoints, builder.targetSessionAttributes);
      pool = direct ? this.#registry.poolFor(poolKey(builder), builder) : null;
      if (this.#direct.size >= DIRECT_LIMIT) this.#direct.delete(this.#direct.keys().next().value!);
      this.#direct.set(printed, pool);
    }
    if (pool !== null) this.#byBuilder.set(builder, pool);
    return pool ?? undefined;
  }

  /**
   * Closes the idle sessions of this connection string's pool now, those in use when they are returned. The next
   * open starts a new session. Mirrors `NpgsqlConnection.ClearPool`.
   */
  clear(builder: PgConnectionStringBuilder): Promise<void> {
    this.#registry.clear(poolKey(builder));
    return Promise.resolve();
  }

  /** Clears every pool. Mirrors `NpgsqlConnection.ClearAllPools`. */
  clearAll(): Promise<void> {
    this.#registry.clearAll();
    return Promise.resolve();
  }
}
