import type { DbBatchCommand } from '../contracts/db-batch-command.js';
import { batchCommandOf } from './error-batch-command.js';

/**
 * The error hierarchy of asyncdb (docs/errors.md). Every provider throws these classes, so one
 * `catch` works the same on every engine; the driver's own error is kept as `cause`.
 */

/** Options common to every asyncdb error. */
export interface AsyncDbErrorOptions {
  /** The underlying error (driver error, nested failure). */
  readonly cause?: unknown;
}

/** Base of every error asyncdb throws on purpose. */
export class AsyncDbError extends Error {
  constructor(message: string, options: AsyncDbErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
  }
}

/** The category of a server or connection failure, the same words on every provider. */
export const DbErrorCategory = {
  UniqueViolation: 'unique_violation',
  ForeignKeyViolation: 'foreign_key_violation',
  NotNullViolation: 'not_null_violation',
  CheckViolation: 'check_violation',
  SerializationFailure: 'serialization_failure',
  Deadlock: 'deadlock',
  LockTimeout: 'lock_timeout',
  QueryCanceled: 'query_canceled',
  ConnectionFailure: 'connection_failure',
  SyntaxError: 'syntax_error',
  UndefinedObject: 'undefined_object',
  PermissionDenied: 'permission_denied',
  DataException: 'data_exception',
  Other: 'other',
} as const;
/** One of the {@link DbErrorCategory} values. */
export type DbErrorCategory = (typeof DbErrorCategory)[keyof typeof DbErrorCategory];

/** Categories worth retrying: the same statement may succeed when run again. */
const TRANSIENT_CATEGORIES: ReadonlySet<DbErrorCategory> = new Set<DbErrorCategory>([
  DbErrorCategory.SerializationFailure,
  DbErrorCategory.Deadlock,
  DbErrorCategory.LockTimeout,
  DbErrorCategory.ConnectionFailure,
]);

/** What a provider's error converter knows about a server or connection failure. */
export interface DbErrorOptions extends AsyncDbErrorOptions {
  /** The five-character SQLSTATE, where the engine has one. */
  readonly sqlState?: string | undefined;
  /** The engine's own error code or number (e.g. MySQL errno, SQL Server error number). */
  readonly providerCode?: string | number | undefined;
  /** The portable category. Defaults to `other`. */
  readonly category?: DbErrorCategory;
  /** Whether retrying may succeed. Defaults to true for deadlocks, serialization failures, lock timeouts and lost connections. */
  readonly isTransient?: boolean;
  /** The provider invariant name (`pg`, `mysql`, `mssql`, …). */
  readonly providerName?: string;
  /** Server-reported severity (SQL Server class, PostgreSQL severity), where known. */
  readonly severity?: string | number | undefined;
}

/** A failure reported by the server or the connection to it. Mirrors ADO.NET's `DbException`. */
export class DbError extends AsyncDbError {
  /** The five-character SQLSTATE, where the engine has one. */
  readonly sqlState: string | undefined;
  /** The engine's own error code or number. */
  readonly providerCode: string | number | undefined;
  /** The portable category. */
  readonly category: DbErrorCategory;
  /** Whether the same operation may succeed if retried. Mirrors `DbException.IsTransient`. */
  readonly isTransient: boolean;
  /** The provider invariant name. */
  readonly providerName: string;
  /** Server-reported severity, where known. */
  readonly severity: string | number | undefined;

  constructor(message: string, options: DbErrorOptions = {}) {
    super(message, options);
    this.sqlState = options.sqlState;
    this.providerCode = options.providerCode;
    this.category = options.category ?? DbErrorCategory.Other;
    this.isTransient = options.isTransient ?? TRANSIENT_CATEGORIES.has(this.category);
    this.providerName = options.providerName ?? 'unknown';
    this.severity = options.severity;
  }

  /**
   * The command of a `DbBatch` that failed, when the error comes from one; else null. Mirrors
   * `DbException.BatchCommand`. Not an own property, so logging the error never prints the command's parameters.
   */
  get batchCommand(): DbBatchCommand | null {
    return batchCommandOf(this);
  }
}

/** Which deadline expired. */
export type DbTimeoutKind = 'command' | 'connect' | 'pool';

/** A deadline expired: the command timeout, the connect timeout, or the wait for a pooled connection. */
export class DbTimeoutError extends DbError {
  /** Which deadline expired. */
  readonly kind: DbTimeoutKind;
  constructor(message: string, kind: DbTimeoutKind, options: DbErrorOptions = {}) {
    super(message, {
      category: kind === 'command' ? DbErrorCategory.QueryCanceled : DbErrorCategory.ConnectionFailure,
      isTransient: true,
      ...options,
    });
    this.kind = kind;
  }
}

/** The operation was canceled by `cancel()`, `abort()` or an `AbortSignal`. */
export class OperationCanceledError extends AsyncDbError {
  /** The `AbortSignal.reason`, when a signal caused the cancellation. */
  readonly reason: unknown;
  constructor(message = 'Operation cancelled by user.', options: AsyncDbErrorOptions & { reason?: unknown } = {}) {
    super(message, options);
    this.reason = options.reason;
  }
}

/** The call is not valid in the object's current state. Mirrors `InvalidOperationException`. */
export class InvalidOperationError extends AsyncDbError {}

/** An argument is not valid. Mirrors `ArgumentException`. */
export class ArgumentError extends AsyncDbError {
  /** The name of the offending argument, when there is one. */
  readonly paramName: string | undefined;
  constructor(message: string, paramName?: string, options: AsyncDbErrorOptions = {}) {
    super(message, options);
    this.paramName = paramName;
  }
}

/** An ordinal or index is outside the valid range. Mirrors `IndexOutOfRangeException`. */
export class IndexOutOfRangeError extends ArgumentError {}

/** A connection string is malformed, names an unknown keyword, or has an invalid value. */
export class ConnectionStringError extends ArgumentError {
  /** Zero-based character position of a syntax error or of the pair at fault, when known. */
  readonly position: number | undefined;
  /**
   * The keyword at fault, only when it is one the builder knows (its canonical name): an unknown or malformed key
   * is never copied here, since it may be part of a password (`Password:s3cret;…`).
   */
  readonly keyword: string | undefined;
  constructor(
    message: string,
    options: AsyncDbErrorOptions & { position?: number; keyword?: string; paramName?: string } = {},
  ) {
    super(message, options.paramName ?? options.keyword, options);
    this.position = options.position;
    this.keyword = options.keyword;
  }
}

/** A value cannot be converted to the requested type. Mirrors `InvalidCastException`. */
export class InvalidCastError extends AsyncDbError {}

/** A value does not fit the requested type. Mirrors `OverflowException`. */
export class OverflowError extends AsyncDbError {}

/** The provider does not support this operation. Mirrors `NotSupportedException`. */
export class NotSupportedError extends AsyncDbError {}

/** No provider is registered under the requested invariant name. */
export class ProviderNotFoundError extends ArgumentError {}
