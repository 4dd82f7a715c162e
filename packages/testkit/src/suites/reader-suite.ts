import { afterAll, expect, it } from 'vitest';
import {
  CommandBehavior,
  ConnectionState,
  IndexOutOfRangeError,
  InvalidOperationError,
  type DbDataReader,
  type DbRow,
} from '@asyncdb/core';
import type { ConformanceContext } from '../conformance-context.js';
import { capabilityGate, gatedIt } from '../capability-gate.js';
import { asInteger } from '../helpers/integer.js';
import { retainedBytes } from '../helpers/heap-probe.js';
import { keyValueTable, resetKeyValues } from './tables.js';

/** Rows of the memory test, and what the reader may retain while streaming them (a buffered result needs > 50 MB). */
const LARGE_ROW_COUNT = 200_000;
const RETAINED_BOUND_BYTES = 32 * 1024 * 1024;

/**
 * Group 3 — Reader: read / nextResult across batches, hasRows, the CommandBehavior flags, getters before the first
 * row, after the last and after close, ordinals out of range, getColumnSchema, `for await` releasing the
 * connection on break and throw, and a 200 000-row result read in bounded memory (ADO.NET DataReaderTestBase,
 * docs/architecture.md).
 */
export function readerSuite(context: ConformanceContext): void {
  const { capabilities, fixture } = context;
  const multipleResults = capabilityGate(capabilities, 'supportsMultipleResultSets');
  const table = keyValueTable(context, 'tk_reader');
  afterAll(() => context.dropTables(table.name));

  /** The reader table holding (1, 'one'), (2, 'two'), (3, NULL). */
  const threeRows = () =>
    resetKeyValues(context, table, [
      [1, 'one'],
      [2, 'two'],
      [3, null],
    ]);

  async function readerOver(sql: string, behavior: CommandBehavior = CommandBehavior.Default): Promise<DbDataReader> {
    const connection = await context.open();
    return connection.createCommand(sql).executeReader(behavior);
  }

  it('row objects hold every column as an own property whatever its name (__proto__, constructor), and the session lives on', async () => {
    const connection = await context.open();
    const reader = await connection
      .createCommand("SELECT 1 AS __proto__, 2 AS constructor, 'x' AS isadmin")
      .executeReader();
    const rows: Array<Record<string, unknown>> = [];
    for await (const row of reader) rows.push(row);
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
    expect(Object.keys(row)).toEqual(['__proto__', 'constructor', 'isadmin']);
    for (const name of ['__proto__', 'constructor', 'isadmin']) {
      expect(Object.prototype.hasOwnProperty.call(row, name), name).toBe(true);
    }
    expect(asInteger(Object.getOwnPropertyDescriptor(row, '__proto__')?.value)).toBe(1);
    expect(asInteger(row.constructor)).toBe(2);
    expect(asInteger(await connection.createCommand('SELECT 7').executeScalar())).toBe(7);
  });

  it('read advances over every row, then keeps returning false', async () => {
    const name = await threeRows();
    const reader = await readerOver(`SELECT id FROM ${name} ORDER BY id`);
    const ids: number[] = [];
    while (await reader.read()) ids.push(asInteger(reader.getValue(0)));
    expect(ids).toEqual([1, 2, 3]);
    expect(await reader.read()).toBe(false);
    expect(await reader.read()).toBe(false);
    await reader.close();
  });

  it('hasRows is true before the first read when there are rows, and false when there are none', async () => {
    const name = await threeRows();
    const withRows = await readerOver(`SELECT id FROM ${name}`);
    expect(withRows.hasRows).toBe(true);
    await withRows.close();
    const empty = await readerOver(`SELECT id FROM ${name} WHERE id < 0`);
    expect(empty.hasRows).toBe(false);
    expect(empty.fieldCount).toBe(1);
    expect(await empty.read()).toBe(false);
    await empty.close();
  });

  it('fieldCount, getName, getOrdinal (case-insensitive), getFieldType and getDataTypeName describe the columns', async () => {
    const name = await threeRows();
    const reader = await readerOver(`SELECT id, name FROM ${name} ORDER BY id`);
    expect(reader.fieldCount).toBe(2);
    expect(reader.getName(0)).toBe('id');
    expect(reader.getName(1)).toBe('name');
    expect(reader.getOrdinal('name')).toBe(1);
    expect(reader.getOrdinal('NAME')).toBe(1);
    expect(reader.getFieldType(0)).toBe('number');
    expect(reader.getFieldType(1)).toBe('string');
    expect(reader.getDataTypeName(0)).not.toBe('');
    expect(reader.getDataTypeName(1)).not.toBe('');
    await reader.close();
  });

  it('getColumnSchema describes each column: name, ordinal, engine type name, DbType and JS field type', async () => {
    const name = await threeRows();
    const reader = await readerOver(`SELECT id, name FROM ${name}`);
    const columns = reader.getColumnSchema();
    expect(columns.map((column) => [column.columnName, column.columnOrdinal, column.dbType, column.fieldType])).toEqual(
      [
        ['id', 0, 'Int32', 'number'],
        ['name', 1, 'String', 'string'],
      ],
    );
    for (const column of columns) expect(column.dataTypeName).not.toBe('');
    await reader.close();
  });

  it('getValue by ordinal and by name, getValues, and isDBNull read the current row', async () => {
    const name = await threeRows();
    const reader = await readerOver(`SELECT id, name FROM ${name} ORDER BY id`);
    expect(await reader.read()).toBe(true);
    expect(asInteger(reader.getValue(0))).toBe(1);
    expect(reader.getValue('name')).toBe('one');
    expect(reader.getValue('NAME')).toBe('one');
    const values = reader.getValues();
    expect(values).toHaveLength(2);
    expect(values[1]).toBe('one');
    const narrow: unknown[] = [undefined];
    expect(reader.getValues(narrow)).toBe(1);
    expect(asInteger(narrow[0])).toBe(1);
    expect(reader.isDBNull(1)).toBe(false);
    await reader.read();
    await reader.read();
    expect(reader.isDBNull('name')).toBe(true);
    expect(reader.getValue(1)).toBeNull();
    await reader.close();
  });

  it('getOrdinal of an unknown name, and ordinals out of range, throw IndexOutOfRangeError', async () => {
    const name = await threeRows();
    const reader = await readerOver(`SELECT id, name FROM ${name}`);
    await reader.read();
    expect(() => reader.getOrdinal('missing')).toThrow(IndexOutOfRangeError);
    expect(() => reader.getValue(2)).toThrow(IndexOutOfRangeError);
    expect(() => reader.getValue(-1)).toThrow(IndexOutOfRangeError);
    expect(() => reader.getName(2)).toThrow(IndexOutOfRangeError);
    expect(() => reader.getFieldType(5)).toThrow(IndexOutOfRangeError);
    expect(() => reader.getDataTypeName(-1)).toThrow(IndexOutOfRangeError);
    expect(() => reader.isDBNull(9)).toThrow(IndexOutOfRangeError);
    expect(() => reader.getValue('missing')).toThrow(IndexOutOfRangeError);
    await reader.close();
  });

  it('getValue, getValues, isDBNull and getFieldValue before the first read throw InvalidOperationError', async () => {
    const reader = await readerOver('SELECT 1');
    expect(() => reader.getValue(0)).toThrow(InvalidOperationError);
    expect(() => reader.getValues()).toThrow(InvalidOperationError);
    expect(() => reader.isDBNull(0)).toThrow(InvalidOperationError);
    expect(() => reader.getFieldValue(0)).toThrow(InvalidOperationError);
    await reader.close();
  });

  it('getValue, isDBNull and getFieldValue after the last row throw InvalidOperationError', async () => {
    const reader = await readerOver('SELECT 1');
    expect(await reader.read()).toBe(true);
    expect(await reader.read()).toBe(false);
    expect(() => reader.getValue(0)).toThrow(InvalidOperationError);
    expect(() => reader.isDBNull(0)).toThrow(InvalidOperationError);
    expect(() => reader.getFieldValue(0)).toThrow(InvalidOperationError);
    await reader.close();
  });

  it('after close, read, nextResult, fieldCount, getValue, getName and isDBNull throw InvalidOperationError', async () => {
    const reader = await readerOver('SELECT 1');
    await reader.read();
    await reader.close();
    expect(reader.isClosed).toBe(true);
    await expect(reader.read()).rejects.toBeInstanceOf(InvalidOperationError);
    await expect(reader.nextResult()).rejects.toBeInstanceOf(InvalidOperationError);
    expect(() => reader.fieldCount).toThrow(InvalidOperationError);
    expect(() => reader.getValue(0)).toThrow(InvalidOperationError);
    expect(() => reader.getName(0)).toThrow(InvalidOperationError);
    expect(() => reader.isDBNull(0)).toThrow(InvalidOperationError);
    await reader.close();
  });

  it('recordsAffected is -1 for a SELECT, and still readable after close', async () => {
    const reader = await readerOver('SELECT 1');
    expect(reader.depth).toBe(0);
    await reader.read();
    await reader.close();
    expect(reader.recordsAffected).toBe(-1);
  });

  it('a reader over an UPDATE has no columns and counts the rows in recordsAffected', async () => {
    const name = await threeRows();
    const reader = await readerOver(`UPDATE ${name} SET name = 'x' WHERE id <= 2`);
    expect(reader.fieldCount).toBe(0);
    expect(await reader.read()).toBe(false);
    expect(await reader.nextResult()).toBe(false);
    await reader.close();
    expect(reader.recordsAffected).toBe(2);
  });

  gatedIt(
    multipleResults,
    'nextResult moves across the result sets of a batch, then keeps returning false',
    async () => {
      const reader = await readerOver('SELECT 1; SELECT 2');
      expect(await reader.read()).toBe(true);
      expect(asInteger(reader.getValue(0))).toBe(1);
      expect(await reader.nextResult()).toBe(true);
      expect(await reader.read()).toBe(true);
      expect(asInteger(reader.getValue(0))).toBe(2);
      expect(await reader.read()).toBe(false);
      expect(await reader.nextResult()).toBe(false);
      expect(await reader.nextResult()).toBe(false);
      await reader.close();
    },
  );

  gatedIt(multipleResults, 'hasRows follows each result set of a batch', async () => {
    const name = await threeRows();
    const reader = await readerOver(`SELECT id FROM ${name} WHERE id < 0; SELECT 1`);
    expect(reader.hasRows).toBe(false);
    expect(await reader.nextResult()).toBe(true);
    expect(reader.hasRows).toBe(true);
    await reader.close();
  });

  gatedIt(
    multipleResults,
    'statements without rows inside a batch are skipped and counted in recordsAffected',
    async () => {
      const name = await threeRows();
      const reader = await readerOver(
        `UPDATE ${name} SET name = 'y' WHERE id = 1; SELECT name FROM ${name} WHERE id = 1`,
      );
      expect(await reader.read()).toBe(true);
      expect(reader.getValue(0)).toBe('y');
      await reader.close();
      expect(reader.recordsAffected).toBe(1);
    },
  );

  gatedIt(multipleResults, 'CommandBehavior.SingleResult returns only the first result set', async () => {
    const reader = await readerOver('SELECT 1; SELECT 2; SELECT 3', CommandBehavior.SingleResult);
    expect(await reader.read()).toBe(true);
    expect(asInteger(reader.getValue(0))).toBe(1);
    expect(await reader.read()).toBe(false);
    expect(await reader.nextResult()).toBe(false);
    await reader.close();
  });

  it('CommandBehavior.SingleRow returns only the first row', async () => {
    const name = await threeRows();
    const reader = await readerOver(`SELECT id FROM ${name} ORDER BY id`, CommandBehavior.SingleRow);
    expect(await reader.read()).toBe(true);
    expect(asInteger(reader.getValue(0))).toBe(1);
    expect(await reader.read()).toBe(false);
    expect(await reader.nextResult()).toBe(false);
    await reader.close();
  });

  it('CommandBehavior.SchemaOnly returns the columns and no rows', async () => {
    const name = await threeRows();
    const reader = await readerOver(`SELECT id, name FROM ${name}`, CommandBehavior.SchemaOnly);
    expect(reader.fieldCount).toBe(2);
    expect(reader.getColumnSchema().map((column) => column.columnName)).toEqual(['id', 'name']);
    expect(reader.hasRows).toBe(false);
    expect(await reader.read()).toBe(false);
    await reader.close();
  });

  it('CommandBehavior.KeyInfo marks the primary key column in getColumnSchema', async () => {
    const name = await threeRows();
    const reader = await readerOver(`SELECT id, name FROM ${name} ORDER BY id`, CommandBehavior.KeyInfo);
    const [id, text] = reader.getColumnSchema();
    expect(id?.isKey).toBe(true);
    expect(text?.isKey).not.toBe(true);
    expect(await reader.read()).toBe(true);
    expect(reader.getValue(1)).toBe('one');
    await reader.close();
  });

  it('CommandBehavior.SequentialAccess reads columns in order and refuses an earlier one', async () => {
    const name = await threeRows();
    const reader = await readerOver(`SELECT id, name FROM ${name} ORDER BY id`, CommandBehavior.SequentialAccess);
    await reader.read();
    expect(asInteger(reader.getValue(0))).toBe(1);
    expect(reader.getValue(1)).toBe('one');
    expect(() => reader.getValue(0)).toThrow(InvalidOperationError);
    await reader.read();
    expect(reader.getValue(1)).toBe('two');
    await reader.close();
  });

  it('CommandBehavior.CloseConnection closes the connection when the reader closes', async () => {
    const connection = await context.open();
    const reader = await connection.createCommand('SELECT 1').executeReader(CommandBehavior.CloseConnection);
    await reader.read();
    await reader.close();
    expect(connection.state).toBe(ConnectionState.Closed);
  });

  it('`for await` yields each row as an object keyed by column name, then closes the reader', async () => {
    const name = await threeRows();
    const connection = await context.open();
    const reader = await connection.createCommand(`SELECT id, name FROM ${name} ORDER BY id`).executeReader();
    const rows: DbRow[] = [];
    for await (const row of reader) rows.push(row);
    expect(rows.map((row) => [asInteger(row['id']), row['name']])).toEqual([
      [1, 'one'],
      [2, 'two'],
      [3, null],
    ]);
    expect(reader.isClosed).toBe(true);
    expect(asInteger(await context.scalar(connection, 'SELECT 1'))).toBe(1);
  });

  it('`for await` with break closes the reader and releases the connection, mid-way through a large result', async () => {
    const connection = await context.open();
    const reader = await connection.createCommand(fixture.sql.generateRows(LARGE_ROW_COUNT)).executeReader();
    let seen = 0;
    for await (const row of reader) {
      seen += 1;
      expect(asInteger(row['n'])).toBe(seen);
      if (seen === 10) break;
    }
    expect(reader.isClosed).toBe(true);
    expect(asInteger(await context.scalar(connection, 'SELECT 1'))).toBe(1);
  }, 60_000);

  it('`for await` with a throw closes the reader, releases the connection and propagates the error', async () => {
    const connection = await context.open();
    const reader = await connection.createCommand(fixture.sql.generateRows(1000)).executeReader();
    const failure = new Error('thrown by the loop body');
    let caught: unknown;
    try {
      for await (const row of reader) {
        if (asInteger(row['n']) === 3) throw failure;
      }
    } catch (error) {
      caught = error;
    }
    expect(caught).toBe(failure);
    expect(reader.isClosed).toBe(true);
    expect(asInteger(await context.scalar(connection, 'SELECT 1'))).toBe(1);
  }, 60_000);

  it('`await using` closes the reader and releases the connection', async () => {
    const connection = await context.open();
    let escaped: DbDataReader | undefined;
    {
      await using reader = await connection.createCommand(fixture.sql.generateRows(5000)).executeReader();
      escaped = reader;
      await reader.read();
    }
    expect(escaped.isClosed).toBe(true);
    expect(asInteger(await context.scalar(connection, 'SELECT 1'))).toBe(1);
  }, 60_000);

  it('a 200 000-row result is read in order with bounded memory', async () => {
    const connection = await context.open();
    const baseline = retainedBytes();
    const reader = await connection.createCommand(fixture.sql.generateRows(LARGE_ROW_COUNT)).executeReader();
    let count = 0;
    let peak = retainedBytes() - baseline;
    while (await reader.read()) {
      count += 1;
      if (asInteger(reader.getValue(0)) !== count)
        throw new Error(`row ${count} has n = ${String(reader.getValue(0))}`);
      if (count % 25_000 === 0) {
        expect(String(reader.getValue(1))).toHaveLength(200);
        peak = Math.max(peak, retainedBytes() - baseline);
      }
    }
    await reader.close();
    expect(count).toBe(LARGE_ROW_COUNT);
    expect(peak, `memory retained while streaming: ${(peak / 1048576).toFixed(1)} MiB`).toBeLessThan(
      RETAINED_BOUND_BYTES,
    );
  }, 180_000);
}
