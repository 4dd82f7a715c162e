/**
 * @asyncdb/provider-sqlite — the SQLite provider of asyncdb, on libsql, with one worker thread per connection.
 * Register it explicitly:
 *
 * ```ts
 * import { registerSqliteProvider } from '@asyncdb/provider-sqlite';
 * registerSqliteProvider();
 * ```
 */

export { SqliteProviderFactory, registerSqliteProvider } from './sqlite-provider-factory.js';
export { SqliteConnection } from './sqlite-connection.js';
export { SqliteCommand } from './sqlite-command.js';
export { SQLITE_KEYWORDS, SQLITE_MODES, SQLITE_CACHE_MODES } from './sqlite-keywords.js';
export type { SqliteMode, SqliteCacheMode } from './sqlite-keywords.js';
export { SQLITE_CAPABILITIES } from './sqlite-capabilities.js';
export { categoryOfSqliteError, toDbError } from './sqlite-error-converter.js';
