import {
  DbConnection,
  type CloseContext,
  type CommandRequest,
  type OpenContext,
  type ResultCursor,
  type SessionInfo,
  type TransactionRequest,
} from '@asyncdb/core';
import { ToySession } from './toy-engine.js';
import { toDbError } from './toy-error-converter.js';
import { ToyResultCursor } from './toy-result-cursor.js';
import type { ToyProviderFactory } from './toy-provider-factory.js';

/**
 * A connection of the example provider. It implements the four hooks; core does everything around them (state,
 * validation, Begin/End, timeouts, `@name` translation, readers, diagnostics).
 *
 * ```ts
 * await using connection = new ToyProviderFactory().createConnection('Database=shop');
 * await connection.open();
 * ```
 */
export class ToyConnection extends DbConnection {
  #session: ToySession | undefined;

  constructor(factory: ToyProviderFactory, connectionString?: string) {
    // The factory goes to super(): core parses the connection string with it and returns it from providerFactory.
    super(connectionString, factory);
  }

  /** The session's transaction log (for the example's tests); empty when closed. */
  get transactionLog(): readonly string[] {
    return this.#session?.transactionLog ?? [];
  }

  /**
   * Opens a session. A real provider connects here (honouring `context.signal`: connect timeout, caller abort,
   * close during open) and converts a refused login into a DbError.
   */
  protected override async openCore(context: OpenContext): Promise<SessionInfo> {
    context.signal.throwIfAborted();
    const database = context.builder.getString('Database') ?? 'main';
    const session = new ToySession(database);
    this.#session = session;
    return {
      serverVersion: 'Toy 1.0',
      database,
      dataSource: context.builder.getString('Data Source') ?? 'toy',
      sessionId: session.id,
    };
  }

  /** Ends the session. With a pool, a session that is not `broken` would be reset and returned to it instead. */
  protected override async closeCore(_context: CloseContext): Promise<void> {
    this.#session?.close();
    this.#session = undefined;
  }

  /**
   * Starts a command. Core has already validated it, translated `@name` to `$1…` and split the text into statements;
   * the provider only runs them, and stops the engine when core aborts the request (cancel, timeout, close).
   */
  protected override executeCore(request: CommandRequest): Promise<ResultCursor> {
    const session = this.#session;
    if (!session) return Promise.reject(new Error('The session is closed.'));
    request.cancellation.onAbort(() => session.interrupt());
    return Promise.resolve(new ToyResultCursor(session, request.statements, request.behavior, request.cancellation));
  }

  /** Begins, commits or rolls back the session's transaction (the toy engine has no savepoints). */
  protected override async transactionCore(request: TransactionRequest, signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    const session = this.#session;
    if (!session) throw new Error('The session is closed.');
    const text = request.kind === 'begin' ? `BEGIN ${request.isolationLevel}` : request.kind.toUpperCase();
    try {
      await session.run(text, []);
    } catch (error) {
      throw toDbError(error);
    }
  }
}
