import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_TIMER_DELAY_MS, setLongTimeout } from './long-timeout.js';

describe('setLongTimeout (issue 13 item 5: timeouts above 2^31-1 ms)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('waits a delay longer than a Node timer can hold, in chained timers', () => {
    vi.useFakeTimers();
    const fired = vi.fn();
    setLongTimeout(fired, 2 ** 31 + 1_000);
    vi.advanceTimersByTime(MAX_TIMER_DELAY_MS);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1_000);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(2);
    expect(fired).toHaveBeenCalledTimes(1);
  });

  it('fires an ordinary delay once, on time', () => {
    vi.useFakeTimers();
    const fired = vi.fn();
    setLongTimeout(fired, 50);
    vi.advanceTimersByTime(49);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fired).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1_000);
    expect(fired).toHaveBeenCalledTimes(1);
  });

  it('does not fire once cleared, also between two links of the chain', () => {
    vi.useFakeTimers();
    const fired = vi.fn();
    const timeout = setLongTimeout(fired, 2 ** 32);
    vi.advanceTimersByTime(MAX_TIMER_DELAY_MS + 10);
    timeout.clear();
    vi.advanceTimersByTime(2 ** 32);
    expect(fired).not.toHaveBeenCalled();
  });

  it('emits no TimeoutOverflowWarning and does not fire early on real timers', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error): void => void warnings.push(warning);
    process.on('warning', onWarning);
    const fired = vi.fn();
    const timeout = setLongTimeout(fired, 2 ** 31 * 1000, { unref: true });
    await new Promise((resolve) => setTimeout(resolve, 50));
    timeout.clear();
    process.off('warning', onWarning);
    expect(fired).not.toHaveBeenCalled();
    expect(warnings.map((warning) => warning.name)).not.toContain('TimeoutOverflowWarning');
  });
});
