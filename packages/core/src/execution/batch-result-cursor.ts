import { reportRecordsAffected } from '../contracts/db-batch-command.js';
import type { ResultCursor, ResultSetHeader } from '../providers/provider-spi.js';
import { attachBatchCommand } from '../errors/error-batch-command.js';
import type { BuiltBatch } from './build-batch-request.js';

/**
 * The cursor of a batch a provider ran in one round trip: the provider's own cursor, plus what only core knows —
 * which statements belong to which command. As the provider reports statement counts
 * ({@link ResultCursor.recordsAffectedByStatement}), each command's `recordsAffected` is filled in; an error is
 * attached to the command whose statement failed (`DbError.batchCommand`).
 * @internal
 */
export class BatchResultCursor implements ResultCursor {
  readonly #inner: ResultCursor;
  readonly #batch: BuiltBatch;
  /** How many commands already have their final count. */
  #reported = 0;

  private constructor(inner: ResultCursor, batch: BuiltBatch) {
    this.#inner = inner;
    this.#batch = batch;
  }

  /** Wraps the provider's cursor once it has started; a start that fails is the first command's failure. */
  static open(starting: Promise<ResultCursor>, batch: BuiltBatch): Promise<BatchResultCursor> {
    return starting.then(
      (inner) => new BatchResultCursor(inner, batch),
      (error: unknown) => {
        attachBatchCommand(error, batch.commands[0]!);
        throw error;
      },
    );
  }

  get recordsAffected(): number {
    return this.#inner.recordsAffected;
  }

  nextResult(): Promise<ResultSetHeader | null> {
    return this.#inner.nextResult().then(
      (header) => {
        this.#report();
        return header;
      },
      (error: unknown) => this.#fail(error),
    );
  }

  fetch(maxRows: number): Promise<unknown[][]> {
    return this.#inner.fetch(maxRows).then(undefined, (error: unknown) => this.#fail(error));
  }

  close(): Promise<void> {
    return this.#inner.close().then(
      () => {
        this.#report();
      },
      (error: unknown) => this.#fail(error),
    );
  }

  /** Gives every command whose statements have all completed its count. */
  #report(): number {
    const counts = this.#inner.recordsAffectedByStatement ?? [];
    const { commandRequests, commands } = this.#batch;
    let offset = 0;
    for (let index = 0; index < commandRequests.length; index += 1) {
      const statementCount = commandRequests[index]!.statements.length;
      if (counts.length < offset + statementCount) return index;
      if (index >= this.#reported) {
        reportRecordsAffected(commands[index]!, sumCounts(counts, offset, statementCount));
        this.#reported = index + 1;
      }
      offset += statementCount;
    }
    return commandRequests.length;
  }

  #fail(error: unknown): never {
    const failing = this.#report();
    const command = this.#batch.commands[failing];
    if (command) attachBatchCommand(error, command);
    throw error;
  }
}

/** The rows changed by `count` statements from `offset`: the sum of the DML ones, -1 when none was DML. */
export function sumCounts(counts: readonly number[], offset: number, count: number): number {
  let total = -1;
  for (let i = offset; i < offset + count; i += 1) {
    const value = counts[i]!;
    if (value >= 0) total = Math.max(total, 0) + value;
  }
  return total;
}
