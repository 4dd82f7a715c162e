import type {} from 'vitest';

/** Types `inject('mssqlConnectionString')` and `inject('mssqlServer')`, provided by `mssql-global-setup.ts`. */
declare module 'vitest' {
  export interface ProvidedContext {
    /** A connection string (keyword form) to the SQL Server this run tests against. */
    mssqlConnectionString: string;
    /** `real` when ASYNCDB_MSSQL_URL names a SQL Server, `tds-test-server` for the test server on PostgreSQL. */
    mssqlServer: 'real' | 'tds-test-server';
  }
}

/** How to run the suite against a real SQL Server; appended to connection failures. */
export const MSSQL_SERVER_HINT =
  'Set ASYNCDB_MSSQL_URL to a SQL Server connection string (e.g. "Server=localhost,1433;User ID=sa;Password=…;' +
  'TrustServerCertificate=true" or "mssql://sa:…@localhost:1433/master") to test against SQL Server; unset, the tests ' +
  'start the TDS test server on the PostgreSQL of @asyncdb/test-servers (ASYNCDB_PG_URL, else an embedded one).';
