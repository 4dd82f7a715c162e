import type { Cancellation, CoreAbortReason } from './provider-spi.js';

/**
 * A {@link Cancellation} view of an `AbortSignal`, for a provider's own operations that run under a signal of their
 * own (a session reset with `AbortSignal.timeout`, say) through the same code as commands.
 */
export function cancellationOf(signal: AbortSignal): Cancellation {
  return {
    get aborted() {
      return signal.aborted;
    },
    get reason() {
      return signal.aborted ? (signal.reason as CoreAbortReason) : undefined;
    },
    onAbort(listener) {
      if (signal.aborted) listener();
      else signal.addEventListener('abort', listener, { once: true });
    },
  };
}
