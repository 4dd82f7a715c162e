import { DEFAULT_PROVIDER_CAPABILITIES, type ProviderCapabilities } from '@asyncdb/core';

/**
 * What the SQLite provider supports. Core translates `@name` to `?` (SQLite also knows `@name`, but binds it
 * case-sensitively, while asyncdb matches parameter names regardless of case); a command text with several
 * statements is split at top-level semicolons, each a result. SQLite transactions are always serializable,
 * cancellation is the in-process `sqlite3_interrupt`, and a database file is pooled through core's pool (a private
 * in-memory database never is).
 */
export const SQLITE_CAPABILITIES: ProviderCapabilities = Object.freeze<ProviderCapabilities>({
  ...DEFAULT_PROVIDER_CAPABILITIES,
  placeholderStyle: 'question',
  sqlDialect: 'sqlite',
  splitStatements: true,
  unknownParameters: 'error',
  supportsSavepoints: true,
  supportsMultipleResultSets: true,
  supportsOutputParameters: false,
  supportsStoredProcedures: false,
  supportsChangeDatabase: false,
  supportsXml: false,
  supportsJson: true,
  cancellation: 'interrupt',
  isolationLevels: ['Serializable'],
  supportsPooling: true,
});
