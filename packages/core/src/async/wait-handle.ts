import { ArgumentError } from '../errors/errors.js';
import { setLongTimeout, type LongTimeout } from './long-timeout.js';

/** Sets a handle; assigned by the class's static block, so only this module can signal a handle. */
let setHandle: (handle: WaitHandle) => void;
/** Adds a one-shot listener to a handle; assigned like {@link setHandle}. */
let listenHandle: (handle: WaitHandle, listener: () => void) => () => void;

/**
 * A one-way signal that asynchronous code can wait on, with an optional timeout. Mirrors
 * `System.Threading.WaitHandle` as used with `IAsyncResult.AsyncWaitHandle`: once set, it stays set.
 * Node cannot block a thread, so every wait returns a Promise.
 *
 * ```ts
 * const index = await WaitHandle.waitAny([ar1.asyncWaitHandle, ar2.asyncWaitHandle], 5_000);
 * if (index === WaitHandle.WaitTimeout) console.log('nothing finished within 5 s');
 * ```
 */
export class WaitHandle {
  /** The value {@link WaitHandle.waitAny} returns when the timeout elapsed first (258, as in .NET). */
  static readonly WaitTimeout = 258;

  // Setting and listening are ES-private: a user holding an asyncWaitHandle could otherwise set it and fire the
  // Begin's callback before the operation completed. The owning operation reaches them through the module's
  // signalWaitHandle/onWaitHandleSet, which the package does not export.
  static {
    setHandle = (handle) => handle.#set();
    listenHandle = (handle, listener) => handle.#onSet(listener);
  }

  #signaled = false;
  readonly #waiters = new Set<() => void>();

  /** True once the handle has been set. */
  get isSignaled(): boolean {
    return this.#signaled;
  }

  /** Sets the handle and releases every waiter. Idempotent. */
  #set(): void {
    if (this.#signaled) return;
    this.#signaled = true;
    for (const wake of this.#waiters) wake();
    this.#waiters.clear();
  }

  /**
   * Waits until the handle is set or the timeout elapses. Mirrors `WaitHandle.WaitOne(int)`.
   * @param timeoutMs milliseconds to wait; omitted, `undefined` or `-1` waits without limit; `0` tests and returns at once.
   * @returns true when the handle was set, false when the timeout elapsed first.
   */
  waitOne(timeoutMs?: number): Promise<boolean> {
    const timeout = validated(() => normalizeTimeout(timeoutMs));
    if (timeout instanceof Promise) return timeout;
    if (this.#signaled) return Promise.resolve(true);
    if (timeout === 0) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      let timer: LongTimeout | undefined;
      const wake = (): void => {
        timer?.clear();
        resolve(true);
      };
      this.#waiters.add(wake);
      if (timeout !== Infinity) {
        // Any length (a wait longer than 2^31-1 ms must not end at once).
        timer = setLongTimeout(() => {
          this.#waiters.delete(wake);
          resolve(false);
        }, timeout);
      }
    });
  }

  /** Registers a one-shot listener, returning a function that removes it. */
  #onSet(listener: () => void): () => void {
    if (this.#signaled) {
      listener();
      return () => {};
    }
    this.#waiters.add(listener);
    return () => this.#waiters.delete(listener);
  }

  /**
   * Waits until any of the handles is set. Mirrors `WaitHandle.WaitAny`: when several are already set,
   * the lowest index wins. Handles from different connections and providers mix freely.
   * @returns the index of a set handle, or {@link WaitHandle.WaitTimeout} when the timeout elapsed first.
   */
  static waitAny(handles: readonly WaitHandle[], timeoutMs?: number): Promise<number> {
    const timeout = validated(() => validateHandles(handles, timeoutMs));
    if (timeout instanceof Promise) return timeout;
    const ready = handles.findIndex((handle) => handle.#signaled);
    if (ready >= 0) return Promise.resolve(ready);
    if (timeout === 0) return Promise.resolve(WaitHandle.WaitTimeout);
    return new Promise<number>((resolve) => {
      const removers: Array<() => void> = [];
      let timer: LongTimeout | undefined;
      const finish = (result: number): void => {
        timer?.clear();
        for (const remove of removers) remove();
        resolve(result);
      };
      handles.forEach((handle, index) => removers.push(handle.#onSet(() => finish(index))));
      if (timeout !== Infinity) timer = setLongTimeout(() => finish(WaitHandle.WaitTimeout), timeout);
    });
  }

  /**
   * Waits until every handle is set. Mirrors `WaitHandle.WaitAll`.
   * @returns true when all were set, false when the timeout elapsed first.
   */
  static waitAll(handles: readonly WaitHandle[], timeoutMs?: number): Promise<boolean> {
    const timeout = validated(() => validateHandles(handles, timeoutMs));
    if (timeout instanceof Promise) return timeout;
    let pending = handles.filter((handle) => !handle.#signaled).length;
    if (pending === 0) return Promise.resolve(true);
    if (timeout === 0) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      const removers: Array<() => void> = [];
      let timer: LongTimeout | undefined;
      const finish = (result: boolean): void => {
        timer?.clear();
        for (const remove of removers) remove();
        resolve(result);
      };
      for (const handle of handles) {
        if (handle.#signaled) continue;
        removers.push(
          handle.#onSet(() => {
            pending -= 1;
            if (pending === 0) finish(true);
          }),
        );
      }
      if (timeout !== Infinity) timer = setLongTimeout(() => finish(false), timeout);
    });
  }
}

function normalizeTimeout(timeoutMs: number | undefined): number {
  if (timeoutMs === undefined || timeoutMs === -1 || timeoutMs === Infinity) return Infinity;
  if (!Number.isFinite(timeoutMs) || timeoutMs < 0) {
    throw new ArgumentError(
      `The timeout must be -1 (infinite) or a non-negative number of milliseconds; got ${timeoutMs}.`,
      'timeoutMs',
    );
  }
  return timeoutMs;
}

/** Checks the handles, then returns the normalized timeout. */
function validateHandles(handles: readonly WaitHandle[], timeoutMs: number | undefined): number {
  if (!Array.isArray(handles) || handles.length === 0) {
    throw new ArgumentError('waitAny/waitAll need a non-empty array of wait handles.', 'handles');
  }
  for (const handle of handles) {
    if (!(handle instanceof WaitHandle)) throw new ArgumentError('Every element must be a WaitHandle.', 'handles');
  }
  return normalizeTimeout(timeoutMs);
}

/** The checked timeout, or a rejected Promise: the waits return Promises, so invalid arguments reject, never throw. */
function validated(check: () => number): number | Promise<never> {
  try {
    return check();
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * Sets `handle` and releases every waiter (idempotent): for the operation that owns the handle only.
 * @internal Not exported from the package.
 */
export function signalWaitHandle(handle: WaitHandle): void {
  setHandle(handle);
}

/**
 * Registers a one-shot listener on `handle` (called at once when already set), returning a function that removes it.
 * @internal Not exported from the package.
 */
export function onWaitHandleSet(handle: WaitHandle, listener: () => void): () => void {
  return listenHandle(handle, listener);
}
