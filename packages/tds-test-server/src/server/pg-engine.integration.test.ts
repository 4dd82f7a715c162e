import sql from 'mssql';
import pg from 'pg';
import { Request, TYPES, type Connection } from 'tedious';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgEngine } from '../engine/index.js';
import type { EngineEvent, TdsEngine, TdsSession } from '../engine/engine-types.js';
import { startTdsTestServer, type TdsTestServer } from '../index.js';
import { call, clientConfig, collect, connect, disconnect, execBatch } from '../testing/tedious-client.js';

/** PostgreSQL from ASYNCDB_PG_URL, else the shared environment's server (docs/architecture.md#the-testkit). */
const PG_URL = process.env.ASYNCDB_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const PASSWORD = 'wire-secret';

async function requirePostgres(): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `These tests need PostgreSQL at ${PG_URL} (${(error as Error).message}). Set ASYNCDB_PG_URL to a reachable server.`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Wraps an engine to count the events the wire layer pulls from it. */
function counting(inner: TdsEngine): TdsEngine & { pulled: number } {
  const wrapper = {
    pulled: 0,
    serverVersion: inner.serverVersion,
    async openSession(login: Parameters<TdsEngine['openSession']>[0]): Promise<TdsSession> {
      const session = await inner.openSession(login);
      const count = async function* (events: AsyncIterable<EngineEvent>): AsyncGenerator<EngineEvent> {
        for await (const event of events) {
          wrapper.pulled++;
          yield event;
        }
      };
      return {
        get spid() {
          return session.spid;
        },
        get database() {
          return session.database;
        },
        executeBatch: (text, signal) => count(session.executeBatch(text, signal)),
        executeRpc: (name, parameters, signal) => count(session.executeRpc(name, parameters, signal)),
        executeTransaction: (request, signal) => count(session.executeTransaction(request, signal)),
        reset: () => session.reset(),
        close: () => session.close(),
      };
    },
  };
  return wrapper;
}

describe('the wire layer with the PostgreSQL engine', () => {
  let server: TdsTestServer;
  let engine: TdsEngine & { pulled: number };
  let connection: Connection;
  const logs: string[] = [];

  beforeAll(async () => {
    await requirePostgres();
    engine = counting(createPgEngine({ pgUrl: PG_URL, password: PASSWORD }));
    server = await startTdsTestServer({ engine, log: (m) => logs.push(m) });
    connection = await connect(clientConfig(server.port, { database: '' }, PASSWORD));
  });
  afterAll(async () => {
    if (connection) await disconnect(connection);
    await server?.close();
  });

  it('logs in (running tedious’ initial SET batch) and refuses a wrong password with 18456', async () => {
    expect((await execBatch(connection, 'SELECT 1 AS one')).resultSets).toEqual([[[1]]]);
    await expect(connect(clientConfig(server.port, {}, 'wrong'))).rejects.toMatchObject({
      message: "Login failed for user 'tester'.",
    });
  });

  it('round-trips typed sp_executesql parameters through PostgreSQL', async () => {
    const when = new Date('2024-05-06T07:08:09.123Z');
    const { request, done } = collect(
      (cb) =>
        new Request(
          'SELECT @i AS i, @b AS b, @s AS s, @d AS d, @t AS t, @g AS g, @v AS v, @f AS f, @day AS day, @big AS big',
          cb,
        ),
    );
    request.addParameter('i', TYPES.Int, -7);
    request.addParameter('b', TYPES.Bit, true);
    request.addParameter('s', TYPES.NVarChar, 'héllo 😀');
    request.addParameter('d', TYPES.Decimal, 1234.5678, { precision: 10, scale: 4 });
    request.addParameter('t', TYPES.DateTime2, when, { scale: 3 });
    request.addParameter('g', TYPES.UniqueIdentifier, '6F9619FF-8B86-D011-B42D-00C04FC964FF');
    request.addParameter('v', TYPES.VarBinary, Buffer.from([1, 2, 3]));
    request.addParameter('f', TYPES.Float, 2.5);
    request.addParameter('day', TYPES.Date, new Date('2024-02-29T00:00:00Z'));
    request.addParameter('big', TYPES.BigInt, '9007199254740993');
    connection.execSql(request);
    const result = await done;
    expect(result.error).toBeUndefined();
    expect(result.resultSets[0]).toEqual([
      [
        -7,
        true,
        'héllo 😀',
        1234.5678,
        when,
        '6F9619FF-8B86-D011-B42D-00C04FC964FF',
        Buffer.from([1, 2, 3]),
        2.5,
        new Date('2024-02-29T00:00:00Z'),
        '9007199254740993',
      ],
    ]);
  });

  it('reports row counts and several result sets of one batch', async () => {
    const result = await execBatch(
      connection,
      `CREATE TABLE #w (id INT PRIMARY KEY, name NVARCHAR(20))
       INSERT INTO #w VALUES (1, N'a'), (2, N'b'), (3, N'c')
       UPDATE #w SET name = N'z' WHERE id > 1
       SELECT id, name FROM #w ORDER BY id
       SELECT COUNT(*) AS n FROM #w`,
    );
    expect(result.error).toBeUndefined();
    expect(result.resultSets.map((rows) => rows.map((row) => row.map(String)))).toEqual([
      [
        ['1', 'a'],
        ['2', 'z'],
        ['3', 'z'],
      ],
      [['3']],
    ]);
    expect(result.dones.map((d) => d.rowCount)).toEqual([undefined, 3, 2, 3, 1]);
    expect(result.dones.map((d) => d.more)).toEqual([true, true, true, true, false]);
  });

  it('turns a PostgreSQL failure into a SQL Server error number and keeps the connection', async () => {
    const result = await execBatch(connection, 'SELECT * FROM no_such_table_here');
    expect(result.error).toMatchObject({ number: 208 });
    expect((await execBatch(connection, 'SELECT 2 AS two')).resultSets).toEqual([[[2]]]);
  });

  it('runs TRANSACTION_MANAGER begin / rollback / commit against PostgreSQL', async () => {
    await execBatch(connection, 'CREATE TABLE #tx (id INT)');
    await call<Buffer>((cb) => connection.beginTransaction(cb, 'wire_tx'));
    await execBatch(connection, 'INSERT INTO #tx VALUES (1)');
    await call((cb) => connection.rollbackTransaction(cb, 'wire_tx'));
    await call<Buffer>((cb) => connection.beginTransaction(cb));
    await execBatch(connection, 'INSERT INTO #tx VALUES (2)');
    await call((cb) => connection.commitTransaction(cb));
    const result = await execBatch(connection, 'SELECT id FROM #tx');
    expect(result.resultSets).toEqual([[[2]]]);
  });

  it('cancels a slow statement (ATTENTION → PostgreSQL cancel) and runs the next request', async () => {
    const { request, done } = collect((cb) => new Request("WAITFOR DELAY '00:00:30'", cb));
    connection.execSqlBatch(request);
    setTimeout(() => connection.cancel(), 200);
    const started = Date.now();
    expect((await done).error).toMatchObject({ code: 'ECANCEL' });
    expect(Date.now() - started).toBeLessThan(5000);
    expect((await execBatch(connection, 'SELECT 3 AS three')).resultSets).toEqual([[[3]]]);
  });

  it('cancels a streaming result part-way', async () => {
    const { request, done } = collect((cb) => new Request('SELECT g FROM generate_series(1, 3000000) AS s(g)', cb));
    let rows = 0;
    request.on('row', () => {
      if (++rows === 1000) connection.cancel();
    });
    connection.execSqlBatch(request);
    expect((await done).error).toMatchObject({ code: 'ECANCEL' });
    expect(rows).toBeLessThan(3_000_000);
    expect((await execBatch(connection, 'SELECT 4 AS four')).resultSets).toEqual([[[4]]]);
  });

  it('streams 200 000 rows with pause/resume without pulling far ahead of the client', async () => {
    const pulledBefore = engine.pulled;
    let received = 0;
    let maxAhead = 0;
    let pausedOnce = false;
    const result = await new Promise<{ error: Error | null | undefined; rowCount: number | undefined }>((resolve) => {
      const request = new Request(
        "SELECT g, REPLICATE(N'x', 100) AS pad FROM generate_series(1, 200000) AS s(g)",
        (error, rowCount) => resolve({ error, rowCount }),
      );
      request.on('row', () => {
        received++;
        maxAhead = Math.max(maxAhead, engine.pulled - pulledBefore - received);
        if (received === 20_000 && !pausedOnce) {
          pausedOnce = true;
          request.pause();
          setTimeout(() => request.resume(), 300);
        }
      });
      connection.execSqlBatch(request);
    });
    expect(result.error ?? undefined).toBeUndefined();
    expect(received).toBe(200_000);
    expect(result.rowCount).toBe(200_000);
    expect(maxAhead).toBeLessThan(50_000);
  }, 60_000);

  it('serves an mssql ConnectionPool', async () => {
    const pool = new sql.ConnectionPool({
      server: '127.0.0.1',
      port: server.port,
      user: 'tester',
      password: PASSWORD,
      options: { encrypt: false, trustServerCertificate: true },
      pool: { min: 0, max: 2 },
    });
    await pool.connect();
    try {
      const result = await pool.request().input('n', sql.Int, 20).query('SELECT @n + 1 AS answer');
      expect(result.recordset).toEqual([{ answer: 21 }]);
    } finally {
      await pool.close();
    }
    expect(logs).toEqual([]);
  });
});
