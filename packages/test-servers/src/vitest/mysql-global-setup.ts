import type { TestProject } from 'vitest/node';
import { resolveMysql } from '../resolve-mysql.js';
import type {} from './provided-context.js';

/**
 * vitest globalSetup: the MySQL/MariaDB for this test run (`ASYNCDB_MYSQL_URL`, else
 * root@127.0.0.1:3306/test), checked once and available in tests as `inject('mysqlUrl')`.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await resolveMysql();
  project.provide('mysqlUrl', server.url);
  return () => server.stop();
}
