import { DbError, DbErrorCategory } from '@asyncdb/core';

/** The SQLite error as the worker reports it: libsql's code (`SQLITE_CONSTRAINT_UNIQUE`) and extended result code. */
interface SqliteErrorLike {
  readonly message: string;
  readonly code?: string | undefined;
  readonly rawCode?: number | undefined;
}

/**
 * The category of a SQLite result code ({@link https://www.sqlite.org/rescode.html}). SQLITE_ERROR covers syntax
 * errors and missing objects alike, so for it the message decides.
 */
export function categoryOfSqliteError(code: string | undefined, message: string): DbErrorCategory {
  switch (code) {
    case 'SQLITE_CONSTRAINT_UNIQUE':
    case 'SQLITE_CONSTRAINT_PRIMARYKEY':
    case 'SQLITE_CONSTRAINT_ROWID':
      return DbErrorCategory.UniqueViolation;
    case 'SQLITE_CONSTRAINT_FOREIGNKEY':
      return DbErrorCategory.ForeignKeyViolation;
    case 'SQLITE_CONSTRAINT_NOTNULL':
      return DbErrorCategory.NotNullViolation;
    case 'SQLITE_CONSTRAINT_CHECK':
      return DbErrorCategory.CheckViolation;
    case 'SQLITE_INTERRUPT':
      return DbErrorCategory.QueryCanceled;
    case 'SQLITE_CANTOPEN':
    case 'SQLITE_CANTOPEN_ISDIR':
    case 'SQLITE_CANTOPEN_FULLPATH':
    case 'SQLITE_NOTADB':
    case 'SQLITE_IOERR':
      return DbErrorCategory.ConnectionFailure;
    case 'SQLITE_AUTH':
    case 'SQLITE_PERM':
    case 'SQLITE_READONLY':
      return DbErrorCategory.PermissionDenied;
    case 'SQLITE_MISMATCH':
    case 'SQLITE_TOOBIG':
    case 'SQLITE_RANGE':
    case 'SQLITE_CONSTRAINT_DATATYPE':
      return DbErrorCategory.DataException;
  }
  if (code?.startsWith('SQLITE_BUSY') || code?.startsWith('SQLITE_LOCKED')) return DbErrorCategory.LockTimeout;
  if (code?.startsWith('SQLITE_CANTOPEN') || code?.startsWith('SQLITE_IOERR')) return DbErrorCategory.ConnectionFailure;
  if (code?.startsWith('SQLITE_READONLY')) return DbErrorCategory.PermissionDenied;
  if (code === 'SQLITE_ERROR' || code === undefined) {
    if (/syntax error|incomplete input|unrecognized token/i.test(message)) return DbErrorCategory.SyntaxError;
    if (/no such (table|column|function|index|view|savepoint)/i.test(message)) return DbErrorCategory.UndefinedObject;
  }
  return DbErrorCategory.Other;
}

/** A SQLite error as a core `DbError`: category from the result code, the code as `providerCode`, the original as `cause`. */
export function toDbError(error: SqliteErrorLike): DbError {
  return new DbError(error.message, {
    providerCode: error.code ?? error.rawCode ?? 'SQLITE_ERROR',
    category: categoryOfSqliteError(error.code, error.message),
    providerName: 'sqlite',
    cause: error,
  });
}
