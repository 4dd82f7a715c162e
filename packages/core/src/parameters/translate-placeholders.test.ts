import { describe, expect, it } from 'vitest';
import { ArgumentError, InvalidOperationError } from '../errors/errors.js';
import { PlaceholderStyle } from './placeholder-style.js';
import { SqlDialect } from './sql-dialect.js';
import { translatePlaceholders, type TranslateOptions } from './translate-placeholders.js';

const known = (...keys: string[]) => {
  const set = new Set(keys);
  return (name: string) => (set.has(name) ? name : undefined);
};

const pg = (overrides: Partial<TranslateOptions> = {}): TranslateOptions => ({
  style: PlaceholderStyle.DollarNumbered,
  dialect: SqlDialect.PostgreSQL,
  resolve: (name) => name,
  split: false,
  unknownParameters: 'error',
  ...overrides,
});
const mysql = (overrides: Partial<TranslateOptions> = {}): TranslateOptions => ({
  style: PlaceholderStyle.Question,
  dialect: SqlDialect.MySQL,
  resolve: (name) => name,
  split: false,
  unknownParameters: 'keep',
  ...overrides,
});
const mssql = (overrides: Partial<TranslateOptions> = {}): TranslateOptions => ({
  style: PlaceholderStyle.NamedAt,
  dialect: SqlDialect.TransactSql,
  resolve: (name) => name,
  split: false,
  unknownParameters: 'keep',
  ...overrides,
});

describe('translatePlaceholders: dollar-numbered (PostgreSQL)', () => {
  it('numbers distinct names by first appearance and reuses the number of a repeated name', () => {
    expect(translatePlaceholders('SELECT @b, @a, @b FROM t WHERE @a > 0', pg())).toEqual([
      { text: 'SELECT $1, $2, $1 FROM t WHERE $2 > 0', parameterNames: ['b', 'a'] },
    ]);
  });
  it('leaves literals, quoted identifiers, comments, dollar quotes, casts and $n alone', () => {
    const sql = `SELECT '@x;', E'\\'@x', "@x", $$@x;$$, $t$ @x $t$, $1, @a::int /* @x /* @x */ */ -- @x`;
    expect(translatePlaceholders(sql, pg({ resolve: known('a') }))).toEqual([
      {
        text: `SELECT '@x;', E'\\'@x', "@x", $$@x;$$, $t$ @x $t$, $1, $1::int /* @x /* @x */ */ -- @x`,
        parameterNames: ['a'],
      },
    ]);
  });
  it('restarts numbering in each statement when splitting', () => {
    expect(translatePlaceholders('SELECT @a; SELECT @b, @a', pg({ split: true }))).toEqual([
      { text: 'SELECT $1', parameterNames: ['a'] },
      { text: 'SELECT $1, $2', parameterNames: ['b', 'a'] },
    ]);
  });
  it('keeps numbering across ; without splitting', () => {
    expect(translatePlaceholders('SELECT @a; SELECT @b, @a', pg())).toEqual([
      { text: 'SELECT $1; SELECT $2, $1', parameterNames: ['a', 'b'] },
    ]);
  });
  it('leaves @@ operators and a DO body alone', () => {
    const sql = "DO $$ BEGIN RAISE NOTICE '%', 1; END $$; SELECT tsv @@ q, @q";
    expect(translatePlaceholders(sql, pg({ split: true }))).toEqual([
      { text: "DO $$ BEGIN RAISE NOTICE '%', 1; END $$", parameterNames: [] },
      { text: 'SELECT tsv @@ q, $1', parameterNames: ['q'] },
    ]);
  });
});

describe('translatePlaceholders: question (MySQL)', () => {
  it('writes one ? per occurrence and repeats the key of a repeated name', () => {
    expect(translatePlaceholders('SELECT @a, @b, @a', mysql())).toEqual([
      { text: 'SELECT ?, ?, ?', parameterNames: ['a', 'b', 'a'] },
    ]);
  });
  it('keeps user variables, quoted variables and system variables as written', () => {
    const sql = "SET @total := @a; SELECT @total, @'q', @`r`, @@session.sql_mode, 'me@@x', @a # @a";
    expect(translatePlaceholders(sql, mysql({ resolve: known('a') }))).toEqual([
      {
        text: "SET @total := ?; SELECT @total, @'q', @`r`, @@session.sql_mode, 'me@@x', ? # @a",
        parameterNames: ['a', 'a'],
      },
    ]);
  });
  it('respects backslash escapes and doubled quotes in both string forms', () => {
    const sql = `SELECT 'it\\'s @a', "x\\"@a", 'it''s @a', "x""@a", \`c@a\`, @a`;
    expect(translatePlaceholders(sql, mysql())).toEqual([
      { text: `SELECT 'it\\'s @a', "x\\"@a", 'it''s @a', "x""@a", \`c@a\`, ?`, parameterNames: ['a'] },
    ]);
  });
  it('translates markers inside executable comments, which the server runs (issue 13 item 7)', () => {
    const sql = "SELECT /*! @a */ AS x, /*!50100 @b, */ /*M!100100 @a + */ 1, /*M! '@a' */ @b";
    expect(translatePlaceholders(sql, mysql())).toEqual([
      {
        text: "SELECT /*! ? */ AS x, /*!50100 ?, */ /*M!100100 ? + */ 1, /*M! '@a' */ ?",
        parameterNames: ['a', 'b', 'a', 'b'],
      },
    ]);
  });
  it('leaves an account name alone', () => {
    const sql = "CREATE USER 'bob'@'localhost' IDENTIFIED BY @pw";
    expect(translatePlaceholders(sql, mysql())).toEqual([
      { text: "CREATE USER 'bob'@'localhost' IDENTIFIED BY ?", parameterNames: ['pw'] },
    ]);
  });
});

describe('translatePlaceholders: named-at (SQL Server)', () => {
  it('leaves the text unchanged and lists the distinct keys referenced', () => {
    const sql = "SELECT @a, [col@x], N'@y', @b, @@ROWCOUNT, @a, @local";
    expect(translatePlaceholders(sql, mssql({ resolve: known('a', 'b') }))).toEqual([
      { text: sql, parameterNames: ['a', 'b'] },
    ]);
  });
  it('lists the keys resolve returns, such as names stored with their @', () => {
    expect(translatePlaceholders('SELECT @Id', mssql({ resolve: (name) => `@${name.toLowerCase()}` }))).toEqual([
      { text: 'SELECT @Id', parameterNames: ['@id'] },
    ]);
  });
});

describe('translatePlaceholders: resolve decides about case', () => {
  it('binds @Id and @id to one parameter when resolve folds case', () => {
    const resolve = (name: string) => (name.toLowerCase() === 'id' ? 'id' : undefined);
    expect(translatePlaceholders('SELECT @Id, @id, @ID', pg({ resolve }))).toEqual([
      { text: 'SELECT $1, $1, $1', parameterNames: ['id'] },
    ]);
  });
  it('binds them to two parameters when resolve is case-sensitive', () => {
    expect(translatePlaceholders('SELECT @Id, @id', pg({ resolve: known('Id', 'id') }))).toEqual([
      { text: 'SELECT $1, $2', parameterNames: ['Id', 'id'] },
    ]);
  });
});

describe('translatePlaceholders: unknown parameters', () => {
  it("throws naming the parameter and its position with 'error'", () => {
    const run = () => translatePlaceholders('SELECT * FROM t WHERE id = @id', pg({ resolve: () => undefined }));
    expect(run).toThrow(InvalidOperationError);
    expect(run).toThrow("Parameter '@id' at position 27 is not in the command's Parameters collection.");
  });
  it('reports the position in the whole text, not in the split statement', () => {
    const run = () => translatePlaceholders('SELECT @a;  SELECT @b', pg({ split: true, resolve: known('a') }));
    expect(run).toThrow("Parameter '@b' at position 19 is not in the command's Parameters collection.");
  });
  it("throws with 'error' in the named-at style too", () => {
    expect(() =>
      translatePlaceholders('SELECT @x', mssql({ unknownParameters: 'error', resolve: () => undefined })),
    ).toThrow(InvalidOperationError);
  });
  it("leaves the reference exactly as written with 'keep'", () => {
    expect(translatePlaceholders('SELECT @x, @a, @x', pg({ unknownParameters: 'keep', resolve: known('a') }))).toEqual([
      { text: 'SELECT @x, $1, @x', parameterNames: ['a'] },
    ]);
  });
  it('ignores references in literals and comments even when they are unknown', () => {
    expect(translatePlaceholders("SELECT '@x' -- @y", pg({ resolve: () => undefined }))).toEqual([
      { text: "SELECT '@x' -- @y", parameterNames: [] },
    ]);
  });
});

/** [what, dialect, sql, statement texts]. */
const SPLITS: ReadonlyArray<readonly [string, SqlDialect, string, readonly string[]]> = [
  ['a trailing comment', SqlDialect.PostgreSQL, 'SELECT 1; -- trailing', ['SELECT 1']],
  ['only a comment', SqlDialect.PostgreSQL, '-- only a comment', []],
  ['only a block comment', SqlDialect.Generic, '  /* only */  ', []],
  ['only a # comment', SqlDialect.MySQL, '# only\n', []],
  ['empty text', SqlDialect.Generic, '', []],
  ['white space', SqlDialect.Generic, ' \n\t\u00a0', []],
  ['empty statements', SqlDialect.Generic, ';; SELECT 1;;\n;SELECT 2;', ['SELECT 1', 'SELECT 2']],
  ['statements are trimmed', SqlDialect.Generic, '  SELECT 1  ;\n\t SELECT 2 \n', ['SELECT 1', 'SELECT 2']],
  [
    'comments inside a statement are kept',
    SqlDialect.Generic,
    '-- lead\nSELECT 1 /* x */ -- c\n; SELECT 2',
    ['-- lead\nSELECT 1 /* x */ -- c', 'SELECT 2'],
  ],
  [
    '; inside literals, identifiers and comments',
    SqlDialect.TransactSql,
    "SELECT ';', [a;b] /* ; */; SELECT 2",
    ["SELECT ';', [a;b] /* ; */", 'SELECT 2'],
  ],
  [
    '; inside dollar quotes',
    SqlDialect.PostgreSQL,
    'CREATE FUNCTION f() AS $b$ SELECT 1; $b$ LANGUAGE sql; SELECT 2',
    ['CREATE FUNCTION f() AS $b$ SELECT 1; $b$ LANGUAGE sql', 'SELECT 2'],
  ],
  ['a statement without ; and without @', SqlDialect.Generic, '  SELECT 1  ', ['SELECT 1']],
  ['a statement that starts with a comment', SqlDialect.Generic, '/* x */ SELECT 1', ['/* x */ SELECT 1']],
  ['a MySQL --x is code', SqlDialect.MySQL, '--x', ['--x']],
  [
    'MySQL executable comments are code, and a ; in one ends the statement as on the server',
    SqlDialect.MySQL,
    '/*!40101 SET NAMES utf8mb4 */; /*!50100 */; SELECT 1 /*! ; SELECT 2 */',
    ['/*!40101 SET NAMES utf8mb4 */', 'SELECT 1 /*!', 'SELECT 2 */'],
  ],
  ['an executable comment is a comment outside MySQL', SqlDialect.PostgreSQL, '/*! SELECT 1 */', []],
];

describe('translatePlaceholders: split', () => {
  it.each(SPLITS)('%s', (_what, dialect, sql, expected) => {
    const statements = translatePlaceholders(sql, { ...pg(), dialect, split: true });
    expect(statements.map((s) => s.text)).toEqual(expected);
  });
  it('returns the whole text untrimmed as one statement without split', () => {
    expect(translatePlaceholders('  SELECT 1; SELECT @a; -- x\n', pg())).toEqual([
      { text: '  SELECT 1; SELECT $1; -- x\n', parameterNames: ['a'] },
    ]);
    expect(translatePlaceholders('', pg())).toEqual([{ text: '', parameterNames: [] }]);
    expect(translatePlaceholders('-- only', pg())).toEqual([{ text: '-- only', parameterNames: [] }]);
  });
});

describe('translatePlaceholders: errors in the text and the options', () => {
  it('throws ArgumentError for an unterminated construct when the text has to be scanned', () => {
    expect(() => translatePlaceholders("SELECT @a, 'x", pg())).toThrow(
      'Unterminated string literal starting at position 11.',
    );
    expect(() => translatePlaceholders('SELECT 1; /* x', pg({ split: true }))).toThrow(ArgumentError);
  });
  it('does not lex text without @ or ; (the server reports its syntax errors)', () => {
    expect(translatePlaceholders("SELECT 'x", pg())).toEqual([{ text: "SELECT 'x", parameterNames: [] }]);
  });
  it('rejects an unknown style or dialect, even for text it would not scan', () => {
    expect(() => translatePlaceholders('SELECT 1', pg({ style: 'colon' as PlaceholderStyle }))).toThrow(
      "Unknown placeholder style 'colon'.",
    );
    expect(() => translatePlaceholders('SELECT 1', pg({ dialect: 'oracle' as SqlDialect }))).toThrow(ArgumentError);
  });
});
