import { DbConnectionStringBuilder, parseConnectionUrl, type UrlKeywordMap } from '@asyncdb/core';
import { MSSQL_KEYWORDS } from './mssql-keywords.js';
import {
  formatDataSource,
  MSSQL_DEFAULT_PORT,
  parseDataSource,
  parseFailoverPartner,
  type MssqlDataSource,
} from './mssql-data-source.js';

/** How `Encrypt` is applied: always (TLS after PRELOGIN), only if the server requires it, or TDS 8 strict TLS. */
export type MssqlEncryptMode = 'Mandatory' | 'Optional' | 'Strict';

/** The fixed parts of a `mssql://user:password@host:port/database` (or `sqlserver://`) URL. */
const URL_KEYWORDS: UrlKeywordMap = Object.freeze({
  host: 'Data Source',
  port: 'Port',
  database: 'Initial Catalog',
  user: 'User ID',
  password: 'Password',
  schemes: ['mssql', 'sqlserver'],
});

/** URL query options spelled as tedious/node-mssql spell them, folded onto our keywords. */
const URL_OPTION_ALIASES: Readonly<Record<string, string>> = Object.freeze({
  appname: 'Application Name',
  applicationname: 'Application Name',
  connectiontimeout: 'Connect Timeout',
  requesttimeout: 'Command Timeout',
  databasename: 'Initial Catalog',
});

/**
 * Builds and reads SQL Server connection strings. Mirrors `SqlConnectionStringBuilder`: the ADO.NET grammar with
 * SqlClient's keywords and synonyms ({@link MSSQL_KEYWORDS}), canonical names on output
 * (`Data Source`, `Initial Catalog`, `User ID`…), unknown keywords rejected. A
 * `mssql://user:password@host:port/database?encrypt=false` URL (or `sqlserver://`) is accepted too, read into the
 * same keywords; an `instanceName` query option names the instance.
 *
 * ```ts
 * const builder = new MssqlConnectionStringBuilder('Server=tcp:db,1433;Database=shop;UID=app;PWD=s3cret');
 * builder.dataSource;        // 'tcp:db,1433'
 * builder.parsedDataSource;  // { host: 'db', port: 1433 }
 * `${builder}`;              // 'Data Source=tcp:db,1433;Initial Catalog=shop;User ID=app;Password=*****'
 * ```
 */
export class MssqlConnectionStringBuilder extends DbConnectionStringBuilder {
  constructor(connectionString?: string | null) {
    super(connectionString, MSSQL_KEYWORDS);
  }

  /** An `mssql://` / `sqlserver://` URL's pairs, host and instance folded into `Data Source`. */
  protected override urlToPairs(url: string): Array<[string, string]> {
    return urlToPairs(url);
  }

  /** `Data Source` as written, or undefined. */
  get dataSource(): string | undefined {
    return this.getString('Data Source');
  }

  /**
   * `Data Source` parsed into host and port or instance (`localhost` when unset, as SqlClient's default), with the
   * `Port` keyword, when set, taking precedence over a port or instance written in it.
   */
  get parsedDataSource(): MssqlDataSource {
    const source = parseDataSource(this.dataSource ?? '(local)');
    const port = this.port;
    return port === undefined ? source : { host: source.host, port };
  }

  /**
   * `Failover Partner` parsed (`host` or `host,port`; the default port when none), or undefined when unset.
   * @throws {ConnectionStringError} when it is not `host[,port]` (a named instance needs SQL Browser, which a
   *   partner tried under a timeout budget does not go through).
   */
  get failoverPartner(): MssqlDataSource | undefined {
    const text = this.getString('Failover Partner');
    if (text === undefined || text.trim() === '') return undefined;
    const source = parseFailoverPartner(text);
    return { host: source.host, port: source.port ?? MSSQL_DEFAULT_PORT };
  }

  /** `Port` (an asyncdb extension to SqlClient's keywords), or undefined. */
  get port(): number | undefined {
    return this.getInteger('Port');
  }

  /** `Initial Catalog`, or undefined (the login's default database). */
  get initialCatalog(): string | undefined {
    return this.getString('Initial Catalog');
  }

  /** `User ID`, or undefined. */
  get userID(): string | undefined {
    return this.getString('User ID');
  }

  /** `Password`, or undefined. */
  get password(): string | undefined {
    return this.getString('Password');
  }

  /** `Integrated Security` (`SSPI` counts as true). Defaults to false. */
  get integratedSecurity(): boolean {
    const value = (this.getEnum('Integrated Security') ?? 'False').toLowerCase();
    return value === 'true' || value === 'yes' || value === 'sspi';
  }

  /** `Encrypt`: `True`/`Yes` read as Mandatory and `False`/`No` as Optional. Defaults to Mandatory. */
  get encrypt(): MssqlEncryptMode {
    switch (this.getEnum('Encrypt')) {
      case 'Optional':
      case 'False':
      case 'No':
        return 'Optional';
      case 'Strict':
        return 'Strict';
      default:
        return 'Mandatory';
    }
  }

  /** `Trust Server Certificate`. Defaults to false. */
  get trustServerCertificate(): boolean {
    return this.getBoolean('Trust Server Certificate') ?? false;
  }

  /** `Host Name In Certificate`, or undefined. */
  get hostNameInCertificate(): string | undefined {
    return this.getString('Host Name In Certificate');
  }

  /** `Application Name`, or undefined. */
  get applicationName(): string | undefined {
    return this.getString('Application Name');
  }

  /** `Current Language`, or undefined (the login's default). */
  get currentLanguage(): string | undefined {
    return this.getString('Current Language');
  }

  /** `Workstation ID`, or undefined. */
  get workstationID(): string | undefined {
    return this.getString('Workstation ID');
  }

  /** `Packet Size` in bytes. Defaults to 8000. */
  get packetSize(): number {
    return this.getInteger('Packet Size') ?? 8000;
  }

  /** `Application Intent`. Defaults to ReadWrite. */
  get applicationIntent(): 'ReadWrite' | 'ReadOnly' {
    return this.getEnum('Application Intent') === 'ReadOnly' ? 'ReadOnly' : 'ReadWrite';
  }

  /** `Multi Subnet Failover`. Defaults to false. */
  get multiSubnetFailover(): boolean {
    return this.getBoolean('Multi Subnet Failover') ?? false;
  }

  /** `Multiple Active Result Sets`. Defaults to false (and only false is supported). */
  get multipleActiveResultSets(): boolean {
    return this.getBoolean('Multiple Active Result Sets') ?? false;
  }

  /** `Load Balance Timeout` in seconds (0 = pooled connections live forever). */
  get loadBalanceTimeout(): number {
    return this.getInteger('Load Balance Timeout') ?? 0;
  }

  /** `Connect Retry Count`. Defaults to 1. */
  get connectRetryCount(): number {
    return this.getInteger('Connect Retry Count') ?? 1;
  }

  /** `Connect Retry Interval` in seconds. Defaults to 10. */
  get connectRetryInterval(): number {
    return this.getInteger('Connect Retry Interval') ?? 10;
  }
}

/** Reads a URL into keyword form, validating every pair on a scratch builder so a bad URL changes nothing. */
function urlToPairs(url: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  let host: string | undefined;
  let instanceName: string | undefined;
  for (const [keyword, value] of parseConnectionUrl(url, URL_KEYWORDS)) {
    const folded = keyword.toLowerCase();
    if (keyword === 'Data Source') host = value;
    else if (folded === 'instancename') instanceName = value;
    else pairs.push([URL_OPTION_ALIASES[folded] ?? keyword, value]);
  }
  // Data Source first, as SqlClient prints it.
  if (host !== undefined)
    pairs.unshift(['Data Source', formatDataSource(instanceName === undefined ? { host } : { host, instanceName })]);
  return pairs;
}
