import { OperationCanceledError, type DbProviderFactory } from '@asyncdb/core';
import { dialectFor } from '../dialects.js';
import type { Output } from '../output.js';
import { formatDuration, startStopwatch } from '../timing.js';

/** How long the long query would run if nobody stopped it. */
export const LONG_QUERY_SECONDS = 60;
/** How long the demo lets it run before calling `abort()`. */
const ABORT_AFTER_MS = 500;
/** A safety net: if the abort did not reach the server, fail after this long instead of waiting a minute. */
const COMMAND_TIMEOUT_SECONDS = 15;

/**
 * Stopping a running command: `beginExecuteReader` on a query that would run for a minute, `abort()` after half a
 * second (the same as `command.cancel()`: the statement is cancelled on the server), `endExecuteReader` rejects
 * with `OperationCanceledError`, and the same connection then runs another query.
 */
export async function cancellationScenario(
  factory: DbProviderFactory,
  connectionString: string,
  output: Output,
): Promise<void> {
  const dialect = dialectFor(factory);
  await using connection = factory.createConnection(connectionString);
  await connection.open();
  const session = connection.sessionId;
  const command = connection.createCommand(
    `${dialect.delay(LONG_QUERY_SECONDS)};\nSELECT COUNT(*) AS orders FROM demo_orders`,
  );
  command.commandTimeout = COMMAND_TIMEOUT_SECONDS;

  const elapsed = startStopwatch();
  const result = command.beginExecuteReader();
  output.line(
    `beginExecuteReader: a query that waits ${LONG_QUERY_SECONDS} s on the server (session ${String(session ?? '?')}).`,
  );
  const completed = await result.waitForCompletion(ABORT_AFTER_MS);
  output.line(
    `waitForCompletion(${ABORT_AFTER_MS}) → ${completed}: status ${result.status} after ${formatDuration(elapsed())}; calling abort().`,
  );
  const aborted = startStopwatch();
  result.abort();
  try {
    const reader = await command.endExecuteReader(result);
    await reader.close();
  } catch (error) {
    if (!(error instanceof OperationCanceledError)) throw error;
    output.success(
      `endExecuteReader rejected with ${error.name}: ${error.message} (status ${result.status}, ` +
        `${formatDuration(aborted())} after abort(), ${formatDuration(elapsed())} in all)`,
    );
    const next = connection.createCommand('SELECT COUNT(*) AS orders FROM demo_orders');
    const nextResult = next.beginExecuteScalar();
    const orders = await next.endExecuteScalar(nextResult);
    output.success(
      `The same connection (state ${connection.state}, session ${String(connection.sessionId ?? '?')}) then ran ` +
        `SELECT COUNT(*) FROM demo_orders → ${String(orders)}.`,
    );
    return;
  }
  throw new Error('endExecuteReader should have rejected with OperationCanceledError after abort().');
}
