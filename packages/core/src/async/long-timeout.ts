/**
 * The longest delay Node's timers take (2³¹−1 ms, about 24.8 days). A longer one fires after 1 ms with a
 * `TimeoutOverflowWarning` — which is why every delay core arms goes through {@link setLongTimeout}.
 * @internal
 */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

/**
 * A timeout of any length: delays up to {@link MAX_TIMER_DELAY_MS} are one `setTimeout`; longer ones are a chain of
 * them, each re-armed for what is left, so that a `Connect Timeout` or a wait of up to `Int32.MaxValue` seconds
 * (ADO.NET's limit) waits that long instead of firing at once.
 * @internal
 */
export class LongTimeout {
  readonly #callback: () => void;
  readonly #dueAt: number;
  readonly #unref: boolean;
  #timer: NodeJS.Timeout | undefined;

  constructor(callback: () => void, delayMs: number, unref: boolean) {
    this.#callback = callback;
    this.#dueAt = Date.now() + delayMs;
    this.#unref = unref;
    this.#arm(delayMs);
  }

  /** Stops the timeout; idempotent. */
  clear(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #arm(delayMs: number): void {
    this.#timer = setTimeout(this.#onTimer, Math.min(Math.max(0, delayMs), MAX_TIMER_DELAY_MS));
    if (this.#unref) this.#timer.unref();
  }

  readonly #onTimer = (): void => {
    const left = this.#dueAt - Date.now();
    if (left > 0) {
      this.#arm(left);
      return;
    }
    this.#timer = undefined;
    this.#callback();
  };
}

/**
 * Calls `callback` once after `delayMs` milliseconds, however long that is (see {@link LongTimeout}).
 * `unref: true` lets the process exit while the timeout is pending.
 * @internal
 */
export function setLongTimeout(callback: () => void, delayMs: number, options: { readonly unref?: boolean } = {}): LongTimeout {
  return new LongTimeout(callback, delayMs, options.unref ?? false);
}
