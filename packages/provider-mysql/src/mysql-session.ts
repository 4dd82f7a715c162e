import type { MysqlSettings } from './mysql-driver-options.js';
import {
  SERVER_STATUS_IN_TRANS,
  type MysqlCommand,
  type MysqlDriverConnection,
  type MysqlOkPacket,
  type MysqlPacket,
} from './mysql-driver.js';
import type { MysqlKillSwitch } from './mysql-kill-switch.js';
import { watchLastPacket, type LastPacket } from './mysql-last-packet.js';
import { pipelineResetAndSettings } from './mysql-pipelined-reset.js';
import { sendPipelinedBatch } from './mysql-batch-pipeline.js';
import { MysqlSessionDirt } from './mysql-session-dirt.js';
import { endsSession } from './mysql-session-ending.js';
import { textFacts } from './mysql-text-facts.js';
import { fitsTextQuery, startTextQuery, type ShapeMemo } from './mysql-text-query.js';
import { MysqlStatementStream, type FlowControl } from './mysql-statement-stream.js';

/**
 * The session settings the provider relies on: DATETIME/TIMESTAMP values are read and written as UTC, so the session
 * must agree with mysql2's `timezone: 'Z'`; and the server's session-state tracking, whose status bit tells whether a
 * statement changed the session (see `mysql-session-dirt.ts`). Set after connecting and after every
 * COM_RESET_CONNECTION.
 */
const SESSION_SETTINGS_SQL = "SET time_zone = '+00:00', session_track_state_change = ON";

/** Counters for tests and diagnostics: pooled closes that reset the session, and clean ones that did not. @internal */
export const mysqlResetStats = { resets: 0, skipped: 0 };

/** ER_QUERY_INTERRUPTED: what a statement (or the probe) ends with after KILL QUERY. */
const ER_QUERY_INTERRUPTED = 1317;

/**
 * How long the soft cancel (KILL QUERY, then the statement's end, then the probe) may take before the socket is
 * closed instead. Below core's 5 s grace period, so the provider settles before core gives up on it.
 */
export const CANCEL_TIMEOUT_MS = 3_000;

/** How long one KILL QUERY of a batch cancel waits for the statement it aimed at before the next kill is sent. */
const KILL_SETTLE_MS = 250;

/** What outlives one checkout of a physical connection. */
interface PhysicalState {
  serverVersion: string | undefined;
  /** The session time zone is UTC (set after connecting and after every COM_RESET_CONNECTION). */
  initialized: boolean;
  /** The session that currently holds the connection, told when it dies. */
  owner: MysqlSession | undefined;
  /** Set once the connection failed; it must not be pooled again. */
  lost: Error | undefined;
  /** The packet being handled, for the warning count of a result set's final EOF packet. */
  readonly lastPacket: LastPacket;
  /** mysql2's row-parser options for this connection's text queries, made by the first one. */
  textOptions: object | undefined;
  /** The column definitions last read per statement by this connection's text queries. */
  shapes: Map<string, ShapeMemo> | undefined;
}

const PHYSICAL = new WeakMap<MysqlDriverConnection, PhysicalState>();

/** The per-connection state, with a permanent 'error' listener so that no connection error is ever unhandled. */
function physicalState(connection: MysqlDriverConnection): PhysicalState {
  let state = PHYSICAL.get(connection);
  if (!state) {
    const created: PhysicalState = {
      serverVersion: undefined,
      initialized: false,
      owner: undefined,
      lost: undefined,
      lastPacket: watchLastPacket(connection),
      textOptions: undefined,
      shapes: undefined,
    };
    state = created;
    PHYSICAL.set(connection, created);
    const onLost = (error: Error): void => {
      created.lost ??= error;
      created.owner?.connectionLost(error);
    };
    connection.on('error', onLost);
    connection.on('end', () => onLost(connectionClosedError('The server closed the connection.')));
  }
  return state;
}

/** Gives a connection its permanent 'error' listener (idempotent). */
export function watchConnection(connection: MysqlDriverConnection): void {
  physicalState(connection);
}

/** An error shaped like mysql2's own connection errors (so the converter categorises it as a connection failure). */
export function connectionClosedError(message: string): Error {
  return Object.assign(new Error(message), { code: 'PROTOCOL_CONNECTION_LOST', fatal: true });
}

/**
 * One checkout of a physical mysql2 connection by a {@link MysqlConnection}: runs statements one at a time,
 * cancels them with KILL QUERY on a side connection, resets the session for the next user, and reports a
 * connection that dies. Every operation waits for the previous cancel to finish, so a late KILL can never hit the
 * next statement.
 */
export class MysqlSession implements FlowControl {
  readonly driver: MysqlDriverConnection;
  readonly settings: MysqlSettings;
  readonly #killSwitch: MysqlKillSwitch;
  readonly #physical: PhysicalState;
  #active: MysqlStatementStream | undefined;
  /** The streams of the pipelined batch in progress, failed together when the connection dies. */
  #batch: readonly MysqlStatementStream[] | undefined;
  /** The batch a cancel was asked for: if it is still being prepared, it is not sent. */
  #cancelledBatch: readonly MysqlStatementStream[] | undefined;
  #activeCallback: ((error: Error) => void) | undefined;
  #barrier: Promise<void> = Promise.resolve();
  #cancels = 0;
  #broken = false;
  #databaseChanged = false;
  #mayHoldTransaction = false;
  /** What this checkout did that COM_RESET_CONNECTION would undo. */
  readonly #dirt = new MysqlSessionDirt();
  #onLost: ((error: Error) => void) | undefined;

  constructor(driver: MysqlDriverConnection, settings: MysqlSettings, killSwitch: MysqlKillSwitch) {
    this.driver = driver;
    this.settings = settings;
    this.#killSwitch = killSwitch;
    this.#physical = physicalState(driver);
    this.#physical.owner = this;
  }

  /** The server's id of the session (`CONNECTION_ID()`). */
  get threadId(): number {
    return this.driver.threadId ?? 0;
  }

  /** The server version (`VERSION()`), known after {@link initialize}. */
  get serverVersion(): string {
    return this.#physical.serverVersion ?? '';
  }

  /** The error the connection died of, if it did. */
  get lost(): Error | undefined {
    return this.#physical.lost;
  }

  /** True while the session can run a statement: not broken, and mysql2 still considers the connection usable. */
  get usable(): boolean {
    if (this.broken) return false;
    const state = this.driver.state;
    return state === undefined || state === 'authenticated' || state === 'connected';
  }

  /** True when the session must be destroyed rather than pooled (lost, or a cancel that could not be confirmed). */
  get broken(): boolean {
    return this.#broken || this.#physical.lost !== undefined;
  }

  /** Marks the session unfit for the pool. */
  markBroken(): void {
    this.#broken = true;
  }

  /** Remembers that the current database may differ from the connection string's (USE, changeDatabase). */
  noteDatabaseChange(): void {
    this.#databaseChanged = true;
  }

  /** Called when the connection dies while this session holds it (after any running statement was failed). */
  onLost(listener: ((error: Error) => void) | undefined): void {
    this.#onLost = listener;
  }

  /** Resolves once any cancel in progress has finished. */
  whenIdle(): Promise<void> {
    return this.#barrier;
  }

  /** True when {@link initialize} has nothing to do (the usual case for a pooled connection): no await needed. */
  get initialized(): boolean {
    return this.#physical.initialized && this.#physical.serverVersion !== undefined;
  }

  /** Sets the session time zone to UTC (once per physical connection and after each reset) and reads the version. */
  async initialize(): Promise<void> {
    if (!this.#physical.initialized) {
      // DATETIME/TIMESTAMP values are read and written as UTC; the session must agree with mysql2's `timezone: 'Z'`.
      await this.simple(SESSION_SETTINGS_SQL);
      this.#physical.initialized = true;
    }
    // The settings statement itself reports a state change; the session is now as a reset leaves it.
    this.#dirt.clear();
    if (this.#physical.serverVersion === undefined) {
      // Rows are arrays (`rowsAsArray` on the connection).
      const rows = (await this.simple('SELECT VERSION()')) as unknown[][];
      this.#physical.serverVersion = String(rows[0]?.[0] ?? '');
    }
  }

  /**
   * Starts one statement: `execute` (binary protocol, server-side prepared statement, values bound by the server)
   * when it has values or must be prepared, else a text query (`mysql-text-query.ts`: asyncdb's own COM_QUERY command
   * on mysql2's connection, or mysql2's `query` where that does not fit). Rows come as arrays (`rowsAsArray` is set on
   * the connection: mysql2's options-object forms copy the options with object spreads that cost ~2 µs per statement).
   */
  start(sql: string, values: readonly unknown[] | undefined, highWaterMark: number): MysqlStatementStream {
    const stream = new MysqlStatementStream(this, highWaterMark);
    const lost = this.#physical.lost;
    if (lost) {
      stream.finish({ kind: 'error', error: lost });
      return stream;
    }
    this.#dirt.markExecuted(sql);
    this.#active = stream;
    if (values === undefined && fitsTextQuery(this.driver, sql)) startTextQuery(this.driver, sql, stream, this.#physical);
    else stream.attach(values === undefined ? this.driver.query(sql) : this.driver.execute(sql, values));
    return stream;
  }

  /**
   * Starts every statement of a batch at once, pipelined (see `mysql-batch-pipeline.ts`): one stream per statement,
   * in order, filled as the replies arrive. The streams must be read (or discarded) in order.
   */
  startBatch(
    statements: ReadonlyArray<{ readonly text: string; readonly values: readonly unknown[] | undefined }>,
    highWaterMark: number,
  ): MysqlStatementStream[] {
    const streams = statements.map(() => new MysqlStatementStream(this, highWaterMark));
    const lost = this.#physical.lost;
    if (lost) {
      for (const stream of streams) stream.finish({ kind: 'error', error: lost });
      return streams;
    }
    for (const statement of statements) {
      this.#dirt.markExecuted(statement.text);
      // A cancelled batch may not read every reply, yet the server may have run a USE in it: restore the database.
      if (textFacts(statement.text).keyword === 'USE') this.#databaseChanged = true;
    }
    this.#batch = streams;
    sendPipelinedBatch(
      this.driver,
      statements.map((statement, index) => ({
        text: statement.text,
        values: statement.values,
        stream: streams[index]!,
      })),
      /mariadb/i.test(this.serverVersion),
      (statement, command) => statement.stream.attach(command as unknown as MysqlCommand),
      () => this.#cancelledBatch === streams,
    );
    return streams;
  }

  /** @internal The packet that is ending the running statement (read while its `end` event is handled). */
  endingPacket(): MysqlPacket | undefined {
    return this.#physical.lastPacket.packet;
  }

  /** @internal A statement stream ended: it is no longer the one a lost connection must fail. */
  streamFinished(stream: MysqlStatementStream): void {
    if (this.#active === stream) this.#active = undefined;
    // Streams of a batch can end out of order (a statement whose own prepare failed ends before it is written).
    if (this.#batch?.includes(stream) && this.#batch.every((member) => member.finished)) this.#batch = undefined;
    this.#noteServerStatus(stream.serverStatus);
    const failure = stream.failure;
    if (failure !== undefined && endsSession(failure)) this.#ended(failure);
  }

  /**
   * The server ended the session with an ordinary error packet (1153 packet too large, 1927 killed…) or mysql2 gave
   * up on it: the session is lost now, not when the socket's end arrives a moment later, so the connection is
   * Broken by the time the caller sees the failure (both happen before the caller's continuation runs).
   */
  #ended(error: Error): void {
    if (this.#physical.lost !== undefined) return;
    this.#physical.lost = error;
    this.#onLost?.(error);
  }

  /**
   * True unless the server's last word was that no transaction is active (SERVER_STATUS_IN_TRANS clear in the OK or
   * EOF packet that ended the last statement). Unknown — a failed or interrupted statement — counts as true.
   */
  get mayHoldTransaction(): boolean {
    return this.#mayHoldTransaction;
  }

  #noteServerStatus(status: number | undefined): void {
    this.#mayHoldTransaction = status === undefined || (status & SERVER_STATUS_IN_TRANS) !== 0;
    this.#dirt.markFromServerStatus(status);
  }

  /** True when the session may differ from a freshly reset one (see `mysql-session-dirt.ts`). */
  get dirty(): boolean {
    return this.#dirt.isDirty || this.#mayHoldTransaction;
  }

  /** Runs an internal statement (SET, SHOW WARNINGS, USE, transaction control) and resolves its result. */
  simple(sql: string): Promise<unknown> {
    const lost = this.#physical.lost;
    if (lost) return Promise.reject(lost);
    return new Promise((resolve, reject) => {
      const settle = (error: Error | null, result?: unknown): void => {
        this.#activeCallback = undefined;
        // An OK packet (SET, START TRANSACTION, COMMIT…) tells whether a transaction is active; rows tell nothing.
        if (error) {
          this.#mayHoldTransaction = true;
          this.#dirt.markFromServerStatus(undefined);
          if (endsSession(error)) this.#ended(error);
        } else if (!Array.isArray(result)) this.#noteServerStatus((result as MysqlOkPacket | undefined)?.serverStatus);
        if (error) reject(error);
        else resolve(result);
      };
      this.#activeCallback = (error) => settle(error);
      this.driver.query(sql, (error, result) => settle(error, result));
    });
  }

  /**
   * Stops a running statement on the server: resumes the socket and drops its rows, sends KILL QUERY from the side
   * connection, waits for the statement to end, then runs a probe (`DO SLEEP(0)`) that both absorbs a KILL that
   * arrived after the statement had finished (MySQL bug #45679) and proves the session answers. Falls back to
   * closing the socket when that does not complete within {@link CANCEL_TIMEOUT_MS}.
   */
  cancel(stream: MysqlStatementStream | readonly MysqlStatementStream[]): Promise<void> {
    this.#cancels += 1;
    const run = this.#barrier.then(() =>
      Array.isArray(stream) ? this.#cancelBatch(stream) : this.#cancel(stream as MysqlStatementStream),
    );
    const barrier = run
      .catch(() => undefined)
      .finally(() => {
        this.#cancels -= 1;
      });
    this.#barrier = barrier;
    return barrier;
  }

  /** True while a cancel is in progress (then {@link whenIdle} is worth awaiting). */
  get cancelling(): boolean {
    return this.#cancels > 0;
  }

  /** Lets a running statement finish, dropping its rows (used to complete a procedure instead of killing it). */
  drain(stream: MysqlStatementStream): Promise<void> {
    stream.discard();
    return stream.done;
  }

  async #cancel(stream: MysqlStatementStream): Promise<void> {
    if (stream.finished) return;
    stream.discard();
    const deadline = Date.now() + CANCEL_TIMEOUT_MS;
    const remaining = (): number => Math.max(0, deadline - Date.now());
    const killed = await this.#killSwitch.killQuery(
      this.settings.serverKey,
      this.settings.driver,
      this.threadId,
      remaining(),
    );
    const ended = killed && (await settlesWithin(stream.done, remaining()));
    const idle = ended && (await this.#probe(remaining()));
    if (!idle)
      this.destroy(connectionClosedError('The command could not be cancelled in time; the connection was closed.'));
  }

  /**
   * Stops a pipelined batch: the server runs its statements one after another whatever the client does, so KILL QUERY
   * is sent again for each statement still running once the previous kill took effect, until the last one has
   * answered (each answer is "query interrupted", or its result when it finished first); then the probe, as for one
   * statement. Falls back to closing the socket after {@link CANCEL_TIMEOUT_MS}.
   */
  async #cancelBatch(streams: readonly MysqlStatementStream[]): Promise<void> {
    const last = streams[streams.length - 1];
    if (last === undefined || last.finished) return;
    this.#cancelledBatch = streams;
    for (const stream of streams) stream.discard();
    const deadline = Date.now() + CANCEL_TIMEOUT_MS;
    const remaining = (): number => Math.max(0, deadline - Date.now());
    while (!last.finished && remaining() > 0) {
      const current = streams.find((stream) => !stream.finished)!;
      const killed = await this.#killSwitch.killQuery(
        this.settings.serverKey,
        this.settings.driver,
        this.threadId,
        remaining(),
      );
      if (!killed) break;
      // Its answer comes once the kill took effect (or the statement ended by itself); the next one may be running.
      await settlesWithin(current.done, Math.min(remaining(), KILL_SETTLE_MS));
    }
    this.#cancelledBatch = undefined;
    const idle = last.finished && (await this.#probe(remaining()));
    if (!idle)
      this.destroy(connectionClosedError('The batch could not be cancelled in time; the connection was closed.'));
  }

  async #probe(timeoutMs: number): Promise<boolean> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const outcome = await settleWithin(this.simple('DO SLEEP(0)'), timeoutMs);
      if (outcome === 'ok') return true;
      if (outcome === 'timeout') return false;
      // The first probe may be the statement a late KILL interrupts; a second one must then succeed.
      if ((outcome.error as { errno?: number }).errno !== ER_QUERY_INTERRUPTED) return false;
    }
    return false;
  }

  /**
   * COM_RESET_CONNECTION (rolls back, drops temporary tables, user variables, prepared statements and locks,
   * restores session variables), then the session settings the provider relies on — unless the session is provably
   * clean ({@link dirty} false: the server tracked no state change, no transaction, nothing the text check flags),
   * when only a database changed by `changeDatabase` is restored.
   */
  async reset(): Promise<void> {
    if (!this.dirty) {
      // Provably clean: nothing to undo, the session settings are still in force.
      mysqlResetStats.skipped += 1;
      await this.restoreDatabase();
      return;
    }
    mysqlResetStats.resets += 1;
    this.#physical.initialized = false;
    this.#mayHoldTransaction = false;
    let pipelined = false;
    await new Promise<void>((resolve, reject) => {
      const done = (error: Error | null): void => {
        this.#activeCallback = undefined;
        if (error) reject(error);
        else resolve();
      };
      this.#activeCallback = reject;
      // One write and one round trip for the reset and the settings, when mysql2 allows it; else the reset alone.
      pipelined = pipelineResetAndSettings(this.driver, SESSION_SETTINGS_SQL, done);
      if (!pipelined) this.driver.reset(done);
    });
    if (pipelined) this.#physical.initialized = true;
    if (!this.initialized) await this.initialize();
    if (this.#databaseChanged) await this.restoreDatabase();
    this.#dirt.clear();
  }

  /**
   * True when a returned session needs no round trip before the next user: no cancel in progress, the database not
   * changed, and either `Connection Reset=false` or the session provably clean ({@link dirty} false). Lets the pool
   * take it back synchronously; a clean skip is counted in {@link mysqlResetStats}.
   */
  skipsReset(): boolean {
    if (this.#databaseChanged || this.cancelling) return false;
    if (!this.settings.connectionReset) return true;
    if (this.dirty) return false;
    mysqlResetStats.skipped += 1;
    return true;
  }

  /** Goes back to the connection string's database if a statement or changeDatabase left another one current. */
  async restoreDatabase(): Promise<void> {
    if (!this.#databaseChanged) return;
    const database = this.settings.database;
    // Without a configured database there is no way back to "none" short of reconnecting.
    if (database === '') throw new Error('The session changed database and has no default to return to.');
    await this.simple(`USE ${quoteIdentifier(database)}`);
    this.#databaseChanged = false;
  }

  /** Pauses reading from the socket (backpressure). */
  pause(): void {
    this.driver.pause();
  }

  /** Resumes reading from the socket. */
  resume(): void {
    this.driver.resume();
  }

  /** Hands the connection back to its pool, unref'd so an idle pool never keeps the process alive. */
  release(): void {
    this.#detach();
    this.driver.stream.unref();
    this.driver.release?.();
  }

  /**
   * Closes the socket at once; a running statement fails with a connection error, and the connection still holding
   * the session (a hard cancel; not a close, which stops listening first) learns it is lost: it becomes Broken.
   */
  destroy(error: Error = connectionClosedError('The connection was closed.')): void {
    const first = this.#physical.lost === undefined;
    this.#physical.lost ??= error;
    this.#failActive(error);
    if (first) this.#onLost?.(error);
    this.#detach();
    this.driver.destroy();
  }

  /** Ends a non-pooled connection politely (COM_QUIT), or destroys it when that fails. */
  async end(): Promise<void> {
    this.#detach();
    await new Promise<void>((resolve) => {
      this.driver.end(() => resolve());
      setTimeout(resolve, 1_000).unref();
    });
    this.driver.destroy();
  }

  /** @internal Called by the connection's permanent 'error'/'end' listeners. */
  connectionLost(error: Error): void {
    // The running statement fails first, then the connection learns of it at once (it becomes Broken): by the time
    // the caller sees the command's failure, the connection's state says why. Core maps the failure of a command
    // whose session was lost under it to a connection_failure DbError.
    this.#failActive(error);
    this.#onLost?.(error);
  }

  /** Updates what the session knows after a statement's OK packet (schema changes through session tracking). */
  observeOk(packet: MysqlOkPacket): void {
    if (packet.stateChanges?.schema) this.#databaseChanged = true;
  }

  #failActive(error: Error): void {
    const stream = this.#active;
    const callback = this.#activeCallback;
    const batch = this.#batch;
    this.#active = undefined;
    this.#activeCallback = undefined;
    this.#batch = undefined;
    stream?.finish({ kind: 'error', error });
    if (batch) for (const pipelined of batch) pipelined.finish({ kind: 'error', error });
    callback?.(error);
  }

  #detach(): void {
    if (this.#physical.owner === this) this.#physical.owner = undefined;
    this.#onLost = undefined;
  }
}

/** `name` as a backtick-quoted identifier. */
export function quoteIdentifier(name: string): string {
  return `\`${name.replaceAll('`', '``')}\``;
}

async function settlesWithin(promise: Promise<unknown>, timeoutMs: number): Promise<boolean> {
  return (await settleWithin(promise, timeoutMs)) !== 'timeout';
}

async function settleWithin(
  promise: Promise<unknown>,
  timeoutMs: number,
): Promise<'ok' | 'timeout' | { error: unknown }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    return await Promise.race([
      promise.then(
        () => 'ok' as const,
        (error: unknown) => ({ error }),
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
