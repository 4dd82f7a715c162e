import { AsyncDbError, DbError, DbErrorCategory } from '@asyncdb/core';

/** The fields of a mysql2 error this converter reads. */
interface MysqlDriverError {
  readonly message?: string;
  /** Server error number (ER_*), or a negative/absent value for client and network errors. */
  readonly errno?: number;
  /** `ER_DUP_ENTRY`, `ECONNRESET`, `PROTOCOL_CONNECTION_LOST`, … */
  readonly code?: string;
  readonly sqlState?: string;
  readonly sqlMessage?: string;
  readonly fatal?: boolean;
}

/**
 * Server error numbers → category. Numbers are from the MySQL and MariaDB error references
 * (https://dev.mysql.com/doc/mysql-errors/8.0/en/server-error-reference.html,
 * https://mariadb.com/kb/en/mariadb-error-codes/); where the two servers differ both are listed.
 */
const BY_ERRNO: ReadonlyMap<number, DbErrorCategory> = new Map<number, DbErrorCategory>([
  [1062, DbErrorCategory.UniqueViolation], // ER_DUP_ENTRY
  [1586, DbErrorCategory.UniqueViolation], // ER_DUP_ENTRY_WITH_KEY_NAME
  [1451, DbErrorCategory.ForeignKeyViolation], // ER_ROW_IS_REFERENCED_2
  [1452, DbErrorCategory.ForeignKeyViolation], // ER_NO_REFERENCED_ROW_2
  [1216, DbErrorCategory.ForeignKeyViolation], // ER_NO_REFERENCED_ROW
  [1217, DbErrorCategory.ForeignKeyViolation], // ER_ROW_IS_REFERENCED
  [1048, DbErrorCategory.NotNullViolation], // ER_BAD_NULL_ERROR
  [1364, DbErrorCategory.NotNullViolation], // ER_NO_DEFAULT_FOR_FIELD
  [1263, DbErrorCategory.NotNullViolation], // ER_WARN_NULL_TO_NOTNULL
  [3819, DbErrorCategory.CheckViolation], // MySQL ER_CHECK_CONSTRAINT_VIOLATED
  [4025, DbErrorCategory.CheckViolation], // MariaDB ER_CONSTRAINT_FAILED
  [1213, DbErrorCategory.Deadlock], // ER_LOCK_DEADLOCK
  [1205, DbErrorCategory.LockTimeout], // ER_LOCK_WAIT_TIMEOUT
  [3572, DbErrorCategory.LockTimeout], // MySQL ER_LOCK_NOWAIT
  [1317, DbErrorCategory.QueryCanceled], // ER_QUERY_INTERRUPTED
  [3024, DbErrorCategory.QueryCanceled], // MySQL ER_QUERY_TIMEOUT (max_execution_time)
  [1969, DbErrorCategory.QueryCanceled], // MariaDB ER_STATEMENT_TIMEOUT (max_statement_time)
  [2013, DbErrorCategory.ConnectionFailure], // CR_SERVER_LOST
  [2006, DbErrorCategory.ConnectionFailure], // CR_SERVER_GONE_ERROR
  [1927, DbErrorCategory.ConnectionFailure], // MariaDB ER_CONNECTION_KILLED
  [1053, DbErrorCategory.ConnectionFailure], // ER_SERVER_SHUTDOWN
  [1040, DbErrorCategory.ConnectionFailure], // ER_CON_COUNT_ERROR (too many connections)
  [1129, DbErrorCategory.ConnectionFailure], // ER_HOST_IS_BLOCKED
  [1064, DbErrorCategory.SyntaxError], // ER_PARSE_ERROR
  [1149, DbErrorCategory.SyntaxError], // ER_SYNTAX_ERROR
  [1146, DbErrorCategory.UndefinedObject], // ER_NO_SUCH_TABLE
  [1054, DbErrorCategory.UndefinedObject], // ER_BAD_FIELD_ERROR
  [1049, DbErrorCategory.UndefinedObject], // ER_BAD_DB_ERROR
  [1051, DbErrorCategory.UndefinedObject], // ER_BAD_TABLE_ERROR
  [1305, DbErrorCategory.UndefinedObject], // ER_SP_DOES_NOT_EXIST
  [1091, DbErrorCategory.UndefinedObject], // ER_CANT_DROP_FIELD_OR_KEY
  [1044, DbErrorCategory.PermissionDenied], // ER_DBACCESS_DENIED_ERROR
  [1045, DbErrorCategory.PermissionDenied], // ER_ACCESS_DENIED_ERROR
  [1142, DbErrorCategory.PermissionDenied], // ER_TABLEACCESS_DENIED_ERROR
  [1143, DbErrorCategory.PermissionDenied], // ER_COLUMNACCESS_DENIED_ERROR
  [1227, DbErrorCategory.PermissionDenied], // ER_SPECIFIC_ACCESS_DENIED_ERROR
  [1370, DbErrorCategory.PermissionDenied], // ER_PROCACCESS_DENIED_ERROR
  [1130, DbErrorCategory.PermissionDenied], // ER_HOST_NOT_PRIVILEGED
  [1264, DbErrorCategory.DataException], // ER_WARN_DATA_OUT_OF_RANGE
  [1366, DbErrorCategory.DataException], // ER_TRUNCATED_WRONG_VALUE_FOR_FIELD
  [1406, DbErrorCategory.DataException], // ER_DATA_TOO_LONG
  [1265, DbErrorCategory.DataException], // WARN_DATA_TRUNCATED
  [1292, DbErrorCategory.DataException], // ER_TRUNCATED_WRONG_VALUE
  [1365, DbErrorCategory.DataException], // ER_DIVISION_BY_ZERO
  [1690, DbErrorCategory.DataException], // ER_DATA_OUT_OF_RANGE
  [3140, DbErrorCategory.DataException], // MySQL ER_INVALID_JSON_TEXT
  [4038, DbErrorCategory.DataException], // MariaDB ER_JSON_SYNTAX
]);

/** Client-side codes mysql2 and Node put on network failures. */
const CONNECTION_CODES: ReadonlySet<string> = new Set([
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'PROTOCOL_ERROR',
  'PROTOCOL_UNEXPECTED_PACKET',
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'HANDSHAKE_SSL_ERROR',
  'HANDSHAKE_NO_SSL_SUPPORT',
]);

/** The SQLSTATE class decides when the number is not in the table. */
function categoryOfSqlState(sqlState: string | undefined): DbErrorCategory {
  if (!sqlState) return DbErrorCategory.Other;
  if (sqlState === '40001') return DbErrorCategory.Deadlock;
  if (sqlState === '70100') return DbErrorCategory.QueryCanceled;
  if (sqlState === '42000') return DbErrorCategory.SyntaxError;
  switch (sqlState.slice(0, 2)) {
    case '08':
      return DbErrorCategory.ConnectionFailure;
    case '22':
      return DbErrorCategory.DataException;
    case '28':
      return DbErrorCategory.PermissionDenied;
    case '42':
      return DbErrorCategory.UndefinedObject;
    default:
      return DbErrorCategory.Other;
  }
}

/** The category of a mysql2 error: its errno first, then its network code, then its SQLSTATE class. */
export function mysqlErrorCategory(error: MysqlDriverError): DbErrorCategory {
  const byNumber = typeof error.errno === 'number' ? BY_ERRNO.get(error.errno) : undefined;
  if (byNumber) return byNumber;
  if (error.code && CONNECTION_CODES.has(error.code)) return DbErrorCategory.ConnectionFailure;
  // A fatal error with a client code (PROTOCOL_*, socket codes) is the connection failing. A fatal error with no code
  // and no errno is an exception mysql2 threw while handling a packet (its row parser refusing a column name, a
  // converter bug): it happens again on every retry, so it is `other`, never transient (issue 13 item 4).
  if (error.fatal === true && error.sqlState === undefined && error.code !== undefined) {
    return DbErrorCategory.ConnectionFailure;
  }
  return categoryOfSqlState(error.sqlState);
}

/**
 * Converts whatever mysql2 (or the socket under it) threw into a {@link DbError} with `sqlState`, `providerCode`
 * (the server's errno, else the client code), `category` and the original as `cause`. asyncdb errors pass through.
 * `secrets` (the password) are masked in the message, as a last line of defence.
 */
export function toDbError(error: unknown, secrets: readonly string[] = []): Error {
  if (error instanceof AsyncDbError) return error;
  const driverError = (typeof error === 'object' && error !== null ? error : {}) as MysqlDriverError;
  let message = driverError.sqlMessage ?? driverError.message ?? String(error);
  for (const secret of secrets) if (secret.length > 0) message = message.split(secret).join('*****');
  const hasServerNumber =
    typeof driverError.errno === 'number' && driverError.errno > 0 && driverError.sqlState !== undefined;
  return new DbError(message, {
    cause: error,
    sqlState: driverError.sqlState,
    providerCode: hasServerNumber ? driverError.errno : (driverError.code ?? driverError.errno),
    category: mysqlErrorCategory(driverError),
    providerName: 'mysql',
  });
}
