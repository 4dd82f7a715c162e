import { CommandBehavior, COMMAND_BEHAVIOR_MASK } from './command-behavior.js';
import { checkedCommandType, checkedTimeoutSeconds } from './command-settings.js';
import { CommandType } from './command-type.js';
import { ConnectionState } from './connection-state.js';
import {
  getConnectionInternals,
  type ConnectionInternals,
  type DbConnection,
  type OperationOptions,
} from './db-connection.js';
import { DbDataReader, type ReaderSource } from './db-data-reader.js';
import { DbParameter } from './db-parameter.js';
import { DbParameterCollection } from './db-parameter-collection.js';
import type { DbTransaction } from './db-transaction.js';
import { DbXmlReader } from './db-xml-reader.js';
import { ParameterDirection } from './parameter-direction.js';
import {
  createAsyncResult,
  isEndedResultOf,
  type AsyncCallback,
  type DbAsyncResult,
  type EndMethodName,
  type IAsyncResult,
} from '../async/async-result.js';
import { commandChannel, traced } from '../diagnostics/tracing-channels.js';
import { callbackArgument, readerBeginArguments } from '../execution/begin-arguments.js';
import { buildCommandRequest, type CommandRequestInput } from '../execution/build-command-request.js';
import type { CommandExecutionHooks } from '../execution/command-execution-hooks.js';
import { endAsyncOperation } from '../execution/end-async-operation.js';
import { ExecutionScope, ScopeWait, throwIfAborted } from '../execution/execution-scope.js';
import { Messages } from '../execution/messages.js';
import type {
  CommandRequest,
  OneShotKind,
  OneShotResult,
  OneShotSink,
  ResultCursor,
} from '../providers/provider-spi.js';
import { ArgumentError, InvalidOperationError } from '../errors/errors.js';

/** Options of `executeReader`. */
export interface ExecuteReaderOptions extends OperationOptions {
  /** {@link CommandBehavior} flags. Defaults to `CommandBehavior.Default`. */
  readonly behavior?: CommandBehavior;
}

/** How many rows a reader asks the provider for at a time. */
const DEFAULT_FETCH_SIZE = 1000;

/**
 * A started execution: it owns the connection's busy slot for the whole round trip. A class, not an object literal, so
 * that V8 never pretenures it under a burst of callers (see `bound-request-parts.ts`).
 */
class Started {
  constructor(
    readonly internals: ConnectionInternals,
    readonly request: CommandRequest,
    readonly scope: ExecutionScope,
  ) {}
}

let setHooks: (command: DbCommand, hooks: CommandExecutionHooks) => void;
/** Ends a one-shot execution that succeeded: outputs copied, the slot released; the caller's result. */
let completeOnce: (
  command: DbCommand,
  started: Started,
  kind: OneShotKind,
  value: unknown,
  recordsAffected: number,
  outputValues: ReadonlyMap<string, unknown> | undefined,
) => unknown;
/** Ends a one-shot execution that failed: the slot released. */
let failOnce: (command: DbCommand, started: Started) => void;

/**
 * A one-shot execution started with the provider's `startOnceCore`: the provider's sink and the execution's wait on
 * its scope in one object, settling the caller's promise directly — no provider promise, no `then` on it, no
 * promise chained for the result (three promises per command fewer than `executeOnceCore`).
 */
class OnceCall extends ScopeWait implements OneShotSink {
  readonly #command: DbCommand;
  readonly #started: Started;
  readonly #kind: OneShotKind;
  readonly #resolve: (value: unknown) => void;
  readonly #reject: (error: unknown) => void;

  constructor(
    command: DbCommand,
    started: Started,
    kind: OneShotKind,
    resolve: (value: unknown) => void,
    reject: (error: unknown) => void,
  ) {
    super(started.scope);
    this.#command = command;
    this.#started = started;
    this.#kind = kind;
    this.#resolve = resolve;
    this.#reject = reject;
  }

  succeed(value: unknown, recordsAffected: number, outputValues: ReadonlyMap<string, unknown> | undefined): void {
    if (!this.settle()) return;
    let result: unknown;
    try {
      result = completeOnce(this.#command, this.#started, this.#kind, value, recordsAffected, outputValues);
    } catch (error) {
      this.#reject(error);
      return;
    }
    this.#resolve(result);
  }

  fail(error: unknown): void {
    this.reject(error);
  }

  protected failed(error: Error): void {
    failOnce(this.#command, this.#started);
    this.#reject(error);
  }
}

/** Makes `command` run a batch (see {@link CommandExecutionHooks}). @internal */
export function setCommandExecutionHooks(command: DbCommand, hooks: CommandExecutionHooks): void {
  setHooks(command, hooks);
}

interface PendingBegin {
  readonly result: object;
  readonly closeCount: number;
  readonly connection: DbConnection;
}

/**
 * A SQL statement (or batch, or stored procedure call) to run on a connection. Mirrors
 * `System.Data.Common.DbCommand`, with the Promise surface, the ADO.NET 2.0 Begin/End surface, and `await using`.
 * Parameters are written `@name` on every provider.
 *
 * Concrete: everything a command does is core's, so a provider uses it as is, or subclasses it only to return its
 * own reader ({@link DbCommand.createDataReader}) or parameter ({@link DbCommand.createParameter}) class.
 *
 * ```ts
 * const command = connection.createCommand('SELECT name FROM customer WHERE id = @id');
 * command.parameters.addWithValue('@id', 42);
 * const name = await command.executeScalar();
 * ```
 */
export class DbCommand implements AsyncDisposable {
  #commandText = '';
  #commandType: CommandType = CommandType.Text;
  #commandTimeout: number | undefined;
  #connection: DbConnection | null = null;
  #transaction: DbTransaction | null = null;
  #prepared = false;
  #pending: PendingBegin | null = null;
  #activeScope: ExecutionScope | null = null;
  #openReader: DbDataReader | null = null;
  /** Set only on the command a `DbBatch` runs on. */
  #hooks: CommandExecutionHooks | undefined;
  /** The command's parameters. */
  readonly parameters: DbParameterCollection;

  static {
    setHooks = (command, hooks) => {
      command.#hooks = hooks;
    };
    completeOnce = (command, started, kind, value, recordsAffected, outputValues) =>
      command.#completeOnce(started, kind, value, recordsAffected, outputValues);
    failOnce = (command, started) => command.#finish(started);
  }

  constructor(commandText?: string, connection?: DbConnection | null) {
    this.parameters = new DbParameterCollection(() => this.createParameter());
    if (commandText !== undefined) this.commandText = commandText;
    if (connection) this.connection = connection;
  }

  /** The SQL text, or the stored procedure name. `null` is coerced to ''. */
  get commandText(): string {
    return this.#commandText;
  }
  set commandText(text: string | null | undefined) {
    if (this.#openReader && !this.#openReader.isClosed)
      throw new InvalidOperationError(Messages.commandTextWhileReaderOpen());
    this.#commandText = text ?? '';
    this.#prepared = false;
  }

  /** Text (default) or StoredProcedure. */
  get commandType(): CommandType {
    return this.#commandType;
  }
  set commandType(type: CommandType) {
    this.#commandType = checkedCommandType(type);
  }

  /**
   * Seconds the command may wait on the server (cumulatively, not counting your own processing) before it is
   * cancelled on the server and fails with `DbTimeoutError` of kind 'command'. 0 = no limit. Defaults to the
   * connection string's `Command Timeout`, else 30.
   */
  get commandTimeout(): number {
    if (this.#commandTimeout !== undefined) return this.#commandTimeout;
    return this.#connection ? getConnectionInternals(this.#connection).defaultCommandTimeout : 30;
  }
  set commandTimeout(seconds: number) {
    this.#commandTimeout = checkedTimeoutSeconds(seconds, 'CommandTimeout');
  }

  /** The connection the command runs on. */
  get connection(): DbConnection | null {
    return this.#connection;
  }
  set connection(connection: DbConnection | null | undefined) {
    const next = connection ?? null;
    if (next === this.#connection) return;
    if (this.#openReader && !this.#openReader.isClosed)
      throw new InvalidOperationError(Messages.connectionWhileReaderOpen());
    if (this.#hasLivePending()) throw new InvalidOperationError(Messages.cannotModifyDuringAsync('Connection'));
    this.#connection = next;
    this.#prepared = false;
  }

  /** The transaction the command runs in; required while the connection has a pending transaction. */
  get transaction(): DbTransaction | null {
    if (this.#transaction?.isCompleted) this.#transaction = null;
    return this.#transaction;
  }
  set transaction(transaction: DbTransaction | null | undefined) {
    const next = transaction ?? null;
    if (next !== this.#transaction && this.#hasLivePending()) {
      throw new InvalidOperationError(Messages.cannotModifyDuringAsync('Transaction'));
    }
    this.#transaction = next;
  }

  /** Creates a parameter of the provider's type (not added to `parameters`). */
  createParameter(): DbParameter {
    return new DbParameter();
  }

  /**
   * Validates the command and marks it for server-side preparation, which providers that support it use on the
   * next execution. Mirrors `DbCommand.PrepareAsync`.
   */
  async prepare(options: OperationOptions = {}): Promise<void> {
    throwIfAborted(options.signal);
    const connection = this.#connection;
    if (!connection) throw new InvalidOperationError(Messages.connectionRequired('prepare'));
    if (connection.state !== ConnectionState.Open) {
      throw new InvalidOperationError(Messages.openConnectionRequired('prepare', connection.state));
    }
    if (this.#commandText === '') throw new InvalidOperationError(Messages.commandTextRequired('prepare'));
    this.#prepared = true;
  }

  /**
   * Asks the server to stop the running command (pg CancelRequest, MySQL KILL QUERY, TDS ATTENTION). Best effort:
   * never throws, and does nothing when nothing runs. The command then fails with OperationCanceledError.
   */
  cancel(): void {
    this.#activeScope?.abort('cancel');
  }

  /** Runs the command and returns a reader over its results. Mirrors `DbCommand.ExecuteReaderAsync`. */
  executeReader(behaviorOrOptions?: CommandBehavior | ExecuteReaderOptions): Promise<DbDataReader> {
    try {
      const options: ExecuteReaderOptions =
        typeof behaviorOrOptions === 'number' ? { behavior: behaviorOrOptions } : (behaviorOrOptions ?? {});
      throwIfAborted(options.signal);
      const started = this.#start('executeReader', options.behavior ?? CommandBehavior.Default, options.signal, false);
      if (!commandChannel.hasSubscribers) return this.#runReader(started);
      return this.#traced('executeReader', () => this.#runReader(started));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Runs the command and resolves the rows affected (-1 when no statement changed rows). */
  executeNonQuery(options: OperationOptions = {}): Promise<number> {
    // Not `async`: a wrapping promise per call is a measurable share of a short command. Every failure still rejects.
    try {
      throwIfAborted(options.signal);
      const started = this.#start('executeNonQuery', CommandBehavior.Default, options.signal, false);
      // Nothing is allocated for tracing unless someone subscribes (the closures below are made only then).
      if (!commandChannel.hasSubscribers) return this.#runNonQuery(started);
      return this.#traced('executeNonQuery', () => this.#runNonQuery(started));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Runs the command and resolves the first column of the first row: `undefined` when there is no row, `null` for
   * SQL NULL. Later results are still read, so their errors surface.
   */
  executeScalar<T = unknown>(options: OperationOptions = {}): Promise<T | null | undefined> {
    try {
      throwIfAborted(options.signal);
      const started = this.#start('executeScalar', CommandBehavior.Default, options.signal, false);
      const running = commandChannel.hasSubscribers
        ? this.#traced('executeScalar', () => this.#runScalar(started))
        : this.#runScalar(started);
      return running as Promise<T | null | undefined>;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Runs a command whose result is one XML (or text) column, and returns its text as a stream of chunks.
   * Any other result shape → InvalidOperationError.
   */
  executeXmlReader(options: OperationOptions = {}): Promise<DbXmlReader> {
    try {
      throwIfAborted(options.signal);
      const started = this.#start('executeXmlReader', CommandBehavior.SequentialAccess, options.signal, false);
      if (!commandChannel.hasSubscribers) return this.#runXml(started);
      return this.#traced('executeXmlReader', () => this.#runXml(started));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Starts `executeReader` and returns at once. Requires `Asynchronous Processing=true`. Errors detectable before
   * anything is sent are thrown here; the rest are rejected by {@link DbCommand.endExecuteReader}.
   */
  beginExecuteReader(behavior?: CommandBehavior): DbAsyncResult<DbDataReader>;
  beginExecuteReader(
    callback?: AsyncCallback | null,
    state?: unknown,
    behavior?: CommandBehavior,
  ): DbAsyncResult<DbDataReader>;
  beginExecuteReader(
    callbackOrBehavior?: AsyncCallback | CommandBehavior | null,
    state?: unknown,
    behavior?: CommandBehavior,
  ): DbAsyncResult<DbDataReader> {
    const args = readerBeginArguments(callbackOrBehavior, state, behavior);
    const callback = args.callback;
    const started = this.#start('beginExecuteReader', args.behavior ?? CommandBehavior.Default, undefined, true);
    return this.#begin('endExecuteReader', started, callback, state, () => this.#runReader(started));
  }

  /** Completes {@link DbCommand.beginExecuteReader}. */
  endExecuteReader(result: IAsyncResult): Promise<DbDataReader> {
    return this.#end<DbDataReader>(result, 'endExecuteReader');
  }

  /** Starts `executeNonQuery` and returns at once. Requires `Asynchronous Processing=true`. */
  beginExecuteNonQuery(callback?: AsyncCallback | null, state?: unknown): DbAsyncResult<number> {
    const checkedCallback = callbackArgument(callback, 'beginExecuteNonQuery');
    const started = this.#start('beginExecuteNonQuery', CommandBehavior.Default, undefined, true);
    return this.#begin('endExecuteNonQuery', started, checkedCallback, state, () => this.#runNonQuery(started));
  }

  /** Completes {@link DbCommand.beginExecuteNonQuery}: resolves the rows affected. */
  endExecuteNonQuery(result: IAsyncResult): Promise<number> {
    return this.#end<number>(result, 'endExecuteNonQuery');
  }

  /** Starts `executeScalar` and returns at once (an asyncdb extension; ADO.NET has no BeginExecuteScalar). */
  beginExecuteScalar(callback?: AsyncCallback | null, state?: unknown): DbAsyncResult<unknown> {
    const checkedCallback = callbackArgument(callback, 'beginExecuteScalar');
    const started = this.#start('beginExecuteScalar', CommandBehavior.Default, undefined, true);
    return this.#begin('endExecuteScalar', started, checkedCallback, state, () => this.#runScalar(started));
  }

  /** Completes {@link DbCommand.beginExecuteScalar}. */
  endExecuteScalar<T = unknown>(result: IAsyncResult): Promise<T | null | undefined> {
    return this.#end<T | null | undefined>(result, 'endExecuteScalar');
  }

  /** Starts `executeXmlReader` and returns at once. Requires `Asynchronous Processing=true`. */
  beginExecuteXmlReader(callback?: AsyncCallback | null, state?: unknown): DbAsyncResult<DbXmlReader> {
    const checkedCallback = callbackArgument(callback, 'beginExecuteXmlReader');
    const started = this.#start('beginExecuteXmlReader', CommandBehavior.SequentialAccess, undefined, true);
    return this.#begin('endExecuteXmlReader', started, checkedCallback, state, () => this.#runXml(started));
  }

  /** Completes {@link DbCommand.beginExecuteXmlReader}. */
  endExecuteXmlReader(result: IAsyncResult): Promise<DbXmlReader> {
    return this.#end<DbXmlReader>(result, 'endExecuteXmlReader');
  }

  /** Closes an open reader of this command (`await using`). The command stays usable. */
  async [Symbol.asyncDispose](): Promise<void> {
    this.cancel();
    await this.#openReader?.close().catch(() => {});
  }

  /** Creates the reader the command returns; override to return the provider's subclass. */
  protected createDataReader(source: ReaderSource): DbDataReader {
    return new DbDataReader(source);
  }

  /** The synchronous checks of ADO.NET's `ValidateCommand`, in its order, then translation. */
  #start(method: string, behavior: CommandBehavior, signal: AbortSignal | undefined, apm: boolean): Started {
    const connection = this.#connection;
    if (!connection) throw new InvalidOperationError(Messages.connectionRequired(method));
    if (connection.state !== ConnectionState.Open) {
      throw new InvalidOperationError(Messages.openConnectionRequired(method, connection.state));
    }
    const internals = getConnectionInternals(connection);
    if (apm && !internals.isAsync) throw new InvalidOperationError(Messages.asyncConnectionRequired());
    if (this.#hasLivePending()) throw new InvalidOperationError(Messages.pendingBeginExists());
    this.#pending = null;
    internals.assertIdle();
    const transaction = this.transaction;
    const pendingTransaction = internals.transaction;
    if (pendingTransaction && transaction === null)
      throw new InvalidOperationError(Messages.transactionRequired(method));
    if (transaction && transaction !== pendingTransaction)
      throw new InvalidOperationError(Messages.transactionMismatch());
    if (this.#commandText === '') throw new InvalidOperationError(Messages.commandTextRequired(method));
    if (!Number.isInteger(behavior) || behavior < 0 || behavior > COMMAND_BEHAVIOR_MASK) {
      throw new ArgumentError(Messages.invalidCommandBehavior(behavior), 'behavior');
    }
    const timeoutMs = this.commandTimeout * 1000;
    const scope = new ExecutionScope({ timeoutMs, signal, providerName: internals.providerName });
    let request: CommandRequest;
    try {
      const input: CommandRequestInput = {
        commandText: this.#commandText,
        commandType: this.#commandType,
        parameters: this.parameters,
        behavior,
        timeoutMs,
        abort: scope,
        prepared: this.#prepared,
        inTransaction: pendingTransaction !== null,
        capabilities: internals.capabilities,
      };
      request = this.#hooks ? this.#hooks.buildRequest(input) : buildCommandRequest(input);
    } catch (error) {
      scope.dispose();
      throw error;
    }
    // The execution is its own busy-slot owner. No closer: a close() aborts every tracked scope, this one included.
    const started = new Started(internals, request, scope);
    internals.acquire('command', started);
    internals.track(scope);
    this.#activeScope = scope;
    return started;
  }

  #begin<T>(
    endMethod: EndMethodName,
    started: Started,
    callback: AsyncCallback | undefined,
    state: unknown,
    run: () => Promise<T>,
  ): DbAsyncResult<T> {
    const result = createAsyncResult<T>({
      owner: this,
      endMethod,
      state,
      callback,
      operation: commandChannel.hasSubscribers ? this.#traced(endMethod.replace('end', 'begin'), run) : run(),
      abort: () => started.scope.abort('cancel'),
    });
    this.#pending = { result, closeCount: started.internals.closeCount, connection: started.internals.connection };
    started.internals.trackAsyncResult(result);
    return result;
  }

  #end<T>(result: IAsyncResult, method: EndMethodName): Promise<T> {
    const outcome = endAsyncOperation<T>(this, result, method);
    // Only an End that passed its checks completes the Begin: a rejected one (wrong End, foreign result) leaves it pending.
    if (isEndedResultOf(result, this)) {
      if (this.#pending?.result === result) this.#pending = null;
      if (this.#connection) getConnectionInternals(this.#connection).untrackAsyncResult(result);
    }
    return outcome;
  }

  /** A Begin whose End was not called yet, on the same connection that has not been closed since. */
  #hasLivePending(): boolean {
    const pending = this.#pending;
    if (!pending) return false;
    const internals = getConnectionInternals(pending.connection);
    return pending.connection === this.#connection && internals.closeCount === pending.closeCount;
  }

  #traced<T>(operation: string, run: () => Promise<T>): Promise<T> {
    const connection = this.#connection!;
    const hooks = this.#hooks;
    return traced(
      commandChannel,
      () => {
        const context = getConnectionInternals(connection).traceContext(operation, this.#commandText);
        return hooks ? hooks.traceContext(context) : context;
      },
      run,
    );
  }

  async #runReader(started: Started): Promise<DbDataReader> {
    const { internals, scope } = started;
    let cursor: ResultCursor | undefined;
    try {
      const hooks = this.#hooks;
      cursor = await scope.wait(
        hooks ? hooks.openCursor(internals, started.request) : internals.execute(started.request),
      );
    } catch (error) {
      this.#finish(started);
      throw error;
    }
    const source: ReaderSource = {
      cursor,
      behavior: started.request.behavior,
      scope,
      fetchSize: DEFAULT_FETCH_SIZE,
      onClose: async () => {
        this.#copyOutputs(cursor!);
        this.#finish(started);
        if (started.request.behavior & CommandBehavior.CloseConnection) await internals.close();
      },
    };
    const reader = this.createDataReader(source);
    internals.transfer(started, 'reader', started, () => reader.close());
    this.#openReader = reader;
    await reader.initialize();
    return reader;
  }

  #runNonQuery(started: Started): Promise<number> {
    const sunk = this.#startOnce(started, 'nonQuery');
    if (sunk) return sunk;
    const once = this.#oneShot(started, 'nonQuery');
    return once ? this.#runOnce(started, once, 'nonQuery') : this.#readNonQuery(started);
  }

  async #readNonQuery(started: Started): Promise<number> {
    const reader = await this.#runReader(started);
    try {
      do {
        while (await reader.read()) {
          // Rows of a SELECT inside a non-query batch are read and discarded, as ADO.NET does.
        }
      } while (await reader.nextResult());
    } finally {
      await reader.close();
    }
    return reader.recordsAffected;
  }

  #runScalar(started: Started): Promise<unknown> {
    const sunk = this.#startOnce(started, 'scalar');
    if (sunk) return sunk;
    const once = this.#oneShot(started, 'scalar');
    return once ? this.#runOnce(started, once, 'scalar') : this.#readScalar(started);
  }

  async #readScalar(started: Started): Promise<unknown> {
    const reader = await this.#runReader(started);
    let value: unknown;
    try {
      if (reader.fieldCount > 0 && (await reader.read())) value = reader.getValue(0);
      while (await reader.nextResult()) {
        // Drained so that errors of later statements surface, as SqlClient's ExecuteScalar does.
      }
    } finally {
      await reader.close();
    }
    return value;
  }

  /**
   * The provider's one-shot execution in its sink form (one promise per command: the caller's), unless the provider
   * has none or declines — or the command runs a batch (its hooks need a cursor).
   */
  #startOnce(started: Started, kind: 'scalar'): Promise<unknown> | undefined;
  #startOnce(started: Started, kind: 'nonQuery'): Promise<number> | undefined;
  #startOnce(started: Started, kind: OneShotKind): Promise<unknown> | undefined {
    if (this.#hooks || !started.internals.startsOnce) return undefined;
    let call!: OnceCall;
    const promise = new Promise<unknown>((resolve, reject) => {
      call = new OnceCall(this, started, kind, resolve, reject);
    });
    if (!started.internals.startOnce(started.request, kind, call)) return undefined;
    call.enter();
    return promise;
  }

  /** The provider's one-shot execution, unless it declines — or the command runs a batch (its hooks need a cursor). */
  #oneShot(started: Started, kind: OneShotKind): Promise<OneShotResult> | undefined {
    return this.#hooks ? undefined : started.internals.executeOnce(started.request, kind);
  }

  /**
   * Waits for a provider's one-shot execution (no reader): it settles once the session is idle again. One `then` on
   * the scope's wait and no `async` layer: each was a promise per command.
   */
  #runOnce(started: Started, once: Promise<OneShotResult>, kind: 'scalar'): Promise<unknown>;
  #runOnce(started: Started, once: Promise<OneShotResult>, kind: 'nonQuery'): Promise<number>;
  #runOnce(started: Started, once: Promise<OneShotResult>, kind: OneShotKind): Promise<unknown> {
    return started.scope.wait(once).then(
      (result) => this.#completeOnce(started, kind, result.value, result.recordsAffected, result.outputValues),
      (error: unknown) => {
        this.#finish(started);
        throw error;
      },
    );
  }

  /** Ends a one-shot execution that succeeded (either form): outputs copied, the slot released; the caller's result. */
  #completeOnce(
    started: Started,
    kind: OneShotKind,
    value: unknown,
    recordsAffected: number,
    outputValues: ReadonlyMap<string, unknown> | undefined,
  ): unknown {
    try {
      if (outputValues) this.#copyOutputValues(outputValues);
    } finally {
      this.#finish(started);
    }
    return kind === 'scalar' ? value : recordsAffected;
  }

  async #runXml(started: Started): Promise<DbXmlReader> {
    const reader = await this.#runReader(started);
    const columns = reader.getColumnSchema();
    const column = columns[0];
    if (columns.length !== 1 || !column || (column.fieldType !== 'string' && column.dbType !== 'Xml')) {
      await reader.close();
      throw new InvalidOperationError(Messages.nonXmlResult());
    }
    return new DbXmlReader(reader);
  }

  /** Copies output and return values back into the command's parameters. */
  #copyOutputs(cursor: ResultCursor): void {
    const outputs = cursor.outputValues;
    if (outputs) this.#copyOutputValues(outputs);
  }

  #copyOutputValues(outputs: ReadonlyMap<string, unknown>): void {
    for (const parameter of this.parameters) {
      if (parameter.direction === ParameterDirection.Input) continue;
      const name = parameter.normalizedName;
      if (outputs.has(name)) parameter.value = outputs.get(name);
    }
  }

  #finish(started: Started): void {
    started.internals.untrack(started.scope);
    started.scope.dispose();
    started.internals.release(started);
    if (started.scope.broken) started.internals.markBroken();
    if (this.#activeScope === started.scope) this.#activeScope = null;
  }
}
