import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent, TdsSession } from './engine-types.js';
import { collect, ok, openSession, PG_URL, rows, testEngine, uniqueName } from './test-support.js';

/** What PostgreSQL reports for a backend, seen from another connection. */
async function backendState(observer: pg.Client, pid: number): Promise<string | null> {
  const result = await observer.query<{ state: string | null }>('SELECT state FROM pg_stat_activity WHERE pid = $1', [pid]);
  return result.rows[0]?.state ?? null;
}

describe('cancellation (TDS ATTENTION)', () => {
  let session: TdsSession;
  let observer: pg.Client;
  beforeAll(async () => {
    session = await openSession(testEngine({ fetchSize: 100 }));
    observer = new pg.Client({ connectionString: PG_URL });
    await observer.connect();
  });
  afterAll(async () => {
    await session.close();
    await observer.end();
  });

  it("cancels WAITFOR DELAY '00:00:30' on the server and leaves the session idle and usable", async () => {
    const controller = new AbortController();
    const started = Date.now();
    const running = collect(session.executeBatch("SELECT 1 AS before_wait\nWAITFOR DELAY '00:00:30'\nSELECT 2 AS never", controller.signal));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await backendState(observer, session.spid)).toBe('active');
    controller.abort();
    const events = await running;
    expect(Date.now() - started).toBeLessThan(5000);
    // ATTENTION just ends the request: no error, nothing after the cancelled statement.
    expect(events.filter((e) => e.kind === 'message')).toEqual([]);
    expect(rows(events)).toEqual([[1]]);
    expect(await backendState(observer, session.spid)).toBe('idle');
    expect(rows(await ok(session, 'SELECT 3 AS after'))).toEqual([[3]]);
  });

  // Issue 15: a cancel that reaches PostgreSQL before the statement started (still queued in pg, still on the wire)
  // is ignored, and a CPU-bound statement then ran for good. The runner now repeats the cancel until the statement
  // stopped. Aborting at once, several times over, is where the lost cancel showed up (timing-dependent by nature).
  it('stops a CPU-bound statement aborted the moment it was sent, every time, and leaves the session idle', async () => {
    const digits = '(VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9))';
    const from = Array.from({ length: 12 }, (_, index) => `${digits} AS d${index}(d)`).join(' CROSS JOIN ');
    for (let attempt = 0; attempt < 5; attempt++) {
      const controller = new AbortController();
      const running = collect(session.executeBatch(`SELECT COUNT_BIG(*) AS n FROM ${from}`, controller.signal));
      await new Promise((resolve) => setImmediate(resolve));
      controller.abort();
      const events = await running;
      expect(events.filter((e) => e.kind === 'done')).toEqual([]);
      expect(await backendState(observer, session.spid)).toBe('idle');
    }
    expect(rows(await ok(session, 'SELECT 6 AS after'))).toEqual([[6]]);
  }, 30_000);

  it('cancels a streaming result between batches of rows', async () => {
    const controller = new AbortController();
    const events: EngineEvent[] = [];
    for await (const event of session.executeBatch('SELECT generate_series(1, 10000000) AS g', controller.signal)) {
      events.push(event);
      if (events.length === 50) controller.abort();
    }
    expect(events.length).toBeLessThanOrEqual(51);
    expect(events.some((e) => e.kind === 'done')).toBe(false);
    expect(await backendState(observer, session.spid)).toBe('idle');
    expect(rows(await ok(session, 'SELECT 4 AS after'))).toEqual([[4]]);
  });

  it('closes the portal when the consumer stops pulling (return())', async () => {
    let seen = 0;
    for await (const event of session.executeBatch('SELECT generate_series(1, 10000000) AS g', new AbortController().signal)) {
      if (event.kind === 'row' && ++seen === 10) break;
    }
    expect(await backendState(observer, session.spid)).toBe('idle');
    expect(rows(await ok(session, 'SELECT 5 AS after'))).toEqual([[5]]);
  });

  it('rolls back only the cancelled statement inside a transaction', async () => {
    await ok(session, 'CREATE TABLE #cancel_tx (a INT); BEGIN TRAN; INSERT INTO #cancel_tx VALUES (1)');
    const controller = new AbortController();
    const running = collect(session.executeBatch("INSERT INTO #cancel_tx VALUES (2)\nWAITFOR DELAY '00:00:30'", controller.signal));
    await new Promise((resolve) => setTimeout(resolve, 300));
    controller.abort();
    await running;
    expect(rows(await ok(session, 'SELECT @@TRANCOUNT AS tc, COUNT(*) AS n FROM #cancel_tx'))).toEqual([[1, 2n]]);
    await ok(session, 'COMMIT');
    expect(await backendState(observer, session.spid)).toBe('idle');
  });

  it('does nothing for a request aborted before it starts', async () => {
    const controller = new AbortController();
    controller.abort();
    expect(await collect(session.executeBatch('SELECT 1', controller.signal))).toEqual([]);
    expect(rows(await ok(session, 'SELECT 6 AS after'))).toEqual([[6]]);
  });
});

describe('streaming', () => {
  let session: TdsSession;
  let observer: pg.Client;
  const sequence = uniqueName('tds_stream_seq');
  beforeAll(async () => {
    session = await openSession(testEngine({ fetchSize: 100 }));
    observer = new pg.Client({ connectionString: PG_URL });
    await observer.connect();
    await observer.query(`CREATE SEQUENCE ${sequence}`);
  });
  afterAll(async () => {
    await observer.query(`DROP SEQUENCE IF EXISTS ${sequence}`);
    await session.close();
    await observer.end();
  });

  it('fetches rows from PostgreSQL only as the consumer pulls them', async () => {
    let pulled = 0;
    for await (const event of session.executeBatch(`SELECT nextval('${sequence}') AS n FROM generate_series(1, 1000000)`, new AbortController().signal)) {
      if (event.kind === 'row' && ++pulled === 1000) {
        // The server computed at most one fetch (100 rows) beyond what was pulled.
        const { rows: seq } = await observer.query<{ last_value: string }>(`SELECT last_value FROM ${sequence}`);
        expect(Number(seq[0]?.last_value)).toBeLessThanOrEqual(1100);
        break;
      }
    }
  });

  it('streams a million rows to the end with the right count', async () => {
    let count = 0;
    let done: EngineEvent | undefined;
    for await (const event of session.executeBatch('SELECT g FROM generate_series(1, 1000000) AS s(g)', new AbortController().signal)) {
      if (event.kind === 'row') count++;
      else if (event.kind === 'done') done = event;
    }
    expect(count).toBe(1_000_000);
    expect(done).toEqual({ kind: 'done', rowCount: 1_000_000 });
  }, 60_000);
});
