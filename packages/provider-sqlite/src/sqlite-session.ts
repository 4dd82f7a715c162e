import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { sqliteWorkerMain } from './sqlite-worker-main.js';
import type { WorkerError, WorkerRequest, WorkerResponse } from './sqlite-worker-protocol.js';

/**
 * The worker's script: its main function, called. Transpilers that keep function names (esbuild's `keepNames`, as
 * tsx and vitest use it) wrap inner functions in a `__name` helper defined outside the function, and bundlers that
 * emit an ES module (esbuild) rewrite `require(…)` to their own `__require` shim, also defined outside it: the script
 * defines both, harmlessly, so the function runs however the package was compiled or bundled.
 */
const WORKER_SCRIPT = `var __name = (fn) => fn;\nvar __require = require;\n(${sqliteWorkerMain.toString()})();`;
/** libsql's promise API, resolved here so the worker (evaluated code, no module of its own) can require it. */
const DRIVER = createRequire(import.meta.url).resolve('libsql/promise');

/** A request without its sequence number. */
type Request = WorkerRequest extends infer R ? (R extends WorkerRequest ? Omit<R, 'id'> : never) : never;

/** Raised for a request the worker answered with an error. @internal */
export class SqliteWorkerError extends Error {
  readonly code: string | undefined;
  readonly rawCode: number | undefined;
  constructor(error: WorkerError) {
    super(error.message);
    this.name = 'SqliteError';
    this.code = error.code;
    this.rawCode = error.rawCode;
  }
}

/**
 * One SQLite connection living in a worker thread of its own: requests go one at a time (core serialises the
 * connection's work) and are answered in order; `interrupt()` bypasses the queue. When the worker dies (terminated,
 * crashed), every pending request rejects and `onExit` is called once.
 * @internal
 */
export class SqliteSession {
  readonly #worker: Worker;
  readonly #pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  #idleWaiters: Array<() => void> = [];
  #nextId = 0;
  #exited: Error | undefined;
  /** Called once when the worker ends, with the reason when it was not a normal close. */
  onExit: ((error: Error | undefined) => void) | undefined;

  constructor() {
    this.#worker = new Worker(WORKER_SCRIPT, { eval: true, workerData: { driver: DRIVER } });
    this.#worker.on('message', (response: WorkerResponse) => this.#settle(response));
    this.#worker.on('error', (error) => this.#end(error));
    this.#worker.on('exit', (code) => this.#end(new Error(`The SQLite worker thread exited (code ${code}).`)));
  }

  /** The worker's thread id: the connection's session id. */
  get threadId(): number {
    return this.#worker.threadId;
  }

  /** Whether the worker is gone. */
  get exited(): boolean {
    return this.#exited !== undefined;
  }

  /** Whether a request is waiting for the worker's answer. */
  get busy(): boolean {
    return this.#pending.size > 0;
  }

  /** Resolves once no request is pending (at once when none is), or the worker is gone. */
  idle(): Promise<void> {
    if (!this.busy) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Sends a request and resolves the worker's answer. */
  request<T>(request: Request): Promise<T> {
    if (this.#exited) return Promise.reject(this.#exited);
    const id = (this.#nextId += 1);
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.#worker.postMessage({ ...request, id });
    });
  }

  /** Asks the engine to stop the statement it runs (`sqlite3_interrupt`); a no-op when it runs none. */
  interrupt(): void {
    if (!this.#exited) this.#worker.postMessage({ op: 'interrupt' });
  }

  /** Lets the process exit while this worker lives (a session idle in the pool must not keep an application up). */
  unref(): void {
    this.#worker.unref();
  }

  /** Keeps the process up while this worker lives (a session in use, like an open socket). */
  ref(): void {
    this.#worker.ref();
  }

  /** Ends the worker; resolves once the thread is gone. */
  async terminate(): Promise<void> {
    if (this.#exited) return;
    await this.#worker.terminate();
  }

  /**
   * Gives the worker up at once: every pending request rejects with `reason` now and `onExit` is called, while the
   * thread is terminated in the background. Used when the engine does not answer an interrupt: a thread blocked in
   * native code ends only when that code returns, and nobody must wait for it.
   */
  abandon(reason: Error): void {
    if (this.#exited) return;
    this.#end(reason);
    void this.#worker.terminate().catch(() => {});
  }

  #settle(response: WorkerResponse): void {
    const pending = this.#pending.get(response.id);
    if (!pending) return;
    this.#pending.delete(response.id);
    if (response.ok) pending.resolve(response.result);
    else pending.reject(new SqliteWorkerError(response.error));
    if (this.#pending.size === 0) this.#wakeIdleWaiters();
  }

  #wakeIdleWaiters(): void {
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const wake of waiters) wake();
  }

  #end(error: Error): void {
    if (this.#exited) return;
    this.#exited = error;
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
    this.#wakeIdleWaiters();
    this.onExit?.(error);
  }
}
