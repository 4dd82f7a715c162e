import { describe, expect, it } from 'vitest';
import { ArgumentError } from '../errors/errors.js';
import { SqlDialect } from './sql-dialect.js';
import { scanSql } from './sql-scanner.js';

/** [what, sql, names of the references found]. */
type Case = readonly [string, string, readonly string[]];

const names = (sql: string, dialect: SqlDialect) => scanSql(sql, dialect).parameters.map((p) => p.name);

// Cases every dialect lexes the same way.
const COMMON: readonly Case[] = [
  ['a plain reference', 'SELECT @a', ['a']],
  ['references between punctuation', 'VALUES(@a,@b)+@c', ['a', 'b', 'c']],
  ['a repeated name, once per occurrence', 'WHERE x = @a OR y = @a', ['a', 'a']],
  ['names differing only in case, as written', '@Id = @id', ['Id', 'id']],
  ['underscore, digits and $ in a name', '@_x1 @a$b', ['_x1', 'a$b']],
  ['non-ASCII letters in a name', '@naïve, @名前', ['naïve', '名前']],
  ['a cast after a reference', 'SELECT @a::int', ['a']],
  ['@ before a digit, a space or an operator', '@1 @ a @> @=', []],
  ['a @ inside a word', 'user@host', []],
  ['@@ system variables', 'SELECT @@ROWCOUNT, @@@x, @@version', []],
  ["'…' with @ and ;", "SELECT 'a@x;@y' , @z", ['z']],
  ["'…' with a doubled quote", "SELECT 'it''s @x', @y", ['y']],
  ['an email address in a literal', "WHERE mail = 'bob@example.com' AND id = @id", ['id']],
  ['an empty literal', "'' @a ''''", ['a']],
  ['a -- comment', 'SELECT 1 -- @x ; @y\n, @z', ['z']],
  ['a -- comment ending the text', 'SELECT @a -- @x', ['a']],
  ['a -- comment ended by a carriage return', '-- @x\r@y', ['y']],
  ['a /* */ comment', 'SELECT /* @x ; */ @y', ['y']],
  ['a /* */ comment with stars', '/** @x **/ @y /**/ @z', ['y', 'z']],
];

const POSTGRESQL: readonly Case[] = [
  ['a plain literal ignores backslashes', "SELECT 'a\\' , @x", ['x']],
  ['E-string with a backslash-escaped quote', "SELECT E'it\\'s @x', @y", ['y']],
  ['e-string with an escaped backslash before the end', "SELECT e'\\\\' , @y", ['y']],
  ['E-string with a doubled quote', "E'a''b @x' @y", ['y']],
  ['E inside a word is not an escape prefix', "SELECT typE'\\' , @x", ['x']],
  ['"ident" with @', 'SELECT "col@x", "a""@y" FROM t WHERE @z', ['z']],
  ['$$ with @ and ;', 'DO $$ BEGIN PERFORM @x; END $$; SELECT @y', ['y']],
  ['$tag$ with @, ; and $$', '$fn$ SELECT @x; $$ @y $$ $fn$ @z', ['z']],
  ['nested tags', '$a$ $b$ @x $b$ $a$ @y', ['y']],
  ['a tag with non-ASCII and digits', '$é1$ @x $é1$ @y', ['y']],
  ['$1 is a positional marker, not a quote', 'SELECT $1, @a, $2', ['a']],
  ['$ inside a word is not a quote start', 'SELECT a$b$ , @x', ['x']],
  ['$ after a digit is not a quote start', 'SELECT $1$ @x', ['x']],
  ['a lone $', 'SELECT $ @x', ['x']],
  ['a reference straight after a dollar quote', '$$x$$@a', ['a']],
  ['two dollar quotes back to back', '$a$@x$a$$b$@y$b$ @z', ['z']],
  ['nested /* */', 'SELECT /* a /* @x */ @y */ @z', ['z']],
  ['--@x is a comment', 'SELECT 1 --@x\n', []],
  [':: casts', 'SELECT x::int, @a::text[], @b', ['a', 'b']],
  ['text-search @@ and containment operators', 'WHERE tsv @@ q AND a @> b AND c <@ @d', ['d']],
  ['# is an operator, not a name character', 'SELECT @a#@b', ['a', 'b']],
  ['U& and B literals', "SELECT U&'d\\0061t@x', B'101', @y", ['y']],
  ['backticks and brackets are code', 'SELECT `@a`, [@b]', ['a', 'b']],
  ['@ after a name is not a reference', 'SELECT @a@b', ['a']],
];

const MYSQL: readonly Case[] = [
  ["'…' with a backslash-escaped quote", "SELECT 'it\\'s @x', @y", ['y']],
  ["'…' with an escaped backslash before the end", "SELECT 'a\\\\' , @y", ['y']],
  ['"…" is a string, both escapes', 'SELECT "a\\"@x", "b""@y", @z', ['z']],
  ['`ident` with doubled backticks', 'SELECT `a``@x`, @y', ['y']],
  ['-- followed by a space is a comment', 'SELECT 1 -- @x\n, @y', ['y']],
  ['-- followed by a tab is a comment', 'SELECT 1 --\t@x\n, @y', ['y']],
  ['-- ending the text is a comment', 'SELECT @a --', ['a']],
  ['--@x is two minus signs and a reference', 'SELECT 5--@x', ['x']],
  ['# comment', 'SELECT 1 # @x ;\n, @y', ['y']],
  ['/*! … */ is code the server runs', 'SELECT /*! @x */ @y', ['x', 'y']],
  ['/*!50100 … */ is code, the version digits are not a name', 'SELECT /*!50100 @x */, /*!80023@y*/', ['x', 'y']],
  ['/*M! … */ and /*M!100100 … */ are code (MariaDB)', 'SELECT /*M! @x */ + /*M!100100 @y */', ['x', 'y']],
  ['a literal inside /*! */ is a literal, and may hold */', "SELECT /*! '*/ @x', @y */ @z", ['y', 'z']],
  ['a /* */ comment inside /*! */ is a comment', 'SELECT /*! /* @x */ @y */ @z', ['y', 'z']],
  ['a /*! inside /*! */ is ignored: the first */ closes both', 'SELECT /*! /*! @x */ @y', ['x', 'y']],
  ['a # comment inside /*! */ runs to the end of the line', 'SELECT /*! @x # @y */\n */ @z', ['x', 'z']],
  ['/*!1 is code with 1 as its first token', 'SELECT /*!1@x */', []],
  ['/* ! */ and /*M */ are comments', 'SELECT /* ! @x */ /*M @y */ @z', ['z']],
  ['/* */ does not nest', 'SELECT /* /* @x */ @y */', ['y']],
  ['user variables are references (translation keeps unknown ones)', 'SET @v := 1; SELECT @v', ['v', 'v']],
  ['quoted user variables', 'SELECT @\'q\', @"r", @`s`', []],
  ['an account name', "CREATE USER 'bob'@'localhost'", []],
  ['system variables with a scope', 'SELECT @@session.sql_mode, @@global.x', []],
  ['# ends a name (it starts a comment)', 'SELECT @a#b\n', ['a']],
  ['dollar signs are code', 'SELECT $$ @x $$', ['x']],
];

const TSQL: readonly Case[] = [
  ["N'…'", "SELECT N'@x', N'it''s @y', @z", ['z']],
  ['a backslash escapes nothing', "SELECT 'a\\' , @x", ['x']],
  ['[ident] with @', 'SELECT [col@x], [a]]@y] FROM t WHERE @z', ['z']],
  ['"ident"', 'SELECT "col@x" , @y', ['y']],
  ['@@ROWCOUNT and @@IDENTITY', 'SELECT @@ROWCOUNT, @@IDENTITY, @a', ['a']],
  ['# and @ inside a name', 'SELECT @t#1, @a@b', ['t#1', 'a@b']],
  ['temporary tables are code', 'SELECT * FROM #tmp WHERE x = @x', ['x']],
  ['nested /* */', '/* a /* @x */ @y */ @z', ['z']],
  ['dollar signs are code', 'SELECT $$ @x $$', ['x']],
];

const GENERIC: readonly Case[] = [
  ['"ident" with a doubled quote', 'SELECT "a""@x" , @y', ['y']],
  ['/* */ does not nest', '/* /* @x */ @y */', ['y']],
  ['# is code', 'SELECT 1 # @x', ['x']],
  ['backticks and brackets are code', 'SELECT `@a`, [@b]', ['a', 'b']],
];

const SQLITE: readonly Case[] = [
  ['"ident" with a doubled quote', 'SELECT "a""@x" , @y', ['y']],
  ['/* */ does not nest', '/* /* @x */ @y */', ['y']],
  ['backticks and brackets are identifiers', 'SELECT `@a`, [@b], @c', ['c']],
  ['a trigger body holds references', 'CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT @x; END; SELECT @y', ['x', 'y']],
];

const TABLES: ReadonlyArray<readonly [SqlDialect, readonly Case[]]> = [
  [SqlDialect.PostgreSQL, [...COMMON, ...POSTGRESQL]],
  [SqlDialect.MySQL, [...COMMON, ...MYSQL]],
  [SqlDialect.TransactSql, [...COMMON, ...TSQL]],
  [SqlDialect.Generic, [...COMMON, ...GENERIC]],
  [SqlDialect.SQLite, [...COMMON, ...SQLITE]],
];

describe.each(TABLES)('scanSql (%s): references', (dialect, cases) => {
  it.each(cases)('%s: %s', (_what, sql, expected) => {
    expect(names(sql, dialect)).toEqual(expected);
  });
});

describe('scanSql: positions', () => {
  it('reports the index of @ and the end of the name', () => {
    const sql = "SELECT '@no' AS x, @yes; -- @no";
    expect(scanSql(sql, SqlDialect.PostgreSQL)).toEqual({
      parameters: [{ name: 'yes', start: 19, end: 23 }],
      statementEnds: [23],
      statementHasCode: [true, false],
    });
  });
  it('counts positions in UTF-16 code units', () => {
    const [reference] = scanSql("SELECT '𝑥', @𝑥y", SqlDialect.Generic).parameters;
    expect(reference).toEqual({ name: '𝑥y', start: 13, end: 17 });
  });
});

describe('scanSql: statement ends', () => {
  it('finds top-level ; only', () => {
    const sql = 'SELECT \';\'; SELECT ";" /* ; */ -- ;\n; SELECT $$;$$;';
    const scan = scanSql(sql, SqlDialect.PostgreSQL);
    expect(scan.statementEnds.map((i) => sql[i])).toEqual([';', ';', ';']);
    expect(scan.statementEnds).toEqual([10, 36, 50]);
    expect(scan.statementHasCode).toEqual([true, true, true, false]);
  });
  it('tells statements of white space and comments from statements with code', () => {
    expect(scanSql(';; \n;', SqlDialect.Generic).statementHasCode).toEqual([false, false, false, false]);
    expect(scanSql('/* a */ -- b\n ; x', SqlDialect.Generic).statementHasCode).toEqual([false, true]);
    expect(scanSql('# a\n;--  \n', SqlDialect.MySQL).statementHasCode).toEqual([false, false]);
    expect(scanSql("'';\u00a0\u2028", SqlDialect.Generic).statementHasCode).toEqual([true, false]);
  });
  it('counts a MySQL --x as code', () => {
    expect(scanSql('--x', SqlDialect.MySQL).statementHasCode).toEqual([true]);
    expect(scanSql('--x', SqlDialect.PostgreSQL).statementHasCode).toEqual([false]);
  });
  it('ends a statement at a ; inside a MySQL executable comment, as the server does', () => {
    const sql = 'SELECT 1 /*! ; SELECT @x */; SELECT 2';
    const scan = scanSql(sql, SqlDialect.MySQL);
    expect(scan.statementEnds).toEqual([13, 27]);
    expect(scan.statementHasCode).toEqual([true, true, true]);
    expect(scan.parameters.map((p) => p.name)).toEqual(['x']);
  });
  it('counts the body of a MySQL executable comment as code, and an empty one as none', () => {
    expect(scanSql('/*!40101 SET NAMES utf8 */; /*!50100 */; /*M! */', SqlDialect.MySQL).statementHasCode).toEqual([
      true,
      false,
      false,
    ]);
    expect(scanSql('/*! x */', SqlDialect.PostgreSQL).statementHasCode).toEqual([false]);
  });
  it('leaves executable comments to MySQL: every other dialect reads /*! */ as a comment', () => {
    for (const dialect of [SqlDialect.PostgreSQL, SqlDialect.TransactSql, SqlDialect.Generic]) {
      expect(names('SELECT /*! @x */ /*M! @y */ @z', dialect)).toEqual(['z']);
      expect(scanSql('SELECT /*! ; */ 1', dialect).statementEnds).toEqual([]);
    }
  });
  it('reports empty text as one empty statement', () => {
    expect(scanSql('', SqlDialect.Generic)).toEqual({ parameters: [], statementEnds: [], statementHasCode: [false] });
  });
});

describe('scanSql (sqlite): trigger bodies end where sqlite3_complete() says', () => {
  /** The statements of `sql` as the scan cuts them, trimmed. */
  const statements = (sql: string, dialect: SqlDialect = SqlDialect.SQLite) => {
    const scan = scanSql(sql, dialect);
    const cuts = [-1, ...scan.statementEnds, sql.length];
    return cuts.slice(1).map((end, s) => sql.slice(cuts[s]! + 1, end).trim());
  };
  const body = 'BEGIN INSERT INTO log VALUES (1); UPDATE n SET c = c + 1; END';

  it('keeps the ; of a trigger body inside the statement', () => {
    const trigger = `CREATE TRIGGER t AFTER INSERT ON a ${body}`;
    expect(statements(`${trigger}; SELECT 1; SELECT 2`)).toEqual([trigger, 'SELECT 1', 'SELECT 2']);
    expect(statements(trigger)).toEqual([trigger]);
  });
  it('knows TEMP, TEMPORARY, IF NOT EXISTS, EXPLAIN, any case, comments and line breaks between the words', () => {
    for (const head of [
      'CREATE TEMP TRIGGER t',
      'create temporary trigger IF NOT EXISTS t',
      'EXPLAIN CREATE TRIGGER t',
      'CREATE /* c */ TEMP -- c\n TRIGGER t',
    ]) {
      const trigger = `${head} BEFORE DELETE ON a FOR EACH ROW ${body}`;
      expect(statements(`SELECT 0; ${trigger}; SELECT 1`)).toEqual(['SELECT 0', trigger, 'SELECT 1']);
    }
  });
  it('ends the body only at END right after a ;, not at CASE … END or an END inside a word or literal', () => {
    const trigger =
      "CREATE TRIGGER t AFTER UPDATE ON a BEGIN UPDATE b SET x = CASE WHEN 1 THEN 2 END; SELECT 'END;'; " +
      'SELECT "end"; SELECT 1 AS ending; END';
    expect(statements(`${trigger}; SELECT 3`)).toEqual([trigger, 'SELECT 3']);
  });
  it('counts a ; inside a trigger body as part of a statement with code', () => {
    const scan = scanSql(`CREATE TRIGGER t AFTER INSERT ON a ${body};`, SqlDialect.SQLite);
    expect(scan.statementEnds).toHaveLength(1);
    expect(scan.statementHasCode).toEqual([true, false]);
  });
  it('reads TRIGGER as a word only when it is one: quoted or part of a longer name it is not the keyword', () => {
    expect(statements('CREATE TABLE trigger_log (x); SELECT 1')).toEqual(['CREATE TABLE trigger_log (x)', 'SELECT 1']);
    expect(statements('CREATE TABLE "trigger" (x); SELECT 1')).toEqual(['CREATE TABLE "trigger" (x)', 'SELECT 1']);
    expect(statements('SELECT 1 AS trigger; SELECT 2')).toEqual(['SELECT 1 AS trigger', 'SELECT 2']);
  });
  it('reads the words after a statement that is no trigger only for their markers, and the next statement afresh', () => {
    // Once the first word shows a plain statement, the scanner stops classifying its words: CREATE TRIGGER later in
    // it means nothing, and the statement after its ; is read from its first word again.
    const trigger = `CREATE TRIGGER t AFTER INSERT ON a ${body}`;
    const plain = "SELECT 'x' AS create, trigger, begin, e$$q$$ FROM create_trigger WHERE end = @end";
    expect(statements(`${plain}; ${trigger}; SELECT @a`)).toEqual([plain, trigger, 'SELECT @a']);
    expect(scanSql(`${plain}; ${trigger}; SELECT @a`, SqlDialect.SQLite).parameters.map((p) => p.name)).toEqual([
      'end',
      'a',
    ]);
  });
  it('leaves other dialects cutting at every top-level ;', () => {
    const trigger = `CREATE TRIGGER t AFTER INSERT ON a ${body}`;
    expect(statements(trigger, SqlDialect.Generic)).toHaveLength(3);
  });
});

describe('scanSql (postgresql): SQL-standard routine bodies end where psql says', () => {
  const statements = (sql: string, dialect: SqlDialect = SqlDialect.PostgreSQL) => {
    const scan = scanSql(sql, dialect);
    const cuts = [-1, ...scan.statementEnds, sql.length];
    return cuts.slice(1).map((end, s) => sql.slice(cuts[s]! + 1, end).trim());
  };

  it('keeps the ; of a BEGIN ATOMIC body inside CREATE [OR REPLACE] FUNCTION|PROCEDURE', () => {
    for (const head of [
      'CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql',
      'create or replace function f(a int) RETURNS TABLE (begin int, "end" int) LANGUAGE sql',
      'CREATE PROCEDURE p() LANGUAGE sql',
      'CREATE OR REPLACE PROCEDURE p() LANGUAGE sql',
    ]) {
      const routine = `${head} BEGIN ATOMIC INSERT INTO t VALUES (1); SELECT CASE WHEN a > 0 THEN 1 END; END`;
      expect(statements(`SELECT 0; ${routine}; SELECT @x`)).toEqual(['SELECT 0', routine, 'SELECT @x']);
    }
  });
  it('leaves other statements with BEGIN and END cutting at every ;, and $$ bodies opaque', () => {
    expect(statements('BEGIN; SELECT CASE WHEN true THEN 1 END; END')).toEqual([
      'BEGIN',
      'SELECT CASE WHEN true THEN 1 END',
      'END',
    ]);
    const plpgsql = 'CREATE FUNCTION g() RETURNS int AS $$ BEGIN RETURN 1; END $$ LANGUAGE plpgsql';
    expect(statements(`${plpgsql}; SELECT E'a\\';b'`)).toEqual([plpgsql, "SELECT E'a\\';b'"]);
    expect(statements('CREATE TABLE begin_log (x int); SELECT 1')).toEqual([
      'CREATE TABLE begin_log (x int)',
      'SELECT 1',
    ]);
  });
  it('reads the words after a statement that is no routine only for their markers, and the next statement afresh', () => {
    const routine = 'CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END';
    const plain = "SELECT 1 AS begin, 'x' AS create, e$$q$$, (begin) FROM function WHERE atomic = @a AND x = E'\\';'";
    expect(statements(`${plain}; ${routine}; SELECT @b`)).toEqual([plain, routine, 'SELECT @b']);
    expect(scanSql(`${plain}; ${routine}; SELECT @b`, SqlDialect.PostgreSQL).parameters.map((p) => p.name)).toEqual([
      'a',
      'b',
    ]);
  });
  it('is PostgreSQL only', () => {
    const routine = 'CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END';
    expect(statements(routine, SqlDialect.Generic)).toHaveLength(2);
  });
});

/** [dialect, sql, message]. */
const UNTERMINATED: ReadonlyArray<readonly [SqlDialect, string, string]> = [
  [SqlDialect.PostgreSQL, "SELECT 'abc", 'Unterminated string literal starting at position 7.'],
  [SqlDialect.PostgreSQL, "SELECT 'it''", 'Unterminated string literal starting at position 7.'],
  [SqlDialect.PostgreSQL, "SELECT E'abc\\'", 'Unterminated string literal starting at position 7.'],
  [SqlDialect.PostgreSQL, 'SELECT "abc', 'Unterminated quoted identifier starting at position 7.'],
  [SqlDialect.PostgreSQL, 'SELECT $$abc', 'Unterminated dollar-quoted string $$ starting at position 7.'],
  [SqlDialect.PostgreSQL, 'SELECT $q$ab$$ $Q$', 'Unterminated dollar-quoted string $q$ starting at position 7.'],
  [SqlDialect.PostgreSQL, 'SELECT /* /* */ 1', 'Unterminated block comment starting at position 7.'],
  [SqlDialect.MySQL, "SELECT 'abc\\'", 'Unterminated string literal starting at position 7.'],
  [SqlDialect.MySQL, 'SELECT 1, "a\\\\\\"', 'Unterminated string literal starting at position 10.'],
  [SqlDialect.MySQL, 'SELECT `abc``', 'Unterminated quoted identifier starting at position 7.'],
  [SqlDialect.MySQL, 'SELECT /* abc', 'Unterminated block comment starting at position 7.'],
  [SqlDialect.MySQL, "SELECT 'abc\\", 'Unterminated string literal starting at position 7.'],
  [SqlDialect.MySQL, 'SELECT /*! @x', 'Unterminated executable comment starting at position 7.'],
  [SqlDialect.MySQL, 'SELECT /*!50100 1 /* c */', 'Unterminated executable comment starting at position 7.'],
  [SqlDialect.MySQL, "SELECT /*M! '*/'", 'Unterminated executable comment starting at position 7.'],
  [SqlDialect.TransactSql, "SELECT 'a\\' , @x'", 'Unterminated string literal starting at position 16.'],
  [SqlDialect.TransactSql, 'SELECT [a]]', 'Unterminated quoted identifier starting at position 7.'],
  [SqlDialect.TransactSql, 'SELECT 1 /* /* */', 'Unterminated block comment starting at position 9.'],
  [SqlDialect.Generic, 'SELECT "abc', 'Unterminated quoted identifier starting at position 7.'],
  [SqlDialect.Generic, 'SELECT /*/ x', 'Unterminated block comment starting at position 7.'],
];

describe('scanSql: unterminated constructs', () => {
  it.each(UNTERMINATED)('%s: %s', (dialect, sql, message) => {
    let error: unknown;
    try {
      scanSql(sql, dialect);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ArgumentError);
    expect((error as ArgumentError).message).toBe(message);
    expect((error as ArgumentError).paramName).toBe('text');
  });
});

describe('scanSql: arguments', () => {
  it('rejects an unknown dialect', () => {
    expect(() => scanSql('SELECT 1', 'oracle' as SqlDialect)).toThrow(ArgumentError);
    expect(() => scanSql('SELECT 1', 'oracle' as SqlDialect)).toThrow("Unknown SQL dialect 'oracle'.");
    expect(() => scanSql('SELECT 1', 'toString' as SqlDialect)).toThrow(ArgumentError);
  });
});
