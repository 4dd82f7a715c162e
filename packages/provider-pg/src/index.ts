/**
 * @asyncdb/provider-pg — the PostgreSQL provider of asyncdb, on `pg`. Register it explicitly:
 *
 * ```ts
 * import { registerPgProvider } from '@asyncdb/provider-pg';
 * registerPgProvider();
 * ```
 */

export { PgProviderFactory, registerPgProvider } from './pg-provider-factory.js';
export { PgConnection } from './pg-connection.js';
export { PgCommand } from './pg-command.js';
export { PgDataReader } from './pg-data-reader.js';
export { PgTransaction } from './pg-transaction.js';
export { PgConnectionStringBuilder } from './pg-connection-string-builder.js';
export type { PgSslMode } from './pg-connection-string-builder.js';
export { PG_KEYWORDS, PG_SSL_MODES, PG_URL_KEYWORDS } from './pg-keywords.js';
export { PG_CAPABILITIES } from './pg-capabilities.js';
export { PG_ISOLATION_LEVELS } from './pg-transaction-sql.js';
export { categoryOfSqlState, toDbError } from './pg-error-converter.js';
