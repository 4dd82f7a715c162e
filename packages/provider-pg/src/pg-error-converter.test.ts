import { DbError, DbErrorCategory } from '@asyncdb/core';
import { describe, expect, it } from 'vitest';
import { categoryOfSqlState, isServerError, toDbError } from './pg-error-converter.js';

/** What pg-protocol builds from an ErrorResponse. */
function serverError(code: string, message: string, severity = 'ERROR'): Error {
  return Object.assign(new Error(message), { code, severity, name: 'error', length: 0 });
}

describe('categoryOfSqlState', () => {
  it.each([
    ['23505', DbErrorCategory.UniqueViolation],
    ['23503', DbErrorCategory.ForeignKeyViolation],
    ['23502', DbErrorCategory.NotNullViolation],
    ['23514', DbErrorCategory.CheckViolation],
    ['40001', DbErrorCategory.SerializationFailure],
    ['40P01', DbErrorCategory.Deadlock],
    ['55P03', DbErrorCategory.LockTimeout],
    ['57014', DbErrorCategory.QueryCanceled],
    ['08006', DbErrorCategory.ConnectionFailure],
    ['08001', DbErrorCategory.ConnectionFailure],
    ['57P01', DbErrorCategory.ConnectionFailure],
    ['57P02', DbErrorCategory.ConnectionFailure],
    ['57P03', DbErrorCategory.ConnectionFailure],
    ['53300', DbErrorCategory.ConnectionFailure],
    ['42601', DbErrorCategory.SyntaxError],
    ['42804', DbErrorCategory.SyntaxError],
    ['42P01', DbErrorCategory.UndefinedObject],
    ['42703', DbErrorCategory.UndefinedObject],
    ['42883', DbErrorCategory.UndefinedObject],
    ['3D000', DbErrorCategory.UndefinedObject],
    ['42501', DbErrorCategory.PermissionDenied],
    ['28P01', DbErrorCategory.PermissionDenied],
    ['22012', DbErrorCategory.DataException],
    ['22P02', DbErrorCategory.DataException],
    ['42P07', DbErrorCategory.Other],
    ['25P02', DbErrorCategory.Other],
    ['XX000', DbErrorCategory.Other],
  ])('maps %s to %s', (sqlState, category) => {
    expect(categoryOfSqlState(sqlState)).toBe(category);
  });
});

describe('toDbError', () => {
  it('keeps the SQLSTATE, severity and original error of a server error', () => {
    const original = serverError('23505', 'duplicate key value violates unique constraint "t_pkey"');
    const error = toDbError(original);
    expect(error).toBeInstanceOf(DbError);
    expect(error).toMatchObject({
      sqlState: '23505',
      providerCode: '23505',
      category: 'unique_violation',
      severity: 'ERROR',
      providerName: 'pg',
      isTransient: false,
    });
    expect(error.message).toBe('duplicate key value violates unique constraint "t_pkey"');
    expect(error.cause).toBe(original);
  });

  it('marks serialization failures and deadlocks as transient', () => {
    expect(toDbError(serverError('40001', 'could not serialize')).isTransient).toBe(true);
    expect(toDbError(serverError('40P01', 'deadlock detected')).isTransient).toBe(true);
  });

  it('makes a socket error a transient connection failure with its Node code', () => {
    const socket = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    expect(toDbError(socket)).toMatchObject({
      category: 'connection_failure',
      providerCode: 'ECONNREFUSED',
      isTransient: true,
      sqlState: undefined,
    });
    expect(toDbError(new Error('Connection terminated unexpectedly')).category).toBe('connection_failure');
  });

  it('leaves other client-side failures as other', () => {
    expect(toDbError(new Error('Unexpected token in JSON')).category).toBe('other');
  });

  it('blanks the password out of any message', () => {
    const error = toDbError(serverError('28P01', 'password authentication failed for "hunter2"'), ['hunter2']);
    expect(error.message).not.toContain('hunter2');
    expect(error.message).toContain('*****');
  });

  it('returns a DbError unchanged', () => {
    const error = new DbError('x');
    expect(toDbError(error)).toBe(error);
  });

  it('tells server errors from other errors', () => {
    expect(isServerError(serverError('42601', 'syntax error'))).toBe(true);
    expect(isServerError(Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toBe(false);
  });
});
