import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent, TdsEngine, TdsSession } from './engine-types.js';
import { batch, errors, ok, openSession, PG_URL, rows, testEngine, uniqueName } from './test-support.js';

describe('errors from PostgreSQL', () => {
  let engine: TdsEngine;
  let session: TdsSession;
  const parent = uniqueName('tds_parent');
  const child = uniqueName('tds_child');
  beforeAll(async () => {
    engine = testEngine();
    session = await openSession(engine);
    await ok(session, `
      CREATE TABLE ${parent} (id INT PRIMARY KEY, code NVARCHAR(3) NOT NULL, qty INT CHECK (qty >= 0))
      CREATE UNIQUE INDEX ${parent}_code_ix ON ${parent} (code)
      CREATE TABLE ${child} (id INT PRIMARY KEY, parent_id INT NOT NULL CONSTRAINT ${child}_fk REFERENCES ${parent}(id))
      INSERT INTO ${parent} VALUES (1, 'a', 1)
      INSERT INTO ${child} VALUES (1, 1)`);
  });
  afterAll(async () => {
    await ok(session, `DROP TABLE IF EXISTS ${child}; DROP TABLE IF EXISTS ${parent}`);
    await session.close();
  });

  const failing = async (sql: string): Promise<EngineEvent[]> => {
    const events = await batch(session, sql);
    expect(events[events.length - 1]).toEqual({ kind: 'done', rowCount: null, error: true });
    return events;
  };

  it.each<[string, number, (p: string, c: string) => string, RegExp]>([
    ['primary key', 2627, (p) => `INSERT INTO ${p} VALUES (1, 'b', 1)`, /^Violation of PRIMARY KEY constraint '.*_pkey'\. Cannot insert duplicate key in object 'dbo\..*'\. The duplicate key value is \(1\)\.$/],
    ['unique index', 2601, (p) => `INSERT INTO ${p} VALUES (2, 'a', 1)`, /^Cannot insert duplicate key row in object 'dbo\..*' with unique index '.*_code_ix'\. The duplicate key value is \(a\)\.$/],
    ['foreign key on insert', 547, (_p, c) => `INSERT INTO ${c} VALUES (2, 99)`, /^The INSERT statement conflicted with the FOREIGN KEY constraint ".*_fk"\. The conflict occurred in database ".*", table "dbo\..*", column 'parent_id'\.$/],
    ['foreign key on delete', 547, (p) => `DELETE FROM ${p} WHERE id = 1`, /^The DELETE statement conflicted with the REFERENCE constraint ".*_fk"/],
    ['check constraint', 547, (p) => `UPDATE ${p} SET qty = -1`, /^The UPDATE statement conflicted with the CHECK constraint/],
    ['not null', 515, (p) => `INSERT INTO ${p} (id, code) VALUES (3, NULL)`, /^Cannot insert the value NULL into column 'code', table '.*\.dbo\..*'; column does not allow nulls\. INSERT fails\.$/],
    ['syntax', 102, () => 'SELECT 1 2', /^Incorrect syntax near '2'\.$/],
    ['unparsable', 102, () => 'SELECT (1', /^Incorrect syntax near/],
    ['a first word that is no keyword calls a procedure', 2812, () => 'SELEC 1', /^Could not find stored procedure 'SELEC'\.$/],
    ['a lone unknown word calls a procedure', 2812, () => 'INVALID', /^Could not find stored procedure 'INVALID'\.$/],
    ['a misspelt keyword after the first statement', 102, () => 'SELECT 1 SELEC 1', /^Incorrect syntax near/],
    ['invalid object', 208, () => 'SELECT * FROM no_such_table_at_all', /^Invalid object name 'no_such_table_at_all'\.$/],
    ['invalid column', 207, (p) => `SELECT nope FROM ${p}`, /^Invalid column name 'nope'\.$/],
    ['divide by zero', 8134, () => 'SELECT 1 / 0', /^Divide by zero error encountered\.$/],
    ['conversion', 8114, () => "SELECT CAST('abc' AS INT)", /^Error converting data type/],
    ['overflow', 220, () => 'SELECT CAST(100000 AS SMALLINT)', /^Arithmetic overflow error/],
    ['truncation', 8152, (p) => `INSERT INTO ${p} VALUES (5, 'abcd', 1)`, /^String or binary data would be truncated\.$/],
    ['existing object', 2714, (p) => `CREATE TABLE ${p} (a INT)`, /^There is already an object named '.*' in the database\.$/],
    ['unknown function', 195, () => 'SELECT nope_function(1)', /nope_function/],
    ['anything else', 50000, () => 'SELECT CHR(0)', /^null character not permitted$/],
  ])('%s → %d', async (_label, number, sql, message) => {
    const events = await failing(sql(parent, child));
    const [error] = errors(events);
    expect(error?.number).toBe(number);
    expect(error?.message).toMatch(message);
    expect(error?.lineNumber).toBe(1);
  });

  it('maps a PostgreSQL cancel it did not ask for (statement_timeout) to 3980', async () => {
    const events = await failing("SELECT set_config('statement_timeout', '50', false) AS s\nWAITFOR DELAY '00:00:02'");
    expect(errors(events)).toMatchObject([{ number: 3980, lineNumber: 2 }]);
    await ok(session, "SELECT set_config('statement_timeout', '0', false) AS s");
  });

  it('ends the batch at the first error, reporting its line, and keeps the session usable', async () => {
    const events = await batch(session, `SELECT 1 AS a\nSELECT 1 / 0\nSELECT 2 AS b`);
    expect(rows(events)).toEqual([[1]]);
    expect(errors(events)).toMatchObject([{ number: 8134, lineNumber: 2 }]);
    expect(rows(await ok(session, 'SELECT 3 AS c'))).toEqual([[3]]);
  });

  it('names the procedure and its line in errors raised inside it', async () => {
    const proc = uniqueName('Fails');
    await ok(session, `CREATE PROCEDURE ${proc} AS\nBEGIN\n  SELECT 1 / 0\nEND`);
    expect(errors(await batch(session, `EXEC ${proc}`))).toMatchObject([{ number: 8134, procName: proc, lineNumber: 3 }]);
    await ok(session, `DROP PROCEDURE ${proc}`);
  });

  it('rolls back only the failing statement inside a transaction (the transaction stays open)', async () => {
    const events = await batch(session, `BEGIN TRAN\nINSERT INTO ${parent} VALUES (10, 'x', 1)\nINSERT INTO ${parent} VALUES (10, 'y', 1)`);
    expect(errors(events)).toMatchObject([{ number: 2627 }]);
    expect(rows(await ok(session, `SELECT @@TRANCOUNT AS tc, (SELECT COUNT(*) FROM ${parent} WHERE id = 10) AS n`))).toEqual([[1, 1n]]);
    await ok(session, 'ROLLBACK');
  });

  it('rolls the transaction back on error with SET XACT_ABORT ON', async () => {
    const events = await batch(session, `SET XACT_ABORT ON\nBEGIN TRAN\nINSERT INTO ${parent} VALUES (11, 'x', 1)\nINSERT INTO ${parent} VALUES (11, 'y', 1)`);
    expect(events.filter((e) => e.kind === 'transaction').map((e) => e.kind === 'transaction' && e.change)).toEqual(['begin', 'rollback']);
    expect(rows(await ok(session, `SET XACT_ABORT OFF SELECT @@TRANCOUNT AS tc, (SELECT COUNT(*) FROM ${parent} WHERE id = 11) AS n`))).toEqual([[0, 0n]]);
  });

  it('reports the deadlock victim as 1205 and rolls its transaction back', async () => {
    const table = uniqueName('tds_deadlock');
    await ok(session, `CREATE TABLE ${table} (id INT PRIMARY KEY, v INT); INSERT INTO ${table} VALUES (1, 0), (2, 0)`);
    const first = await openSession(engine);
    const second = await openSession(engine);
    try {
      await ok(first, `BEGIN TRAN UPDATE ${table} SET v = 1 WHERE id = 1`);
      await ok(second, `BEGIN TRAN UPDATE ${table} SET v = 2 WHERE id = 2`);
      const results = await Promise.all([
        batch(first, `UPDATE ${table} SET v = 1 WHERE id = 2`),
        new Promise((resolve) => setTimeout(resolve, 200)).then(() => batch(second, `UPDATE ${table} SET v = 2 WHERE id = 1`)),
      ]);
      const victims = results.filter((events) => errors(events).some((e) => e.number === 1205));
      expect(victims).toHaveLength(1);
      const victim = victims[0] as EngineEvent[];
      expect(errors(victim)[0]).toMatchObject({ number: 1205, severity: 13 });
      expect(errors(victim)[0]?.message).toMatch(/^Transaction \(Process ID \d+\) was deadlocked on lock resources with another process and has been chosen as the deadlock victim\. Rerun the transaction\.$/);
      expect(victim.find((e) => e.kind === 'transaction')).toMatchObject({ kind: 'transaction', change: 'rollback' });
      const survivor = results[0] === victim ? second : first;
      const loser = results[0] === victim ? first : second;
      expect(rows(await ok(loser, 'SELECT @@TRANCOUNT'))).toEqual([[0]]);
      await ok(survivor, 'COMMIT');
    } finally {
      await first.close();
      await second.close();
      await ok(session, `DROP TABLE ${table}`);
    }
  });

  it('reports lock timeouts as 1222', async () => {
    const table = uniqueName('tds_lock');
    await ok(session, `CREATE TABLE ${table} (id INT PRIMARY KEY); INSERT INTO ${table} VALUES (1)`);
    const holder = new pg.Client({ connectionString: PG_URL });
    await holder.connect();
    try {
      await holder.query(`BEGIN; LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
      expect(errors(await batch(session, `SET LOCK_TIMEOUT 100\nSELECT * FROM ${table}`))).toMatchObject([{ number: 1222, lineNumber: 2 }]);
      expect(rows(await ok(session, 'SELECT @@LOCK_TIMEOUT'))).toEqual([[100]]);
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
      await ok(session, `SET LOCK_TIMEOUT -1 DROP TABLE ${table}`);
    }
  });
});
