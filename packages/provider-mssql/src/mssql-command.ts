import { DbCommand, type DbDataReader, type ReaderSource } from '@asyncdb/core';
import { MssqlDataReader } from './mssql-data-reader.js';

/**
 * A T-SQL batch or stored procedure call. Mirrors `SqlCommand`: `@name` parameters are native (sent through
 * `sp_executesql`; a command without parameters runs as a plain SQL batch), `commandType = 'StoredProcedure'` calls
 * the procedure by RPC with Output/InputOutput parameters and the RETURN value, `cancel()`/`commandTimeout`/an
 * `AbortSignal` send TDS ATTENTION, and `executeXmlReader()` streams `FOR XML` output.
 *
 * ```ts
 * const command = connection.createCommand('SELECT name FROM customer WHERE id = @id');
 * command.parameters.addWithValue('@id', 42);
 * const name = await command.executeScalar<string>();
 * ```
 */
export class MssqlCommand extends DbCommand {
  protected override createDataReader(source: ReaderSource): DbDataReader {
    return new MssqlDataReader(source);
  }
}
