import {
  DbConnectionStringBuilder,
  parseConnectionUrl,
  parseHostList,
  type HostEndpoint,
  type HostOrder,
} from '@asyncdb/core';
import { MYSQL_KEYWORDS, MYSQL_URL_KEYWORDS } from './mysql-keywords.js';

/** The canonical `SSL Mode` after folding MySQL's spellings into MySqlConnector's. */
export type MysqlSslMode = 'None' | 'Required' | 'VerifyCA' | 'VerifyFull';

const SSL_MODE_CANONICAL: Readonly<Record<string, MysqlSslMode>> = {
  None: 'None',
  Disabled: 'None',
  Preferred: 'None',
  Required: 'Required',
  VerifyCA: 'VerifyCA',
  Verify_CA: 'VerifyCA',
  VerifyFull: 'VerifyFull',
  Verify_Identity: 'VerifyFull',
};

/**
 * A connection-string builder with the MySQL/MariaDB keywords (see the README's table). Mirrors MySqlConnector's
 * `MySqlConnectionStringBuilder`: ADO.NET `key=value;` strings, and `mysql://user:password@host:port/db?key=value`
 * URLs (also `mariadb://`), whose query options are keywords of the table.
 *
 * ```ts
 * const builder = new MysqlConnectionStringBuilder('mysql://app:s3cret@db:3306/shop?Max Pool Size=20');
 * builder.server;   // 'db'
 * `${builder}`;     // 'Server=db;Port=3306;Database=shop;User ID=app;Password=*****;Max Pool Size=20'
 * ```
 */
export class MysqlConnectionStringBuilder extends DbConnectionStringBuilder {
  constructor(connectionString?: string | null) {
    super(connectionString, MYSQL_KEYWORDS);
  }

  /** A `mysql://` / `mariadb://` URL's pairs. */
  protected override urlToPairs(url: string): Array<[string, string]> {
    return parseConnectionUrl(url, MYSQL_URL_KEYWORDS);
  }

  /** `Server`: host name or IP address. Defaults to `localhost`. */
  get server(): string {
    return this.getString('Server') ?? 'localhost';
  }
  set server(value: string) {
    this.set('Server', value);
  }

  /**
   * The hosts of `Server`, each with its port (`Port` for those written without one): one for a single server,
   * several for a host list (failover and load balancing, see docs/scale-out.md).
   */
  get hostEndpoints(): HostEndpoint[] {
    return parseHostList(this.server, { keyword: 'Server', defaultPort: this.port });
  }

  /** `Load Balance` as core's host order; RoundRobin by default when pooling, InOrder without. */
  get loadBalance(): HostOrder {
    switch (this.getEnum('Load Balance')) {
      case 'RoundRobin':
        return 'round-robin';
      case 'InOrder':
      case 'FailOver':
        return 'in-order';
      case 'Random':
        return 'random';
      case 'FewestConnections':
      case 'LeastConnections':
        return 'fewest-connections';
      default:
        return (this.getBoolean('Pooling') ?? true) ? 'round-robin' : 'in-order';
    }
  }

  /** `Host Recheck Seconds`. Defaults to 10. */
  get hostRecheckSeconds(): number {
    return this.getInteger('Host Recheck Seconds') ?? 10;
  }

  /** `Port`. Defaults to 3306. */
  get port(): number {
    return this.getInteger('Port') ?? 3306;
  }
  set port(value: number) {
    this.set('Port', value);
  }

  /** `Database`, or `undefined` when none is set. */
  get database(): string | undefined {
    return this.getString('Database');
  }
  set database(value: string | undefined) {
    this.set('Database', value);
  }

  /** `User ID`, or `undefined` when none is set. */
  get userId(): string | undefined {
    return this.getString('User ID');
  }
  set userId(value: string | undefined) {
    this.set('User ID', value);
  }

  /** `Password`, or `undefined` when none is set. */
  get password(): string | undefined {
    return this.getString('Password');
  }
  set password(value: string | undefined) {
    this.set('Password', value);
  }

  /** `SSL Mode`, folded to None, Required, VerifyCA or VerifyFull (`Preferred` reads as None). Defaults to None. */
  get sslMode(): MysqlSslMode {
    return SSL_MODE_CANONICAL[this.getEnum('SSL Mode') ?? 'None'] ?? 'None';
  }
  set sslMode(value: MysqlSslMode) {
    this.set('SSL Mode', value);
  }

  /** `Character Set`. Defaults to `utf8mb4`. */
  get characterSet(): string {
    return this.getString('Character Set') ?? 'utf8mb4';
  }
  set characterSet(value: string) {
    this.set('Character Set', value);
  }

  /** `Connection Reset`: reset the session before a pooled connection is reused. Defaults to true. */
  get connectionReset(): boolean {
    return this.getBoolean('Connection Reset') ?? true;
  }
  set connectionReset(value: boolean) {
    this.set('Connection Reset', value);
  }
}
