import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '@asyncdb/test-servers';
import { loadDataset } from '../src/dataset/load-dataset.js';
import { loadProvider } from '../src/providers.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The embedded PostgreSQL the demo's tests share, dataset loaded, `Asynchronous Processing=true`. */
    demoConnectionString: string;
    /** Its `postgres://` URL (for the CLI tests, which are given a connection string). */
    demoPostgresUrl: string;
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
    const connectionString = factory.createConnectionStringBuilder(server.url).set('Asynchronous Processing', true).connectionString;
    await loadDataset(factory, connectionString);
    await factory.clearAllPools();
    project.provide('demoConnectionString', connectionString);
    project.provide('demoPostgresUrl', server.url);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return () => server.stop();
}
