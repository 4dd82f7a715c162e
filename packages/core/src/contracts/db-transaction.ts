import type { IsolationLevel } from './isolation-level.js';
import type { DbCommand } from './db-command.js';
import { getConnectionInternals, type DbConnection, type OperationOptions } from './db-connection.js';
import { ConnectionState } from './connection-state.js';
import type { TransactionRequest } from '../providers/provider-spi.js';
import { ArgumentError, InvalidOperationError, NotSupportedError } from '../errors/errors.js';
import { Messages } from '../execution/messages.js';
import { throwIfAborted } from '../execution/execution-scope.js';

const SAVEPOINT_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * A local transaction started with {@link DbConnection.beginTransaction}. Mirrors `System.Data.Common.DbTransaction`,
 * with savepoints and `await using` (which rolls back a transaction still pending).
 *
 * ```ts
 * await using transaction = await connection.beginTransaction(IsolationLevel.Serializable);
 * await transaction.createCommand('UPDATE account SET balance = balance - 10').executeNonQuery();
 * await transaction.commit();
 * ```
 */
export class DbTransaction implements AsyncDisposable {
  readonly #isolationLevel: IsolationLevel;
  #connection: DbConnection | null;

  /** @internal Created by `DbConnection.beginTransaction` (or a provider's `createDbTransaction`). */
  constructor(connection: DbConnection, isolationLevel: IsolationLevel) {
    this.#connection = connection;
    this.#isolationLevel = isolationLevel;
  }

  /** The isolation level asked for (`Unspecified` means the server's default). */
  get isolationLevel(): IsolationLevel {
    return this.#isolationLevel;
  }

  /** The connection, or null once the transaction committed, rolled back, or ended with the connection's close. */
  get connection(): DbConnection | null {
    return this.isCompleted ? null : this.#connection;
  }

  /** True once committed, rolled back, or ended by the connection closing. */
  get isCompleted(): boolean {
    return this.#connection === null || getConnectionInternals(this.#connection).transaction !== this;
  }

  /** Creates a command on this transaction's connection, enlisted in it. */
  createCommand(commandText?: string): DbCommand {
    const connection = this.#requirePending();
    const command = connection.createCommand(commandText);
    command.transaction = this;
    return command;
  }

  /** Commits. A second commit or rollback throws InvalidOperationError. */
  commit(options: OperationOptions = {}): Promise<void> {
    return this.#finish({ kind: 'commit' }, options);
  }

  /**
   * Rolls back the whole transaction, or, given a savepoint name, back to that savepoint (the transaction stays pending).
   */
  rollback(savepointName?: string | OperationOptions, options: OperationOptions = {}): Promise<void> {
    if (typeof savepointName === 'string') {
      return this.#savepoint('rollback', savepointName, options);
    }
    return this.#finish({ kind: 'rollback' }, savepointName ?? options);
  }

  /** Creates a savepoint. Mirrors `DbTransaction.SaveAsync`. */
  save(savepointName: string, options: OperationOptions = {}): Promise<void> {
    return this.#savepoint('save', savepointName, options);
  }

  /** Releases a savepoint. Mirrors `DbTransaction.ReleaseAsync`. */
  release(savepointName: string, options: OperationOptions = {}): Promise<void> {
    return this.#savepoint('release', savepointName, options);
  }

  /** Rolls back if still pending (`await using`); does nothing once completed or when the connection is gone. */
  async [Symbol.asyncDispose](): Promise<void> {
    if (this.isCompleted) return;
    const connection = this.#connection!;
    if (connection.state !== ConnectionState.Open) {
      getConnectionInternals(connection).completeTransaction(this);
      this.#connection = null;
      return;
    }
    await this.rollback();
  }

  async #finish(request: TransactionRequest, options: OperationOptions): Promise<void> {
    const connection = this.#requirePending();
    const internals = getConnectionInternals(connection);
    // Checks that fail before anything is sent leave the transaction pending.
    throwIfAborted(options.signal);
    if (connection.state !== ConnectionState.Open) {
      throw new InvalidOperationError(Messages.openConnectionRequired(request.kind, connection.state));
    }
    internals.assertIdle();
    try {
      await internals.transact(request, options);
    } finally {
      // A COMMIT or ROLLBACK that reached the server ends the transaction, even when it failed.
      internals.completeTransaction(this);
      this.#connection = null;
    }
  }

  /** Validates inside the async path, so a bad name rejects the returned Promise like every other failure. */
  async #savepoint(kind: 'save' | 'rollback' | 'release', name: string, options: OperationOptions): Promise<void> {
    const request: TransactionRequest = { kind, savepoint: validateSavepoint(name) };
    const connection = this.#requirePending();
    const internals = getConnectionInternals(connection);
    if (!internals.capabilities.supportsSavepoints) {
      throw new NotSupportedError(`The ${internals.providerName} provider does not support savepoints.`);
    }
    await internals.transact(request, options);
  }

  #requirePending(): DbConnection {
    if (this.isCompleted) throw new InvalidOperationError(Messages.transactionZombied());
    return this.#connection!;
  }
}

function validateSavepoint(name: string): string {
  if (typeof name !== 'string' || !SAVEPOINT_NAME.test(name)) {
    throw new ArgumentError(
      `Invalid savepoint name ${JSON.stringify(name)}: use a letter or '_' followed by letters, digits or '_' (at most 63).`,
      'savepointName',
    );
  }
  return name;
}
