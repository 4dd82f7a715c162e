import { DEFAULT_PROVIDER_CAPABILITIES, type ProviderCapabilities } from '@asyncdb/core';

/** What the MySQL/MariaDB provider supports (see the README for the details behind each flag). */
export const MYSQL_CAPABILITIES: ProviderCapabilities = Object.freeze<ProviderCapabilities>({
  ...DEFAULT_PROVIDER_CAPABILITIES,
  placeholderStyle: 'question',
  sqlDialect: 'mysql',
  // Each statement of a batch is prepared and executed on its own, so values are always bound by the server.
  splitStatements: true,
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
