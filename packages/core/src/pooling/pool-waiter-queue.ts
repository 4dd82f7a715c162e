/**
 * A waiting open: granted a session (or failed) synchronously by the pool. An object, not a promise: the pool hands a
 * session over by calling {@link PoolWaiter.grant}, with no promise hop of its own.
 */
export interface PoolWaiter<S> {
  /** `Date.now()` value after which the waiter fails (Infinity = waits forever). */
  readonly deadline: number;
  /** Receives the session; from then on it is the waiter's. */
  grant(session: S): void;
  /** Receives the failure (a timed-out wait, a failed connect). */
  fail(error: unknown): void;
}

/**
 * The waiters of one pool, first come first served, with ONE timer for all of their deadlines: armed for the earliest
 * deadline, unref'd (a waiting open never keeps the process alive by itself), and re-armed from the remaining waiters
 * when it fires. A waiter that leaves (granted, aborted) does not touch the timer: it finds nothing to expire.
 */
export class PoolWaiterQueue<S> {
  readonly #waiters: Array<PoolWaiter<S>> = [];
  readonly #onExpired: (waiter: PoolWaiter<S>) => void;
  #timer: NodeJS.Timeout | undefined;
  #timerDeadline = Infinity;

  /** @param onExpired called (after removal) for each waiter whose deadline passed. */
  constructor(onExpired: (waiter: PoolWaiter<S>) => void) {
    this.#onExpired = onExpired;
  }

  /** Waiters in the queue. */
  get length(): number {
    return this.#waiters.length;
  }

  /** Appends a waiter and makes sure the timer fires by its deadline. */
  push(waiter: PoolWaiter<S>): void {
    this.#waiters.push(waiter);
    if (waiter.deadline < this.#timerDeadline) this.#arm(waiter.deadline);
  }

  /** Puts a waiter back at the head (its session turned out dead before it got it). */
  unshift(waiter: PoolWaiter<S>): void {
    this.#waiters.unshift(waiter);
    if (waiter.deadline < this.#timerDeadline) this.#arm(waiter.deadline);
  }

  /** Takes the longest-waiting waiter. */
  shift(): PoolWaiter<S> | undefined {
    return this.#waiters.shift();
  }

  /** Removes a waiter (its caller gave up); true when it was still waiting. */
  remove(waiter: PoolWaiter<S>): boolean {
    const index = this.#waiters.indexOf(waiter);
    if (index < 0) return false;
    this.#waiters.splice(index, 1);
    return true;
  }

  /** Removes and returns every waiter (the pool fails them). */
  drain(): Array<PoolWaiter<S>> {
    return this.#waiters.splice(0);
  }

  #arm(deadline: number): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timerDeadline = deadline;
    if (deadline === Infinity) {
      this.#timer = undefined;
      return;
    }
    this.#timer = setTimeout(this.#fire, clampDelay(deadline - Date.now()));
    this.#timer.unref();
  }

  readonly #fire = (): void => {
    this.#timer = undefined;
    this.#timerDeadline = Infinity;
    const now = Date.now();
    let next = Infinity;
    const expired: Array<PoolWaiter<S>> = [];
    for (let i = 0; i < this.#waiters.length; ) {
      const waiter = this.#waiters[i]!;
      if (waiter.deadline <= now) {
        this.#waiters.splice(i, 1);
        expired.push(waiter);
      } else {
        if (waiter.deadline < next) next = waiter.deadline;
        i += 1;
      }
    }
    if (next !== Infinity) this.#arm(next);
    for (const waiter of expired) this.#onExpired(waiter);
  };
}

/** setTimeout's limit (2^31 - 1 ms): a longer wait is re-armed when the timer fires early. */
const MAX_DELAY_MS = 2_147_483_647;

function clampDelay(ms: number): number {
  return Math.min(Math.max(ms, 0), MAX_DELAY_MS);
}
