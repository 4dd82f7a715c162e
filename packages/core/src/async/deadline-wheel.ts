import { MAX_TIMER_DELAY_MS } from './long-timeout.js';

/**
 * The precision of core's timeouts (`Command Timeout`, `Connect Timeout`): a deadline fires no earlier than it is due
 * and at most this many milliseconds later (plus whatever delay the event loop itself adds). Deadlines are grouped into
 * ticks of this length so that one Node timer serves all of them (docs/cancellation-and-timeouts.md).
 */
export const DEADLINE_PRECISION_MS = 50;

/**
 * Something with a deadline on the {@link DeadlineWheel}: the object itself is the wheel's entry (an intrusive list
 * node), so scheduling and cancelling a deadline allocate nothing. The `wheel*` fields belong to the wheel.
 * @internal
 */
export interface WheelEntry {
  /** The tick this entry sits in, while scheduled. Written only by the wheel. */
  wheelSlot: WheelBucket | undefined;
  /** The tick's previous entry. Written only by the wheel. */
  wheelPrev: WheelEntry | undefined;
  /** The tick's next entry. Written only by the wheel. */
  wheelNext: WheelEntry | undefined;
  /** When the entry is due (ms since epoch). Written only by the wheel. */
  wheelDueAt: number;
  /** Called once when the deadline has passed (never earlier); the entry is no longer scheduled by then. */
  onDeadline(now: number): void;
}

/**
 * The entries of one tick: a doubly linked list threaded through the entries themselves. A `Set` per tick cost an
 * allocation on most add/delete pairs (its table grows and shrinks around one entry), on every command.
 * @internal
 */
export class WheelBucket {
  first: WheelEntry | undefined = undefined;

  add(entry: WheelEntry): void {
    entry.wheelSlot = this;
    entry.wheelPrev = undefined;
    entry.wheelNext = this.first;
    if (this.first !== undefined) this.first.wheelPrev = entry;
    this.first = entry;
  }

  remove(entry: WheelEntry): void {
    const { wheelPrev: prev, wheelNext: next } = entry;
    if (prev === undefined) this.first = next;
    else prev.wheelNext = next;
    if (next !== undefined) next.wheelPrev = prev;
    entry.wheelSlot = undefined;
    entry.wheelPrev = undefined;
    entry.wheelNext = undefined;
  }
}

/**
 * One coarse timer for every deadline in the process. A command or an open used to arm a `setTimeout` of its own
 * (and clear it a millisecond later, nearly always): the timer objects and the timer list bookkeeping were a visible
 * share of a short operation. Here a deadline is an entry linked into the list of its tick ({@link DEADLINE_PRECISION_MS}
 * long) and deleted again when the operation ends; one unref'd timer is armed for the earliest tick that has entries.
 *
 * Empty ticks are dropped lazily (when their time comes), so cancelling costs an unlink. Delays longer than a
 * Node timer holds (2³¹−1 ms) re-arm until the tick is reached. The timer functions are looked up when arming, and an
 * armed timer is replaced when they changed (fake timers in tests), so entries always run on the current clock.
 * @internal
 */
export class DeadlineWheel {
  readonly #precision: number;
  readonly #buckets = new Map<number, WheelBucket>();
  /** A binary min-heap of the ticks that have (or had) a bucket. */
  readonly #ticks: number[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #timerTick = Infinity;
  #armedWith: typeof setTimeout | undefined;
  #clear: typeof clearTimeout | undefined;

  constructor(precisionMs: number = DEADLINE_PRECISION_MS) {
    this.#precision = precisionMs;
  }

  /** Schedules `entry` to be called at `dueAt` (ms since epoch), moving it if it was scheduled already. */
  schedule(entry: WheelEntry, dueAt: number): void {
    if (entry.wheelSlot !== undefined) entry.wheelSlot.remove(entry);
    entry.wheelDueAt = dueAt;
    const tick = Math.ceil(dueAt / this.#precision);
    let bucket = this.#buckets.get(tick);
    if (bucket === undefined) {
      bucket = new WheelBucket();
      this.#buckets.set(tick, bucket);
      pushHeap(this.#ticks, tick);
    }
    bucket.add(entry);
    if (tick < this.#timerTick || this.#armedWith !== setTimeout) this.#arm(tick);
  }

  /** Unschedules `entry`; does nothing when it is not scheduled. */
  cancel(entry: WheelEntry): void {
    entry.wheelSlot?.remove(entry);
  }

  #arm(tick: number): void {
    if (this.#timer !== undefined) this.#clear!(this.#timer);
    this.#armedWith = setTimeout;
    this.#clear = clearTimeout;
    this.#timerTick = tick;
    const delay = Math.min(Math.max(0, tick * this.#precision - Date.now()), MAX_TIMER_DELAY_MS);
    this.#timer = setTimeout(this.#onTimer, delay);
    // A deadline never keeps the process alive by itself: what it guards (a socket, a wait) does, or nothing runs.
    this.#timer.unref?.();
  }

  readonly #onTimer = (): void => {
    this.#timer = undefined;
    this.#timerTick = Infinity;
    const now = Date.now();
    const nowTick = Math.floor(now / this.#precision);
    const ticks = this.#ticks;
    while (ticks.length > 0 && ticks[0]! <= nowTick) {
      const tick = popHeap(ticks);
      const bucket = this.#buckets.get(tick);
      if (bucket === undefined) continue;
      this.#buckets.delete(tick);
      for (let entry = bucket.first; entry !== undefined; entry = bucket.first) {
        bucket.remove(entry);
        // Never early: an entry is only in a due tick when it is due, but the clock may have been moved (tests).
        if (entry.wheelDueAt > now) {
          this.schedule(entry, entry.wheelDueAt);
          continue;
        }
        try {
          entry.onDeadline(now);
        } catch (error) {
          // One failing entry must not stop the others: report it as an uncaught error would be.
          queueMicrotask(() => {
            throw error;
          });
        }
      }
    }
    // An entry rescheduled above may have armed the timer for a later tick than the earliest one left.
    if (ticks.length > 0 && ticks[0]! < this.#timerTick) this.#arm(ticks[0]!);
  };
}

function pushHeap(heap: number[], value: number): void {
  let index = heap.push(value) - 1;
  while (index > 0) {
    const parent = (index - 1) >> 1;
    if (heap[parent]! <= value) break;
    heap[index] = heap[parent]!;
    index = parent;
  }
  heap[index] = value;
}

function popHeap(heap: number[]): number {
  const top = heap[0]!;
  const last = heap.pop()!;
  if (heap.length === 0) return top;
  let index = 0;
  for (;;) {
    const left = 2 * index + 1;
    if (left >= heap.length) break;
    const right = left + 1;
    const child = right < heap.length && heap[right]! < heap[left]! ? right : left;
    if (heap[child]! >= last) break;
    heap[index] = heap[child]!;
    index = child;
  }
  heap[index] = last;
  return top;
}

/** The process's wheel, shared by every connection and command. @internal */
export const deadlines = new DeadlineWheel();

/**
 * A deadline for a callback, on the shared wheel: for the rare owner that is not itself a {@link WheelEntry} (an
 * open's `Connect Timeout`). Costs one small object and no timer.
 * @internal
 */
export class CallbackDeadline implements WheelEntry {
  wheelSlot: WheelBucket | undefined = undefined;
  wheelPrev: WheelEntry | undefined = undefined;
  wheelNext: WheelEntry | undefined = undefined;
  wheelDueAt = 0;
  readonly #callback: () => void;

  constructor(callback: () => void, delayMs: number) {
    this.#callback = callback;
    deadlines.schedule(this, Date.now() + delayMs);
  }

  onDeadline(): void {
    this.#callback();
  }

  /** Stops the deadline; idempotent. */
  clear(): void {
    deadlines.cancel(this);
  }
}
