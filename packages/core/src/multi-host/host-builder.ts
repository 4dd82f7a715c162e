import type { DbConnectionStringBuilder } from '../connection-string/connection-string-builder.js';
import { formatEndpoint, type HostEndpoint } from './host-endpoint.js';

/** How a provider spells the connection string of one host of a host list, for {@link builderForHost}. */
export interface HostBuilderSpec<B extends DbConnectionStringBuilder> {
  /** The keyword holding the host list (`Host`, `Server`). */
  readonly hostKeyword: string;
  readonly portKeyword: string;
  /** Keywords that describe the list rather than one session (`Load Balance`, `Host Recheck Seconds`…): removed. */
  readonly listKeywords: readonly string[];
  /** The provider's builder of a connection string. */
  create(connectionString: string): B;
}

const CACHE_LIMIT = 256;
const caches = new WeakMap<HostBuilderSpec<DbConnectionStringBuilder>, Map<string, DbConnectionStringBuilder>>();

/**
 * The connection string of one host of a multi-host data source: the host keyword and port of that host, the
 * list-only keywords removed. Its pool key is therefore the host's own, so each host has one pool (shared with every
 * data source naming that host), and `Max Pool Size` applies per host. Cached per spec: an open must not re-parse the
 * connection string. Shared by the providers with host lists (pg's `Host`, mysql's `Server`).
 */
export function builderForHost<B extends DbConnectionStringBuilder>(
  builder: B,
  endpoint: HostEndpoint,
  spec: HostBuilderSpec<B>,
): B {
  let cache = caches.get(spec);
  if (cache === undefined) {
    cache = new Map();
    caches.set(spec, cache);
  }
  const key = `${builder.connectionString}\n${formatEndpoint(endpoint)}`;
  let perHost = cache.get(key) as B | undefined;
  if (perHost === undefined) {
    perHost = spec.create(builder.connectionString);
    perHost.set(spec.hostKeyword, endpoint.host);
    perHost.set(spec.portKeyword, endpoint.port);
    for (const keyword of spec.listKeywords) perHost.remove(keyword);
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
    cache.set(key, perHost);
  }
  return perHost;
}
