import {
  COMMON_KEYWORDS,
  defineKeywords,
  POOL_KEYWORDS,
  parseHostList,
  TARGET_SESSION_ATTRIBUTE_VALUES,
  type KeywordDefinition,
  type UrlKeywordMap,
} from '@asyncdb/core';

/**
 * `SSL Mode` values. libpq's spellings (`verify-ca`, `verify-full`) are accepted too, so a `postgres://…?sslmode=`
 * URL works unchanged. `Prefer` and `Allow` are not offered: `pg` cannot fall back from TLS to plain text.
 */
export const PG_SSL_MODES = ['Disable', 'Require', 'VerifyCA', 'VerifyFull', 'verify-ca', 'verify-full'] as const;

/**
 * `Server Compatibility Mode` values. `TransactionPooler` is for a pooler in transaction mode (pgbouncer, 1.18 and
 * later) between us and the server: see docs/scale-out.md#pgbouncer.
 */
export const PG_SERVER_COMPATIBILITY_MODES = ['None', 'TransactionPooler'] as const;

/**
 * The PostgreSQL keywords, merged with core's common ones (`Pooling`, `Max Pool Size`, `Connect Timeout`,
 * `Password`…) and core's pool keywords (`Connection Idle Lifetime`, `Connection Lifetime`). Synonyms follow Npgsql and libpq.
 */
export const PG_KEYWORDS: readonly KeywordDefinition[] = defineKeywords(COMMON_KEYWORDS, POOL_KEYWORDS, [
  {
    name: 'Host',
    synonyms: ['Server'],
    type: 'string',
    description:
      'Host name, IP address, or Unix socket directory (starts with /); or a list of hosts for failover and load ' +
      'balancing, each with an optional port: h1:5432,h2:5433,h3 ([::1]:5433 for IPv6). Defaults to PGHOST, else localhost.',
    validate: (value) => {
      if (value.trim() !== '' && !value.trim().startsWith('/'))
        parseHostList(value, { keyword: 'Host', defaultPort: 5432 });
    },
  },
  {
    name: 'Target Session Attributes',
    synonyms: ['TargetSessionAttributes', 'target_session_attrs'],
    type: 'enum',
    values: TARGET_SESSION_ATTRIBUTE_VALUES,
    defaultValue: 'any',
    description:
      'Which server of the Host list to use: any, primary, standby, prefer-primary, prefer-standby, read-write, read-only.',
  },
  {
    name: 'Load Balance Hosts',
    synonyms: ['LoadBalanceHosts'],
    type: 'boolean',
    defaultValue: false,
    description: 'false: try the hosts in order; true: each open starts one host further (round-robin).',
  },
  {
    name: 'Host Recheck Seconds',
    synonyms: ['HostRecheckSeconds'],
    type: 'integer',
    min: 0,
    defaultValue: 10,
    description: 'How long a host found down, or its role, is believed before it is probed again.',
  },
  {
    name: 'Port',
    type: 'integer',
    min: 1,
    max: 65535,
    defaultValue: 5432,
    description: 'TCP port (or Unix socket suffix).',
  },
  { name: 'Database', synonyms: ['DB'], type: 'string', description: 'Database name. Defaults to the user name.' },
  {
    name: 'Username',
    synonyms: ['User ID', 'User', 'UID'],
    type: 'string',
    description: 'User name. Defaults to PGUSER, else the OS user.',
  },
  {
    name: 'SSL Mode',
    synonyms: ['SslMode', 'sslmode'],
    type: 'enum',
    values: PG_SSL_MODES,
    defaultValue: 'Disable',
    description:
      'Disable, Require (encrypt, no certificate check), VerifyCA (check the chain), VerifyFull (chain and host name).',
  },
  {
    name: 'Search Path',
    synonyms: ['SearchPath', 'search_path'],
    type: 'string',
    description: 'The session search_path.',
  },
  {
    name: 'Timezone',
    synonyms: ['Time Zone'],
    type: 'string',
    defaultValue: 'UTC',
    description:
      'The session TimeZone. Defaults to UTC, so that timestamp (without zone) values read as UTC mean what they say.',
  },
  {
    name: 'Multiplexing',
    type: 'boolean',
    defaultValue: false,
    description:
      'Share up to Max Pool Size sessions between every open connection of this string: open() takes no session, ' +
      'each command is pipelined on the least busy one; a transaction holds one until it ends. Statements that ' +
      'would leave session state (SET, temporary tables, LISTEN, PREPARE, session advisory locks) are refused.',
  },
  {
    name: 'No Reset On Close',
    synonyms: ['NoResetOnClose'],
    type: 'boolean',
    defaultValue: false,
    description:
      'Skip DISCARD ALL when a connection returns to the pool (faster, but session state leaks to the next user).',
  },
  {
    name: 'Server Compatibility Mode',
    synonyms: ['ServerCompatibilityMode'],
    type: 'enum',
    values: PG_SERVER_COMPATIBILITY_MODES,
    defaultValue: 'None',
    description:
      'None, or TransactionPooler: the server is a pooler in transaction mode (pgbouncer pool_mode=transaction) — ' +
      'no DISCARD ALL on return, Timezone sent as a tracked startup parameter instead of startup options, ' +
      'Search Path refused; nothing is relied upon across transactions.',
  },
]);

/** Which keywords the fixed parts of a `postgres://user:password@host:port/database` URL fill. */
export const PG_URL_KEYWORDS: UrlKeywordMap = Object.freeze({
  host: 'Host',
  port: 'Port',
  database: 'Database',
  user: 'Username',
  password: 'Password',
  schemes: ['postgres', 'postgresql'],
});

/** libpq URL query options whose name differs from ours; the others must be one of our keywords or synonyms. */
export const PG_URL_OPTION_ALIASES: Readonly<Record<string, string>> = Object.freeze({
  application_name: 'Application Name',
  connect_timeout: 'Connect Timeout',
  dbname: 'Database',
});
