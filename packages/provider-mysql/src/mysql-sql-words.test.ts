import { describe, expect, it } from 'vitest';
import { countsAffectedRows, isReadOnlyStatement, leadingKeyword, sqlWords } from './mysql-sql-words.js';

describe('sqlWords', () => {
  it('skips literals, quoted identifiers and comments', () => {
    expect(sqlWords('select \'begin\', "end", `case` -- begin\n# end\n/* case */ from t')).toEqual([
      'SELECT',
      'FROM',
      'T',
    ]);
  });

  it('honours backslash escapes and doubled quotes in strings', () => {
    expect(sqlWords("select 'it\\'s', 'it''s' end")).toEqual(['SELECT', 'END']);
  });

  it('treats -- without a following space as operators', () => {
    expect(sqlWords('select 1--1 as x')).toEqual(['SELECT', 'AS', 'X']);
  });
});

describe('leadingKeyword', () => {
  it.each([
    ['  /* hint */ SELECT 1', 'SELECT'],
    ['(SELECT 1) UNION (SELECT 2)', 'SELECT'],
    ['insert into t values (1)', 'INSERT'],
    ['-- comment\nUPDATE t SET a = 1', 'UPDATE'],
    ['', ''],
    ['SET STATEMENT max_recursive_iterations = 10 FOR WITH RECURSIVE s(n) AS (SELECT 1) SELECT n FROM s', 'WITH'],
    ['SET @a = 1', 'SET'],
    // The body of an executable comment is code (issue 13 item 7).
    ['/*!40101 SET NAMES utf8mb4 */', 'SET'],
    ['/*M!100100 DELETE FROM t */', 'DELETE'],
    ['/*!50100 */ SELECT 1', 'SELECT'],
  ])('%s → %s', (text, keyword) => {
    expect(leadingKeyword(text)).toBe(keyword);
  });

  it('classifies statements', () => {
    expect(isReadOnlyStatement('SELECT')).toBe(true);
    expect(isReadOnlyStatement('CALL')).toBe(false);
    expect(countsAffectedRows('DELETE')).toBe(true);
    expect(countsAffectedRows('CREATE')).toBe(false);
    expect(countsAffectedRows('SET')).toBe(false);
  });
});
