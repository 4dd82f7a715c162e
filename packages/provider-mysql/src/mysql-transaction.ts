import { DbTransaction } from '@asyncdb/core';

/**
 * A MySQL/MariaDB transaction: `START TRANSACTION` (after `SET TRANSACTION ISOLATION LEVEL …` when a level is
 * given), `COMMIT`, `ROLLBACK`, and `SAVEPOINT` / `ROLLBACK TO SAVEPOINT` / `RELEASE SAVEPOINT`. `await using`
 * rolls it back if it is still pending. All behaviour is core's {@link DbTransaction}.
 */
export class MysqlTransaction extends DbTransaction {}
