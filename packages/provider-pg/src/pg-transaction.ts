import { DbTransaction } from '@asyncdb/core';

/**
 * A PostgreSQL transaction (`BEGIN ISOLATION LEVEL …`), with savepoints (`SAVEPOINT`, `ROLLBACK TO SAVEPOINT`,
 * `RELEASE SAVEPOINT`) and `await using`. Mirrors `NpgsqlTransaction`; all behaviour is core's {@link DbTransaction}.
 */
export class PgTransaction extends DbTransaction {}
