import { TdsEngineError, type LoginInfo, type TdsEngine, type TdsSession } from './engine-types.js';
import { databaseOf } from './pg/pg-connect.js';
import { PgSession, type SessionEngine } from './pg-session.js';
import { ProcedureStore } from './session/procedure-store.js';
import { TableCatalog } from './session/table-catalog.js';

/** Options of {@link createPgEngine}. */
export interface PgEngineOptions {
  /** The PostgreSQL server and default database, e.g. `postgres://postgres@127.0.0.1:5432/test`. */
  readonly pgUrl: string;
  /** The one password every login must present. */
  readonly password: string;
  /** The login names accepted (case-insensitive). Defaults to any name. */
  readonly users?: readonly string[];
  /** What `@@VERSION` (and LOGINACK) report. Defaults to a SQL Server 2022 version string naming this server. */
  readonly serverVersion?: string;
  /** What `@@SERVERNAME` reports. Defaults to `tds-test-server`. */
  readonly serverName?: string;
  /** Rows fetched from PostgreSQL per round trip while streaming a result. Defaults to 256. */
  readonly fetchSize?: number;
}

/** The `@@VERSION` text by default. */
export const DEFAULT_SERVER_VERSION = 'Microsoft SQL Server 2022 (RTM) - 16.0.1000.6 (X64) - asyncdb TDS test server on PostgreSQL';

class PgEngine implements TdsEngine, SessionEngine {
  readonly serverVersion: string;
  readonly serverName: string;
  readonly pgUrl: string;
  readonly fetchSize: number;
  readonly procedures = new ProcedureStore();
  readonly tables = new TableCatalog();
  readonly #password: string;
  readonly #users: ReadonlySet<string> | undefined;
  readonly #defaultDatabase: string;
  #descriptors = 0n;

  constructor(options: PgEngineOptions) {
    this.pgUrl = options.pgUrl;
    this.serverVersion = options.serverVersion ?? DEFAULT_SERVER_VERSION;
    this.serverName = options.serverName ?? 'tds-test-server';
    this.fetchSize = Math.max(1, options.fetchSize ?? 256);
    this.#password = options.password;
    this.#users = options.users === undefined ? undefined : new Set(options.users.map((u) => u.toLowerCase()));
    this.#defaultDatabase = databaseOf(options.pgUrl);
  }

  async openSession(login: LoginInfo & { readonly password: string }): Promise<TdsSession> {
    const knownUser = this.#users === undefined || this.#users.has(login.userName.toLowerCase());
    if (!knownUser || login.password !== this.#password) {
      throw new TdsEngineError({ number: 18456, state: 1, severity: 14, message: `Login failed for user '${login.userName}'.` });
    }
    const { password: _password, ...info } = login;
    return PgSession.open(this, info, this.#defaultDatabase);
  }

  nextDescriptor(): Buffer {
    const descriptor = Buffer.alloc(8);
    descriptor.writeBigUInt64LE(++this.#descriptors);
    return descriptor;
  }
}

/**
 * Creates the engine that runs T-SQL on PostgreSQL: one PostgreSQL session per TDS session, stored
 * procedures shared by all sessions of the engine.
 *
 * ```ts
 * const engine = createPgEngine({ pgUrl: 'postgres://postgres@127.0.0.1:5432/test', password: 'secret' });
 * ```
 */
export function createPgEngine(options: PgEngineOptions): TdsEngine {
  return new PgEngine(options);
}
