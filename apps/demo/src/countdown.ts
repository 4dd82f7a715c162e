/**
 * Resolves once {@link Countdown.signal} has been called `count` times: how the main flow waits for callbacks it
 * does not control (ADO.NET samples used a counter and a `ManualResetEvent` for the same purpose).
 */
export class Countdown {
  #remaining: number;
  readonly #done: Promise<void>;
  #resolve!: () => void;

  constructor(count: number) {
    this.#remaining = count;
    this.#done = new Promise((resolve) => {
      this.#resolve = resolve;
    });
    if (count <= 0) this.#resolve();
  }

  /** Counts one down. */
  signal(): void {
    this.#remaining -= 1;
    if (this.#remaining === 0) this.#resolve();
  }

  /** Resolves true when the count reached zero, false when `timeoutMs` elapsed first. */
  async wait(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    try {
      return await Promise.race([this.#done.then(() => true), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
