/**
 * @asyncdb/provider-mysql — the MySQL and MariaDB provider of asyncdb, on mysql2.
 * Register it explicitly: `registerMysqlProvider()`.
 */
export * from './mysql-provider-factory.js';
export * from './mysql-connection.js';
export * from './mysql-command.js';
export * from './mysql-parameter.js';
export * from './mysql-data-reader.js';
export * from './mysql-transaction.js';
export * from './mysql-connection-string-builder.js';
export * from './mysql-keywords.js';
export * from './mysql-capabilities.js';
export { toDbError as mysqlToDbError, mysqlErrorCategory } from './mysql-error-converter.js';
