import {
  CommandBehavior,
  DbColumn,
  type Cancellation,
  type DbType,
  type ResultCursor,
  type ResultSetHeader,
  type StatementRequest,
} from '@asyncdb/core';
import { toDbError } from './toy-error-converter.js';
import type { ToyColumn, ToyResult, ToySession, ToyType } from './toy-engine.js';

/** The engine's column types → core's DbTypes, which decide what JS type each value must be (docs/values.md). */
const DB_TYPES: Readonly<Record<ToyType, DbType>> = {
  int: 'Int32',
  bigint: 'Int64',
  double: 'Double',
  text: 'String',
  bool: 'Boolean',
  timestamp: 'DateTime',
  bytes: 'Binary',
  json: 'Json',
};

/**
 * The results of one execution, pulled by core's reader: `nextResult()` runs the next statement and describes it,
 * `fetch(maxRows)` hands over at most `maxRows` rows (the engine produces them lazily, so nothing is buffered),
 * `close()` discards the rest. Values are already the JS types core expects, so no conversion is needed here; a real
 * provider converts the driver's values in `fetch` (e.g. a 64-bit integer to `bigint`, a decimal to exact text).
 */
export class ToyResultCursor implements ResultCursor {
  readonly #session: ToySession;
  readonly #statements: readonly StatementRequest[];
  readonly #cancellation: Cancellation;
  readonly #schemaOnly: boolean;
  #next = 0;
  #current: ToyResult | undefined;
  #affected = -1;

  constructor(
    session: ToySession,
    statements: readonly StatementRequest[],
    behavior: CommandBehavior,
    cancellation: Cancellation,
  ) {
    this.#session = session;
    this.#statements = statements;
    this.#cancellation = cancellation;
    // SchemaOnly is the provider's duty: describe every statement, run none of them.
    this.#schemaOnly = (behavior & CommandBehavior.SchemaOnly) !== 0;
  }

  /** Rows changed by the statements run so far; -1 while none changed rows. */
  get recordsAffected(): number {
    return this.#affected;
  }

  /** Runs the next statement and resolves its header (no columns for a statement without rows), or null at the end. */
  async nextResult(): Promise<ResultSetHeader | null> {
    const statement = this.#statements[this.#next];
    if (statement === undefined || this.#cancellation.aborted) return null;
    this.#next += 1;
    const values = statement.parameters.map((parameter) => parameter.value);
    try {
      if (this.#schemaOnly) {
        this.#current = undefined;
        return { columns: this.#session.describe(statement.text, values).map(toDbColumn) };
      }
      this.#current = await this.#session.run(statement.text, values);
    } catch (error) {
      throw toDbError(error);
    }
    if (this.#current.kind === 'count') {
      if (this.#current.affected >= 0) this.#affected = Math.max(this.#affected, 0) + this.#current.affected;
      return { columns: [] };
    }
    return { columns: this.#current.columns.map(toDbColumn) };
  }

  /** Up to `maxRows` rows of the current result; an empty array at its end. */
  async fetch(maxRows: number): Promise<unknown[][]> {
    const current = this.#current;
    if (current?.kind !== 'rows') return [];
    const rows: unknown[][] = [];
    while (rows.length < maxRows && !this.#cancellation.aborted) {
      const next = current.rows.next();
      if (next.done) break;
      rows.push(next.value);
    }
    return rows;
  }

  /** Discards what is left. Core calls it exactly once, also after an error or an abort. */
  async close(): Promise<void> {
    // Nothing waits on the engine: rows never fetched are simply never produced.
    this.#current = undefined;
    this.#next = this.#statements.length;
  }
}

function toDbColumn(column: ToyColumn, columnOrdinal: number): DbColumn {
  return new DbColumn({
    columnName: column.name,
    columnOrdinal,
    dataTypeName: column.type,
    dbType: DB_TYPES[column.type],
    allowDBNull: true,
  });
}
