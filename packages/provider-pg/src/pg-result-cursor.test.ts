import { CommandBehavior, DbError, inferDbType, type BoundParameter, type StatementRequest } from '@asyncdb/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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
  return PgResultCursor.start(session, { statements, behavior, signal, secrets: ['hunter2'] });
}

describe('PgResultCursor streaming', () => {
  it('describes and executes a statement with a bounded prefetch, in one packet', async () => {
    const cursor = await start([{ text: 'SELECT $1::int', parameters: [parameter('a', 5)] }]);
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
    expect((await header)?.columns.map((column) => column.columnName)).toEqual(['a']);
  });

  it('asks the portal for more rows only when the reader has consumed what it has', async () => {
    const cursor = await start([{ text: 'SELECT g', parameters: [] }]);
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

  it('ends the batch with Sync and reports DML counts', async () => {
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
    await settle();
    client.noData();
    client.complete('DELETE 2');
    await second;
    const end = cursor.nextResult();
    await settle();
    expect(client.connection.sent.at(-1)).toEqual({ type: 'sync' });
    client.ready();
    expect(await end).toBeNull();
    expect(cursor.recordsAffected).toBe(5);
    await cursor.close();
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

  it('turns an ErrorResponse into a DbError once the session is idle again', async () => {
    const cursor = await start([{ text: 'SELECT 1/0', parameters: [] }]);
    const header = cursor.nextResult();
    let settled = false;
    header.catch(() => {}).finally(() => (settled = true));
    await settle();
    client.connection.drain();
    client.error('22012', 'division by zero: hunter2');
    await settle();
    expect(client.connection.drain()).toEqual(['sync']);
    expect(settled).toBe(false);
    client.ready();
    const error = (await header.catch((caught: unknown) => caught)) as DbError;
    expect(error).toBeInstanceOf(DbError);
    expect(error.sqlState).toBe('22012');
    expect(error.message).not.toContain('hunter2');
    await cursor.close();
  });

  it('closes a half-read portal instead of reading it, and still runs the rest of the batch', async () => {
    const cursor = await start([
      { text: 'SELECT g', parameters: [] },
      { text: 'UPDATE t SET x = 1', parameters: [] },
    ]);
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
    expect(client.connection.drain()).toEqual(['sync']);
    client.ready();
    await expect(rows).rejects.toMatchObject({ sqlState: '57014' });
    await cursor.close();
    expect(postmaster.packets).toHaveLength(1);
  });

  it('sends no CancelRequest for a reader paused between fetches, and frees the portal', async () => {
    const controller = new AbortController();
    const cursor = await start([{ text: 'SELECT g', parameters: [] }], CommandBehavior.Default, controller.signal);
    const header = cursor.nextResult();
    await settle();
    client.rowDescription('g');
    client.rows(5);
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
    expect(client.connection.sent.at(-1)).toEqual({ type: 'sync' });
    client.ready();
    await closing;
  });
});
