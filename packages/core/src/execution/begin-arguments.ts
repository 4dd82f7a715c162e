import type { AsyncCallback } from '../async/async-result.js';
import type { CommandBehavior } from '../contracts/command-behavior.js';
import { ArgumentError } from '../errors/errors.js';

/**
 * The callback argument of a `begin*` method: a function, or `null`/`undefined` for none. Anything else throws at
 * once, before anything is sent: a number or object taken for a callback would otherwise fail much later, inside a
 * timer, as an uncaught `TypeError` that ends the process.
 * @throws {ArgumentError} with `paramName` `callback`.
 * @internal
 */
export function callbackArgument(value: unknown, method: string): AsyncCallback | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'function') return value as AsyncCallback;
  throw new ArgumentError(
    `${method}: the callback must be a function, null or undefined; got ${describe(value)}.`,
    'callback',
  );
}

/**
 * The two forms of `beginExecuteReader`, as ADO.NET's overloads: `(behavior)` alone, or `(callback, state,
 * behavior?)`. A behavior first with more arguments after it, or a first argument that is neither a function,
 * `null`/`undefined` nor a number, throws instead of being ignored.
 * @throws {ArgumentError} naming the argument at fault.
 * @internal
 */
export function readerBeginArguments(
  first: unknown,
  state: unknown,
  behavior: CommandBehavior | undefined,
): { callback: AsyncCallback | undefined; behavior: CommandBehavior | undefined } {
  if (typeof first === 'number') {
    if (state !== undefined || behavior !== undefined) {
      throw new ArgumentError(
        'beginExecuteReader: after a CommandBehavior no callback, state or second behavior may follow; use beginExecuteReader(callback, state, behavior).',
        'state',
      );
    }
    return { callback: undefined, behavior: first as CommandBehavior };
  }
  return { callback: callbackArgument(first, 'beginExecuteReader'), behavior };
}

/** Names the type of a bad argument without printing it (it could be any object, even one holding a secret). */
function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
