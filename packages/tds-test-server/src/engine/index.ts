/**
 * The engine of the TDS test server: runs the T-SQL a TDS client sends on PostgreSQL.
 * See the README section "T-SQL subset".
 */
export { createPgEngine, DEFAULT_SERVER_VERSION, type PgEngineOptions } from './pg-engine.js';
export * from './engine-types.js';
