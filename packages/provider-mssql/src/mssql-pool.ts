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
  /** True once the waiter got a session or gave up. */
  settled: boolean;
}

/** SqlClient's message for an exhausted pool. */
export const POOL_TIMEOUT_MESSAGE =
  'Timeout expired. The timeout period elapsed prior to obtaining a connection from the pool. ' +
  'This may have occurred because all pooled connections were in use and max pool size was reached.';

/**
 * A pool of physical sessions for one connection string. A session is handed out whole (one per open
 * `MssqlConnection`: its transactions and session state belong to it). As with SqlClient, the reset is deferred to
 * the next use: a returned session goes back idle, and is reset (RESETCONNECTION, i.e. `sp_reset_connection`) just
 * before it is handed out again. That round trip doubles as a liveness check: a session the server killed while it
 * was idle fails its reset, is closed, and the waiter gets another one. Broken sessions and sessions past
 * `Load Balance Timeout` are closed when returned; idle sessions whose socket closes are evicted. Waiters are served
 * first come, first served.
 */
export class MssqlPool {
  readonly #options: MssqlPoolOptions;
  readonly #idle: MssqlSession[] = [];
  readonly #busy = new Set<MssqlSession>();
  readonly #waiters: Waiter[] = [];
  /** Sessions that have not been used since they were opened or reset. */
  readonly #clean = new WeakSet<MssqlSession>();
  #opening = 0;
  #resetting = 0;
  #generation = 0;
  readonly #generationOf = new WeakMap<MssqlSession, number>();
  readonly #openController = new AbortController();

  constructor(options: MssqlPoolOptions) {
    this.#options = options;
  }

  /** Sessions open or being opened (idle, in use, being reset for a waiter, opening). */
  get size(): number {
    return this.#idle.length + this.#busy.size + this.#opening + this.#resetting;
  }

  /** Idle sessions. */
  get idleCount(): number {
    return this.#idle.length;
  }

  /**
   * Takes a session: an idle one (reset first), or a new one while under `Max Pool Size`; else waits.
   * `signal` (core's open signal: connect timeout, caller abort, close) ends the wait; when it was the timeout and
   * the pool was exhausted, the error is {@link DbTimeoutError} of kind 'pool'.
   */
  acquire(signal: AbortSignal): Promise<MssqlSession> {
    signal.throwIfAborted();
    return new Promise<MssqlSession>((resolve, reject) => {
      const onAbort = (): void => {
        if (waiter.settled) return;
        waiter.settled = true;
        const index = this.#waiters.indexOf(waiter);
        if (index >= 0) this.#waiters.splice(index, 1);
        const reason = signal.reason as CoreAbortReason | undefined;
        const exhausted = this.size >= this.#options.maxSize && this.#opening === 0;
        reject(
          reason?.kind === 'timeout' && exhausted
            ? new DbTimeoutError(POOL_TIMEOUT_MESSAGE, 'pool', { providerName: 'mssql' })
            : reason,
        );
        this.#pump();
      };
      const waiter: Waiter = {
        settled: false,
        resolve: (session) => {
          waiter.settled = true;
          signal.removeEventListener('abort', onAbort);
          this.#busy.add(session);
          resolve(session);
          this.#ensureMinimum();
        },
        reject: (error) => {
          waiter.settled = true;
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.#waiters.push(waiter);
      this.#pump();
    });
  }

  /** Gives a session back: kept idle (to be reset on its next use), or closed when broken, dead, expired or cleared. */
  release(session: MssqlSession, broken: boolean): void {
    this.#busy.delete(session);
    session.detach();
    this.#clean.delete(session);
    const expired = this.#options.lifetimeMs > 0 && Date.now() - session.createdAt > this.#options.lifetimeMs;
    if (broken || expired || this.#isStale(session) || !session.isAlive) void session.close();
    else this.#idle.push(session);
    this.#pump();
  }

  /** Closes the idle sessions; sessions in use are closed when they come back. Mirrors `SqlConnection.ClearPool`. */
  async clear(): Promise<void> {
    this.#generation += 1;
    const idle = this.#idle.splice(0);
    await Promise.all(idle.map((session) => session.close()));
  }

  /** Serves waiters from idle sessions, then opens sessions for the waiters that no open in flight will serve. */
  #pump(): void {
    while (this.#waiters.length > 0) {
      const session = this.#idle.pop();
      if (!session) break;
      if (!session.isAlive || this.#isStale(session)) {
        void session.close();
        continue;
      }
      this.#handOut(session, this.#waiters.shift()!);
    }
    let unserved = this.#waiters.length - this.#opening;
    while (unserved > 0 && this.size < this.#options.maxSize) {
      this.#open();
      unserved -= 1;
    }
  }

  /** Resets a used session before the waiter gets it; a session that fails its reset is closed and replaced. */
  #handOut(session: MssqlSession, waiter: Waiter): void {
    if (this.#clean.has(session)) {
      this.#clean.delete(session);
      waiter.resolve(session);
      return;
    }
    this.#resetting += 1;
    session.reset().then(
      () => {
        this.#resetting -= 1;
        if (waiter.settled) {
          // The waiter gave up meanwhile: the session is clean for the next one.
          this.#clean.add(session);
          this.#idle.push(session);
        } else {
          waiter.resolve(session);
        }
        this.#pump();
      },
      () => {
        this.#resetting -= 1;
        void session.close();
        if (!waiter.settled) this.#waiters.unshift(waiter);
        this.#pump();
      },
    );
  }

  /** Opens a session; a failure goes to the longest waiter when the open was started for waiters. */
  #open(forWaiter = true): void {
    this.#opening += 1;
    const generation = this.#generation;
    this.#options.open(this.#openController.signal).then(
      (session) => {
        this.#opening -= 1;
        this.#generationOf.set(session, generation);
        this.#clean.add(session);
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

  #isStale(session: MssqlSession): boolean {
    return this.#generationOf.get(session) !== this.#generation;
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
