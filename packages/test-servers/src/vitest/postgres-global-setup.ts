import type { TestProject } from 'vitest/node';
import { resolvePostgres } from '../resolve-postgres.js';
import type {} from './provided-context.js';

/**
 * vitest globalSetup: one PostgreSQL per test run (`ASYNCDB_PG_URL`, else an embedded one),
 * available in tests as `inject('pgUrl')`, stopped when the run ends.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await resolvePostgres();
  project.provide('pgUrl', server.url);
  return () => server.stop();
}
