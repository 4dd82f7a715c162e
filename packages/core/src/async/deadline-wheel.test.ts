import { afterEach, describe, expect, it, vi } from 'vitest';
import { CallbackDeadline, DEADLINE_PRECISION_MS, DeadlineWheel, type WheelEntry } from './deadline-wheel.js';
import { MAX_TIMER_DELAY_MS } from './long-timeout.js';

afterEach(() => {
  vi.useRealTimers();
});

/** An entry that records when it fired (on the fake clock). */
function entry(): WheelEntry & { firedAt: number[] } {
  const firedAt: number[] = [];
  return {
    wheelSlot: undefined,
    wheelPrev: undefined,
    wheelNext: undefined,
    wheelDueAt: 0,
    firedAt,
    onDeadline: (now: number) => firedAt.push(now),
  };
}

describe('DeadlineWheel', () => {
  it('fires an entry never before it is due, and at most DEADLINE_PRECISION_MS after', async () => {
    for (const delay of [1, 49, 50, 51, 999, 1_000, 30_000]) {
      vi.useFakeTimers({ now: 1_000_003 });
      const wheel = new DeadlineWheel();
      const deadline = entry();
      const due = Date.now() + delay;
      wheel.schedule(deadline, due);
      await vi.advanceTimersByTimeAsync(delay - 1);
      expect(deadline.firedAt).toEqual([]);
      await vi.advanceTimersByTimeAsync(1 + DEADLINE_PRECISION_MS);
      expect(deadline.firedAt).toHaveLength(1);
      expect(deadline.firedAt[0]).toBeGreaterThanOrEqual(due);
      expect(deadline.firedAt[0]! - due).toBeLessThanOrEqual(DEADLINE_PRECISION_MS);
      expect(deadline.wheelSlot).toBeUndefined();
      vi.useRealTimers();
    }
  });

  it('uses one timer for many deadlines, and none once they are cancelled', async () => {
    vi.useFakeTimers();
    const wheel = new DeadlineWheel();
    const entries = Array.from({ length: 100 }, () => entry());
    entries.forEach((deadline, index) => wheel.schedule(deadline, Date.now() + 1_000 + (index % 10)));
    expect(vi.getTimerCount()).toBe(1);
    for (const deadline of entries.slice(0, 50)) wheel.cancel(deadline);
    wheel.cancel(entries[0]!); // idempotent
    await vi.advanceTimersByTimeAsync(1_000 + 10 + DEADLINE_PRECISION_MS);
    expect(entries.filter((deadline) => deadline.firedAt.length === 1)).toHaveLength(50);
    expect(entries.slice(0, 50).every((deadline) => deadline.firedAt.length === 0)).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('moves an entry scheduled again, and re-arms for an earlier deadline', async () => {
    vi.useFakeTimers();
    const wheel = new DeadlineWheel();
    const late = entry();
    const early = entry();
    wheel.schedule(late, Date.now() + 10_000);
    wheel.schedule(early, Date.now() + 100);
    wheel.schedule(late, Date.now() + 200);
    await vi.advanceTimersByTimeAsync(200 + DEADLINE_PRECISION_MS);
    expect(early.firedAt).toHaveLength(1);
    expect(late.firedAt).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(late.firedAt).toHaveLength(1);
  });

  it('runs an entry an entry schedules from its own deadline, and keeps going when one throws', async () => {
    vi.useFakeTimers();
    const wheel = new DeadlineWheel();
    const second = entry();
    const failing: WheelEntry = {
      wheelSlot: undefined,
      wheelPrev: undefined,
      wheelNext: undefined,
      wheelDueAt: 0,
      onDeadline: () => {
        wheel.schedule(second, Date.now() + 300);
        throw new Error('a failing deadline');
      },
    };
    const sibling = entry();
    wheel.schedule(failing, Date.now() + 100);
    wheel.schedule(sibling, Date.now() + 100);
    const uncaught: unknown[] = [];
    const onError = (error: unknown): void => void uncaught.push(error);
    process.on('uncaughtException', onError);
    try {
      await vi.advanceTimersByTimeAsync(100 + DEADLINE_PRECISION_MS);
      expect(sibling.firedAt).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(300 + DEADLINE_PRECISION_MS);
      expect(second.firedAt).toHaveLength(1);
    } finally {
      process.off('uncaughtException', onError);
    }
  });

  it(`waits longer than a Node timer holds (${MAX_TIMER_DELAY_MS} ms) instead of firing at once`, async () => {
    vi.useFakeTimers();
    const wheel = new DeadlineWheel();
    const deadline = entry();
    const delay = MAX_TIMER_DELAY_MS + 10_000;
    wheel.schedule(deadline, Date.now() + delay);
    await vi.advanceTimersByTimeAsync(MAX_TIMER_DELAY_MS);
    expect(deadline.firedAt).toEqual([]);
    await vi.advanceTimersByTimeAsync(10_000 + DEADLINE_PRECISION_MS);
    expect(deadline.firedAt).toHaveLength(1);
  });

  it('arms on the current clock when the timer functions changed since it armed (fake timers in tests)', async () => {
    const wheel = new DeadlineWheel();
    const real = entry();
    wheel.schedule(real, Date.now() + 60_000);
    vi.useFakeTimers();
    const fake = entry();
    wheel.schedule(fake, Date.now() + 100);
    await vi.advanceTimersByTimeAsync(100 + DEADLINE_PRECISION_MS);
    expect(fake.firedAt).toHaveLength(1);
    wheel.cancel(real);
  });
});

describe('CallbackDeadline', () => {
  it('calls back once when due, and never once cleared', async () => {
    vi.useFakeTimers();
    const fired = vi.fn();
    const cleared = vi.fn();
    new CallbackDeadline(fired, 500);
    new CallbackDeadline(cleared, 500).clear();
    await vi.advanceTimersByTimeAsync(499);
    expect(fired).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1 + DEADLINE_PRECISION_MS);
    expect(fired).toHaveBeenCalledTimes(1);
    expect(cleared).not.toHaveBeenCalled();
  });
});
