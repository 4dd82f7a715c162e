import { afterEach, describe, expect, it } from 'vitest';
import { CommandBehavior } from './command-behavior.js';
import { ConnectionState } from './connection-state.js';
import { DbColumn } from './db-column.js';
import type { DbDataReader, DbRow } from './db-data-reader.js';
import {
  ArgumentError,
  DbError,
  IndexOutOfRangeError,
  InvalidCastError,
  InvalidOperationError,
  OverflowError,
} from '../errors/errors.js';
import type { MemoryConnection } from '../testing/memory-provider.js';
import type { MemoryServer } from '../testing/memory-server.js';
import { openConnection, rejectionOf, thrownBy } from '../testing/test-support.js';

const NO_DATA = 'Invalid attempt to read when no data is present.';

const connections: MemoryConnection[] = [];
const servers: MemoryServer[] = [];

async function open() {
  const opened = await openConnection('Database=test');
  connections.push(opened.connection);
  servers.push(opened.server);
  return opened;
}

/** An open connection and a reader over `text`. */
async function readerOf(text: string, behavior: CommandBehavior = CommandBehavior.Default) {
  const opened = await open();
  const reader = await opened.connection.createCommand(text).executeReader(behavior);
  return { ...opened, reader };
}

/** Reads the rest of the current result set's first column. */
async function firstColumn(reader: DbDataReader): Promise<unknown[]> {
  const values: unknown[] = [];
  while (await reader.read()) values.push(reader.getValue(0));
  return values;
}

/** The InvalidOperationError message `action` throws. */
function invalidOperation(action: () => unknown): string {
  const error = thrownBy(action);
  expect(error).toBeInstanceOf(InvalidOperationError);
  return (error as Error).message;
}

afterEach(async () => {
  for (const connection of connections.splice(0)) await connection.close();
  for (const server of servers.splice(0)) expect(server.violations).toEqual([]);
});

describe('navigation', () => {
  it('reads the rows of each statement and moves on with nextResult', async () => {
    const { reader } = await readerOf('ROWS 2; ROWS 3');
    expect(await firstColumn(reader)).toEqual([1, 2]);
    expect(await reader.nextResult()).toBe(true);
    expect(await firstColumn(reader)).toEqual([1, 2, 3]);
    expect(await reader.nextResult()).toBe(false);
    expect(await reader.nextResult()).toBe(false);
    await reader.close();
  });

  it('keeps returning false from read() after the end of the set', async () => {
    const { reader } = await readerOf('ROWS 1');
    expect(await reader.read()).toBe(true);
    expect(await reader.read()).toBe(false);
    expect(await reader.read()).toBe(false);
    await reader.close();
  });

  it('nextResult skips the unread rows of the current set', async () => {
    const { reader } = await readerOf('ROWS 5; VALUES [["x"]]');
    expect(await reader.read()).toBe(true);
    expect(await reader.nextResult()).toBe(true);
    expect(await firstColumn(reader)).toEqual(['x']);
    await reader.close();
  });

  it('skips results without columns (DML) and counts their rows in recordsAffected', async () => {
    const { reader } = await readerOf('UPDATE 2; ROWS 1; UPDATE 3; ROWS 2');
    expect(reader.fieldCount).toBe(1);
    expect(reader.recordsAffected).toBe(2);
    expect(await firstColumn(reader)).toEqual([1]);
    expect(await reader.nextResult()).toBe(true);
    expect(reader.recordsAffected).toBe(5);
    expect(await firstColumn(reader)).toEqual([1, 2]);
    expect(await reader.nextResult()).toBe(false);
    await reader.close();
    expect(reader.recordsAffected).toBe(5);
  });

  it('reports recordsAffected -1 for a query, also after close', async () => {
    const { reader } = await readerOf('ROWS 2');
    expect(reader.recordsAffected).toBe(-1);
    await reader.close();
    expect(reader.recordsAffected).toBe(-1);
  });

  it('over DML only: no columns, read() and nextResult() false, an empty schema', async () => {
    const { reader } = await readerOf('UPDATE 4');
    expect(reader.fieldCount).toBe(0);
    expect(reader.hasRows).toBe(false);
    expect(await reader.read()).toBe(false);
    expect(await reader.nextResult()).toBe(false);
    expect(reader.getColumnSchema()).toEqual([]);
    expect(reader.recordsAffected).toBe(4);
    await reader.close();
  });

  it('over DML only: value and metadata getters throw InvalidOperationError', async () => {
    const { reader } = await readerOf('UPDATE 1');
    expect(invalidOperation(() => reader.getValue(0))).toBe(NO_DATA);
    expect(invalidOperation(() => reader.isDBNull(0))).toBe(NO_DATA);
    expect(invalidOperation(() => reader.getInt32(0))).toBe(NO_DATA);
    expect(invalidOperation(() => reader.getValues())).toBe(NO_DATA);
    expect(invalidOperation(() => reader.getName(0))).toBe(NO_DATA);
    expect(invalidOperation(() => reader.getFieldType(0))).toBe(NO_DATA);
    expect(invalidOperation(() => reader.getDataTypeName(0))).toBe(NO_DATA);
    expect(invalidOperation(() => reader.getOrdinal('n'))).toBe(NO_DATA);
    await reader.close();
  });

  it('after the last result set: metadata getters throw InvalidOperationError', async () => {
    const { reader } = await readerOf('ROWS 1');
    expect(await reader.nextResult()).toBe(false);
    expect(reader.fieldCount).toBe(0);
    expect(invalidOperation(() => reader.getName(0))).toBe(NO_DATA);
    expect(invalidOperation(() => reader.getOrdinal('n'))).toBe(NO_DATA);
    await reader.close();
  });

  it('has depth 0', async () => {
    const { reader } = await readerOf('ROWS 1');
    expect(reader.depth).toBe(0);
    await reader.close();
  });
});

describe('hasRows', () => {
  it('is true before the first read when the set has rows, and stays true after the end', async () => {
    const { reader } = await readerOf('ROWS 2');
    expect(reader.hasRows).toBe(true);
    await firstColumn(reader);
    expect(reader.hasRows).toBe(true);
    await reader.close();
  });

  it('is false for an empty set', async () => {
    const { reader } = await readerOf('EMPTY');
    expect(reader.hasRows).toBe(false);
    expect(reader.fieldCount).toBe(1);
    expect(await reader.read()).toBe(false);
    await reader.close();
  });

  it('follows the current set when batching', async () => {
    const { reader } = await readerOf('EMPTY; ROWS 1; EMPTY');
    expect(reader.hasRows).toBe(false);
    expect(await reader.nextResult()).toBe(true);
    expect(reader.hasRows).toBe(true);
    expect(await reader.nextResult()).toBe(true);
    expect(reader.hasRows).toBe(false);
    await reader.close();
  });
});

describe('ADO.NET errors of the getters', () => {
  it('before read(): InvalidOperationError "Invalid attempt to read when no data is present."', async () => {
    const { reader } = await readerOf('ROWS 1');
    expect(invalidOperation(() => reader.getValue(0))).toBe(NO_DATA);
    expect(invalidOperation(() => reader.isDBNull(0))).toBe(NO_DATA);
    expect(invalidOperation(() => reader.getFieldValue(0))).toBe(NO_DATA);
    expect(invalidOperation(() => reader.getInt32('n'))).toBe(NO_DATA);
    expect(invalidOperation(() => reader.getValues())).toBe(NO_DATA);
    await reader.close();
  });

  it('after the last row: the same error', async () => {
    const { reader } = await readerOf('ROWS 1');
    await firstColumn(reader);
    expect(invalidOperation(() => reader.getValue(0))).toBe(NO_DATA);
    expect(invalidOperation(() => reader.isDBNull(0))).toBe(NO_DATA);
    expect(invalidOperation(() => reader.getFieldValue(0))).toBe(NO_DATA);
    await reader.close();
  });

  it('after close: "Invalid attempt to call <method> when reader is closed."', async () => {
    const { reader } = await readerOf('ROWS 2');
    await reader.read();
    await reader.close();
    expect(reader.isClosed).toBe(true);
    expect(invalidOperation(() => reader.fieldCount)).toBe('Invalid attempt to call fieldCount when reader is closed.');
    expect(invalidOperation(() => reader.hasRows)).toBe('Invalid attempt to call hasRows when reader is closed.');
    expect(invalidOperation(() => reader.getName(0))).toBe('Invalid attempt to call getName when reader is closed.');
    expect(invalidOperation(() => reader.getFieldType(0))).toBe(
      'Invalid attempt to call getFieldType when reader is closed.',
    );
    expect(invalidOperation(() => reader.getDataTypeName(0))).toBe(
      'Invalid attempt to call getDataTypeName when reader is closed.',
    );
    expect(invalidOperation(() => reader.getValue(0))).toBe('Invalid attempt to call getValue when reader is closed.');
    expect(invalidOperation(() => reader.isDBNull(0))).toBe('Invalid attempt to call isDBNull when reader is closed.');
    expect(invalidOperation(() => reader.getOrdinal('n'))).toBe(
      'Invalid attempt to call getOrdinal when reader is closed.',
    );
    expect(invalidOperation(() => reader.getColumnSchema())).toBe(
      'Invalid attempt to call getColumnSchema when reader is closed.',
    );
    expect(await rejectionOf(reader.read())).toBeInstanceOf(InvalidOperationError);
    expect(((await rejectionOf(reader.nextResult())) as Error).message).toBe(
      'Invalid attempt to call nextResult when reader is closed.',
    );
  });

  it('an ordinal out of range: IndexOutOfRangeError', async () => {
    const { reader } = await readerOf('ROWS 1');
    for (const ordinal of [1, -1, 0.5, Number.NaN]) {
      expect(thrownBy(() => reader.getName(ordinal))).toBeInstanceOf(IndexOutOfRangeError);
      expect(thrownBy(() => reader.getFieldType(ordinal))).toBeInstanceOf(IndexOutOfRangeError);
      expect(thrownBy(() => reader.getDataTypeName(ordinal))).toBeInstanceOf(IndexOutOfRangeError);
    }
    await reader.read();
    expect(thrownBy(() => reader.getValue(1))).toBeInstanceOf(IndexOutOfRangeError);
    expect(thrownBy(() => reader.getInt32(-1))).toBeInstanceOf(IndexOutOfRangeError);
    expect(thrownBy(() => reader.isDBNull(7))).toBeInstanceOf(IndexOutOfRangeError);
    await reader.close();
  });

  it('an unknown column name: IndexOutOfRangeError', async () => {
    const { reader } = await readerOf('ROWS 1');
    expect(thrownBy(() => reader.getOrdinal('missing'))).toBeInstanceOf(IndexOutOfRangeError);
    await reader.read();
    expect(thrownBy(() => reader.getValue('missing'))).toBeInstanceOf(IndexOutOfRangeError);
    await reader.close();
  });
});

describe('metadata', () => {
  it('getOrdinal prefers the exact name, then falls back to a case-insensitive match', async () => {
    const { reader } = await readerOf('TYPED id:Int32,Name:String,name:String [[1, "A", "a"]]');
    expect(reader.getOrdinal('id')).toBe(0);
    expect(reader.getOrdinal('ID')).toBe(0);
    expect(reader.getOrdinal('Name')).toBe(1);
    expect(reader.getOrdinal('name')).toBe(2);
    expect(reader.getOrdinal('NAME')).toBe(1);
    await reader.read();
    expect(reader.getValue('Id')).toBe(1);
    await reader.close();
  });

  it('getName, getFieldType and getDataTypeName describe each column', async () => {
    const { reader } = await readerOf(
      'TYPED i:Int32,b:Int64,s:String,d:Decimal,f:Boolean,t:DateTime,g:Guid,x:Binary,j:Json [[1, 2, "s", "1.5", true, "2024-01-02T03:04:05Z", "a", "00", {}]]',
    );
    expect([...Array(reader.fieldCount).keys()].map((i) => reader.getName(i))).toEqual([
      'i',
      'b',
      's',
      'd',
      'f',
      't',
      'g',
      'x',
      'j',
    ]);
    expect([...Array(reader.fieldCount).keys()].map((i) => reader.getFieldType(i))).toEqual([
      'number',
      'bigint',
      'string',
      'string',
      'boolean',
      'Date',
      'string',
      'Uint8Array',
      'object',
    ]);
    expect(reader.getDataTypeName(0)).toBe('int32');
    await reader.close();
  });

  it('getColumnSchema returns a DbColumn per column, as a copy', async () => {
    const { reader } = await readerOf('TYPED id:Int64,name:String []');
    const schema = reader.getColumnSchema();
    expect(schema).toHaveLength(2);
    expect(schema[0]).toBeInstanceOf(DbColumn);
    expect(schema.map((column) => [column.columnName, column.columnOrdinal, column.dbType, column.fieldType])).toEqual([
      ['id', 0, 'Int64', 'bigint'],
      ['name', 1, 'String', 'string'],
    ]);
    schema.pop();
    expect(reader.getColumnSchema()).toHaveLength(2);
    expect(Object.isFrozen(schema[0])).toBe(true);
    await reader.close();
  });
});

describe('values', () => {
  it('getValue by ordinal and by name, null for SQL NULL, and isDBNull', async () => {
    const { reader } = await readerOf('VALUES [["a", 1], [null, 2]]');
    await reader.read();
    expect(reader.getValue(0)).toBe('a');
    expect(reader.getValue('c1')).toBe(1);
    expect(reader.isDBNull(0)).toBe(false);
    await reader.read();
    expect(reader.getValue(0)).toBeNull();
    expect(reader.isDBNull('c0')).toBe(true);
    await reader.close();
  });

  it('getValues() returns a copy of the row', async () => {
    const { reader } = await readerOf('VALUES [["a", null, 3]]');
    await reader.read();
    const values = reader.getValues();
    expect(values).toEqual(['a', null, 3]);
    values[0] = 'changed';
    expect(reader.getValue(0)).toBe('a');
    await reader.close();
  });

  it('getValues(target) fills the array and returns how many values it copied', async () => {
    const { reader } = await readerOf('VALUES [["a", null]]');
    await reader.read();
    const wide = ['x', 'x', 'x'];
    expect(reader.getValues(wide)).toBe(2);
    expect(wide).toEqual(['a', null, 'x']);
    const narrow = ['x'];
    expect(reader.getValues(narrow)).toBe(1);
    expect(narrow).toEqual(['a']);
    expect(reader.getValues([])).toBe(0);
    expect(thrownBy(() => reader.getValues(null as unknown as unknown[]))).toBeInstanceOf(ArgumentError);
    await reader.close();
  });

  it('typed getters widen', async () => {
    const { reader } = await readerOf('TYPED s:Int16,i:Int32,d:Decimal [[7, 40000, "12.50"]]');
    await reader.read();
    expect(reader.getInt32(0)).toBe(7);
    expect(reader.getInt64('i')).toBe(40000n);
    expect(reader.getDouble('i')).toBe(40000);
    expect(reader.getDecimal('i')).toBe('40000');
    expect(reader.getDecimal('d')).toBe('12.50');
    expect(reader.getDouble('d')).toBe(12.5);
    await reader.close();
  });

  it('typed getters narrow when the value fits and throw OverflowError when it does not', async () => {
    const { reader } = await readerOf('TYPED small:Int64,big:Int64,i:Int32 [["12", "9007199254740993", 40000]]');
    await reader.read();
    expect(reader.getInt32('small')).toBe(12);
    expect(reader.getInt16('small')).toBe(12);
    expect(thrownBy(() => reader.getInt32('big'))).toBeInstanceOf(OverflowError);
    expect(thrownBy(() => reader.getInt16('i'))).toBeInstanceOf(OverflowError);
    expect(reader.getInt64('big')).toBe(9007199254740993n);
    await reader.close();
  });

  it('typed getters throw InvalidCastError on a type mismatch and on NULL', async () => {
    const { reader } = await readerOf('TYPED n:Int32,s:String,b:Boolean,z:Int32 [[1, "1", true, null]]');
    await reader.read();
    expect(thrownBy(() => reader.getString('n'))).toBeInstanceOf(InvalidCastError);
    expect(thrownBy(() => reader.getInt32('s'))).toBeInstanceOf(InvalidCastError);
    expect(thrownBy(() => reader.getInt32('b'))).toBeInstanceOf(InvalidCastError);
    expect(thrownBy(() => reader.getBoolean('n'))).toBeInstanceOf(InvalidCastError);
    const nullError = thrownBy(() => reader.getInt32('z'));
    expect(nullError).toBeInstanceOf(InvalidCastError);
    expect((nullError as Error).message).toBe('Data is Null. This method or property cannot be called on Null values.');
    expect(thrownBy(() => reader.getFieldValue('z'))).toBeInstanceOf(InvalidCastError);
    expect(reader.isDBNull('z')).toBe(true);
    await reader.close();
  });

  it('getString, getBoolean, getDateTime, getGuid, getBytes and getFieldValue read their types', async () => {
    const { reader } = await readerOf(
      'TYPED s:String,f:Boolean,t:DateTime,d:Date,g:Guid,x:Binary,j:Json [["s", false, "2024-01-02T03:04:05Z", "2024-02-03", "0f0e", "0102", {"a":1}]]',
    );
    await reader.read();
    expect(reader.getString('s')).toBe('s');
    expect(reader.getBoolean('f')).toBe(false);
    expect(reader.getDateTime('t')).toEqual(new Date('2024-01-02T03:04:05Z'));
    expect(reader.getDateTime('d')).toEqual(new Date('2024-02-03T00:00:00Z'));
    expect(reader.getGuid('g')).toBe('0f0e');
    expect(reader.getBytes('x')).toEqual(new Uint8Array([1, 2]));
    expect(reader.getFieldValue<{ a: number }>('j')).toEqual({ a: 1 });
    await reader.close();
  });
});

describe('getBytes, chunked (ADO.NET cases; value 01 02 03 04)', () => {
  async function blob() {
    const { reader } = await readerOf('TYPED x:Binary [["01020304"]]');
    await reader.read();
    return reader;
  }

  it('copies the bytes into the buffer', async () => {
    const reader = await blob();
    const buffer = new Uint8Array(4);
    expect(reader.getBytes(0, 0, buffer, 0, 4)).toBe(4);
    expect([...buffer]).toEqual([1, 2, 3, 4]);
    await reader.close();
  });

  it('returns the total length when the buffer is null, even with dataOffset 1', async () => {
    const reader = await blob();
    expect(reader.getBytes(0, 0, null, 0, 0)).toBe(4);
    expect(reader.getBytes(0, 1, null, 0, 0)).toBe(4);
    await reader.close();
  });

  it('reads nothing when dataOffset is past the end', async () => {
    const reader = await blob();
    expect(reader.getBytes(0, 6, new Uint8Array(4), 0, 4)).toBe(0);
    await reader.close();
  });

  it('throws when dataOffset is negative', async () => {
    const reader = await blob();
    expect(thrownBy(() => reader.getBytes(0, -1, new Uint8Array(4), 0, 4))).toBeInstanceOf(ArgumentError);
    await reader.close();
  });

  it('throws when bufferOffset is negative or past the buffer', async () => {
    const reader = await blob();
    expect(thrownBy(() => reader.getBytes(0, 0, new Uint8Array(4), -1, 4))).toBeInstanceOf(IndexOutOfRangeError);
    expect(thrownBy(() => reader.getBytes(0, 0, new Uint8Array(4), 5, 0))).toBeInstanceOf(IndexOutOfRangeError);
    await reader.close();
  });

  it('reads nothing at the end of the buffer', async () => {
    const reader = await blob();
    expect(reader.getBytes(0, 0, new Uint8Array(4), 4, 0)).toBe(0);
    await reader.close();
  });

  it('throws when bufferOffset + length exceeds the buffer', async () => {
    const reader = await blob();
    expect(thrownBy(() => reader.getBytes(0, 0, new Uint8Array(4), 2, 3))).toBeInstanceOf(ArgumentError);
    await reader.close();
  });

  it('works with a larger buffer and leaves its tail untouched', async () => {
    const reader = await blob();
    const buffer = new Uint8Array([9, 9, 9, 9, 9, 9]);
    expect(reader.getBytes(0, 0, buffer, 0, 6)).toBe(4);
    expect([...buffer]).toEqual([1, 2, 3, 4, 9, 9]);
    await reader.close();
  });

  it('reads part of the blob', async () => {
    const reader = await blob();
    const buffer = new Uint8Array(5);
    expect(reader.getBytes(0, 1, buffer, 2, 2)).toBe(2);
    expect([...buffer]).toEqual([0, 0, 2, 3, 0]);
    await reader.close();
  });

  it('throws InvalidCastError on a non-binary column', async () => {
    const { reader } = await readerOf('ROWS 1');
    await reader.read();
    expect(thrownBy(() => reader.getBytes(0, 0, new Uint8Array(4), 0, 4))).toBeInstanceOf(InvalidCastError);
    await reader.close();
  });
});

describe('CommandBehavior', () => {
  it('SingleResult: only the first result set', async () => {
    const { reader } = await readerOf('ROWS 2; ROWS 3; ROWS 4', CommandBehavior.SingleResult);
    expect(await firstColumn(reader)).toEqual([1, 2]);
    expect(await reader.nextResult()).toBe(false);
    await reader.close();
  });

  it('SingleRow: one row, and nextResult() false; only one row is fetched', async () => {
    const { reader, server } = await readerOf('ROWS 5000; ROWS 2', CommandBehavior.SingleRow);
    expect(await reader.read()).toBe(true);
    expect(reader.getValue(0)).toBe(1);
    expect(await reader.read()).toBe(false);
    expect(await reader.nextResult()).toBe(false);
    expect(server.rowsProduced).toBe(1);
    await reader.close();
  });

  it('SchemaOnly: the columns and no rows', async () => {
    const { reader, server } = await readerOf('TYPED a:Int32,b:String [[1, "x"]]', CommandBehavior.SchemaOnly);
    expect(reader.fieldCount).toBe(2);
    expect(reader.getName(1)).toBe('b');
    expect(reader.hasRows).toBe(false);
    expect(await reader.read()).toBe(false);
    expect(server.rowsProduced).toBe(0);
    await reader.close();
  });

  it('KeyInfo is accepted', async () => {
    const { reader } = await readerOf('ROWS 1', CommandBehavior.KeyInfo);
    expect(await firstColumn(reader)).toEqual([1]);
    await reader.close();
  });

  it('SequentialAccess: reading an earlier ordinal throws; in order is fine; each row starts over', async () => {
    const { reader } = await readerOf('VALUES [[1, 2, 3], [4, 5, 6]]', CommandBehavior.SequentialAccess);
    await reader.read();
    expect(reader.getValue(0)).toBe(1);
    expect(reader.getValue(2)).toBe(3);
    expect(invalidOperation(() => reader.getValue(1))).toBe(
      "Invalid attempt to read from column ordinal '1'. With CommandBehavior.SequentialAccess, you may only read from column ordinal '2' or greater.",
    );
    await reader.read();
    expect(reader.getValue(0)).toBe(4);
    expect(reader.getInt32(1)).toBe(5);
    expect(thrownBy(() => reader.isDBNull(0))).toBeInstanceOf(InvalidOperationError);
    await reader.close();
  });

  it('CloseConnection: closing the reader closes the connection', async () => {
    const { reader, connection, server } = await readerOf('ROWS 3', CommandBehavior.CloseConnection);
    await reader.read();
    await reader.close();
    expect(connection.state).toBe(ConnectionState.Closed);
    expect(server.openSessions).toBe(0);
  });

  it('combines flags: SingleRow | CloseConnection', async () => {
    const { reader, connection } = await readerOf(
      'ROWS 3',
      CommandBehavior.SingleRow | CommandBehavior.CloseConnection,
    );
    expect(await firstColumn(reader)).toEqual([1]);
    await reader.close();
    expect(connection.state).toBe(ConnectionState.Closed);
  });
});

describe('for await and await using', () => {
  it('yields the rows as objects and closes the reader at the end', async () => {
    const { reader, connection } = await readerOf('VALUES [[1, "a"], [2, "b"]]');
    const rows: DbRow[] = [];
    for await (const row of reader) rows.push(row);
    expect(rows).toEqual([
      { c0: 1, c1: 'a' },
      { c0: 2, c1: 'b' },
    ]);
    expect(reader.isClosed).toBe(true);
    expect(await connection.createCommand('UPDATE 1').executeNonQuery()).toBe(1);
  });

  it('keeps the first column when names repeat', async () => {
    const { reader } = await readerOf('TYPED a:Int32,a:Int32 [[1, 2]]');
    const rows: DbRow[] = [];
    for await (const row of reader) rows.push(row);
    expect(rows).toEqual([{ a: 1 }]);
  });

  it('holds every column as an own property whatever its name, __proto__ included (issue 13 item 3)', async () => {
    const { reader } = await readerOf(
      'TYPED __proto__:Int32,constructor:Int32,toString:Int32,hasOwnProperty:Int32 [[1, 2, 3, 4]]',
    );
    const rows: DbRow[] = [];
    for await (const row of reader) rows.push(row);
    const row = rows[0]!;
    expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
    expect(Object.keys(row)).toEqual(['__proto__', 'constructor', 'toString', 'hasOwnProperty']);
    expect(Object.getOwnPropertyDescriptor(row, '__proto__')?.value).toBe(1);
    expect([row.constructor, row.toString, row.hasOwnProperty]).toEqual([2, 3, 4]);
  });

  it('closes the reader on break', async () => {
    const { reader, connection, server } = await readerOf('ROWS 100000');
    for await (const row of reader) {
      expect(row).toEqual({ n: 1 });
      break;
    }
    expect(reader.isClosed).toBe(true);
    expect(server.rowsProduced).toBeLessThanOrEqual(1000);
    expect(await connection.createCommand('UPDATE 1').executeNonQuery()).toBe(1);
  });

  it('closes the reader on break even when more result sets follow', async () => {
    const { reader, connection } = await readerOf('ROWS 5; ROWS 5');
    for await (const row of reader) if (row.n === 2) break;
    expect(reader.isClosed).toBe(true);
    expect(await connection.createCommand('UPDATE 1').executeNonQuery()).toBe(1);
  });

  it('closes the reader when the loop body throws', async () => {
    const { reader, connection } = await readerOf('ROWS 10');
    const failure = new Error('mine');
    await expect(
      (async () => {
        for await (const row of reader) if (row.n === 3) throw failure;
      })(),
    ).rejects.toBe(failure);
    expect(reader.isClosed).toBe(true);
    expect(await connection.createCommand('UPDATE 1').executeNonQuery()).toBe(1);
  });

  it('moves on to the next result set at the end of one, and closes after the last', async () => {
    const { reader } = await readerOf('ROWS 2; ROWS 3');
    const first: DbRow[] = [];
    for await (const row of reader) first.push(row);
    expect(first).toHaveLength(2);
    expect(reader.isClosed).toBe(false);
    expect(await reader.nextResult()).toBe(true);
    const second: DbRow[] = [];
    for await (const row of reader) second.push(row);
    expect(second).toHaveLength(3);
    expect(reader.isClosed).toBe(true);
  });

  it('await using closes the reader and releases the connection', async () => {
    const { connection } = await open();
    {
      await using reader = await connection.createCommand('ROWS 10').executeReader();
      await reader.read();
    }
    expect(await connection.createCommand('UPDATE 1').executeNonQuery()).toBe(1);
  });
});

describe('streaming and failures', () => {
  it('streams 200 000 rows with at most one fetch of rows buffered', async () => {
    const { reader, server } = await readerOf('ROWS 200000');
    let rowsRead = 0;
    let maxAhead = 0;
    while (await reader.read()) {
      rowsRead += 1;
      maxAhead = Math.max(maxAhead, server.rowsProduced - rowsRead);
    }
    expect(rowsRead).toBe(200_000);
    expect(maxAhead).toBeLessThan(1000);
    await reader.close();
  });

  it('closing a large result early does not read the rest', async () => {
    const { reader, connection, server } = await readerOf('ROWS 200000');
    for (let i = 0; i < 10; i += 1) await reader.read();
    await reader.close();
    expect(server.rowsProduced).toBeLessThanOrEqual(1000);
    expect(server.cursorsClosed).toBe(1);
    expect(await connection.createCommand('UPDATE 1').executeNonQuery()).toBe(1);
  });

  it('an error mid-stream rejects read(), closes the reader and releases the connection', async () => {
    const { reader, connection, server } = await readerOf('FAIL disk full AFTER 1500');
    let rowsRead = 0;
    const error = await rejectionOf(
      (async () => {
        while (await reader.read()) rowsRead += 1;
      })(),
    );
    expect(error).toBeInstanceOf(DbError);
    expect((error as Error).message).toBe('disk full');
    expect(rowsRead).toBeGreaterThanOrEqual(1000);
    expect(rowsRead).toBeLessThan(1500);
    expect(reader.isClosed).toBe(true);
    expect(server.cursorsClosed).toBe(1);
    expect(await connection.createCommand('UPDATE 1').executeNonQuery()).toBe(1);
  });

  it('an error in a later statement rejects nextResult()', async () => {
    const { reader, connection } = await readerOf('ROWS 1; FAIL bad');
    expect(await firstColumn(reader)).toEqual([1]);
    expect(await rejectionOf(reader.nextResult())).toBeInstanceOf(DbError);
    expect(reader.isClosed).toBe(true);
    expect(await connection.createCommand('UPDATE 1').executeNonQuery()).toBe(1);
  });

  it('close() is idempotent and closes the cursor once', async () => {
    const { reader, server } = await readerOf('ROWS 3');
    await Promise.all([reader.close(), reader.close()]);
    await reader.close();
    expect(server.cursorsClosed).toBe(1);
  });

  it('closing the connection closes an open reader', async () => {
    const { reader, connection, server } = await readerOf('ROWS 3000');
    await reader.read();
    await connection.close();
    expect(reader.isClosed).toBe(true);
    expect(server.cursorsClosed).toBe(1);
    expect(server.openSessions).toBe(0);
  });

  it('a second executeReader while a reader is open: InvalidOperationError', async () => {
    const { reader, connection } = await readerOf('ROWS 3');
    expect(await rejectionOf(connection.createCommand('ROWS 1').executeReader())).toBeInstanceOf(InvalidOperationError);
    await reader.close();
  });
});
