import { describe, expect, it } from 'vitest';
import { checkedSessionId } from './session-id.js';

describe('checkedSessionId', () => {
  it('returns a positive integer id as a number', () => {
    expect(checkedSessionId('53', 'SQL Server session id')).toBe(53);
    expect(checkedSessionId(4242, 'PostgreSQL backend pid')).toBe(4242);
  });

  it.each(['0', '-1', '1.5', '1; DROP TABLE t', ''])('refuses %j, naming what it expected', (id) => {
    expect(() => checkedSessionId(id, 'PostgreSQL backend pid')).toThrow(`Not a PostgreSQL backend pid: ${id}`);
  });
});
