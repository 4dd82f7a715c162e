import { EventEmitter } from 'node:events';
import { ConnectionState } from './connection-state.js';
import { IsolationLevel } from './isolation-level.js';
import { DbTransaction } from './db-transaction.js';
import type { DbBatch } from './db-batch.js';
import type { DbCommand } from './db-command.js';
import type { DbConnectionStringBuilder } from '../connection-string/connection-string-builder.js';
import { connectionPlanOf, type ConnectionPlan } from '../connection-string/connection-plan.js';
import type { DbProviderFactory } from '../providers/db-provider-factory.js';
import type { ProviderCapabilities } from '../providers/provider-capabilities.js';
import {
  TARGET_SESSION_ATTRIBUTE_VALUES,
  type TargetSessionAttributes,
} from '../multi-host/target-session-attributes.js';
import type {
  CloseContext,
  CommandRequest,
  CoreAbortReason,
  InfoMessage,
  OneShotKind,
  OneShotResult,
  OneShotSink,
  OpenContext,
  ResultCursor,
  SessionInfo,
  TransactionRequest,
} from '../providers/provider-spi.js';
import {
  createAsyncResult,
  endMethodOf,
  isEndedResultOf,
  wasEnded,
  type AsyncCallback,
  type DbAsyncResult,
  type IAsyncResult,
} from '../async/async-result.js';
import {
  connectionOpenChannel,
  traced,
  transactionChannel,
  type DbTraceContext,
} from '../diagnostics/tracing-channels.js';
import { callbackArgument } from '../execution/begin-arguments.js';
import { ExecutionScope, CANCEL_GRACE_MS, throwIfAborted } from '../execution/execution-scope.js';
import { ScopeSet } from '../execution/scope-set.js';
import { Messages } from '../execution/messages.js';
import { endAsyncOperation } from '../execution/end-async-operation.js';
import { CallbackDeadline } from '../async/deadline-wheel.js';
import type { SessionPool } from '../pooling/session-pool.js';
import type { PooledSession } from '../pooling/pooled-session.js';
import { OpenWaiter, type OpenAborter } from '../pooling/open-waiter.js';
import {
  ArgumentError,
  AsyncDbError,
  DbError,
  DbErrorCategory,
  DbTimeoutError,
  InvalidOperationError,
  NotSupportedError,
  OperationCanceledError,
} from '../errors/errors.js';

/** Options every asynchronous operation accepts. */
export interface OperationOptions {
  /** Aborting it cancels the operation (on the server, for commands). */
  readonly signal?: AbortSignal | undefined;
}

/** The payload of the `stateChange` event. Mirrors `StateChangeEventArgs`. */
export interface StateChangeEvent {
  readonly originalState: ConnectionState;
  readonly currentState: ConnectionState;
}

/** The events a {@link DbConnection} emits. */
export interface DbConnectionEvents {
  /** The connection's state changed (Closed → Connecting → Open → Closed, or → Broken). */
  stateChange: [StateChangeEvent];
  /** The server sent a notice, warning or PRINT message. Mirrors `SqlConnection.InfoMessage`. */
  infoMessage: [InfoMessage];
}

/** What holds the connection's single active-request slot. @internal */
export type BusyKind = 'command' | 'reader' | 'transaction' | 'changeDatabase';

/** The view of a connection that core's command, reader and transaction classes use. @internal */
export interface ConnectionInternals {
  readonly connection: DbConnection;
  /** Increases on every close, so stale pending-async state can be recognised. */
  readonly closeCount: number;
  /** The connection string as set, password included (pool keys, clearPool). */
  readonly rawConnectionString: string;
  readonly isAsync: boolean;
  readonly capabilities: ProviderCapabilities;
  readonly providerName: string;
  readonly transaction: DbTransaction | null;
  readonly defaultCommandTimeout: number;
  readonly busyKind: BusyKind | null;
  /** Throws the ADO.NET error for a busy connection when something holds the active-request slot. */
  assertIdle(): void;
  /** Takes the active-request slot or throws the ADO.NET error for a busy connection. */
  acquire(kind: BusyKind, owner: object, closer?: () => Promise<void>): void;
  /** Hands the slot to a new owner (a command's reader), keeping it busy. */
  transfer(from: object, kind: BusyKind, to: object, closer: () => Promise<void>): void;
  release(owner: object): void;
  execute(request: CommandRequest): Promise<ResultCursor>;
  /** The provider's one-shot execution, or undefined when it declines (core then reads a cursor). */
  executeOnce(request: CommandRequest, kind: OneShotKind): Promise<OneShotResult> | undefined;
  /** True when the provider implements `startOnceCore` (the sink form of the one-shot). */
  readonly startsOnce: boolean;
  /**
   * The provider's one-shot execution delivering to `sink`; false when it declines (nothing was started). A provider
   * that throws has started nothing either: the error goes to the sink.
   */
  startOnce(request: CommandRequest, kind: OneShotKind, sink: OneShotSink): boolean;
  /** Makes `close()` and a lost session abort the execution, until {@link ConnectionInternals.untrack}. */
  track(scope: ExecutionScope): void;
  untrack(scope: ExecutionScope): void;
  trackAsyncResult(result: TrackedAsyncResult): void;
  untrackAsyncResult(result: TrackedAsyncResult): void;
  markBroken(error?: unknown): void;
  transact(request: TransactionRequest, options: OperationOptions): Promise<void>;
  completeTransaction(transaction: DbTransaction): void;
  traceContext(operation: string, queryText?: string): DbTraceContext;
  close(): Promise<void>;
}

/** What a connection remembers of a Begin operation until its End is called. @internal */
export type TrackedAsyncResult = IAsyncResult;

let internalsOf: (connection: DbConnection) => ConnectionInternals;
/** Hands a session the pool granted to the waiting open of `connection` (set in DbConnection's static block). */
let grantOpen: (connection: DbConnection, pool: SessionPool, session: PooledSession, open: PooledOpen) => void;
/** Fails the waiting open of `connection`: the connection is Closed, the open rejects with a DbError. */
let failOpen: (connection: DbConnection, error: unknown, open: PooledOpen) => void;

/**
 * A connection's untraced pooled open waiting for its pool: an {@link OpenWaiter} whose grant attaches the session to
 * the connection at once and resolves the open (see `DbConnection.#openWaiting`). A class, not closures per open.
 */
class PooledOpen extends OpenWaiter {
  readonly #connection: DbConnection;
  readonly #resolveOpen: () => void;

  constructor(
    pool: SessionPool,
    signal: AbortSignal | undefined,
    connection: DbConnection,
    resolve: () => void,
    reject: (error: unknown) => void,
  ) {
    super(pool, signal, NO_SESSION_RESOLVE, reject);
    this.#connection = connection;
    this.#resolveOpen = resolve;
  }

  protected override granted(session: PooledSession): void {
    grantOpen(this.#connection, this.pool, session, this);
  }

  protected override failed(error: unknown): void {
    failOpen(this.#connection, error, this);
  }

  /** Resolves the open (the session is attached). */
  resolveOpen(): void {
    this.#resolveOpen();
  }
}

/** {@link PooledOpen} resolves its open itself (never with the session). */
function NO_SESSION_RESOLVE(): void {}

/** @internal Core's access to a connection's internals. */
export function getConnectionInternals(connection: DbConnection): ConnectionInternals {
  return internalsOf(connection);
}

/**
 * What holds the connection's one execution slot. A class, not an object literal: it lives for a whole round trip, and
 * V8 may decide to allocate a literal's site straight into the old generation when a burst of callers keeps many of
 * them alive at once (allocation-site pretenuring, docs/benchmarks.md) — which then promotes all they reference.
 */
class Busy {
  constructor(
    readonly kind: BusyKind,
    readonly owner: object,
    readonly closer: (() => Promise<void>) | undefined,
  ) {}
}

/**
 * A connection to a database. Mirrors `System.Data.Common.DbConnection`, with the Promise surface
 * (`open()`), the ADO.NET 2.0 asynchronous model (`beginOpen`/`endOpen`), and `await using`.
 *
 * A provider implements {@link DbConnection.openCore}, {@link DbConnection.closeCore},
 * {@link DbConnection.executeCore} and {@link DbConnection.transactionCore}; core owns every rule around them.
 *
 * ```ts
 * await using connection = factory.createConnection('Host=localhost;Database=test');
 * await connection.open();
 * ```
 */
export abstract class DbConnection extends EventEmitter<DbConnectionEvents> implements AsyncDisposable {
  #connectionString = '';
  /** The connection string's shared plan (parsed builder, timeouts, flags): see {@link ConnectionPlan}. */
  #parsedPlan: ConnectionPlan | undefined;
  /** True while a connection string given to the constructor waits for the subclass's factory (see the constructor). */
  #parsePending = false;
  readonly #factory: DbProviderFactory | undefined;
  #hideSecrets = false;
  #state: ConnectionState = ConnectionState.Closed;
  #session: SessionInfo | undefined;
  #database = '';
  #busy: Busy | null = null;
  #transaction: DbTransaction | null = null;
  readonly #scopes = new ScopeSet();
  /** Begin operations not yet ended; created by the first Begin (most connections never make one). */
  #asyncResults: Set<TrackedAsyncResult> | undefined;
  /** Aborts the open in progress (connect timeout, caller abort, close during open), whichever path it takes. */
  #abortOpen: OpenAborter | undefined;
  #opening: Promise<void> | undefined;
  /** The pool and session of an open that came from core's pool (see {@link DbConnection.sessionPool}). */
  #pool: SessionPool | undefined;
  #pooledSession: PooledSession | undefined;
  /** True while open through {@link DbConnection.openAtOnce}: no session of its own, closed by `closeAtOnce`. */
  #openedAtOnce = false;
  #closing: Promise<void> | undefined;
  #broken = false;
  #closeCount = 0;
  #targetSessionAttributes: TargetSessionAttributes | undefined;
  #pendingOpen: DbAsyncResult<void> | undefined;
  /** Built once: commands ask for it several times per execution, and its getters read the live fields anyway. */
  #internalsView: ConnectionInternals | undefined;

  static {
    internalsOf = (connection) => connection.#internals();
    grantOpen = (connection, pool, session, open) => connection.#grantedOpen(pool, session, open);
    failOpen = (connection, error, open) => connection.#failedOpen(error, open);
  }

  /**
   * @param connectionString the connection string; checked at once against the provider's keywords when
   *   `providerFactory` is given, else at the first use that needs it (`open`, `beginOpen`,
   *   `asynchronousProcessing`, a command's default timeout) — by then a subclass's own fields are initialised.
   * @param providerFactory the provider's factory, which parses the connection string. A provider passes it here
   *   (`super(connectionString, factory)`); one that overrides the `providerFactory` getter instead may omit it.
   */
  constructor(connectionString?: string, providerFactory?: DbProviderFactory) {
    super();
    this.#factory = providerFactory;
    if (connectionString === undefined) return;
    if (providerFactory) {
      // Parsed with the factory given, not through the getter, which a subclass may override to read its own field.
      this.#parsedPlan = connectionString === '' ? undefined : connectionPlanOf(providerFactory, connectionString);
      this.#connectionString = connectionString;
    } else {
      // A subclass that keeps its factory in a field has not set that field yet: parse on first use instead.
      this.#connectionString = connectionString;
      this.#parsePending = connectionString !== '';
    }
  }

  /**
   * The factory of this connection's provider. Mirrors `DbConnection.DbProviderFactory`. Returns the factory given to
   * the constructor; a provider may override it instead.
   */
  get providerFactory(): DbProviderFactory {
    if (this.#factory) return this.#factory;
    throw new InvalidOperationError(
      `${this.constructor.name} has no provider factory: pass it to the DbConnection constructor (super(connectionString, factory)) or override the providerFactory getter.`,
    );
  }

  /** The connection string's plan; parses a constructor's string on first use (see the constructor). */
  get #plan(): ConnectionPlan | undefined {
    if (this.#parsePending) {
      this.#parsedPlan = connectionPlanOf(this.providerFactory, this.#connectionString);
      this.#parsePending = false;
    }
    return this.#parsedPlan;
  }

  /** The parsed connection string (shared by every connection with the same string: read it, never change it). */
  get #builder(): DbConnectionStringBuilder | undefined {
    return this.#plan?.builder;
  }

  /**
   * Opens (or takes from the pool) a physical session. Must honour `context.signal` (connect timeout, caller abort,
   * close during open) and throw `DbTimeoutError('pool')` when waiting for a pooled connection timed out.
   */
  protected abstract openCore(context: OpenContext): Promise<SessionInfo>;

  /** Returns the session to the pool (reset) or, when `context.broken`, destroys it. */
  protected abstract closeCore(context: CloseContext): Promise<void>;

  /** Starts a command on the session; see {@link CommandRequest} for the cancellation contract. */
  protected abstract executeCore(request: CommandRequest): Promise<ResultCursor>;

  /**
   * Runs an `executeScalar` / `executeNonQuery` in one call — no cursor, no reader — and resolves once the session is
   * idle again; see {@link OneShotResult}. Optional: return `undefined` to decline (the default, and what a provider
   * does for anything it does not handle this way), and core runs {@link DbConnection.executeCore} and a reader
   * instead. Cancellation, timeouts and errors follow the same contract as `executeCore`.
   */
  protected executeOnceCore(request: CommandRequest, kind: OneShotKind): Promise<OneShotResult> | undefined {
    void request;
    void kind;
    return undefined;
  }

  /**
   * {@link DbConnection.executeOnceCore} without its promise: starts the execution and returns true, then delivers the
   * outcome to `sink` once the session is idle again — or returns false to decline, having started nothing (the
   * default). Core prefers this form when a provider overrides it; the contract is otherwise the same.
   */
  protected startOnceCore(request: CommandRequest, kind: OneShotKind, sink: OneShotSink): boolean {
    void request;
    void kind;
    void sink;
    return false;
  }

  /** Begins, commits, rolls back, or manages a savepoint of the session's transaction. */
  protected abstract transactionCore(request: TransactionRequest, signal: AbortSignal): Promise<void>;

  /**
   * An open that needs no I/O and cannot fail, wait or be cancelled (a multiplexed connection once its data source is
   * connected): return the session's info to open synchronously — core then skips the signal, the `Connect Timeout`
   * deadline and the promises of {@link DbConnection.openCore} — or `undefined` (the default) to open with `openCore`.
   * Only asked when {@link DbConnection.sessionPool} returned no pool and no one traces opens. Such an open is closed
   * by {@link DbConnection.closeAtOnce} when nothing runs on the connection, else by `closeCore`.
   */
  protected openAtOnce(builder: DbConnectionStringBuilder): SessionInfo | undefined {
    void builder;
    return undefined;
  }

  /**
   * Closes synchronously what {@link DbConnection.openAtOnce} opened, when nothing runs on the connection (no command,
   * reader or transaction): return true when done, or false (the default) for core to call `closeCore` as usual —
   * for example when the server still has to be told something.
   */
  protected closeAtOnce(broken: boolean): boolean {
    void broken;
    return false;
  }

  /**
   * Opts this connection into core's pool: returns the pool that serves an open with this connection string (from
   * the provider's `SessionPoolRegistry`), or undefined to open with {@link DbConnection.openCore} and close with
   * {@link DbConnection.closeCore} (the default: `Pooling=false`, or a provider whose driver pools by itself).
   * Called on every open: keep it cheap (the registry's lookup is one Map read).
   */
  protected sessionPool(builder: DbConnectionStringBuilder): SessionPool | undefined {
    void builder;
    return undefined;
  }

  /**
   * A pooled session becomes this connection's (synchronously, before `open()` resolves): point the session's
   * events (loss, notices) at this connection. Only called for providers that return a pool from
   * {@link DbConnection.sessionPool}.
   */
  protected attachSession(session: PooledSession): void {
    void session;
  }

  /** The pooled session leaves this connection (synchronously, before the pool resets it): stop routing its events. */
  protected detachSession(session: PooledSession): void {
    void session;
  }

  /** Switches the session's current database and resolves its new name. Defaults to NotSupportedError. */
  protected changeDatabaseCore(database: string, signal: AbortSignal): Promise<string> {
    void database;
    void signal;
    return Promise.reject(
      new NotSupportedError(`${this.providerFactory.invariantName} cannot change the database of an open connection.`),
    );
  }

  /** Creates the transaction object `beginTransaction` returns; override to return the provider's subclass. */
  protected createDbTransaction(isolationLevel: IsolationLevel): DbTransaction {
    return new DbTransaction(this, isolationLevel);
  }

  /** Providers call this to raise `infoMessage` for a server notice, warning or PRINT. */
  protected onInfoMessage(message: InfoMessage): void {
    this.emit('infoMessage', message);
  }

  /**
   * Providers call this when the physical session died outside a command (socket closed, server terminated it):
   * the connection becomes `Broken`, running commands are aborted, and `close()` destroys the session.
   */
  protected onSessionLost(error?: unknown): void {
    this.#internals().markBroken(error);
  }

  /**
   * The connection string. Setting it validates every keyword at once (unknown keyword → ConnectionStringError).
   * After a successful open the password is no longer returned unless `Persist Security Info=true`.
   */
  get connectionString(): string {
    if (this.#hideSecrets && this.#plan) return this.#plan.withoutSecrets;
    return this.#connectionString;
  }
  set connectionString(value: string | null | undefined) {
    if (this.#state !== ConnectionState.Closed) {
      throw new InvalidOperationError(Messages.openConnectionPropertySet('ConnectionString', this.#state));
    }
    const text = value ?? '';
    this.#parsedPlan = text === '' ? undefined : connectionPlanOf(this.providerFactory, text);
    this.#parsePending = false;
    this.#connectionString = text;
    this.#hideSecrets = false;
  }

  /**
   * Which server of a multi-host data source this connection uses (`primary`, `standby`, `prefer-standby`, …),
   * overriding the connection string's `Target Session Attributes` for this connection only: one connection string
   * serves writes on the primary and reads on the standbys. Undefined (the default) leaves the keyword in charge.
   * Npgsql's `NpgsqlDataSource.CreateConnection(TargetSessionAttributes)`. Set it while the connection is closed;
   * a provider without multi-host support rejects the open when it is set to anything but `any`.
   */
  get targetSessionAttributes(): TargetSessionAttributes | undefined {
    return this.#targetSessionAttributes;
  }
  set targetSessionAttributes(value: TargetSessionAttributes | undefined) {
    if (this.#state !== ConnectionState.Closed) {
      throw new InvalidOperationError(Messages.openConnectionPropertySet('TargetSessionAttributes', this.#state));
    }
    if (value !== undefined && !TARGET_SESSION_ATTRIBUTE_VALUES.includes(value)) {
      throw new ArgumentError(
        `The TargetSessionAttributes value '${String(value)}' is invalid; expected one of ${TARGET_SESSION_ATTRIBUTE_VALUES.join(', ')}.`,
        'targetSessionAttributes',
      );
    }
    if (value !== undefined && value !== 'any' && !this.providerFactory.supportsTargetSessionAttributes) {
      throw new NotSupportedError(
        `The ${this.providerFactory.invariantName} provider does not route by TargetSessionAttributes ('${value}').`,
      );
    }
    this.#targetSessionAttributes = value;
  }

  /** Closed, Connecting, Open or Broken. */
  get state(): ConnectionState {
    return this.#state;
  }

  /** The current database; '' when closed. */
  get database(): string {
    return this.#state === ConnectionState.Open || this.#state === ConnectionState.Broken ? this.#database : '';
  }

  /** The server this connection talks to; '' when closed. */
  get dataSource(): string {
    return this.#session?.dataSource ?? '';
  }

  /** The server's version string. Throws InvalidOperationError when the connection is not open. */
  get serverVersion(): string {
    if (!this.#session || this.#state === ConnectionState.Closed) {
      throw new InvalidOperationError(Messages.openConnectionRequired('serverVersion', this.#state));
    }
    return this.#session.serverVersion;
  }

  /** The server's id for this session (backend pid, thread id, SPID), when open. */
  get sessionId(): string | number | undefined {
    return this.#session?.sessionId;
  }

  /** True when `Asynchronous Processing=true` (or `async=true`): the Begin/End methods are allowed. */
  get asynchronousProcessing(): boolean {
    return this.#plan?.asynchronousProcessing ?? false;
  }

  /** Creates a command bound to this connection. Mirrors `DbConnection.CreateCommand`. */
  createCommand(commandText?: string): DbCommand {
    const command = this.providerFactory.createCommand(commandText);
    command.connection = this;
    return command;
  }

  /** True: every connection can run a {@link DbBatch}. Mirrors `DbConnection.CanCreateBatch`. */
  get canCreateBatch(): boolean {
    return this.providerFactory.canCreateBatch;
  }

  /**
   * Creates a batch bound to this connection: several commands, each with its own parameters, sent together.
   * Mirrors `DbConnection.CreateBatch`.
   */
  createBatch(): DbBatch {
    const batch = this.providerFactory.createBatch();
    batch.connection = this;
    return batch;
  }

  /** Opens the connection. Mirrors `DbConnection.OpenAsync`; `signal` cancels the attempt. */
  open(options: OperationOptions = {}): Promise<void> {
    // Not `async`: the hot path settles at once, and a wrapping promise per open was measurable.
    try {
      throwIfAborted(options.signal);
      if (this.#closing !== undefined) return this.#openAfterClosing(options.signal);
      return this.#openNow(options.signal);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** `open()` while a `close()` is still running: waits for it first. */
  async #openAfterClosing(signal: AbortSignal | undefined): Promise<void> {
    await this.#closing;
    return this.#openNow(signal);
  }

  /** The open itself; its checks throw synchronously. */
  #openNow(signal: AbortSignal | undefined): Promise<void> {
    this.#validateOpen();
    const pool = this.sessionPool(this.#builder!);
    if (pool !== undefined && !connectionOpenChannel.hasSubscribers) {
      // The hot path: an idle, live session is taken synchronously — no signal, timer, listener or extra promise.
      const session = pool.tryTake();
      if (session !== undefined) {
        this.#broken = false;
        this.#setState(ConnectionState.Connecting);
        this.#attachPooled(pool, session);
        return RESOLVED;
      }
    }
    if (pool === undefined && !connectionOpenChannel.hasSubscribers) {
      // A provider's open that needs no I/O (a multiplexed connection): no signal, deadline, listener or promise.
      const info = this.openAtOnce(this.#builder!);
      if (info !== undefined) {
        this.#broken = false;
        this.#setState(ConnectionState.Connecting);
        this.#openedAtOnce = true;
        this.#session = info;
        this.#database = info.database;
        this.#hideSecrets = !this.#plan!.persistSecurityInfo;
        this.#setState(ConnectionState.Open);
        return RESOLVED;
      }
    }
    return this.#open(signal, pool);
  }

  /**
   * Starts opening the connection and returns at once. Requires `Asynchronous Processing=true`.
   * An extension in the ADO.NET 2.0 style (as Devart's `BeginOpen`).
   */
  beginOpen(callback?: AsyncCallback | null, state?: unknown): IAsyncResult & DbAsyncResult<void> {
    const checkedCallback = callbackArgument(callback, 'beginOpen');
    this.#validateOpen();
    if (!this.asynchronousProcessing) throw new InvalidOperationError(Messages.asyncConnectionRequired());
    const result = createAsyncResult<void>({
      owner: this,
      endMethod: 'endOpen',
      state,
      callback: checkedCallback,
      operation: this.#beginOpenOperation(),
      abort: () => this.#abortOpen?.abort({ kind: 'cancel' }),
    });
    this.#pendingOpen = result;
    // Counted by close() like every Begin whose End was never called.
    (this.#asyncResults ??= new Set()).add(result);
    return result;
  }

  /** Completes {@link DbConnection.beginOpen}: resolves when open, rejects with the open's error. */
  endOpen(result: IAsyncResult): Promise<void> {
    const outcome = endAsyncOperation<void>(this, result, 'endOpen');
    if (isEndedResultOf(result, this)) {
      if (this.#pendingOpen === result) this.#pendingOpen = undefined;
      this.#asyncResults?.delete(result);
    }
    return outcome;
  }

  /** No execution, reader, transaction or un-ended Begin holds the connection: a close needs no wait. */
  #nothingRuns(): boolean {
    return (
      this.#scopes.size === 0 &&
      this.#busy === null &&
      this.#transaction === null &&
      (this.#asyncResults === undefined || this.#asyncResults.size === 0)
    );
  }

  /**
   * Closes the connection: cancels what runs on it, closes an open reader, and returns the session to the pool.
   * Idempotent. Completed Begin operations whose End was never called produce an `ASYNCDB_END_NOT_CALLED` warning.
   */
  close(): Promise<void> {
    if (this.#closing) return this.#closing;
    const state = this.#state;
    if (state === ConnectionState.Closed) return RESOLVED;
    const idle = this.#nothingRuns();
    if (idle && this.#pooledSession !== undefined) {
      // Nothing runs on the connection: the session goes back to the pool before close() returns.
      return this.#releasePooled(this.#broken) ?? RESOLVED;
    }
    if (idle && this.#openedAtOnce && this.closeAtOnce(this.#broken)) {
      this.#openedAtOnce = false;
      this.#closeCount += 1;
      this.#session = undefined;
      this.#database = '';
      this.#setState(ConnectionState.Closed);
      return RESOLVED;
    }
    const closing = this.#close();
    this.#closing = closing;
    // The state leaves Open at once, so that anything started after an un-awaited close() is refused synchronously.
    if (state !== ConnectionState.Connecting) this.#setState(ConnectionState.Closed);
    void closing.finally(() => {
      if (this.#closing === closing) this.#closing = undefined;
    });
    return closing;
  }

  /** Closes the connection (`await using`). */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** Changes the current database. Mirrors `DbConnection.ChangeDatabaseAsync`. */
  async changeDatabase(database: string, options: OperationOptions = {}): Promise<void> {
    throwIfAborted(options.signal);
    if (typeof database !== 'string' || database.trim() === '') {
      throw new ArgumentError('The database name must be a non-empty string.', 'database');
    }
    this.#requireOpen('changeDatabase');
    const internals = this.#internals();
    const owner = {};
    internals.acquire('changeDatabase', owner);
    const scope = new ExecutionScope({ timeoutMs: 0, signal: options.signal, providerName: internals.providerName });
    try {
      this.#database = await scope.wait(this.changeDatabaseCore(database, scope.signal));
    } finally {
      scope.dispose();
      internals.release(owner);
    }
  }

  /**
   * Starts a transaction. Mirrors `DbConnection.BeginTransactionAsync`. Commands on this connection must then set
   * `command.transaction` (or be created with `transaction.createCommand()`), as in ADO.NET.
   */
  async beginTransaction(
    isolationLevel: IsolationLevel = IsolationLevel.Unspecified,
    options: OperationOptions = {},
  ): Promise<DbTransaction> {
    throwIfAborted(options.signal);
    this.#requireOpen('beginTransaction');
    if (!Object.values(IsolationLevel).includes(isolationLevel)) {
      throw new ArgumentError(`The IsolationLevel value '${String(isolationLevel)}' is invalid.`, 'isolationLevel');
    }
    const capabilities = this.providerFactory.capabilities;
    if (isolationLevel !== IsolationLevel.Unspecified && !capabilities.isolationLevels.includes(isolationLevel)) {
      throw new NotSupportedError(
        `The ${this.providerFactory.invariantName} provider does not support isolation level ${isolationLevel}; it supports ${capabilities.isolationLevels.join(', ')}.`,
      );
    }
    if (this.#transaction) throw new InvalidOperationError(Messages.parallelTransactions(this.constructor.name));
    await this.#internals().transact({ kind: 'begin', isolationLevel }, options);
    const transaction = this.createDbTransaction(isolationLevel);
    this.#transaction = transaction;
    return transaction;
  }

  #validateOpen(): void {
    if (this.#connectionString === '' || !this.#builder) throw new InvalidOperationError(Messages.noConnectionString());
    if (this.#closing) throw new InvalidOperationError(Messages.connectionAlreadyOpen('Closing'));
    if (this.#state !== ConnectionState.Closed)
      throw new InvalidOperationError(Messages.connectionAlreadyOpen(this.#state));
  }

  #requireOpen(method: string): void {
    if (this.#state !== ConnectionState.Open) {
      throw new InvalidOperationError(Messages.openConnectionRequired(method, this.#state));
    }
  }

  /**
   * Someone listens to `stateChange`. EventEmitter's own count of listeners is read first: a connection nobody listens
   * to (the usual one) answers without the by-name lookup in its listener table, three times per pooled cycle.
   */
  #hasStateListeners(): boolean {
    return (this as unknown as { _eventsCount?: number })._eventsCount !== 0 && this.listenerCount('stateChange') > 0;
  }

  #setState(next: ConnectionState): void {
    const original = this.#state;
    if (original === next) return;
    this.#state = next;
    // No event object when no one listens: a pooled open/close changes the state three times.
    if (this.#hasStateListeners()) this.emit('stateChange', { originalState: original, currentState: next });
  }

  /** beginOpen's operation: a pooled or provider open, errors (even from `sessionPool`) as its rejection. */
  #beginOpenOperation(): Promise<void> {
    let pool: SessionPool | undefined;
    try {
      pool = this.sessionPool(this.#builder!);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#open(undefined, pool);
  }

  #open(callerSignal: AbortSignal | undefined, pool: SessionPool | undefined): Promise<void> {
    if (pool !== undefined && !connectionOpenChannel.hasSubscribers) return this.#openWaiting(pool, callerSignal);
    const operation = pool === undefined ? this.#doOpen(callerSignal) : this.#openFromPool(pool, callerSignal);
    const opening = operation.finally(() => {
      this.#opening = undefined;
    });
    this.#opening = opening.catch(() => {});
    return opening;
  }

  async #doOpen(callerSignal: AbortSignal | undefined): Promise<void> {
    const plan = this.#plan!;
    const builder = plan.builder;
    const connectTimeoutSeconds = plan.connectTimeoutSeconds;
    const connectTimeoutMs = connectTimeoutSeconds * 1000;
    const controller = new AbortController();
    this.#abortOpen = controller;
    this.#broken = false;
    this.#setState(ConnectionState.Connecting);
    const deadlineAt = connectTimeoutMs > 0 ? Date.now() + connectTimeoutMs : Infinity;
    const timer =
      connectTimeoutMs > 0
        ? // On core's shared deadline wheel: no timer of its own per open (docs/cancellation-and-timeouts.md).
          new CallbackDeadline(() => controller.abort({ kind: 'timeout' } satisfies CoreAbortReason), connectTimeoutMs)
        : undefined;
    const onCallerAbort = (): void =>
      controller.abort({ kind: 'cancel', callerReason: callerSignal?.reason } satisfies CoreAbortReason);
    callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
    const context: OpenContext = {
      builder,
      signal: controller.signal,
      connectTimeoutMs,
      targetSessionAttributes: this.#targetSessionAttributes,
    };
    // Tracing allocates nothing (no context, no closures) unless someone subscribes.
    const opening = connectionOpenChannel.hasSubscribers
      ? traced(
          connectionOpenChannel,
          () => this.#traceContext('open'),
          () => this.openCore(context),
        )
      : this.openCore(context);
    try {
      const session = await raceAbort(opening, controller.signal, () => {
        // The provider ignored the abort; release whatever it eventually opens.
        opening.then(() => this.closeCore({ broken: true })).catch(() => {});
      });
      if (controller.signal.aborted) {
        await this.closeCore({ broken: false }).catch(() => {});
        throw mapOpenError(undefined, controller.signal, connectTimeoutSeconds, this.providerFactory.invariantName);
      }
      this.#session = session;
      this.#database = session.database;
      this.#hideSecrets = !plan.persistSecurityInfo;
      this.#setState(ConnectionState.Open);
    } catch (error) {
      this.#session = undefined;
      this.#setState(ConnectionState.Closed);
      // Core's deadline may come up to DEADLINE_PRECISION_MS after it is due: a driver given the same Connect Timeout
      // (mysql2, tedious) can fail first with its own timeout error, which is still the connect timeout.
      const overdue = !controller.signal.aborted && Date.now() >= deadlineAt;
      throw overdue
        ? mapOpenError(
            error,
            AbortSignal.abort({ kind: 'timeout' } satisfies CoreAbortReason),
            connectTimeoutSeconds,
            this.providerFactory.invariantName,
          )
        : mapOpenError(error, controller.signal, connectTimeoutSeconds, this.providerFactory.invariantName);
    } finally {
      timer?.clear();
      callerSignal?.removeEventListener('abort', onCallerAbort);
      this.#abortOpen = undefined;
    }
  }

  /**
   * An untraced open that waits for core's pool: {@link DbConnection.#openFromPool} without its async frame, `finally`
   * and `catch`. The waiter is a {@link PooledOpen}: when the pool grants it a session (from inside another
   * connection's `close()`), the session is attached there and then and the open's one promise resolved — no promise
   * chained on a session promise, no closures for it (100 callers on a pool of 10 wait on nearly every open). When the
   * connection has `stateChange` listeners, the attach (which raises the event) waits one microtask instead: user code
   * never runs inside someone else's `close()`. `#opening` is this promise itself (close() swallows its rejection).
   */
  #openWaiting(pool: SessionPool, callerSignal: AbortSignal | undefined): Promise<void> {
    this.#broken = false;
    this.#setState(ConnectionState.Connecting);
    const opening = new Promise<void>((resolve, reject) => {
      const waiter = new PooledOpen(pool, callerSignal, this, resolve, reject);
      this.#abortOpen = waiter;
      const idle = pool.tryTake();
      // An idle session here (a `beginOpen`) is still granted asynchronously: Begin returns with the connection
      // Connecting, as ADO.NET's does.
      if (idle !== undefined) queueMicrotask(() => waiter.grant(idle));
      else pool.wait(waiter);
    });
    // A failed connect can settle it from inside wait(): then nothing is opening any more.
    if (this.#abortOpen !== undefined) this.#opening = opening;
    return opening;
  }

  /** The pool granted a waiting open its session (see {@link DbConnection.#openWaiting}). */
  #grantedOpen(pool: SessionPool, session: PooledSession, open: PooledOpen): void {
    if (this.#hasStateListeners()) {
      // Still opening until then: a close() in between waits for this open (#opening) and closes what it attached.
      queueMicrotask(() => this.#attachGranted(pool, session, open));
      return;
    }
    this.#attachGranted(pool, session, open);
  }

  /** A waiting open failed (see {@link DbConnection.#openWaiting}). */
  #failedOpen(error: unknown, open: PooledOpen): void {
    this.#opening = undefined;
    this.#abortOpen = undefined;
    try {
      this.#openFailed(error);
    } catch (failure) {
      open.rejectOpen(failure);
    }
  }

  #attachGranted(pool: SessionPool, session: PooledSession, open: PooledOpen): void {
    this.#opening = undefined;
    this.#abortOpen = undefined;
    try {
      this.#attachPooled(pool, session);
    } catch (error) {
      try {
        this.#openFailed(error);
      } catch (failure) {
        open.rejectOpen(failure);
        return;
      }
    }
    open.resolveOpen();
  }

  /** A pooled open failed: the connection is Closed, and the error a DbError (a session factory's own error wrapped). */
  #openFailed(error: unknown): never {
    this.#setState(ConnectionState.Closed);
    if (error instanceof AsyncDbError) throw error;
    throw new DbError(error instanceof Error ? error.message : String(error), {
      cause: error,
      category: DbErrorCategory.ConnectionFailure,
      providerName: this.providerFactory.invariantName,
    });
  }

  /**
   * A pooled open while someone subscribes to the open channel (the untraced one is {@link DbConnection.#openWaiting}):
   * the traced, pooled counterpart of {@link DbConnection.#doOpen}.
   */
  async #openFromPool(pool: SessionPool, callerSignal: AbortSignal | undefined): Promise<void> {
    this.#broken = false;
    this.#setState(ConnectionState.Connecting);
    try {
      const session = await traced(
        connectionOpenChannel,
        () => this.#traceContext('open'),
        () => this.#takeOrWait(pool, callerSignal),
      );
      this.#abortOpen = undefined;
      this.#attachPooled(pool, session);
    } catch (error) {
      this.#abortOpen = undefined;
      // A provider's session factory should reject with a DbError; anything else is still reported as one.
      this.#openFailed(error);
    }
  }

  /**
   * A session from the pool: an idle one at once, else a {@link PoolWaiter} the pool grants (or fails) from inside.
   * The waiter's deadline is `Connect Timeout`, watched by the pool's one timer; a caller's abort or a close during
   * the open withdraws it.
   */
  #takeOrWait(pool: SessionPool, callerSignal: AbortSignal | undefined): Promise<PooledSession> {
    const idle = pool.tryTake();
    if (idle !== undefined) return Promise.resolve(idle);
    return new Promise<PooledSession>((resolve, reject) => {
      const waiter = new OpenWaiter(pool, callerSignal, resolve, reject);
      this.#abortOpen = waiter;
      pool.wait(waiter);
    });
  }

  /** Makes a pooled session this connection's and the connection Open. */
  #attachPooled(pool: SessionPool, session: PooledSession): void {
    try {
      this.attachSession(session);
    } catch (error) {
      void pool.release(session, true);
      this.#setState(ConnectionState.Closed);
      throw error;
    }
    this.#pool = pool;
    this.#pooledSession = session;
    this.#session = session.info;
    this.#database = session.info.database;
    this.#hideSecrets = !this.#plan!.persistSecurityInfo;
    this.#setState(ConnectionState.Open);
  }

  /**
   * Gives the pooled session back and closes the connection, synchronously; returns the promise of the session's
   * reset when the provider's reset has to talk to the server (a transaction to roll back), else undefined.
   */
  #releasePooled(broken: boolean): Promise<void> | undefined {
    const pool = this.#pool!;
    const session = this.#pooledSession!;
    this.#pool = undefined;
    this.#pooledSession = undefined;
    this.#closeCount += 1;
    this.#busy = null;
    this.detachSession(session);
    this.#session = undefined;
    this.#database = '';
    this.#setState(ConnectionState.Closed);
    return pool.release(session, broken);
  }

  async #close(): Promise<void> {
    // Taken before anything is aborted: an operation this close cancels was not completed, so it is not forgotten.
    const forgotten =
      this.#asyncResults === undefined || this.#asyncResults.size === 0
        ? NOTHING_FORGOTTEN
        : [...this.#asyncResults].filter((result) => result.isCompleted && !wasEnded(result));
    if (this.#state === ConnectionState.Connecting) {
      this.#abortOpen?.abort({ kind: 'close' });
      // The open's own promise when it waited for the pool (#openWaiting): its rejection is the opener's to see.
      await this.#opening?.then(undefined, ignoreError);
      if (this.#pooledSession === undefined && this.#session === undefined) {
        this.#setState(ConnectionState.Closed);
        return;
      }
      // The open won the race: close what it opened, and leave Open now.
      this.#setState(ConnectionState.Closed);
    }
    const running = this.#scopes.size > 0;
    if (running) {
      for (const scope of this.#scopes.toArray()) scope.abort('close');
      // The provider must be done cancelling before its session is reset and pooled.
      await Promise.all(this.#scopes.toArray().map((scope) => scope.whenIdle()));
    }
    const busy = this.#busy;
    if (busy?.closer) await busy.closer().catch(() => {});
    const transaction = this.#transaction;
    if (transaction) this.#internals().completeTransaction(transaction);
    this.#warnEndNotCalled(forgotten);
    const broken = this.#broken || (running && this.#scopes.toArray().some((scope) => scope.broken));
    this.#scopes.clear();
    this.#busy = null;
    if (this.#pooledSession !== undefined) {
      await this.#releasePooled(broken);
      return;
    }
    this.#closeCount += 1;
    this.#openedAtOnce = false;
    try {
      await this.closeCore({ broken });
    } finally {
      this.#session = undefined;
      this.#database = '';
      this.#setState(ConnectionState.Closed);
    }
  }

  #warnEndNotCalled(forgotten: readonly TrackedAsyncResult[]): void {
    this.#asyncResults?.clear();
    if (forgotten.length === 0) return;
    const methods = [...new Set(forgotten.map((result) => endMethodOf(result)))].join(', ');
    process.emitWarning(
      `${forgotten.length} asynchronous operation(s) completed on this connection but their End method (${methods}) was never called. ` +
        'Call End for every Begin: it releases resources and is the only place the operation’s errors are observed.',
      { type: 'AsyncDbWarning', code: 'ASYNCDB_END_NOT_CALLED' },
    );
  }

  #traceContext(operation: string, queryText?: string): DbTraceContext {
    const factory = this.providerFactory;
    return {
      'db.system': factory.dbSystem,
      'db.namespace': this.#database,
      'server.address': this.#session?.serverAddress ?? this.#session?.dataSource ?? '',
      ...(this.#session?.serverPort === undefined ? {} : { 'server.port': this.#session.serverPort }),
      'db.operation.name': operation,
      'asyncdb.provider': factory.invariantName,
      ...(queryText === undefined ? {} : { 'db.query.text': queryText }),
    };
  }

  #internals(): ConnectionInternals {
    return (this.#internalsView ??= new DbConnection.#InternalsView(this));
  }

  /**
   * The internals view as a class: one small object per connection whose members live on the prototype. (It used to be
   * an object literal of getters and closures, which allocated some twenty-five functions for every connection: a
   * visible share of a pooled open.) Declared inside `DbConnection` so it can reach the private fields.
   */
  static readonly #InternalsView = class InternalsView implements ConnectionInternals {
    readonly connection: DbConnection;
    /** Whether the provider overrides `startOnceCore`: fixed for a connection, so looked up once. */
    readonly startsOnce: boolean;

    constructor(connection: DbConnection) {
      this.connection = connection;
      this.startsOnce = connection.startOnceCore !== DbConnection.prototype.startOnceCore;
    }

    get closeCount(): number {
      return this.connection.#closeCount;
    }
    get rawConnectionString(): string {
      return this.connection.#connectionString;
    }
    get isAsync(): boolean {
      return this.connection.asynchronousProcessing;
    }
    get capabilities(): ProviderCapabilities {
      return this.connection.providerFactory.capabilities;
    }
    get providerName(): string {
      return this.connection.providerFactory.invariantName;
    }
    get transaction(): DbTransaction | null {
      return this.connection.#transaction;
    }
    get defaultCommandTimeout(): number {
      return this.connection.#plan?.commandTimeoutSeconds ?? 30;
    }
    get busyKind(): BusyKind | null {
      return this.connection.#busy?.kind ?? null;
    }
    assertIdle(): void {
      const busy = this.connection.#busy;
      if (busy) {
        throw new InvalidOperationError(
          busy.kind === 'reader' ? Messages.openReaderExists() : Messages.marsUnsupported(),
        );
      }
    }
    acquire(kind: BusyKind, owner: object, closer?: () => Promise<void>): void {
      this.assertIdle();
      this.connection.#busy = new Busy(kind, owner, closer);
    }
    transfer(from: object, kind: BusyKind, to: object, closer: () => Promise<void>): void {
      if (this.connection.#busy?.owner === from) this.connection.#busy = new Busy(kind, to, closer);
    }
    release(owner: object): void {
      if (this.connection.#busy?.owner === owner) this.connection.#busy = null;
    }
    execute(request: CommandRequest): Promise<ResultCursor> {
      return this.connection.executeCore(request);
    }
    executeOnce(request: CommandRequest, kind: OneShotKind): Promise<OneShotResult> | undefined {
      try {
        return this.connection.executeOnceCore(request, kind);
      } catch (error) {
        return Promise.reject(error);
      }
    }
    startOnce(request: CommandRequest, kind: OneShotKind, sink: OneShotSink): boolean {
      try {
        return this.connection.startOnceCore(request, kind, sink);
      } catch (error) {
        sink.fail(error);
        return true;
      }
    }
    track(scope: ExecutionScope): void {
      this.connection.#scopes.add(scope);
    }
    untrack(scope: ExecutionScope): void {
      this.connection.#scopes.delete(scope);
    }
    trackAsyncResult(result: TrackedAsyncResult): void {
      (this.connection.#asyncResults ??= new Set()).add(result);
    }
    untrackAsyncResult(result: TrackedAsyncResult): void {
      this.connection.#asyncResults?.delete(result);
    }
    markBroken(error?: unknown): void {
      const connection = this.connection;
      // While closing the state already reads Closed, but the session must still not be pooled.
      if (connection.#state === ConnectionState.Closed && connection.#closing === undefined) return;
      connection.#broken = true;
      for (const scope of connection.#scopes.toArray()) scope.lose(error);
      if (connection.#state === ConnectionState.Open) connection.#setState(ConnectionState.Broken);
    }
    async transact(request: TransactionRequest, options: OperationOptions): Promise<void> {
      const connection = this.connection;
      throwIfAborted(options.signal);
      if (connection.#state !== ConnectionState.Open) {
        throw new InvalidOperationError(Messages.openConnectionRequired(request.kind, connection.#state));
      }
      const owner = {};
      this.acquire('transaction', owner);
      const scope = new ExecutionScope({ timeoutMs: 0, signal: options.signal, providerName: this.providerName });
      this.track(scope);
      try {
        await scope.wait(
          transactionChannel.hasSubscribers
            ? traced(
                transactionChannel,
                () => connection.#traceContext(request.kind),
                () => connection.transactionCore(request, scope.signal),
              )
            : connection.transactionCore(request, scope.signal),
        );
      } finally {
        this.untrack(scope);
        scope.dispose();
        this.release(owner);
        if (scope.broken) this.markBroken();
      }
    }
    completeTransaction(transaction: DbTransaction): void {
      if (this.connection.#transaction === transaction) this.connection.#transaction = null;
    }
    traceContext(operation: string, queryText?: string): DbTraceContext {
      return this.connection.#traceContext(operation, queryText);
    }
    close(): Promise<void> {
      return this.connection.close();
    }
  };
}

const RESOLVED: Promise<void> = Promise.resolve();
const NOTHING_FORGOTTEN: readonly TrackedAsyncResult[] = Object.freeze([]);
/** close() during an open waits for it without taking on its rejection. */
const ignoreError = (): void => {};

/** Waits for `promise`, but gives up {@link CANCEL_GRACE_MS} after `signal` aborts. */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal, onAbandon: () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let grace: NodeJS.Timeout | undefined;
    const onAbort = (): void => {
      grace = setTimeout(() => {
        onAbandon();
        reject(new Error('The provider did not stop opening after the open was aborted.'));
      }, CANCEL_GRACE_MS);
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        if (grace) clearTimeout(grace);
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        if (grace) clearTimeout(grace);
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

function mapOpenError(error: unknown, signal: AbortSignal, timeoutSeconds: number, providerName: string): Error {
  if (error instanceof DbTimeoutError || error instanceof OperationCanceledError) return error;
  if (signal.aborted) {
    const reason = signal.reason as CoreAbortReason;
    if (reason.kind === 'timeout') {
      return new DbTimeoutError(Messages.connectTimeout(timeoutSeconds), 'connect', { cause: error, providerName });
    }
    const message =
      reason.kind === 'close' ? 'The connection was closed while it was opening.' : Messages.operationCancelled();
    return new OperationCanceledError(message, { cause: error, reason: reason.callerReason });
  }
  if (error instanceof AsyncDbError) return error;
  return new DbError(error instanceof Error ? error.message : String(error), {
    cause: error,
    category: DbErrorCategory.ConnectionFailure,
    providerName,
  });
}
