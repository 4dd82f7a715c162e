/**
 * @asyncdb/provider-mssql — the SQL Server provider of asyncdb, on tedious. Register it explicitly:
 *
 * ```ts
 * import { registerMssqlProvider } from '@asyncdb/provider-mssql';
 * registerMssqlProvider();
 * ```
 */

export { MssqlProviderFactory, MSSQL_CAPABILITIES, registerMssqlProvider } from './mssql-provider-factory.js';
export { MssqlConnection } from './mssql-connection.js';
export { MssqlCommand } from './mssql-command.js';
export { MssqlDataReader } from './mssql-data-reader.js';
export { MssqlTransaction } from './mssql-transaction.js';
export { MssqlConnectionStringBuilder, type MssqlEncryptMode } from './mssql-connection-string-builder.js';
export * from './mssql-keywords.js';
export { parseDataSource, formatDataSource, MSSQL_DEFAULT_PORT, type MssqlDataSource } from './mssql-data-source.js';
export { toDbError, mapMssqlError, MSSQL_ERROR_MAP, type MssqlErrorMapping } from './mssql-error-converter.js';
export { MSSQL_ISOLATION_LEVELS } from './mssql-transaction-requests.js';
