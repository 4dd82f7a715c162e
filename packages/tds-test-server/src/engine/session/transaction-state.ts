import type { EngineEvent, TdsIsolationLevel } from '../engine-types.js';
import type { PgRunner } from '../pg/pg-runner.js';
import { quoteIdent } from '../translate/sql-text.js';
import { TsqlError } from '../tsql/tsql-error.js';

const NO_TRANSACTION = Buffer.alloc(8);

const PG_ISOLATION: Record<TdsIsolationLevel, string> = {
  'read uncommitted': 'READ UNCOMMITTED',
  'read committed': 'READ COMMITTED',
  'repeatable read': 'REPEATABLE READ',
  serializable: 'SERIALIZABLE',
  // PostgreSQL's REPEATABLE READ is snapshot isolation.
  snapshot: 'REPEATABLE READ',
};

/**
 * SQL Server's transaction model on one PostgreSQL transaction: @@TRANCOUNT nesting (only the outermost
 * BEGIN/COMMIT reach PostgreSQL), named savepoints, rollback of everything or to a savepoint, and the
 * 8-byte transaction descriptor the client echoes in every request (non-zero while a transaction is open).
 */
export class TransactionState {
  /** @@TRANCOUNT. */
  count = 0;
  #descriptor: Buffer = NO_TRANSACTION;
  #name: string | undefined;
  readonly #savepoints = new Set<string>();

  constructor(
    private readonly runner: () => PgRunner,
    private readonly newDescriptor: () => Buffer,
  ) {}

  /** The current transaction descriptor (zeros outside a transaction). */
  get descriptor(): Buffer {
    return this.#descriptor;
  }

  /** BEGIN TRAN: opens the PostgreSQL transaction at level 0, otherwise only nests. */
  async begin(isolation: TdsIsolationLevel, name?: string): Promise<EngineEvent[]> {
    if (this.count > 0) {
      this.count++;
      return [];
    }
    const runner = this.runner();
    await runner.command(`BEGIN ISOLATION LEVEL ${PG_ISOLATION[isolation]}`);
    runner.inTransaction = true;
    this.count = 1;
    this.#name = name?.toLowerCase();
    this.#savepoints.clear();
    this.#descriptor = this.newDescriptor();
    return [{ kind: 'transaction', change: 'begin', descriptor: this.#descriptor }];
  }

  /** COMMIT TRAN: decrements @@TRANCOUNT; commits when it reaches 0. `all` commits whatever the nesting. */
  async commit(all = false): Promise<EngineEvent[]> {
    if (this.count === 0) {
      throw new TsqlError(3902, 'The COMMIT TRANSACTION request has no corresponding BEGIN TRANSACTION.', 1);
    }
    if (this.count > 1 && !all) {
      this.count--;
      return [];
    }
    await this.runner().command('COMMIT');
    return this.#ended('commit');
  }

  /**
   * ROLLBACK TRAN [name]: to a savepoint of that name (the transaction stays open), otherwise the whole
   * transaction whatever @@TRANCOUNT is.
   */
  async rollback(name?: string): Promise<EngineEvent[]> {
    if (this.count === 0) {
      throw new TsqlError(3903, 'The ROLLBACK TRANSACTION request has no corresponding BEGIN TRANSACTION.', 1);
    }
    const key = name?.toLowerCase();
    if (key !== undefined && this.#savepoints.has(key)) {
      await this.runner().command(`ROLLBACK TO SAVEPOINT ${quoteIdent(key)}`);
      return [];
    }
    if (key !== undefined && key !== this.#name) {
      throw new TsqlError(6401, `Cannot roll back ${name}. No transaction or savepoint of that name was found.`, 1);
    }
    return this.abort();
  }

  /** SAVE TRAN name. */
  async save(name: string): Promise<EngineEvent[]> {
    if (this.count === 0) throw new TsqlError(628, 'Cannot issue SAVE TRANSACTION when there is no active transaction.', 1);
    const key = name.toLowerCase();
    await this.runner().command(`SAVEPOINT ${quoteIdent(key)}`);
    this.#savepoints.add(key);
    return [];
  }

  /** Rolls back whatever is open (deadlock victim, XACT_ABORT, reset); no-op outside a transaction. */
  async abort(): Promise<EngineEvent[]> {
    const runner = this.runner();
    if (this.count === 0 && !runner.pgInTransaction) return [];
    await runner.command('ROLLBACK');
    return this.count === 0 ? [] : this.#ended('rollback');
  }

  /** Forgets the transaction (the PostgreSQL connection it lived on is gone). */
  clear(): void {
    this.count = 0;
    this.#descriptor = NO_TRANSACTION;
    this.#savepoints.clear();
  }

  #ended(change: 'commit' | 'rollback'): EngineEvent[] {
    const descriptor = this.#descriptor;
    this.runner().inTransaction = false;
    this.clear();
    return [{ kind: 'transaction', change, descriptor }];
  }
}
