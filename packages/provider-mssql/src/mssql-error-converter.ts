import { AsyncDbError, DbError, DbErrorCategory } from '@asyncdb/core';

/**
 * SQL Server errors → asyncdb errors, in one place. SQL Server has no SQLSTATE in TDS (tedious exposes the error
 * number, state and class), so the SQLSTATE below is ours: the one the Microsoft ODBC Driver for SQL Server reports
 * for the number where it is specific, else the ISO/ODBC class that describes it. Numbers not in the table get
 * `HY000` (general error) and category `other`.
 *
 * @see https://learn.microsoft.com/sql/relational-databases/errors-events/database-engine-events-and-errors
 * @see https://learn.microsoft.com/sql/odbc/reference/appendixes/appendix-a-odbc-error-codes
 */

/** What one SQL Server error number maps to. */
export interface MssqlErrorMapping {
  readonly category: DbErrorCategory;
  readonly sqlState: string;
  /** Overrides the category's default transience (e.g. Azure SQL's "retry later" errors). */
  readonly isTransient?: boolean;
}

const map = (category: DbErrorCategory, sqlState: string, isTransient?: boolean): MssqlErrorMapping =>
  isTransient === undefined ? { category, sqlState } : { category, sqlState, isTransient };

const C = DbErrorCategory;

/** The documented table: SQL Server error number → category and SQLSTATE. */
export const MSSQL_ERROR_MAP: ReadonlyMap<number, MssqlErrorMapping> = new Map<number, MssqlErrorMapping>([
  // Integrity constraints (class 23).
  [2627, map(C.UniqueViolation, '23000')], // Violation of PRIMARY KEY / UNIQUE KEY constraint
  [2601, map(C.UniqueViolation, '23000')], // Cannot insert duplicate key row … with unique index
  [547, map(C.ForeignKeyViolation, '23000')], // conflicted with the FOREIGN KEY / REFERENCE / CHECK constraint (see below)
  [515, map(C.NotNullViolation, '23000')], // Cannot insert the value NULL into column …
  [544, map(C.Other, '23000')], // Cannot insert explicit value for identity column
  // Concurrency.
  [1205, map(C.Deadlock, '40001')], // Transaction was deadlocked … and has been chosen as the deadlock victim
  [1222, map(C.LockTimeout, 'HYT00')], // Lock request time out period exceeded
  [3960, map(C.SerializationFailure, '40001')], // Snapshot isolation transaction aborted due to update conflict
  [41302, map(C.SerializationFailure, '40001')], // In-memory OLTP: update conflict
  [41305, map(C.SerializationFailure, '40001')], // In-memory OLTP: repeatable read validation failure
  [41325, map(C.SerializationFailure, '40001')], // In-memory OLTP: serializable validation failure
  // Cancellation.
  [3980, map(C.QueryCanceled, '57014')], // The request failed to run because the batch is aborted (abort sent by the client)
  // Syntax and access rules (class 42).
  [102, map(C.SyntaxError, '42000')], // Incorrect syntax near …
  [105, map(C.SyntaxError, '42000')], // Unclosed quotation mark
  [156, map(C.SyntaxError, '42000')], // Incorrect syntax near the keyword …
  [170, map(C.SyntaxError, '42000')], // Line n: Incorrect syntax near …
  [319, map(C.SyntaxError, '42000')], // Incorrect syntax near the keyword 'with'
  [137, map(C.UndefinedObject, '42000')], // Must declare the scalar variable …
  [207, map(C.UndefinedObject, '42S22')], // Invalid column name
  [208, map(C.UndefinedObject, '42S02')], // Invalid object name
  [2812, map(C.UndefinedObject, '42000')], // Could not find stored procedure
  [4121, map(C.UndefinedObject, '42000')], // Cannot find either column … or the user-defined function
  [195, map(C.UndefinedObject, '42000')], // … is not a recognized built-in function name
  [911, map(C.UndefinedObject, '42000')], // Database … does not exist (USE)
  [2714, map(C.Other, '42S01')], // There is already an object named … in the database
  [229, map(C.PermissionDenied, '42000')], // The … permission was denied on the object
  [230, map(C.PermissionDenied, '42000')], // The … permission was denied on the column
  [262, map(C.PermissionDenied, '42000')], // … permission denied in database
  [297, map(C.PermissionDenied, '42000')], // The user does not have permission to perform this action
  [300, map(C.PermissionDenied, '42000')], // … permission was denied on object
  // Login (class 28).
  [18456, map(C.PermissionDenied, '28000')], // Login failed for user
  [18452, map(C.PermissionDenied, '28000')], // Login is from an untrusted domain
  [18486, map(C.PermissionDenied, '28000')], // Account is locked out
  [18487, map(C.PermissionDenied, '28000')], // Password has expired
  [18488, map(C.PermissionDenied, '28000')], // Password must be changed
  [4060, map(C.PermissionDenied, '28000', true)], // Cannot open database requested by the login (transient on Azure SQL)
  // Data exceptions (class 22).
  [220, map(C.DataException, '22003')], // Arithmetic overflow error for data type
  [232, map(C.DataException, '22003')], // Arithmetic overflow error for type …, value = …
  [8115, map(C.DataException, '22003')], // Arithmetic overflow error converting … to data type
  [517, map(C.DataException, '22008')], // Adding a value to a 'datetime' column caused an overflow
  [8134, map(C.DataException, '22012')], // Divide by zero error encountered
  [241, map(C.DataException, '22007')], // Conversion failed when converting date and/or time from character string
  [242, map(C.DataException, '22008')], // Conversion … resulted in an out-of-range value
  [245, map(C.DataException, '22018')], // Conversion failed when converting the … value … to data type
  [257, map(C.DataException, '22018')], // Implicit conversion from data type … to … is not allowed
  [8114, map(C.DataException, '22018')], // Error converting data type … to …
  [8169, map(C.DataException, '22018')], // Conversion failed when converting from a character string to uniqueidentifier
  [8152, map(C.DataException, '22001')], // String or binary data would be truncated
  [2628, map(C.DataException, '22001')], // String or binary data would be truncated in table …, column …
  // Transaction state (class 25).
  [266, map(C.Other, '25000')], // Transaction count after EXECUTE indicates a mismatching number of BEGIN and COMMIT
  [3902, map(C.Other, '25000')], // The COMMIT TRANSACTION request has no corresponding BEGIN TRANSACTION
  [3903, map(C.Other, '25000')], // The ROLLBACK TRANSACTION request has no corresponding BEGIN TRANSACTION
  [3930, map(C.Other, '25000')], // The current transaction cannot be committed (uncommittable transaction)
  // Network-level errors some servers and proxies report with a number.
  [233, map(C.ConnectionFailure, '08S01')], // No process is on the other end of the pipe
  [596, map(C.ConnectionFailure, '08S01')], // Cannot continue the execution because the session is in the kill state
  [10053, map(C.ConnectionFailure, '08S01')], // Connection aborted by the software in your host machine
  [10054, map(C.ConnectionFailure, '08S01')], // Connection reset by peer
  [10060, map(C.ConnectionFailure, '08001')], // Connection timed out
  // Azure SQL "retry later" errors (the list tedious retries at login).
  [10928, map(C.Other, 'HY000', true)], // Resource ID … limit reached
  [10929, map(C.Other, 'HY000', true)], // Resource ID … minimum guarantee
  [40197, map(C.ConnectionFailure, '08S01')], // The service has encountered an error processing your request
  [40501, map(C.Other, 'HY000', true)], // The service is currently busy
  [40613, map(C.ConnectionFailure, '08001')], // Database … on server … is not currently available
]);

/** What unmapped server errors get. */
const GENERAL_ERROR: MssqlErrorMapping = map(C.Other, 'HY000');

/** tedious' own error codes (no server error number) → category and SQLSTATE. */
const TEDIOUS_CODE_MAP: Readonly<Record<string, MssqlErrorMapping>> = {
  ECANCEL: map(C.QueryCanceled, '57014'), // the request was cancelled (ATTENTION acknowledged)
  ETIMEOUT: map(C.ConnectionFailure, 'HYT00'), // connect timeout, or a cancel that was not acknowledged in time
  ESOCKET: map(C.ConnectionFailure, '08S01'), // socket error or server closed the connection
  ECLOSE: map(C.ConnectionFailure, '08003'), // the connection was closed
  ECONNCLOSED: map(C.ConnectionFailure, '08003'),
  EINSTLOOKUP: map(C.ConnectionFailure, '08001'), // SQL Browser did not answer for the named instance
  ELOGIN: map(C.PermissionDenied, '28000'), // login failed (18456 and friends)
  ETLS: map(C.ConnectionFailure, '08001'), // TLS negotiation failed
  EFEDAUTH: map(C.PermissionDenied, '28000'),
  EINVALIDSTATE: map(C.ConnectionFailure, '08003'), // a request on a connection that is not logged in
  EPARAM: map(C.DataException, '22023'), // tedious refused a parameter value
  EREQUEST: GENERAL_ERROR,
};

/** The shape of tedious' `RequestError` / `ConnectionError` (and of one ERROR token) that the converter reads. */
interface TediousErrorLike {
  readonly message: string;
  readonly code?: string;
  readonly number?: number;
  readonly state?: number;
  readonly class?: number;
  readonly procName?: string;
  readonly lineNumber?: number;
}

function isErrorLike(value: unknown): value is TediousErrorLike {
  return typeof value === 'object' && value !== null && typeof (value as { message?: unknown }).message === 'string';
}

/** The category and SQLSTATE of a SQL Server error number (547 needs the message: FOREIGN KEY vs CHECK). */
export function mapMssqlError(number: number, message = '', severity?: number): MssqlErrorMapping {
  if (number === 547) {
    return /\bCHECK constraint\b/i.test(message) ? map(C.CheckViolation, '23000') : map(C.ForeignKeyViolation, '23000');
  }
  const mapped = MSSQL_ERROR_MAP.get(number);
  if (mapped) return mapped;
  // Class 20 and above are fatal: the server closes the connection.
  if (severity !== undefined && severity >= 20) return map(C.ConnectionFailure, '08S01');
  return GENERAL_ERROR;
}

/**
 * Converts whatever tedious (or the network) threw into asyncdb's error hierarchy: a {@link DbError} with
 * `providerCode` = the SQL Server error number (or tedious' code, e.g. `ECANCEL`), `severity` = the error class,
 * `sqlState` and `category` from {@link MSSQL_ERROR_MAP}, `providerName` 'mssql' and the original as `cause`.
 * Several ERROR tokens (tedious' `AggregateError`) become one error: the first one's number, every message.
 * asyncdb's own errors pass through unchanged.
 */
export function toDbError(error: unknown): AsyncDbError {
  if (error instanceof AsyncDbError) return error;
  if (error instanceof AggregateError && error.errors.length > 0) {
    const first = error.errors.find(isErrorLike);
    if (first) {
      const message = error.errors
        .filter(isErrorLike)
        .map((inner) => inner.message)
        .join('\n');
      return fromErrorLike(first, message, error);
    }
  }
  if (isErrorLike(error)) return fromErrorLike(error, error.message, error);
  return new DbError(String(error), { cause: error, providerName: 'mssql' });
}

function fromErrorLike(error: TediousErrorLike, message: string, cause: unknown): DbError {
  const number = typeof error.number === 'number' ? error.number : undefined;
  const mapping =
    number !== undefined
      ? mapMssqlError(number, message, error.class)
      : (TEDIOUS_CODE_MAP[error.code ?? ''] ?? socketMapping(cause) ?? GENERAL_ERROR);
  return new DbError(message, {
    cause,
    providerName: 'mssql',
    providerCode: number ?? error.code,
    severity: error.class,
    sqlState: mapping.sqlState,
    category: mapping.category,
    ...(mapping.isTransient === undefined ? {} : { isTransient: mapping.isTransient }),
  });
}

/** Node socket errors that reached us unwrapped (ECONNREFUSED, ECONNRESET, …). */
function socketMapping(error: unknown): MssqlErrorMapping | undefined {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && /^E(CONN|HOST|NET|PIPE|ADDR|NOTFOUND|AI_)/.test(code))
    return map(C.ConnectionFailure, '08001');
  return undefined;
}
