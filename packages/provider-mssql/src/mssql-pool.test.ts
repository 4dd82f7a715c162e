import { describe, expect, it } from 'vitest';
import { DbTimeoutError } from '@asyncdb/core';
import { MssqlPool, POOL_TIMEOUT_MESSAGE, type MssqlPoolOptions } from './mssql-pool.js';
import type { MssqlSession } from './mssql-session.js';

/** A session stand-in: counts resets and closes, can fail its reset, can die. */
class FakeSession {
  static opened = 0;
  readonly id = ++FakeSession.opened;
  createdAt = Date.now();
  resets = 0;
  closed = false;
  failReset = false;
  #alive = true;
  readonly #deaths: Array<(session: MssqlSession) => void> = [];
  get isAlive(): boolean {
    return this.#alive && !this.closed;
  }
  detach(): void {}
  async reset(): Promise<void> {
    this.resets += 1;
    if (this.failReset) throw new Error('reset failed');
  }
  async close(): Promise<void> {
    this.closed = true;
  }
  onDeath(callback: (session: MssqlSession) => void): void {
    this.#deaths.push(callback);
  }
  die(): void {
    this.#alive = false;
    for (const callback of this.#deaths) callback(this as unknown as MssqlSession);
  }
}

function pool(options: Partial<MssqlPoolOptions> = {}) {
  const opened: FakeSession[] = [];
  const instance = new MssqlPool({
    open: async () => {
      const session = new FakeSession();
      opened.push(session);
      return session as unknown as MssqlSession;
    },
    maxSize: 2,
    minSize: 0,
    lifetimeMs: 0,
    ...options,
  });
  return { pool: instance, opened };
}

const fake = (session: MssqlSession): FakeSession => session as unknown as FakeSession;
const settle = () => new Promise((resolve) => setImmediate(resolve));
const signal = () => new AbortController().signal;

describe('MssqlPool', () => {
  it('resets a returned session just before handing it out again (the reset doubles as a liveness check)', async () => {
    const { pool: sessions, opened } = pool();
    const first = await sessions.acquire(signal());
    sessions.release(first, false);
    const second = await sessions.acquire(signal());
    expect(second).toBe(first);
    expect(fake(second).resets).toBe(1);
    expect(opened).toHaveLength(1);
  });

  it('hands out a new session without a reset, and reuses an idle one rather than opening another', async () => {
    const { pool: sessions, opened } = pool({ maxSize: 5 });
    const first = await sessions.acquire(signal());
    expect(fake(first).resets).toBe(0);
    sessions.release(first, false);
    expect(fake(first).resets).toBe(0);
    expect(await sessions.acquire(signal())).toBe(first);
    expect(opened).toHaveLength(1);
  });

  it('keeps a session reset for a waiter that gave up meanwhile, clean for the next one', async () => {
    const { pool: sessions } = pool({ maxSize: 1 });
    const first = await sessions.acquire(signal());
    sessions.release(first, false);
    const controller = new AbortController();
    const waiting = sessions.acquire(controller.signal);
    controller.abort({ kind: 'cancel' });
    await expect(waiting).rejects.toEqual({ kind: 'cancel' });
    await settle();
    expect(sessions.idleCount).toBe(1);
    expect(await sessions.acquire(signal())).toBe(first);
    expect(fake(first).resets).toBe(1);
  });

  it('opens at most Max Pool Size sessions; waiters get returned ones first come, first served', async () => {
    const { pool: sessions, opened } = pool({ maxSize: 2 });
    const a = await sessions.acquire(signal());
    const b = await sessions.acquire(signal());
    const order: string[] = [];
    const c = sessions.acquire(signal()).then((session) => (order.push('c'), session));
    const d = sessions.acquire(signal()).then((session) => (order.push('d'), session));
    await settle();
    expect(opened).toHaveLength(2);
    sessions.release(b, false);
    expect(await c).toBe(b);
    sessions.release(a, false);
    expect(await d).toBe(a);
    expect(order).toEqual(['c', 'd']);
    expect(sessions.size).toBe(2);
  });

  it("fails a waiter with DbTimeoutError of kind 'pool' when core's open signal times out on a full pool", async () => {
    const { pool: sessions } = pool({ maxSize: 1 });
    await sessions.acquire(signal());
    const controller = new AbortController();
    const waiting = sessions.acquire(controller.signal);
    controller.abort({ kind: 'timeout' });
    const error = await waiting.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DbTimeoutError);
    expect(error).toMatchObject({ kind: 'pool', message: POOL_TIMEOUT_MESSAGE });
  });

  it("rejects a cancelled waiter with core's abort reason", async () => {
    const { pool: sessions } = pool({ maxSize: 1 });
    await sessions.acquire(signal());
    const controller = new AbortController();
    const waiting = sessions.acquire(controller.signal);
    controller.abort({ kind: 'cancel' });
    await expect(waiting).rejects.toEqual({ kind: 'cancel' });
  });

  it('closes broken, dead and expired sessions instead of pooling them', async () => {
    const { pool: sessions, opened } = pool({ maxSize: 3, lifetimeMs: 60_000 });
    const broken = await sessions.acquire(signal());
    const dead = await sessions.acquire(signal());
    const old = await sessions.acquire(signal());
    fake(dead).die();
    fake(old).createdAt -= 120_000;
    sessions.release(broken, true);
    sessions.release(dead, false);
    sessions.release(old, false);
    await settle();
    expect(opened.map((session) => session.closed)).toEqual([true, true, true]);
    expect(sessions.idleCount).toBe(0);
  });

  it('closes a session whose reset fails, and opens a new one for the next user', async () => {
    const { pool: sessions, opened } = pool();
    const first = await sessions.acquire(signal());
    fake(first).failReset = true;
    sessions.release(first, false);
    const next = await sessions.acquire(signal());
    expect(next).not.toBe(first);
    expect(fake(first).closed).toBe(true);
    expect(opened).toHaveLength(2);
  });

  it('evicts an idle session that dies', async () => {
    const { pool: sessions } = pool();
    const first = await sessions.acquire(signal());
    sessions.release(first, false);
    expect(sessions.idleCount).toBe(1);
    fake(first).die();
    expect(sessions.idleCount).toBe(0);
    expect(await sessions.acquire(signal())).not.toBe(first);
  });

  it('clear() closes idle sessions now and busy ones when they come back', async () => {
    const { pool: sessions } = pool();
    const idle = await sessions.acquire(signal());
    const busy = await sessions.acquire(signal());
    sessions.release(idle, false);
    await settle();
    await sessions.clear();
    expect(fake(idle).closed).toBe(true);
    expect(fake(busy).closed).toBe(false);
    sessions.release(busy, false);
    await settle();
    expect(fake(busy).closed).toBe(true);
    expect(sessions.size).toBe(0);
  });

  it('gives an open failure to the waiter it was started for', async () => {
    const failure = new Error('login failed');
    const sessions = new MssqlPool({ open: () => Promise.reject(failure), maxSize: 2, minSize: 0, lifetimeMs: 0 });
    await expect(sessions.acquire(signal())).rejects.toBe(failure);
    expect(sessions.size).toBe(0);
  });

  it('opens Min Pool Size sessions in the background once used', async () => {
    const { pool: sessions, opened } = pool({ maxSize: 5, minSize: 3 });
    await sessions.acquire(signal());
    await settle();
    expect(opened).toHaveLength(3);
    expect(sessions.idleCount).toBe(2);
  });
});
