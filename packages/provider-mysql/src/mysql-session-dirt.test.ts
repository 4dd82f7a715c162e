import { describe, expect, it } from 'vitest';
import { mayLeaveUntrackedState, MysqlSessionDirt, SERVER_SESSION_STATE_CHANGED } from './mysql-session-dirt.js';

describe('mayLeaveUntrackedState', () => {
  it.each([
    'SELECT 1',
    'SELECT ?, ? FROM t WHERE id = ?',
    "SELECT name FROM customer WHERE note <> 'SET @x := 1' -- GET_LOCK( in a comment",
    'SELECT COUNT(*), MAX(id), COALESCE(SUM(qty), 0) FROM orders WHERE id IN (1, 2) AND EXISTS (SELECT 1)',
    'SELECT @a',
    'SELECT CAST(1 AS DECIMAL(10, 2)), NOW(), VERSION(), CONNECTION_ID(), SLEEP(0)',
    'SHOW WARNINGS',
    'DO SLEEP(0)',
    'SELECT `set` FROM `temp`',
  ])('%s is a plain read: clean', (sql) => {
    expect(mayLeaveUntrackedState(sql)).toBe(false);
  });

  it.each([
    "SELECT GET_LOCK('x', 0)",
    "DO GET_LOCK('x', 0)",
    'SELECT @v := 1',
    'SELECT 1 INTO @v',
    'SET @v = 1',
    "SET SESSION sql_mode = ''",
    'LOCK TABLES t READ',
    'HANDLER t OPEN',
    'CREATE TEMPORARY TABLE t (a INT)',
    "PREPARE p FROM 'SELECT 1'",
    'SELECT SQL_CALC_FOUND_ROWS * FROM t',
    'SELECT LAST_INSERT_ID(5)',
    'SELECT my_function(1)',
    'SELECT db.lower(x)',
    'SELECT /*! GET_LOCK("x", 0) */ 1',
    'SELECT /*M! 1 */ 1',
    'INSERT INTO t VALUES (1)',
    'UPDATE t SET a = 1',
    'DELETE FROM t',
    'CALL p()',
    'USE test',
    "SELECT 'unclosed",
    '',
  ])('%s may leave state tracking misses: dirty', (sql) => {
    expect(mayLeaveUntrackedState(sql)).toBe(true);
  });
});

it('scans a 20 MB literal without overflowing the stack (the check runs on every statement)', () => {
  const literal = 'x'.repeat(20 * 1024 * 1024);
  expect(mayLeaveUntrackedState(`SELECT '${literal}'`)).toBe(false);
  expect(mayLeaveUntrackedState(`SELECT "${literal}", \`${literal}\``)).toBe(false);
  expect(mayLeaveUntrackedState(`INSERT INTO t VALUES ('${literal}')`)).toBe(true);
});

describe('MysqlSessionDirt', () => {
  it('is dirty after a session-state change, a transaction or an unknown status; clear() forgets', () => {
    const dirt = new MysqlSessionDirt();
    dirt.markExecuted('SELECT 1');
    dirt.markFromServerStatus(0x0002);
    expect(dirt.isDirty).toBe(false);
    dirt.markFromServerStatus(0x0002 | SERVER_SESSION_STATE_CHANGED);
    expect(dirt.isDirty).toBe(true);
    dirt.clear();
    dirt.markFromServerStatus(0x0003);
    expect(dirt.isDirty).toBe(true);
    dirt.clear();
    dirt.markFromServerStatus(undefined);
    expect(dirt.isDirty).toBe(true);
    dirt.clear();
    dirt.markExecuted("DO GET_LOCK('x', 0)");
    expect(dirt.isDirty).toBe(true);
  });
});
