import { inject } from 'vitest';
import { describeProviderConformance } from '@asyncdb/testkit';
import { MssqlProviderFactory } from '../src/index.js';
import { mssqlFixture } from './mssql-fixture.js';
import { MSSQL_SERVER_HINT } from './mssql-provided-context.js';

// The asyncdb conformance suite (docs/architecture.md#the-testkit) against SQL Server: ASYNCDB_MSSQL_URL when set, else the TDS test
// server over PostgreSQL that the global setup of vitest.config.ts starts and provides as inject('mssqlConnectionString').
describeProviderConformance({
  name: 'mssql',
  factory: MssqlProviderFactory.instance,
  connectionString: () => {
    const connectionString = inject('mssqlConnectionString');
    if (!connectionString) throw new Error('no SQL Server was provided (inject("mssqlConnectionString") is empty)');
    return connectionString;
  },
  fixture: mssqlFixture,
  serverHint: MSSQL_SERVER_HINT,
});
