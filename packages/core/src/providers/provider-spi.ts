import type { CommandBehavior } from '../contracts/command-behavior.js';
import type { CommandType } from '../contracts/command-type.js';
import type { DbColumn } from '../contracts/db-column.js';
import type { DbType } from '../contracts/db-type.js';
import type { IsolationLevel } from '../contracts/isolation-level.js';
import type { ParameterDirection } from '../contracts/parameter-direction.js';
import type { DbConnectionStringBuilder } from '../connection-string/connection-string-builder.js';
import type { TargetSessionAttributes } from '../multi-host/target-session-attributes.js';

/**
 * The provider SPI: the shapes exchanged between core's base classes and a provider's hooks.
 * A provider implements `openCore`, `closeCore`, `executeCore` and `transactionCore` on its
 * `DbConnection` subclass; everything else (validation, the APM layer, timeouts, translation of
 * `@name`, readers, diagnostics) is core's.
 */

/** What `openCore` receives. */
export interface OpenContext {
  /** The parsed connection string, with the provider's keyword table. */
  readonly builder: DbConnectionStringBuilder;
  /** Aborted when `Connect Timeout` elapses, the caller's signal aborts, or `close()` is called during the open. */
  readonly signal: AbortSignal;
  /** `Connect Timeout` in milliseconds (0 = none); also the pool-acquire deadline. */
  readonly connectTimeoutMs: number;
  /**
   * The connection's own `targetSessionAttributes` (set by the application to route this connection), which wins over
   * the connection string's `Target Session Attributes`; undefined when not set.
   */
  readonly targetSessionAttributes?: TargetSessionAttributes | undefined;
}

/** What a successful `openCore` reports about the session. */
export interface SessionInfo {
  /** The server's version string, as `DbConnection.serverVersion` reports it. */
  readonly serverVersion: string;
  /** The session's current database, as `DbConnection.database` reports it. */
  readonly database: string;
  /** Host (and port) as the connection string named it, or the host actually used of a multi-host list. */
  readonly dataSource: string;
  /** `server.address` in diagnostics: the host name of the server used; `dataSource` when not given. */
  readonly serverAddress?: string;
  /** `server.port` in diagnostics: the port of the server used, when the provider knows it. */
  readonly serverPort?: number;
  /** The server's id for the session (backend pid, thread id, SPID), where there is one. */
  readonly sessionId?: string | number;
}

/** What `closeCore` is told. */
export interface CloseContext {
  /**
   * True when the session may be in an unknown state (a cancel that was not acknowledged in time, a lost
   * connection): the provider must destroy the physical connection instead of returning it to the pool.
   */
  readonly broken: boolean;
}

/** One parameter as bound for execution: a snapshot of a `DbParameter`. */
export interface BoundParameter {
  /** The name without its leading '@'. */
  readonly name: string;
  /** The JS value (`null` for SQL NULL). */
  readonly value: unknown;
  /** The parameter's DbType: set by the user, or inferred from the value (see `dbTypeExplicit`). */
  readonly dbType: DbType;
  /** False when `dbType` was inferred from the value rather than set by the user. */
  readonly dbTypeExplicit: boolean;
  /** Input, Output, InputOutput or ReturnValue. */
  readonly direction: ParameterDirection;
  /** `DbParameter.size` (0 when not set): the maximum length of text or binary values, in characters or bytes. */
  readonly size: number;
  /** `DbParameter.precision` (0 when not set). */
  readonly precision: number;
  /** `DbParameter.scale` (0 when not set). */
  readonly scale: number;
}

/** One statement to run, with the values for its native markers in order. */
export interface StatementRequest {
  /** SQL text with native markers (`$1`, `?`, or `@name`). */
  readonly text: string;
  /** `$n`: the parameter for `$(i+1)`; `?`: one per marker (repeats repeat); `@name`: each referenced parameter once. */
  readonly parameters: readonly BoundParameter[];
}

/** Why core aborted a request's signal. */
export type AbortKind = 'cancel' | 'timeout' | 'close';

/** The reason object core aborts {@link CommandRequest.signal} with. */
export interface CoreAbortReason {
  readonly kind: AbortKind;
  /** The caller's own `AbortSignal.reason`, when a caller signal caused it. */
  readonly callerReason?: unknown;
}

/**
 * A request's abort as core tracks it, without the cost of an `AbortSignal` (Node 20 spends several microseconds
 * building one — a visible share of a short command): whether and why core aborted, and a callback when it does.
 */
export interface Cancellation {
  /** True once core has aborted the request. */
  readonly aborted: boolean;
  /** Why, once aborted. */
  readonly reason: CoreAbortReason | undefined;
  /**
   * Calls `listener` once, synchronously, when core aborts the request — at once when it already has. A listener
   * needs no removal: a request's cancellation lives and dies with its execution.
   */
  onAbort(listener: () => void): void;
}

/** What `executeCore` receives. */
export interface CommandRequest {
  /** The command text exactly as the user set it (for diagnostics and stored procedure names). */
  readonly commandText: string;
  /** Text or StoredProcedure. */
  readonly commandType: CommandType;
  /**
   * The statements to run in order, each producing one result (rows or a count). For `Text` commands this is the
   * translated text, split at top-level `;` when the provider's capabilities ask for it (possibly empty when the text
   * held only comments). For `StoredProcedure` it holds one entry whose text is the procedure name.
   */
  readonly statements: readonly StatementRequest[];
  /** Every parameter of the command (including output and return-value parameters), in collection order. */
  readonly parameters: readonly BoundParameter[];
  /**
   * The {@link CommandBehavior} flags. Core's reader enforces SingleResult, SingleRow, SequentialAccess and
   * CloseConnection; SchemaOnly (describe without executing) and KeyInfo (key facts of base-table columns) are the
   * provider's to honour.
   */
  readonly behavior: CommandBehavior;
  /** `commandTimeout` in milliseconds (0 = none). Core enforces it; a provider may also apply it on the server. */
  readonly timeoutMs: number;
  /**
   * Aborted (with a {@link CoreAbortReason}) on `cancel()`, a caller's `AbortSignal`, the command timeout, or
   * `close()`. The provider must then stop the command ON THE SERVER, bring the session back to idle, and settle
   * whatever is pending (any error; core replaces it with the right typed error).
   */
  readonly signal: AbortSignal;
  /**
   * The same abort as {@link CommandRequest.signal}, cheaper: `signal` is only created when first read, so a provider
   * that watches `cancellation` on its hot path and reads `signal` only where an API needs a real `AbortSignal` saves
   * its cost on every command.
   */
  readonly cancellation: Cancellation;
  /** True after `prepare()`: the provider may use a server-side prepared statement. */
  readonly prepared: boolean;
  /** True while a transaction started with `beginTransaction` is pending on the connection. */
  readonly inTransaction: boolean;
  /**
   * Set when the request is a `DbBatch` sent to a provider whose `batchExecution` capability is
   * `'single-round-trip'`: its commands in order. `statements` then holds every command's statements one after the
   * other (command 0's, then command 1's, …), so a provider that runs `statements` runs the batch; it reports each
   * statement's count in {@link ResultCursor.recordsAffectedByStatement}, from which core fills each command's
   * `recordsAffected`.
   */
  readonly batch?: BatchRequest | undefined;
}

/** A `DbBatch` as the provider receives it (see {@link CommandRequest.batch}). */
export interface BatchRequest {
  /** The batch's commands, in order. */
  readonly commands: readonly BatchCommandRequest[];
}

/** One command of a batch: translated and bound exactly as a `DbCommand` of the same text and parameters would be. */
export interface BatchCommandRequest {
  /** The command text exactly as the user set it (a procedure name for `StoredProcedure`). */
  readonly commandText: string;
  /** Text or StoredProcedure. */
  readonly commandType: CommandType;
  /** The command's statements (several when the provider splits text at `;`), each with its own parameters. */
  readonly statements: readonly StatementRequest[];
  /** Every parameter of the command, in collection order. */
  readonly parameters: readonly BoundParameter[];
}

/** Which one-shot execution core asks a provider for (see {@link OneShotResult}). */
export type OneShotKind = 'scalar' | 'nonQuery';

/**
 * What a provider's one-shot execution (`executeOnceCore`) resolves once the session is idle again: everything
 * `executeScalar` or `executeNonQuery` needs, without a cursor. It must equal what core's reader would make of the
 * same results: the statements all run, the first failure rejects, rows of later results are discarded.
 */
export interface OneShotResult {
  /**
   * 'scalar': the first column of the first row of the first result that has columns, converted as a cursor converts
   * it (`null` for NULL); `undefined` when that result has no row or no result has columns. Unused for 'nonQuery'.
   */
  readonly value: unknown;
  /** Rows changed by the DML statements, as {@link ResultCursor.recordsAffected} once everything was read. */
  readonly recordsAffected: number;
  /** Output parameter values and the return value, by name without '@', as {@link ResultCursor.outputValues}. */
  readonly outputValues?: ReadonlyMap<string, unknown> | undefined;
}

/**
 * Where a provider delivers a one-shot execution started with `startOnceCore`: the callback form of
 * {@link OneShotResult}, without a promise per execution. Exactly one of the two methods is called, once the session
 * is idle again (a second call, or a call after core gave up on an aborted execution, is ignored).
 */
export interface OneShotSink {
  /** The execution is over: the same three things a {@link OneShotResult} holds. */
  succeed(value: unknown, recordsAffected: number, outputValues: ReadonlyMap<string, unknown> | undefined): void;
  /** The execution failed (the provider's error; core maps it as it maps a rejected `executeOnceCore`). */
  fail(error: unknown): void;
}

/** The shape of one result: its columns (empty for a statement that returns no rows). */
export interface ResultSetHeader {
  /** The result's columns; their `dbType` decides the JS type of every value in them. */
  readonly columns: readonly DbColumn[];
}

/**
 * The results of one execution, pulled by core's reader. Implementations must stream: hold at most a bounded
 * number of rows, and fetch more from the server only when asked.
 */
export interface ResultCursor {
  /**
   * Moves to the next result (the first on the first call) and resolves its header, or null when there are no more.
   * Statements without rows (DML, DDL) produce a header with no columns.
   */
  nextResult(): Promise<ResultSetHeader | null>;
  /**
   * Resolves up to `maxRows` rows of the current result, each an array of values already converted to the JS types of
   * docs/values.md (NULL as `null`); an empty array at the end of the result.
   */
  fetch(maxRows: number): Promise<unknown[][]>;
  /** Rows changed by the DML statements completed so far, or -1 when none was DML. */
  readonly recordsAffected: number;
  /**
   * For a batch request: one entry per statement of `request.statements` completed so far, in order — the rows it
   * changed, or -1 when it was not DML. Its length is also how core knows which command an error belongs to (the
   * failing statement is the first one without an entry). Required of providers whose `batchExecution` is
   * `'single-round-trip'`; ignored otherwise.
   */
  readonly recordsAffectedByStatement?: readonly number[];
  /** Output parameter values (by name, without '@') and the return value, once every result has been consumed. */
  readonly outputValues?: ReadonlyMap<string, unknown>;
  /**
   * Discards what is left (cancelling on the server when that is cheaper than reading it), and resolves once the
   * session is idle. Called exactly once by core, also after an error or an abort.
   */
  close(): Promise<void>;
}

/** What `transactionCore` is asked to do. Savepoint names are validated identifiers. */
export type TransactionRequest =
  | { readonly kind: 'begin'; readonly isolationLevel: IsolationLevel }
  | { readonly kind: 'commit' }
  | { readonly kind: 'rollback'; readonly savepoint?: string }
  | { readonly kind: 'save'; readonly savepoint: string }
  | { readonly kind: 'release'; readonly savepoint: string };

/** A server notice, warning or PRINT message, raised as the connection's `infoMessage` event. */
export interface InfoMessage {
  readonly message: string;
  /** 'notice', 'warning', 'info', … as the engine calls it. */
  readonly severity?: string | number;
  /** SQLSTATE or the engine's code. */
  readonly code?: string | number;
  readonly source?: string;
}
