import {
  SessionPoolRegistry,
  poolKeyOf,
  type DbConnectionStringBuilder,
  type PoolCounts,
  type SessionPool,
} from '@asyncdb/core';
import type { MysqlSettings } from './mysql-driver-options.js';
import type { MysqlDriver } from './mysql-driver.js';
import type { MysqlKillSwitch } from './mysql-kill-switch.js';
import { connectMysqlSession, createMysqlPooledSession, type MysqlPooledSession } from './mysql-pooled-session.js';
import type { MysqlSession } from './mysql-session.js';

/** A session of its own (`Pooling=false`), and how to end it. */
export interface MysqlLease {
  readonly session: MysqlSession;
  /** Ends the session politely (COM_QUIT), or destroys it when `broken`. */
  release(broken: boolean): Promise<void>;
}

/**
 * The mysql provider's pools: core's {@link SessionPoolRegistry} (one pool per canonical connection string) with mysql
 * sessions. The idle stack, waiters, deadlines, eviction of dead idle sessions, `Min`/`Max Pool Size`,
 * `Connection Idle Lifetime` and clearing are core's (core's README, "Pooling"); the reset is the session's.
 * A multi-host `Server` list gets one pool per host through its key: each host's connection string names that host
 * alone (mysql-host-list.ts), so its pool key, settings and sessions are that host's.
 */
export class MysqlPoolRegistry {
  readonly #driver: MysqlDriver;
  readonly #killSwitch: MysqlKillSwitch;
  /** The settings of each pool's sessions, by pool key. */
  readonly #settings = new Map<string, MysqlSettings>();
  readonly #registry: SessionPoolRegistry<MysqlPooledSession>;

  constructor(driver: MysqlDriver, killSwitch: MysqlKillSwitch) {
    this.#driver = driver;
    this.#killSwitch = killSwitch;
    this.#registry = new SessionPoolRegistry<MysqlPooledSession>({
      providerName: 'mysql',
      createSession: (context) => {
        // Rare (a new physical session): the key is recomputed from the pool's builder (memoized in core).
        const settings = this.#settings.get(poolKeyOf(context.builder))!;
        return createMysqlPooledSession(context, settings, this.#driver, this.#killSwitch);
      },
    });
  }

  /** The pool of `key` (core's `poolKeyOf(builder)`), created on first use with `settings` for its sessions. */
  poolOf(key: string, settings: MysqlSettings, builder: DbConnectionStringBuilder): SessionPool<MysqlPooledSession> {
    if (!this.#settings.has(key)) this.#settings.set(key, settings);
    return this.#registry.poolFor(key, builder);
  }

  /** @internal The counts of `key`'s pool, or undefined before its first open. */
  countsOf(key: string): PoolCounts | undefined {
    const pools = this.#registry.poolsOf(key);
    if (pools.length === 0) return undefined;
    const sum = { idle: 0, busy: 0, creating: 0, pending: 0, total: 0 };
    for (const { counts } of pools) {
      sum.idle += counts.idle;
      sum.busy += counts.busy;
      sum.creating += counts.creating;
      sum.pending += counts.pending;
      sum.total += counts.total;
    }
    return sum;
  }

  /** Opens a session of its own (`Pooling=false`). */
  async openUnpooled(settings: MysqlSettings, signal: AbortSignal): Promise<MysqlLease> {
    const session = await connectMysqlSession(settings, this.#driver, this.#killSwitch, signal);
    return {
      session,
      release: async (broken) => {
        await session.whenIdle();
        if (broken || session.broken) session.destroy();
        else await session.end();
      },
    };
  }

  /** Closes the idle sessions of `key`'s pool now and its in-use ones when they are returned. */
  clear(key: string): Promise<void> {
    this.#registry.clear(key);
    return Promise.resolve();
  }

  /** Clears every pool, and closes the side connections used for KILL QUERY. */
  async clearAll(): Promise<void> {
    this.#registry.clearAll();
    await this.#killSwitch.closeAll();
  }
}
