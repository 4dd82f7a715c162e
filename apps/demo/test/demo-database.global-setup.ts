import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '@asyncdb/test-servers';
import { loadDataset } from '../src/dataset/load-dataset.js';
import { loadProvider } from '../src/providers.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The embedded PostgreSQL the demo's tests share, dataset loaded, `Asynchronous Processing=true`. */
    demoConnectionString: string;
    /**
     * The `postgres://` URL of a second, empty database on the same server, for the CLI tests that pass
     * `--connection`: the demo drops and reloads its tables there without disturbing the other tests.
     */
    cliPostgresUrl: string;
  }
}

/**
 * Starts one embedded PostgreSQL for the whole test run — always embedded, never `ASYNCDB_PG_URL`, because the
 * demo drops and recreates its tables and other packages' tests may share that server — and loads the dataset
 * once, with the demo's own loader.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startEmbeddedPostgres({ database: 'demo' });
  try {
    const factory = await loadProvider('pg');
    const connectionString = factory
      .createConnectionStringBuilder(server.url)
      .set('Asynchronous Processing', true).connectionString;
    await loadDataset(factory, connectionString);
    {
      await using connection = factory.createConnection(connectionString);
      await connection.open();
      await connection.createCommand('CREATE DATABASE demo_cli').executeNonQuery();
    }
    await factory.clearAllPools();
    const cliUrl = new URL(server.url);
    cliUrl.pathname = '/demo_cli';
    project.provide('demoConnectionString', connectionString);
    project.provide('cliPostgresUrl', cliUrl.href);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return () => server.stop();
}
