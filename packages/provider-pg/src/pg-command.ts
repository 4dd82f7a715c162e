import { DbCommand, DbParameter, type ReaderSource } from '@asyncdb/core';
import { PgDataReader } from './pg-data-reader.js';

/**
 * A command on PostgreSQL. Mirrors `NpgsqlCommand`. Write parameters as `@name` (core translates them to `$n`);
 * a batch of several statements separated by `;` runs in order, with or without parameters, one result each.
 *
 * ```ts
 * const command = connection.createCommand('SELECT name FROM customer WHERE id = @id');
 * command.parameters.addWithValue('@id', 42);
 * ```
 */
export class PgCommand extends DbCommand {
  /** Creates a parameter (not added to `parameters`). */
  override createParameter(): DbParameter {
    return new DbParameter();
  }

  protected override createDataReader(source: ReaderSource): PgDataReader {
    return new PgDataReader(source);
  }
}
