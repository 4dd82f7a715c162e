import type { StatementRequest } from '@asyncdb/core';
import type { PgFieldDescription, PgWireConnection } from '../pg-client.js';
import { PgStatementBatch } from '../pg-statement-batch.js';
import { isStalePrepared, type PgPreparedStatement, type PgPreparedStatements } from './pg-mux-prepared.js';

/** How a multiplexed command's statements are written. */
export interface PgMuxWriteOptions {
  /** Describe without executing (SchemaOnly). */
  readonly describeOnly?: boolean;
  /** Rows each Execute asks for (0 = all); a limited Execute ends with PortalSuspended (SingleRow). */
  readonly rowLimit?: number;
  /** A lone statement is prepared by name on its session and reused from there (see {@link PgPreparedStatements}). */
  readonly prepare?: boolean;
}

/** A statement written by name: which, and whether this write prepared it (its ParseComplete then decides). */
class PreparedUse {
  constructor(
    readonly statements: PgPreparedStatements,
    readonly text: string,
    readonly statement: PgPreparedStatement,
    readonly fresh: boolean,
  ) {}
}

/**
 * A multiplexed command's statements (see {@link PgStatementBatch}: encoded once, a value that cannot be encoded fails
 * before anything is queued), written as one unit ending with Sync — never with a deferred reset, which only a pooled
 * session owes — or, for a lone statement prepared on its session, by name.
 * @internal
 */
export class PgMuxStatements extends PgStatementBatch {
  // The options' values, not the options object (a caller's literal kept for the round trip would be pretenured).
  readonly #describeOnly: boolean;
  readonly #rowLimit: number;
  readonly #prepare: boolean;
  /** True when written as a simple Query (a result without rows then has no NoData). */
  readonly simpleQuery: boolean;
  /** Execute messages written (what the server runs). */
  readonly executes: number;
  /** The statement the last write used by name, if it did. */
  #use: PreparedUse | undefined;
  #parsed = false;
  #described: readonly PgFieldDescription[] | undefined;

  constructor(statements: readonly StatementRequest[], options: PgMuxWriteOptions = {}) {
    super(statements);
    this.#describeOnly = options.describeOnly === true;
    this.#rowLimit = options.rowLimit ?? 0;
    this.#prepare = options.prepare === true;
    this.simpleQuery = this.fitsSimpleQuery(false, this.#rowLimit, this.#describeOnly);
    this.executes = this.#describeOnly ? 0 : statements.length;
  }

  /**
   * Writes the unit. `prepared` is the session's statements when it may prepare (not a transaction's session): a lone
   * statement of a command that asked for it then goes by name.
   */
  write(wire: PgWireConnection, prepared?: PgPreparedStatements): void {
    this.#use = undefined;
    this.#parsed = false;
    this.#described = undefined;
    const rows = this.#rowLimit;
    if (!this.simpleQuery && prepared !== undefined && this.#prepare && this.statements.length === 1) {
      this.#writeNamed(wire, prepared, rows);
      return;
    }
    this.writeBatch(wire, false, rows, this.#describeOnly);
  }

  #writeNamed(wire: PgWireConnection, prepared: PgPreparedStatements, rows: number): void {
    const text = this.statements[0]!.text;
    const types = this.typesOf(0);
    let statement = prepared.find(text, types);
    if (statement !== undefined) {
      this.#use = new PreparedUse(prepared, text, statement, false);
      wire.bind({ statement: statement.name, values: this.valuesOf(0) });
      // Its columns are known: no Describe (the server sends no RowDescription, the entry is told them instead).
      if (statement.fields === undefined) wire.describe({ type: 'P' });
    } else {
      statement = prepared.begin(text, types);
      const name = statement?.name ?? '';
      if (statement !== undefined) this.#use = new PreparedUse(prepared, text, statement, true);
      wire.parse({ name, text, types });
      wire.bind({ statement: name, values: this.valuesOf(0) });
      // Described as a statement when prepared, so that its columns can be kept with it (same RowDescription).
      wire.describe(statement !== undefined ? { type: 'S', name } : { type: 'P' });
    }
    wire.execute({ rows });
    wire.sync();
  }

  /**
   * The columns of the statement the last write sent by name without a Describe (the entry takes them as the
   * RowDescription it will not receive); undefined when a RowDescription or NoData comes from the server.
   */
  get knownFields(): readonly PgFieldDescription[] | undefined {
    const use = this.#use;
    return use !== undefined && !use.fresh ? use.statement.fields : undefined;
  }

  /** The RowDescription (or, empty, the NoData) of the unit: kept with a statement this write prepares. */
  onDescribed(fields: readonly PgFieldDescription[]): void {
    const use = this.#use;
    // A fresh statement keeps its columns; so does one prepared earlier whose first use never learnt them (its Bind
    // failed), which otherwise would send a Describe on every use for the rest of the session.
    if (use !== undefined && (use.fresh || use.statement.fields === undefined)) this.#described = fields;
  }

  /** A ParseComplete of this unit (the named Parse, when it wrote one, is its only Parse). */
  onParseComplete(): void {
    this.#parsed = true;
  }

  /**
   * The unit ended (ReadyForQuery, or its session died): a statement it prepared is usable by name if its Parse
   * completed. Returns true when `failure` says a statement it used by name went stale — forgotten now, so the
   * command can be sent again (its implicit transaction was rolled back) and is then parsed afresh.
   */
  settle(failure: Error | undefined): boolean {
    const use = this.#use;
    if (use === undefined) return false;
    this.#use = undefined;
    if (use.fresh) {
      if (this.#parsed) use.statement.fields = this.#described;
      use.statements.settle(use.text, use.statement, this.#parsed);
      return false;
    }
    if (failure === undefined && use.statement.fields === undefined) use.statement.fields = this.#described;
    if (!isStalePrepared(failure)) return false;
    use.statements.forget(use.text, use.statement);
    return true;
  }
}

/** True for the server's query_canceled: what a CancelRequest causes. */
export function isQueryCanceled(error: Error | undefined): boolean {
  return (error as { code?: unknown } | undefined)?.code === '57014';
}

/**
 * Counters for tests and diagnostics: commands sent again because a CancelRequest meant for the command ahead of
 * them hit them (see `PgPipelineSession`), and because the statement they used by name went stale (see
 * `PgPreparedStatements`). @internal
 */
export const pgMultiplexingStats = { strayCancelRetries: 0, stalePreparedRetries: 0 };
