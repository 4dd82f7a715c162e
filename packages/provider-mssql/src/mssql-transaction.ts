import { DbTransaction } from '@asyncdb/core';

/**
 * A SQL Server local transaction. Mirrors `SqlTransaction`: begun, committed and rolled back with TDS
 * TRANSACTION_MANAGER requests (the isolation level travels with the begin request); `save(name)` is
 * `SAVE TRANSACTION name` and `rollback(name)` rolls back to it. `release(name)` does nothing, since SQL Server has
 * no RELEASE SAVEPOINT: a savepoint lives until the transaction ends.
 *
 * ```ts
 * await using transaction = await connection.beginTransaction(IsolationLevel.Snapshot);
 * await transaction.createCommand('UPDATE account SET balance -= 10 WHERE id = @id').executeNonQuery();
 * await transaction.commit();
 * ```
 */
export class MssqlTransaction extends DbTransaction {}
