import { IsolationLevel, type TransactionRequest } from '@asyncdb/core';
import { toDbError } from './mssql-error-converter.js';
import { TEDIOUS_ISOLATION_LEVEL, type TediousConnection } from './mssql-tedious.js';

/** IsolationLevel → tedious' TRANSACTION_MANAGER isolation codes (Unspecified: tedious' default, READ COMMITTED). */
const ISOLATION: Readonly<Partial<Record<IsolationLevel, number>>> = {
  ReadUncommitted: TEDIOUS_ISOLATION_LEVEL.READ_UNCOMMITTED,
  ReadCommitted: TEDIOUS_ISOLATION_LEVEL.READ_COMMITTED,
  RepeatableRead: TEDIOUS_ISOLATION_LEVEL.REPEATABLE_READ,
  Serializable: TEDIOUS_ISOLATION_LEVEL.SERIALIZABLE,
  Snapshot: TEDIOUS_ISOLATION_LEVEL.SNAPSHOT,
};

/** The isolation levels SQL Server supports (Snapshot needs ALLOW_SNAPSHOT_ISOLATION ON in the database). */
export const MSSQL_ISOLATION_LEVELS: readonly IsolationLevel[] = [
  IsolationLevel.ReadUncommitted,
  IsolationLevel.ReadCommitted,
  IsolationLevel.RepeatableRead,
  IsolationLevel.Serializable,
  IsolationLevel.Snapshot,
];

/**
 * Runs a transaction request with TDS TRANSACTION_MANAGER requests (what SqlClient sends), through tedious:
 * begin (with the isolation level), commit, rollback (whole, or to a savepoint), save (a savepoint).
 * `release` does nothing: SQL Server has no RELEASE SAVEPOINT (a savepoint lives until the transaction ends).
 * A rollback when the server already ended the transaction (a deadlock victim, XACT_ABORT, a batch-aborting error)
 * succeeds without a round trip, as `SqlTransaction.Rollback` on a zombied transaction would only throw.
 */
export function executeTransactionRequest(connection: TediousConnection, request: TransactionRequest): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const done = (error?: Error | null): void => (error ? reject(toDbError(error)) : resolve());
    switch (request.kind) {
      case 'begin':
        connection.beginTransaction(done, '', ISOLATION[request.isolationLevel]);
        return;
      case 'commit':
        connection.commitTransaction(done);
        return;
      case 'rollback':
        if (request.savepoint !== undefined) connection.rollbackTransaction(done, request.savepoint);
        else if (connection.inTransaction) connection.rollbackTransaction(done);
        else resolve();
        return;
      case 'save':
        connection.saveTransaction(done, request.savepoint);
        return;
      case 'release':
        resolve();
        return;
    }
  });
}
