import { DbAsyncResult, asyncResultInternals, type EndMethodName, type IAsyncResult } from '../async/async-result.js';
import { ArgumentError, InvalidOperationError } from '../errors/errors.js';
import { Messages } from './messages.js';

/**
 * The checks every `end*` method makes, in SqlClient's order, then the operation's outcome:
 * no result → ArgumentError; a result from another object → "Incorrect async result."; the wrong End →
 * "Mismatched end method call…"; End twice → "…cannot be called more than once…". Failures are rejections,
 * since End returns a Promise.
 * @internal
 */
export function endAsyncOperation<T>(
  owner: object,
  result: IAsyncResult | null | undefined,
  method: EndMethodName,
): Promise<T> {
  try {
    if (result === null || result === undefined) throw new ArgumentError('Value cannot be null.', 'asyncResult');
    const internals = result instanceof DbAsyncResult ? asyncResultInternals(result) : undefined;
    if (internals === undefined || internals.owner !== owner) {
      throw new ArgumentError(Messages.incorrectAsyncResult(), 'asyncResult');
    }
    if (internals.endMethod !== method)
      throw new InvalidOperationError(Messages.mismatchedAsyncResult(internals.endMethod, method));
    if (!internals.markEnded()) throw new InvalidOperationError(Messages.calledTwice(method));
    return internals.outcome as Promise<T>;
  } catch (error) {
    return Promise.reject(error);
  }
}
