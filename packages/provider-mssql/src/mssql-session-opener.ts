import type { SessionInfo } from '@asyncdb/core';
import { toTediousConfig } from './mssql-client-config.js';
import type { MssqlConnectionStringBuilder } from './mssql-connection-string-builder.js';
import { formatDataSource } from './mssql-data-source.js';
import { endpointOf, openOnFailoverPair, type FailoverMemory, type MssqlEndpoint } from './mssql-failover.js';
import { MssqlSession } from './mssql-session.js';
import type { TediousConnectionConfiguration } from './mssql-tedious.js';

/** Opens one physical session for a connection string (its pool's `open`, or an unpooled open). */
export type MssqlSessionOpener = (signal: AbortSignal) => Promise<MssqlSession>;

/**
 * The opener for `builder`: the `Data Source` alone, or — with `Failover Partner` — the pair, in the order
 * `memory` remembers, within one `Connect Timeout` budget (see mssql-failover.ts). The session knows which server it
 * is on ({@link MssqlSession.endpoint}).
 */
export function sessionOpener(
  builder: MssqlConnectionStringBuilder,
  connectTimeoutMs: number,
  memory: FailoverMemory,
): MssqlSessionOpener {
  const config = toTediousConfig(builder, connectTimeoutMs);
  const primary = endpointOf(builder.parsedDataSource, false);
  const partnerSource = builder.failoverPartner;
  if (partnerSource === undefined) {
    return (signal) => MssqlSession.open(config, signal).then((session) => session.openedOn(primary));
  }
  const partner = endpointOf(partnerSource, true);
  const key = builder.connectionString;
  return async (signal) => {
    const found = await openOnFailoverPair(
      memory.order(key, primary, partner),
      connectTimeoutMs,
      signal,
      (endpoint, timeoutMs) => MssqlSession.open(configFor(config, endpoint, timeoutMs), signal),
    );
    memory.remember(key, found.endpoint);
    return found.session.openedOn(found.endpoint);
  };
}

/** `config` pointed at `endpoint`, with `timeoutMs` (0 = none) as tedious' connect timeout. */
function configFor(
  config: TediousConnectionConfiguration,
  endpoint: MssqlEndpoint,
  timeoutMs: number,
): TediousConnectionConfiguration {
  const options = { ...config.options, connectTimeout: timeoutMs > 0 ? timeoutMs : config.options?.connectTimeout };
  if (endpoint.source.instanceName === undefined) {
    delete options.instanceName;
    options.port = endpoint.port;
  }
  return { ...config, server: endpoint.source.host, options };
}

/**
 * What the connection reports about `session`: `dataSource` names the server actually used (the `Data Source` as
 * written, or the partner after a failover), and `server.address` / `server.port` in diagnostics are that server's.
 */
export function describeSession(session: MssqlSession, builder: MssqlConnectionStringBuilder): SessionInfo {
  const endpoint = session.endpoint;
  const dataSource =
    endpoint?.partner === true
      ? formatDataSource(endpoint.source)
      : builder.port === undefined
        ? (builder.dataSource ?? '(local)')
        : formatDataSource(builder.parsedDataSource);
  return {
    serverVersion: session.serverVersion,
    database: session.database,
    dataSource,
    ...(endpoint === undefined ? {} : { serverAddress: endpoint.host }),
    ...(endpoint?.source.instanceName === undefined && endpoint !== undefined ? { serverPort: endpoint.port } : {}),
    ...(session.spid === undefined ? {} : { sessionId: session.spid }),
  };
}
