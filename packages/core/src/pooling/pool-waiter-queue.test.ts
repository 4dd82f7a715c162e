import { afterEach, describe, expect, it, vi } from 'vitest';
import { PoolWaiterQueue, type PoolWaiter } from './pool-waiter-queue.js';

/** A waiter that records nothing: the queue only reads its deadline. */
function waiter(name: string, deadline = Infinity): PoolWaiter<string> & { readonly name: string } {
  return { name, deadline, grant: () => undefined, fail: () => undefined };
}

const names = (waiters: ReadonlyArray<PoolWaiter<string> | undefined>): string[] =>
  waiters.map((entry) => (entry as { name: string } | undefined)?.name ?? '-');

describe('PoolWaiterQueue', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('is first come, first served through pushes and shifts that interleave', () => {
    const queue = new PoolWaiterQueue<string>(() => undefined);
    const taken: Array<PoolWaiter<string> | undefined> = [];
    queue.push(waiter('a'));
    queue.push(waiter('b'));
    taken.push(queue.shift());
    queue.push(waiter('c'));
    expect(queue.length).toBe(2);
    taken.push(queue.shift(), queue.shift(), queue.shift());
    expect(names(taken)).toEqual(['a', 'b', 'c', '-']);
    expect(queue.length).toBe(0);
    queue.push(waiter('d'));
    expect(names([queue.shift()])).toEqual(['d']);
  });

  it('puts a waiter back at the head, removes one from the middle, and drains the rest in order', () => {
    const queue = new PoolWaiterQueue<string>(() => undefined);
    const b = waiter('b');
    for (const entry of [waiter('a'), b, waiter('c'), waiter('d')]) queue.push(entry);
    const a = queue.shift()!;
    queue.unshift(a);
    queue.unshift(waiter('z'));
    expect(queue.remove(b)).toBe(true);
    expect(queue.remove(b)).toBe(false);
    expect(queue.length).toBe(4);
    expect(names(queue.drain())).toEqual(['z', 'a', 'c', 'd']);
    expect(queue.length).toBe(0);
    expect(queue.shift()).toBeUndefined();
  });

  it('keeps the order of a long queue that never empties (its cleared front is dropped now and then)', () => {
    const queue = new PoolWaiterQueue<string>(() => undefined);
    let pushed = 0;
    let expected = 0;
    for (let i = 0; i < 100; i++) queue.push(waiter(String(pushed++)));
    for (let round = 0; round < 5_000; round++) {
      queue.push(waiter(String(pushed++)));
      const next = queue.shift() as unknown as { name: string };
      expect(next.name).toBe(String(expected++));
    }
    expect(queue.length).toBe(100);
    expect(names(queue.drain())[0]).toBe(String(expected));
  });

  it('expires waiters past their deadline, whatever was shifted before, with one timer', () => {
    vi.useFakeTimers();
    const expired: string[] = [];
    const queue = new PoolWaiterQueue<string>((entry) => expired.push((entry as unknown as { name: string }).name));
    const now = Date.now();
    queue.push(waiter('granted', now + 100));
    queue.push(waiter('early', now + 100));
    queue.push(waiter('late', now + 1_000));
    queue.shift();
    vi.advanceTimersByTime(150);
    expect(expired).toEqual(['early']);
    expect(queue.length).toBe(1);
    vi.advanceTimersByTime(1_000);
    expect(expired).toEqual(['early', 'late']);
    expect(queue.length).toBe(0);
  });
});
