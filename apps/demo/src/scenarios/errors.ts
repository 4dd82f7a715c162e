import { DbError, InvalidOperationError, type DbProviderFactory } from '@asyncdb/core';
import type { Output } from '../output.js';

/** A table that does not exist, for the server error. */
export const MISSING_TABLE = 'demo_no_such_table';

/**
 * Where errors surface in the asynchronous model: what can be detected before anything is sent is thrown by the
 * Begin method itself (no `Asynchronous Processing=true`; a closed connection); what the server reports is kept
 * and rejected by the End method.
 */
export async function errorsScenario(
  factory: DbProviderFactory,
  connectionString: string,
  output: Output,
): Promise<void> {
  // 1. The connection string without "Asynchronous Processing=true": the Promise surface works, Begin does not.
  const synchronousOnly = factory.createConnectionStringBuilder(connectionString);
  synchronousOnly.remove('Asynchronous Processing');
  {
    await using connection = factory.createConnection(synchronousOnly.connectionString);
    await connection.open();
    const command = connection.createCommand('SELECT COUNT(*) FROM demo_customers');
    output.line(
      '1. A connection string without "Asynchronous Processing=true" (open() works: the Promise surface needs no flag).',
    );
    report(output, 'beginExecuteReader', () => command.beginExecuteReader());
  }

  // 2. A connection that was never opened.
  {
    await using connection = factory.createConnection(connectionString);
    const command = connection.createCommand('UPDATE demo_orders SET freight = freight WHERE order_id = 0');
    output.line('2. A command on a connection that is not open.');
    report(output, 'beginExecuteNonQuery', () => command.beginExecuteNonQuery());
  }

  // 3. A server error: Begin succeeds, because the server has not seen the SQL yet; End rejects.
  {
    await using connection = factory.createConnection(connectionString);
    await connection.open();
    const command = connection.createCommand(`SELECT * FROM ${MISSING_TABLE}`);
    output.line(`3. A query on a table that does not exist (${MISSING_TABLE}).`);
    const result = command.beginExecuteReader();
    output.line(`beginExecuteReader returned normally (status ${result.status}): the server has not answered yet.`);
    try {
      const reader = await command.endExecuteReader(result);
      await reader.close();
    } catch (error) {
      if (!(error instanceof DbError)) throw error;
      output.success(
        `caught at End: endExecuteReader rejected with ${error.name}: ${error.message} ` +
          `(category ${error.category}, SQLSTATE ${error.sqlState ?? 'none'}, status ${result.status})`,
      );
      const check = connection.createCommand('SELECT COUNT(*) FROM demo_customers');
      output.line(
        `The connection is still usable: SELECT COUNT(*) FROM demo_customers → ${String(await check.executeScalar())}.`,
      );
      return;
    }
    throw new Error(`endExecuteReader should have rejected: ${MISSING_TABLE} does not exist.`);
  }
}

/** Runs a Begin call that must throw an InvalidOperationError synchronously, and reports it. */
function report(output: Output, method: string, begin: () => unknown): void {
  try {
    begin();
  } catch (error) {
    if (!(error instanceof InvalidOperationError)) throw error;
    output.success(`caught at Begin: ${method} threw ${error.name}: ${error.message}`);
    return;
  }
  throw new Error(`${method} should have thrown at Begin, and did not.`);
}
