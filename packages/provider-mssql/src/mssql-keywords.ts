import { COMMON_KEYWORDS, defineKeywords, type KeywordDefinition } from '@asyncdb/core';
import { parseFailoverPartner } from './mssql-data-source.js';

/** `Encrypt` values, as Microsoft.Data.SqlClient 5 spells them (`true`/`yes` = Mandatory, `false`/`no` = Optional). */
export const MSSQL_ENCRYPT_VALUES = ['Mandatory', 'Optional', 'Strict', 'True', 'False', 'Yes', 'No'] as const;

/** `Integrated Security` values: SqlClient's booleans plus `SSPI` (= true). */
export const MSSQL_INTEGRATED_SECURITY_VALUES = ['True', 'False', 'Yes', 'No', 'SSPI'] as const;

/** `Application Intent` values. */
export const MSSQL_APPLICATION_INTENTS = ['ReadWrite', 'ReadOnly'] as const;

/** Synonyms SqlClient accepts for core's common keywords, in addition to core's own. */
const EXTRA_COMMON_SYNONYMS: Readonly<Record<string, readonly string[]>> = {
  'Connect Timeout': ['ConnectTimeout'],
};

/** Core's common keywords with SqlClient's extra synonyms (Microsoft.Data.SqlClient also accepts `ConnectTimeout`). */
const MSSQL_COMMON_KEYWORDS: readonly KeywordDefinition[] = COMMON_KEYWORDS.map((definition) => {
  const extra = EXTRA_COMMON_SYNONYMS[definition.name];
  return extra === undefined
    ? definition
    : Object.freeze({ ...definition, synonyms: [...(definition.synonyms ?? []), ...extra] });
});

/**
 * The SQL Server keywords: SqlClient's keyword/synonym table (System.Data.SqlClient `SqlConnectionString.cs`,
 * Microsoft.Data.SqlClient `DbConnectionStringSynonyms.cs`) for every option tedious can honour, merged with core's
 * common keywords (`Pooling`, `Max Pool Size`, `Connect Timeout`, `Application Name`, `Password`…).
 * Keywords tedious cannot honour (`AttachDBFilename`, `Network Library`, `Enlist`, …) are left
 * out, so they fail with "Keyword not supported" instead of being silently ignored.
 */
export const MSSQL_KEYWORDS: readonly KeywordDefinition[] = defineKeywords(MSSQL_COMMON_KEYWORDS, [
  {
    name: 'Data Source',
    synonyms: ['Server', 'Address', 'Addr', 'Network Address'],
    type: 'string',
    description: "Server: 'host', 'host,port', 'host\\instance', 'tcp:host,port', '(local)' or '.'.",
  },
  {
    name: 'Failover Partner',
    synonyms: ['FailoverPartner'],
    type: 'string',
    validate: (value) => {
      if (value.trim() !== '') parseFailoverPartner(value);
    },
    description:
      "The partner server, 'host' or 'host,port': tried when the Data Source cannot be reached, and tried first from then on (remembered per connection string) until it fails in turn. Connect Timeout covers both.",
  },
  {
    name: 'Port',
    type: 'integer',
    min: 1,
    max: 65535,
    description:
      "TCP port; overrides a port or instance in Data Source. An asyncdb extension (SqlClient writes 'host,port').",
  },
  {
    name: 'Initial Catalog',
    synonyms: ['Database'],
    type: 'string',
    description: "The database; the login's default when unset.",
  },
  { name: 'User ID', synonyms: ['UID', 'User'], type: 'string', description: 'SQL Server login name.' },
  {
    name: 'Integrated Security',
    synonyms: ['Trusted_Connection'],
    type: 'enum',
    values: MSSQL_INTEGRATED_SECURITY_VALUES,
    defaultValue: 'False',
    description: 'Windows authentication. Only False is supported (tedious has no SSPI); True fails when opening.',
  },
  {
    name: 'Encrypt',
    type: 'enum',
    values: MSSQL_ENCRYPT_VALUES,
    defaultValue: 'Mandatory',
    description: 'TLS: Mandatory/True (default, as in Microsoft.Data.SqlClient 4+), Optional/False, or Strict (TDS 8).',
  },
  {
    name: 'Trust Server Certificate',
    synonyms: ['TrustServerCertificate'],
    type: 'boolean',
    defaultValue: false,
    description: "Accept the server's certificate without validating it.",
  },
  {
    name: 'Host Name In Certificate',
    synonyms: ['HostNameInCertificate'],
    type: 'string',
    description: "The host name expected in the server's certificate (and sent as TLS SNI).",
  },
  {
    name: 'Current Language',
    synonyms: ['Language'],
    type: 'string',
    description: 'The session language (SET LANGUAGE).',
  },
  {
    name: 'Workstation ID',
    synonyms: ['WSID', 'WorkstationID'],
    type: 'string',
    description: 'The client name reported to the server.',
  },
  {
    name: 'Packet Size',
    synonyms: ['PacketSize'],
    type: 'integer',
    min: 512,
    max: 32768,
    defaultValue: 8000,
    description: 'TDS packet size in bytes.',
  },
  {
    name: 'Application Intent',
    synonyms: ['ApplicationIntent'],
    type: 'enum',
    values: MSSQL_APPLICATION_INTENTS,
    defaultValue: 'ReadWrite',
    description: 'ReadOnly routes to a readable secondary of an availability group.',
  },
  {
    name: 'Multi Subnet Failover',
    synonyms: ['MultiSubnetFailover'],
    type: 'boolean',
    defaultValue: false,
    description: 'Try every IP address of the host in parallel.',
  },
  {
    name: 'Multiple Active Result Sets',
    synonyms: ['MultipleActiveResultSets'],
    type: 'boolean',
    defaultValue: false,
    description: 'MARS. Only False is supported (tedious has no MARS); True fails when opening.',
  },
  {
    name: 'Load Balance Timeout',
    synonyms: ['Connection Lifetime', 'LoadBalanceTimeout'],
    type: 'integer',
    min: 0,
    defaultValue: 0,
    description: 'Seconds a pooled connection may live; older ones are closed when returned (0 = no limit).',
  },
  {
    name: 'Connect Retry Count',
    synonyms: ['ConnectRetryCount'],
    type: 'integer',
    min: 0,
    max: 255,
    defaultValue: 1,
    description:
      'Idle connection resiliency: reconnect attempts for an open connection whose session died while no request was running (0 = off); also login retries after a transient error.',
  },
  {
    name: 'Connect Retry Interval',
    synonyms: ['ConnectRetryInterval'],
    type: 'integer',
    min: 1,
    max: 60,
    defaultValue: 10,
    description: 'Seconds between two reconnect (or login) attempts.',
  },
]);
