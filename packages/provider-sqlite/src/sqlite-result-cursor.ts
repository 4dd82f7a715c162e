import {
  CommandBehavior,
  DbColumn,
  hasBehavior,
  type CommandRequest,
  type ResultCursor,
  type ResultSetHeader,
} from '@asyncdb/core';
import { columnTypeOf, storageClassTypeOf, type SqliteColumnType } from './sqlite-type-map.js';
import { readValue, writeValue } from './sqlite-values.js';
import type { SqliteSession } from './sqlite-session.js';
import type { BatchResult, SqliteValue, WorkerColumn } from './sqlite-worker-protocol.js';

/**
 * Rows the worker sends with a statement's first answer: enough for most results in one message, few enough that a
 * large result never sits whole in memory (later batches are sized by the reader's fetch).
 */
const FIRST_BATCH_ROWS = 256;
/** The most rows one fetch asks the worker for, whatever the reader asks: bounds a message's size. */
const MAX_BATCH_ROWS = 4_096;

/**
 * The results of one command: its statements run one at a time in the worker, each answering with its columns and a
 * first batch of rows; the rest of a result is fetched in batches, so at most one batch is held at a time. A failure
 * reaches the reader as `convert` makes it (the connection's DbError), converted here rather than by a wrapper, so a
 * call costs one promise, not two.
 * @internal
 */
export class SqliteResultCursor implements ResultCursor {
  readonly #session: SqliteSession;
  readonly #request: CommandRequest;
  readonly #convert: (error: unknown) => unknown;
  #next = 0;
  #types: SqliteColumnType[] = Array();
  #buffered: (readonly SqliteValue[])[] = Array();
  #done = true;
  #affected = -1;

  constructor(session: SqliteSession, request: CommandRequest, convert: (error: unknown) => unknown) {
    this.#session = session;
    this.#request = request;
    this.#convert = convert;
  }

  get recordsAffected(): number {
    return this.#affected;
  }

  async nextResult(): Promise<ResultSetHeader | null> {
    try {
      await this.#discardRows();
      const statement = this.#request.statements[this.#next];
      if (statement === undefined) return null;
      this.#next += 1;
      const parameters = statement.parameters.map(writeValue);
      const { behavior } = this.#request;
      const result = await this.#session.request<BatchResult>({
        op: 'execute',
        sql: statement.text,
        parameters,
        maxRows: FIRST_BATCH_ROWS,
        schemaOnly: hasBehavior(behavior, CommandBehavior.SchemaOnly),
        keyInfo: hasBehavior(behavior, CommandBehavior.KeyInfo),
      });
      this.#buffered = [...result.rows];
      this.#done = result.done;
      if (result.changes !== undefined && result.changes >= 0) {
        this.#affected = Math.max(this.#affected, 0) + result.changes;
      }
      const columns = result.columns ?? [];
      this.#types = columns.map((column, ordinal) => this.#typeOf(column, result.rows[0]?.[ordinal]));
      return { columns: columns.map((column, ordinal) => this.#describe(column, ordinal)) };
    } catch (error) {
      throw this.#convert(error);
    }
  }

  async fetch(maxRows: number): Promise<unknown[][]> {
    try {
      if (this.#buffered.length === 0 && !this.#done) {
        const result = await this.#session.request<BatchResult>({
          op: 'fetch',
          maxRows: Math.min(Math.max(maxRows, 1), MAX_BATCH_ROWS),
        });
        this.#buffered = [...result.rows];
        this.#done = result.done;
      }
      const rows = this.#buffered.splice(0, Math.max(maxRows, 1));
      const types = this.#types;
      return rows.map((row) => row.map((value, ordinal) => readValue(value, types[ordinal]!)));
    } catch (error) {
      throw this.#convert(error);
    }
  }

  async close(): Promise<void> {
    try {
      await this.#discardRows();
    } catch (error) {
      throw this.#convert(error);
    }
    this.#next = this.#request.statements.length;
  }

  /** Ends the current statement's unread rows in the worker, so it holds no lock. */
  async #discardRows(): Promise<void> {
    this.#buffered = [];
    if (this.#done) return;
    this.#done = true;
    if (!this.#session.exited) await this.#session.request({ op: 'closeCursor' });
  }

  #typeOf(column: WorkerColumn, firstValue: SqliteValue | undefined): SqliteColumnType {
    const declared = column.declaredType === null ? undefined : columnTypeOf(column.declaredType);
    if (declared) return declared;
    const byValue = storageClassTypeOf(firstValue ?? null);
    // A declared type the table does not know keeps its name, as getDataTypeName reports it.
    return column.declaredType ? { ...byValue, dataTypeName: column.declaredType } : byValue;
  }

  #describe(column: WorkerColumn, ordinal: number): DbColumn {
    const type = this.#types[ordinal]!;
    return new DbColumn({
      columnName: column.name,
      columnOrdinal: ordinal,
      dataTypeName: type.dataTypeName,
      dbType: type.dbType,
      numericPrecision: type.precision,
      numericScale: type.scale,
      allowDBNull: column.notNull === undefined ? undefined : !column.notNull,
      isKey: column.isKey,
      isExpression: column.table === null,
      baseTableName: column.table ?? undefined,
      baseColumnName: column.column ?? undefined,
      providerType: type.dataTypeName,
    });
  }
}
