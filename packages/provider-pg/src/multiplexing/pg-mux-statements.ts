import type { StatementRequest } from '@asyncdb/core';
import type { PgWireConnection } from '../pg-client.js';
import { encodeParameter, type PgEncodedParameter } from '../pg-parameter-encoder.js';

/** How a multiplexed command's statements are written. */
export interface PgMuxWriteOptions {
  /** Describe without executing (SchemaOnly). */
  readonly describeOnly?: boolean;
  /** Rows each Execute asks for (0 = all); a limited Execute ends with PortalSuspended (SingleRow). */
  readonly rowLimit?: number;
}

/**
 * A command's statements encoded once (a value that cannot be encoded fails before anything is queued), and
 * written as one unit ending with Sync: one simple-protocol Query for a lone statement without parameters (one
 * message instead of five), else Parse/Bind/Describe/Execute per statement and the Sync.
 * @internal
 */
export class PgMuxStatements {
  readonly #statements: readonly StatementRequest[];
  readonly #encoded: ReadonlyArray<readonly PgEncodedParameter[]>;
  readonly #options: PgMuxWriteOptions;
  /** True when written as a simple Query (a result without rows then has no NoData). */
  readonly simpleQuery: boolean;
  /** Execute messages written (what the server runs). */
  readonly executes: number;

  constructor(statements: readonly StatementRequest[], options: PgMuxWriteOptions = {}) {
    this.#statements = statements;
    this.#options = options;
    this.#encoded = statements.map((statement) => statement.parameters.map(encodeParameter));
    const only = statements.length === 1 ? statements[0]! : undefined;
    this.simpleQuery = only !== undefined && only.parameters.length === 0 && !options.describeOnly && !options.rowLimit;
    this.executes = options.describeOnly ? 0 : statements.length;
  }

  /** Writes the unit. */
  write(wire: PgWireConnection): void {
    if (this.simpleQuery) {
      wire.query(this.#statements[0]!.text);
      return;
    }
    const rows = this.#options.rowLimit ?? 0;
    for (let i = 0; i < this.#statements.length; i += 1) {
      const parameters = this.#encoded[i]!;
      wire.parse({ text: this.#statements[i]!.text, types: parameters.map((parameter) => parameter.oid) });
      wire.bind({ values: parameters.map((parameter) => parameter.value) });
      wire.describe({ type: 'P' });
      if (!this.#options.describeOnly) wire.execute({ rows });
    }
    wire.sync();
  }
}

/** True for the server's query_canceled: what a CancelRequest causes. */
export function isQueryCanceled(error: Error | undefined): boolean {
  return (error as { code?: unknown } | undefined)?.code === '57014';
}

/**
 * Counters for tests and diagnostics: commands sent again because a CancelRequest meant for the command ahead of
 * them hit them (see `PgPipelineSession`). @internal
 */
export const pgMultiplexingStats = { strayCancelRetries: 0 };
