import { formatEndpoint, type HostEndpoint } from '@asyncdb/core';
import { PgConnectionStringBuilder } from './pg-connection-string-builder.js';

/** The keywords that describe the host list rather than one session: a per-host connection string drops them. */
const HOST_LIST_KEYWORDS = ['Target Session Attributes', 'Load Balance Hosts', 'Host Recheck Seconds'] as const;

const cache = new Map<string, PgConnectionStringBuilder>();
const CACHE_LIMIT = 256;

/**
 * The connection string of one host of a multi-host data source: `Host` and `Port` of that host, the host-list
 * keywords removed. Its pool key is therefore the host's own, so each host has one pool (shared with every data
 * source naming that host, whatever its `Target Session Attributes`), and `Max Pool Size` applies per host. Cached:
 * an open must not re-parse the connection string.
 */
export function builderForHost(builder: PgConnectionStringBuilder, endpoint: HostEndpoint): PgConnectionStringBuilder {
  const key = `${builder.connectionString}\n${formatEndpoint(endpoint)}`;
  let perHost = cache.get(key);
  if (perHost === undefined) {
    perHost = new PgConnectionStringBuilder(builder.connectionString);
    perHost.set('Host', endpoint.host);
    perHost.set('Port', endpoint.port);
    for (const keyword of HOST_LIST_KEYWORDS) perHost.remove(keyword);
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
    cache.set(key, perHost);
  }
  return perHost;
}

/**
 * Whether an open goes through the multi-host path: more than one host, a `Target Session Attributes` other than
 * `any` (a role must be checked even on one host), or a host written with its own port.
 */
export function usesHostList(
  builder: PgConnectionStringBuilder,
  endpoints: readonly HostEndpoint[],
  target: string,
): boolean {
  return (
    endpoints.length > 1 || target !== 'any' || (builder.host !== undefined && endpoints[0]?.port !== builder.port)
  );
}
