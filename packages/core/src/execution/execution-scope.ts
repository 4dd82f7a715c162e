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
import { deadlines, type WheelBucket, type WheelEntry } from '../async/deadline-wheel.js';

/** How long a provider gets to settle after a cancel before core gives up on the session and marks it broken. */
export const CANCEL_GRACE_MS = 5_000;

/**
 * One execution's cancellation and timeout state. Core aborts {@link ExecutionScope.signal} on `cancel()`,
 * the caller's `AbortSignal`, the command timeout or `close()`, and maps whatever the provider then rejects
 * with to the right typed error. The command timeout is a budget spent only while core waits on the server
 * (SqlClient's rule: "cumulative time for all network reads… does not include user processing time").
 * @internal
 */
export class ExecutionScope implements Cancellation, WheelEntry {
  /** Created when {@link ExecutionScope.signal} is first read: most executions never need one. */
  #controller: AbortController | undefined;
  #reason: CoreAbortReason | undefined;
  /** The abort listener while there is one (nearly always): a field, not an array that would live all the round trip. */
  #soleAbortListener: (() => void) | undefined;
  #abortListeners: Array<() => void> | undefined;
  readonly #timeoutMs: number;
  #remainingMs: number;
  readonly #callerSignal: AbortSignal | undefined;
  readonly #onCallerAbort: (() => void) | undefined;
  readonly #providerName: string;
  #broken = false;
  /** Set by {@link ExecutionScope.lose}: the session died under the execution. */
  #lost: { readonly cause: unknown } | undefined;
  /** Waits in progress (settled or not yet), and who waits for them all to settle ({@link ExecutionScope.whenIdle}). */
  #inFlight = 0;
  #idleWaiters: Array<() => void> | undefined;
  /**
   * What an abort must do for each wait in progress: start its grace period. The signal is only ever aborted by
   * {@link ExecutionScope.abort}, which calls these directly: cheaper than an 'abort' listener added and removed on
   * the signal for every wait (EventTarget bookkeeping was a large share of a command's cost). Created by the first
   * wait that is still running when another begins — a command's waits usually follow each other.
   */
  #graceStarters: Set<ScopeWait> | undefined;
  /** The grace starter of the one wait in progress, while there is exactly one (no Set needed). */
  #soleGraceStarter: ScopeWait | undefined;
  /**
   * When the grace period after the abort ends (ms since epoch). One grace per execution, not one per wait: a wait
   * that begins after the abort (the reader's close behind a fetch that hung) gets only what is left of it.
   */
  #graceEndsAt = 0;
  /** Waits in progress, and when the first of them began: the budget is spent while at least one runs. */
  #waiting = 0;
  #waitingSince = 0;
  /**
   * The budget's deadline sits on core's shared {@link deadlines} wheel (no timer of its own), scheduled when a wait
   * begins and none is scheduled. It may come early (the budget was not being spent between waits): it is then
   * rescheduled for what is left. The wheel's fields: see {@link WheelEntry}.
   * @internal
   */
  wheelSlot: WheelBucket | undefined = undefined;
  /** @internal */
  wheelPrev: WheelEntry | undefined = undefined;
  /** @internal */
  wheelNext: WheelEntry | undefined = undefined;
  /** @internal */
  wheelDueAt = 0;

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
    else if (this.#soleAbortListener === undefined && this.#abortListeners === undefined)
      this.#soleAbortListener = listener;
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
    const soleListener = this.#soleAbortListener;
    const listeners = this.#abortListeners;
    this.#soleAbortListener = undefined;
    this.#abortListeners = undefined;
    soleListener?.();
    if (listeners) for (const listener of listeners) listener();
    const sole = this.#soleGraceStarter;
    this.#soleGraceStarter = undefined;
    sole?.startGrace();
    const starters = this.#graceStarters;
    this.#graceStarters = undefined;
    if (starters) for (const starter of starters) starter.startGrace();
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
    // One promise settled by whichever comes first: the provider, or the end of the grace period after an abort. The
    // bookkeeping runs in the provider's own handlers (no second promise chained on this one: a promise per wait).
    return new Promise<T>((resolve, reject) => {
      const wait = new PromiseWait<T>(this, resolve, reject);
      // Also observes a provider rejection that comes after the grace period, so it cannot go unhandled.
      promise.then(
        (value) => wait.fulfilled(value),
        (error: unknown) => wait.rejected(error),
      );
      wait.enter();
    });
  }

  /**
   * A wait begins (see {@link ScopeWait}): the budget is spent from now, and the waiter's grace period starts at the
   * abort (at once when the scope is aborted already). Returns whether the budget is being spent.
   * @internal
   */
  enterWait(waiter: ScopeWait): boolean {
    const budgeted = this.#remainingMs !== Infinity;
    if (budgeted) this.#beginSpending();
    this.#inFlight += 1;
    if (this.#reason !== undefined) waiter.startGrace();
    else this.#addGraceStarter(waiter);
    return budgeted;
  }

  /** A wait {@link ExecutionScope.enterWait} began is over. @internal */
  leaveWait(waiter: ScopeWait, budgeted: boolean): void {
    this.#removeGraceStarter(waiter);
    if (budgeted) this.#endSpending();
    if (--this.#inFlight === 0 && this.#idleWaiters !== undefined) {
      const waiters = this.#idleWaiters;
      this.#idleWaiters = undefined;
      for (const idle of waiters) idle();
    }
  }

  /** What is left of the grace period after the abort (ms). @internal */
  graceLeftMs(): number {
    return Math.max(0, this.#graceEndsAt - Date.now());
  }

  /** A wait's grace period ended with the provider still busy: its session must be destroyed. @internal */
  markBroken(): void {
    this.#broken = true;
  }

  #addGraceStarter(starter: ScopeWait): void {
    if (this.#soleGraceStarter === undefined && this.#graceStarters === undefined) {
      this.#soleGraceStarter = starter;
      return;
    }
    const starters = (this.#graceStarters ??= new Set());
    if (this.#soleGraceStarter !== undefined) {
      starters.add(this.#soleGraceStarter);
      this.#soleGraceStarter = undefined;
    }
    starters.add(starter);
  }

  #removeGraceStarter(starter: ScopeWait): void {
    if (this.#soleGraceStarter === starter) this.#soleGraceStarter = undefined;
    else this.#graceStarters?.delete(starter);
  }

  #beginSpending(): void {
    if (this.#waiting++ > 0) return;
    this.#waitingSince = Date.now();
    if (this.wheelSlot === undefined) deadlines.schedule(this, this.#waitingSince + this.#remainingMs);
  }

  #endSpending(): void {
    if (--this.#waiting === 0) this.#remainingMs -= Date.now() - this.#waitingSince;
  }

  /** The budget's deadline came (see {@link ExecutionScope.wheelSlot}). @internal */
  onDeadline(now: number): void {
    // Between waits nothing is spent: the next wait schedules the deadline again.
    if (this.#waiting === 0 || this.#reason !== undefined) return;
    const left = this.#remainingMs - (now - this.#waitingSince);
    if (left <= 0) this.abort('timeout');
    else deadlines.schedule(this, now + left);
  }

  /**
   * Resolves once no wait is in progress: after an abort, every wait settles within {@link CANCEL_GRACE_MS}, so a
   * connection can wait for this before handing the session back to the provider.
   */
  whenIdle(): Promise<void> {
    if (this.#inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => (this.#idleWaiters ??= []).push(resolve));
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

  /** Removes listeners from the caller's signal and takes the timeout budget's deadline off the wheel. */
  dispose(): void {
    deadlines.cancel(this);
    if (this.#callerSignal && this.#onCallerAbort) this.#callerSignal.removeEventListener('abort', this.#onCallerAbort);
  }
}

/** Rejects at once with OperationCanceledError when the caller's signal is already aborted. @internal */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw new OperationCanceledError(Messages.operationCancelled(), { reason: signal.reason });
  }
}

/**
 * One wait of an execution on its provider, settled by whichever comes first: the provider, or the end of the grace
 * period after an abort (the scope is then broken). One object per wait — it is also the scope's grace starter — in
 * place of the four closures a wait used to make. Subclasses say how the outcome is delivered.
 * @internal
 */
export abstract class ScopeWait {
  protected readonly scope: ExecutionScope;
  /** 0: not entered yet, 1: waiting, 2: settled. */
  #state = 0;
  #budgeted = false;
  #graceTimer: NodeJS.Timeout | undefined;

  constructor(scope: ExecutionScope) {
    this.scope = scope;
  }

  /** Starts waiting (spending the budget); nothing when the outcome came already. */
  enter(): void {
    if (this.#state !== 0) return;
    this.#state = 1;
    this.#budgeted = this.scope.enterWait(this);
  }

  /** Called by the scope at the abort: the provider has what is left of the grace period to settle. @internal */
  startGrace(): void {
    this.#graceTimer = setTimeout(() => this.#graceOver(), this.scope.graceLeftMs());
  }

  /** Marks the wait settled and leaves the scope; false when it was settled already. */
  protected settle(): boolean {
    const state = this.#state;
    if (state === 2) return false;
    this.#state = 2;
    if (state === 1) {
      if (this.#graceTimer !== undefined) clearTimeout(this.#graceTimer);
      this.scope.leaveWait(this, this.#budgeted);
    }
    return true;
  }

  /**
   * The provider failed with `error`: mapped to the caller's error (the abort's kind wins), the wait settled, and
   * {@link ScopeWait.failed} told. Nothing when the wait was settled already.
   */
  protected reject(error: unknown): void {
    if (this.#state === 2) return;
    const mapped = this.scope.mapError(error);
    this.settle();
    this.failed(mapped);
  }

  /** The wait failed with `error`, already mapped to the caller's error. */
  protected abstract failed(error: Error): void;

  #graceOver(): void {
    if (this.#state === 2) return;
    this.scope.markBroken();
    this.reject(new Error('The provider did not settle after the command was aborted.'));
  }
}

/** {@link ExecutionScope.wait}'s wait: settles the promise it returned. */
class PromiseWait<T> extends ScopeWait {
  readonly #resolve: (value: T) => void;
  readonly #reject: (error: unknown) => void;

  constructor(scope: ExecutionScope, resolve: (value: T) => void, reject: (error: unknown) => void) {
    super(scope);
    this.#resolve = resolve;
    this.#reject = reject;
  }

  fulfilled(value: T): void {
    if (this.settle()) this.#resolve(value);
  }

  rejected(error: unknown): void {
    this.reject(error);
  }

  protected failed(error: Error): void {
    this.#reject(error);
  }
}
