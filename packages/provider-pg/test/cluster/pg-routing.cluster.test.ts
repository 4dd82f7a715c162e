import { AllHostsFailedError } from '@asyncdb/core';
import type { PostgresCluster } from '@asyncdb/test-servers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PgProviderFactory } from '../../src/index.js';
import { clusterConnectionString, serverPort, startCluster, tally } from './cluster-helpers.js';

let cluster: PostgresCluster;
let factory: PgProviderFactory;

beforeAll(async () => {
  ({ cluster, factory } = await startCluster());
});

afterAll(async () => {
  await factory?.clearAllPools();
  await cluster?.stop();
});

/** Opens `count` connections one after another with `connectionString` and returns the backend port of each. */
async function portsOf(
  connectionString: string,
  count: number,
  options?: Parameters<PgProviderFactory['createConnection']>[1],
) {
  const ports: number[] = [];
  for (let i = 0; i < count; i++) {
    await using connection = factory.createConnection(connectionString, options);
    await connection.open();
    const port = await serverPort(connection);
    expect(connection.dataSource).toBe(`127.0.0.1:${port}`);
    ports.push(port);
  }
  return ports;
}

describe('PostgreSQL primary + 2 standbys: routing', () => {
  it('spreads 1 000 prefer-standby reads over both standbys with Load Balance Hosts, none on the primary', async () => {
    const cs = clusterConnectionString(cluster, 'Target Session Attributes=prefer-standby;Load Balance Hosts=true');
    const counts = tally(await portsOf(cs, 1_000));
    const [s1, s2] = cluster.standbys;
    console.log(
      `[read spreading] 1000 reads: primary ${counts.get(cluster.primary.port) ?? 0}, s1 ${counts.get(s1!.port) ?? 0}, s2 ${counts.get(s2!.port) ?? 0}`,
    );
    expect(counts.get(cluster.primary.port) ?? 0).toBe(0);
    expect(counts.get(s1!.port) ?? 0).toBeGreaterThan(300);
    expect(counts.get(s2!.port) ?? 0).toBeGreaterThan(300);
  });

  it('never returns a standby for primary, nor the primary for standby (checked by the server itself)', async () => {
    const cs = clusterConnectionString(cluster, 'Load Balance Hosts=true');
    for (const [target, wantStandby] of [
      ['primary', false],
      ['standby', true],
      ['read-write', false],
      ['read-only', true],
    ] as const) {
      for (let i = 0; i < 60; i++) {
        await using connection = factory.createConnection(cs, { targetSessionAttributes: target });
        await connection.open();
        expect(await connection.createCommand('SELECT pg_is_in_recovery()').executeScalar()).toBe(wantStandby);
      }
    }
  });

  it('routes one connection string: writes on the primary, reads on the standbys (createConnection options)', async () => {
    const cs = clusterConnectionString(cluster);
    {
      await using writer = factory.createConnection(cs, { targetSessionAttributes: 'primary' });
      await writer.open();
      await writer.createCommand('CREATE TABLE IF NOT EXISTS routed (id int)').executeNonQuery();
      await writer.createCommand('INSERT INTO routed VALUES (1)').executeNonQuery();
      expect(await serverPort(writer)).toBe(cluster.primary.port);
    }
    for (const standby of cluster.standbys) await cluster.waitForReplay(standby.name);
    await using reader = factory.createConnection(cs, { targetSessionAttributes: 'standby' });
    await reader.open();
    expect(cluster.standbys.map((node) => node.port)).toContain(await serverPort(reader));
    expect(await reader.createCommand('SELECT count(*)::int FROM routed').executeScalar()).toBe(1);
  });

  it('rejects a role no host has with one DbError naming every host', async () => {
    const cs = `Host=${cluster.primary.host}:${cluster.primary.port};Username=postgres;Database=test;Target Session Attributes=standby`;
    const error = await portsOf(cs, 1).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AllHostsFailedError);
    expect((error as AllHostsFailedError).category).toBe('connection_failure');
    expect((error as AllHostsFailedError).message).toContain(
      `127.0.0.1:${cluster.primary.port}: the server is a primary`,
    );
  });

  it('with both standbys down, prefer-standby reads land on the primary; a dead host in the list is skipped', async () => {
    const cs = clusterConnectionString(cluster, 'Target Session Attributes=prefer-standby;Load Balance Hosts=true');
    // The synchronous standby must not be down while anything commits: nothing writes in this test.
    await cluster.stopNode('s1');
    await cluster.stopNode('s2');
    try {
      const counts = tally(await portsOf(cs, 100));
      console.log(`[read spreading] both standbys down: 100 reads, primary ${counts.get(cluster.primary.port) ?? 0}`);
      expect(counts.get(cluster.primary.port)).toBe(100);
    } finally {
      await cluster.startNode('s1');
      await cluster.startNode('s2');
    }
  });

  it('a standby promoted mid-test changes role within Host Recheck Seconds', async () => {
    const cs = clusterConnectionString(cluster, 'Host Recheck Seconds=1;Load Balance Hosts=true');
    const s2 = cluster.standbys[1]!;
    expect(await portsOf(cs, 20, { targetSessionAttributes: 'standby' })).toContain(s2.port);
    await cluster.promote('s2');
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const ports = await portsOf(cs, 40, { targetSessionAttributes: 'standby' });
    expect(ports).not.toContain(s2.port);
    expect(await portsOf(cs, 40, { targetSessionAttributes: 'primary' })).toContain(s2.port);
  });
});
