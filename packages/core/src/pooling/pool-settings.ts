import { ConnectionStringError } from '../errors/errors.js';
import type { DbConnectionStringBuilder } from '../connection-string/connection-string-builder.js';
import type { KeywordDefinition } from '../connection-string/connection-string-keywords.js';

/** The limits of one pool, read from its connection string by {@link readPoolSettings}. */
export interface PoolSettings {
  /** `Max Pool Size`: sessions open at most (idle, in use and being created). */
  readonly maxSize: number;
  /** `Min Pool Size`: sessions kept open once the pool has been used, created in the background. */
  readonly minSize: number;
  /** `Connect Timeout` in ms (0 = none): the budget of a connect and of a wait for a pooled session. */
  readonly connectTimeoutMs: number;
  /** `Connection Idle Lifetime` in ms (0 = never): idle sessions above `Min Pool Size` older than this are closed. */
  readonly idleLifetimeMs: number;
  /** `Connection Lifetime` in ms (0 = unlimited): a session older than this is closed when it is returned. */
  readonly lifetimeMs: number;
}

/**
 * The keywords of core's pool beyond the common `Pooling`, `Min Pool Size`, `Max Pool Size` and `Connect Timeout`,
 * with Npgsql's names (MySqlConnector's as synonyms). A provider that uses core's pool merges them into its table:
 * `defineKeywords(COMMON_KEYWORDS, POOL_KEYWORDS, MY_KEYWORDS)`.
 */
export const POOL_KEYWORDS: readonly KeywordDefinition[] = Object.freeze(
  (
    [
      {
        name: 'Connection Idle Lifetime',
        synonyms: ['Connection Idle Timeout', 'ConnectionIdleLifetime', 'ConnectionIdleTimeout'],
        type: 'integer',
        min: 0,
        defaultValue: 300,
        description: 'Seconds an idle pooled connection above Min Pool Size stays open (0 = forever).',
      },
      {
        name: 'Connection Lifetime',
        synonyms: ['ConnectionLifeTime'],
        type: 'integer',
        min: 0,
        defaultValue: 0,
        description: 'Seconds after which a connection is closed instead of pooled when returned (0 = no limit).',
      },
    ] satisfies KeywordDefinition[]
  ).map((definition) => Object.freeze(definition)),
);

/**
 * Reads a pool's limits from a connection string (defaults as ADO.NET's: 0, 100, 15 s; 300 s idle, as Npgsql).
 * Keywords a provider's table lacks read as their defaults.
 * @throws {ConnectionStringError} when `Min Pool Size` exceeds `Max Pool Size` (ADO.NET's message).
 */
export function readPoolSettings(builder: DbConnectionStringBuilder): PoolSettings {
  const maxSize = builder.getInteger('Max Pool Size') ?? 100;
  const minSize = builder.getInteger('Min Pool Size') ?? 0;
  if (minSize > maxSize) {
    throw new ConnectionStringError(
      'Invalid min or max pool size values, min pool size cannot be greater than the max pool size.',
      { keyword: 'Min Pool Size' },
    );
  }
  const seconds = (keyword: string, fallback: number): number =>
    builder.keywordDefinition(keyword) === undefined ? fallback : (builder.getInteger(keyword) ?? fallback);
  return {
    maxSize,
    minSize,
    connectTimeoutMs: (builder.getInteger('Connect Timeout') ?? 15) * 1000,
    idleLifetimeMs: seconds('Connection Idle Lifetime', 300) * 1000,
    lifetimeMs: seconds('Connection Lifetime', 0) * 1000,
  };
}
