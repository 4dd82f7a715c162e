import { existsSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { findFreePort } from '../free-port.js';
import type { ServerHandle } from '../server-handle.js';
import { runAs } from './run-as.js';
import { ServerProcess } from './server-process.js';
import { giveTo, serverUser, type SystemUser } from './system-user.js';
import { waitFor } from './wait-for.js';

/** Where Debian's PostgreSQL 15 binaries live; `ASYNCDB_PG_BIN` overrides it. */
const DEFAULT_PG_BIN = '/usr/lib/postgresql/15/bin';
const HOST = '127.0.0.1';
const USER = 'postgres';
const DATABASE = 'test';

/** Options for {@link startPostgresCluster}. */
export interface PostgresClusterOptions {
  /** How many hot standbys to start besides the primary; default 2. */
  readonly standbys?: number;
  /**
   * Whether the first standby (`s1`) is a synchronous standby (`synchronous_standby_names = 's1'`), so a commit is
   * acknowledged only once s1 has it: default true, which is what makes "every acknowledged write survives a
   * promotion of s1" a property the failover tests can check.
   */
  readonly synchronousFirstStandby?: boolean;
  /** Directory of initdb, pg_basebackup, postgres; default `ASYNCDB_PG_BIN`, else Debian's `/usr/lib/postgresql/15/bin`. */
  readonly binDirectory?: string;
  readonly onLog?: (line: string) => void;
}

/** One server of the cluster. */
export interface PostgresNode {
  /** `primary`, `s1`, `s2`, … — the name it had at start (a promoted `s1` keeps its name). */
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly dataDirectory: string;
  /** Whether its process runs. */
  readonly running: boolean;
}

/** A primary with hot standbys, started by {@link startPostgresCluster}. */
export interface PostgresCluster extends ServerHandle {
  /** The primary's URL (user postgres, trust authentication, database `test`). */
  readonly url: string;
  readonly embedded: true;
  readonly primary: PostgresNode;
  readonly standbys: readonly PostgresNode[];
  /** Every node, primary first. */
  readonly nodes: readonly PostgresNode[];
  /** How long start-up took, in milliseconds (initdb, base backups, first replay). */
  readonly startupMs: number;
  /** `host:port` of every node, primary first, for a `Host=` list. */
  hostList(): string;
  /** Kills a node the way a crash would (`pg_ctl stop -m immediate`: SIGQUIT, no checkpoint) and waits for the exit. */
  kill(name: string): Promise<void>;
  /** Stops a node cleanly (fast shutdown). */
  stopNode(name: string): Promise<void>;
  /** Starts a stopped node again (a standby resumes streaming from the primary it was following). */
  startNode(name: string): Promise<void>;
  /** Promotes a standby (`pg_promote()`, waiting for it) and resolves when it accepts writes. */
  promote(name: string): Promise<void>;
  /** Resolves once `name` has replayed everything the primary had written when called. */
  waitForReplay(name: string, timeoutMs?: number): Promise<void>;
  /** Runs one SQL statement on a node (a fresh connection) and returns the rows. */
  query<R extends Record<string, unknown>>(name: string, sql: string, values?: unknown[]): Promise<R[]>;
}

interface NodeState {
  readonly name: string;
  readonly port: number;
  readonly dataDirectory: string;
  readonly process: ServerProcess;
}

/**
 * Starts a real PostgreSQL primary and `standbys` hot standbys on free loopback ports, from the Debian binaries
 * (`initdb`, `pg_basebackup -R`, streaming replication), in a fresh temporary directory. As root the servers run as
 * the system user `postgres`. Trust authentication on 127.0.0.1 only, no Unix sockets, no fsync (disposable).
 * Everything is stopped and deleted by `stop()`, and at process exit if `stop()` was never called.
 */
export async function startPostgresCluster(options: PostgresClusterOptions = {}): Promise<PostgresCluster> {
  const started = Date.now();
  const bin = options.binDirectory ?? process.env.ASYNCDB_PG_BIN ?? DEFAULT_PG_BIN;
  if (!existsSync(join(bin, 'initdb'))) {
    throw new Error(
      `The PostgreSQL cluster needs Debian's PostgreSQL binaries in ${bin} (apt-get install postgresql-15), ` +
        'or ASYNCDB_PG_BIN naming the directory of initdb, pg_basebackup and postgres.',
    );
  }
  const user = serverUser(USER);
  const root = await mkdtemp(join(tmpdir(), 'asyncdb-pg-cluster-'));
  giveTo(root, user);
  const nodes: NodeState[] = [];
  const onExit = (): void => {
    for (const node of nodes) node.process.killSync('SIGQUIT');
    // The servers remove their files while exiting; a retrying rm deletes what is left.
    rmSync(root, { recursive: true, force: true, maxRetries: 5 });
  };
  process.on('exit', onExit);
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      await Promise.all(nodes.map((node) => node.process.signal('SIGINT')));
      await rm(root, { recursive: true, force: true, maxRetries: 5 });
      process.removeListener('exit', onExit);
    })());

  try {
    const primaryDirectory = join(root, 'primary');
    await runAs(user, join(bin, 'initdb'), [
      '-D',
      primaryDirectory,
      '-U',
      USER,
      '--auth=trust',
      '--no-sync',
      '--encoding=UTF8',
      '--locale=C',
    ]);
    const primary = await startNode(nodes, { name: 'primary', dataDirectory: primaryDirectory, bin, user, options });
    await query(primary.port, 'postgres', `CREATE DATABASE ${DATABASE}`);
    const standbyCount = options.standbys ?? 2;
    for (let index = 1; index <= standbyCount; index++) {
      const name = `s${index}`;
      const dataDirectory = join(root, name);
      await runAs(user, join(bin, 'pg_basebackup'), [
        '-h',
        HOST,
        '-p',
        String(primary.port),
        '-U',
        USER,
        '-D',
        dataDirectory,
        '-R',
        '-X',
        'stream',
        '--no-sync',
        '-c',
        'fast',
      ]);
      await startNode(nodes, {
        name,
        dataDirectory,
        bin,
        user,
        options,
        primaryConnInfo: `host=${HOST} port=${primary.port} user=${USER} application_name=${name}`,
      });
    }
    if (standbyCount > 0 && (options.synchronousFirstStandby ?? true)) {
      await query(primary.port, 'postgres', `ALTER SYSTEM SET synchronous_standby_names = 's1'`);
      await query(primary.port, 'postgres', 'SELECT pg_reload_conf()');
      await waitFor(
        async () => {
          const rows = await query(
            primary.port,
            'postgres',
            `SELECT sync_state FROM pg_stat_replication WHERE application_name = 's1'`,
          );
          return rows[0]?.sync_state === 'sync';
        },
        30_000,
        's1 to become the synchronous standby',
      );
    }
    const cluster = makeCluster(nodes, stop, Date.now() - started);
    for (const node of cluster.standbys) await cluster.waitForReplay(node.name);
    return cluster;
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}

function makeCluster(nodes: readonly NodeState[], stop: () => Promise<void>, startupMs: number): PostgresCluster {
  const view = (node: NodeState): PostgresNode => ({
    name: node.name,
    host: HOST,
    port: node.port,
    dataDirectory: node.dataDirectory,
    get running() {
      return node.process.running;
    },
  });
  const find = (name: string): NodeState => {
    const node = nodes.find((candidate) => candidate.name === name);
    if (!node)
      throw new Error(`The cluster has no node named "${name}" (it has ${nodes.map((n) => n.name).join(', ')}).`);
    return node;
  };
  const [primaryState, ...standbyStates] = nodes as [NodeState, ...NodeState[]];
  return {
    url: `postgres://${USER}@${HOST}:${primaryState.port}/${DATABASE}`,
    embedded: true,
    primary: view(primaryState),
    standbys: standbyStates.map(view),
    nodes: nodes.map(view),
    startupMs,
    hostList: () => nodes.map((node) => `${HOST}:${node.port}`).join(','),
    kill: (name) => find(name).process.signal('SIGQUIT'),
    stopNode: (name) => find(name).process.signal('SIGINT'),
    startNode: (name) => find(name).process.start(),
    async promote(name) {
      const node = find(name);
      await query(node.port, 'postgres', 'SELECT pg_promote(true, 60)');
      await waitFor(
        async () => (await query(node.port, 'postgres', 'SELECT pg_is_in_recovery() AS r'))[0]?.r === false,
        60_000,
        `${name} to leave recovery`,
      );
    },
    async waitForReplay(name, timeoutMs = 30_000) {
      const node = find(name);
      const [{ lsn }] = (await query(
        primaryOf(nodes).port,
        'postgres',
        'SELECT pg_current_wal_lsn()::text AS lsn',
      )) as [{ lsn: string }];
      await waitFor(
        async () =>
          (await query(node.port, 'postgres', 'SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS done', [lsn]))[0]
            ?.done === true,
        timeoutMs,
        `${name} to replay up to ${lsn}`,
      );
    },
    query: async <R extends Record<string, unknown>>(name: string, sql: string, values?: unknown[]) =>
      (await query(find(name).port, DATABASE, sql, values)) as R[],
    stop,
  };
}

/** The node that is not in recovery: the first one at start, a promoted standby after a failover. */
function primaryOf(nodes: readonly NodeState[]): NodeState {
  return (
    nodes.find((node) => node.process.running && !existsSync(join(node.dataDirectory, 'standby.signal'))) ?? nodes[0]!
  );
}

interface StartNodeOptions {
  readonly name: string;
  readonly dataDirectory: string;
  readonly bin: string;
  readonly user: SystemUser | undefined;
  readonly options: PostgresClusterOptions;
  readonly primaryConnInfo?: string;
}

async function startNode(nodes: NodeState[], start: StartNodeOptions): Promise<NodeState> {
  const port = await findFreePort(HOST);
  const settings: Record<string, string> = {
    listen_addresses: HOST,
    port: String(port),
    unix_socket_directories: '',
    fsync: 'off',
    full_page_writes: 'off',
    wal_level: 'replica',
    max_wal_senders: '10',
    max_connections: '200',
    hot_standby: 'on',
    // Standbys report their progress often, so waitForReplay and promotion are quick.
    wal_receiver_status_interval: '1s',
    wal_retrieve_retry_interval: '500ms',
    ...(start.primaryConnInfo ? { primary_conninfo: start.primaryConnInfo } : {}),
  };
  const args = [
    '-D',
    start.dataDirectory,
    ...Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
  ];
  const node: NodeState = {
    name: start.name,
    port,
    dataDirectory: start.dataDirectory,
    process: new ServerProcess({
      name: `PostgreSQL ${start.name} (port ${port})`,
      command: join(start.bin, 'postgres'),
      args,
      user: start.user,
      ready: async () => {
        await query(port, 'postgres', 'SELECT 1');
        return true;
      },
      onLog: start.options.onLog,
    }),
  };
  nodes.push(node);
  await node.process.start();
  return node;
}

/** One statement on a fresh connection to `port`. */
async function query(
  port: number,
  database: string,
  sql: string,
  values?: unknown[],
): Promise<Array<Record<string, unknown>>> {
  const client = new pg.Client({ host: HOST, port, user: USER, database, connectionTimeoutMillis: 5_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.query(sql, values)).rows as Array<Record<string, unknown>>;
  } finally {
    await client.end().catch(() => {});
  }
}
