/**
 * Resolves the error `promise` rejects with; fails (rejects) when it resolves instead. Lets a test assert several
 * properties of one error.
 * @internal
 */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  let value: unknown;
  try {
    value = await promise;
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`Expected an Error rejection, got ${String(error)}`, { cause: error });
  }
  throw new Error(`Expected a rejection, but the promise resolved with ${describe(value)}`);
}

/**
 * Returns the error `action` throws synchronously; fails when it returns instead (also when it returns a
 * Promise: asyncdb's Begin methods must throw, not reject).
 * @internal
 */
export function thrownBy(action: () => unknown): Error {
  let value: unknown;
  try {
    value = action();
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`Expected an Error to be thrown, got ${String(error)}`, { cause: error });
  }
  if (value instanceof Promise) value.catch(() => {});
  throw new Error(`Expected a synchronous throw, but the call returned ${describe(value)}`);
}

function describe(value: unknown): string {
  if (value instanceof Promise) return 'a Promise';
  if (typeof value === 'bigint') return `${value}n`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
