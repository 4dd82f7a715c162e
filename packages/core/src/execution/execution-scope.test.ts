import { afterEach, describe, expect, it, vi } from 'vitest';
import { CANCEL_GRACE_MS, ExecutionScope, throwIfAborted } from './execution-scope.js';
import {
  DbError,
  DbErrorCategory,
  DbTimeoutError,
  InvalidOperationError,
  OperationCanceledError,
} from '../errors/errors.js';
import type { CoreAbortReason } from '../providers/provider-spi.js';
import { cancellationOf } from '../providers/cancellation-of-signal.js';
import { rejectionOf } from '../testing/test-support.js';
import { DEADLINE_PRECISION_MS } from '../async/deadline-wheel.js';

afterEach(() => {
  vi.useRealTimers();
});

function scope(timeoutMs = 0, signal?: AbortSignal): ExecutionScope {
  return new ExecutionScope({ timeoutMs, signal, providerName: 'memory' });
}

/** What a well-behaved provider does: resolves after `ms`, or rejects as soon as the signal aborts. */
function serverWork<T>(ms: number, value: T, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => resolve(value), ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(new Error('canceling statement due to user request'));
      },
      { once: true },
    );
  });
}

/** Tracks whether a promise settled, and how. */
function track(promise: Promise<unknown>): { state: 'pending' | 'fulfilled' | 'rejected'; error?: unknown } {
  const tracked: { state: 'pending' | 'fulfilled' | 'rejected'; error?: unknown } = { state: 'pending' };
  promise.then(
    () => (tracked.state = 'fulfilled'),
    (error: unknown) => {
      tracked.state = 'rejected';
      tracked.error = error;
    },
  );
  return tracked;
}

describe('aborting', () => {
  it('aborts its signal with a CoreAbortReason; the first reason wins', () => {
    const execution = scope();
    expect(execution.signal.aborted).toBe(false);
    execution.abort('timeout');
    execution.abort('cancel');
    expect(execution.signal.aborted).toBe(true);
    expect(execution.signal.reason).toEqual({ kind: 'timeout' } satisfies CoreAbortReason);
  });

  it("follows the caller's signal, keeping its reason", () => {
    const controller = new AbortController();
    const execution = scope(0, controller.signal);
    controller.abort('stop');
    expect(execution.signal.reason).toEqual({ kind: 'cancel', callerReason: 'stop' });
  });

  it("is aborted at once by an already-aborted caller's signal", () => {
    const execution = scope(0, AbortSignal.abort('early'));
    expect(execution.signal.reason).toEqual({ kind: 'cancel', callerReason: 'early' });
  });

  it("stops following the caller's signal once disposed", () => {
    const controller = new AbortController();
    const execution = scope(0, controller.signal);
    execution.dispose();
    controller.abort();
    expect(execution.signal.aborted).toBe(false);
  });
});

describe('the cancellation view (no AbortSignal until one is asked for)', () => {
  it('calls onAbort listeners once, synchronously, with the reason readable', () => {
    const execution = scope();
    const seen: unknown[] = [];
    execution.onAbort(() => seen.push(execution.reason));
    expect(execution.aborted).toBe(false);
    execution.abort('cancel', 'stop');
    execution.abort('timeout');
    expect(seen).toEqual([{ kind: 'cancel', callerReason: 'stop' }]);
    expect(execution.aborted).toBe(true);
  });

  it('calls a listener added after the abort at once', () => {
    const execution = scope();
    execution.abort('close');
    const listener = vi.fn();
    execution.onAbort(listener);
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('creates its signal on first read, already aborted with the reason when the scope is', () => {
    const execution = scope();
    execution.abort('timeout');
    expect(execution.signal.aborted).toBe(true);
    expect(execution.signal.reason).toEqual({ kind: 'timeout' });
  });

  it('aborts a signal read before the abort, and its listeners run with the onAbort ones', () => {
    const execution = scope();
    const order: string[] = [];
    execution.signal.addEventListener('abort', () => order.push('signal'));
    execution.onAbort(() => order.push('onAbort'));
    execution.abort('cancel');
    expect(order).toEqual(['signal', 'onAbort']);
  });
});

describe('cancellationOf', () => {
  it('views an AbortSignal as a Cancellation', () => {
    const controller = new AbortController();
    const cancellation = cancellationOf(controller.signal);
    const listener = vi.fn();
    cancellation.onAbort(listener);
    expect(cancellation.aborted).toBe(false);
    expect(cancellation.reason).toBeUndefined();
    controller.abort({ kind: 'close' });
    expect(listener).toHaveBeenCalledTimes(1);
    expect(cancellation.reason).toEqual({ kind: 'close' });
    const late = vi.fn();
    cancellation.onAbort(late);
    expect(late).toHaveBeenCalledTimes(1);
  });
});

describe('mapping failures', () => {
  it('passes values through', async () => {
    const execution = scope();
    expect(await execution.wait(Promise.resolve(42))).toBe(42);
  });

  it("wraps a provider's plain error in DbError, keeping it as cause", async () => {
    const cause = new Error('socket hang up');
    const error = await rejectionOf(scope().wait(Promise.reject(cause)));
    expect(error).toBeInstanceOf(DbError);
    expect((error as DbError).cause).toBe(cause);
    expect((error as DbError).providerName).toBe('memory');
  });

  it("keeps a provider's asyncdb error as it is", async () => {
    const original = new DbError('duplicate key', { category: DbErrorCategory.UniqueViolation });
    expect(await rejectionOf(scope().wait(Promise.reject(original)))).toBe(original);
  });

  it("after a cancel: OperationCanceledError with the caller's reason, whatever the provider threw", async () => {
    const controller = new AbortController();
    const execution = scope(0, controller.signal);
    const waiting = execution.wait(serverWork(10_000, 1, execution.signal));
    controller.abort('mine');
    const error = await rejectionOf(waiting);
    expect(error).toBeInstanceOf(OperationCanceledError);
    expect((error as OperationCanceledError).reason).toBe('mine');
    expect((error as OperationCanceledError).message).toBe('Operation cancelled by user.');
  });

  it('after a close: InvalidOperationError "Invalid operation. The connection is closed."', async () => {
    const execution = scope();
    const waiting = execution.wait(serverWork(10_000, 1, execution.signal));
    execution.abort('close');
    const error = await rejectionOf(waiting);
    expect(error).toBeInstanceOf(InvalidOperationError);
    expect((error as Error).message).toBe('Invalid operation. The connection is closed.');
  });

  it('after the session was lost: a transient DbError of category connection_failure with the loss as cause', async () => {
    const execution = scope();
    const waiting = execution.wait(serverWork(10_000, 1, execution.signal));
    const lost = new Error('terminating connection');
    execution.lose(lost);
    expect(execution.signal.reason).toEqual({ kind: 'close' });
    const error = await rejectionOf(waiting);
    expect(error).toBeInstanceOf(DbError);
    expect((error as DbError).category).toBe(DbErrorCategory.ConnectionFailure);
    expect((error as DbError).isTransient).toBe(true);
    expect((error as DbError).cause).toBe(lost);
  });

  it("after the session was lost: the provider's SQLSTATE and providerCode reach the caller's error", async () => {
    const execution = scope();
    const waiting = execution.wait(serverWork(10_000, 1, execution.signal));
    const lost = new DbError('Connection lost', {
      sqlState: '08S01',
      providerCode: 'ESOCKET',
      category: DbErrorCategory.ConnectionFailure,
    });
    execution.lose(lost);
    const error = (await rejectionOf(waiting)) as DbError;
    expect(error).toMatchObject({ sqlState: '08S01', providerCode: 'ESOCKET', cause: lost });
    expect(error.category).toBe(DbErrorCategory.ConnectionFailure);
  });

  it('after the session was lost to a deterministic failure (a provider DbError that is not transient): not transient', async () => {
    const execution = scope();
    const waiting = execution.wait(serverWork(10_000, 1, execution.signal));
    const lost = new DbError('the driver threw parsing a row', { category: DbErrorCategory.Other });
    expect(lost.isTransient).toBe(false);
    execution.lose(lost);
    const error = (await rejectionOf(waiting)) as DbError;
    expect(error.category).toBe(DbErrorCategory.ConnectionFailure);
    expect(error.isTransient).toBe(false);
    expect(error.cause).toBe(lost);
  });

  it("after a timeout: DbTimeoutError of kind 'command'", async () => {
    vi.useFakeTimers();
    const execution = scope(1_000);
    const waiting = track(execution.wait(serverWork(10_000, 1, execution.signal)));
    // Timeouts have the documented precision (docs/cancellation-and-timeouts.md): never early, at most that late.
    await vi.advanceTimersByTimeAsync(999);
    expect(waiting.state).toBe('pending');
    await vi.advanceTimersByTimeAsync(1 + DEADLINE_PRECISION_MS);
    expect(waiting.state).toBe('rejected');
    expect(waiting.error).toBeInstanceOf(DbTimeoutError);
    expect((waiting.error as DbTimeoutError).kind).toBe('command');
    expect((waiting.error as DbTimeoutError).message).toMatch(/\(1 s\)/);
  });

  it("keeps a provider's own OperationCanceledError or DbTimeoutError after an abort", async () => {
    const execution = scope();
    const own = new DbTimeoutError('server-side statement_timeout', 'command');
    execution.abort('cancel');
    expect(await rejectionOf(execution.wait(Promise.reject(own)))).toBe(own);
  });
});

describe('the timeout budget', () => {
  it('is spent across waits, not per wait', async () => {
    vi.useFakeTimers();
    const execution = scope(1_000);
    const first = track(execution.wait(serverWork(600, 'a', execution.signal)));
    await vi.advanceTimersByTimeAsync(600);
    expect(first.state).toBe('fulfilled');
    const second = track(execution.wait(serverWork(600, 'b', execution.signal)));
    // 400 ms were left: the timeout comes then, or at most DEADLINE_PRECISION_MS later — before the 600 ms of work.
    await vi.advanceTimersByTimeAsync(400 + DEADLINE_PRECISION_MS);
    expect(second.state).toBe('rejected');
    expect(second.error).toBeInstanceOf(DbTimeoutError);
  });

  it("does not count the caller's time between waits", async () => {
    vi.useFakeTimers();
    const execution = scope(1_000);
    const first = track(execution.wait(serverWork(600, 'a', execution.signal)));
    await vi.advanceTimersByTimeAsync(600);
    expect(first.state).toBe('fulfilled');
    await vi.advanceTimersByTimeAsync(60_000);
    const second = track(execution.wait(serverWork(300, 'b', execution.signal)));
    await vi.advanceTimersByTimeAsync(300);
    expect(second.state).toBe('fulfilled');
    expect(execution.signal.aborted).toBe(false);
  });

  it('times out when the budget runs out in a later wait (never before, at most DEADLINE_PRECISION_MS after), though the deadline was set in an earlier one', async () => {
    vi.useFakeTimers();
    const execution = scope(1_000);
    const first = track(execution.wait(serverWork(600, 'a', execution.signal)));
    await vi.advanceTimersByTimeAsync(600);
    expect(first.state).toBe('fulfilled');
    // 300 ms of the caller's own time: the budget left is 400 ms, so the second wait may last until t = 1 300.
    await vi.advanceTimersByTimeAsync(300);
    const second = track(execution.wait(serverWork(60_000, 'b', execution.signal)));
    await vi.advanceTimersByTimeAsync(399);
    expect(execution.signal.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1 + DEADLINE_PRECISION_MS);
    expect(execution.signal.aborted).toBe(true);
    await vi.advanceTimersByTimeAsync(10);
    expect(second.state).toBe('rejected');
  });

  it('timeout 0 means no limit', async () => {
    vi.useFakeTimers();
    const execution = scope(0);
    const waiting = track(execution.wait(serverWork(3_600_000, 'done', execution.signal)));
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(waiting.state).toBe('fulfilled');
  });
});

describe('a provider that does not settle after an abort', () => {
  it(`is given ${CANCEL_GRACE_MS} ms, then the wait rejects and the scope is broken`, async () => {
    vi.useFakeTimers();
    const execution = scope();
    const stubborn = new Promise<never>(() => {});
    const waiting = track(execution.wait(stubborn));
    execution.abort('cancel');
    await vi.advanceTimersByTimeAsync(CANCEL_GRACE_MS - 1);
    expect(waiting.state).toBe('pending');
    expect(execution.broken).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(waiting.state).toBe('rejected');
    expect(waiting.error).toBeInstanceOf(OperationCanceledError);
    expect(execution.broken).toBe(true);
  });

  it('a wait started after the abort also gets the grace period', async () => {
    vi.useFakeTimers();
    const execution = scope();
    execution.abort('close');
    const waiting = track(execution.wait(new Promise<never>(() => {})));
    await vi.advanceTimersByTimeAsync(CANCEL_GRACE_MS);
    expect(waiting.state).toBe('rejected');
    expect(waiting.error).toBeInstanceOf(InvalidOperationError);
    expect(execution.broken).toBe(true);
  });

  it('one grace per execution: a wait begun after the abort gets only what is left of it (issue 13, item 8)', async () => {
    vi.useFakeTimers();
    const execution = scope();
    const fetch = track(execution.wait(new Promise<never>(() => {})));
    execution.abort('timeout');
    await vi.advanceTimersByTimeAsync(CANCEL_GRACE_MS - 2_000);
    // The reader's close, behind the fetch that still hangs.
    const close = track(execution.wait(new Promise<never>(() => {})));
    await vi.advanceTimersByTimeAsync(2_000);
    expect(fetch.state).toBe('rejected');
    expect(close.state).toBe('rejected');
    // Once the grace is spent, a further wait is given up at once.
    const late = track(execution.wait(new Promise<never>(() => {})));
    await vi.advanceTimersByTimeAsync(0);
    expect(late.state).toBe('rejected');
    expect(execution.broken).toBe(true);
  });

  it('a late rejection of the abandoned provider promise is not unhandled', async () => {
    vi.useFakeTimers();
    const execution = scope();
    let rejectLate!: (error: Error) => void;
    const late = new Promise<never>((_, reject) => (rejectLate = reject));
    const waiting = track(execution.wait(late));
    execution.abort('cancel');
    await vi.advanceTimersByTimeAsync(CANCEL_GRACE_MS);
    expect(waiting.state).toBe('rejected');
    rejectLate(new Error('finally gave up'));
    vi.useRealTimers();
    await new Promise((resolve) => setTimeout(resolve, 10));
  });
});

describe('whenIdle', () => {
  it('resolves at once when nothing waits', async () => {
    await scope().whenIdle();
  });

  it('resolves once every wait settled', async () => {
    vi.useFakeTimers();
    const execution = scope();
    const waiting = track(execution.wait(serverWork(500, 1, execution.signal)));
    const idle = track(execution.whenIdle());
    await vi.advanceTimersByTimeAsync(499);
    expect(idle.state).toBe('pending');
    await vi.advanceTimersByTimeAsync(1);
    expect(waiting.state).toBe('fulfilled');
    expect(idle.state).toBe('fulfilled');
  });
});

describe('throwIfAborted', () => {
  it('does nothing without a signal or with a live one', () => {
    throwIfAborted(undefined);
    throwIfAborted(new AbortController().signal);
  });

  it("throws OperationCanceledError with the signal's reason", () => {
    const reason = new Error('why');
    let error: unknown;
    try {
      throwIfAborted(AbortSignal.abort(reason));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(OperationCanceledError);
    expect((error as OperationCanceledError).reason).toBe(reason);
  });
});
