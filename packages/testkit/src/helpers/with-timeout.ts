/**
 * Resolves or rejects as `promise` does, or rejects with an Error naming `what` once `ms` elapsed first.
 * Used where a provider bug could otherwise hang the suite (closing a connection, waiting on a server).
 * @internal
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, what = 'the operation'): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
