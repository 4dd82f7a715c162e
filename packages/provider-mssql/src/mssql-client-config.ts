import { NotSupportedError } from '@asyncdb/core';
import type { MssqlConnectionStringBuilder } from './mssql-connection-string-builder.js';
import { MSSQL_DEFAULT_PORT } from './mssql-data-source.js';
import type { TediousConnectionConfiguration } from './mssql-tedious.js';

/** How long tedious waits for the server to acknowledge an ATTENTION: under core's 5 s grace, so we settle first. */
export const CANCEL_TIMEOUT_MS = 4_000;

/** The largest timer Node accepts: tedious' stand-in for "no connect timeout". */
const NO_TIMEOUT_MS = 2_147_483_647;

/**
 * Builds tedious' connection configuration from a SqlClient connection string, plus the settings asyncdb relies on:
 * `useUTC` (datetime values are UTC instants), `lowerCaseGuids`, no tedious request timeout (core enforces
 * `commandTimeout` and cancels with ATTENTION), a 4 s cancel timeout, and row collection off (rows stream).
 *
 * @throws {NotSupportedError} for `Integrated Security=true` (tedious has no SSPI) and
 * `Multiple Active Result Sets=true` (tedious has no MARS).
 */
export function toTediousConfig(
  builder: MssqlConnectionStringBuilder,
  connectTimeoutMs: number,
): TediousConnectionConfiguration {
  if (builder.integratedSecurity) {
    throw new NotSupportedError(
      'Integrated Security is not supported: tedious has no Windows (SSPI) authentication. Use User ID and Password.',
    );
  }
  if (builder.multipleActiveResultSets) {
    throw new NotSupportedError(
      'Multiple Active Result Sets is not supported: tedious runs one request at a time per connection.',
    );
  }
  const source = builder.parsedDataSource;
  const encrypt = builder.encrypt;
  const options: NonNullable<TediousConnectionConfiguration['options']> = {
    encrypt: encrypt === 'Strict' ? 'strict' : encrypt === 'Mandatory',
    trustServerCertificate: builder.trustServerCertificate,
    connectTimeout: connectTimeoutMs > 0 ? connectTimeoutMs : NO_TIMEOUT_MS,
    requestTimeout: 0,
    cancelTimeout: CANCEL_TIMEOUT_MS,
    useUTC: true,
    lowerCaseGuids: true,
    useColumnNames: false,
    rowCollectionOnDone: false,
    rowCollectionOnRequestCompletion: false,
    packetSize: builder.packetSize,
    readOnlyIntent: builder.applicationIntent === 'ReadOnly',
    multiSubnetFailover: builder.multiSubnetFailover,
    maxRetriesOnTransientErrors: builder.connectRetryCount,
    connectionRetryInterval: builder.connectRetryInterval * 1000,
  };
  if (source.instanceName !== undefined) options.instanceName = source.instanceName;
  else options.port = source.port ?? MSSQL_DEFAULT_PORT;
  if (builder.initialCatalog !== undefined) options.database = builder.initialCatalog;
  if (builder.applicationName !== undefined) options.appName = builder.applicationName;
  if (builder.currentLanguage !== undefined) options.language = builder.currentLanguage;
  if (builder.workstationID !== undefined) options.workstationId = builder.workstationID;
  if (builder.hostNameInCertificate !== undefined) options.serverName = builder.hostNameInCertificate;
  return {
    server: source.host,
    authentication: {
      type: 'default',
      options: { userName: builder.userID ?? '', password: builder.password ?? '' },
    },
    options,
  };
}
