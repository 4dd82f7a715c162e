import { DEFAULT_PROVIDER_CAPABILITIES, type ProviderCapabilities } from '@asyncdb/core';

/** What the MySQL/MariaDB provider supports (see the README for the details behind each flag). */
export const MYSQL_CAPABILITIES: ProviderCapabilities = Object.freeze<ProviderCapabilities>({
  ...DEFAULT_PROVIDER_CAPABILITIES,
  placeholderStyle: 'question',
  sqlDialect: 'mysql',
  // Each statement of a batch is prepared and executed on its own, so values are always bound by the server.
  splitStatements: true,
  // A DbBatch is one pipeline: every command's packets in one write, the replies read in order (docs/batching.md).
  batchExecution: 'single-round-trip',
  // The server runs every pipelined command, whatever the one before it did.
  batchContinuesAfterError: true,
  // Cancel sends KILL QUERY for each command it reaches; a quick one after the cancelled one may already have run.
  batchContinuesAfterCancel: true,
  // `@name` not in the parameter collection is a MySQL user variable.
  unknownParameters: 'keep',
  supportsSavepoints: true,
  supportsMultipleResultSets: true,
  // OUT / INOUT parameters of stored procedures, through user variables.
  supportsOutputParameters: true,
  supportsStoredProcedures: true,
  supportsChangeDatabase: true,
  supportsXml: false,
  supportsJson: true,
  cancellation: 'kill-query',
  isolationLevels: ['ReadUncommitted', 'ReadCommitted', 'RepeatableRead', 'Serializable'],
  supportsPooling: true,
});
