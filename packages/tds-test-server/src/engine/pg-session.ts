import type pg from 'pg';
import type {
  EngineEvent,
  LoginInfo,
  RpcParameter,
  TdsMessage,
  TdsSession,
  TransactionRequest,
} from './engine-types.js';
import { TdsEngineError } from './engine-types.js';
import { StatementFailure, toFailure } from './interpreter/failure.js';
import { newFrame } from './interpreter/frame.js';
import { Interpreter } from './interpreter/interpreter.js';
import { executeRpc } from './interpreter/rpc.js';
import type { SessionHost } from './interpreter/session-host.js';
import { openPgClient } from './pg/pg-connect.js';
import { PgRunner, RequestCancelled } from './pg/pg-runner.js';
import type { ProcedureStore } from './session/procedure-store.js';
import type { TableCatalog } from './session/table-catalog.js';
import { SessionState } from './session/session-state.js';
import { TransactionState } from './session/transaction-state.js';
import { parseBatch } from './tsql/parser.js';
import { TsqlError } from './tsql/tsql-error.js';

/** What a session needs from its engine. */
export interface SessionEngine {
  readonly pgUrl: string;
  readonly serverVersion: string;
  readonly serverName: string;
  readonly fetchSize: number;
  readonly procedures: ProcedureStore;
  readonly tables: TableCatalog;
  /** A new, server-wide unique, non-zero transaction descriptor. */
  nextDescriptor(): Buffer;
}

const SYSTEM_DATABASES = new Set(['master', 'tempdb', 'model', 'msdb']);

/** Opens the PostgreSQL connection for a database, mapping "does not exist" to SQL Server's wording. */
async function connect(engine: SessionEngine, database: string | undefined, appName: string, onMissing: (name: string) => TdsMessage): Promise<PgRunner> {
  let client: pg.Client;
  try {
    client = await openPgClient(engine.pgUrl, database, appName);
  } catch (error) {
    if ((error as { code?: string }).code === '3D000' && database !== undefined) throw new TdsEngineError(onMissing(database));
    throw error;
  }
  const pid = (client as unknown as { processID: number }).processID;
  return new PgRunner(client, pid, engine.fetchSize);
}

/**
 * One T-SQL session on one PostgreSQL session. Requests run one at a time (a later one waits for the
 * earlier to finish); each is an async generator the wire layer pulls, so rows are fetched from
 * PostgreSQL only as fast as the client reads them.
 */
export class PgSession implements TdsSession, SessionHost {
  readonly state: SessionState;
  readonly transactions: TransactionState;
  readonly #interpreter: Interpreter;
  #runner: PgRunner;
  #queue: Promise<void> = Promise.resolve();
  #signal: AbortSignal | undefined;
  #end: () => void = () => undefined;
  /** Settles when the current PostgreSQL connection is lost (not when {@link close} or USE ends it). */
  readonly ended: Promise<void> = new Promise((resolve) => (this.#end = resolve));

  private constructor(
    private readonly engine: SessionEngine,
    runner: PgRunner,
    login: LoginInfo,
    database: string,
  ) {
    this.#runner = runner;
    this.#follow(runner);
    this.state = new SessionState(login, database, database);
    this.transactions = new TransactionState(() => this.#runner, () => engine.nextDescriptor());
    this.#interpreter = new Interpreter(this);
  }

  /**
   * Opens a session for a login. An empty (or system) database means the database of `pgUrl`; another
   * name is a PostgreSQL database on the same server, and error 4060 when there is none.
   */
  static async open(engine: SessionEngine, login: LoginInfo, defaultDatabase: string): Promise<PgSession> {
    const requested = login.database === '' || SYSTEM_DATABASES.has(login.database.toLowerCase()) ? undefined : login.database;
    const runner = await connect(engine, requested, login.appName, (name) => ({
      number: 4060,
      state: 1,
      severity: 11,
      message: `Cannot open database "${name}" requested by the login. The login failed.`,
    }));
    return new PgSession(engine, runner, login, requested ?? defaultDatabase);
  }

  get spid(): number {
    return this.#runner.pid;
  }

  get database(): string {
    return this.state.database;
  }

  get runner(): PgRunner {
    return this.#runner;
  }

  get procedures(): ProcedureStore {
    return this.engine.procedures;
  }

  get tables(): TableCatalog {
    return this.engine.tables;
  }

  get serverVersion(): string {
    return this.engine.serverVersion;
  }

  get serverName(): string {
    return this.engine.serverName;
  }

  executeBatch(sql: string, signal: AbortSignal): AsyncIterable<EngineEvent> {
    return this.#request(signal, () => this.#batch(sql));
  }

  executeRpc(procName: string, parameters: readonly RpcParameter[], signal: AbortSignal): AsyncIterable<EngineEvent> {
    return this.#request(signal, () => executeRpc(this.#interpreter, procName, parameters));
  }

  executeTransaction(request: TransactionRequest, signal: AbortSignal): AsyncIterable<EngineEvent> {
    return this.#request(signal, () => this.#transaction(request));
  }

  async reset(): Promise<void> {
    const release = await this.#lock();
    try {
      await this.resetSession();
    } finally {
      release();
    }
  }

  /** sp_reset_connection inside a request: rolls back, drops temporary objects, restores settings and database. */
  async resetSession(): Promise<void> {
    await this.transactions.abort().catch(() => this.transactions.clear());
    this.transactions.clear();
    this.#runner.inTransaction = false;
    if (this.state.database !== this.state.loginDatabase) await this.#switchDatabase(this.state.loginDatabase);
    await this.#runner.command('DISCARD ALL');
    this.state.reset();
  }

  async close(): Promise<void> {
    await this.#runner.close();
  }

  async useDatabase(name: string): Promise<EngineEvent[]> {
    if (name.toLowerCase() !== this.state.database.toLowerCase()) {
      if (this.transactions.count > 0) throw new TsqlError(50000, 'USE inside a transaction is not supported by the TDS test server.', 1);
      if (SYSTEM_DATABASES.has(name.toLowerCase())) throw new TsqlError(50000, `USE ${name} is not supported by the TDS test server.`, 1);
      await this.#switchDatabase(name);
    }
    return [
      { kind: 'database', name: this.state.database },
      { kind: 'message', message: { number: 5701, state: 2, severity: 0, message: `Changed database context to '${this.state.database}'.` } },
    ];
  }

  async #switchDatabase(name: string): Promise<void> {
    const next = await connect(this.engine, name, this.state.login.appName, (db) => ({
      number: 911,
      state: 1,
      severity: 16,
      message: `Database '${db}' does not exist. Make sure that the name is entered correctly.`,
    }));
    const previous = this.#runner;
    this.#runner = next;
    this.#follow(next);
    if (this.#signal !== undefined) next.attach(this.#signal);
    this.transactions.clear();
    this.state.database = name;
    await previous.close();
  }

  async *#batch(sql: string): AsyncGenerator<EngineEvent> {
    const frame = newFrame();
    let statements;
    try {
      statements = parseBatch(sql);
    } catch (error) {
      const failure = await toFailure(error, this, frame, 1);
      yield { kind: 'message', message: failure.tdsMessage };
      yield { kind: 'done', rowCount: null, error: true };
      return;
    }
    yield* this.#interpreter.runStatements(statements, frame);
  }

  async *#transaction(request: TransactionRequest): AsyncGenerator<EngineEvent> {
    try {
      switch (request.kind) {
        case 'begin':
          if (request.isolationLevel !== undefined) this.state.isolation = request.isolationLevel;
          yield* await this.transactions.begin(this.state.isolation, request.name);
          return;
        case 'commit':
        case 'rollback':
          yield* await (request.kind === 'commit' ? this.transactions.commit(true) : this.transactions.rollback(request.name || undefined));
          if (request.beginNew === true) yield* await this.transactions.begin(this.state.isolation);
          return;
        case 'save':
          yield* await this.transactions.save(request.name);
          return;
      }
    } catch (error) {
      const failure = error instanceof StatementFailure ? error : await toFailure(error, this, newFrame(), 1);
      yield { kind: 'message', message: failure.tdsMessage };
      yield { kind: 'done', rowCount: null, error: true };
    }
  }

  /** Serialises requests; runs `body` with the request's signal attached to the PostgreSQL session. */
  async *#request(signal: AbortSignal, body: () => AsyncGenerator<EngineEvent>): AsyncGenerator<EngineEvent> {
    const release = await this.#lock();
    this.#signal = signal;
    const runner = this.#runner;
    const detach = runner.attach(signal);
    try {
      yield* body();
    } catch (error) {
      if (!(error instanceof RequestCancelled)) {
        const text = error instanceof Error ? error.message : String(error);
        yield { kind: 'message', message: { number: 50000, state: 1, severity: 16, message: `TDS test server engine failure: ${text}` } };
        yield { kind: 'done', rowCount: null, error: true };
      }
    } finally {
      await this.#runner.settle().catch(() => undefined);
      detach();
      this.#signal = undefined;
      release();
    }
  }

  /** Ends the session when `runner`'s connection is lost while it is the current one. */
  #follow(runner: PgRunner): void {
    void runner.lost.then(() => {
      if (this.#runner === runner) this.#end();
    });
  }

  #lock(): Promise<() => void> {
    let release: () => void = () => undefined;
    const turn = new Promise<void>((resolve) => (release = resolve));
    const previous = this.#queue;
    this.#queue = previous.then(() => turn);
    return previous.then(() => release);
  }
}
