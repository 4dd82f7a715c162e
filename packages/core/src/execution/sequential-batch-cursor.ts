import { reportRecordsAffected } from '../contracts/db-batch-command.js';
import type { ConnectionInternals } from '../contracts/db-connection.js';
import { ParameterDirection } from '../contracts/parameter-direction.js';
import type { ResultCursor, ResultSetHeader } from '../providers/provider-spi.js';
import { attachBatchCommand } from '../errors/error-batch-command.js';
import { OperationCanceledError } from '../errors/errors.js';
import type { BuiltBatch } from './build-batch-request.js';
import { Messages } from './messages.js';

/**
 * A batch run by core, command after command, on a provider that receives one command at a time (its
 * `batchExecution` capability is `'sequential'`): one provider cursor per command, chained into one cursor so the
 * reader walks every command's results in order. A failing command skips the rest, as in a single-round-trip batch.
 * @internal
 */
export class SequentialBatchCursor implements ResultCursor {
  readonly #internals: ConnectionInternals;
  readonly #batch: BuiltBatch;
  #index = -1;
  #current: ResultCursor | undefined;
  /** Rows changed by the commands completed so far; -1 while none changed rows. */
  #completedAffected = -1;
  #failed = false;

  constructor(internals: ConnectionInternals, batch: BuiltBatch) {
    this.#internals = internals;
    this.#batch = batch;
  }

  get recordsAffected(): number {
    const current = this.#current?.recordsAffected ?? -1;
    if (current < 0) return this.#completedAffected;
    return Math.max(this.#completedAffected, 0) + current;
  }

  async nextResult(): Promise<ResultSetHeader | null> {
    for (;;) {
      if (!this.#current && !(await this.#startNext())) return null;
      const header = await this.#guard(this.#current!.nextResult());
      if (header) return header;
      await this.#finishCurrent();
    }
  }

  fetch(maxRows: number): Promise<unknown[][]> {
    return this.#current ? this.#guard(this.#current.fetch(maxRows)) : Promise.resolve([]);
  }

  /** Closes the current command and, unless the batch failed or was aborted, runs the rest (ADO.NET's Close). */
  async close(): Promise<void> {
    if (this.#current) await this.#finishCurrent();
    while (!this.#failed && !this.#batch.request.cancellation.aborted && (await this.#startNext())) {
      while (await this.#guard(this.#current!.nextResult())) {
        // The rows of a command the reader never reached are discarded, as a command's reader discards them on Close.
      }
      await this.#finishCurrent();
    }
  }

  /** Starts the next command; false when there is none. */
  async #startNext(): Promise<boolean> {
    const request = this.#batch.commandRequests[this.#index + 1];
    if (!request) return false;
    this.#index += 1;
    if (request.cancellation.aborted) {
      this.#failed = true;
      throw new OperationCanceledError(Messages.operationCancelled());
    }
    this.#current = await this.#guard(this.#internals.execute(request));
    return true;
  }

  /** Closes the current command's cursor and reports its count and output values. */
  async #finishCurrent(): Promise<void> {
    const cursor = this.#current!;
    this.#current = undefined;
    await this.#guard(cursor.close());
    const command = this.#batch.commands[this.#index]!;
    const affected = cursor.recordsAffected;
    reportRecordsAffected(command, affected);
    if (affected >= 0) this.#completedAffected = Math.max(this.#completedAffected, 0) + affected;
    const outputs = cursor.outputValues;
    if (!outputs) return;
    for (const parameter of command.parameters) {
      if (parameter.direction !== ParameterDirection.Input && outputs.has(parameter.normalizedName)) {
        parameter.value = outputs.get(parameter.normalizedName);
      }
    }
  }

  /** Marks the batch failed and attaches the failing command to the error; the current cursor is closed once. */
  async #guard<T>(promise: Promise<T>): Promise<T> {
    try {
      return await promise;
    } catch (error) {
      this.#failed = true;
      const command = this.#batch.commands[this.#index];
      if (command) attachBatchCommand(error, command);
      const cursor = this.#current;
      this.#current = undefined;
      if (cursor) await cursor.close().catch(() => {});
      throw error;
    }
  }
}
