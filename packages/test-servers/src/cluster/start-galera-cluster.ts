import { existsSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from '../free-port.js';
import type { ServerHandle } from '../server-handle.js';
import { galeraConfig, type GaleraPorts } from './galera-config.js';
import { galeraQuery, galeraStatus } from './galera-query.js';
import { runAs } from './run-as.js';
import { ServerProcess } from './server-process.js';
import { giveTo, serverUser } from './system-user.js';
import { waitFor } from './wait-for.js';

/** Where Debian's `galera-4` installs the wsrep provider; `ASYNCDB_GALERA_PROVIDER` overrides it. */
const DEFAULT_GALERA_PROVIDER = '/usr/lib/galera/libgalera_smm.so';
const HOST = '127.0.0.1';
const DATABASE = 'test';

/** Options for {@link startGaleraCluster}. */
export interface GaleraClusterOptions {
  /** How many nodes; default 3 (the smallest cluster that keeps quorum when one node dies). */
  readonly nodes?: number;
  /** State snapshot transfer method for joiners: `rsync` (default) or `mariabackup`. */
  readonly sstMethod?: 'rsync' | 'mariabackup';
  /** Path of libgalera_smm.so; default `ASYNCDB_GALERA_PROVIDER`, else Debian's `/usr/lib/galera/libgalera_smm.so`. */
  readonly provider?: string;
  /** The MariaDB server binary; default `/usr/sbin/mariadbd`. */
  readonly mariadbd?: string;
  readonly onLog?: (line: string) => void;
}

/** One node of the Galera cluster. */
export interface GaleraNode {
  /** `n1`, `n2`, … (`n1` bootstrapped the cluster). */
  readonly name: string;
  readonly host: string;
  /** The SQL port. */
  readonly port: number;
  readonly dataDirectory: string;
  /** Whether its process runs. */
  readonly running: boolean;
}

/** A MariaDB Galera cluster started by {@link startGaleraCluster}. */
export interface GaleraCluster extends ServerHandle {
  /** `mysql://root@127.0.0.1:<n1 port>/test` (empty root password). */
  readonly url: string;
  readonly embedded: true;
  readonly nodes: readonly GaleraNode[];
  /** How long start-up took, in milliseconds (install, bootstrap, two state transfers). */
  readonly startupMs: number;
  /** `host:port` of every node, for a `Server=` list. */
  hostList(): string;
  /** Kills a node the way a crash would (SIGKILL) and waits for the exit; the others evict it after a few seconds. */
  kill(name: string): Promise<void>;
  /** Starts a killed or stopped node again; resolves when it has rejoined and is Synced. */
  restart(name: string): Promise<void>;
  /** Resolves once every running node reports `wsrep_cluster_size` equal to the number of running nodes. */
  waitForClusterSize(size: number, timeoutMs?: number): Promise<void>;
  /** A wsrep status variable of a node (`wsrep_cluster_size`, `wsrep_local_state_comment`, …). */
  status(name: string, variable: string): Promise<string | undefined>;
  /** Runs one SQL statement on a node (a fresh connection, database `test`) and returns the rows. */
  query<R extends Record<string, unknown>>(name: string, sql: string, values?: unknown[]): Promise<R[]>;
}

interface NodeState {
  readonly name: string;
  readonly ports: GaleraPorts;
  readonly dataDirectory: string;
  readonly configFile: string;
  process: ServerProcess;
}

/**
 * Starts a real MariaDB Galera cluster (Debian's `galera-4`) of `nodes` nodes on free loopback ports, in a fresh
 * temporary directory: `mariadb-install-db` for n1, n1 bootstrapped with `--wsrep-new-cluster`, the others joining by
 * state snapshot transfer (rsync by default). As root the servers run as the system user `mysql`. Root has an empty
 * password, on 127.0.0.1 only; no fsync (disposable). Short failure-detection timeouts make a killed node leave the
 * cluster in about 3 s. Everything is stopped and deleted by `stop()`, and at process exit if `stop()` was never
 * called.
 */
export async function startGaleraCluster(options: GaleraClusterOptions = {}): Promise<GaleraCluster> {
  const started = Date.now();
  const provider = options.provider ?? process.env.ASYNCDB_GALERA_PROVIDER ?? DEFAULT_GALERA_PROVIDER;
  const mariadbd = options.mariadbd ?? '/usr/sbin/mariadbd';
  for (const [path, install] of [
    [provider, 'galera-4'],
    [mariadbd, 'mariadb-server'],
  ] as const) {
    if (!existsSync(path)) {
      throw new Error(
        `The Galera cluster needs ${path} (apt-get install ${install}, or ASYNCDB_GALERA_PROVIDER naming libgalera_smm.so).`,
      );
    }
  }
  const user = serverUser('mysql');
  const root = await mkdtemp(join(tmpdir(), 'asyncdb-galera-'));
  giveTo(root, user);
  const count = options.nodes ?? 3;
  const nodes: NodeState[] = [];
  const onExit = (): void => {
    for (const node of nodes) node.process.killSync('SIGKILL');
    rmSync(root, { recursive: true, force: true, maxRetries: 5 });
  };
  process.on('exit', onExit);
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      // All at once: a node stopped alone would leave the others waiting for it to be evicted.
      await Promise.all(nodes.map((node) => node.process.signal('SIGTERM', 15_000)));
      await rm(root, { recursive: true, force: true, maxRetries: 5 });
      process.removeListener('exit', onExit);
    })());

  try {
    for (let index = 1; index <= count; index++) {
      const ports: GaleraPorts = {
        sql: await findFreePort(HOST),
        group: await findFreePort(HOST),
        ist: await findFreePort(HOST),
        sst: await findFreePort(HOST),
      };
      const directory = join(root, `n${index}`);
      await mkdir(directory);
      giveTo(directory, user);
      nodes.push({
        name: `n${index}`,
        ports,
        dataDirectory: join(directory, 'data'),
        configFile: join(directory, 'my.cnf'),
        process: undefined as unknown as ServerProcess,
      });
    }
    const clusterAddress = `gcomm://${nodes.map((node) => `${HOST}:${node.ports.group}`).join(',')}`;
    for (const node of nodes) {
      const config = galeraConfig({
        name: node.name,
        host: HOST,
        ports: node.ports,
        dataDirectory: node.dataDirectory,
        socket: join(node.dataDirectory, '..', 'mysqld.sock'),
        clusterAddress,
        provider,
        sstMethod: options.sstMethod ?? 'rsync',
        user: user ? 'mysql' : undefined,
      });
      await writeFile(node.configFile, config);
      giveTo(node.configFile, user);
    }
    const [first] = nodes as [NodeState];
    await runAs(user, '/usr/bin/mariadb-install-db', [
      `--defaults-file=${first.configFile}`,
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
    ]);
    for (const node of nodes.slice(1)) {
      await mkdir(node.dataDirectory);
      giveTo(node.dataDirectory, user);
    }
    first.process = nodeProcess(first, mariadbd, options.onLog, ['--wsrep-new-cluster']);
    await first.process.start();
    // install-db's root is root@localhost, which 127.0.0.1 reaches by name resolution; an explicit root@127.0.0.1
    // keeps the cluster usable should a test turn skip_name_resolve on.
    await galeraQuery(first.ports.sql, undefined, "CREATE USER IF NOT EXISTS 'root'@'127.0.0.1'");
    await galeraQuery(
      first.ports.sql,
      undefined,
      "GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION",
    );
    await galeraQuery(first.ports.sql, undefined, `CREATE DATABASE IF NOT EXISTS ${DATABASE}`);
    // Joiners one at a time: n1 is the donor of each state transfer, and a donor serves one at a time.
    for (const node of nodes.slice(1)) {
      node.process = nodeProcess(node, mariadbd, options.onLog, []);
      await node.process.start();
    }
    const cluster = makeCluster(nodes, mariadbd, options.onLog, stop, Date.now() - started);
    await cluster.waitForClusterSize(count);
    return Object.assign(cluster, { startupMs: Date.now() - started });
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}

/** The process of one node; `extra` is `--wsrep-new-cluster` for the bootstrap only (never on a restart). */
function nodeProcess(
  node: NodeState,
  mariadbd: string,
  onLog: ((line: string) => void) | undefined,
  extra: readonly string[],
): ServerProcess {
  return new ServerProcess({
    name: `MariaDB Galera ${node.name} (port ${node.ports.sql})`,
    command: mariadbd,
    // --defaults-file must come first.
    args: [`--defaults-file=${node.configFile}`, ...extra],
    user: serverUser('mysql'),
    startTimeoutMs: 120_000,
    ready: async () => (await galeraStatus(node.ports.sql, 'wsrep_local_state_comment')) === 'Synced',
    onLog,
  });
}

function makeCluster(
  nodes: NodeState[],
  mariadbd: string,
  onLog: ((line: string) => void) | undefined,
  stop: () => Promise<void>,
  startupMs: number,
): GaleraCluster {
  const find = (name: string): NodeState => {
    const node = nodes.find((candidate) => candidate.name === name);
    if (!node)
      throw new Error(`The cluster has no node named "${name}" (it has ${nodes.map((n) => n.name).join(', ')}).`);
    return node;
  };
  const view = (node: NodeState): GaleraNode => ({
    name: node.name,
    host: HOST,
    port: node.ports.sql,
    dataDirectory: node.dataDirectory,
    get running() {
      return node.process.running;
    },
  });
  const [first] = nodes as [NodeState];
  const cluster: GaleraCluster = {
    url: `mysql://root@${HOST}:${first.ports.sql}/${DATABASE}`,
    embedded: true,
    nodes: nodes.map(view),
    startupMs,
    hostList: () => nodes.map((node) => `${HOST}:${node.ports.sql}`).join(','),
    kill: (name) => find(name).process.signal('SIGKILL'),
    async restart(name) {
      const node = find(name);
      if (node.process.running) return;
      // A fresh process object: the old one's log tail still explains the crash to whoever holds it.
      node.process = nodeProcess(node, mariadbd, onLog, []);
      await node.process.start();
    },
    async waitForClusterSize(size, timeoutMs = 60_000) {
      await waitFor(
        async () => {
          const running = nodes.filter((node) => node.process.running);
          const sizes = await Promise.all(running.map((node) => galeraStatus(node.ports.sql, 'wsrep_cluster_size')));
          return sizes.every((value) => Number(value) === size);
        },
        timeoutMs,
        `every running node to report wsrep_cluster_size = ${size}`,
      );
    },
    status: (name, variable) => galeraStatus(find(name).ports.sql, variable),
    query: async <R extends Record<string, unknown>>(name: string, sql: string, values?: unknown[]) =>
      (await galeraQuery(find(name).ports.sql, DATABASE, sql, values)) as R[],
    stop,
  };
  return cluster;
}
