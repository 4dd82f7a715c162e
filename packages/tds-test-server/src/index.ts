/**
 * Private test-only package: a TDS 7.4 endpoint backed by an engine that runs T-SQL on PostgreSQL,
 * so provider-mssql can be tested with the real tedious/mssql client where SQL Server is unavailable.
 *
 * ```ts
 * const server = await startTdsTestServer({ engine: createPgEngine({ pgUrl, password }) });
 * ```
 */
export { startTdsTestServer, type TdsTestServer, type TdsTestServerOptions } from './server/tds-server.js';
export * from './engine/index.js';
