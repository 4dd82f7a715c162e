import { registerProvider } from '../asyncdb/register-providers.js';
import { asyncdbConnectionString } from '../asyncdb/connection-string.js';
import type { StreamingRunner } from '../raw/streaming-baseline.js';
import type { Endpoint } from '../servers/endpoint.js';

/**
 * asyncdb's side of scenario 3: `executeReader` and `read()` to the end, every value read with `getValue`, the way
 * the ADO.NET reader loop is written. The reader fetches bounded batches, so memory stays flat.
 */
export async function openAsyncdbStream(endpoint: Endpoint): Promise<StreamingRunner> {
  const factory = await registerProvider(endpoint.provider);
  const connection = factory.createConnection(asyncdbConnectionString(endpoint, 1));
  await connection.open();
  return {
    async run(sql, sink) {
      const command = connection.createCommand(sql);
      // No time limit: the read is as long as it is, on every side.
      command.commandTimeout = 0;
      const reader = await command.executeReader();
      try {
        while (await reader.read()) {
          sink.add(reader.getValue(0), reader.getValue(1), reader.getValue(2), reader.getValue(3), reader.getValue(4));
        }
      } finally {
        await reader.close();
      }
    },
    close: () => connection.close(),
  };
}
