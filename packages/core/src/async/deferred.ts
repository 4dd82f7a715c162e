/**
 * A promise with its resolve/reject exposed, and a synchronous view of whether it settled.
 * The building block of {@link WaitHandle} and {@link DbAsyncResult}.
 * @internal
 */
export class Deferred<T> {
  readonly promise: Promise<T>;
  #resolve!: (value: T) => void;
  #reject!: (reason: unknown) => void;
  #settled: 'pending' | 'fulfilled' | 'rejected' = 'pending';

  constructor() {
    this.promise = new Promise<T>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
  }

  /** 'pending' until resolve or reject is called. */
  get settled(): 'pending' | 'fulfilled' | 'rejected' {
    return this.#settled;
  }

  /** Fulfils the promise; later calls are ignored. */
  resolve(value: T): void {
    if (this.#settled !== 'pending') return;
    this.#settled = 'fulfilled';
    this.#resolve(value);
  }

  /** Rejects the promise; later calls are ignored. */
  reject(reason: unknown): void {
    if (this.#settled !== 'pending') return;
    this.#settled = 'rejected';
    this.#reject(reason);
  }
}
