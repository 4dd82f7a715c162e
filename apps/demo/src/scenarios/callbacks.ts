import type { DbCommand, DbConnection, DbProviderFactory, IAsyncResult } from '@asyncdb/core';
import { Countdown } from '../countdown.js';
import type { Output } from '../output.js';
import { readAll } from '../read-all.js';
import { formatDuration, startStopwatch } from '../timing.js';

/** The two connections, told apart on the server by their `Application Name`. */
export const CALLBACK_CONNECTIONS = [
  { department: 'HR', applicationName: 'asyncdb-demo-hr', sql: 'SELECT COUNT(*) AS employees FROM demo_employees' },
  {
    department: 'Accounting',
    applicationName: 'asyncdb-demo-accounting',
    sql: 'SELECT COUNT(*) AS orders FROM demo_orders',
  },
] as const;

/** The longest the main flow waits for the callbacks. */
const CALLBACK_TIMEOUT_MS = 30_000;

/**
 * The ADO.NET 2.0 callback sample: `beginOpen` on two connections with a callback and the connection as state;
 * each callback calls `endOpen` and prints the server version, then starts `beginExecuteReader` with a callback and
 * the command as state, whose callback calls `endExecuteReader`. The main flow only waits for the callbacks to say
 * they are done; it never waits on a connection itself.
 */
export async function callbacksScenario(
  factory: DbProviderFactory,
  connectionString: string,
  output: Output,
): Promise<void> {
  const elapsed = startStopwatch();
  const connections = CALLBACK_CONNECTIONS.map(({ applicationName }) =>
    factory.createConnection(
      factory.createConnectionStringBuilder(connectionString).set('Application Name', applicationName).connectionString,
    ),
  );
  const department = new Map<object, string>();
  const finished = new Countdown(connections.length);
  const failures: unknown[] = [];
  const fail = (error: unknown): void => {
    failures.push(error);
    finished.signal();
  };

  // The reader callback: the command came back as state; End observes the outcome.
  const onReaderCompleted = (result: IAsyncResult): void => {
    const command = result.asyncState as DbCommand;
    command
      .endExecuteReader(result)
      .then(readAll)
      .then((rows) => {
        const [row] = rows;
        const [column, value] = Object.entries(row ?? {})[0] ?? ['?', '?'];
        output.line(
          `callback (${department.get(command)}): endExecuteReader → ${column} = ${String(value)}, at ${formatDuration(elapsed())}`,
        );
        finished.signal();
      })
      .catch(fail);
  };

  // The open callback: the connection came back as state. A callback must not throw (nobody could catch it),
  // so every outcome, failures included, is reported through the countdown.
  const onOpened = (result: IAsyncResult): void => {
    const connection = result.asyncState as DbConnection;
    connection
      .endOpen(result)
      .then(() => {
        const name = department.get(connection);
        output.line(
          `callback (${name}): endOpen → open at ${formatDuration(elapsed())}; server version ${connection.serverVersion}, ` +
            `database ${connection.database}, session ${String(connection.sessionId ?? '?')}`,
        );
        const spec = CALLBACK_CONNECTIONS.find((c) => c.department === name)!;
        const command = connection.createCommand(spec.sql);
        department.set(command, spec.department);
        command.beginExecuteReader(onReaderCompleted, command);
      })
      .catch(fail);
  };

  try {
    connections.forEach((connection, index) => {
      department.set(connection, CALLBACK_CONNECTIONS[index]!.department);
      connection.beginOpen(onOpened, connection);
    });
    output.line(
      `beginOpen × ${connections.length} returned in ${formatDuration(elapsed())}; the callbacks do the rest.`,
    );
    if (!(await finished.wait(CALLBACK_TIMEOUT_MS))) {
      throw new Error(`The callbacks did not all complete within ${formatDuration(CALLBACK_TIMEOUT_MS)}.`);
    }
    if (failures.length > 0) throw failures[0];
    output.success(`Both connections opened and queried through callbacks, in ${formatDuration(elapsed())}.`);
  } finally {
    await Promise.all(connections.map((connection) => connection.close()));
  }
}
