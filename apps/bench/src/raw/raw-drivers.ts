import type { ProviderName } from '../cli/names.js';
import type { BenchSubject } from '../run/subject.js';
import type { Endpoint } from '../servers/endpoint.js';
import { createMssqlSubject } from './mssql.js';
import { createMysqlSubject } from './mysql.js';
import { createPgSubject } from './pg.js';
import { createSqliteSubject } from './sqlite.js';

/** The raw driver subject of each provider. */
const RAW_SUBJECTS: Readonly<Record<ProviderName, (endpoint: Endpoint, poolSize: number) => BenchSubject>> = {
  pg: createPgSubject,
  mysql: createMysqlSubject,
  mssql: createMssqlSubject,
  sqlite: createSqliteSubject,
};

/** The raw driver's side of the in-process scenarios for `endpoint`'s provider. */
export function createRawSubject(endpoint: Endpoint, poolSize: number): BenchSubject {
  return RAW_SUBJECTS[endpoint.provider](endpoint, poolSize);
}
