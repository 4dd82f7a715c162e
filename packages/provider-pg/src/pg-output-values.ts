import type { BoundParameter, ResultCursor, ResultSetHeader } from '@asyncdb/core';

/**
 * A cursor that fills Output, InputOutput and ReturnValue parameters from the first row of the first result with
 * columns, as Npgsql does: a procedure's CALL returns its OUT/INOUT arguments as that one row, and a function's
 * `SELECT * FROM fn(…)` its OUT columns or its value. Each such parameter takes the column of its name
 * (case-insensitively), else the column at its position among them (a ReturnValue without a column of its name
 * takes the first). The row stays a result the reader sees. The row is fetched as soon as the result starts, so the
 * values are there however little of the results the caller reads (`executeNonQuery` reads none).
 * @internal
 */
export class PgOutputValuesCursor implements ResultCursor {
  readonly #inner: ResultCursor;
  readonly #outputs: readonly BoundParameter[];
  #columns: readonly string[] | undefined;
  #row: unknown[] | undefined;
  #buffered: unknown[][] | undefined;

  constructor(inner: ResultCursor, parameters: readonly BoundParameter[]) {
    this.#inner = inner;
    this.#outputs = parameters.filter((parameter) => parameter.direction !== 'Input');
  }

  /** True when `parameters` has anything for this cursor to fill. */
  static needed(parameters: readonly BoundParameter[]): boolean {
    return parameters.some((parameter) => parameter.direction !== 'Input');
  }

  get recordsAffected(): number {
    return this.#inner.recordsAffected;
  }

  get outputValues(): ReadonlyMap<string, unknown> {
    const values = new Map<string, unknown>();
    const columns = this.#columns;
    const row = this.#row;
    if (columns === undefined || row === undefined) return values;
    const lower = columns.map((column) => column.toLowerCase());
    this.#outputs.forEach((parameter, position) => {
      let index = lower.indexOf(parameter.name.toLowerCase());
      if (index < 0) index = parameter.direction === 'ReturnValue' ? 0 : position;
      if (index < row.length) values.set(parameter.name, row[index]);
    });
    return values;
  }

  async nextResult(): Promise<ResultSetHeader | null> {
    this.#buffered = undefined;
    const header = await this.#inner.nextResult();
    if (header !== null && header.columns.length > 0 && this.#columns === undefined) {
      this.#columns = header.columns.map((column) => column.columnName);
      this.#buffered = await this.#inner.fetch(1);
      this.#row = this.#buffered[0];
    }
    return header;
  }

  fetch(maxRows: number): Promise<unknown[][]> {
    const buffered = this.#buffered;
    if (buffered !== undefined && buffered.length > 0) {
      this.#buffered = undefined;
      return Promise.resolve(buffered);
    }
    return this.#inner.fetch(maxRows);
  }

  close(): Promise<void> {
    return this.#inner.close();
  }
}
