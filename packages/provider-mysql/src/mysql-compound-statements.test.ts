import type { BoundParameter, StatementRequest } from '@asyncdb/core';
import { boundParameter } from '@asyncdb/testkit';
import { describe, expect, it } from 'vitest';
import { blockDepthChange, joinCompoundStatements } from './mysql-compound-statements.js';

function statements(...texts: string[]): StatementRequest[] {
  return texts.map((text) => ({ text, parameters: [] }));
}

describe('blockDepthChange', () => {
  it.each([
    ['BEGIN', 0],
    ['BEGIN WORK', 0],
    ["XA BEGIN 'x'", 0],
    ['BEGIN NOT ATOMIC SELECT 1', 1],
    ['CREATE PROCEDURE p() BEGIN SELECT 1', 1],
    ['END', -1],
    ['END IF', 0],
    ['END LOOP label', 0],
    ["SELECT CASE WHEN a THEN 'begin' ELSE 'end' END FROM t", 0],
    ['CASE x WHEN 1 THEN SELECT 1', 1],
    ['END CASE', -1],
    // mysqldump writes triggers inside executable comments: their words are code (issue 13 item 7).
    [
      '/*!50003 CREATE*/ /*!50017 DEFINER=`u`@`h`*/ /*!50003 TRIGGER t BEFORE INSERT ON x FOR EACH ROW BEGIN SET @a = 1',
      1,
    ],
    ['END */', -1],
    ['/*M!100100 BEGIN NOT ATOMIC SELECT 1', 1],
    ['/* BEGIN */ SELECT 1', 0],
  ])('%s → %i', (text, change) => {
    expect(blockDepthChange(text)).toBe(change);
  });
});

describe('joinCompoundStatements', () => {
  it('leaves ordinary batches alone', () => {
    const batch = statements('SELECT 1', 'BEGIN', 'UPDATE t SET a = 1', 'COMMIT');
    expect(joinCompoundStatements(batch)).toEqual(batch);
  });

  it('glues a procedure body back together', () => {
    const joined = joinCompoundStatements(
      statements(
        'DROP PROCEDURE IF EXISTS p',
        'CREATE PROCEDURE p() BEGIN DECLARE x INT DEFAULT 1',
        'IF x > 0 THEN SELECT x',
        'END IF',
        'END',
        'CALL p()',
      ),
    );
    expect(joined.map((statement) => statement.text)).toEqual([
      'DROP PROCEDURE IF EXISTS p',
      'CREATE PROCEDURE p() BEGIN DECLARE x INT DEFAULT 1;\nIF x > 0 THEN SELECT x;\nEND IF;\nEND',
      'CALL p()',
    ]);
  });

  it('follows nested blocks and keeps parameters in order', () => {
    const parameter = (name: string): BoundParameter => boundParameter(1, { name });
    const joined = joinCompoundStatements([
      { text: 'BEGIN NOT ATOMIC SELECT ?', parameters: [parameter('a')] },
      { text: 'BEGIN SELECT ?', parameters: [parameter('b')] },
      { text: 'END', parameters: [] },
      { text: 'END', parameters: [] },
      { text: 'SELECT ?', parameters: [parameter('c')] },
    ]);
    expect(joined).toHaveLength(2);
    expect(joined[0]!.text).toBe('BEGIN NOT ATOMIC SELECT ?;\nBEGIN SELECT ?;\nEND;\nEND');
    expect(joined[0]!.parameters.map((p) => p.name)).toEqual(['a', 'b']);
    expect(joined[1]!.parameters.map((p) => p.name)).toEqual(['c']);
  });
});
