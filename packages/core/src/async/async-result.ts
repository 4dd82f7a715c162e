import { isCanceledByClose } from '../execution/canceled-by-close.js';
import { Deferred } from './deferred.js';
import { WaitHandle } from './wait-handle.js';
import { OperationCanceledError } from '../errors/errors.js';

/**
 * The status of an asynchronous operation started with a `begin*` method. Mirrors the OLE DB
 * `ISSAsynchStatus::GetStatus` answer.
 */
export type AsyncOperationStatus = 'running' | 'completed' | 'faulted' | 'canceled';

/**
 * The ADO.NET 2.0 `IAsyncResult`: what every `begin*` method returns at once.
 * Complete it with the matching `end*` method (a Promise, the Node form of "End blocks").
 */
export interface IAsyncResult {
  /** The `state` object passed to `begin*`. */
  readonly asyncState: unknown;
  /** True once the operation finished (successfully or not); poll it. */
  readonly isCompleted: boolean;
  /** Always false: asyncdb never completes an operation inside `begin*`. */
  readonly completedSynchronously: boolean;
  /** Set when the operation completes; wait on it with `waitOne`, `WaitHandle.waitAny` or `waitAll`. */
  readonly asyncWaitHandle: WaitHandle;
}

/** The callback a `begin*` method invokes once, asynchronously, after the operation completes. */
export type AsyncCallback = (result: IAsyncResult) => void;

/** The `end*` method a result must be completed with. @internal */
export type EndMethodName =
  'endOpen' | 'endExecuteReader' | 'endExecuteNonQuery' | 'endExecuteScalar' | 'endExecuteXmlReader';

/**
 * asyncdb's `IAsyncResult`, with the OLE DB `ISSAsynchStatus` trio on top: {@link DbAsyncResult.status},
 * {@link DbAsyncResult.abort} and {@link DbAsyncResult.waitForCompletion}.
 */
export class DbAsyncResult<T = unknown> implements IAsyncResult {
  readonly asyncState: unknown;
  readonly completedSynchronously = false;
  readonly asyncWaitHandle = new WaitHandle();
  /** The object whose `end*` method must complete this result. @internal */
  readonly owner: object;
  /** The `end*` method that must complete this result. @internal */
  readonly endMethod: EndMethodName;
  /** True once `end*` has been called. @internal */
  ended = false;
  readonly #outcome = new Deferred<T>();
  #status: AsyncOperationStatus = 'running';
  readonly #abort: () => void;

  /** @internal Created by `begin*` methods only. */
  constructor(options: {
    readonly owner: object;
    readonly endMethod: EndMethodName;
    readonly state: unknown;
    readonly callback: AsyncCallback | undefined;
    readonly operation: Promise<T>;
    readonly abort: () => void;
  }) {
    this.owner = options.owner;
    this.endMethod = options.endMethod;
    this.asyncState = options.state;
    this.#abort = options.abort;
    // Observed here, so a failure nobody ends never becomes an unhandled rejection.
    this.#outcome.promise.catch(() => {});
    options.operation.then(
      (value) => this.#complete('completed', () => this.#outcome.resolve(value)),
      (error: unknown) =>
        this.#complete(error instanceof OperationCanceledError || isCanceledByClose(error) ? 'canceled' : 'faulted', () =>
          this.#outcome.reject(error),
        ),
    );
    const callback = options.callback;
    if (callback) {
      // Never inside begin*: the callback runs on a later turn, after completion.
      this.asyncWaitHandle.onSet(() => setImmediate(() => callback(this)));
    }
  }

  /** True once the operation finished. */
  get isCompleted(): boolean {
    return this.#status !== 'running';
  }

  /** 'running', 'completed', 'faulted' or 'canceled'. */
  get status(): AsyncOperationStatus {
    return this.#status;
  }

  /** Cancels the operation on the server (the same as `command.cancel()`); best effort, never throws. */
  abort(): void {
    if (this.#status === 'running') this.#abort();
  }

  /**
   * Waits for completion without consuming the result. Mirrors `ISSAsynchStatus::WaitForAsynchCompletion`.
   * @returns true when completed, false when the timeout elapsed first.
   */
  waitForCompletion(timeoutMs?: number): Promise<boolean> {
    return this.asyncWaitHandle.waitOne(timeoutMs);
  }

  /** The settled outcome, for the `end*` method. @internal */
  get outcome(): Promise<T> {
    return this.#outcome.promise;
  }

  #complete(status: AsyncOperationStatus, settle: () => void): void {
    this.#status = status;
    settle();
    this.asyncWaitHandle.set();
  }
}
