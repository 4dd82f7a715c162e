import {
  COMMON_KEYWORDS,
  POOL_KEYWORDS,
  defineKeywords,
  parseHostList,
  type KeywordDefinition,
  type UrlKeywordMap,
} from '@asyncdb/core';

/**
 * `SSL Mode` values: MySqlConnector's spellings, plus MySQL's own (`DISABLED`, `VERIFY_CA`, `VERIFY_IDENTITY`) so a
 * `mysql://…?ssl-mode=VERIFY_CA` URL works unchanged. `Preferred` is accepted for compatibility but connects
 * without TLS: mysql2 cannot fall back from TLS to plain text (see the README).
 */
export const MYSQL_SSL_MODES = [
  'None',
  'Disabled',
  'Preferred',
  'Required',
  'VerifyCA',
  'Verify_CA',
  'VerifyFull',
  'Verify_Identity',
] as const;

/**
 * `Load Balance` values (MySqlConnector's, with `InOrder` for its `FailOver` and `FewestConnections` for
 * `LeastConnections`; those two spellings are accepted too).
 */
export const MYSQL_LOAD_BALANCE_VALUES = [
  'RoundRobin',
  'InOrder',
  'Random',
  'FewestConnections',
  'FailOver',
  'LeastConnections',
] as const;

/**
 * The MySQL/MariaDB keywords, merged with core's common ones (`Pooling`, `Max Pool Size`, `Connect Timeout`,
 * `Password`…). Names and synonyms follow MySqlConnector.
 */
export const MYSQL_KEYWORDS: readonly KeywordDefinition[] = defineKeywords(COMMON_KEYWORDS, POOL_KEYWORDS, [
  {
    name: 'Server',
    synonyms: ['Host', 'Data Source', 'DataSource'],
    type: 'string',
    defaultValue: 'localhost',
    description:
      'Host name or IP address of the server; or a list of hosts for failover and load balancing, each with an ' +
      'optional port: h1,h2:3307,h3 ([::1]:3307 for IPv6).',
    validate: (value) => {
      if (value.trim() !== '') parseHostList(value, { keyword: 'Server', defaultPort: 3306 });
    },
  },
  {
    name: 'Load Balance',
    synonyms: ['LoadBalance'],
    type: 'enum',
    values: MYSQL_LOAD_BALANCE_VALUES,
    description:
      'How a Server list is used: RoundRobin (each open starts one host further; the default with Pooling=true), ' +
      'InOrder (the first host that works; the default with Pooling=false), Random, FewestConnections.',
  },
  {
    name: 'Host Recheck Seconds',
    synonyms: ['HostRecheckSeconds'],
    type: 'integer',
    min: 0,
    defaultValue: 10,
    description: 'How long a host of a Server list that failed to connect is skipped before it is tried again.',
  },
  { name: 'Port', type: 'integer', min: 1, max: 65535, defaultValue: 3306, description: 'TCP port.' },
  { name: 'Database', synonyms: ['Initial Catalog'], type: 'string', description: 'The default database (schema).' },
  { name: 'User ID', synonyms: ['UID', 'User', 'Username', 'UserID'], type: 'string', description: 'User name.' },
  {
    name: 'SSL Mode',
    synonyms: ['SslMode', 'ssl-mode', 'ssl_mode'],
    type: 'enum',
    values: MYSQL_SSL_MODES,
    defaultValue: 'None',
    description:
      'None, Required (encrypt, no certificate check), VerifyCA (check the chain), VerifyFull (chain and host name).',
  },
  {
    name: 'Character Set',
    synonyms: ['CharSet'],
    type: 'string',
    defaultValue: 'utf8mb4',
    description:
      'The connection character set or collation (utf8mb4, utf8mb4_bin, latin1, …). Unset: utf8mb4_unicode_ci.',
  },
  {
    name: 'Connection Reset',
    synonyms: ['ConnectionReset'],
    type: 'boolean',
    defaultValue: true,
    description: 'Reset the session (COM_RESET_CONNECTION) before a pooled connection is reused.',
  },
]);

/** Which keywords the fixed parts of a `mysql://user:password@host:port/database` URL fill. */
export const MYSQL_URL_KEYWORDS: UrlKeywordMap = Object.freeze({
  host: 'Server',
  port: 'Port',
  database: 'Database',
  user: 'User ID',
  password: 'Password',
  schemes: ['mysql', 'mariadb'],
});
