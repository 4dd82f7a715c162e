import {
  builderForHost,
  openOnHosts,
  takePooledSession,
  type HostBuilderSpec,
  type HostEndpoint,
  type HostSet,
} from '@asyncdb/core';
import { MysqlConnectionStringBuilder } from './mysql-connection-string-builder.js';
import type { MysqlSettings } from './mysql-driver-options.js';
import { toDbError } from './mysql-error-converter.js';
import type { MysqlLease } from './mysql-pool-registry.js';
import type { MysqlPooledSession } from './mysql-pooled-session.js';
import type { MysqlProviderFactory } from './mysql-provider-factory.js';

const MYSQL_HOST_SPEC: HostBuilderSpec<MysqlConnectionStringBuilder> = {
  hostKeyword: 'Server',
  portKeyword: 'Port',
  // The keywords that describe the list rather than one session: a per-host connection string drops them.
  listKeywords: ['Load Balance', 'Host Recheck Seconds'],
  create: (connectionString) => new MysqlConnectionStringBuilder(connectionString),
};

/**
 * The connection string of one host of a `Server` list (core's `builderForHost`): `Server` and `Port` of that host,
 * `Load Balance` and `Host Recheck Seconds` removed — so each host has the pool its own connection string would have,
 * and `Max Pool Size` applies per host.
 */
export function mysqlBuilderForHost(
  builder: MysqlConnectionStringBuilder,
  endpoint: HostEndpoint,
): MysqlConnectionStringBuilder {
  return builderForHost(builder, endpoint, MYSQL_HOST_SPEC);
}

/** What a multi-host open found: the session (as a lease the connection ends with), where, and its settings. */
export interface MysqlHostLease {
  readonly lease: MysqlLease;
  /** The pooled session, when it came from its host's pool (the connection attaches to it). */
  readonly pooled: MysqlPooledSession | undefined;
  readonly settings: MysqlSettings;
  readonly hosts: HostSet;
  readonly endpoint: HostEndpoint;
}

/**
 * Opens a session on a `Server` list with core's `openOnHosts`: the hosts in `Load Balance` order, a host that failed
 * skipped for `Host Recheck Seconds` (all tried again when none is left), the whole list within `Connect Timeout`
 * (`signal`), one `AllHostsFailedError` naming each host's failure otherwise. Pooled: the session comes from that
 * host's pool. MySQL has no roles, so the target is always `any`.
 */
export async function openOnMysqlHosts(
  factory: MysqlProviderFactory,
  builder: MysqlConnectionStringBuilder,
  endpoints: readonly HostEndpoint[],
  signal: AbortSignal,
): Promise<MysqlHostLease> {
  const hosts = factory.hostSets.get(endpoints, builder.hostRecheckSeconds * 1000);
  const pooling = builder.getBoolean('Pooling') ?? true;
  const found = await openOnHosts<HostEndpoint, Omit<MysqlHostLease, 'hosts' | 'endpoint'>>({
    hosts,
    target: 'any',
    order: builder.loadBalance,
    providerName: 'mysql',
    signal,
    connect: async (endpoint) => {
      const hostBuilder = mysqlBuilderForHost(builder, endpoint);
      const { settings, poolKey } = factory.settingsCache.planFor(hostBuilder.connectionString, hostBuilder);
      try {
        if (!pooling) return { lease: await factory.pools.openUnpooled(settings, signal), pooled: undefined, settings };
        const pool = factory.pools.poolOf(poolKey, settings, hostBuilder);
        const pooled = await takePooledSession(pool, signal, 'mysql');
        const lease: MysqlLease = {
          session: pooled.session,
          release: async (broken) => {
            pooled.attach(undefined);
            await pool.release(pooled, broken);
          },
        };
        return { lease, pooled, settings };
      } catch (error) {
        throw toDbError(error, settings.secrets);
      }
    },
    roleOf: () => Promise.reject(new Error('MySQL sessions have no role to check.')),
    release: (candidate, broken) => candidate.lease.release(broken),
  });
  hosts.opened(found.endpoint);
  return { ...found.session, hosts, endpoint: found.endpoint };
}
