import { DbCommand, type DbConnection, type ReaderSource } from '@asyncdb/core';
import { MysqlDataReader } from './mysql-data-reader.js';
import { MysqlParameter } from './mysql-parameter.js';

/**
 * A command on a {@link MysqlConnection}. Write parameters as `@name`: core turns them into `?` markers (a
 * repeated name repeats its value) and the values travel as bound parameters; `@names` that are not in
 * `parameters` are MySQL user variables and are left alone. A batch (`stmt1; stmt2`) runs statement by statement,
 * one result each.
 *
 * ```ts
 * const command = connection.createCommand('SELECT name FROM customer WHERE id = @id');
 * command.parameters.addWithValue('@id', 42);
 * ```
 */
export class MysqlCommand extends DbCommand {
  constructor(commandText?: string, connection?: DbConnection | null) {
    super(commandText, connection);
  }

  /** Creates a {@link MysqlParameter} (not added to `parameters`). */
  override createParameter(): MysqlParameter {
    return new MysqlParameter();
  }

  protected override createDataReader(source: ReaderSource): MysqlDataReader {
    return new MysqlDataReader(source);
  }
}
