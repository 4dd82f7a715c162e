import { isCanceledByClose } from '../execution/canceled-by-close.js';
import { Deferred } from './deferred.js';
import { WaitHandle, onWaitHandleSet, signalWaitHandle } from './wait-handle.js';
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

/** What a `begin*` method gives {@link createAsyncResult}. @internal */
export interface AsyncResultOptions<T> {
  readonly owner: object;
  readonly endMethod: EndMethodName;
  readonly state: unknown;
  readonly callback: AsyncCallback | undefined;
  readonly operation: Promise<T>;
  readonly abort: () => void;
}

/** The proof of creation by this module: DbAsyncResult's constructor refuses anyone without it. */
const CREATE: unique symbol = Symbol('DbAsyncResult.create');

/** What End needs from a result, reachable only through this module (assigned by the class's static block). */
let internalsOf: <T>(result: DbAsyncResult<T>) => AsyncResultInternals<T>;

/** The End-side state of a result. @internal */
export interface AsyncResultInternals<T> {
  /** The object whose `end*` method must complete the result. */
  readonly owner: object;
  /** The `end*` method that must complete it. */
  readonly endMethod: EndMethodName;
  /** True once `end*` has been called (set through {@link AsyncResultInternals.markEnded} only); read live. */
  readonly ended: boolean;
  /** The settled outcome. */
  readonly outcome: Promise<T>;
  /** Records that End was called; the first call only returns true. */
  markEnded(): boolean;
}

/**
 * asyncdb's `IAsyncResult`, with the OLE DB `ISSAsynchStatus` trio on top: {@link DbAsyncResult.status},
 * {@link DbAsyncResult.abort} and {@link DbAsyncResult.waitForCompletion}.
 */
export class DbAsyncResult<T = unknown> implements IAsyncResult {
  readonly asyncState: unknown;
  readonly completedSynchronously = false;
  readonly asyncWaitHandle = new WaitHandle();
  // ES-private, so no user can reset `ended` to End twice, or aim a result at another End: only End reaches them,
  // through this module's asyncResultInternals, which the package does not export.
  readonly #owner: object;
  readonly #endMethod: EndMethodName;
  #ended = false;
  readonly #outcome = new Deferred<T>();
  #status: AsyncOperationStatus = 'running';
  readonly #abort: () => void;
  /** Made on the first End-side look-up and kept: End asks twice (its checks, then whether they passed). */
  #internals: AsyncResultInternals<T> | undefined;

  static {
    internalsOf = <T>(result: DbAsyncResult<T>): AsyncResultInternals<T> => (result.#internals ??= result.#view());
  }

  /**
   * Created by `begin*` methods only: constructing one yourself throws (an IAsyncResult that no operation backs
   * would let End return a made-up outcome).
   */
  constructor(token: typeof CREATE, options: AsyncResultOptions<T>) {
    if (token !== CREATE) throw new TypeError('A DbAsyncResult is created by begin* methods only.');
    this.#owner = options.owner;
    this.#endMethod = options.endMethod;
    this.asyncState = options.state;
    this.#abort = options.abort;
    // Observed here, so a failure nobody ends never becomes an unhandled rejection.
    this.#outcome.promise.catch(() => {});
    options.operation.then(
      (value) => this.#complete('completed', () => this.#outcome.resolve(value)),
      (error: unknown) =>
        this.#complete(
          error instanceof OperationCanceledError || isCanceledByClose(error) ? 'canceled' : 'faulted',
          () => this.#outcome.reject(error),
        ),
    );
    const callback = options.callback;
    if (callback) {
      // Never inside begin*: the callback runs on a later turn, after completion.
      onWaitHandleSet(this.asyncWaitHandle, () => setImmediate(() => callback(this)));
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

  #view(): AsyncResultInternals<T> {
    const result = this; // the getter below has a `this` of its own
    return {
      owner: this.#owner,
      endMethod: this.#endMethod,
      get ended() {
        return result.#ended;
      },
      outcome: this.#outcome.promise,
      markEnded: () => !result.#ended && (result.#ended = true),
    };
  }

  #complete(status: AsyncOperationStatus, settle: () => void): void {
    this.#status = status;
    settle();
    signalWaitHandle(this.asyncWaitHandle);
  }
}

/** Creates the result a `begin*` method returns. @internal Not exported from the package. */
export function createAsyncResult<T>(options: AsyncResultOptions<T>): DbAsyncResult<T> {
  return new DbAsyncResult<T>(CREATE, options);
}

/**
 * The End-side state of `result`: one object per result, made on first use, whose `ended` is read live.
 * @internal Not exported from the package.
 */
export function asyncResultInternals<T>(result: DbAsyncResult<T>): AsyncResultInternals<T> {
  return internalsOf(result);
}

/** Whether `result` is a DbAsyncResult of `owner` whose End has been called. @internal */
export function isEndedResultOf(result: unknown, owner: object): boolean {
  if (!(result instanceof DbAsyncResult)) return false;
  const internals = internalsOf(result);
  return internals.owner === owner && internals.ended;
}

/** Whether End has been called on `result` (false for anything that is not a DbAsyncResult). @internal */
export function wasEnded(result: IAsyncResult): boolean {
  return result instanceof DbAsyncResult && internalsOf(result).ended;
}

/** The `end*` method that must complete `result`. @internal */
export function endMethodOf(result: IAsyncResult): EndMethodName | undefined {
  return result instanceof DbAsyncResult ? internalsOf(result).endMethod : undefined;
}
