import { ArgumentError, NotSupportedError } from '@asyncdb/core';
import type { PgConnectionStringBuilder } from '../pg-connection-string-builder.js';
import { usesHostList } from '../pg-host-builder.js';
import { poolKey } from '../pg-pool-registry.js';
import { pgSecrets } from '../pg-secrets.js';
import { PgMultiplexer } from './pg-multiplexer.js';

/**
 * One {@link PgMultiplexer} per connection string (core's canonical pool key, so keyword order and synonyms do not
 * split them), owned by the provider factory as its pools are.
 * @internal
 */
export class PgMultiplexerRegistry {
  readonly #multiplexers = new Map<string, PgMultiplexer>();
  /** Per parsed builder: its live multiplexer, or false when the string does not say `Multiplexing=true`. */
  readonly #byBuilder = new WeakMap<PgConnectionStringBuilder, PgMultiplexer | false>();

  /** Number of live multiplexers. */
  get size(): number {
    return this.#multiplexers.size;
  }

  /**
   * The multiplexer of a connection string with `Multiplexing=true`.
   * @throws ArgumentError when `Pooling=false` (multiplexing is a pool); NotSupportedError for a host list or a target
   * role (a multiplexer serves one server).
   */
  get(builder: PgConnectionStringBuilder): PgMultiplexer {
    const key = poolKey(builder);
    const existing = this.#multiplexers.get(key);
    if (existing) return existing;
    if (builder.getBoolean('Pooling') === false) {
      throw new ArgumentError(
        'Multiplexing=true shares pooled sessions: it cannot be combined with Pooling=false.',
        'connectionString',
      );
    }
    if (usesHostList(builder, builder.hostEndpoints, builder.targetSessionAttributes)) {
      throw new NotSupportedError(
        'Multiplexing=true serves one server: a host list, a port per host or a Target Session Attributes other than any is not supported with it.',
      );
    }
    const multiplexer = new PgMultiplexer(builder, pgSecrets(builder));
    this.#multiplexers.set(key, multiplexer);
    return multiplexer;
  }

  /**
   * The multiplexer an open of `builder` would use, when it exists already and is not cleared; undefined otherwise
   * (not `Multiplexing=true`, or not created yet: {@link PgMultiplexerRegistry.get} creates it, checks included).
   * Memoized per builder: it is read on every open.
   */
  existing(builder: PgConnectionStringBuilder): PgMultiplexer | undefined {
    const known = this.#byBuilder.get(builder);
    if (known === false) return undefined;
    if (known !== undefined && !known.closed) return known;
    if (builder.getBoolean('Multiplexing') !== true) {
      this.#byBuilder.set(builder, false);
      return undefined;
    }
    const found = this.#multiplexers.get(poolKey(builder));
    if (found === undefined || found.closed) return undefined;
    this.#byBuilder.set(builder, found);
    return found;
  }

  /** Closes the multiplexer of a connection string (its commands in flight fail). */
  async clear(builder: PgConnectionStringBuilder): Promise<void> {
    const key = poolKey(builder);
    const multiplexer = this.#multiplexers.get(key);
    this.#multiplexers.delete(key);
    await multiplexer?.close();
  }

  /** Closes every multiplexer. */
  async clearAll(): Promise<void> {
    const all = [...this.#multiplexers.values()];
    this.#multiplexers.clear();
    await Promise.all(all.map((multiplexer) => multiplexer.close()));
  }
}
