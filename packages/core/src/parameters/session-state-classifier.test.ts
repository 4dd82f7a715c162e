import { describe, expect, it } from 'vitest';
import { SessionStateClassifier } from './session-state-classifier.js';

const classifier = new SessionStateClassifier({
  token: /\s+|--[^\n]*|'(?:[^']|'')*'|"(?:[^"]|"")*"|[A-Za-z_][A-Za-z_0-9]*|:=|[\s\S]/gy,
  isSkipped: (token) => token.charCodeAt(0) <= 32 || token.startsWith('--'),
  isUnclosed: (token) => token === "'" || token === '"',
  quotedIdentifierStart: 0x22,
  readVerbs: new Set(['SELECT']),
  dirtyWords: new Set(['SET']),
  dirtyTokens: new Set([':=']),
  notCalls: new Set(['IN']),
  cleanFunctions: new Set(['count']),
});

describe('SessionStateClassifier', () => {
  it.each(['SELECT 1', "SELECT count(*) FROM t WHERE a IN (1) AND b = 'SET' -- SET", 'select "set" from t'])(
    '%s is clean',
    (sql) => expect(classifier.leavesSessionState(sql)).toBe(false),
  );

  it.each([
    ['a dirty word', 'SET x = 1'],
    ['a verb that is not a read', 'UPDATE t'],
    ['a dirty token', 'SELECT a := 1'],
    ['an unknown function', 'SELECT f(1)'],
    ['a qualified function', 'SELECT s.count(1)'],
    ['a quoted function name', 'SELECT "count"(1)'],
    ['an unclosed literal', "SELECT 'x"],
    ['nothing at all', '  '],
  ])('%s is dirty', (_name, sql) => expect(classifier.leavesSessionState(sql)).toBe(true));

  it('answers a text it has seen from its cache', () => {
    const sql = 'SELECT count(1)';
    expect(classifier.leavesSessionState(sql)).toBe(false);
    expect(classifier.leavesSessionState(sql)).toBe(false);
  });
});
