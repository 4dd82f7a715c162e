import type { TestProject } from 'vitest/node';
import { resolvePostgres } from '@asyncdb/test-servers';
import { createPgEngine, startTdsTestServer } from '@asyncdb/tds-test-server';
import { MssqlConnection, MssqlConnectionStringBuilder } from '../src/index.js';
import { MSSQL_SERVER_HINT } from './mssql-provided-context.js';

/** The login the TDS test server accepts (its engine checks one password for every user). */
const TEST_PASSWORD = 'asyncdb-Test-1';

/**
 * vitest globalSetup: the SQL Server of this run. `ASYNCDB_MSSQL_URL` when set (a real SQL Server), otherwise the
 * TDS test server over the PostgreSQL of `@asyncdb/test-servers`. Either way one connection is opened first, so an
 * unreachable server fails the run at once with a message saying how to provide one.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const url = process.env.ASYNCDB_MSSQL_URL?.trim();
  if (url) {
    const connectionString = new MssqlConnectionStringBuilder(url).connectionString;
    await probe(connectionString, 'ASYNCDB_MSSQL_URL');
    project.provide('mssqlConnectionString', connectionString);
    project.provide('mssqlServer', 'real');
    return async () => {};
  }
  const postgres = await resolvePostgres();
  const engine = createPgEngine({ pgUrl: postgres.url, password: TEST_PASSWORD });
  const server = await startTdsTestServer({ engine, log: () => {} });
  const builder = new MssqlConnectionStringBuilder();
  builder.set('Data Source', `${server.host},${server.port}`);
  builder.set('User ID', 'sa');
  builder.set('Password', TEST_PASSWORD);
  // The test server speaks plain TCP only (its PRELOGIN answers ENCRYPT_NOT_SUP).
  builder.set('Encrypt', 'Optional');
  builder.set('Trust Server Certificate', true);
  const connectionString = builder.connectionString;
  try {
    await probe(connectionString, 'the TDS test server');
  } catch (error) {
    await server.close();
    await postgres.stop();
    throw error;
  }
  project.provide('mssqlConnectionString', connectionString);
  project.provide('mssqlServer', 'tds-test-server');
  return async () => {
    await server.close();
    await postgres.stop();
  };
}

async function probe(connectionString: string, what: string): Promise<void> {
  const connection = new MssqlConnection(`${connectionString};Pooling=false;Connect Timeout=10`);
  try {
    await connection.open();
  } catch (error) {
    throw new Error(`Cannot connect to ${what}: ${(error as Error).message}\n${MSSQL_SERVER_HINT}`, { cause: error });
  } finally {
    await connection.close();
  }
}
