/**
 * The request a connection is running. ATTENTION (or the socket closing) aborts its signal; the pump
 * races every wait against {@link stopped} so a request stops at once even if the engine is slow to
 * notice the abort.
 */
export class ActiveRequest {
  private readonly controller = new AbortController();
  /** True once the client sent ATTENTION for this request. */
  attention = false;
  /** Resolves when the request must stop (ATTENTION or connection closed). */
  readonly stopped: Promise<typeof STOPPED>;

  constructor() {
    this.stopped = new Promise((resolve) => {
      this.controller.signal.addEventListener('abort', () => resolve(STOPPED), { once: true });
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

/** The value {@link ActiveRequest.stopped} resolves with. */
export const STOPPED: unique symbol = Symbol('stopped');
