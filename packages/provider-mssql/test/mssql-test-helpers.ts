import { inject } from 'vitest';
import { serverConnections } from '@asyncdb/testkit';
import { MssqlProviderFactory } from '../src/index.js';
import './mssql-provided-context.js';

export { eventually, execute, rows, scalar, uniqueName, type Keywords } from '@asyncdb/testkit';

/** True when the run targets a real SQL Server (ASYNCDB_MSSQL_URL), false for the TDS test server. */
export function onRealServer(): boolean {
  return inject('mssqlServer') === 'real';
}

/**
 * `connectionString(keywords)`: this run's server's; `openConnection(keywords)`: an `MssqlConnection` to it;
 * `withObserver(body)`: `body` run on an unpooled connection of its own, to watch the server from outside.
 */
export const { connectionString, openConnection, withObserver } = serverConnections(MssqlProviderFactory.instance, () =>
  inject('mssqlConnectionString'),
);
