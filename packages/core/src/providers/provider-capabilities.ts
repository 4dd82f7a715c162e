import type { IsolationLevel } from '../contracts/isolation-level.js';
import type { PlaceholderStyle } from '../parameters/placeholder-style.js';
import type { SqlDialect } from '../parameters/sql-dialect.js';

/**
 * How a provider stops a running command: over the network (`protocol-cancel`: PostgreSQL's CancelRequest;
 * `kill-query`: MySQL's `KILL QUERY` on a side connection; `attention`: a TDS ATTENTION packet), in-process
 * (`interrupt`: an embedded engine's interrupt call, e.g. `sqlite3_interrupt`, which stops the statement where it is
 * computing), or not at all (`none`).
 */
export type CancellationKind = 'protocol-cancel' | 'kill-query' | 'attention' | 'interrupt' | 'none';

/**
 * What a provider can do, so applications and the conformance suite can adapt at run time.
 * Start from {@link DEFAULT_PROVIDER_CAPABILITIES} so a capability added later does not break providers.
 */
export interface ProviderCapabilities {
  /** Native parameter markers the core translates `@name` into. */
  readonly placeholderStyle: PlaceholderStyle;
  /** The lexical rules of the engine's SQL (quotes, comments), used to find `@name` and `;` safely. */
  readonly sqlDialect: SqlDialect;
  /** When true the core splits command text at top-level `;` and hands the provider one statement each. */
  readonly splitStatements: boolean;
  /** What an `@name` that is not in the parameter collection means: an error (pg), or engine syntax to keep (MySQL user variables, T-SQL locals). */
  readonly unknownParameters: 'error' | 'keep';
  readonly supportsSavepoints: boolean;
  readonly supportsMultipleResultSets: boolean;
  readonly supportsOutputParameters: boolean;
  readonly supportsStoredProcedures: boolean;
  readonly supportsChangeDatabase: boolean;
  /** A native XML type (executeXmlReader works on any single text column regardless). */
  readonly supportsXml: boolean;
  /** A native JSON type whose values read as parsed JS values. */
  readonly supportsJson: boolean;
  /** How `cancel()`, `AbortSignal` and `commandTimeout` reach the server. */
  readonly cancellation: CancellationKind;
  /** Isolation levels `beginTransaction` accepts (besides `Unspecified`). */
  readonly isolationLevels: readonly IsolationLevel[];
  /** Pooling through the driver's pool, keyed by connection string. */
  readonly supportsPooling: boolean;
  /**
   * How a `DbBatch` runs. `'single-round-trip'`: the provider receives the whole batch as one request
   * (`CommandRequest.batch`) and sends it at once. `'sequential'` (the default, which every provider gets for free):
   * core runs the commands one after another on the session, each as its own request — one round trip per command,
   * same results, same error rule (a failing command skips the rest).
   */
  readonly batchExecution: 'single-round-trip' | 'sequential';
  /**
   * True when a batch run outside a transaction is all or nothing: a failing command also undoes the commands before
   * it (PostgreSQL: one Sync, one implicit transaction). False: the commands before it stay committed.
   */
  readonly batchIsAtomic: boolean;
  /**
   * True when the server still runs the commands after a failing one (SQL Server: each RPC of a batched RPC is its
   * own batch on the server, as with SqlClient's `SqlBatch`). The failure is reported as everywhere and the later
   * commands' results are dropped, but their work is done. False (the default): they do not run.
   */
  readonly batchContinuesAfterError: boolean;
  /**
   * True when cancelling a batch (or its timeout) stops the command running but not necessarily the ones after it:
   * the server already holds them and runs those it reaches before the cancel does (MySQL/MariaDB, whose pipelined
   * batch is stopped by one KILL QUERY per command it reaches). The batch still rejects with the cancellation and the
   * connection stays usable. False (the default): the commands not yet started do not run.
   */
  readonly batchContinuesAfterCancel: boolean;
}

/** Conservative defaults: a provider overrides what it supports. */
export const DEFAULT_PROVIDER_CAPABILITIES: ProviderCapabilities = Object.freeze<ProviderCapabilities>({
  placeholderStyle: 'named-at',
  sqlDialect: 'generic',
  splitStatements: false,
  unknownParameters: 'keep',
  supportsSavepoints: false,
  supportsMultipleResultSets: false,
  supportsOutputParameters: false,
  supportsStoredProcedures: false,
  supportsChangeDatabase: false,
  supportsXml: false,
  supportsJson: false,
  cancellation: 'none',
  isolationLevels: ['ReadCommitted'],
  supportsPooling: false,
  batchExecution: 'sequential',
  batchIsAtomic: false,
  batchContinuesAfterError: false,
  batchContinuesAfterCancel: false,
});
