import { DbDataReader } from '@asyncdb/core';

/**
 * Reads the results of a SQL Server command. Mirrors `SqlDataReader`: rows stream from the server (tedious is paused
 * when the reader falls behind), one result set per statement of the batch (`nextResult()`), DONE counts of
 * INSERT/UPDATE/DELETE in `recordsAffected`, and output parameters available once it is closed. Closing it with rows
 * left cancels the rest of the batch with TDS ATTENTION (unless the command has output parameters or a return value,
 * which arrive last: then the rest is read and discarded).
 */
export class MssqlDataReader extends DbDataReader {}
