import { sharedVitestConfig } from '../../vitest.shared.ts';

// One SQL Server per run, provided to tests as inject('mssqlConnectionString'): ASYNCDB_MSSQL_URL when set,
// else the TDS test server over the PostgreSQL of @asyncdb/test-servers.
export default sharedVitestConfig({ globalSetup: [new URL('./test/mssql-global-setup.ts', import.meta.url).pathname] });
