import { DEFAULT_PROVIDER_CAPABILITIES, type ProviderCapabilities } from '@asyncdb/core';
import { PG_ISOLATION_LEVELS } from './pg-transaction-sql.js';

/**
 * What the PostgreSQL provider supports. Core translates `@name` to `$n` with PostgreSQL's lexical rules and splits
 * batches at top-level semicolons. PostgreSQL cannot switch the database of a session (`changeDatabase` throws
 * NotSupportedError). `CommandType.StoredProcedure` runs `CALL name(…)` or `SELECT * FROM name(…)`, and output
 * parameters are filled from the first row, as Npgsql does (not inside a DbBatch).
 */
export const PG_CAPABILITIES: ProviderCapabilities = Object.freeze<ProviderCapabilities>({
  ...DEFAULT_PROVIDER_CAPABILITIES,
  placeholderStyle: 'dollar-numbered',
  sqlDialect: 'postgresql',
  splitStatements: true,
  unknownParameters: 'error',
  supportsSavepoints: true,
  supportsMultipleResultSets: true,
  // CALL / SELECT * FROM fn(…) by name, Output/InputOutput/ReturnValue from the first row (pg-routine-call.ts).
  supportsOutputParameters: true,
  supportsStoredProcedures: true,
  supportsChangeDatabase: false,
  supportsXml: true,
  supportsJson: true,
  cancellation: 'protocol-cancel',
  isolationLevels: PG_ISOLATION_LEVELS,
  supportsPooling: true,
  // A DbBatch goes as Parse/Bind/Describe/Execute per statement and one Sync: one round trip, one implicit transaction.
  batchExecution: 'single-round-trip',
  batchIsAtomic: true,
});
