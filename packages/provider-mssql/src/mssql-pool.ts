import { DbTimeoutError, type CoreAbortReason } from '@asyncdb/core';
import type { MssqlSession } from './mssql-session.js';

/** What a pool needs: how to open a session, and its limits. */
export interface MssqlPoolOptions {
  /** Opens a new physical session (login included). */
  readonly open: (signal: AbortSignal) => Promise<MssqlSession>;
  /** `Max Pool Size`. */
  readonly maxSize: number;
  /** `Min Pool Size`: sessions kept open once the pool has been used. */
  readonly minSize: number;
  /** `Load Balance Timeout` in ms (0 = none): older sessions are closed when returned. */
  readonly lifetimeMs: number;
}

interface Waiter {
  readonly resolve: (session: MssqlSession) => void;
  readonly reject: (error: unknown) => void;
}

/** SqlClient's message for an exhausted pool. */
export const POOL_TIMEOUT_MESSAGE =
  'Timeout expired. The timeout period elapsed prior to obtaining a connection from the pool. ' +
  'This may have occurred because all pooled connections were in use and max pool size was reached.';

/**
 * A pool of physical sessions for one connection string. Sessions are handed out whole (one per open
 * `MssqlConnection`: its transactions and session state belong to it), reset with RESETCONNECTION when returned
 * (before anyone else can get them), closed when broken or past `Load Balance Timeout`, and evicted when they die
 * while idle. Waiters are served first-come first-served; a waiter prefers a session being reset to opening a new one.
 */
export class MssqlPool {
  readonly #options: MssqlPoolOptions;
  readonly #idle: MssqlSession[] = [];
  readonly #busy = new Set<MssqlSession>();
  readonly #waiters: Waiter[] = [];
  #opening = 0;
  #resetting = 0;
  #generation = 0;
  readonly #generationOf = new WeakMap<MssqlSession, number>();
  readonly #openController = new AbortController();

  constructor(options: MssqlPoolOptions) {
    this.#options = options;
  }

  /** Sessions open or being opened (idle, in use, resetting, opening). */
  get size(): number {
    return this.#idle.length + this.#busy.size + this.#opening + this.#resetting;
  }

  /** Idle sessions. */
  get idleCount(): number {
    return this.#idle.length;
  }

  /**
   * Takes a session: an idle one, one being reset, or a new one while under `Max Pool Size`; else waits.
   * `signal` (core's open signal: connect timeout, caller abort, close) ends the wait; when it was the timeout and
   * the pool was exhausted, the error is {@link DbTimeoutError} of kind 'pool'.
   */
  acquire(signal: AbortSignal): Promise<MssqlSession> {
    signal.throwIfAborted();
    return new Promise<MssqlSession>((resolve, reject) => {
      const onAbort = (): void => {
        const index = this.#waiters.indexOf(waiter);
        if (index >= 0) this.#waiters.splice(index, 1);
        const reason = signal.reason as CoreAbortReason | undefined;
        const exhausted = this.size >= this.#options.maxSize && this.#opening === 0;
        reject(reason?.kind === 'timeout' && exhausted ? new DbTimeoutError(POOL_TIMEOUT_MESSAGE, 'pool', { providerName: 'mssql' }) : reason);
        this.#pump();
      };
      const waiter: Waiter = {
        resolve: (session) => {
          signal.removeEventListener('abort', onAbort);
          this.#busy.add(session);
          resolve(session);
          this.#ensureMinimum();
        },
        reject: (error) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.#waiters.push(waiter);
      this.#pump();
    });
  }

  /**
   * Gives a session back. A broken, dead, expired or cleared session is closed; any other is reset and then handed to
   * the next waiter or kept idle (a session whose reset fails is closed).
   */
  release(session: MssqlSession, broken: boolean): void {
    this.#busy.delete(session);
    session.detach();
    const expired = this.#options.lifetimeMs > 0 && Date.now() - session.createdAt > this.#options.lifetimeMs;
    const stale = this.#generationOf.get(session) !== this.#generation;
    if (broken || expired || stale || !session.isAlive) {
      void session.close();
      this.#pump();
      return;
    }
    this.#resetting += 1;
    session.reset().then(
      () => {
        this.#resetting -= 1;
        if (this.#generationOf.get(session) !== this.#generation || !session.isAlive) void session.close();
        else this.#idle.push(session);
        this.#pump();
      },
      () => {
        this.#resetting -= 1;
        void session.close();
        this.#pump();
      },
    );
  }

  /** Closes the idle sessions; sessions in use (or being reset) are closed when they come back. Mirrors `SqlConnection.ClearPool`. */
  async clear(): Promise<void> {
    this.#generation += 1;
    const idle = this.#idle.splice(0);
    await Promise.all(idle.map((session) => session.close()));
  }

  /** Clears the pool and fails its waiters; used when every pool is torn down. */
  async destroy(): Promise<void> {
    this.#openController.abort(new Error('The connection pool was cleared.'));
    for (const waiter of this.#waiters.splice(0)) waiter.reject(new Error('The connection pool was cleared.'));
    await this.clear();
  }

  /** Serves waiters from idle sessions, then opens sessions for the waiters that nothing in flight will serve. */
  #pump(): void {
    while (this.#waiters.length > 0) {
      const session = this.#idle.pop();
      if (!session) break;
      if (!session.isAlive) continue;
      this.#waiters.shift()!.resolve(session);
    }
    let unserved = this.#waiters.length - this.#opening - this.#resetting;
    while (unserved > 0 && this.size < this.#options.maxSize) {
      this.#open();
      unserved -= 1;
    }
  }

  /** Opens a session; a failure goes to the longest waiter when the open was started for waiters. */
  #open(forWaiter = true): void {
    this.#opening += 1;
    const generation = this.#generation;
    this.#options.open(this.#openController.signal).then(
      (session) => {
        this.#opening -= 1;
        this.#generationOf.set(session, generation);
        session.onDeath((dead) => this.#evict(dead));
        this.#idle.push(session);
        this.#pump();
      },
      (error: unknown) => {
        this.#opening -= 1;
        if (forWaiter) this.#waiters.shift()?.reject(error);
        this.#pump();
      },
    );
  }

  #evict(session: MssqlSession): void {
    const index = this.#idle.indexOf(session);
    if (index >= 0) this.#idle.splice(index, 1);
  }

  /** Opens sessions in the background up to `Min Pool Size` (failures are left for the next acquire to report). */
  #ensureMinimum(): void {
    while (this.size < this.#options.minSize) this.#open(false);
  }
}
