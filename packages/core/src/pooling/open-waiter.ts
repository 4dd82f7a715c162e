import { OperationCanceledError } from '../errors/errors.js';
import { Messages } from '../execution/messages.js';
import type { CoreAbortReason } from '../providers/provider-spi.js';
import type { PoolWaiter } from './pool-waiter-queue.js';
import type { PooledSession } from './pooled-session.js';
import type { SessionPool } from './session-pool.js';

/** What a connection calls to abort its open in progress (an `AbortController` fits too). @internal */
export interface OpenAborter {
  abort(reason: CoreAbortReason): void;
}

/**
 * A `DbConnection.open()` waiting for its pool: granted (or failed) synchronously by the pool, withdrawn by the
 * caller's abort or a `close()`. One object holds it all — it is the pool's waiter, the caller signal's listener
 * (`handleEvent`) and the connection's aborter — so a waiting open makes no closures. A class, not an object literal:
 * 90 of 100 callers wait at once on a pool of 10, and V8 allocates a literal's site straight into the old generation
 * when many of its objects survive a scavenge (allocation-site pretenuring, docs/benchmarks.md).
 * @internal
 */
export class OpenWaiter implements PoolWaiter<PooledSession>, OpenAborter {
  readonly deadline: number;
  /** The pool the open waits for. */
  protected readonly pool: SessionPool;
  readonly #signal: AbortSignal | undefined;
  readonly #resolve: (session: PooledSession) => void;
  readonly #reject: (error: unknown) => void;
  #done = false;

  constructor(
    pool: SessionPool,
    signal: AbortSignal | undefined,
    resolve: (session: PooledSession) => void,
    reject: (error: unknown) => void,
  ) {
    const timeoutMs = pool.settings.connectTimeoutMs;
    this.deadline = timeoutMs > 0 ? Date.now() + timeoutMs : Infinity;
    this.pool = pool;
    this.#signal = signal;
    this.#resolve = resolve;
    this.#reject = reject;
    signal?.addEventListener('abort', this, { once: true });
  }

  /** The session is this open's; one that comes after the open gave up goes straight back. */
  grant(session: PooledSession): void {
    if (this.#done) {
      void this.pool.release(session, false);
      return;
    }
    this.#finish();
    this.granted(session);
  }

  /** Hands a granted session to the open (resolves the promise the waiter was made with); a subclass may attach it. */
  protected granted(session: PooledSession): void {
    this.#resolve(session);
  }

  /** The open failed (a failed connect, its deadline, a cancel or a close): rejects the promise it was made with. */
  protected failed(error: unknown): void {
    this.rejectOpen(error);
  }

  /** Rejects the promise the waiter was made with. */
  rejectOpen(error: unknown): void {
    this.#reject(error);
  }

  fail(error: unknown): void {
    if (this.#done) return;
    this.#finish();
    this.failed(error);
  }

  /** A cancel or a close during the open: leaves the queue and rejects. */
  abort(reason: CoreAbortReason): void {
    if (this.#done) return;
    this.pool.withdraw(this);
    this.#finish();
    const message =
      reason.kind === 'close' ? 'The connection was closed while it was opening.' : Messages.operationCancelled();
    this.failed(new OperationCanceledError(message, { reason: reason.callerReason }));
  }

  /** The caller's signal fired (the waiter is its own `abort` listener). */
  handleEvent(): void {
    this.abort({ kind: 'cancel', callerReason: this.#signal?.reason });
  }

  #finish(): void {
    this.#done = true;
    this.#signal?.removeEventListener('abort', this);
  }
}
