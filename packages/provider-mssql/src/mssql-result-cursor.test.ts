import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { DbError, DbErrorCategory, cancellationOf } from '@asyncdb/core';
import {
  HIGH_WATER_MARK,
  LOW_WATER_MARK,
  MssqlResultCursor,
  WAKE_BATCH_ROWS,
  type MssqlCursorOptions,
} from './mssql-result-cursor.js';
import type { TediousColumnMetadata, TediousColumnValue, TediousRequest, TediousRequestSink } from './mssql-tedious.js';

const INT: TediousColumnMetadata = { colName: 'n', type: { name: 'IntN' }, dataLength: 4, flags: 0x01 };
const BIGINT: TediousColumnMetadata = { colName: 'b', type: { name: 'IntN' }, dataLength: 8, flags: 0x01 };
const TEXT: TediousColumnMetadata = { colName: 's', type: { name: 'NVarChar' }, dataLength: 200, flags: 0x01 };

/** A tedious request stand-in: the test delivers its results to the sink (as `createSinkRequest`'s request does) and watches pause/resume. */
class FakeRequest extends EventEmitter implements TediousRequest {
  paused = false;
  pauses = 0;
  sink!: TediousRequestSink;
  addParameter(): void {}
  addOutputParameter(): void {}
  pause(): void {
    this.paused = true;
    this.pauses += 1;
  }
  resume(): void {
    this.paused = false;
  }
  columns(...columns: TediousColumnMetadata[]): void {
    this.sink.onColumnMetadata(columns);
  }
  row(...values: unknown[]): void {
    this.rowOf(values.map((value) => ({ value, metadata: INT })));
  }
  rowOf(columns: TediousColumnValue[]): void {
    this.sink.onRow(columns);
  }
  done(rowCount?: number): void {
    this.sink.onDone(rowCount);
  }
}

function setup(options: Partial<MssqlCursorOptions> = {}) {
  const controller = new AbortController();
  const cancels: number[] = [];
  const request = new FakeRequest();
  const cursor = new MssqlResultCursor({
    cancel: () => cancels.push(1),
    cancellation: cancellationOf(controller.signal),
    drainOnClose: false,
    parameterNames: [],
    ...options,
  });
  request.sink = cursor;
  cursor.attach(request);
  return { cursor, request, controller, cancels };
}

describe('MssqlResultCursor', () => {
  it('hands out result sets in order, with converted values and the DML counts in recordsAffected', async () => {
    const { cursor, request } = setup();
    request.columns(INT, BIGINT);
    request.rowOf([
      { value: 1, metadata: INT },
      { value: '9007199254740993', metadata: BIGINT },
    ]);
    request.done(1);
    request.done(3); // an UPDATE of three rows
    request.columns(TEXT);
    request.rowOf([{ value: 'x', metadata: TEXT }]);
    request.done(1);
    cursor.complete(undefined);

    const first = await cursor.nextResult();
    expect(first?.columns.map((column) => [column.columnName, column.dataTypeName, column.dbType])).toEqual([
      ['n', 'int', 'Int32'],
      ['b', 'bigint', 'Int64'],
    ]);
    expect(await cursor.fetch(10)).toEqual([[1, 9007199254740993n]]);
    expect(await cursor.fetch(10)).toEqual([]);
    expect(await cursor.nextResult()).toEqual({ columns: [] });
    expect(cursor.recordsAffected).toBe(3);
    expect((await cursor.nextResult())?.columns[0]?.columnName).toBe('s');
    expect(await cursor.fetch(10)).toEqual([['x']]);
    expect(await cursor.nextResult()).toBeNull();
    expect(cursor.recordsAffected).toBe(3);
  });

  it('skips the unread rows of a result set when moving to the next one', async () => {
    const { cursor, request } = setup();
    request.columns(INT);
    request.row(1);
    request.row(2);
    request.done(2);
    request.columns(INT);
    request.row(3);
    request.done(1);
    cursor.complete(undefined);
    await cursor.nextResult();
    await cursor.nextResult();
    expect(await cursor.fetch(10)).toEqual([[3]]);
  });

  it('waits for rows that have not arrived yet, and returns what it has rather than waiting for a full batch', async () => {
    const { cursor, request } = setup();
    const header = cursor.nextResult();
    request.columns(INT);
    await header;
    const rows = cursor.fetch(100);
    request.row(1);
    expect(await rows).toEqual([[1]]);
    const more = cursor.fetch(100);
    request.done(1);
    cursor.complete(undefined);
    expect(await more).toEqual([]);
    expect(await cursor.nextResult()).toBeNull();
  });

  it('pauses the request at the high-water mark and resumes it once drained below the low-water mark', async () => {
    const { cursor, request } = setup();
    request.columns(INT);
    for (let i = 0; i < HIGH_WATER_MARK; i += 1) request.row(i);
    expect(request.paused).toBe(true);
    await cursor.nextResult();
    await cursor.fetch(HIGH_WATER_MARK - LOW_WATER_MARK - 1);
    expect(request.paused).toBe(true);
    await cursor.fetch(1);
    expect(request.paused).toBe(false);
    expect(request.pauses).toBe(1);
  });

  it('wakes a reader waiting for rows at a small batch, and otherwise once tedious has parsed what it received', async () => {
    const { cursor, request } = setup();
    request.columns(INT);
    await cursor.nextResult();
    const microtasks = async () => {
      for (let i = 0; i < 5; i += 1) await Promise.resolve();
    };
    let batch: unknown[][] | undefined;
    void cursor.fetch(1000).then((rows) => (batch = rows));
    await microtasks(); // the fetch now waits for rows
    for (let i = 0; i < WAKE_BATCH_ROWS - 1; i += 1) request.row(i);
    await microtasks();
    expect(batch).toBeUndefined();
    request.row(WAKE_BATCH_ROWS - 1);
    await microtasks();
    expect(batch).toHaveLength(WAKE_BATCH_ROWS);
    batch = undefined;
    void cursor.fetch(1000).then((rows) => (batch = rows));
    await microtasks();
    request.row(99);
    await microtasks();
    expect(batch).toBeUndefined();
    await new Promise((resolve) => setImmediate(resolve));
    expect(batch).toEqual([[99]]);
  });

  it('throws a server error where it occurs in the stream, after the rows before it', async () => {
    const { cursor, request } = setup();
    request.columns(INT);
    request.row(1);
    cursor.onErrorMessage({ number: 8134, state: 1, class: 16, message: 'Divide by zero error encountered.' });
    request.done(undefined);
    cursor.complete(new Error('Divide by zero error encountered.'));
    await cursor.nextResult();
    expect(await cursor.fetch(10)).toEqual([[1]]);
    const error = await cursor.fetch(10).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DbError);
    expect(error).toMatchObject({ providerCode: 8134, sqlState: '22012', category: DbErrorCategory.DataException });
    // The completion error is the same failure: it is not thrown a second time.
    expect(await cursor.nextResult()).toBeNull();
  });

  it('a value that cannot be converted fails the read at its row, without throwing into tedious', async () => {
    const { cursor, request } = setup();
    request.columns(BIGINT);
    request.rowOf([{ value: '1', metadata: BIGINT }]);
    expect(() => request.rowOf([{ value: 'not a number', metadata: BIGINT }])).not.toThrow();
    request.done(2);
    cursor.complete(undefined);
    await cursor.nextResult();
    expect(await cursor.fetch(10)).toEqual([[1n]]);
    await expect(cursor.fetch(10)).rejects.toBeInstanceOf(DbError);
  });

  it('throws an error that precedes any result from nextResult', async () => {
    const { cursor } = setup();
    cursor.onErrorMessage({ number: 208, state: 1, class: 16, message: "Invalid object name 'nope'." });
    cursor.complete(new Error("Invalid object name 'nope'."));
    await expect(cursor.nextResult()).rejects.toMatchObject({
      providerCode: 208,
      category: DbErrorCategory.UndefinedObject,
    });
  });

  it('reports a completion error that no ERROR token announced', async () => {
    const { cursor } = setup();
    cursor.complete(Object.assign(new Error('Validation failed for parameter'), { code: 'EPARAM' }));
    await expect(cursor.nextResult()).rejects.toMatchObject({
      providerCode: 'EPARAM',
      category: DbErrorCategory.DataException,
    });
  });

  it('cancels with ATTENTION when the signal aborts, and settles pending calls only once the request completed', async () => {
    const { cursor, request, controller, cancels } = setup();
    request.columns(INT);
    await cursor.nextResult();
    const pending = cursor.fetch(10);
    let settled = false;
    void pending.catch(() => (settled = true));
    controller.abort({ kind: 'cancel' });
    expect(cancels).toHaveLength(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    cursor.complete(Object.assign(new Error('Canceled.'), { code: 'ECANCEL' }));
    await expect(pending).rejects.toMatchObject({ providerCode: 'ECANCEL', category: DbErrorCategory.QueryCanceled });
    await expect(cursor.nextResult()).rejects.toBeInstanceOf(DbError);
  });

  it('close() cancels what is left and resolves once the request completed', async () => {
    const { cursor, request, cancels } = setup();
    request.columns(INT);
    request.row(1);
    await cursor.nextResult();
    let closed = false;
    const closing = cursor.close().then(() => (closed = true));
    expect(cancels).toHaveLength(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(closed).toBe(false);
    cursor.complete(Object.assign(new Error('Canceled.'), { code: 'ECANCEL' }));
    await closing;
    expect(closed).toBe(true);
  });

  it('close() reads the rest instead when output values are expected, and returns them with the return status', async () => {
    const { cursor, request, cancels } = setup({
      drainOnClose: true,
      parameterNames: ['Total', 'status'],
      returnValueName: 'status',
    });
    request.columns(INT);
    for (let i = 0; i < HIGH_WATER_MARK; i += 1) request.row(i);
    expect(request.paused).toBe(true);
    await cursor.nextResult();
    const closing = cursor.close();
    expect(cancels).toHaveLength(0);
    expect(request.paused).toBe(false);
    request.row(99);
    request.done(HIGH_WATER_MARK + 1);
    request.sink.onReturnValue('total', 42, INT);
    request.sink.onDoneProc(7);
    cursor.complete(undefined);
    await closing;
    expect(cursor.outputValues).toEqual(
      new Map<string, unknown>([
        ['Total', 42],
        ['status', 7],
      ]),
    );
  });

  it('close() after the request completed does nothing more', async () => {
    const { cursor, cancels } = setup();
    cursor.complete(undefined);
    await cursor.close();
    expect(cancels).toHaveLength(0);
  });

  it('an already-aborted signal cancels at once', () => {
    const controller = new AbortController();
    controller.abort({ kind: 'cancel' });
    const cancels: number[] = [];
    new MssqlResultCursor({
      cancel: () => cancels.push(1),
      cancellation: cancellationOf(controller.signal),
      drainOnClose: false,
      parameterNames: [],
    });
    expect(cancels).toHaveLength(1);
  });
});
