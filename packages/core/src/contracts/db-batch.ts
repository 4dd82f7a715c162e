import { CommandBehavior } from './command-behavior.js';
import { checkedTimeoutSeconds } from './command-settings.js';
import { DbBatchCommand, reportRecordsAffected } from './db-batch-command.js';
import { DbBatchCommandCollection } from './db-batch-command-collection.js';
import { setCommandExecutionHooks, type DbCommand, type ExecuteReaderOptions } from './db-command.js';
import { getConnectionInternals, type DbConnection, type OperationOptions } from './db-connection.js';
import type { DbDataReader } from './db-data-reader.js';
import type { DbTransaction } from './db-transaction.js';
import type { AsyncCallback, DbAsyncResult, IAsyncResult } from '../async/async-result.js';
import type { DbProviderFactory } from '../providers/db-provider-factory.js';
import { InvalidOperationError } from '../errors/errors.js';
import { BatchResultCursor } from '../execution/batch-result-cursor.js';
import { buildBatchRequest, type BuiltBatch } from '../execution/build-batch-request.js';
import type { CommandExecutionHooks } from '../execution/command-execution-hooks.js';
import { endAsyncOperation } from '../execution/end-async-operation.js';
import { Messages } from '../execution/messages.js';
import { SequentialBatchCursor } from '../execution/sequential-batch-cursor.js';

/**
 * Several commands sent together and run in order, each with its own text, type and parameters; one reader walks
 * every command's results. Mirrors `System.Data.Common.DbBatch` (ADO.NET 6), with the Promise surface, the ADO.NET 2.0
 * Begin/End surface and `await using`.
 *
 * A provider whose `batchExecution` capability is `'single-round-trip'` sends the whole batch at once; any other
 * provider runs it command by command (same results). A failing command skips the commands after it; whether the
 * ones before it stay done outside a transaction is the `batchIsAtomic` capability.
 *
 * It runs on a command of the connection's provider, so every rule of {@link DbCommand} holds for it unchanged: the
 * ADO.NET checks (thrown by `begin*`), `Asynchronous Processing=true` for Begin/End, one operation per connection,
 * the timeout budget, cancellation on the server, the `asyncdb:command` trace (with `db.operation.batch.size`).
 *
 * ```ts
 * const batch = connection.createBatch();
 * batch.batchCommands.add('INSERT INTO item (name) VALUES (@name)').parameters.addWithValue('@name', 'pen');
 * batch.batchCommands.add('SELECT count(*) FROM item');
 * await using reader = await batch.executeReader();
 * ```
 */
export class DbBatch implements AsyncDisposable {
  #connection: DbConnection | null = null;
  #transaction: DbTransaction | null = null;
  #timeout: number | undefined;
  /** The command the batch runs on, made by the connection's provider (so its reader type is the provider's). */
  #executor: DbCommand | undefined;
  #executorFactory: DbProviderFactory | undefined;
  /** The commands, in the order they run. */
  readonly batchCommands: DbBatchCommandCollection;

  constructor(connection?: DbConnection | null) {
    this.batchCommands = new DbBatchCommandCollection((text) => this.createBatchCommand(text));
    if (connection) this.connection = connection;
  }

  /** The connection the batch runs on. */
  get connection(): DbConnection | null {
    return this.#connection;
  }
  set connection(connection: DbConnection | null | undefined) {
    const next = connection ?? null;
    // The executor refuses the change while a reader or a Begin of this batch is pending, as a command does.
    if (this.#executor && next && next.providerFactory === this.#executorFactory) this.#executor.connection = next;
    else if (this.#executor) this.#executor.connection = null;
    this.#connection = next;
  }

  /** The transaction the batch runs in; required while the connection has a pending transaction. */
  get transaction(): DbTransaction | null {
    if (this.#transaction?.isCompleted) this.#transaction = null;
    return this.#transaction;
  }
  set transaction(transaction: DbTransaction | null | undefined) {
    const next = transaction ?? null;
    if (this.#executor) this.#executor.transaction = next;
    this.#transaction = next;
  }

  /**
   * Seconds the whole batch may wait on the server before it is cancelled there and fails with `DbTimeoutError`.
   * 0 = no limit. Defaults to the connection string's `Command Timeout`, else 30. Mirrors `DbBatch.Timeout`.
   */
  get timeout(): number {
    if (this.#timeout !== undefined) return this.#timeout;
    return this.#connection ? getConnectionInternals(this.#connection).defaultCommandTimeout : 30;
  }
  set timeout(seconds: number) {
    this.#timeout = checkedTimeoutSeconds(seconds, 'Timeout');
  }

  /** Creates a batch command of the provider's type (not added to `batchCommands`). Mirrors `DbBatch.CreateBatchCommand`. */
  createBatchCommand(commandText?: string): DbBatchCommand {
    return this.#connection
      ? this.#connection.providerFactory.createBatchCommand(commandText)
      : new DbBatchCommand(commandText);
  }

  /** Runs the batch and returns one reader over every command's results, in order. Mirrors `DbBatch.ExecuteReaderAsync`. */
  executeReader(behaviorOrOptions?: CommandBehavior | ExecuteReaderOptions): Promise<DbDataReader> {
    return this.#run('executeReader', (executor) => executor.executeReader(behaviorOrOptions));
  }

  /** Runs the batch and resolves the rows its commands changed in total (-1 when none changed rows). */
  executeNonQuery(options: OperationOptions = {}): Promise<number> {
    return this.#run('executeNonQuery', (executor) => executor.executeNonQuery(options));
  }

  /**
   * Runs the batch and resolves the first column of the first row of the first result with columns (`undefined`
   * when there is none). Every command still runs, so later errors surface. Mirrors `DbBatch.ExecuteScalarAsync`.
   */
  executeScalar<T = unknown>(options: OperationOptions = {}): Promise<T | null | undefined> {
    return this.#run('executeScalar', (executor) => executor.executeScalar<T>(options));
  }

  /** Starts `executeReader` and returns at once. Requires `Asynchronous Processing=true`. */
  beginExecuteReader(behavior?: CommandBehavior): DbAsyncResult<DbDataReader>;
  beginExecuteReader(
    callback?: AsyncCallback | null,
    state?: unknown,
    behavior?: CommandBehavior,
  ): DbAsyncResult<DbDataReader>;
  beginExecuteReader(
    callbackOrBehavior?: AsyncCallback | CommandBehavior | null,
    state?: unknown,
    behavior: CommandBehavior = CommandBehavior.Default,
  ): DbAsyncResult<DbDataReader> {
    const executor = this.#prepare('beginExecuteReader');
    if (typeof callbackOrBehavior === 'number') return executor.beginExecuteReader(callbackOrBehavior);
    return executor.beginExecuteReader(callbackOrBehavior, state, behavior);
  }

  /** Completes {@link DbBatch.beginExecuteReader}. */
  endExecuteReader(result: IAsyncResult): Promise<DbDataReader> {
    return this.#executor
      ? this.#executor.endExecuteReader(result)
      : endAsyncOperation(this, result, 'endExecuteReader');
  }

  /** Starts `executeNonQuery` and returns at once. Requires `Asynchronous Processing=true`. */
  beginExecuteNonQuery(callback?: AsyncCallback | null, state?: unknown): DbAsyncResult<number> {
    return this.#prepare('beginExecuteNonQuery').beginExecuteNonQuery(callback, state);
  }

  /** Completes {@link DbBatch.beginExecuteNonQuery}: resolves the rows changed in total. */
  endExecuteNonQuery(result: IAsyncResult): Promise<number> {
    return this.#executor
      ? this.#executor.endExecuteNonQuery(result)
      : endAsyncOperation(this, result, 'endExecuteNonQuery');
  }

  /** Starts `executeScalar` and returns at once. Requires `Asynchronous Processing=true`. */
  beginExecuteScalar(callback?: AsyncCallback | null, state?: unknown): DbAsyncResult<unknown> {
    return this.#prepare('beginExecuteScalar').beginExecuteScalar(callback, state);
  }

  /** Completes {@link DbBatch.beginExecuteScalar}. */
  endExecuteScalar<T = unknown>(result: IAsyncResult): Promise<T | null | undefined> {
    return this.#executor
      ? this.#executor.endExecuteScalar<T>(result)
      : endAsyncOperation(this, result, 'endExecuteScalar');
  }

  /** Validates the batch and marks it for server-side preparation where the provider supports it. */
  prepare(options: OperationOptions = {}): Promise<void> {
    return this.#run('prepare', (executor) => executor.prepare(options));
  }

  /**
   * Asks the server to stop the running batch. Best effort: never throws, does nothing when nothing runs. The batch
   * then fails with OperationCanceledError. Mirrors `DbBatch.Cancel`.
   */
  cancel(): void {
    this.#executor?.cancel();
  }

  /** Closes an open reader of this batch (`await using`). The batch stays usable. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.#executor?.[Symbol.asyncDispose]();
  }

  async #run<T>(method: string, run: (executor: DbCommand) => Promise<T>): Promise<T> {
    return run(this.#prepare(method));
  }

  /** The executor, in step with the batch's connection, transaction, timeout and commands. */
  #prepare(method: string): DbCommand {
    const connection = this.#connection;
    if (!connection) throw new InvalidOperationError(Messages.connectionRequired(method));
    const factory = connection.providerFactory;
    let executor = this.#executor;
    if (!executor || this.#executorFactory !== factory) {
      executor = factory.createCommand();
      setCommandExecutionHooks(executor, this.#hooks());
      this.#executor = executor;
      this.#executorFactory = factory;
    }
    executor.connection = connection;
    executor.transaction = this.#transaction;
    executor.commandTimeout = this.timeout;
    // The joined text is what the trace reports as `db.query.text`; an empty batch is refused when the request is built.
    const text = this.batchCommands
      .toArray()
      .map((command) => command.commandText)
      .join('; ');
    if (executor.commandText !== (text || ' ')) executor.commandText = text || ' ';
    return executor;
  }

  #hooks(): CommandExecutionHooks {
    const built = new WeakMap<object, BuiltBatch>();
    return {
      buildRequest: (input) => {
        const commands = this.batchCommands.toArray();
        const batch = buildBatchRequest(input, commands);
        for (const command of commands) reportRecordsAffected(command, -1);
        built.set(batch.request, batch);
        return batch.request;
      },
      openCursor: async (internals, request) => {
        const batch = built.get(request)!;
        if (internals.capabilities.batchExecution === 'sequential') return new SequentialBatchCursor(internals, batch);
        return BatchResultCursor.open(internals.execute(request), batch);
      },
      traceContext: (context) => ({ ...context, 'db.operation.batch.size': this.batchCommands.count }),
    };
  }
}
