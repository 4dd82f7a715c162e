import { describe, expect, it } from 'vitest';
import { DbError, DbErrorCategory as C, InvalidOperationError } from '@asyncdb/core';
import { mapMssqlError, MSSQL_ERROR_MAP, toDbError } from './mssql-error-converter.js';

/** An error shaped like tedious' RequestError for one ERROR token. */
function requestError(number: number, message: string, severity = 16): Error {
  return Object.assign(new Error(message), { code: 'EREQUEST', number, state: 1, class: severity });
}

describe('toDbError', () => {
  it.each([
    [
      2627,
      "Violation of PRIMARY KEY constraint 'pk'. Cannot insert duplicate key in object 'dbo.t'.",
      C.UniqueViolation,
      '23000',
    ],
    [2601, "Cannot insert duplicate key row in object 'dbo.t' with unique index 'ix'.", C.UniqueViolation, '23000'],
    [
      547,
      'The INSERT statement conflicted with the FOREIGN KEY constraint "fk". The conflict occurred in database "db".',
      C.ForeignKeyViolation,
      '23000',
    ],
    [547, 'The DELETE statement conflicted with the REFERENCE constraint "fk".', C.ForeignKeyViolation, '23000'],
    [547, 'The INSERT statement conflicted with the CHECK constraint "ck".', C.CheckViolation, '23000'],
    [
      515,
      "Cannot insert the value NULL into column 'x', table 'db.dbo.t'; column does not allow nulls. INSERT fails.",
      C.NotNullViolation,
      '23000',
    ],
    [1205, 'Transaction (Process ID 52) was deadlocked on lock resources with another process.', C.Deadlock, '40001'],
    [1222, 'Lock request time out period exceeded.', C.LockTimeout, 'HYT00'],
    [3960, 'Snapshot isolation transaction aborted due to update conflict.', C.SerializationFailure, '40001'],
    [3980, 'The request failed to run because the batch is aborted.', C.QueryCanceled, '57014'],
    [102, "Incorrect syntax near 'SELEC'.", C.SyntaxError, '42000'],
    [156, "Incorrect syntax near the keyword 'FROM'.", C.SyntaxError, '42000'],
    [208, "Invalid object name 'nope'.", C.UndefinedObject, '42S02'],
    [207, "Invalid column name 'nope'.", C.UndefinedObject, '42S22'],
    [2812, "Could not find stored procedure 'nope'.", C.UndefinedObject, '42000'],
    [229, 'The SELECT permission was denied on the object.', C.PermissionDenied, '42000'],
    [262, 'CREATE TABLE permission denied in database.', C.PermissionDenied, '42000'],
    [18456, "Login failed for user 'sa'.", C.PermissionDenied, '28000'],
    [8115, 'Arithmetic overflow error converting expression to data type int.', C.DataException, '22003'],
    [220, 'Arithmetic overflow error for data type tinyint, value = 256.', C.DataException, '22003'],
    [8134, 'Divide by zero error encountered.', C.DataException, '22012'],
    [245, "Conversion failed when converting the varchar value 'x' to data type int.", C.DataException, '22018'],
    [8114, 'Error converting data type nvarchar to numeric.', C.DataException, '22018'],
    [8152, 'String or binary data would be truncated.', C.DataException, '22001'],
    [596, 'Cannot continue the execution because the session is in the kill state.', C.ConnectionFailure, '08S01'],
  ])('%i → %s', (number, message, category, sqlState) => {
    const error = toDbError(requestError(number, message));
    expect(error).toBeInstanceOf(DbError);
    expect(error).toMatchObject({
      category,
      sqlState,
      providerCode: number,
      severity: 16,
      providerName: 'mssql',
      message,
    });
    expect((error as DbError).cause).toBeInstanceOf(Error);
  });

  it('maps unknown numbers to HY000 / other, and fatal classes to connection_failure', () => {
    expect(toDbError(requestError(50000, 'custom RAISERROR'))).toMatchObject({
      category: C.Other,
      sqlState: 'HY000',
      providerCode: 50000,
    });
    expect(toDbError(requestError(9999, 'fatal', 20))).toMatchObject({
      category: C.ConnectionFailure,
      sqlState: '08S01',
    });
  });

  it('marks deadlocks, lock timeouts and lost connections transient, constraint violations not', () => {
    expect((toDbError(requestError(1205, 'deadlock')) as DbError).isTransient).toBe(true);
    expect((toDbError(requestError(1222, 'lock')) as DbError).isTransient).toBe(true);
    expect((toDbError(requestError(40501, 'busy')) as DbError).isTransient).toBe(true);
    expect((toDbError(requestError(2627, 'dup')) as DbError).isTransient).toBe(false);
  });

  it('joins the messages of several ERROR tokens and keeps the first number', () => {
    const aggregate = new AggregateError([
      requestError(2627, 'Violation of UNIQUE KEY constraint.'),
      requestError(3621, 'The statement has been terminated.'),
    ]);
    expect(toDbError(aggregate)).toMatchObject({
      providerCode: 2627,
      category: C.UniqueViolation,
      message: 'Violation of UNIQUE KEY constraint.\nThe statement has been terminated.',
      cause: aggregate,
    });
  });

  it.each([
    ['ECANCEL', 'Canceled.', C.QueryCanceled, '57014'],
    ['ESOCKET', 'Connection lost - read ECONNRESET', C.ConnectionFailure, '08S01'],
    ['ETIMEOUT', 'Failed to connect to db:1433 in 15000ms', C.ConnectionFailure, 'HYT00'],
    ['ELOGIN', "Login failed for user 'sa'.", C.PermissionDenied, '28000'],
    ['EINSTLOOKUP', 'Failed to get response from SQL Server Browser on db', C.ConnectionFailure, '08001'],
    ['EPARAM', "Validation failed for parameter 'x'. Invalid number.", C.DataException, '22023'],
  ])('tedious %s → %s', (code, message, category, sqlState) => {
    expect(toDbError(Object.assign(new Error(message), { code }))).toMatchObject({
      providerCode: code,
      category,
      sqlState,
    });
  });

  it('maps bare socket errors to connection_failure', () => {
    expect(
      toDbError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' })),
    ).toMatchObject({
      category: C.ConnectionFailure,
      sqlState: '08001',
    });
  });

  it("passes asyncdb's own errors through unchanged", () => {
    const error = new InvalidOperationError('no');
    expect(toDbError(error)).toBe(error);
  });

  it('documents every entry with a five-character SQLSTATE', () => {
    for (const [number, mapping] of MSSQL_ERROR_MAP) {
      expect(mapping.sqlState, String(number)).toMatch(/^[0-9A-Z]{5}$/);
      expect(Object.values(C)).toContain(mapping.category);
    }
    expect(mapMssqlError(547, 'conflicted with the CHECK constraint "c"').category).toBe(C.CheckViolation);
  });
});
