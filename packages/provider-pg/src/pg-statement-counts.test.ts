import { describe, expect, it } from 'vitest';
import { PgSerialOperations } from './pg-serial-operations.js';
import { PgStatementCounts } from './pg-statement-counts.js';

describe('PgStatementCounts', () => {
  it('sums DML counts, keeps -1 until one arrives, and records each statement by index', () => {
    const counts = new PgStatementCounts();
    counts.complete(0, 'SELECT 2');
    expect(counts.recordsAffected).toBe(-1);
    counts.complete(1, 'INSERT 0 3');
    counts.uncounted(2);
    counts.complete(3, 'UPDATE 4');
    expect(counts.recordsAffected).toBe(7);
    expect(counts.byStatement).toEqual([-1, 3, -1, 4]);
  });
});

describe('PgSerialOperations', () => {
  it('runs an operation only after the one before it settled, even when that one failed', async () => {
    const serial = new PgSerialOperations();
    const order: string[] = [];
    let fail!: (error: Error) => void;
    const first = serial.run(() => new Promise<void>((_, reject) => (fail = reject)));
    const second = serial.run(() => {
      order.push('second');
      return Promise.resolve(2);
    });
    await Promise.resolve();
    expect(order).toEqual([]);
    fail(new Error('boom'));
    await expect(first).rejects.toThrow('boom');
    await expect(second).resolves.toBe(2);
    expect(order).toEqual(['second']);
  });
});
