import { setLongTimeout } from '../async/long-timeout.js';
import { DbTimeoutError } from '../errors/errors.js';
import type { DbConnectionStringBuilder } from '../connection-string/connection-string-builder.js';
import { Messages } from '../execution/messages.js';
import type { PoolSettings } from './pool-settings.js';
import { PoolWaiterQueue, type PoolWaiter } from './pool-waiter-queue.js';
import type { PooledSession, SessionFactory } from './pooled-session.js';

/** ADO.NET's message for a pool that stayed exhausted until `Connect Timeout`. */
export const POOL_TIMEOUT_MESSAGE =
  'Timeout expired. The timeout period elapsed prior to obtaining a connection from the pool. ' +
  'This may have occurred because all pooled connections were in use and max pool size was reached.';

/** What a {@link SessionPool} is made of. */
export interface SessionPoolOptions<S extends PooledSession> {
  /** The provider's invariant name, for the errors the pool raises. */
  readonly providerName: string;
  /** The pool's connection string. */
  readonly builder: DbConnectionStringBuilder;
  /** The host this pool serves when the data source names several; undefined otherwise. */
  readonly host?: string | undefined;
  readonly settings: PoolSettings;
  /** Creates a session (the provider's SPI). */
  readonly createSession: SessionFactory<S>;
}

/** Cheap counts of a pool (for diagnostics, tests and a `FewestConnections` host balancer). */
export interface PoolCounts {
  /** Sessions idle in the pool. */
  readonly idle: number;
  /** Sessions handed out (or being reset before they come back). */
  readonly busy: number;
  /** Sessions being created. */
  readonly creating: number;
  /** Opens waiting for a session. */
  readonly pending: number;
  /** Sessions open or being opened: idle + busy + creating. */
  readonly total: number;
}

/** What the pool remembers of one physical session (one object per session, not per open). */
interface Entry<S> {
  readonly session: S;
  readonly generation: number;
  readonly createdAt: number;
  idleSince: number;
  lost: boolean;
}

/**
 * Core's connection pool for one connection string (and one host): an idle stack, a FIFO of waiting opens, and the
 * limits of its {@link PoolSettings}. A provider supplies only {@link SessionFactory} and its {@link PooledSession}.
 *
 * - **Hand-over is synchronous.** {@link SessionPool.tryTake} pops an idle session that {@link PooledSession.isAlive}
 *   says is alive, and {@link SessionPool.release} of a session whose reset is synchronous puts it back (or grants
 *   it to the longest waiter) before it returns: no promise, timer or listener per open.
 * - **Waiters are objects.** A waiting open is a {@link PoolWaiter}; its deadline is watched by one unref'd timer per
 *   pool (the earliest deadline), never one per waiter. A waiter whose deadline passes while every slot is taken
 *   fails with {@link DbTimeoutError} of kind 'pool'; while a session is being created for it, of kind 'connect'.
 * - **Dead sessions never go out.** Idle sessions are checked on hand-out and evicted when the provider reports them
 *   lost (it keeps its driver listeners for the session's life); a session lost while in use is destroyed on return.
 * - **Clearing** ({@link SessionPool.clear}) starts a new generation: idle sessions close now, sessions in use close
 *   when they come back, and sessions still being created close when they arrive.
 * - `Min Pool Size` sessions are created in the background once the pool is used; idle sessions above it close
 *   after `Connection Idle Lifetime` (one unref'd pruning timer while anything is idle); a session older than
 *   `Connection Lifetime` closes when returned.
 */
export class SessionPool<S extends PooledSession = PooledSession> {
  readonly #options: SessionPoolOptions<S>;
  readonly #settings: PoolSettings;
  readonly #idle: Array<Entry<S>> = [];
  readonly #entries = new Map<S, Entry<S>>();
  readonly #waiters: PoolWaiterQueue<S>;
  /** Creations in flight, each with its own abort (connect timeout, clear). */
  readonly #creations = new Set<AbortController>();
  #busy = 0;
  #generation = 0;
  #pruneTimer: NodeJS.Timeout | undefined;
  #warmedUp = false;

  constructor(options: SessionPoolOptions<S>) {
    this.#options = options;
    this.#settings = options.settings;
    this.#waiters = new PoolWaiterQueue<S>((waiter) => this.#expire(waiter));
  }

  /** The pool's limits. */
  get settings(): PoolSettings {
    return this.#settings;
  }

  /** The host this pool serves (multi-host data sources), or undefined. */
  get host(): string | undefined {
    return this.#options.host;
  }

  /** Cheap counts, computed from a few fields. */
  get counts(): PoolCounts {
    const idle = this.#idle.length;
    const creating = this.#creations.size;
    return { idle, busy: this.#busy, creating, pending: this.#waiters.length, total: idle + this.#busy + creating };
  }

  /** Sessions open or being opened (idle + busy + creating). */
  get total(): number {
    return this.#idle.length + this.#busy + this.#creations.size;
  }

  /**
   * Takes an idle, live session synchronously, or returns undefined when there is none (then wait with
   * {@link SessionPool.wait}). Dead or stale idle sessions met on the way are destroyed.
   */
  tryTake(): S | undefined {
    if (!this.#warmedUp) this.#warmUp();
    // Waiters first: an open must not overtake one that is already queued.
    if (this.#waiters.length > 0) return undefined;
    for (;;) {
      const entry = this.#idle.pop();
      if (entry === undefined) return undefined;
      if (this.#usable(entry)) {
        this.#busy += 1;
        return entry.session;
      }
      this.#discard(entry);
    }
  }

  /**
   * Queues a waiting open; it is granted a session (or failed) synchronously from inside the pool, in the order
   * waiters came. Starts creating a session when the pool is below `Max Pool Size`.
   */
  wait(waiter: PoolWaiter<S>): void {
    if (!this.#warmedUp) this.#warmUp();
    this.#waiters.push(waiter);
    this.#pump();
  }

  /** Removes a waiter whose caller gave up (abort, close); false when it was no longer waiting. */
  withdraw(waiter: PoolWaiter<S>): boolean {
    return this.#waiters.remove(waiter);
  }

  /**
   * Gives a session back. It is destroyed when `broken`, lost, dead, past `Connection Lifetime` or from before a
   * `clear`; otherwise reset ({@link PooledSession.reset}) and granted to the longest waiter or kept idle.
   * Returns undefined when all of that happened synchronously (or the session's reset runs in the background, see
   * {@link PooledSession.closeWaitsForReset}), or the promise of an asynchronous reset `close()` must wait for.
   */
  release(session: S, broken: boolean): Promise<void> | undefined {
    const entry = this.#entries.get(session);
    if (entry === undefined) {
      // Not ours (cleared and forgotten, or a bug): never pool what we cannot account for.
      session.destroy();
      return undefined;
    }
    if (broken || !this.#usable(entry) || this.#expired(entry)) {
      this.#busy -= 1;
      this.#discard(entry);
      this.#pump();
      return undefined;
    }
    let reset: void | Promise<void>;
    let waits = true;
    try {
      waits = session.closeWaitsForReset?.() ?? true;
      reset = session.reset();
    } catch {
      this.#busy -= 1;
      this.#discard(entry);
      this.#pump();
      return undefined;
    }
    if (reset === undefined) {
      this.#busy -= 1;
      this.#returnIdle(entry);
      return undefined;
    }
    const settled = reset.then(
      () => {
        this.#busy -= 1;
        if (this.#usable(entry)) this.#returnIdle(entry);
        else {
          this.#discard(entry);
          this.#pump();
        }
      },
      () => {
        this.#busy -= 1;
        this.#discard(entry);
        this.#pump();
      },
    );
    return waits ? settled : undefined;
  }

  /**
   * Reports a session dead (its socket ended or errored). An idle one is evicted at once; one in use is destroyed
   * when it comes back. The provider calls this through {@link CreateSessionContext.lost}.
   */
  lost(session: S): void {
    const entry = this.#entries.get(session);
    if (entry === undefined || entry.lost) return;
    entry.lost = true;
    const index = this.#idle.indexOf(entry);
    if (index >= 0) {
      this.#idle.splice(index, 1);
      this.#discard(entry);
      this.#pump();
    }
  }

  /**
   * Starts a new generation: idle sessions are destroyed now, sessions in use when they come back, sessions being
   * created when they arrive. Waiters keep waiting (for a session of the new generation). Mirrors `ClearPool`.
   */
  clear(): void {
    this.#generation += 1;
    for (const controller of this.#creations) controller.abort(new Error('The pool was cleared.'));
    for (const entry of this.#idle.splice(0)) this.#discard(entry);
    this.#stopPruning();
    this.#pump();
  }

  /** A session may be handed out: not lost, of the current generation, and alive by the provider's check. */
  #usable(entry: Entry<S>): boolean {
    return !entry.lost && entry.generation === this.#generation && entry.session.isAlive();
  }

  #expired(entry: Entry<S>): boolean {
    const lifetime = this.#settings.lifetimeMs;
    return lifetime > 0 && Date.now() - entry.createdAt > lifetime;
  }

  /** A clean session: to the longest waiter, else onto the idle stack. */
  #returnIdle(entry: Entry<S>): void {
    const waiter = this.#waiters.shift();
    if (waiter !== undefined) {
      this.#busy += 1;
      waiter.grant(entry.session);
      return;
    }
    entry.idleSince = Date.now();
    this.#idle.push(entry);
    entry.session.idled?.();
    if (this.#pruneTimer === undefined && this.#settings.idleLifetimeMs > 0) this.#startPruning();
  }

  #discard(entry: Entry<S>): void {
    this.#entries.delete(entry.session);
    entry.session.destroy();
    this.#ensureMinimum();
  }

  /** Creates sessions for waiters that no creation in flight will serve, within `Max Pool Size`. */
  #pump(): void {
    let unserved = this.#waiters.length - this.#creations.size;
    while (unserved > 0 && this.total < this.#settings.maxSize) {
      this.#create(true);
      unserved -= 1;
    }
  }

  #create(forWaiter: boolean): void {
    const controller = new AbortController();
    this.#creations.add(controller);
    const generation = this.#generation;
    const timeoutMs = this.#settings.connectTimeoutMs;
    const timer =
      timeoutMs > 0
        ? setLongTimeout(() => controller.abort(new Error('The connect timeout elapsed.')), timeoutMs, { unref: true })
        : undefined;
    let creating: Promise<S>;
    try {
      creating = this.#options.createSession({
        builder: this.#options.builder,
        host: this.#options.host,
        signal: controller.signal,
        connectTimeoutMs: timeoutMs,
        lost: (session) => this.lost(session),
      });
    } catch (error) {
      creating = Promise.reject(error);
    }
    creating.then(
      (session) => {
        timer?.clear();
        this.#creations.delete(controller);
        const now = Date.now();
        const entry: Entry<S> = { session, generation, createdAt: now, idleSince: now, lost: false };
        this.#entries.set(session, entry);
        if (controller.signal.aborted || !this.#usable(entry)) this.#discard(entry);
        else this.#returnIdle(entry);
        this.#pump();
      },
      (error: unknown) => {
        timer?.clear();
        this.#creations.delete(controller);
        // A connect that failed by itself (refused, login) is the waiting open's error; one we aborted (timeout,
        // clear) is not: the waiters' own deadlines report the timeout.
        if (forWaiter && !controller.signal.aborted) this.#waiters.shift()?.fail(error);
        this.#pump();
      },
    );
  }

  #expire(waiter: PoolWaiter<S>): void {
    const seconds = this.#settings.connectTimeoutMs / 1000;
    const providerName = this.#options.providerName;
    // Exhausted: every slot is taken by a session that exists (none is being created that could come to this open).
    const exhausted = this.#creations.size === 0 && this.total >= this.#settings.maxSize;
    waiter.fail(
      exhausted
        ? new DbTimeoutError(POOL_TIMEOUT_MESSAGE, 'pool', { providerName })
        : new DbTimeoutError(Messages.connectTimeout(seconds), 'connect', { providerName }),
    );
  }

  /** On first use: `Min Pool Size` sessions, created in the background. */
  #warmUp(): void {
    this.#warmedUp = true;
    this.#ensureMinimum();
  }

  #ensureMinimum(): void {
    if (!this.#warmedUp) return;
    while (this.total < this.#settings.minSize) this.#create(false);
  }

  #startPruning(): void {
    const interval = Math.max(1_000, Math.min(this.#settings.idleLifetimeMs / 2, 10_000));
    this.#pruneTimer = setTimeout(this.#prune, interval).unref();
  }

  #stopPruning(): void {
    if (this.#pruneTimer) clearTimeout(this.#pruneTimer);
    this.#pruneTimer = undefined;
  }

  /** Closes idle sessions above `Min Pool Size` that have been idle longer than `Connection Idle Lifetime`. */
  readonly #prune = (): void => {
    this.#pruneTimer = undefined;
    const oldest = Date.now() - this.#settings.idleLifetimeMs;
    // The stack's bottom holds the sessions idle longest.
    while (this.#idle.length > 0 && this.total > this.#settings.minSize && this.#idle[0]!.idleSince <= oldest) {
      this.#discard(this.#idle.shift()!);
    }
    if (this.#idle.length > 0) this.#startPruning();
  };
}
