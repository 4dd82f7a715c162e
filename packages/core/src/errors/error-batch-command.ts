import type { DbBatchCommand } from '../contracts/db-batch-command.js';

/**
 * The batch command each failed batch error belongs to. Kept beside the error rather than on it, so that printing,
 * inspecting or serialising the error never walks into the command's parameters (their values may be secrets).
 * @internal
 */
const batchCommandOfError = new WeakMap<Error, DbBatchCommand>();

/** Records the batch command an error belongs to (the first record wins). @internal */
export function attachBatchCommand(error: unknown, command: DbBatchCommand): void {
  if (error instanceof Error && !batchCommandOfError.has(error)) batchCommandOfError.set(error, command);
}

/** The batch command an error belongs to, if any. @internal */
export function batchCommandOf(error: Error): DbBatchCommand | null {
  return batchCommandOfError.get(error) ?? null;
}
