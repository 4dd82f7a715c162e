import {
  DbError,
  DbErrorCategory,
  NotSupportedError,
  type Cancellation,
  type CommandRequest,
  type OneShotKind,
  type OneShotResult,
  type ResultCursor,
  type TransactionRequest,
} from '@asyncdb/core';
import type { PgNoticeFields } from '../pg-client.js';
import { toDbError } from '../pg-error-converter.js';
import { transactionSql } from '../pg-transaction-sql.js';
import type { PgBoundOwner, PgMultiplexer } from './pg-multiplexer.js';
import { PgMuxCursor } from './pg-mux-cursor.js';
import { PgMuxOneShot } from './pg-mux-one-shot.js';
import { boundRoute, type PgMuxRoute } from './pg-mux-route.js';
import type { PgPipelineSession } from './pg-pipeline-session.js';
import { refuseSessionScope } from './pg-session-scope.js';

/** A cancellation that never aborts (the provider's own transaction statements). */
const NEVER: Cancellation = { aborted: false, reason: undefined, onAbort: () => {} };

/**
 * What an open `PgConnection` with `Multiplexing=true` holds instead of a session: its multiplexer, and — while a
 * transaction is open — the physical session the transaction holds. Commands outside a transaction go to any
 * session of the multiplexer; statements that would leave state on a shared session are refused first.
 * @internal
 */
export class PgMultiplexedLink implements PgBoundOwner {
  readonly #multiplexer: PgMultiplexer;
  readonly #onNotice: (notice: PgNoticeFields) => void;
  readonly #onLost: (error: DbError) => void;
  #bound: { readonly session: PgPipelineSession; readonly route: PgMuxRoute } | undefined;

  /**
   * @param onNotice the connection's NoticeResponse listener.
   * @param onLost told when the session a transaction held died: the connection is broken.
   */
  constructor(
    multiplexer: PgMultiplexer,
    onNotice: (notice: PgNoticeFields) => void,
    onLost: (error: DbError) => void,
  ) {
    this.#multiplexer = multiplexer;
    this.#onNotice = onNotice;
    this.#onLost = onLost;
  }

  /** The multiplexer the link sends to. */
  get multiplexer(): PgMultiplexer {
    return this.#multiplexer;
  }

  /** True while a transaction holds a session (closing then has to roll it back and give the session back). */
  get bound(): boolean {
    return this.#bound !== undefined;
  }

  /** The backend pid of the session a transaction holds, if any. */
  get boundProcessId(): number | undefined {
    return this.#bound?.session.client.processID ?? undefined;
  }

  /** The session this connection's transaction holds died: the connection is broken (the transaction is gone). */
  onBoundSessionLost(error: Error): void {
    if (!this.#bound) return;
    this.#onLost(toDbError(error, this.#multiplexer.secrets));
  }

  execute(request: CommandRequest): Promise<ResultCursor> {
    try {
      this.#admit(request);
      return Promise.resolve(
        PgMuxCursor.start(this.#route(), {
          statements: request.statements,
          behavior: request.behavior,
          cancellation: request.cancellation,
          secrets: this.#multiplexer.secrets,
          onNotice: this.#onNotice,
        }),
      );
    } catch (error) {
      return Promise.reject(error);
    }
  }

  executeOnce(request: CommandRequest, kind: OneShotKind): Promise<OneShotResult> | undefined {
    if (request.commandType !== 'Text' || request.behavior !== 0 || request.statements.length === 0) return undefined;
    for (const parameter of request.parameters) if (parameter.direction !== 'Input') return undefined;
    try {
      this.#admit(request);
    } catch (error) {
      return Promise.reject(error);
    }
    return PgMuxOneShot.run(this.#route(), {
      statements: request.statements,
      kind,
      cancellation: request.cancellation,
      secrets: this.#multiplexer.secrets,
      onNotice: this.#onNotice,
    });
  }

  async transaction(request: TransactionRequest, signal: AbortSignal): Promise<void> {
    if (request.kind === 'begin') {
      const sql = transactionSql(request);
      const session = await this.#multiplexer.bind(this, signal);
      this.#bound = { session, route: boundRoute(this.#multiplexer, session) };
      try {
        await this.#run(sql);
      } catch (error) {
        this.#unbind(true);
        throw error;
      }
      return;
    }
    const bound = this.#bound;
    if (!bound) throw new NotSupportedError('No transaction is bound to this multiplexed connection.');
    const ends = request.kind === 'commit' || (request.kind === 'rollback' && request.savepoint === undefined);
    if (!ends) {
      await this.#run(transactionSql(request));
      return;
    }
    try {
      if (request.kind === 'commit' && bound.session.transactionStatus === 'E') {
        // PostgreSQL answers COMMIT of a failed transaction with a silent ROLLBACK; say so instead of pretending.
        await this.#run('ROLLBACK');
        throw new DbError(
          '25P02: The transaction could not be committed because a command in it failed; it was rolled back.',
          { sqlState: '25P02', providerCode: '25P02', category: DbErrorCategory.Other, providerName: 'pg' },
        );
      }
      await this.#run(transactionSql(request));
    } finally {
      this.#unbind(false);
    }
  }

  /** Ends the link: a transaction still open is rolled back and its session given back. */
  async close(broken: boolean): Promise<void> {
    const bound = this.#bound;
    if (!bound) return;
    if (!broken && !bound.session.lostError && bound.session.transactionStatus !== 'I') {
      await this.#run('ROLLBACK').catch(() => {});
    }
    this.#unbind(broken);
  }

  #admit(request: CommandRequest): void {
    // Plain loops: this runs for every multiplexed command (no closure or array per check).
    let refused = request.commandType === 'StoredProcedure';
    const commands = request.batch?.commands;
    if (commands !== undefined) for (const command of commands) refused ||= command.commandType === 'StoredProcedure';
    for (const parameter of request.parameters) refused ||= parameter.direction !== 'Input';
    if (refused) {
      // A multiplexed statement shares its session's pipeline: no room for the routine lookup, nor for reading a
      // first row back into parameters (pooled connections do both: pg-routine-call.ts, pg-output-values.ts).
      throw new NotSupportedError(
        'A Multiplexing=true connection neither calls stored procedures by name nor fills output parameters: write ' +
          'the call in SQL ("CALL name(@a, @b)", "SELECT * FROM name(@a)") and read its row, or use a pooled connection.',
      );
    }
    const inTransaction = this.#bound !== undefined;
    for (const statement of request.statements) refuseSessionScope(statement.text, inTransaction);
    const lost = this.#bound?.session.lostError;
    if (lost) {
      const error = toDbError(lost, this.#multiplexer.secrets);
      this.#onLost(error);
      throw error;
    }
  }

  #route(): PgMuxRoute {
    return this.#bound?.route ?? this.#multiplexer.route;
  }

  async #run(sql: string): Promise<void> {
    await PgMuxOneShot.run(this.#route(), {
      statements: [{ text: sql, parameters: [] }],
      kind: 'nonQuery',
      cancellation: NEVER,
      secrets: this.#multiplexer.secrets,
    });
  }

  #unbind(broken: boolean): void {
    const bound = this.#bound;
    this.#bound = undefined;
    if (bound) this.#multiplexer.unbind(bound.session, broken || bound.session.lostError !== undefined);
  }
}
