import {
  DbError,
  DbErrorCategory,
  type CreateSessionContext,
  type DbConnectionStringBuilder,
  type PooledSession,
  type SessionInfo,
} from '@asyncdb/core';
import { toDbError } from './sqlite-error-converter.js';
import { databaseFileExists, openRequestOf } from './sqlite-open-options.js';
import { SqliteSession, SqliteWorkerError } from './sqlite-session.js';
import { sessionEffectOf } from './sqlite-session-state.js';
import type { OpenResult } from './sqlite-worker-protocol.js';

/** The provider's invariant name, for the errors raised while opening. */
const PROVIDER = 'sqlite';

/**
 * One SQLite connection (its worker thread) as core's pool holds it, across many `DbConnection` opens. It tracks what
 * the statements run on it may have left behind ({@link SqlitePooledSession.note}), so that `reset()` is synchronous
 * and free for a session that only ran queries and plain writes, a worker round trip for one with a transaction,
 * temp objects, an attached database or a changed PRAGMA, and a refusal (the pool closes it) for a PRAGMA the reset
 * cannot put back.
 * @internal
 */
export class SqlitePooledSession implements PooledSession {
  readonly session: SqliteSession;
  readonly info: SessionInfo;
  #dirty = false;
  #unrestorable = false;
  /** Where a loss of the worker goes while a connection holds the session. */
  onLost: ((error: Error) => void) | undefined;

  constructor(session: SqliteSession, info: SessionInfo) {
    this.session = session;
    this.info = info;
  }

  /** Records what a statement about to run can leave behind. */
  note(sql: string): void {
    const effect = sessionEffectOf(sql);
    if (effect === 'none') return;
    this.#dirty = true;
    if (effect === 'unrestorable') this.#unrestorable = true;
  }

  /** A transaction was begun, committed or rolled back through the API: reset to be sure none is left open. */
  noteTransaction(): void {
    this.#dirty = true;
  }

  isAlive(): boolean {
    return !this.session.exited;
  }

  reset(): void | Promise<void> {
    if (this.#unrestorable) throw new Error('The session ran a PRAGMA the pool cannot put back; it is closed.');
    if (!this.#dirty) {
      this.session.unref();
      return undefined;
    }
    return this.session.request({ op: 'reset' }).then(() => {
      this.#dirty = false;
      this.session.unref();
    });
  }

  destroy(): void {
    const { session } = this;
    if (session.exited) return;
    void session
      .request({ op: 'close' })
      .catch(() => {})
      .finally(() => void session.terminate());
  }
}

/** An error of opening a database as a DbError. */
export function openErrorOf(error: unknown): unknown {
  if (error instanceof SqliteWorkerError) return toDbError(error);
  if (error instanceof DbError) return error;
  return new DbError(`The SQLite connection could not be opened: ${(error as Error)?.message ?? String(error)}`, {
    category: DbErrorCategory.ConnectionFailure,
    providerName: PROVIDER,
    cause: error,
  });
}

/**
 * Opens the database of a connection string in a new worker thread and describes it (the session id is the worker's
 * thread id). `signal` abandons the attempt (the worker is ended).
 */
export async function openSqliteSession(
  builder: DbConnectionStringBuilder,
  signal: AbortSignal,
): Promise<{ session: SqliteSession; info: SessionInfo }> {
  const request = openRequestOf(builder);
  if (request.fileMustExist && !databaseFileExists(request)) {
    throw new DbError(`The database file ${request.path} does not exist (Mode requires an existing file).`, {
      providerCode: 'SQLITE_CANTOPEN',
      category: DbErrorCategory.ConnectionFailure,
      providerName: PROVIDER,
    });
  }
  const session = new SqliteSession();
  const abandon = () => void session.terminate();
  signal.addEventListener('abort', abandon, { once: true });
  try {
    const opened = await session.request<OpenResult>({ op: 'open', ...request });
    signal.throwIfAborted();
    return {
      session,
      info: {
        serverVersion: opened.version,
        database: 'main',
        dataSource: builder.getString('Data Source') || ':memory:',
        sessionId: session.threadId,
      },
    };
  } catch (error) {
    await session.terminate();
    throw openErrorOf(error);
  } finally {
    signal.removeEventListener('abort', abandon);
  }
}

/** Core's pool creates sessions with this: open, then idle (the worker does not keep the process up while pooled). */
export async function createPooledSqliteSession(
  context: CreateSessionContext<SqlitePooledSession>,
): Promise<SqlitePooledSession> {
  const { session, info } = await openSqliteSession(context.builder, context.signal);
  const pooled = new SqlitePooledSession(session, info);
  session.onExit = (error) => {
    context.lost(pooled);
    if (error) pooled.onLost?.(error);
  };
  session.unref();
  return pooled;
}
