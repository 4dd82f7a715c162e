import type { DbProviderFactory } from '@asyncdb/core';
import { dialectFor } from '../dialects.js';
import type { Output } from '../output.js';
import { formatDuration, sleep, startStopwatch } from '../timing.js';

/** How long the server waits between the two UPDATEs. */
export const POLLING_DELAY_SECONDS = 2;
/** How often the loop looks at `isCompleted`; between two looks it is free to do other work. */
const POLL_INTERVAL_MS = 80;
/** The country whose orders are updated (and restored). */
export const POLLING_COUNTRY = 'Germany';

/**
 * The ADO.NET 2.0 polling sample: `beginExecuteNonQuery` returns at once, the caller keeps working and looks at
 * `isCompleted` from time to time, then `endExecuteNonQuery` gives the rows affected. The batch raises freight,
 * waits on the server, and lowers it again, so the data ends as it began.
 */
export async function pollingScenario(
  factory: DbProviderFactory,
  connectionString: string,
  output: Output,
): Promise<void> {
  const dialect = dialectFor(factory);
  await using connection = factory.createConnection(connectionString);
  await connection.open();
  const command = connection.createCommand(
    [
      'UPDATE demo_orders SET freight = freight + 1 WHERE ship_country = @country',
      dialect.delay(POLLING_DELAY_SECONDS),
      'UPDATE demo_orders SET freight = freight - 1 WHERE ship_country = @country',
    ].join(';\n'),
  );
  command.parameters.addWithValue('@country', POLLING_COUNTRY);
  output.line(
    `Batch: UPDATE freight (+1) for ${POLLING_COUNTRY}; ${dialect.delay(POLLING_DELAY_SECONDS)}; UPDATE freight (-1).`,
  );

  const elapsed = startStopwatch();
  const result = command.beginExecuteNonQuery();
  output.line(`beginExecuteNonQuery returned after ${formatDuration(elapsed())}: isCompleted = ${result.isCompleted}.`);

  const progress = output.progress('isCompleted = false, the caller keeps working');
  let looks = 0;
  while (!result.isCompleted) {
    looks += 1;
    progress.update(elapsed());
    await sleep(POLL_INTERVAL_MS);
  }
  progress.done();
  output.line(`isCompleted = true after ${formatDuration(elapsed())} (${looks} look${looks === 1 ? '' : 's'}).`);

  const rowsAffected = await command.endExecuteNonQuery(result);
  output.success(`endExecuteNonQuery → ${rowsAffected} rows affected (both UPDATEs), in ${formatDuration(elapsed())}.`);
}
