import { builderForHost, type HostBuilderSpec, type HostEndpoint } from '@asyncdb/core';
import { PgConnectionStringBuilder } from './pg-connection-string-builder.js';

const PG_HOST_SPEC: HostBuilderSpec<PgConnectionStringBuilder> = {
  hostKeyword: 'Host',
  portKeyword: 'Port',
  // The keywords that describe the host list rather than one session: a per-host connection string drops them.
  listKeywords: ['Target Session Attributes', 'Load Balance Hosts', 'Host Recheck Seconds'],
  create: (connectionString) => new PgConnectionStringBuilder(connectionString),
};

/**
 * The connection string of one host of a multi-host data source (core's `builderForHost`): `Host` and `Port` of that
 * host, the host-list keywords removed, so each host has one pool and `Max Pool Size` applies per host.
 */
export function pgBuilderForHost(
  builder: PgConnectionStringBuilder,
  endpoint: HostEndpoint,
): PgConnectionStringBuilder {
  return builderForHost(builder, endpoint, PG_HOST_SPEC);
}

/**
 * Whether an open goes through the multi-host path: more than one host, a `Target Session Attributes` other than
 * `any` (a role must be checked even on one host), or a host written with its own port (even one equal to `Port`:
 * `Host=h:5432` must not reach the driver as the host name "h:5432").
 */
export function usesHostList(
  builder: PgConnectionStringBuilder,
  endpoints: readonly HostEndpoint[],
  target: string,
): boolean {
  return (
    endpoints.length > 1 ||
    target !== 'any' ||
    (builder.host !== undefined && (endpoints[0]?.port !== builder.port || endpoints[0]?.host !== builder.host.trim()))
  );
}
