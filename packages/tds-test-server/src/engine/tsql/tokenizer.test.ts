import { describe, expect, it } from 'vitest';
import { isWord, tokenize } from './tokenizer.js';
import { TsqlError } from './tsql-error.js';

const kinds = (sql: string) => tokenize(sql).map((t) => `${t.kind}:${t.value}`);

describe('tokenize', () => {
  it.each([
    ['SELECT a FROM t', ['word:SELECT', 'word:a', 'word:FROM', 'word:t']],
    ["'it''s'", ["string:it's"]],
    ["N'héllo'", ['nstring:héllo']],
    ["n'x'", ['nstring:x']],
    ['[my col]', ['quoted:my col']],
    ['[a]]b]', ['quoted:a]b']],
    ['"x""y"', ['quoted:x"y']],
    ['@p1 @@VERSION', ['variable:@p1', 'system:@@VERSION']],
    ['#tmp ##global', ['word:#tmp', 'word:##global']],
    ['0x0AfF', ['binary:0AfF']],
    ['1 1.5 .5 1e3 2.5E-2', ['number:1', 'number:1.5', 'number:.5', 'number:1e3', 'number:2.5E-2']],
    ['a<=b<>c!=d', ['word:a', 'operator:<=', 'word:b', 'operator:<>', 'word:c', 'operator:!=', 'word:d']],
    ['@x += 1', ['variable:@x', 'operator:+=', 'number:1']],
    ['t.col, (x);', ['word:t', 'punct:.', 'word:col', 'punct:,', 'punct:(', 'word:x', 'punct:)', 'punct:;']],
  ])('%s', (sql, expected) => {
    expect(kinds(sql)).toEqual(expected);
  });

  it('never looks inside literals, identifiers or comments', () => {
    const sql = "SELECT '--not a comment', [/*no*/], \"@notvar\" -- SELECT 1\n/* 'x' /* nested */ */ x";
    expect(kinds(sql)).toEqual(['word:SELECT', 'string:--not a comment', 'punct:,', 'quoted:/*no*/', 'punct:,', 'quoted:@notvar', 'word:x']);
  });

  it('keeps line numbers through strings and comments', () => {
    const tokens = tokenize("SELECT 1\n/* a\nb */ SELECT 'x\ny'\nPRINT 2");
    expect(tokens.map((t) => t.line)).toEqual([1, 1, 3, 3, 5, 5]);
    expect(tokens[2]?.space).toBe('\n\n ');
  });

  it('reports an unclosed quotation mark as error 105', () => {
    expect(() => tokenize("SELECT 'abc")).toThrowError(TsqlError);
    try {
      tokenize("SELECT 'abc");
    } catch (error) {
      expect((error as TsqlError).number).toBe(105);
      expect((error as TsqlError).message).toBe("Unclosed quotation mark after the character string 'abc'.");
    }
  });

  it('reports an unclosed comment', () => {
    expect(() => tokenize('SELECT /* x')).toThrowError(/Missing end comment mark/);
  });

  it('matches keywords case-insensitively, never quoted identifiers', () => {
    const [a, b] = tokenize('select [select]');
    expect(isWord(a, 'SELECT')).toBe(true);
    expect(isWord(b, 'SELECT')).toBe(false);
  });
});
