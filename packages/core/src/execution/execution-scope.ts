import { markCanceledByClose } from './canceled-by-close.js';
import type { AbortKind, Cancellation, CoreAbortReason } from '../providers/provider-spi.js';
import {
  AsyncDbError,
  DbError,
  DbErrorCategory,
  DbTimeoutError,
  InvalidOperationError,
  OperationCanceledError,
} from '../errors/errors.js';
import { Messages } from './messages.js';
import { MAX_TIMER_DELAY_MS } from '../async/long-timeout.js';

/** How long a provider gets to settle after a cancel before core gives up on the session and marks it broken. */
export const CANCEL_GRACE_MS = 5_000;

/**
 * One execution's cancellation and timeout state. Core aborts {@link ExecutionScope.signal} on `cancel()`,
 * the caller's `AbortSignal`, the command timeout or `close()`, and maps whatever the provider then rejects
 * with to the right typed error. The command timeout is a budget spent only while core waits on the server
 * (SqlClient's rule: "cumulative time for all network reads… does not include user processing time").
 * @internal
 */
export class ExecutionScope implements Cancellation {
  /** Created when {@link ExecutionScope.signal} is first read: most executions never need one. */
  #controller: AbortController | undefined;
  #reason: CoreAbortReason | undefined;
  #abortListeners: Array<() => void> | undefined;
  readonly #timeoutMs: number;
  #remainingMs: number;
  readonly #callerSignal: AbortSignal | undefined;
  readonly #onCallerAbort: (() => void) | undefined;
  readonly #providerName: string;
  #broken = false;
  /** Set by {@link ExecutionScope.lose}: the session died under the execution. */
  #lost: { readonly cause: unknown } | undefined;
  readonly #inFlight = new Set<Promise<unknown>>();
  /**
   * What an abort must do for each wait in progress: start its grace period. The signal is only ever aborted by
   * {@link ExecutionScope.abort}, which calls these directly: cheaper than an 'abort' listener added and removed on
   * the signal for every wait (EventTarget bookkeeping was a large share of a command's cost).
   */
  readonly #graceStarters = new Set<() => void>();
  /**
   * When the grace period after the abort ends (ms since epoch). One grace per execution, not one per wait: a wait
   * that begins after the abort (the reader's close behind a fetch that hung) gets only what is left of it.
   */
  #graceEndsAt = 0;
  /** Waits in progress, and when the first of them began: the budget is spent while at least one runs. */
  #waiting = 0;
  #waitingSince = 0;
  /**
   * One timer for the whole execution, armed when a wait begins and none is armed. It may fire early (the budget
   * was not being spent between waits): it then re-arms for what is left. Cheaper than a timer set and cleared on
   * every wait, which was a visible share of a short command's cost.
   */
  #budgetTimer: NodeJS.Timeout | undefined;

  constructor(options: {
    readonly timeoutMs: number;
    readonly signal?: AbortSignal | undefined;
    readonly providerName: string;
  }) {
    this.#timeoutMs = options.timeoutMs;
    this.#remainingMs = options.timeoutMs > 0 ? options.timeoutMs : Infinity;
    this.#providerName = options.providerName;
    this.#callerSignal = options.signal;
    if (options.signal) {
      const callerSignal = options.signal;
      this.#onCallerAbort = () => this.abort('cancel', callerSignal.reason);
      if (callerSignal.aborted) this.#onCallerAbort();
      else callerSignal.addEventListener('abort', this.#onCallerAbort, { once: true });
    }
  }

  /** The execution's abort as an `AbortSignal`, created on first read (aborted at once if the scope already is). */
  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#reason !== undefined) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  /** True once the execution has been aborted. */
  get aborted(): boolean {
    return this.#reason !== undefined;
  }

  /** Why the execution was aborted, once it was. */
  get reason(): CoreAbortReason | undefined {
    return this.#reason;
  }

  /** Calls `listener` once when the execution is aborted; at once when it already is. */
  onAbort(listener: () => void): void {
    if (this.#reason !== undefined) listener();
    else (this.#abortListeners ??= []).push(listener);
  }

  /** True when the provider did not settle in time after an abort: its session must be destroyed. */
  get broken(): boolean {
    return this.#broken;
  }

  /** Aborts the execution; the first reason wins. */
  abort(kind: AbortKind, callerReason?: unknown): void {
    if (this.#reason !== undefined) return;
    const reason: CoreAbortReason = callerReason === undefined ? { kind } : { kind, callerReason };
    this.#reason = reason;
    this.#graceEndsAt = Date.now() + CANCEL_GRACE_MS;
    this.#controller?.abort(reason);
    const listeners = this.#abortListeners;
    this.#abortListeners = undefined;
    if (listeners) for (const listener of listeners) listener();
    for (const startGrace of this.#graceStarters) startGrace();
    this.#graceStarters.clear();
  }

  /**
   * Aborts because the session was lost under the execution (socket closed, server terminated it). The provider
   * sees a 'close' abort; the caller gets a {@link DbError} of category `connection_failure`, not the
   * "connection is closed" error of a close they asked for.
   */
  lose(cause?: unknown): void {
    if (this.#reason !== undefined) return;
    this.#lost = { cause };
    this.abort('close');
  }

  /**
   * Waits for a provider promise, spending the timeout budget, and maps its failure to a typed error.
   * After an abort the provider has {@link CANCEL_GRACE_MS} to settle before the scope is marked broken — counted
   * from the abort, for all of the execution's waits together (a wait begun later gets what is left, or none).
   */
  wait<T>(promise: Promise<T>): Promise<T> {
    const budgeted = this.#remainingMs !== Infinity;
    let graceTimer: NodeJS.Timeout | undefined;
    let startGrace: (() => void) | undefined;
    // One promise settled by whichever comes first: the provider, or the end of the grace period after an abort.
    const raced = new Promise<T>((resolve, reject) => {
      // Also observes a provider rejection that comes after the grace period, so it cannot go unhandled.
      promise.then(resolve, reject);
      startGrace = () => {
        graceTimer = setTimeout(
          () => {
            this.#broken = true;
            reject(new Error('The provider did not settle after the command was aborted.'));
          },
          Math.max(0, this.#graceEndsAt - Date.now()),
        );
      };
      if (budgeted) this.#beginSpending();
      if (this.#reason !== undefined) startGrace();
      else this.#graceStarters.add(startGrace);
    });
    this.#inFlight.add(raced);
    const settle = (): void => {
      this.#inFlight.delete(raced);
      if (graceTimer) clearTimeout(graceTimer);
      this.#graceStarters.delete(startGrace!);
      if (budgeted) this.#endSpending();
    };
    return raced.then(
      (value) => {
        settle();
        return value;
      },
      (error: unknown) => {
        const mapped = this.mapError(error);
        settle();
        throw mapped;
      },
    );
  }

  #beginSpending(): void {
    if (this.#waiting++ > 0) return;
    this.#waitingSince = Date.now();
    if (this.#budgetTimer === undefined) this.#armBudget(this.#remainingMs);
  }

  #endSpending(): void {
    if (--this.#waiting === 0) this.#remainingMs -= Date.now() - this.#waitingSince;
  }

  #armBudget(ms: number): void {
    // Capped at what a Node timer holds: a longer budget re-arms for the rest when this one fires.
    this.#budgetTimer = setTimeout(this.#onBudgetTimer, Math.min(Math.max(0, ms), MAX_TIMER_DELAY_MS));
    // A finished execution whose scope was never disposed (a reader left open) must not keep the process alive.
    this.#budgetTimer.unref();
  }

  readonly #onBudgetTimer = (): void => {
    this.#budgetTimer = undefined;
    // Between waits nothing is spent: the next wait arms the timer again.
    if (this.#waiting === 0) return;
    const left = this.#remainingMs - (Date.now() - this.#waitingSince);
    if (left <= 0) this.abort('timeout');
    else this.#armBudget(left);
  };

  /**
   * Resolves once no wait is in progress: after an abort, every wait settles within {@link CANCEL_GRACE_MS}, so a
   * connection can wait for this before handing the session back to the provider.
   */
  async whenIdle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  /** Maps a failure to the error the caller sees: the abort's kind wins over whatever the provider threw. */
  mapError(error: unknown): Error {
    const reason = this.#reason;
    if (reason !== undefined) {
      if (error instanceof OperationCanceledError || error instanceof DbTimeoutError) return error;
      switch (reason.kind) {
        case 'timeout':
          return new DbTimeoutError(Messages.commandTimeout(this.#timeoutMs / 1000), 'command', {
            cause: error,
            providerName: this.#providerName,
          });
        case 'close':
          if (this.#lost) {
            const cause = this.#lost.cause ?? error;
            // The provider's error says what the loss was (SQLSTATE 08S01, the driver's code): the caller sees it too.
            const source = cause instanceof DbError ? cause : undefined;
            return new DbError(Messages.connectionLost(cause), {
              cause,
              category: DbErrorCategory.ConnectionFailure,
              // A session lost to a deterministic failure (the provider's DbError says not transient, e.g. the driver
              // threw parsing a result) fails the same way on retry: never transient (issue 13 item 4).
              ...(cause instanceof DbError && !cause.isTransient ? { isTransient: false } : {}),
              providerName: this.#providerName,
              sqlState: source?.sqlState,
              providerCode: source?.providerCode,
            });
          }
          return markCanceledByClose(new InvalidOperationError(Messages.connectionClosed(), { cause: error }));
        case 'cancel':
          return new OperationCanceledError(Messages.operationCancelled(), {
            cause: error,
            reason: reason.callerReason,
          });
      }
    }
    if (error instanceof AsyncDbError) return error;
    return new DbError(error instanceof Error ? error.message : String(error), {
      cause: error,
      providerName: this.#providerName,
    });
  }

  /** Removes listeners from the caller's signal and stops the timeout budget's timer. */
  dispose(): void {
    if (this.#budgetTimer !== undefined) {
      clearTimeout(this.#budgetTimer);
      this.#budgetTimer = undefined;
    }
    if (this.#callerSignal && this.#onCallerAbort) this.#callerSignal.removeEventListener('abort', this.#onCallerAbort);
  }
}

/** Rejects at once with OperationCanceledError when the caller's signal is already aborted. @internal */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw new OperationCanceledError(Messages.operationCancelled(), { reason: signal.reason });
  }
}
