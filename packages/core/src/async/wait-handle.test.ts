import { afterEach, describe, expect, it, vi } from 'vitest';
import { WaitHandle, signalWaitHandle } from './wait-handle.js';
import { ArgumentError } from '../errors/errors.js';
import { rejectionOf } from '../testing/test-support.js';

afterEach(() => {
  vi.useRealTimers();
});

/** A handle set after `ms` (fake timers). */
function setAfter(ms: number): WaitHandle {
  const handle = new WaitHandle();
  setTimeout(() => signalWaitHandle(handle), ms);
  return handle;
}

/** Records the settled value of a promise, so a test can see whether it settled yet. */
function track<T>(promise: Promise<T>): { settled: boolean; value: T | undefined } {
  const state: { settled: boolean; value: T | undefined } = { settled: false, value: undefined };
  void promise.then((value) => {
    state.settled = true;
    state.value = value;
  });
  return state;
}

describe('WaitHandle', () => {
  it('starts unsignaled, stays signaled once set, and set() is idempotent', () => {
    const handle = new WaitHandle();
    expect(handle.isSignaled).toBe(false);
    signalWaitHandle(handle);
    signalWaitHandle(handle);
    expect(handle.isSignaled).toBe(true);
  });

  it('has WaitTimeout 258, as .NET', () => {
    expect(WaitHandle.WaitTimeout).toBe(258);
  });
});

describe('waitOne', () => {
  it('without a timeout resolves true once the handle is set', async () => {
    vi.useFakeTimers();
    const handle = setAfter(1_000);
    const waiting = track(handle.waitOne());
    await vi.advanceTimersByTimeAsync(999);
    expect(waiting.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(waiting).toEqual({ settled: true, value: true });
  });

  it('-1 and Infinity wait without limit', async () => {
    vi.useFakeTimers();
    const handle = setAfter(100_000);
    const minusOne = track(handle.waitOne(-1));
    const infinite = track(handle.waitOne(Infinity));
    await vi.advanceTimersByTimeAsync(100_000);
    expect(minusOne.value).toBe(true);
    expect(infinite.value).toBe(true);
  });

  it('resolves false when the timeout elapses first', async () => {
    vi.useFakeTimers();
    const handle = setAfter(500);
    const waiting = track(handle.waitOne(100));
    await vi.advanceTimersByTimeAsync(100);
    expect(waiting).toEqual({ settled: true, value: false });
    await vi.advanceTimersByTimeAsync(400);
    expect(handle.isSignaled).toBe(true);
  });

  it('resolves true at once on a set handle, even with timeout 0', async () => {
    const handle = new WaitHandle();
    signalWaitHandle(handle);
    expect(await handle.waitOne(0)).toBe(true);
    expect(await handle.waitOne()).toBe(true);
  });

  it('with timeout 0 tests the handle and resolves false at once when unset', async () => {
    expect(await new WaitHandle().waitOne(0)).toBe(false);
  });

  it('releases every waiter', async () => {
    const handle = new WaitHandle();
    const waits = [handle.waitOne(), handle.waitOne(10_000), handle.waitOne(-1)];
    signalWaitHandle(handle);
    expect(await Promise.all(waits)).toEqual([true, true, true]);
  });

  it('rejects an invalid timeout with ArgumentError', async () => {
    const handle = new WaitHandle();
    for (const timeout of [-2, Number.NaN, -Infinity]) {
      expect(await rejectionOf(handle.waitOne(timeout))).toBeInstanceOf(ArgumentError);
    }
  });
});

describe('WaitHandle.waitAny', () => {
  it('resolves the index of the first handle to be set', async () => {
    vi.useFakeTimers();
    const handles = [setAfter(300), setAfter(100), setAfter(200)];
    const waiting = track(WaitHandle.waitAny(handles));
    await vi.advanceTimersByTimeAsync(100);
    expect(waiting).toEqual({ settled: true, value: 1 });
  });

  it('resolves the lowest index when several are already set', async () => {
    const handles = [new WaitHandle(), new WaitHandle(), new WaitHandle()];
    signalWaitHandle(handles[2]!);
    signalWaitHandle(handles[1]!);
    expect(await WaitHandle.waitAny(handles)).toBe(1);
    expect(await WaitHandle.waitAny(handles, 0)).toBe(1);
  });

  it('resolves WaitTimeout when none is set in time', async () => {
    vi.useFakeTimers();
    const waiting = track(WaitHandle.waitAny([setAfter(500), setAfter(600)], 100));
    await vi.advanceTimersByTimeAsync(100);
    expect(waiting).toEqual({ settled: true, value: WaitHandle.WaitTimeout });
  });

  it('with timeout 0 resolves WaitTimeout at once when none is set', async () => {
    expect(await WaitHandle.waitAny([new WaitHandle()], 0)).toBe(WaitHandle.WaitTimeout);
  });

  it('settles once: handles set later do not change the answer', async () => {
    const handles = [new WaitHandle(), new WaitHandle()];
    const waiting = WaitHandle.waitAny(handles);
    signalWaitHandle(handles[1]!);
    signalWaitHandle(handles[0]!);
    expect(await waiting).toBe(1);
  });

  it('rejects an empty array, a non-handle and an invalid timeout with ArgumentError', async () => {
    expect(await rejectionOf(WaitHandle.waitAny([]))).toBeInstanceOf(ArgumentError);
    expect(await rejectionOf(WaitHandle.waitAny([{} as WaitHandle]))).toBeInstanceOf(ArgumentError);
    expect(await rejectionOf(WaitHandle.waitAny(null as unknown as WaitHandle[]))).toBeInstanceOf(ArgumentError);
    expect(await rejectionOf(WaitHandle.waitAny([new WaitHandle()], -5))).toBeInstanceOf(ArgumentError);
  });
});

describe('WaitHandle.waitAll', () => {
  it('resolves true once every handle is set', async () => {
    vi.useFakeTimers();
    const waiting = track(WaitHandle.waitAll([setAfter(100), setAfter(300), setAfter(200)]));
    await vi.advanceTimersByTimeAsync(299);
    expect(waiting.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(waiting).toEqual({ settled: true, value: true });
  });

  it('resolves true at once when every handle is already set', async () => {
    const handles = [new WaitHandle(), new WaitHandle()];
    for (const handle of handles) signalWaitHandle(handle);
    expect(await WaitHandle.waitAll(handles, 0)).toBe(true);
  });

  it('resolves false when the timeout elapses first', async () => {
    vi.useFakeTimers();
    const waiting = track(WaitHandle.waitAll([setAfter(50), setAfter(500)], 100));
    await vi.advanceTimersByTimeAsync(100);
    expect(waiting).toEqual({ settled: true, value: false });
  });

  it('with timeout 0 resolves false at once when one is unset', async () => {
    const set = new WaitHandle();
    signalWaitHandle(set);
    expect(await WaitHandle.waitAll([set, new WaitHandle()], 0)).toBe(false);
  });

  it('accepts the same handle twice', async () => {
    const handle = new WaitHandle();
    const waiting = WaitHandle.waitAll([handle, handle]);
    signalWaitHandle(handle);
    expect(await waiting).toBe(true);
  });

  it('rejects an empty array and an invalid timeout with ArgumentError', async () => {
    expect(await rejectionOf(WaitHandle.waitAll([]))).toBeInstanceOf(ArgumentError);
    expect(await rejectionOf(WaitHandle.waitAll([new WaitHandle()], Number.NaN))).toBeInstanceOf(ArgumentError);
  });
});
