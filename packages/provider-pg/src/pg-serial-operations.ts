/**
 * Runs a cursor's operations (nextResult, fetch, close) one at a time, each on the state the previous one left — a
 * close that arrives while a fetch still waits runs once that fetch has settled, whether it resolved or failed.
 * @internal
 */
export class PgSerialOperations {
  #tail: Promise<unknown> = Promise.resolve();

  /** Runs `operation` after every operation queued before it; its result or failure is the caller's. */
  run<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(operation, operation);
    this.#tail = result.catch(() => {});
    return result;
  }
}
