import { COMMON_KEYWORDS, defineKeywords, POOL_KEYWORDS, type KeywordDefinition } from '@asyncdb/core';

/** `Mode` values (Microsoft.Data.Sqlite's `SqliteOpenMode`). */
export const SQLITE_MODES = ['ReadWriteCreate', 'ReadWrite', 'ReadOnly', 'Memory'] as const;
/** One of {@link SQLITE_MODES}. */
export type SqliteMode = (typeof SQLITE_MODES)[number];

/** `Cache` values (Microsoft.Data.Sqlite's `SqliteCacheMode`). */
export const SQLITE_CACHE_MODES = ['Default', 'Private', 'Shared'] as const;
/** One of {@link SQLITE_CACHE_MODES}. */
export type SqliteCacheMode = (typeof SQLITE_CACHE_MODES)[number];

/**
 * The SQLite keywords with Microsoft.Data.Sqlite's names, merged with core's common ones (`Pooling`,
 * `Command Timeout`, `Password`…) and core's pool keywords (`Connection Idle Lifetime`, `Connection Lifetime`). `Password` is the encryption key of an encrypted database; like every secret it
 * never appears in `toString()`, errors or logs.
 */
export const SQLITE_KEYWORDS: readonly KeywordDefinition[] = defineKeywords(COMMON_KEYWORDS, POOL_KEYWORDS, [
  {
    name: 'Data Source',
    synonyms: ['DataSource', 'Filename'],
    type: 'string',
    description: 'The database file (relative to the working directory), or :memory: for a private in-memory one.',
  },
  {
    name: 'Mode',
    type: 'enum',
    values: SQLITE_MODES,
    defaultValue: 'ReadWriteCreate',
    description:
      'ReadWriteCreate (create the file if missing), ReadWrite (the file must exist), ReadOnly, or Memory (in-memory).',
  },
  {
    name: 'Cache',
    type: 'enum',
    values: SQLITE_CACHE_MODES,
    defaultValue: 'Default',
    description: 'Default or Private. Shared (shared-cache mode) is rejected at open: libsql does not offer it.',
  },
  {
    name: 'Foreign Keys',
    type: 'boolean',
    description: "Sets PRAGMA foreign_keys at open; unset leaves libsql's default, which enforces them (on).",
  },
  {
    name: 'Recursive Triggers',
    type: 'boolean',
    defaultValue: false,
    description: 'Sets PRAGMA recursive_triggers at open.',
  },
  {
    name: 'Default Timeout',
    type: 'integer',
    min: 0,
    // SQLite's busy timeout is a C int of milliseconds: more than Int32.MaxValue ms wrapped to 0 (no waiting at all).
    max: 2_147_483,
    defaultValue: 30,
    description: 'Seconds a statement waits for a lock held by another connection (the busy timeout) before failing.',
  },
]);
