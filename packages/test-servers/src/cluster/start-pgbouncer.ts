import { existsSync, rmSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { findFreePort } from '../free-port.js';
import type { ServerHandle } from '../server-handle.js';
import { ServerProcess } from './server-process.js';
import { giveTo, serverUser } from './system-user.js';

/** Where Debian's pgbouncer lives; `ASYNCDB_PGBOUNCER` overrides it. */
const DEFAULT_PGBOUNCER = '/usr/sbin/pgbouncer';
const HOST = '127.0.0.1';

/** Options for {@link startPgbouncer}. */
export interface PgbouncerOptions {
  /** The PostgreSQL to pool, as a `postgres://user@host:port/database` URL (trust or the user's password). */
  readonly upstreamUrl: string;
  /** `pool_mode`; default `transaction`, the mode that forbids relying on session state. */
  readonly poolMode?: 'session' | 'transaction' | 'statement';
  /** Server connections per database/user pair; default 20 — fewer than the clients, so sessions really are shared. */
  readonly poolSize?: number;
  /** The pgbouncer binary; default `ASYNCDB_PGBOUNCER`, else Debian's `/usr/sbin/pgbouncer`. */
  readonly binary?: string;
  readonly onLog?: (line: string) => void;
}

/** A running pgbouncer started by {@link startPgbouncer}. */
export interface Pgbouncer extends ServerHandle {
  /** The upstream URL with pgbouncer's host and port instead (same user and database). */
  readonly url: string;
  readonly embedded: true;
  readonly host: string;
  readonly port: number;
  readonly poolMode: 'session' | 'transaction' | 'statement';
}

/**
 * Starts Debian's pgbouncer (1.18 here) on a free loopback port in front of `upstreamUrl`, in a temporary directory,
 * with trust authentication for the upstream URL's user (the password, if any, goes into the auth file and on to the
 * server). As root it runs as the system user `postgres` (pgbouncer refuses root). `server_reset_query` is empty,
 * as pgbouncer recommends for transaction pooling: clients must not leave session state behind. Stopped and its
 * directory deleted by `stop()`, and at process exit.
 */
export async function startPgbouncer(options: PgbouncerOptions): Promise<Pgbouncer> {
  const binary = options.binary ?? process.env.ASYNCDB_PGBOUNCER ?? DEFAULT_PGBOUNCER;
  if (!existsSync(binary)) {
    throw new Error(`pgbouncer is not installed at ${binary} (apt-get install pgbouncer, or set ASYNCDB_PGBOUNCER).`);
  }
  const upstream = new URL(options.upstreamUrl);
  const user = decodeURIComponent(upstream.username || 'postgres');
  const password = decodeURIComponent(upstream.password);
  const poolMode = options.poolMode ?? 'transaction';
  const systemUser = serverUser('postgres');
  const root = await mkdtemp(join(tmpdir(), 'asyncdb-pgbouncer-'));
  giveTo(root, systemUser);
  const port = await findFreePort(HOST);
  const authFile = join(root, 'userlist.txt');
  const quoted = (value: string): string => `"${value.replace(/"/g, '""')}"`;
  await writeFile(authFile, `${quoted(user)} ${quoted(password)}\n`, { mode: 0o600 });
  giveTo(authFile, systemUser);
  const config = join(root, 'pgbouncer.ini');
  const upstreamPassword = password === '' ? '' : ` password=${password}`;
  await writeFile(
    config,
    [
      '[databases]',
      `* = host=${upstream.hostname.replace(/^\[|\]$/g, '')} port=${upstream.port || '5432'}${upstreamPassword}`,
      '[pgbouncer]',
      `listen_addr = ${HOST}`,
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = trust',
      `auth_file = ${authFile}`,
      `pool_mode = ${poolMode}`,
      'max_client_conn = 2000',
      `default_pool_size = ${options.poolSize ?? 20}`,
      'server_reset_query =',
      // node-postgres sends none of these, but other drivers the tests might use do.
      'ignore_startup_parameters = extra_float_digits',
      `admin_users = ${user}`,
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  giveTo(config, systemUser);
  const url = new URL(options.upstreamUrl);
  url.hostname = HOST;
  url.port = String(port);
  const process_ = new ServerProcess({
    name: `pgbouncer (port ${port})`,
    command: binary,
    args: [config],
    user: systemUser,
    startTimeoutMs: 20_000,
    ready: async () => {
      const client = new pg.Client({ connectionString: url.toString(), connectionTimeoutMillis: 2_000 });
      client.on('error', () => {});
      try {
        await client.connect();
        await client.query('SELECT 1');
        return true;
      } finally {
        await client.end().catch(() => {});
      }
    },
    onLog: options.onLog,
  });
  const onExit = (): void => {
    process_.killSync('SIGKILL');
    rmSync(root, { recursive: true, force: true });
  };
  process.on('exit', onExit);
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      // SIGINT is pgbouncer's "safe shutdown"; SIGTERM closes clients at once, which is what a test's end wants.
      await process_.signal('SIGTERM', 10_000);
      await rm(root, { recursive: true, force: true });
      process.removeListener('exit', onExit);
    })());
  try {
    await process_.start();
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: url.toString(), embedded: true, host: HOST, port, poolMode, stop };
}
