import { delay } from './delay.js';

/** Options of {@link waitUntil}. */
export interface WaitUntilOptions {
  /** Give up after this many milliseconds. Defaults to 10 000. */
  readonly timeoutMs?: number;
  /** Pause between attempts. Defaults to 25 ms. */
  readonly intervalMs?: number;
  /** What was awaited, for the error message. */
  readonly what?: string;
}

/**
 * Polls `probe` until it resolves a truthy value, and resolves that value; rejects with an Error naming `what`
 * (and the last value seen) when `timeoutMs` elapses first. Errors thrown by `probe` are not retried.
 * @internal
 */
export async function waitUntil<T>(
  probe: () => Promise<T> | T,
  options: WaitUntilOptions = {},
): Promise<NonNullable<T>> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const intervalMs = options.intervalMs ?? 25;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as NonNullable<T>;
    if (Date.now() >= deadline) {
      throw new Error(
        `Timed out after ${timeoutMs} ms waiting for ${options.what ?? 'a condition'} (last value: ${String(value)})`,
      );
    }
    await delay(intervalMs);
  }
}
