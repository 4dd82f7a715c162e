/** The four loopback ports of one Galera node. */
export interface GaleraPorts {
  /** Client SQL connections. */
  readonly sql: number;
  /** Group communication (`gmcast.listen_addr`, the cluster address). */
  readonly group: number;
  /** Incremental state transfer (`ist.recv_addr`). */
  readonly ist: number;
  /** State snapshot transfer (`wsrep_sst_receive_address`). */
  readonly sst: number;
}

/** What {@link galeraConfig} writes for one node. */
export interface GaleraNodeConfig {
  readonly name: string;
  readonly host: string;
  readonly ports: GaleraPorts;
  readonly dataDirectory: string;
  readonly socket: string;
  /** `gcomm://host:groupPort,…` of every node. */
  readonly clusterAddress: string;
  readonly provider: string;
  readonly sstMethod: 'rsync' | 'mariabackup';
  /** `user=` for mariadbd, when started as root. */
  readonly user: string | undefined;
}

/**
 * The my.cnf of one test node. Why the less usual settings:
 * - `evs.*` timeouts are short so a killed node is suspected after 2 s and evicted after 3 s; the defaults (5 s and
 *   15 s) would stall the survivors' commits for that long in a node-loss test.
 * - no fsync anywhere (`innodb_flush_log_at_trx_commit=0`, `sync_binlog=0`): the cluster is disposable, and Galera's
 *   durability comes from the other nodes, which is what the tests check.
 * - small buffer pool and gcache: three nodes share a CI machine.
 * - `wsrep_sst_auth` is not needed: rsync and mariabackup authenticate by the data directory / socket.
 */
export function galeraConfig(node: GaleraNodeConfig): string {
  const providerOptions = [
    `gmcast.listen_addr=tcp://${node.host}:${node.ports.group}`,
    `ist.recv_addr=${node.host}:${node.ports.ist}`,
    `base_port=${node.ports.group}`,
    'gcache.size=32M',
    'evs.keepalive_period=PT0.5S',
    'evs.suspect_timeout=PT2S',
    'evs.inactive_timeout=PT3S',
    'evs.inactive_check_period=PT0.5S',
    'evs.install_timeout=PT3S',
    'pc.wait_prim_timeout=PT10S',
  ].join(';');
  const settings: Array<[string, string]> = [
    ['datadir', node.dataDirectory],
    ['socket', node.socket],
    ['pid-file', `${node.dataDirectory}.pid`],
    ['port', String(node.ports.sql)],
    ['bind-address', node.host],
    ...(node.user ? ([['user', node.user]] as Array<[string, string]>) : []),
    ['binlog_format', 'ROW'],
    ['default_storage_engine', 'InnoDB'],
    ['innodb_autoinc_lock_mode', '2'],
    ['innodb_flush_log_at_trx_commit', '0'],
    ['innodb_buffer_pool_size', '32M'],
    ['innodb_log_file_size', '16M'],
    ['max_connections', '400'],
    ['wsrep_on', 'ON'],
    ['wsrep_provider', node.provider],
    ['wsrep_cluster_name', 'asyncdb-test'],
    ['wsrep_cluster_address', node.clusterAddress],
    ['wsrep_node_name', node.name],
    ['wsrep_node_address', `${node.host}:${node.ports.group}`],
    ['wsrep_node_incoming_address', `${node.host}:${node.ports.sql}`],
    ['wsrep_provider_options', `"${providerOptions}"`],
    ['wsrep_sst_method', node.sstMethod],
    ['wsrep_sst_receive_address', `${node.host}:${node.ports.sst}`],
    ['wsrep_slave_threads', '2'],
  ];
  return `[mysqld]\n${settings.map(([name, value]) => `${name}=${value}`).join('\n')}\n`;
}
