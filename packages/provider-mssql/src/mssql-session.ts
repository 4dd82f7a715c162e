import { toDbError } from './mssql-error-converter.js';
import type { MssqlEndpoint } from './mssql-failover.js';
import { enableExactDecimals } from './mssql-exact-decimal-reader.js';
import {
  createTediousConnection,
  createTediousRequest,
  type TediousConnection,
  type TediousConnectionConfiguration,
  type TediousMessageToken,
} from './mssql-tedious.js';

/** Who currently holds a session: the open `MssqlConnection` it belongs to. */
export interface MssqlSessionListener {
  /** An INFO token (PRINT, RAISERROR with severity ≤ 10, warnings). */
  onInfoMessage(token: TediousMessageToken): void;
  /** The physical connection died while held (socket closed, fatal error, unacknowledged ATTENTION). */
  onLost(error: Error): void;
}

/** How long a RESETCONNECTION round trip may take before the session is destroyed instead of pooled. */
const RESET_TIMEOUT_MS = 10_000;

/**
 * One physical TDS session: a connected tedious `Connection` plus what SqlClient knows about it (server version,
 * SPID, current database). A pool hands it to one `MssqlConnection` at a time, which attaches as its listener for
 * messages and loss. An idle session that dies tells its pool through {@link MssqlSession.onDeath}, so it is evicted
 * instead of handed out (and nothing throws in the background).
 */
export class MssqlSession {
  /** The tedious connection. */
  readonly connection: TediousConnection;
  /** When the session was opened (ms since epoch), for `Load Balance Timeout`. */
  readonly createdAt = Date.now();
  #serverVersion = '';
  #spid: number | undefined;
  #database = '';
  #listener: MssqlSessionListener | undefined;
  #endpoint: MssqlEndpoint | undefined;
  #dead = false;
  #closing = false;
  readonly #deathCallbacks: Array<(session: MssqlSession) => void> = [];

  private constructor(connection: TediousConnection) {
    this.connection = connection;
    connection.on('infoMessage', (token) => this.#listener?.onInfoMessage(token));
    connection.on('databaseChange', (database) => {
      this.#database = database;
    });
    connection.on('error', (error) => this.#die(error));
    // The server closed the socket without an ERROR token (shutdown, failover, KILL): a socket-level loss, which
    // tedious reports as ESOCKET (→ SQLSTATE 08S01) when a request is running and not at all when none is.
    connection.on('end', () => this.#die(socketClosedError()));
  }

  /**
   * Connects and logs in, then reads the server version and SPID. `signal` aborts the attempt (the socket is closed).
   * Login and network failures are converted to {@link DbError}s (18456 → permission_denied, socket → connection_failure).
   */
  static async open(config: TediousConnectionConfiguration, signal: AbortSignal): Promise<MssqlSession> {
    signal.throwIfAborted();
    const connection = createTediousConnection(config);
    enableExactDecimals(connection.config.options);
    let database = config.options?.database ?? '';
    let loginError: TediousMessageToken | undefined;
    const onDatabase = (name: string): void => {
      database = name;
    };
    const onLoginError = (token: TediousMessageToken): void => {
      loginError ??= token;
    };
    connection.on('databaseChange', onDatabase);
    connection.on('errorMessage', onLoginError);
    // tedious emits 'error' for socket failures; without a listener that would crash the process. The connect callback
    // reports failures during the login, and the session's own listener takes over once it is open.
    connection.on('error', () => {});
    try {
      await new Promise<void>((resolve, reject) => {
        const onAbort = (): void => {
          connection.close();
          reject(signal.reason);
        };
        signal.addEventListener('abort', onAbort, { once: true });
        connection.connect((error) => {
          signal.removeEventListener('abort', onAbort);
          if (error)
            reject(
              toDbError(
                loginError
                  ? { ...loginError, code: (error as { code?: string }).code ?? 'ELOGIN', cause: error }
                  : error,
              ),
            );
          else resolve();
        });
      });
    } catch (error) {
      connection.close();
      throw error;
    } finally {
      connection.off('databaseChange', onDatabase);
      connection.off('errorMessage', onLoginError);
    }
    const session = new MssqlSession(connection);
    session.#database = database;
    try {
      await session.#readServerInfo(signal);
    } catch (error) {
      await session.close();
      throw error;
    }
    return session;
  }

  /** The server this session is on (the `Data Source`, or its `Failover Partner`), once the opener set it. */
  get endpoint(): MssqlEndpoint | undefined {
    return this.#endpoint;
  }

  /** Records the server this session was opened on; returns the session. */
  openedOn(endpoint: MssqlEndpoint): this {
    this.#endpoint = endpoint;
    return this;
  }

  /** The server version in SqlClient's form (`16.00.1000`), from `@@VERSION`. */
  get serverVersion(): string {
    return this.#serverVersion;
  }

  /** The session's SPID (`@@SPID`). */
  get spid(): number | undefined {
    return this.#spid;
  }

  /** The current database, kept up to date from ENVCHANGE tokens (login, `USE`). */
  get database(): string {
    return this.#database;
  }

  /** False once the connection ended or failed. */
  get isAlive(): boolean {
    return !this.#dead && !this.connection.closed;
  }

  /** Makes `listener` the holder of this session. */
  attach(listener: MssqlSessionListener): void {
    this.#listener = listener;
  }

  /** Detaches the holder (the session goes back to a pool or is closed). */
  detach(): void {
    this.#listener = undefined;
  }

  /** Registers a callback for the session's death (used by the pool to evict idle sessions). */
  onDeath(callback: (session: MssqlSession) => void): void {
    this.#deathCallbacks.push(callback);
  }

  /**
   * Resets the session for its next user: tedious sends its initial SQL with the RESETCONNECTION flag, which makes
   * the server run `sp_reset_connection` first (temp tables, SET options, isolation level and open transactions of
   * the previous user are gone) and re-applies tedious' session options.
   */
  reset(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('Resetting the connection timed out.')), RESET_TIMEOUT_MS);
      this.connection.reset((error) => {
        clearTimeout(timer);
        if (error) reject(toDbError(error));
        else resolve();
      });
    });
  }

  /** Closes the physical connection; resolves once it ended. */
  close(): Promise<void> {
    this.#closing = true;
    this.#listener = undefined;
    if (this.connection.closed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.connection.on('end', () => resolve());
      this.connection.close();
    });
  }

  #die(error: Error): void {
    if (this.#dead) return;
    this.#dead = true;
    const listener = this.#listener;
    if (!this.#closing) listener?.onLost(error);
    for (const callback of this.#deathCallbacks) callback(this);
  }

  /** `SELECT @@VERSION, @@SPID` once per physical connection (LOGINACK's version is not exposed by tedious). */
  async #readServerInfo(signal: AbortSignal): Promise<void> {
    const row = await new Promise<readonly unknown[] | undefined>((resolve, reject) => {
      let values: unknown[] | undefined;
      const request = createTediousRequest('SELECT @@VERSION, @@SPID', (error) => {
        signal.removeEventListener('abort', onAbort);
        if (error) reject(toDbError(error));
        else resolve(values);
      });
      const onAbort = (): void => {
        this.connection.cancel();
      };
      signal.addEventListener('abort', onAbort, { once: true });
      request.on('row', (columns) => {
        values = columns.map((column) => column.value);
      });
      this.connection.execSqlBatch(request);
    });
    this.#serverVersion = formatServerVersion(String(row?.[0] ?? ''));
    const spid = Number(row?.[1]);
    this.#spid = Number.isInteger(spid) ? spid : undefined;
  }
}

/**
 * SqlClient's `ServerVersion` form, `MM.mm.bbbb`, from the first `major.minor.build` in `@@VERSION`
 * ("Microsoft SQL Server 2022 (RTM) - 16.0.1000.6 (X64) …" → "16.00.1000"); the text itself if it has none.
 */
export function formatServerVersion(version: string): string {
  const match = /(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!match) return version.trim();
  const [, major = '', minor = '', build = ''] = match;
  return `${major.padStart(2, '0')}.${minor.padStart(2, '0')}.${build.padStart(4, '0')}`;
}

/** The error of a socket the server closed without saying why: tedious' ESOCKET, as its own socket errors carry. */
function socketClosedError(): Error {
  return Object.assign(new Error('Connection lost - the server closed the connection.'), { code: 'ESOCKET' });
}
