import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DbProviderFactory } from '@asyncdb/core';
import { startEmbeddedPostgres } from '@asyncdb/test-servers';
import type { Cleanup } from './cleanup.js';
import type { Config } from './config.js';
import { dialectFor } from './dialects.js';
import type { Output } from './output.js';
import { calibrateSqliteDelay } from './sqlite-delay.js';
import { formatDuration, startStopwatch } from './timing.js';

/** The database the demo talks to, ready to use. */
export interface Database {
  /** The connection string to pass to the scenarios: the given one, with `Asynchronous Processing=true` added. */
  readonly connectionString: string;
  /** What to tell people about it (no password). */
  readonly description: string;
}

/**
 * Starts an embedded PostgreSQL when no connection string was given (a real server in a temporary directory, on a
 * free port, stopped and deleted through `cleanup`) — or, for SQLite, names a database file in a temporary directory
 * (no server at all) — checks that the database answers, and enables the Begin/End methods
 * (`Asynchronous Processing=true`) — the one keyword the asynchronous model needs, as in ADO.NET 2.0.
 */
export async function prepareDatabase(
  config: Config,
  factory: DbProviderFactory,
  output: Output,
  cleanup: Cleanup,
): Promise<Database> {
  let given = config.connectionString;
  let where = 'given by --connection';
  if (given === undefined && config.provider === 'sqlite') {
    const directory = await mkdtemp(join(tmpdir(), 'asyncdb-demo-sqlite-'));
    cleanup.add(async () => {
      await rm(directory, { recursive: true, force: true });
      output.line(`SQLite database directory ${directory} removed.`);
    });
    given = factory
      .createConnectionStringBuilder()
      .set('Data Source', join(directory, 'demo.db'))
      .set('Foreign Keys', true).connectionString;
    where = `a file in ${directory}, no server`;
  } else if (given === undefined) {
    const started = startStopwatch();
    const server = await startEmbeddedPostgres();
    cleanup.add(async () => {
      await server.stop();
      output.line(`Embedded PostgreSQL stopped; ${server.dataDirectory} removed.`);
    });
    given = server.url;
    where = `embedded, 127.0.0.1:${server.port}, data directory ${server.dataDirectory}, started in ${formatDuration(started())}`;
  }
  // The pools hold sockets open; they must be emptied before the server goes and before the process can exit.
  cleanup.add(() => factory.clearAllPools());
  const builder = factory.createConnectionStringBuilder(given);
  builder.set('Asynchronous Processing', true);
  const connectionString = builder.connectionString;

  await using connection = factory.createConnection(connectionString);
  await connection.open();
  if (factory.invariantName === 'sqlite') {
    const rate = await calibrateSqliteDelay(connection);
    where += `; its waits are statements that compute (${formatRate(rate)} rows/s counted on one core)`;
  }
  const description = `${dialectFor(factory).engine} ${connection.serverVersion} (${where})`;
  output.line(`Database:   ${description}`);
  output.line(`Connection: ${builder.toString()}`);
  return { connectionString, description };
}

function formatRate(rowsPerSecond: number): string {
  return `${(rowsPerSecond / 1e6).toFixed(1)} M`;
}
