import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEADLINE_PRECISION_MS } from '../async/deadline-wheel.js';
import { DbTimeoutError } from '../errors/errors.js';
import type { OpenContext, SessionInfo } from '../providers/provider-spi.js';
import { MemoryConnection, MemoryProviderFactory } from '../testing/memory-provider.js';
import { rejectionOf } from '../testing/test-support.js';

afterEach(() => {
  vi.useRealTimers();
});

/** A driver given the same Connect Timeout as core (mysql2's connectTimeout, tedious's), failing with its own error. */
class DriverTimingOutConnection extends MemoryConnection {
  protected override openCore(context: OpenContext): Promise<SessionInfo> {
    return new Promise((_, reject) =>
      setTimeout(() => reject(new Error('connect ETIMEDOUT')), context.connectTimeoutMs),
    );
  }
}

describe('Connect Timeout with a 50 ms precision (issue 12, item 3)', () => {
  it("is still DbTimeoutError 'connect' when the driver's own timer of the same length fails the open first", async () => {
    // Core's deadline is due at +1 000 ms but comes at the next 50 ms tick: the driver's timer wins the race.
    vi.useFakeTimers({ now: 1_000_001 });
    const connection = new DriverTimingOutConnection(new MemoryProviderFactory(), 'Connect Timeout=1');
    const outcome = rejectionOf(connection.open());
    await vi.advanceTimersByTimeAsync(1_000 + DEADLINE_PRECISION_MS);
    const error = await outcome;
    expect(error).toBeInstanceOf(DbTimeoutError);
    expect((error as DbTimeoutError).kind).toBe('connect');
    expect((error as DbTimeoutError).cause).toMatchObject({ message: 'connect ETIMEDOUT' });
    expect(connection.state).toBe('Closed');
  });
});
