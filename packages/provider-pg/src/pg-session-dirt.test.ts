import { describe, expect, it } from 'vitest';
import { leavesSessionState, PgSessionDirt } from './pg-session-dirt.js';

describe('leavesSessionState', () => {
  it.each([
    'SELECT 1',
    'select $1::int, $2',
    "SELECT name FROM customer WHERE id = $1 AND note <> 'SET x' -- SET in a comment",
    'SELECT count(*), max(id), coalesce(sum(qty), 0) FROM orders WHERE id IN (1, 2) AND EXISTS (SELECT 1)',
    'WITH t AS (SELECT generate_series(1, 3) AS n) SELECT n FROM t',
    'VALUES (1), (2)',
    'SHOW TimeZone',
    "SELECT now(), current_setting('TimeZone'), pg_sleep(0), $tag$ INSERT $tag$, E'it\\'s', 'it''s'",
    'SELECT CAST(1 AS numeric(10, 2)), x::varchar(3) FROM t',
    'SELECT pg_advisory_xact_lock(1)',
    'SELECT "set" FROM "temp"',
    'BEGIN',
    'COMMIT',
  ])('%s is a plain read: clean', (sql) => {
    expect(leavesSessionState(sql)).toBe(false);
  });

  it.each([
    "SET TimeZone = 'Europe/Paris'",
    'SET LOCAL work_mem = 1024',
    'RESET ALL',
    'PREPARE p AS SELECT 1',
    'DECLARE c CURSOR WITH HOLD FOR SELECT 1',
    'CREATE TEMP TABLE t (a int)',
    'CREATE TEMPORARY TABLE t (a int)',
    'CREATE TABLE pg_temp.t (a int)',
    'SELECT 1 AS a INTO TEMP t',
    'SELECT * INTO t FROM x',
    'LISTEN channel',
    'SELECT pg_advisory_lock(1)',
    'SELECT pg_try_advisory_lock(1)',
    "SELECT set_config('search_path', 'x', false)",
    "SELECT nextval('s')",
    "SELECT currval('s')",
    'SELECT my_function(1)',
    'SELECT public.lower(x)',
    'SELECT "lower"(x)',
    'DISCARD ALL',
    "LOAD 'auto_explain'",
    "DO $$ BEGIN PERFORM set_config('a.b', '1', false); END $$",
    'CALL proc()',
    'INSERT INTO t (a) VALUES (1)',
    'UPDATE t SET a = 1',
    'DELETE FROM t',
    'WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d',
    'SELECT * FROM t FOR UPDATE',
    'EXPLAIN ANALYZE SELECT 1',
    'CREATE TABLE t (a int)',
    "SELECT 'unclosed",
    '/* unclosed',
    '',
  ])('%s may leave session state: dirty', (sql) => {
    expect(leavesSessionState(sql)).toBe(true);
  });
});

it('scans a 20 MB literal without overflowing the stack (the classifier runs on every statement)', () => {
  const literal = 'x'.repeat(20 * 1024 * 1024);
  expect(leavesSessionState(`SELECT '${literal}'`)).toBe(false);
  expect(leavesSessionState(`SELECT E'${literal}', "${literal}"`)).toBe(false);
  expect(leavesSessionState(`INSERT INTO t VALUES ('${literal}')`)).toBe(true);
});

describe('PgSessionDirt', () => {
  it('is clean until a statement, a transaction status or a reported setting says otherwise; clear() forgets', () => {
    const dirt = new PgSessionDirt();
    dirt.markExecuted('SELECT 1');
    dirt.markFromServerStatus('I');
    expect(dirt.isDirty).toBe(false);
    dirt.markExecuted("SET TimeZone = 'UTC'");
    expect(dirt.isDirty).toBe(true);
    dirt.clear();
    dirt.markFromServerStatus('T');
    expect(dirt.isDirty).toBe(true);
    dirt.clear();
    dirt.markParameterStatusChanged();
    expect(dirt.isDirty).toBe(true);
  });
});
