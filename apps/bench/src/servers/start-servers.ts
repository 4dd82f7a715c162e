import { randomBytes } from 'node:crypto';
import { redactUrl, resolveMysql, resolvePostgres, stopOnExit, type ServerHandle } from '@asyncdb/test-servers';
import type { ProviderName } from '../cli/names.js';
import { TABLE_ROWS } from '../run/plan.js';
import { prepareMysqlTable, preparePostgresTable } from './bench-table.js';
import { endpointFromUrl, postgresUrlOf, type Endpoint } from './endpoint.js';
import { prepareSqliteDatabase } from './sqlite-database.js';
import { startTdsServer } from './start-tds-server.js';

/** The servers of a run: an endpoint per reachable provider, a reason per skipped one. */
export interface ServerSet {
  readonly endpoints: ReadonlyMap<ProviderName, Endpoint>;
  readonly skipped: ReadonlyMap<ProviderName, string>;
  stop(): Promise<void>;
}

/** Rows the TDS engine fetches from PostgreSQL per round trip: larger than its default, to keep the emulator cheap. */
const TDS_ENGINE_FETCH_SIZE = 1024;

function reasonOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? 'unknown error';
}

/**
 * Starts or finds what the chosen providers need — PostgreSQL (embedded, or `ASYNCDB_PG_URL`) for pg and for the
 * TDS test server behind mssql, MariaDB/MySQL through `resolveMysql()` — and fills the benchmark table. A provider
 * whose server cannot be reached is skipped with the reason; the others go on.
 */
export async function startServers(
  providers: readonly ProviderName[],
  tdsServerModule: string,
  log: (line: string) => void,
): Promise<ServerSet> {
  const endpoints = new Map<ProviderName, Endpoint>();
  const skipped = new Map<ProviderName, string>();
  const stops: Array<() => Promise<void>> = [];

  let postgres: Endpoint | undefined;
  if (providers.includes('pg') || providers.includes('mssql')) {
    try {
      const handle: ServerHandle = stopOnExit(await resolvePostgres());
      stops.push(() => handle.stop());
      const where = handle.embedded ? 'embedded PostgreSQL' : `PostgreSQL from ASYNCDB_PG_URL (${redactUrl(handle.url)})`;
      const endpoint = endpointFromUrl('pg', handle.url, 5432, where);
      const version = await preparePostgresTable(endpoint, TABLE_ROWS);
      postgres = { ...endpoint, description: `${where}: ${version.split(' on ')[0] ?? version}` };
      log(`pg: ${postgres.description} at ${endpoint.host}:${endpoint.port}`);
    } catch (error) {
      const reason = `PostgreSQL unavailable: ${reasonOf(error)}`;
      for (const provider of ['pg', 'mssql'] as const) if (providers.includes(provider)) skipped.set(provider, reason);
    }
  }
  if (postgres && providers.includes('pg')) endpoints.set('pg', postgres);

  if (providers.includes('mysql')) {
    try {
      const handle = await resolveMysql();
      const endpoint = endpointFromUrl('mysql', handle.url, 3306, '');
      const version = await prepareMysqlTable(endpoint, TABLE_ROWS);
      const described = { ...endpoint, description: `${/mariadb/i.test(version) ? 'MariaDB' : 'MySQL'} ${version} (${redactUrl(handle.url)})` };
      endpoints.set('mysql', described);
      log(`mysql: ${described.description}`);
    } catch (error) {
      skipped.set('mysql', `MySQL/MariaDB unavailable: ${reasonOf(error)}`);
    }
  }

  if (postgres && providers.includes('mssql')) {
    try {
      const password = `Bench-${randomBytes(8).toString('hex')}`;
      const tds = await startTdsServer(tdsServerModule, { pgUrl: postgresUrlOf(postgres), password, fetchSize: TDS_ENGINE_FETCH_SIZE });
      stops.unshift(() => tds.stop());
      const endpoint: Endpoint = {
        provider: 'mssql',
        host: tds.host,
        port: tds.port,
        user: 'sa',
        password,
        database: '',
        description: `TDS test server (PostgreSQL-backed SQL Server emulator, in its own process) over the ${postgres.description}`,
      };
      endpoints.set('mssql', endpoint);
      log(`mssql: ${endpoint.description}, port ${tds.port}`);
    } catch (error) {
      skipped.set('mssql', `TDS test server unavailable: ${reasonOf(error)}`);
    }
  }

  if (providers.includes('sqlite')) {
    try {
      const database = await prepareSqliteDatabase(TABLE_ROWS);
      stops.push(() => database.stop());
      const endpoint: Endpoint = {
        provider: 'sqlite',
        host: '',
        port: 0,
        user: '',
        password: '',
        database: database.path,
        description: `SQLite ${database.version} (libsql), a database file in a temporary directory — no server`,
      };
      endpoints.set('sqlite', endpoint);
      log(`sqlite: ${endpoint.description}: ${database.path}`);
    } catch (error) {
      skipped.set('sqlite', `SQLite (libsql) unavailable: ${reasonOf(error)}`);
    }
  }

  return {
    endpoints,
    skipped,
    stop: async () => {
      for (const stop of stops) await stop().catch(() => {});
    },
  };
}
