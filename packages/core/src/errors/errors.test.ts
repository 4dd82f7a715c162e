import { describe, expect, it } from 'vitest';
import { DbError, DbErrorCategory, DbTimeoutError } from './errors.js';

describe('DbError', () => {
  it('marks deadlocks transient and keeps the cause', () => {
    const cause = new Error('driver');
    const error = new DbError('deadlock detected', { category: DbErrorCategory.Deadlock, cause, providerName: 'pg' });
    expect(error.isTransient).toBe(true);
    expect(error.cause).toBe(cause);
    expect(error.name).toBe('DbError');
  });
  it('tells timeout kinds apart', () => {
    expect(new DbTimeoutError('x', 'pool').kind).toBe('pool');
    expect(new DbTimeoutError('x', 'pool').name).toBe('DbTimeoutError');
  });
});
