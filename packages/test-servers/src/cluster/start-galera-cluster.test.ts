import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGaleraCluster, type GaleraCluster } from './start-galera-cluster.js';

// One cluster for the file (about 10 s to start): forming, replication and a node's loss and return are checked on it.
describe('startGaleraCluster', () => {
  let cluster: GaleraCluster;

  beforeAll(async () => {
    cluster = await startGaleraCluster();
    console.log(`[galera] 3 nodes started in ${cluster.startupMs} ms (${cluster.hostList()})`);
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  it('forms one cluster of three synced nodes on distinct loopback ports', async () => {
    const ports = new Set(cluster.nodes.map((node) => node.port));
    expect(ports.size).toBe(3);
    for (const node of cluster.nodes) {
      expect(await cluster.status(node.name, 'wsrep_cluster_size')).toBe('3');
      expect(await cluster.status(node.name, 'wsrep_local_state_comment')).toBe('Synced');
      expect(await cluster.status(node.name, 'wsrep_cluster_status')).toBe('Primary');
    }
    expect(cluster.url).toBe(`mysql://root@127.0.0.1:${cluster.nodes[0]!.port}/test`);
  });

  it('replicates a write on any node to every node', async () => {
    await cluster.query('n1', 'CREATE TABLE replicated (id int PRIMARY KEY, node varchar(4) NOT NULL)');
    for (const [index, node] of cluster.nodes.entries()) {
      await cluster.query(node.name, 'INSERT INTO replicated VALUES (?, ?)', [index, node.name]);
    }
    for (const node of cluster.nodes) {
      // Galera is virtually synchronous: a commit is certified on every node before it returns, so a read on another
      // node sees it once wsrep_sync_wait asks for causality.
      await cluster.query(node.name, 'SET SESSION wsrep_sync_wait = 1');
      const rows = await cluster.query<{ node: string }>(node.name, 'SELECT node FROM replicated ORDER BY id');
      expect(rows.map((row) => row.node)).toEqual(['n1', 'n2', 'n3']);
    }
  });

  it('evicts a killed node, keeps accepting writes, and takes the node back on restart', async () => {
    await cluster.kill('n2');
    expect(cluster.nodes[1]!.running).toBe(false);
    await cluster.waitForClusterSize(2);
    await cluster.query('n1', 'INSERT INTO replicated VALUES (10, ?)', ['n1']);
    await cluster.restart('n2');
    await cluster.waitForClusterSize(3);
    // The restarted node caught up by state transfer: it has the write made while it was down.
    const rows = await cluster.query<{ id: number }>('n2', 'SELECT id FROM replicated WHERE id = 10');
    expect(rows).toEqual([{ id: 10 }]);
  });

  it('stops every node and removes its directories', async () => {
    const directories = cluster.nodes.map((node) => node.dataDirectory);
    await cluster.stop();
    expect(cluster.nodes.map((node) => node.running)).toEqual([false, false, false]);
    for (const directory of directories) expect(existsSync(directory)).toBe(false);
  });
});
