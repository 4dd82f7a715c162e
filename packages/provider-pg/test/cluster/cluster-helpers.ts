import type { DbConnection } from '@asyncdb/core';
import { startPostgresCluster, type PostgresCluster } from '@asyncdb/test-servers';
import { PgProviderFactory } from '../../src/index.js';

/**
 * Starts the primary + two standbys of a cluster test file and prints how long that took; the caller stops it in
 * afterAll. A fresh factory per file keeps its pools and host knowledge apart from the other tests.
 */
export async function startCluster(): Promise<{ cluster: PostgresCluster; factory: PgProviderFactory }> {
  const cluster = await startPostgresCluster();
  console.log(
    `[cluster] primary + ${cluster.standbys.length} standbys started in ${cluster.startupMs} ms (${cluster.hostList()})`,
  );
  return { cluster, factory: new PgProviderFactory() };
}

/** A connection string naming every node of the cluster, with extra keywords. */
export function clusterConnectionString(cluster: PostgresCluster, extra = ''): string {
  return `Host=${cluster.hostList()};Username=postgres;Database=test;${extra}`;
}

/** The backend port of an open connection, from the server itself. */
export async function serverPort(connection: DbConnection): Promise<number> {
  return Number(await connection.createCommand('SELECT inet_server_port()').executeScalar());
}

/** Counts per key. */
export function tally<K>(keys: Iterable<K>): Map<K, number> {
  const counts = new Map<K, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
}
