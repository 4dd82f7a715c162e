import { NotSupportedError } from '@asyncdb/core';
import { describe, expect, it } from 'vitest';
import { transactionSql } from './pg-transaction-sql.js';

describe('transactionSql', () => {
  it.each([
    ['Unspecified', 'BEGIN'],
    ['ReadUncommitted', 'BEGIN ISOLATION LEVEL READ UNCOMMITTED'],
    ['ReadCommitted', 'BEGIN ISOLATION LEVEL READ COMMITTED'],
    ['RepeatableRead', 'BEGIN ISOLATION LEVEL REPEATABLE READ'],
    ['Serializable', 'BEGIN ISOLATION LEVEL SERIALIZABLE'],
  ] as const)('begins %s', (isolationLevel, sql) => {
    expect(transactionSql({ kind: 'begin', isolationLevel })).toBe(sql);
  });

  it('rejects isolation levels PostgreSQL does not have', () => {
    expect(() => transactionSql({ kind: 'begin', isolationLevel: 'Snapshot' })).toThrow(NotSupportedError);
    expect(() => transactionSql({ kind: 'begin', isolationLevel: 'Chaos' })).toThrow(NotSupportedError);
  });

  it('quotes savepoint names', () => {
    expect(transactionSql({ kind: 'save', savepoint: 'Before' })).toBe('SAVEPOINT "Before"');
    expect(transactionSql({ kind: 'rollback', savepoint: 'Before' })).toBe('ROLLBACK TO SAVEPOINT "Before"');
    expect(transactionSql({ kind: 'release', savepoint: 'Before' })).toBe('RELEASE SAVEPOINT "Before"');
    expect(transactionSql({ kind: 'commit' })).toBe('COMMIT');
    expect(transactionSql({ kind: 'rollback' })).toBe('ROLLBACK');
  });
});
