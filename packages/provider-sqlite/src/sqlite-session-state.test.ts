import { describe, expect, it } from 'vitest';
import { sessionEffectOf } from './sqlite-session-state.js';

describe('sessionEffectOf', () => {
  it('leaves queries, plain writes and PRAGMA reads clean', () => {
    for (const sql of [
      'SELECT 1',
      '  -- a comment\n select * from t',
      '/* hint */ WITH x AS (SELECT 1) SELECT * FROM x',
      'VALUES (1)',
      'INSERT INTO t VALUES (1)',
      'update t set n = 2',
      'DELETE FROM t',
      'REPLACE INTO t VALUES (1)',
      'PRAGMA cache_size',
      'PRAGMA main.table_info(t)',
      'PRAGMA integrity_check',
    ]) {
      expect(sessionEffectOf(sql), sql).toBe('none');
    }
  });

  it('marks transactions, DDL, ATTACH and the restored PRAGMAs as resettable', () => {
    for (const sql of [
      'BEGIN',
      'SAVEPOINT a',
      'CREATE TEMP TABLE x (n int)',
      'create table y (n int)',
      "ATTACH DATABASE 'x.db' AS x",
      'PRAGMA foreign_keys = 0',
      'PRAGMA main.cache_size=-100',
      'PRAGMA "synchronous" = OFF',
      'PRAGMA case_sensitive_like = 1',
      'something unknown',
    ]) {
      expect(sessionEffectOf(sql), sql).toBe('resettable');
    }
  });

  it('marks a PRAGMA write the reset cannot undo as unrestorable', () => {
    for (const sql of ['PRAGMA locking_mode = EXCLUSIVE', 'PRAGMA journal_mode = WAL', 'PRAGMA mmap_size(268435456)']) {
      expect(sessionEffectOf(sql), sql).toBe('unrestorable');
    }
  });
});
