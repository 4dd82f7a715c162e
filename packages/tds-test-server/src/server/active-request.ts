/**
 * The request a connection is running. ATTENTION (or the socket closing) aborts its signal; the pump
 * races every wait against it ({@link race}) so a request stops at once even if the engine is slow
 * to notice the abort.
 */
export class ActiveRequest {
  private readonly controller = new AbortController();
  /** True once the client sent ATTENTION for this request. */
  attention = false;

  /**
   * Settles like `promise`, or with {@link STOPPED} as soon as the request is aborted.
   *
   * Not `Promise.race([promise, stopped])`: each race would leave a reaction on the long-lived
   * `stopped` promise, holding the settled event until the request ends. For a million rows that
   * is the whole result set on the heap, which is exactly what streaming must avoid.
   */
  race<T>(promise: Promise<T>): Promise<T | typeof STOPPED> {
    const signal = this.controller.signal;
    if (signal.aborted) return Promise.resolve(STOPPED);
    return new Promise((resolve, reject) => {
      const onAbort = (): void => resolve(STOPPED);
      signal.addEventListener('abort', onAbort, { once: true });
      promise.then(
        (value) => {
          signal.removeEventListener('abort', onAbort);
          resolve(value);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      );
    });
  }

  /** The signal handed to the engine. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Marks the request as cancelled by ATTENTION. */
  cancelByAttention(): void {
    this.attention = true;
    this.abort('ATTENTION');
  }

  /** Aborts the engine's work (ATTENTION, a closed socket, or a failure that ends the response early). */
  abort(reason: string): void {
    if (!this.controller.signal.aborted) this.controller.abort(new DOMException(reason, 'AbortError'));
  }

  /** True once the request was told to stop. */
  get aborted(): boolean {
    return this.controller.signal.aborted;
  }
}

/** What {@link ActiveRequest.race} settles with when the request was aborted first. */
export const STOPPED: unique symbol = Symbol('stopped');
