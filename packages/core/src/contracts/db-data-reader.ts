import { CommandBehavior, hasBehavior } from './command-behavior.js';
import type { DbColumn } from './db-column.js';
import type { ResultCursor } from '../providers/provider-spi.js';
import type { ExecutionScope } from '../execution/execution-scope.js';
import type { FieldType } from '../values/field-type.js';
import { convertForGetter, type TypedGetter } from '../values/value-conversion.js';
import { ArgumentError, IndexOutOfRangeError, InvalidCastError, InvalidOperationError } from '../errors/errors.js';
import { Messages } from '../execution/messages.js';

/** What core hands a reader: the provider's cursor and the execution it belongs to. @internal */
export interface ReaderSource {
  readonly cursor: ResultCursor;
  readonly behavior: CommandBehavior;
  readonly scope: ExecutionScope;
  /** Rows asked of the provider per fetch. */
  readonly fetchSize: number;
  /** Called once when the reader closes, after the cursor closed (with the close error, if any). */
  readonly onClose: (error: unknown) => Promise<void>;
}

/** A row as `for await` yields it: column name → value (the first column wins when names repeat). */
export type DbRow = Record<string, unknown>;

type Position = 'before' | 'row' | 'after';

/** What `read()` resolves when the next row was already fetched: one shared, already-fulfilled promise. */
const READ_TRUE: Promise<boolean> = Promise.resolve(true);

/** The columns of a reader before its first result (shared: never written). */
const NO_COLUMNS: readonly DbColumn[] = Object.freeze([]);

/**
 * A forward-only stream of rows over one or more result sets. Mirrors `System.Data.Common.DbDataReader`.
 * Rows are fetched from the server in bounded batches as you read, so memory stays flat however large the
 * result. Close it (or `await using`, or finish a `for await`) to release the connection.
 *
 * Concrete: core builds it from the {@link ReaderSource} it hands `DbCommand.createDataReader`; a provider
 * subclasses it only to add engine-specific getters.
 *
 * ```ts
 * await using reader = await command.executeReader();
 * while (await reader.read()) console.log(reader.getInt32(0), reader.getString('name'));
 * ```
 */
export class DbDataReader implements AsyncIterable<DbRow>, AsyncDisposable {
  readonly #source: ReaderSource;
  // No array literals per reader: a literal is an allocation site V8 may pretenure (docs/benchmarks.md).
  #columns: readonly DbColumn[] = NO_COLUMNS;
  /** The row object's keys, worked out the first time a row object is asked for (most reads never do). */
  #objectKeys: RowObjectKeys | undefined;
  #rows: unknown[][] = Array();
  #index = -1;
  #current: unknown[] | undefined;
  #position: Position = 'before';
  #setExhausted = false;
  #hasRows = false;
  #noMoreResults = false;
  #resultCount = 0;
  #rowsInSet = 0;
  #nextOrdinal = 0;
  #advancedByIterator = false;
  #closed = false;
  #closing: Promise<void> | undefined;
  #finalRecordsAffected: number | undefined;
  /** `SequentialAccess` or `SingleRow`: value and row reads take the checked paths, which enforce them. */
  readonly #restricted: boolean;

  /** @internal Created by `DbCommand` only. */
  constructor(source: ReaderSource) {
    this.#source = source;
    this.#restricted =
      hasBehavior(source.behavior, CommandBehavior.SequentialAccess) ||
      hasBehavior(source.behavior, CommandBehavior.SingleRow);
  }

  /**
   * Moves to the first result set that has columns and prefetches its first rows.
   * @internal Called by the command before it hands the reader out.
   */
  async initialize(): Promise<void> {
    await this.#advance();
  }

  /** The number of columns of the current result set (0 for a command that returned no rows). */
  get fieldCount(): number {
    this.#ensureOpen('fieldCount');
    return this.#columns.length;
  }

  /** True when the current result set has at least one row. */
  get hasRows(): boolean {
    this.#ensureOpen('hasRows');
    return this.#hasRows;
  }

  /** True once closed. */
  get isClosed(): boolean {
    return this.#closed;
  }

  /** Always 0: asyncdb readers are not nested. */
  get depth(): number {
    return 0;
  }

  /** Rows changed by INSERT/UPDATE/DELETE statements of the command (-1 when none); final once closed. */
  get recordsAffected(): number {
    return this.#finalRecordsAffected ?? this.#source.cursor.recordsAffected;
  }

  /** Advances to the next row. Mirrors `DbDataReader.ReadAsync`. */
  read(): Promise<boolean> {
    // Most calls find the next row already fetched (999 in 1000 with the default batch): move to it without the cost
    // of an async function. Everything else — closed, end of the set, the next batch, SingleRow — takes #read().
    if (!this.#closed && !this.#restricted && this.#position !== 'after' && this.#index + 1 < this.#rows.length) {
      this.#index += 1;
      this.#current = this.#rows[this.#index];
      this.#position = 'row';
      this.#rowsInSet += 1;
      this.#nextOrdinal = 0;
      return READ_TRUE;
    }
    return this.#read();
  }

  async #read(): Promise<boolean> {
    this.#ensureOpen('read');
    if (this.#position === 'after') return false;
    if (hasBehavior(this.#source.behavior, CommandBehavior.SingleRow) && this.#rowsInSet >= 1) return this.#endOfSet();
    this.#index += 1;
    if (this.#index >= this.#rows.length) {
      if (this.#setExhausted) return this.#endOfSet();
      await this.#fetch();
      this.#index = 0;
      if (this.#rows.length === 0) return this.#endOfSet();
    }
    this.#current = this.#rows[this.#index];
    this.#position = 'row';
    this.#rowsInSet += 1;
    this.#nextOrdinal = 0;
    return true;
  }

  /** Advances to the next result set, skipping the rest of the current one. Mirrors `DbDataReader.NextResultAsync`. */
  async nextResult(): Promise<boolean> {
    this.#ensureOpen('nextResult');
    if (this.#advancedByIterator) {
      this.#advancedByIterator = false;
      return true;
    }
    if (this.#noMoreResults) return false;
    if (
      hasBehavior(this.#source.behavior, CommandBehavior.SingleResult) ||
      hasBehavior(this.#source.behavior, CommandBehavior.SingleRow)
    ) {
      this.#finishResults();
      return false;
    }
    return this.#advance();
  }

  /** The column name at an ordinal. */
  getName(ordinal: number): string {
    return this.#column(ordinal, 'getName').columnName;
  }

  /** The ordinal of a column: exact match first, then case-insensitive. Throws IndexOutOfRangeError. */
  getOrdinal(name: string): number {
    this.#ensureResult('getOrdinal');
    const exact = this.#columns.findIndex((column) => column.columnName === name);
    if (exact >= 0) return exact;
    const lower = String(name).toLowerCase();
    const loose = this.#columns.findIndex((column) => column.columnName.toLowerCase() === lower);
    if (loose >= 0) return loose;
    throw new IndexOutOfRangeError(`There is no column named '${name}' in the current result set.`, 'name');
  }

  /** The engine's type name of a column (`int4`, `VARCHAR`, `nvarchar`). */
  getDataTypeName(ordinal: number): string {
    return this.#column(ordinal, 'getDataTypeName').dataTypeName;
  }

  /** The JS type the column's values read as (`'number'`, `'bigint'`, `'string'`, `'Date'`, …). */
  getFieldType(ordinal: number): FieldType {
    return this.#column(ordinal, 'getFieldType').fieldType;
  }

  /** The columns of the current result set. Mirrors `DbDataReader.GetColumnSchema`. */
  getColumnSchema(): DbColumn[] {
    this.#ensureOpen('getColumnSchema');
    return [...this.#columns];
  }

  /** The value of a column of the current row (`null` for SQL NULL). */
  getValue(ordinalOrName: number | string): unknown {
    // A row is current only while the reader is open and positioned on it: a valid ordinal needs no further checks.
    const row = this.#current;
    if (
      row !== undefined &&
      !this.#restricted &&
      typeof ordinalOrName === 'number' &&
      ordinalOrName >= 0 &&
      ordinalOrName < this.#columns.length &&
      Number.isInteger(ordinalOrName)
    ) {
      return row[ordinalOrName];
    }
    const ordinal = this.#ordinal(ordinalOrName, 'getValue');
    return this.#valueAt(ordinal);
  }

  /** The values of the current row; or, given an array, fills it and returns how many were copied. */
  getValues(): unknown[];
  getValues(target: unknown[]): number;
  getValues(target?: unknown[]): unknown[] | number {
    const row = this.#row('getValues');
    if (target === undefined) return [...row];
    if (!Array.isArray(target)) throw new ArgumentError('The target must be an array.', 'values');
    const count = Math.min(target.length, row.length);
    for (let i = 0; i < count; i += 1) target[i] = row[i];
    return count;
  }

  /** True when the column of the current row is SQL NULL. */
  isDBNull(ordinalOrName: number | string): boolean {
    const ordinal = this.#ordinal(ordinalOrName, 'isDBNull');
    return this.#valueAt(ordinal) === null;
  }

  /** The value as `T`, unchanged; NULL throws InvalidCastError (check `isDBNull` first). */
  getFieldValue<T>(ordinalOrName: number | string): T {
    const ordinal = this.#ordinal(ordinalOrName, 'getFieldValue');
    const value = this.#valueAt(ordinal);
    if (value === null)
      throw new InvalidCastError('Data is Null. This method or property cannot be called on Null values.');
    return value as T;
  }

  /** A 16-bit integer; wider integers that fit are narrowed, others throw OverflowError. */
  getInt16(ordinalOrName: number | string): number {
    return this.#typed(ordinalOrName, 'Int16') as number;
  }
  /** A 32-bit integer; wider integers that fit are narrowed, others throw OverflowError. */
  getInt32(ordinalOrName: number | string): number {
    return this.#typed(ordinalOrName, 'Int32') as number;
  }
  /** A 64-bit integer as bigint (any integer column). */
  getInt64(ordinalOrName: number | string): bigint {
    return this.#typed(ordinalOrName, 'Int64') as bigint;
  }
  /** An unsigned byte (0–255). */
  getByte(ordinalOrName: number | string): number {
    return this.#typed(ordinalOrName, 'Byte') as number;
  }
  /** A double (float, real, integer or decimal columns). */
  getDouble(ordinalOrName: number | string): number {
    return this.#typed(ordinalOrName, 'Double') as number;
  }
  /** A single-precision float, rounded with `Math.fround`. */
  getFloat(ordinalOrName: number | string): number {
    return this.#typed(ordinalOrName, 'Single') as number;
  }
  /** An exact decimal as a string (decimal, numeric, money and integer columns). */
  getDecimal(ordinalOrName: number | string): string {
    return this.#typed(ordinalOrName, 'Decimal') as string;
  }
  /** A string (text, xml and uuid columns). */
  getString(ordinalOrName: number | string): string {
    return this.#typed(ordinalOrName, 'String') as string;
  }
  /** A boolean (boolean, bit, TINYINT(1) columns). */
  getBoolean(ordinalOrName: number | string): boolean {
    return this.#typed(ordinalOrName, 'Boolean') as boolean;
  }
  /** A Date (timestamp, datetime columns; a date column reads as UTC midnight). */
  getDateTime(ordinalOrName: number | string): Date {
    return this.#typed(ordinalOrName, 'DateTime') as Date;
  }
  /** A uuid / uniqueidentifier as a lower-case string. */
  getGuid(ordinalOrName: number | string): string {
    return this.#typed(ordinalOrName, 'Guid') as string;
  }

  /**
   * The bytes of a binary column; or, in the ADO.NET form, copies up to `length` bytes from `dataOffset` into
   * `buffer` at `bufferOffset` and returns how many were copied (with no buffer: the total length).
   */
  getBytes(ordinalOrName: number | string): Uint8Array;
  getBytes(
    ordinalOrName: number | string,
    dataOffset: number,
    buffer: Uint8Array | null,
    bufferOffset: number,
    length: number,
  ): number;
  getBytes(
    ordinalOrName: number | string,
    dataOffset?: number,
    buffer?: Uint8Array | null,
    bufferOffset = 0,
    length = 0,
  ): Uint8Array | number {
    const bytes = this.#typed(ordinalOrName, 'Bytes') as Uint8Array;
    if (dataOffset === undefined) return bytes;
    if (buffer === null || buffer === undefined) return bytes.length;
    if (!Number.isInteger(dataOffset) || dataOffset < 0)
      throw new IndexOutOfRangeError(`dataOffset ${dataOffset} is invalid.`, 'dataOffset');
    if (!Number.isInteger(bufferOffset) || bufferOffset < 0 || bufferOffset > buffer.length) {
      throw new IndexOutOfRangeError(`bufferOffset ${bufferOffset} is outside the buffer.`, 'bufferOffset');
    }
    if (!Number.isInteger(length) || length < 0 || bufferOffset + length > buffer.length) {
      throw new IndexOutOfRangeError(
        `bufferOffset + length (${bufferOffset + length}) exceeds the buffer (${buffer.length}).`,
        'length',
      );
    }
    if (dataOffset >= bytes.length) return 0;
    const chunk = bytes.subarray(dataOffset, dataOffset + length);
    buffer.set(chunk, bufferOffset);
    return chunk.length;
  }

  /** Closes the reader: discards unread results (cancelling on the server when cheaper) and releases the connection. */
  close(): Promise<void> {
    if (this.#closing) return this.#closing;
    this.#closed = true;
    this.#current = undefined;
    this.#rows = Array();
    this.#closing = this.#doClose();
    return this.#closing;
  }

  /** Closes the reader (`await using`). */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /**
   * Yields the rows of the current result set as plain objects. Breaking out or throwing closes the reader;
   * at the end of the set the reader moves on, and closes when there is no further result set (so a plain
   * `for await` over a single query always releases the connection).
   */
  async *[Symbol.asyncIterator](): AsyncGenerator<DbRow, void, undefined> {
    let completed = false;
    try {
      while (await this.read()) yield this.#rowObject();
      completed = true;
    } finally {
      if (!completed || this.#closed) await this.close();
      else if (await this.#advanceOrClose()) this.#advancedByIterator = true;
    }
  }

  async #advanceOrClose(): Promise<boolean> {
    const more = await this.nextResult();
    if (!more) await this.close();
    return more;
  }

  async #doClose(): Promise<void> {
    let failure: unknown;
    try {
      await this.#source.scope.wait(this.#source.cursor.close());
    } catch (error) {
      failure = error;
    }
    this.#finalRecordsAffected = this.#source.cursor.recordsAffected;
    await this.#source.onClose(failure);
    if (failure !== undefined) throw failure;
  }

  /** Moves to the next result set with columns; positions on an empty set when none is left. */
  async #advance(): Promise<boolean> {
    this.#resetSet();
    for (;;) {
      const header = await this.#guard(this.#source.cursor.nextResult());
      if (header === null) {
        this.#noMoreResults = true;
        // No current result: read() must answer false without asking the cursor for rows it does not have.
        this.#setExhausted = true;
        return false;
      }
      if (header.columns.length === 0) continue;
      this.#resultCount += 1;
      this.#columns = header.columns;
      this.#objectKeys = undefined;
      if (hasBehavior(this.#source.behavior, CommandBehavior.SchemaOnly)) {
        this.#setExhausted = true;
        return true;
      }
      await this.#fetch();
      this.#hasRows = this.#rows.length > 0;
      return true;
    }
  }

  async #fetch(): Promise<void> {
    const single = hasBehavior(this.#source.behavior, CommandBehavior.SingleRow);
    this.#rows = await this.#guard(this.#source.cursor.fetch(single ? 1 : this.#source.fetchSize));
    this.#index = -1;
    if (this.#rows.length === 0) this.#setExhausted = true;
  }

  /** Waits on the provider; on failure the reader closes itself so the connection is released. */
  async #guard<T>(promise: Promise<T>): Promise<T> {
    try {
      return await this.#source.scope.wait(promise);
    } catch (error) {
      await this.close().catch(() => {});
      throw error;
    }
  }

  #resetSet(): void {
    this.#columns = NO_COLUMNS;
    this.#objectKeys = undefined;
    this.#rows = Array();
    this.#index = -1;
    this.#current = undefined;
    this.#position = 'before';
    this.#setExhausted = false;
    this.#hasRows = false;
    this.#rowsInSet = 0;
  }

  #finishResults(): void {
    this.#noMoreResults = true;
    this.#resetSet();
    this.#position = 'after';
  }

  #endOfSet(): false {
    this.#position = 'after';
    this.#current = undefined;
    this.#rows = Array();
    return false;
  }

  #ensureOpen(method: string): void {
    if (this.#closed) throw new InvalidOperationError(Messages.readerClosed(method));
  }

  /** Open and positioned on a result set: without one there is no metadata to read (SqlClient's CheckMetaDataIsReady). */
  #ensureResult(method: string): void {
    this.#ensureOpen(method);
    if (this.#columns.length === 0) throw new InvalidOperationError(Messages.noData());
  }

  #column(ordinal: number, method: string): DbColumn {
    this.#ensureResult(method);
    const column = this.#columns[ordinal];
    if (!Number.isInteger(ordinal) || column === undefined) {
      throw new IndexOutOfRangeError(
        `Ordinal ${ordinal} is out of range; the result set has ${this.#columns.length} column(s).`,
        'ordinal',
      );
    }
    return column;
  }

  #ordinal(ordinalOrName: number | string, method: string): number {
    const ordinal = typeof ordinalOrName === 'string' ? this.getOrdinal(ordinalOrName) : ordinalOrName;
    this.#column(ordinal, method);
    return ordinal;
  }

  #row(method: string): unknown[] {
    this.#ensureOpen(method);
    if (this.#position !== 'row' || this.#current === undefined) throw new InvalidOperationError(Messages.noData());
    return this.#current;
  }

  #valueAt(ordinal: number): unknown {
    const row = this.#row('getValue');
    if (hasBehavior(this.#source.behavior, CommandBehavior.SequentialAccess)) {
      if (ordinal < this.#nextOrdinal - 1)
        throw new InvalidOperationError(Messages.sequentialAccess(ordinal, this.#nextOrdinal - 1));
      this.#nextOrdinal = ordinal + 1;
    }
    return row[ordinal];
  }

  #typed(ordinalOrName: number | string, getter: TypedGetter): unknown {
    const ordinal = this.#ordinal(ordinalOrName, `get${getter}`);
    return convertForGetter(this.#valueAt(ordinal), this.#columns[ordinal]!, getter);
  }

  #rowObject(): DbRow {
    const row = this.#current!;
    const object: DbRow = {};
    const keys = (this.#objectKeys ??= objectKeysOf(this.#columns));
    if (!keys.hasProto) {
      for (const [name, ordinal] of keys.entries) object[name] = row[ordinal];
      return object;
    }
    // Assigning `__proto__` would call Object.prototype's setter and make the value the row's prototype.
    for (const [name, ordinal] of keys.entries) {
      if (name !== '__proto__') object[name] = row[ordinal];
      else
        Object.defineProperty(object, name, {
          value: row[ordinal],
          enumerable: true,
          writable: true,
          configurable: true,
        });
    }
    return object;
  }
}

/**
 * The keys of a result's row objects. Plain assignment (the fast path) makes an own property of every name,
 * `constructor`, `toString` and `hasOwnProperty` included, except `__proto__`, which must be defined.
 */
interface RowObjectKeys {
  /** Name and ordinal of each key, in column order (the first column wins when names repeat). */
  readonly entries: ReadonlyArray<readonly [string, number]>;
  /** Whether a column is named `__proto__`: then the rows take the slower path that defines it. */
  readonly hasProto: boolean;
}

/** Keys already worked out, by column list: providers that reuse a result's columns reuse them too. */
const objectKeysCache = new WeakMap<readonly DbColumn[], RowObjectKeys>();

function objectKeysOf(columns: readonly DbColumn[]): RowObjectKeys {
  const cached = objectKeysCache.get(columns);
  if (cached) return cached;
  const seen = new Set<string>();
  const entries: Array<readonly [string, number]> = [];
  columns.forEach((column, ordinal) => {
    if (seen.has(column.columnName)) return;
    seen.add(column.columnName);
    entries.push([column.columnName, ordinal]);
  });
  const keys = { entries, hasProto: seen.has('__proto__') };
  objectKeysCache.set(columns, keys);
  return keys;
}
