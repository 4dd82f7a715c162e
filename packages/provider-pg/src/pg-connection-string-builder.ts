import {
  DbConnectionStringBuilder,
  parseConnectionUrl,
  parseHostList,
  type HostEndpoint,
  type TargetSessionAttributes,
} from '@asyncdb/core';
import { PG_KEYWORDS, PG_URL_KEYWORDS, PG_URL_OPTION_ALIASES } from './pg-keywords.js';

/** The values of `SSL Mode`, libpq spellings folded onto ours. */
export type PgSslMode = 'Disable' | 'Require' | 'VerifyCA' | 'VerifyFull';

/**
 * Builds and reads PostgreSQL connection strings. Mirrors `NpgsqlConnectionStringBuilder`: the ADO.NET grammar
 * (`Host=db;Port=5433;Database=shop;Username=ann;Password=…`) with the keywords of {@link PG_KEYWORDS}, unknown
 * keywords rejected when set. A `postgres://user:password@host:port/database?sslmode=require` URL is accepted too
 * and read into the same keywords.
 *
 * ```ts
 * const builder = new PgConnectionStringBuilder('postgres://ann@db/shop');
 * builder.set('Max Pool Size', 20);
 * `${builder}`; // 'Host=db;Database=shop;Username=ann;Max Pool Size=20'
 * ```
 */
export class PgConnectionStringBuilder extends DbConnectionStringBuilder {
  constructor(connectionString?: string | null) {
    super(connectionString, PG_KEYWORDS);
  }

  /** A `postgres://` URL's pairs, with libpq option names (`sslmode`, `application_name`, …) mapped to keywords. */
  protected override urlToPairs(url: string): Array<[string, string]> {
    return parseConnectionUrl(url, PG_URL_KEYWORDS).map(([keyword, value]) => [
      PG_URL_OPTION_ALIASES[keyword.toLowerCase()] ?? keyword,
      value,
    ]);
  }

  /** `Host`, or undefined (pg then uses PGHOST, else localhost). */
  get host(): string | undefined {
    return this.getString('Host');
  }

  /** `Port`. Defaults to 5432. */
  get port(): number {
    return this.getInteger('Port') ?? 5432;
  }

  /** `Database`, or undefined (the server then uses the user name). */
  get database(): string | undefined {
    return this.getString('Database');
  }

  /** `Username`, or undefined (pg then uses PGUSER, else the OS user). */
  get username(): string | undefined {
    return this.getString('Username');
  }

  /** `SSL Mode`, libpq spellings folded. Defaults to `Disable`. */
  get sslMode(): PgSslMode {
    const mode = this.getEnum('SSL Mode') ?? 'Disable';
    if (mode === 'verify-ca') return 'VerifyCA';
    if (mode === 'verify-full') return 'VerifyFull';
    return mode as PgSslMode;
  }

  /** `Search Path`, or undefined (the server's default). */
  get searchPath(): string | undefined {
    return this.getString('Search Path');
  }

  /** `Timezone`. Defaults to `UTC`. */
  get timezone(): string {
    return this.getString('Timezone') ?? 'UTC';
  }

  /** `No Reset On Close`; true as well under `Server Compatibility Mode=TransactionPooler`. Defaults to false. */
  get noResetOnClose(): boolean {
    return (this.getBoolean('No Reset On Close') ?? false) || this.transactionPooler;
  }

  /** Whether `Server Compatibility Mode` is `TransactionPooler` (a pooler such as pgbouncer in transaction mode). */
  get transactionPooler(): boolean {
    return this.getEnum('Server Compatibility Mode') === 'TransactionPooler';
  }

  /**
   * The hosts of `Host` with their ports (`Port`, else 5432, for a host written without one). A Unix socket directory
   * is one endpoint; without `Host`, PGHOST else localhost.
   */
  get hostEndpoints(): HostEndpoint[] {
    const host = this.host?.trim();
    if (host === undefined || host === '') return [{ host: process.env.PGHOST ?? 'localhost', port: this.port }];
    if (host.startsWith('/')) return [{ host, port: this.port }];
    return parseHostList(host, { keyword: 'Host', defaultPort: this.port });
  }

  /** `Target Session Attributes`. Defaults to `any`. */
  get targetSessionAttributes(): TargetSessionAttributes {
    return (this.getEnum('Target Session Attributes') ?? 'any') as TargetSessionAttributes;
  }

  /** `Load Balance Hosts`. Defaults to false. */
  get loadBalanceHosts(): boolean {
    return this.getBoolean('Load Balance Hosts') ?? false;
  }

  /** `Host Recheck Seconds`. Defaults to 10. */
  get hostRecheckSeconds(): number {
    return this.getInteger('Host Recheck Seconds') ?? 10;
  }
}
