import { DbError, DbErrorCategory, DbTimeoutError } from '@asyncdb/core';
import { describe, expect, it } from 'vitest';
import { mysqlErrorCategory, toDbError } from './mysql-error-converter.js';

function serverError(errno: number, sqlState: string, message = 'server says no'): Error {
  return Object.assign(new Error(message), { errno, sqlState, sqlMessage: message, code: 'ER_X' });
}

describe('mysqlErrorCategory', () => {
  it.each([
    [1062, '23000', DbErrorCategory.UniqueViolation],
    [1451, '23000', DbErrorCategory.ForeignKeyViolation],
    [1452, '23000', DbErrorCategory.ForeignKeyViolation],
    [1048, '23000', DbErrorCategory.NotNullViolation],
    [1364, 'HY000', DbErrorCategory.NotNullViolation],
    [3819, 'HY000', DbErrorCategory.CheckViolation],
    [4025, '23000', DbErrorCategory.CheckViolation],
    [1213, '40001', DbErrorCategory.Deadlock],
    [1205, 'HY000', DbErrorCategory.LockTimeout],
    [1317, '70100', DbErrorCategory.QueryCanceled],
    [2013, 'HY000', DbErrorCategory.ConnectionFailure],
    [2006, 'HY000', DbErrorCategory.ConnectionFailure],
    [1064, '42000', DbErrorCategory.SyntaxError],
    [1146, '42S02', DbErrorCategory.UndefinedObject],
    [1054, '42S22', DbErrorCategory.UndefinedObject],
    [1044, '42000', DbErrorCategory.PermissionDenied],
    [1045, '28000', DbErrorCategory.PermissionDenied],
    [1142, '42000', DbErrorCategory.PermissionDenied],
    [1264, '22003', DbErrorCategory.DataException],
    [1366, '22007', DbErrorCategory.DataException],
    [1406, '22001', DbErrorCategory.DataException],
  ])('maps errno %i to %s', (errno, sqlState, category) => {
    expect(mysqlErrorCategory({ errno, sqlState })).toBe(category);
  });

  it.each(['ECONNRESET', 'ECONNREFUSED', 'PROTOCOL_CONNECTION_LOST', 'ETIMEDOUT', 'EPIPE'])(
    'maps %s to connection_failure',
    (code) => {
      expect(mysqlErrorCategory({ code, errno: -1 })).toBe(DbErrorCategory.ConnectionFailure);
    },
  );

  it('falls back to the SQLSTATE class for unlisted numbers', () => {
    expect(mysqlErrorCategory({ errno: 9999, sqlState: '22012' })).toBe(DbErrorCategory.DataException);
    expect(mysqlErrorCategory({ errno: 9999, sqlState: '08S01' })).toBe(DbErrorCategory.ConnectionFailure);
    expect(mysqlErrorCategory({ errno: 9999, sqlState: 'HY000' })).toBe(DbErrorCategory.Other);
  });
});

describe('toDbError', () => {
  it('keeps SQLSTATE, errno, message and the original as cause', () => {
    const original = serverError(1062, '23000', "Duplicate entry '1' for key 'PRIMARY'");
    const error = toDbError(original) as DbError;
    expect(error).toBeInstanceOf(DbError);
    expect(error.message).toBe("Duplicate entry '1' for key 'PRIMARY'");
    expect(error.sqlState).toBe('23000');
    expect(error.providerCode).toBe(1062);
    expect(error.category).toBe(DbErrorCategory.UniqueViolation);
    expect(error.isTransient).toBe(false);
    expect(error.providerName).toBe('mysql');
    expect(error.cause).toBe(original);
  });

  it('marks deadlocks, lock timeouts and lost connections transient', () => {
    expect((toDbError(serverError(1213, '40001')) as DbError).isTransient).toBe(true);
    expect((toDbError(serverError(1205, 'HY000')) as DbError).isTransient).toBe(true);
    const lost = toDbError(
      Object.assign(new Error('Connection lost'), { code: 'PROTOCOL_CONNECTION_LOST', fatal: true }),
    ) as DbError;
    expect(lost.isTransient).toBe(true);
    expect(lost.providerCode).toBe('PROTOCOL_CONNECTION_LOST');
    expect(lost.sqlState).toBeUndefined();
  });

  it('makes an exception mysql2 threw handling a packet (fatal, no code, no errno) other and never transient', () => {
    const thrown = Object.assign(new Error("The field name (x) can't be the same as an object's private property."), {
      fatal: true,
    });
    expect(mysqlErrorCategory(thrown)).toBe(DbErrorCategory.Other);
    expect((toDbError(thrown) as DbError).isTransient).toBe(false);
  });

  it('passes asyncdb errors through unchanged', () => {
    const timeout = new DbTimeoutError('pool', 'pool');
    expect(toDbError(timeout)).toBe(timeout);
  });

  it('masks secrets in the message', () => {
    const error = toDbError(new Error("Access denied for 'app' using hunter2"), ['hunter2']);
    expect(error.message).toBe("Access denied for 'app' using *****");
  });
});
