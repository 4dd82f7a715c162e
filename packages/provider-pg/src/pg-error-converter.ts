import { AsyncDbError, DbError, DbErrorCategory } from '@asyncdb/core';
import type { PgNoticeFields } from './pg-client.js';

/**
 * Maps a SQLSTATE to the portable category. Codes and classes are those of the PostgreSQL error codes appendix,
 * {@link https://www.postgresql.org/docs/current/errcodes-appendix.html}.
 */
export function categoryOfSqlState(sqlState: string): DbErrorCategory {
  switch (sqlState) {
    case '23505': // unique_violation
      return DbErrorCategory.UniqueViolation;
    case '23503': // foreign_key_violation
      return DbErrorCategory.ForeignKeyViolation;
    case '23502': // not_null_violation
      return DbErrorCategory.NotNullViolation;
    case '23514': // check_violation
      return DbErrorCategory.CheckViolation;
    case '40001': // serialization_failure
      return DbErrorCategory.SerializationFailure;
    case '40P01': // deadlock_detected
      return DbErrorCategory.Deadlock;
    case '55P03': // lock_not_available (lock_timeout, NOWAIT)
      return DbErrorCategory.LockTimeout;
    case '57014': // query_canceled (CancelRequest, statement_timeout)
      return DbErrorCategory.QueryCanceled;
    case '57P01': // admin_shutdown (pg_terminate_backend, fast shutdown)
    case '57P02': // crash_shutdown
    case '57P03': // cannot_connect_now (starting up, recovery)
    case '57P04': // database_dropped
    case '53300': // too_many_connections
      return DbErrorCategory.ConnectionFailure;
    case '42501': // insufficient_privilege
      return DbErrorCategory.PermissionDenied;
    case '42P01': // undefined_table
    case '42703': // undefined_column
    case '42883': // undefined_function
    case '42704': // undefined_object
    case '42P02': // undefined_parameter
    case '3D000': // invalid_catalog_name (database does not exist)
    case '3F000': // invalid_schema_name
      return DbErrorCategory.UndefinedObject;
    case '42710': // duplicate_object
    case '42712': // duplicate_alias
    case '42723': // duplicate_function
    case '42P03': // duplicate_cursor
    case '42P04': // duplicate_database
    case '42P05': // duplicate_prepared_statement
    case '42P06': // duplicate_schema
    case '42P07': // duplicate_table
    case '42701': // duplicate_column
      return DbErrorCategory.Other;
  }
  switch (sqlState.slice(0, 2)) {
    case '08': // Class 08 — Connection Exception
      return DbErrorCategory.ConnectionFailure;
    case '22': // Class 22 — Data Exception
      return DbErrorCategory.DataException;
    case '28': // Class 28 — Invalid Authorization Specification (bad password, no pg_hba entry)
      return DbErrorCategory.PermissionDenied;
    case '42': // Class 42 — Syntax Error or Access Rule Violation (42601 syntax_error, 42804 datatype_mismatch…)
      return DbErrorCategory.SyntaxError;
    default:
      return DbErrorCategory.Other;
  }
}

/** True for an error PostgreSQL sent (ErrorResponse), as opposed to a socket or client-side failure. */
export function isServerError(error: unknown): error is Error & PgNoticeFields & { code: string } {
  return (
    error instanceof Error &&
    typeof (error as { code?: unknown }).code === 'string' &&
    /^[0-9A-Z]{5}$/.test((error as unknown as { code: string }).code) &&
    typeof (error as { severity?: unknown }).severity === 'string'
  );
}

function scrub(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) if (secret !== '') result = result.split(secret).join('*****');
  return result;
}

/**
 * Converts whatever `pg` (or the socket under it) threw into a {@link DbError}: server errors keep their SQLSTATE
 * (`sqlState` and `providerCode`), severity and category; socket and protocol failures become `connection_failure`
 * with the Node error code (`ECONNREFUSED`…) as `providerCode`. The original is kept as `cause`. `secrets` (the
 * password) are blanked from the message, whatever produced it.
 */
export function toDbError(error: unknown, secrets: readonly string[] = []): DbError {
  if (error instanceof AsyncDbError && error instanceof DbError) return error;
  if (isServerError(error)) {
    const sqlState = error.code;
    return new DbError(scrub(error.message, secrets), {
      cause: error,
      sqlState,
      providerCode: sqlState,
      category: categoryOfSqlState(sqlState),
      severity: error.severity,
      providerName: 'pg',
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  const code = error instanceof Error ? (error as { code?: unknown }).code : undefined;
  // Node socket errors carry a code (ECONNREFUSED, ECONNRESET…); pg's own connection failures only a message.
  const connection = typeof code === 'string' || CONNECTION_MESSAGE.test(message);
  return new DbError(scrub(message, secrets), {
    cause: error,
    providerCode: typeof code === 'string' || typeof code === 'number' ? code : undefined,
    category: connection ? DbErrorCategory.ConnectionFailure : DbErrorCategory.Other,
    providerName: 'pg',
  });
}

const CONNECTION_MESSAGE = /connection|terminated|timeout expired|not queryable|socket|SSL|TLS|certificate/i;
