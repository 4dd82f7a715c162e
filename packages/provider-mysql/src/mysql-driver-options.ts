import { ConnectionStringError, type DbConnectionStringBuilder } from '@asyncdb/core';
import { MysqlConnectionStringBuilder } from './mysql-connection-string-builder.js';
import { mysqlDriver, type MysqlDriverOptions } from './mysql-driver.js';

/**
 * Prepared statements mysql2 keeps per connection (its default is 16 000). The server caps them globally
 * (`max_prepared_stmt_count`, 16 382 by default), so a full pool of connections each holding thousands would starve it.
 */
const MAX_PREPARED_STATEMENTS_PER_CONNECTION = 128;

/** What the provider needs to know about a connection string, derived once per open. */
export interface MysqlSettings {
  /** The mysql2 options of one connection. */
  readonly driver: MysqlDriverOptions;
  /** Host (and port when not 3306), as `DbConnection.dataSource` reports it. */
  readonly dataSource: string;
  readonly database: string;
  readonly pooling: boolean;
  readonly minPoolSize: number;
  readonly maxPoolSize: number;
  readonly connectionReset: boolean;
  /** Identifies server and credentials: side connections for KILL QUERY are shared per key. */
  readonly serverKey: string;
  /** Values that must never appear in an error message. */
  readonly secrets: readonly string[];
}

/**
 * Reads the provider's settings from a parsed connection string.
 * @throws {ConnectionStringError} for a `Character Set` mysql2 does not know.
 */
export function mysqlSettings(builder: DbConnectionStringBuilder): MysqlSettings {
  const mysql =
    builder instanceof MysqlConnectionStringBuilder
      ? builder
      : new MysqlConnectionStringBuilder(builder.connectionString);
  // One host (a Server list is opened host by host, each with a connection string of its own: mysql-host-list.ts).
  const [endpoint] = mysql.hostEndpoints;
  const host = endpoint?.host ?? mysql.server;
  const port = endpoint?.port ?? mysql.port;
  const password = mysql.password;
  const ssl = sslOptions(mysql);
  const applicationName = mysql.getString('Application Name');
  const driver: MysqlDriverOptions = {
    host,
    port,
    user: mysql.userId,
    password,
    database: mysql.database,
    charset: characterSet(mysql),
    ssl,
    // mysql2's own timer covers TCP connect + handshake (0 = none); core enforces the overall deadline too.
    connectTimeout: (mysql.getInteger('Connect Timeout') ?? 15) * 1000,
    // Values as docs/values.md wants them are built from these raw forms by mysql-value-readers.ts.
    supportBigNumbers: true,
    bigNumberStrings: true,
    dateStrings: true,
    decimalNumbers: false,
    timezone: 'Z',
    // Core splits batches; each statement runs on its own, with its values bound by the server.
    multipleStatements: false,
    // Rows as arrays for every command: the statement stream reads them by ordinal, and mysql2's per-command
    // options object (the other way to ask for arrays) is copied with object spreads costing ~2 µs a statement.
    rowsAsArray: true,
    maxPreparedStatements: MAX_PREPARED_STATEMENTS_PER_CONNECTION,
    // LOAD DATA LOCAL lets the server ask the client for any file: off. IGNORE_SPACE would put a sql_mode flag on
    // fresh sessions that COM_RESET_CONNECTION removes: off, so a reused session is exactly like a new one.
    flags: ['-LOCAL_FILES', '-IGNORE_SPACE'],
    connectAttributes: applicationName ? { program_name: applicationName } : {},
  };
  return {
    driver,
    dataSource: port === 3306 ? host : `${host}:${port}`,
    database: mysql.database ?? '',
    pooling: mysql.getBoolean('Pooling') ?? true,
    minPoolSize: mysql.getInteger('Min Pool Size') ?? 0,
    maxPoolSize: mysql.getInteger('Max Pool Size') ?? 100,
    connectionReset: mysql.connectionReset,
    serverKey: JSON.stringify([host, port, mysql.userId ?? '', password ?? '', mysql.sslMode]),
    secrets: password ? [password] : [],
  };
}

/** The `Character Set` when one is set (mysql2's default is utf8mb4 with the utf8mb4_unicode_ci collation). */
function characterSet(builder: MysqlConnectionStringBuilder): string | undefined {
  if (!builder.containsKey('Character Set')) return undefined;
  const name = builder.characterSet;
  if (mysqlDriver.Charsets[name.toUpperCase()] === undefined) {
    throw new ConnectionStringError(
      // The value is not quoted: a malformed string can put part of a password here.
      "Invalid value for key 'character set': not a character set or collation mysql2 knows.",
      {
        keyword: 'Character Set',
      },
    );
  }
  return name;
}

function sslOptions(builder: MysqlConnectionStringBuilder): Record<string, unknown> | undefined {
  switch (builder.sslMode) {
    case 'None':
      return undefined;
    case 'Required':
      return { rejectUnauthorized: false };
    case 'VerifyCA':
      // Chain checked, host name not (MySqlConnector's VerifyCA).
      return { rejectUnauthorized: true, checkServerIdentity: () => undefined };
    case 'VerifyFull':
      return { rejectUnauthorized: true };
  }
}
