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
  /**
   * The waiters from {@link #head} on. A granted waiter's slot is cleared and the head moves on, rather than
   * `shift()`: under 100 callers ~90 wait at once, and shifting an array of fewer than 100 elements moves every
   * element (each move a write barrier on a long-lived array) on every grant.
   */
  #items: Array<PoolWaiter<S> | undefined> = [];
  #head = 0;
  readonly #onExpired: (waiter: PoolWaiter<S>) => void;
  #timer: NodeJS.Timeout | undefined;
  #timerDeadline = Infinity;

  /** @param onExpired called (after removal) for each waiter whose deadline passed. */
  constructor(onExpired: (waiter: PoolWaiter<S>) => void) {
    this.#onExpired = onExpired;
  }

  /** Waiters in the queue. */
  get length(): number {
    return this.#items.length - this.#head;
  }

  /** Appends a waiter and makes sure the timer fires by its deadline. */
  push(waiter: PoolWaiter<S>): void {
    this.#items.push(waiter);
    if (waiter.deadline < this.#timerDeadline) this.#arm(waiter.deadline);
  }

  /** Puts a waiter back at the head (its session turned out dead before it got it). */
  unshift(waiter: PoolWaiter<S>): void {
    if (this.#head > 0) this.#items[--this.#head] = waiter;
    else this.#items.unshift(waiter);
    if (waiter.deadline < this.#timerDeadline) this.#arm(waiter.deadline);
  }

  /** Takes the longest-waiting waiter. */
  shift(): PoolWaiter<S> | undefined {
    const items = this.#items;
    const head = this.#head;
    if (head >= items.length) return undefined;
    const waiter = items[head];
    items[head] = undefined;
    if (head + 1 === items.length) {
      // Empty: start over at the front.
      items.length = 0;
      this.#head = 0;
    } else if (head >= 1024 && head * 2 >= items.length) {
      // A long queue that never empties: drop the cleared front once it is most of the array.
      this.#items = items.slice(head + 1);
      this.#head = 0;
    } else {
      this.#head = head + 1;
    }
    return waiter;
  }

  /** Removes a waiter (its caller gave up); true when it was still waiting. */
  remove(waiter: PoolWaiter<S>): boolean {
    const index = this.#items.indexOf(waiter, this.#head);
    if (index < 0) return false;
    this.#items.splice(index, 1);
    return true;
  }

  /** Removes and returns every waiter (the pool fails them). */
  drain(): Array<PoolWaiter<S>> {
    const all = this.#items.slice(this.#head) as Array<PoolWaiter<S>>;
    this.#items = [];
    this.#head = 0;
    return all;
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
    const items = this.#items;
    for (let i = this.#head; i < items.length; ) {
      const waiter = items[i]!;
      if (waiter.deadline <= now) {
        items.splice(i, 1);
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
