/**
 * A T-SQL error the engine raises itself (parse errors, unknown variables, unsupported syntax), carrying the
 * SQL Server error number, severity and the 1-based line in the batch, so it can become an ERROR token.
 */
export class TsqlError extends Error {
  constructor(
    /** SQL Server error number, e.g. 102 (incorrect syntax) or 137 (undeclared variable). */
    readonly number: number,
    message: string,
    /** 1-based line in the batch or procedure. */
    readonly lineNumber: number,
    /** Severity; syntax and name-resolution errors are 15 in SQL Server, most others 16. */
    readonly severity: number = number === 102 || number === 105 || number === 137 || number === 113 ? 15 : 16,
    readonly state: number = 1,
  ) {
    super(message);
    this.name = 'TsqlError';
  }
}

/** The error SQL Server reports for a construct the test server does not implement. */
export function unsupported(what: string, line: number): TsqlError {
  return new TsqlError(50000, `${what} is not supported by the TDS test server.`, line);
}
