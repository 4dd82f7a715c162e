import type { ConnectionOptions } from 'node:tls';
import { ConnectionStringError } from '@asyncdb/core';
import type { PgConnectionStringBuilder } from './pg-connection-string-builder.js';

/** The `pg.Client` options this provider sets (a subset of `pg.ClientConfig`). */
export interface PgClientConfig {
  readonly host?: string;
  readonly port: number;
  readonly database?: string;
  readonly user?: string;
  readonly password?: string;
  readonly ssl: boolean | ConnectionOptions;
  readonly application_name?: string;
  /** Startup `options`: `-c name=value` settings that become the session's defaults (RESET restores them). */
  readonly options?: string;
  /**
   * Settings sent as startup parameters of their own (`TimeZone=UTC`) rather than inside `options`: what a pooler
   * in transaction mode accepts and re-applies to every server session it lends the client (pgbouncer tracks
   * client_encoding, DateStyle, TimeZone, standard_conforming_strings and application_name, and refuses `options`).
   */
  readonly startupParameters?: Readonly<Record<string, string>>;
  /** Connect timeout in ms (0 = none); enforced by pg itself as well as by core. */
  readonly connectionTimeoutMillis: number;
  readonly keepAlive: boolean;
}

/**
 * Escapes a value for libpq's startup `options` string, where white space separates arguments and a backslash
 * escapes the next character.
 */
export function escapeStartupOption(value: string): string {
  return value.replace(/[\\\s]/g, (character) => `\\${character}`);
}

function sslOptions(builder: PgConnectionStringBuilder): boolean | ConnectionOptions {
  switch (builder.sslMode) {
    case 'Disable':
      return false;
    case 'Require':
      // libpq's `require`: encrypted, but the certificate is not checked.
      return { rejectUnauthorized: false };
    case 'VerifyCA':
      // The chain is verified, the host name is not (libpq's `verify-ca`).
      return { rejectUnauthorized: true, checkServerIdentity: () => undefined };
    case 'VerifyFull':
      return { rejectUnauthorized: true };
  }
}

/**
 * Translates a connection string into `pg.Client` options. Session settings (`Search Path`, `Timezone`) travel in
 * the startup packet rather than as `SET` after connecting, so `DISCARD ALL` (`RESET ALL`) keeps them.
 */
export function toClientConfig(builder: PgConnectionStringBuilder): PgClientConfig {
  const optional = <K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } =>
    (value === undefined || value === '' ? {} : { [key]: value }) as { [P in K]?: V };
  const common = {
    ...optional('host', builder.host),
    port: builder.port,
    ...optional('database', builder.database),
    ...optional('user', builder.username),
    ...optional('password', builder.getString('Password')),
    ssl: sslOptions(builder),
    ...optional('application_name', builder.getString('Application Name')),
    connectionTimeoutMillis: (builder.getInteger('Connect Timeout') ?? 15) * 1000,
    keepAlive: true,
  };
  if (builder.transactionPooler) {
    const searchPath = builder.searchPath;
    if (searchPath !== undefined && searchPath !== '') {
      throw new ConnectionStringError(
        'Search Path cannot be used with Server Compatibility Mode=TransactionPooler: a pooler in transaction mode ' +
          'does not carry search_path to the server sessions it lends; qualify names with their schema, or set ' +
          "the role's default (ALTER ROLE … SET search_path).",
        { keyword: 'Search Path' },
      );
    }
    // TimeZone is a parameter the pooler tracks; lc_monetary is not, so money reads in the server's locale.
    return { ...common, startupParameters: { TimeZone: builder.timezone } };
  }
  // lc_monetary=C makes money print as '-$1,234.56' whatever the server's locale, so it can be read exactly.
  const settings = [`-c TimeZone=${escapeStartupOption(builder.timezone)}`, '-c lc_monetary=C'];
  const searchPath = builder.searchPath;
  if (searchPath !== undefined && searchPath !== '') settings.push(`-c search_path=${escapeStartupOption(searchPath)}`);
  return { ...common, options: settings.join(' ') };
}
