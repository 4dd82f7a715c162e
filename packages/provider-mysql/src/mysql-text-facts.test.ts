import { describe, expect, it } from 'vitest';
import { textFacts } from './mysql-text-facts.js';

describe('textFacts', () => {
  it('gives the leading keyword and whether BEGIN or CASE appears', () => {
    expect(textFacts('select 1')).toEqual({ keyword: 'SELECT', mentionsBlock: false });
    expect(textFacts('CREATE PROCEDURE p() BEGIN SELECT 1')).toEqual({ keyword: 'CREATE', mentionsBlock: true });
    expect(textFacts('SET STATEMENT max_statement_time=1 FOR UPDATE t SET a = 1')).toEqual({
      keyword: 'UPDATE',
      mentionsBlock: false,
    });
  });

  it('answers a text it has seen with the same facts', () => {
    const first = textFacts('SELECT CASE WHEN a THEN 1 END FROM t');
    expect(textFacts('SELECT CASE WHEN a THEN 1 END FROM t')).toBe(first);
    expect(first).toEqual({ keyword: 'SELECT', mentionsBlock: true });
  });

  it('scans a text too long to cache each time, with the same answer', () => {
    const long = `INSERT INTO t VALUES ${'(1),'.repeat(2000)}(1)`;
    expect(textFacts(long)).toEqual({ keyword: 'INSERT', mentionsBlock: false });
    expect(textFacts(long)).not.toBe(textFacts(long));
  });

  it('keeps answering correctly after the cache starts over', () => {
    for (let i = 0; i < 1100; i += 1) expect(textFacts(`SELECT ${i}`).keyword).toBe('SELECT');
    expect(textFacts('DELETE FROM t').keyword).toBe('DELETE');
  });
});
