import {
  CommandBehavior,
  DbError,
  cancellationOf,
  inferDbType,
  type BoundParameter,
  type StatementRequest,
} from '@asyncdb/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { deferReset, takeDeferredReset } from './pg-deferred-reset.js';
import { ROWS_HIGH_WATER_MARK, ROWS_LOW_WATER_MARK } from './pg-protocol-turn.js';
import { PREFETCH_ROWS, PgResultCursor } from './pg-result-cursor.js';
import { PgSession } from './pg-session.js';
import { FakeClient, FakePostmaster, settle } from './testing/fake-pg.js';

let postmaster: FakePostmaster;
let client: FakeClient;
let session: PgSession;

beforeEach(async () => {
  postmaster = await FakePostmaster.start();
  client = new FakeClient(postmaster.port);
  session = new PgSession(client.asClient(), { onLost: () => {}, onNotice: () => {} }, async () => {});
});

afterEach(async () => {
  await postmaster.stop();
});

const parameter = (name: string, value: unknown): BoundParameter => ({
  name,
  value,
  dbType: inferDbType(value),
  dbTypeExplicit: false,
  direction: 'Input',
  size: 0,
  precision: 0,
  scale: 0,
});

function start(
  statements: StatementRequest[],
  behavior: CommandBehavior = CommandBehavior.Default,
  signal = new AbortController().signal,
) {
  return PgResultCursor.start(session, {
    statements,
    behavior,
    cancellation: cancellationOf(signal),
    secrets: ['hunter2'],
  });
}

/** Starts `SELECT g` with an abort controller and answers its RowDescription (and `rows` rows). */
async function startAbortable(behavior: CommandBehavior, rows: number) {
  const controller = new AbortController();
  const cursor = await start([{ text: 'SELECT g', parameters: [] }], behavior, controller.signal);
  const header = cursor.nextResult();
  await settle();
  client.rowDescription('g');
  client.rows(rows);
  return { controller, cursor, header };
}

describe('PgResultCursor pipelined batches (the default)', () => {
  it('sends every statement and the Sync in one packet, each Execute without a row limit', async () => {
    const cursor = await start([
      { text: 'SELECT $1::int', parameters: [parameter('a', 5)] },
      { text: 'SELECT 2', parameters: [] },
    ]);
    const header = cursor.nextResult();
    await settle();
    expect(client.connection.sent).toEqual([
      { type: 'parse', text: 'SELECT $1::int', types: [23] },
      { type: 'bind', portal: '', values: ['5'] },
      { type: 'describe', kind: 'P' },
      { type: 'execute', portal: '', rows: 0 },
      { type: 'parse', text: 'SELECT 2', types: [] },
      { type: 'bind', portal: '', values: [] },
      { type: 'describe', kind: 'P' },
      { type: 'execute', portal: '', rows: 0 },
      { type: 'sync' },
    ]);
    client.rowDescription('a');
    expect((await header)?.columns.map((column) => column.columnName)).toEqual(['a']);
  });

  it('stops reading the socket above the high-water mark and reads it again below the low one', async () => {
    const cursor = await start([{ text: 'SELECT g', parameters: [] }]);
    const header = cursor.nextResult();
    await settle();
    client.rowDescription('g');
    await header;
    client.rows(ROWS_HIGH_WATER_MARK - 1);
    expect(client.connection.stream.paused).toBe(false);
    client.rows(1, ROWS_HIGH_WATER_MARK);
    expect(client.connection.stream.paused).toBe(true);
    const first = await cursor.fetch(ROWS_HIGH_WATER_MARK - ROWS_LOW_WATER_MARK - 1);
    expect(first).toHaveLength(ROWS_HIGH_WATER_MARK - ROWS_LOW_WATER_MARK - 1);
    expect(client.connection.stream.paused).toBe(true);
    await cursor.fetch(1);
    expect(client.connection.stream.paused).toBe(false);
    expect(client.connection.drain()).toEqual(['query']);
  });

  it('reports DML counts and ends at the ReadyForQuery of the batch', async () => {
    const cursor = await start([
      { text: 'UPDATE t SET x = 1', parameters: [] },
      { text: 'DELETE FROM t', parameters: [] },
    ]);
    const first = cursor.nextResult();
    await settle();
    client.noData();
    client.complete('UPDATE 3');
    expect(await first).toEqual({ columns: [] });
    const second = cursor.nextResult();
    client.noData();
    client.complete('DELETE 2');
    await second;
    const end = cursor.nextResult();
    let ended = false;
    void end.finally(() => (ended = true));
    await settle();
    expect(ended).toBe(false);
    client.ready();
    expect(await end).toBeNull();
    expect(cursor.recordsAffected).toBe(5);
    expect(client.connection.drain()).toEqual([
      ...Array(2).fill(['parse', 'bind', 'describe', 'execute']).flat(),
      'sync',
    ]);
    await cursor.close();
  });

  it("skips the rest of a result without dropping the next statement's rows that arrived with it", async () => {
    const cursor = await start([
      { text: 'SELECT g', parameters: [] },
      { text: 'SELECT 7', parameters: [] },
    ]);
    const header = cursor.nextResult();
    await settle();
    client.rowDescription('g');
    client.rows(5);
    await header;
    expect(await cursor.fetch(1)).toEqual([[1]]);
    const next = cursor.nextResult();
    await settle();
    // The rest of the first result and all of the second arrive while the first is being skipped.
    client.rows(5, 6);
    client.complete('SELECT 10');
    client.rowDescription('seven');
    client.rows(1, 7);
    client.complete('SELECT 1');
    client.ready();
    expect((await next)?.columns.map((column) => column.columnName)).toEqual(['seven']);
    expect(await cursor.fetch(10)).toEqual([[7]]);
    expect(await cursor.nextResult()).toBeNull();
  });

  it('turns an ErrorResponse into a DbError once the session is idle again', async () => {
    const cursor = await start([{ text: 'SELECT 1/0', parameters: [] }]);
    const header = cursor.nextResult();
    let settled = false;
    header.catch(() => {}).finally(() => (settled = true));
    await settle();
    client.connection.drain();
    client.error('22012', 'division by zero: hunter2');
    await settle();
    // The Sync went with the batch: nothing more is written, the cursor waits for ReadyForQuery.
    expect(client.connection.drain()).toEqual([]);
    expect(settled).toBe(false);
    client.ready();
    const error = (await header.catch((caught: unknown) => caught)) as DbError;
    expect(error).toBeInstanceOf(DbError);
    expect(error.sqlState).toBe('22012');
    expect(error.message).not.toContain('hunter2');
    await cursor.close();
  });

  it('reads a half-read result to its end on close (rows dropped) and still runs the rest of the batch', async () => {
    const cursor = await start([
      { text: 'SELECT g', parameters: [] },
      { text: 'UPDATE t SET x = 1', parameters: [] },
    ]);
    const header = cursor.nextResult();
    await settle();
    client.rowDescription('g');
    client.rows(10);
    await header;
    expect(await cursor.fetch(2)).toHaveLength(2);
    client.connection.drain();
    let closed = false;
    const closing = cursor.close().then(() => (closed = true));
    await settle();
    client.rows(5000, 11);
    client.complete('SELECT 5010');
    client.noData();
    await settle();
    expect(closed).toBe(false);
    client.complete('UPDATE 4');
    client.ready();
    await closing;
    expect(client.connection.drain()).toEqual([]);
    expect(cursor.recordsAffected).toBe(4);
  });

  it("writes a pooled session's owed DISCARD ALL ahead of the command, and keeps its completion to itself", async () => {
    deferReset(client);
    const cursor = await start([{ text: 'SELECT 1', parameters: [] }]);
    const header = cursor.nextResult();
    await settle();
    expect(client.connection.sent.slice(0, 3)).toEqual([
      { type: 'parse', text: 'DISCARD ALL', types: [] },
      { type: 'bind', portal: '', values: [] },
      { type: 'execute', portal: '', rows: 0 },
    ]);
    expect(client.connection.drain()).toEqual([
      'parse',
      'bind',
      'execute',
      'parse',
      'bind',
      'describe',
      'execute',
      'sync',
    ]);
    client.complete('DISCARD ALL');
    client.rowDescription('one');
    client.rows(1);
    client.complete('SELECT 1');
    client.ready();
    await header;
    expect(await cursor.fetch(10)).toEqual([[1]]);
    expect(await cursor.nextResult()).toBeNull();
    await cursor.close();
    expect(cursor.recordsAffected).toBe(-1);
    expect(takeDeferredReset(client)).toBe(false);
  });

  it('owes the reset again when the command that carried it fails', async () => {
    deferReset(client);
    const cursor = await start([{ text: 'SELECT 1/0', parameters: [] }]);
    const header = cursor.nextResult();
    await settle();
    client.complete('DISCARD ALL');
    client.error('22012', 'division by zero');
    client.ready();
    await expect(header).rejects.toBeInstanceOf(DbError);
    await cursor.close();
    expect(takeDeferredReset(client)).toBe(true);
  });

  it('sends a second Sync after failing a COPY FROM STDIN that ends a pipelined batch (the server ignored the first)', async () => {
    const cursor = await start([
      { text: 'SELECT 1', parameters: [] },
      { text: 'COPY t FROM STDIN', parameters: [] },
    ]);
    const first = cursor.nextResult();
    await settle();
    client.connection.drain();
    client.rowDescription('one');
    client.rows(1);
    client.complete('SELECT 1');
    await first;
    const second = cursor.nextResult();
    client.noData();
    client.active?.handleCopyInResponse(client.connection);
    expect(client.connection.drain()).toEqual(['copyFail', 'sync']);
    client.error('57014', 'COPY from stdin failed');
    client.ready();
    await expect(second).rejects.toMatchObject({ sqlState: '57014' });
    await cursor.close();
  });

  it('fails a COPY FROM STDIN sent as a simple Query without another Sync (the server ends it by itself)', async () => {
    const cursor = await start([{ text: 'COPY t FROM STDIN', parameters: [] }]);
    const header = cursor.nextResult();
    await settle();
    expect(client.connection.drain()).toEqual(['query']);
    client.active?.handleCopyInResponse(client.connection);
    expect(client.connection.drain()).toEqual(['copyFail']);
    client.error('57014', 'COPY from stdin failed');
    client.ready();
    await expect(header).rejects.toMatchObject({ sqlState: '57014' });
    await cursor.close();
  });

  it('sends one statement without parameters as a simple Query; a result without rows has no NoData there', async () => {
    const cursor = await start([{ text: 'UPDATE t SET x = 1', parameters: [] }]);
    const header = cursor.nextResult();
    await settle();
    expect(client.connection.sent).toEqual([{ type: 'query', text: 'UPDATE t SET x = 1' }]);
    client.complete('UPDATE 3');
    client.ready();
    expect(await header).toEqual({ columns: [] });
    expect(await cursor.nextResult()).toBeNull();
    expect(cursor.recordsAffected).toBe(3);
  });

  it('looks up unknown types on a side connection while the result streams', async () => {
    const sideQuery = vi.fn(async () => [['99001', 'mood', 'e', '0']]);
    const cursor = await PgResultCursor.start(session, {
      statements: [{ text: 'SELECT m', parameters: [] }],
      behavior: CommandBehavior.Default,
      cancellation: cancellationOf(new AbortController().signal),
      secrets: [],
      sideQuery,
    });
    const header = cursor.nextResult();
    await settle();
    client.typedRowDescription(99001, 'm');
    client.row('happy');
    expect((await header)?.columns[0]?.dataTypeName).toBe('mood');
    expect(sideQuery).toHaveBeenCalledTimes(1);
    client.complete('SELECT 1');
    client.ready();
    expect(await cursor.fetch(10)).toEqual([['happy']]);
  });

  it('looks a type the side connection cannot see up on the session once its batch has ended', async () => {
    const cursor = await PgResultCursor.start(session, {
      statements: [{ text: 'SELECT m', parameters: [] }],
      behavior: CommandBehavior.Default,
      cancellation: cancellationOf(new AbortController().signal),
      secrets: [],
      sideQuery: async () => [],
    });
    const header = cursor.nextResult();
    await settle();
    client.connection.drain();
    client.typedRowDescription(99002, 'm');
    client.row('sad');
    client.complete('SELECT 1');
    client.ready();
    await settle();
    expect(client.connection.drain()).toEqual(['parse', 'bind', 'execute', 'sync']);
    client.row('99002', 'mood2', 'e', '0');
    client.complete('SELECT 1');
    client.ready();
    expect((await header)?.columns[0]?.dataTypeName).toBe('mood2');
    expect(await cursor.fetch(10)).toEqual([['sad']]);
    expect(await cursor.nextResult()).toBeNull();
    await cursor.close();
  });
});

describe('PgResultCursor statement by statement (SchemaOnly, KeyInfo, SingleRow)', () => {
  it('describes and executes a statement with a bounded prefetch, in one packet', async () => {
    const cursor = await start([{ text: 'SELECT $1::int', parameters: [parameter('a', 5)] }], CommandBehavior.KeyInfo);
    const header = cursor.nextResult();
    await settle();
    expect(client.connection.sent).toEqual([
      { type: 'parse', text: 'SELECT $1::int', types: [23] },
      { type: 'bind', portal: '', values: ['5'] },
      { type: 'describe', kind: 'P' },
      { type: 'execute', portal: '', rows: PREFETCH_ROWS },
      { type: 'flush' },
    ]);
    client.rowDescription('a');
    client.complete('SELECT 0');
    expect((await header)?.columns.map((column) => column.columnName)).toEqual(['a']);
  });

  it('asks the portal for more rows only when the reader has consumed what it has', async () => {
    const cursor = await start([{ text: 'SELECT g', parameters: [] }], CommandBehavior.KeyInfo);
    const header = cursor.nextResult();
    await settle();
    client.connection.drain();
    client.rowDescription('g');
    client.rows(PREFETCH_ROWS);
    client.suspended();
    await header;
    const first = await cursor.fetch(600);
    const second = await cursor.fetch(600);
    expect(first).toHaveLength(600);
    expect(second).toHaveLength(400);
    expect(client.connection.drain()).toEqual([]);

    const third = cursor.fetch(600);
    await settle();
    expect(client.connection.sent.filter((message) => message.type === 'execute')).toEqual([
      { type: 'execute', portal: '', rows: 600 },
    ]);
    client.rows(600, 1001);
    client.suspended();
    expect((await third)[0]).toEqual([1001]);
  });

  it('fetches a single row for CommandBehavior.SingleRow', async () => {
    const cursor = await start([{ text: 'SELECT g', parameters: [] }], CommandBehavior.SingleRow);
    void cursor.nextResult();
    await settle();
    expect(client.connection.sent.find((message) => message.type === 'execute')).toEqual({
      type: 'execute',
      portal: '',
      rows: 1,
    });
  });

  it('describes without executing for CommandBehavior.SchemaOnly', async () => {
    const cursor = await start([{ text: 'DELETE FROM t RETURNING id', parameters: [] }], CommandBehavior.SchemaOnly);
    const header = cursor.nextResult();
    await settle();
    expect(client.connection.drain()).toEqual(['parse', 'bind', 'describe']);
    client.rowDescription('id');
    expect((await header)?.columns).toHaveLength(1);
  });

  it('closes a half-read portal instead of reading it, and still runs the rest of the batch', async () => {
    const cursor = await start(
      [
        { text: 'SELECT g', parameters: [] },
        { text: 'UPDATE t SET x = 1', parameters: [] },
      ],
      CommandBehavior.KeyInfo,
    );
    const header = cursor.nextResult();
    await settle();
    client.rowDescription('g');
    client.rows(PREFETCH_ROWS);
    client.suspended();
    await header;
    client.connection.drain();
    const closing = cursor.close();
    await settle();
    expect(client.connection.sent.slice(0, 1)).toEqual([{ type: 'close', kind: 'P', name: '' }]);
    client.closeComplete();
    await settle();
    client.noData();
    client.complete('UPDATE 4');
    await settle();
    client.ready();
    await closing;
    expect(client.connection.drain()).toEqual(['close', 'parse', 'bind', 'describe', 'execute', 'sync']);
    expect(cursor.recordsAffected).toBe(4);
  });
});

describe('PgResultCursor abort', () => {
  it('cancels a running statement on the server and settles after ReadyForQuery', async () => {
    const controller = new AbortController();
    const cursor = await start(
      [{ text: 'SELECT pg_sleep(30)', parameters: [] }],
      CommandBehavior.Default,
      controller.signal,
    );
    const header = cursor.nextResult();
    await settle();
    client.rowDescription('pg_sleep');
    await header;
    const rows = cursor.fetch(10);
    controller.abort({ kind: 'cancel' });
    await postmaster.waitForPackets(1);
    client.connection.drain();
    client.error('57014', 'canceling statement due to user request');
    await settle();
    expect(client.connection.drain()).toEqual([]);
    client.ready();
    await expect(rows).rejects.toMatchObject({ sqlState: '57014' });
    await cursor.close();
    expect(postmaster.packets).toHaveLength(1);
  });

  it('cancels on the server a pipelined reader paused between fetches while the server still sends rows', async () => {
    const { controller, cursor, header } = await startAbortable(CommandBehavior.Default, 5);
    await header;
    controller.abort({ kind: 'cancel' });
    await postmaster.waitForPackets(1);
    const fetching = cursor.fetch(10);
    client.error('57014', 'canceling statement due to user request');
    client.ready();
    await expect(fetching).rejects.toMatchObject({ sqlState: '57014' });
    await cursor.close();
  });

  it('sends no CancelRequest once the server has sent the whole result', async () => {
    const { controller, cursor, header } = await startAbortable(CommandBehavior.Default, 5);
    client.complete('SELECT 5');
    await header;
    controller.abort({ kind: 'cancel' });
    const fetching = cursor.fetch(10);
    client.ready();
    await expect(fetching).rejects.toThrow('aborted');
    await session.settleCancels();
    expect(postmaster.packets).toHaveLength(0);
  });

  it('sends no CancelRequest for a reader paused on a suspended portal, and frees the portal', async () => {
    const { controller, cursor, header } = await startAbortable(CommandBehavior.KeyInfo, 5);
    client.suspended();
    await header;
    client.connection.drain();
    controller.abort({ kind: 'cancel' });
    const fetching = cursor.fetch(10);
    await settle();
    expect(client.connection.drain()).toEqual(['close', 'sync']);
    client.closeComplete();
    client.ready();
    await expect(fetching).rejects.toThrow('aborted');
    await session.settleCancels();
    expect(postmaster.packets).toHaveLength(0);
  });
});

describe('PgResultCursor concurrency', () => {
  it('runs a close that arrives during a fetch after that fetch, on the state it left', async () => {
    const cursor = await start([{ text: 'SELECT g', parameters: [] }]);
    const header = cursor.nextResult();
    await settle();
    client.rowDescription('g');
    await header;
    const fetching = cursor.fetch(10);
    const closing = cursor.close();
    await settle();
    client.rows(3);
    client.complete('SELECT 3');
    expect(await fetching).toEqual([[1], [2], [3]]);
    await settle();
    expect(client.connection.sent).toEqual([{ type: 'query', text: 'SELECT g' }]);
    client.ready();
    await closing;
  });
});
