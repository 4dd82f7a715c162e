import { NotSupportedError } from '@asyncdb/core';
import { describe, expect, it } from 'vitest';
import { refuseSessionScope, sessionScopeOf } from './pg-session-scope.js';

describe('sessionScopeOf', () => {
  it.each([
    'SET search_path = x',
    '  set  TimeZone TO UTC',
    '/* c */ SET x = 1',
    'RESET ALL',
    'DISCARD ALL',
    'PREPARE p AS SELECT 1',
    'DEALLOCATE p',
    'LISTEN ch',
    'UNLISTEN *',
    "LOAD 'auto_explain'",
    'DECLARE c CURSOR WITH HOLD FOR SELECT 1',
    'CREATE TEMP TABLE t (id int)',
    'CREATE TEMPORARY VIEW v AS SELECT 1',
    'SELECT 1 INTO TEMP t',
    'BEGIN',
    'START TRANSACTION',
    'COMMIT',
    'ROLLBACK',
    'SAVEPOINT a',
    'SELECT pg_advisory_lock(1)',
    'SELECT pg_try_advisory_lock_shared(1)',
    'SELECT pg_advisory_unlock(1)',
    'SELECT pg_advisory_unlock_all()',
    "SELECT set_config('x.y', 'z', false)",
    "SELECT set_config('x.y', 'z', @local)",
    'COPY t FROM STDIN',
  ])('refuses %s everywhere', (sql) => {
    expect(sessionScopeOf(sql, false)).toBeDefined();
    expect(sessionScopeOf(sql, true)).toBeDefined();
  });

  it.each([
    'SELECT 1',
    "SELECT 'SET x = 1; LISTEN y'",
    'UPDATE settings SET value = 1',
    'INSERT INTO t VALUES (1) -- SET x',
    'SELECT "set" FROM t',
    'SET LOCAL statement_timeout = 1000',
    'SET TRANSACTION ISOLATION LEVEL SERIALIZABLE',
    'SELECT pg_advisory_xact_lock(1)',
    "SELECT set_config('x.y', 'z', true)",
    'COPY t TO STDOUT',
    'CREATE TABLE temp_data (id int)',
    'WITH x AS (SELECT 1) SELECT * FROM x',
    'SELECT $$SET x$$',
  ])('allows %s', (sql) => {
    expect(sessionScopeOf(sql, false)).toBeUndefined();
  });

  it.each(['DECLARE c CURSOR FOR SELECT 1', 'CREATE TEMP TABLE t (id int) ON COMMIT DROP'])(
    'allows %s inside a transaction only',
    (sql) => {
      expect(sessionScopeOf(sql, true)).toBeUndefined();
      expect(sessionScopeOf(sql, false)).toBeDefined();
    },
  );

  // Regression: the comment and string passes ran one after another, so a construct inside another hid what followed.
  it.each([
    ["SELECT E'\\'', pg_advisory_lock(1), 'x'", 'an escaped quote in an E string'],
    ["SELECT '--', pg_advisory_lock(1)", '-- inside a string'],
    ["SELECT '/*', pg_advisory_lock(1), '*/'", '/* inside strings'],
    ['SELECT "a--b", pg_advisory_lock(1)', '-- inside a quoted identifier'],
  ])('sees the session-level lock after %s (%s)', (text) => {
    expect(sessionScopeOf(text, false)).toBeDefined();
  });

  it.each([
    "SELECT E'it\\'s pg_advisory_lock(1)'",
    "SELECT 'SET x = 1 -- not a statement'",
    'SELECT 1 -- pg_advisory_lock(1) in a comment',
  ])('does not refuse text whose only match is inside a literal or comment: %s', (text) => {
    expect(sessionScopeOf(text, false)).toBeUndefined();
  });

  it('throws NotSupportedError naming the statement kind, from the cache as the first time', () => {
    for (let i = 0; i < 2; i += 1) {
      expect(() => refuseSessionScope(['SELECT 1', 'LISTEN x'], false)).toThrow(NotSupportedError);
      expect(() => refuseSessionScope(['LISTEN x'], false)).toThrow(/LISTEN/);
      expect(() => refuseSessionScope(['SELECT 1'], false)).not.toThrow();
    }
  });
});
