import { describe, expect, it } from 'vitest';
import { MssqlTokenQueue } from './mssql-token-queue.js';

const done = (rowCount: number) => ({ kind: 'done', rowCount }) as const;

describe('MssqlTokenQueue', () => {
  it('keeps rows and markers in order across growth and wrap-around, counting the rows', () => {
    const queue = new MssqlTokenQueue();
    // Offset the head first, so the growth below copies a wrapped ring.
    for (let i = 0; i < 40; i += 1) queue.push([i]);
    for (let i = 0; i < 40; i += 1) expect(queue.take()).toEqual([i]);
    for (let i = 0; i < 100; i += 1) queue.push([i]);
    queue.push(done(100));
    queue.push([100]);
    expect(queue.rowCount).toBe(101);
    const rows: unknown[][] = [];
    expect(queue.takeRows(1000, rows)).toBe(100);
    expect(rows).toEqual(Array.from({ length: 100 }, (_, i) => [i]));
    expect(queue.rowCount).toBe(1);
    expect(queue.peek()).toEqual(done(100));
    expect(queue.takeRows(10, rows)).toBe(0);
    expect(queue.take()).toEqual(done(100));
    expect(queue.take()).toEqual([100]);
    expect(queue.take()).toBeUndefined();
    expect(queue.rowCount).toBe(0);
  });

  it('takeRows stops at the limit', () => {
    const queue = new MssqlTokenQueue();
    for (let i = 0; i < 5; i += 1) queue.push([i]);
    const rows: unknown[][] = [];
    expect(queue.takeRows(3, rows)).toBe(3);
    expect(queue.rowCount).toBe(2);
    expect(queue.peek()).toEqual([3]);
  });

  it('clear drops everything', () => {
    const queue = new MssqlTokenQueue();
    queue.push([1]);
    queue.push(done(1));
    queue.clear();
    expect(queue.rowCount).toBe(0);
    expect(queue.peek()).toBeUndefined();
  });
});
