/**
 * @asyncdb/core — the provider-neutral contracts of asyncdb: connections, commands, readers, parameters,
 * transactions, provider factories, the ADO.NET 2.0 asynchronous programming model, connection strings,
 * portable `@name` parameters, value conversion, errors and diagnostics.
 */

// Contracts
export * from './contracts/command-behavior.js';
export * from './contracts/command-type.js';
export * from './contracts/connection-state.js';
export * from './contracts/db-type.js';
export * from './contracts/isolation-level.js';
export * from './contracts/parameter-direction.js';
export * from './contracts/db-column.js';
export * from './contracts/db-parameter.js';
export * from './contracts/db-parameter-collection.js';
export { DbConnection } from './contracts/db-connection.js';
export type { DbConnectionEvents, OperationOptions, StateChangeEvent } from './contracts/db-connection.js';
export { DbCommand } from './contracts/db-command.js';
export type { ExecuteReaderOptions } from './contracts/db-command.js';
export { DbDataReader } from './contracts/db-data-reader.js';
export type { DbRow, ReaderSource } from './contracts/db-data-reader.js';
export { DbBatch } from './contracts/db-batch.js';
export { DbBatchCommand } from './contracts/db-batch-command.js';
export * from './contracts/db-batch-command-collection.js';
export * from './contracts/db-transaction.js';
export * from './contracts/db-xml-reader.js';

// Asynchronous programming model
export { WaitHandle } from './async/wait-handle.js';
export { DbAsyncResult } from './async/async-result.js';
export type { AsyncCallback, AsyncOperationStatus, IAsyncResult } from './async/async-result.js';

// Providers
export * from './providers/db-provider-factory.js';
export * from './providers/db-provider-factories.js';
export * from './providers/provider-capabilities.js';
export type * from './providers/provider-spi.js';
export * from './providers/cancellation-of-signal.js';
export * from './providers/run-cursor-once.js';

// Core's connection pool (for providers whose driver has none)
export * from './pooling/pooled-session.js';
export * from './pooling/pool-settings.js';
export * from './pooling/pool-key.js';
export * from './pooling/pool-waiter-queue.js';
export * from './pooling/session-pool.js';
export * from './pooling/session-pool-registry.js';
export * from './pooling/take-pooled-session.js';

// Connection strings
export * from './connection-string/connection-string-builder.js';
export * from './connection-string/connection-string-keywords.js';
export * from './connection-string/parse-connection-string.js';
export * from './connection-string/url-connection-string.js';

// Portable SQL text and parameters
export * from './parameters/placeholder-style.js';
export * from './parameters/sql-dialect.js';
export * from './parameters/sql-scanner.js';
export * from './parameters/translate-placeholders.js';
export * from './parameters/session-state-classifier.js';

// Values
export * from './values/field-type.js';
export * from './values/value-conversion.js';
export * from './values/infer-db-type.js';
export * from './values/shortest-single.js';

// Errors and diagnostics
export * from './errors/errors.js';
export * from './diagnostics/tracing-channels.js';

// Multi-host data sources
export * from './multi-host/host-endpoint.js';
export * from './multi-host/host-builder.js';
export * from './multi-host/target-session-attributes.js';
export * from './multi-host/host-order.js';
export * from './multi-host/host-set.js';
export * from './multi-host/host-set-registry.js';
export * from './multi-host/open-on-hosts.js';
export * from './multi-host/all-hosts-failed-error.js';
