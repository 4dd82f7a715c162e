import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TdsEngine, TdsSession } from './engine-types.js';
import { batch, collect, errors, ok, openSession, PG_URL, resultSets, rows, testEngine } from './test-support.js';

/**
 * The statements provider-mssql's conformance fixture sends (packages/provider-mssql/test/mssql-fixture.ts), and
 * the SQL Server views and commands behind them.
 */
describe('SQL Server views, KILL and the conformance recipes', () => {
  let engine: TdsEngine;
  let session: TdsSession;
  beforeAll(async () => {
    engine = testEngine();
    session = await openSession(engine);
  });
  afterAll(async () => session.close());

  it('generates rows from cross joins of VALUES with TOP and ROW_NUMBER()', async () => {
    const digits = '(VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9))';
    const events = await ok(
      session,
      `SELECT TOP (25) CAST(ROW_NUMBER() OVER (ORDER BY (SELECT NULL)) AS int) AS n, REPLICATE('x', 200) AS payload FROM ${digits} AS d0(d) CROSS JOIN ${digits} AS d1(d) ORDER BY n`,
    );
    const [set] = resultSets(events);
    expect(set?.columns.map((c) => [c.name, c.type])).toEqual([['n', 'int'], ['payload', 'nvarchar']]);
    expect(set?.rows.map((r) => r[0])).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(set?.rows[0]?.[1]).toBe('x'.repeat(200));
  });

  it('supports recursive common table expressions and GENERATE_SERIES', async () => {
    const events = await ok(session, `
      WITH n AS (SELECT 1 AS i UNION ALL SELECT i + 1 FROM n WHERE i < 4) SELECT i FROM n OPTION (MAXRECURSION 0)
      SELECT value FROM GENERATE_SERIES(1, 3)
      SELECT g.value * 2 AS twice FROM GENERATE_SERIES(1, 2) AS g`);
    expect(resultSets(events).map((s) => s.rows)).toEqual([[[1], [2], [3], [4]], [[1], [2], [3]], [[2], [4]]]);
  });

  it('shows a running request in sys.dm_exec_requests, and none for an idle session', async () => {
    const busy = await openSession(engine);
    try {
      const query = `SELECT command FROM sys.dm_exec_requests WHERE session_id = ${busy.spid}`;
      expect(rows(await ok(session, query))).toEqual([]);
      const controller = new AbortController();
      const running = collect(busy.executeBatch("WAITFOR DELAY '00:00:10'", controller.signal));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(rows(await ok(session, query))).toEqual([['WAITFOR']]);
      controller.abort();
      await running;
      expect(rows(await ok(session, query))).toEqual([]);
    } finally {
      await busy.close();
    }
  });

  it('reads the isolation level of the current transaction from sys.dm_exec_sessions', async () => {
    const read =
      "SELECT CASE transaction_isolation_level WHEN 1 THEN 'read uncommitted' WHEN 2 THEN 'read committed' " +
      "WHEN 3 THEN 'repeatable read' WHEN 4 THEN 'serializable' WHEN 5 THEN 'snapshot' END " +
      'FROM sys.dm_exec_sessions WHERE session_id = @@SPID';
    for (const level of ['read uncommitted', 'read committed', 'repeatable read', 'serializable', 'snapshot'] as const) {
      await collect(session.executeTransaction({ kind: 'begin', isolationLevel: level }, new AbortController().signal));
      expect(rows(await ok(session, read))).toEqual([[level]]);
      await collect(session.executeTransaction({ kind: 'rollback' }, new AbortController().signal));
    }
    await ok(session, 'SET TRANSACTION ISOLATION LEVEL READ COMMITTED');
  });

  it('lists tables in sys.tables (temporary ones of this session too)', async () => {
    await ok(session, 'CREATE TABLE #listed (a INT)');
    expect(rows(await ok(session, "SELECT name, type FROM sys.tables WHERE name = '#listed'"))).toEqual([['#listed', 'U ']]);
  });

  it('clears a #temp table on reset (the fixture\'s session state)', async () => {
    await ok(session, 'CREATE TABLE #asyncdb_session_state (x int)');
    const read = "SELECT CASE WHEN OBJECT_ID(N'tempdb..#asyncdb_session_state') IS NULL THEN 0 ELSE 1 END";
    expect(rows(await ok(session, read))).toEqual([[1]]);
    await session.reset();
    expect(rows(await ok(session, read))).toEqual([[0]]);
  });

  it('KILLs another session; the killed one fails with a fatal 596', async () => {
    const victim = await openSession(engine);
    try {
      let ended = false;
      void victim.ended?.then(() => (ended = true));
      expect(await ok(session, `KILL ${victim.spid}`)).toEqual([]);
      await victim.ended;
      expect(ended).toBe(true);
      const events = await batch(victim, 'SELECT 1');
      expect(errors(events)).toMatchObject([{ number: 596, severity: 21 }]);
      expect(errors(await batch(session, `KILL ${victim.spid}`))).toMatchObject([{ number: 6106 }]);
      expect(errors(await batch(session, `KILL ${session.spid}`))).toMatchObject([{ number: 6104 }]);
    } finally {
      await victim.close();
    }
  });

  it('does not end a session that USE keeps or close() ends on purpose', async () => {
    const moved = await openSession(engine);
    let ended = false;
    void moved.ended?.then(() => (ended = true));
    await ok(moved, `USE [${moved.database}]`);
    const other = await openSession(engine);
    await ok(other, 'SELECT 1');
    await moved.close();
    await other.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(ended).toBe(false);
  });

  it('reports a session whose backend was terminated mid-statement as fatal (596)', async () => {
    const victim = await openSession(engine);
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    try {
      const running = batch(victim, "WAITFOR DELAY '00:00:10'");
      await new Promise((resolve) => setTimeout(resolve, 200));
      await admin.query('SELECT pg_terminate_backend($1)', [victim.spid]);
      expect(errors(await running)).toMatchObject([{ number: 596, severity: 21 }]);
    } finally {
      await admin.end();
      await victim.close();
    }
  });
});
