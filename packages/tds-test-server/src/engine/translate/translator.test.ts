import { describe, expect, it } from 'vitest';
import type { TdsColumn } from '../engine-types.js';
import { tokenize } from '../tsql/tokenizer.js';
import { TsqlError } from '../tsql/tsql-error.js';
import type { TranslateContext } from './translate-context.js';
import { translateExpression, translateStatement } from './translator.js';

const VARIABLES: Record<string, TdsColumn> = {
  '@a': { name: '', type: 'int', nullable: true },
  '@s': { name: '', type: 'nvarchar', length: 50, nullable: true },
  '@n': { name: '', type: 'int', nullable: true },
};

/** A context that binds variables in order of first use, as the session does. */
function context(): TranslateContext {
  const bound: string[] = [];
  return {
    variable(name, line, implicit) {
      const type = VARIABLES[name.toLowerCase()];
      if (type === undefined) throw new TsqlError(137, `Must declare the scalar variable "${name}".`, line);
      if (implicit === true && type.type === 'nvarchar') return `$implicit`;
      let index = bound.indexOf(name.toLowerCase());
      if (index < 0) index = bound.push(name.toLowerCase()) - 1;
      return `$${index + 1}::${type.type === 'int' ? 'integer' : 'varchar(50)'}`;
    },
    variableType: (name) => VARIABLES[name.toLowerCase()],
    system: (name) => (['SPID', 'VERSION', 'ROWCOUNT', 'TRANCOUNT', 'DB_NAME'].includes(name) ? `$sys_${name.toLowerCase()}` : undefined),
    hasProcedure: (name) => name === 'myproc',
  };
}

const sql = (text: string): string => translateStatement(tokenize(text), context()).text.replace(/\s+/g, ' ');
const expr = (text: string): string => translateExpression(tokenize(text), context()).text.replace(/\s+/g, ' ');

describe('translateStatement', () => {
  it.each<[string, string]>([
    // TOP
    ['SELECT TOP 5 a FROM t ORDER BY a', 'SELECT a FROM t ORDER BY a LIMIT (5)'],
    ['SELECT TOP (@n) * FROM t', 'SELECT * FROM t LIMIT ($1::integer)'],
    ['SELECT DISTINCT TOP 1 a FROM t', 'SELECT DISTINCT a FROM t LIMIT (1)'],
    ['SELECT TOP 2 WITH TIES a FROM t ORDER BY a', 'SELECT a FROM t ORDER BY a FETCH FIRST (2) ROWS WITH TIES'],
    ['SELECT a FROM t WHERE b IN (SELECT TOP 1 b FROM u ORDER BY c)', 'SELECT a FROM t WHERE b IN (SELECT b FROM u ORDER BY c LIMIT (1))'],
    // identifiers, literals, aliases
    ['SELECT [Name], [Order Id] FROM [dbo].[Users]', 'SELECT "name" AS "Name", "order id" AS "Order Id" FROM "users"'],
    ["SELECT N'héllo', 'it''s' AS [Quote]", `SELECT 'héllo' AS "?column?", 'it''s' AS "Quote"`],
    ['SELECT COUNT(*) AS Total FROM t ORDER BY Total DESC', 'SELECT COUNT(*) AS "Total" FROM t ORDER BY "Total" DESC'],
    ['SELECT Total = COUNT(*) FROM t', 'SELECT COUNT(*) AS "Total" FROM t'],
    ['SELECT COUNT(*) cnt FROM t', 'SELECT COUNT(*) AS "cnt" FROM t'],
    ['SELECT t.Id, t.name FROM dbo.t AS t', 'SELECT t.Id AS "Id", t.name FROM t AS t'],
    ['SELECT * FROM db.dbo.t', 'SELECT * FROM t'],
    ['SELECT 0x0aFF', `SELECT '\\x0aff'::bytea AS "?column?"`],
    ['SELECT "quoted" FROM t', 'SELECT "quoted" FROM t'],
    ['SELECT limit FROM t', 'SELECT "limit" FROM t'],
    // variables and system functions
    ['SELECT @a, @a + 1, @@SPID', 'SELECT $1::integer AS "?column?", $1::integer + 1 AS "?column?", $sys_spid AS "?column?"'],
    ['SELECT @@VERSION AS v', 'SELECT $sys_version AS "v"'],
    ["SELECT 'x' + @s + name FROM t", `SELECT 'x' || $1::varchar(50) || name AS "?column?" FROM t`],
    ['SELECT a + b FROM t', 'SELECT a + b AS "?column?" FROM t'],
    // functions
    ['SELECT ISNULL(a, 0), LEN(b), GETDATE(), NEWID() FROM t', 'SELECT COALESCE(a, 0) AS "?column?", length(rtrim(CAST(b AS text))) AS "?column?", CAST(LOCALTIMESTAMP AS timestamp(3)) AS "?column?", gen_random_uuid() AS "?column?" FROM t'],
    ['SELECT SYSUTCDATETIME()', `SELECT timezone('UTC', now()) AS "?column?"`],
    ['SELECT CAST(1 AS BIT), CAST(a AS BIT), CAST(a AS NVARCHAR(MAX)), CAST(a AS DATETIME2(7))', 'SELECT (1 <> 0) AS "?column?", CAST(a AS boolean) AS "?column?", CAST(a AS text) AS "?column?", CAST(a AS timestamp(6)) AS "?column?"'],
    ['SELECT CONVERT(VARCHAR(10), d, 120), CAST(x AS MONEY), CAST(x AS UNIQUEIDENTIFIER)', 'SELECT CAST(d AS varchar(10)) AS "?column?", CAST(x AS numeric(19,4)) AS "?column?", CAST(x AS uuid) AS "?column?"'],
    ['SELECT IIF(a > 1, 2, 3), CHARINDEX(\'b\', s)', `SELECT (CASE WHEN a > 1 THEN 2 ELSE 3 END) AS "?column?", strpos(s, 'b') AS "?column?"`],
    ['SELECT SCOPE_IDENTITY()', 'SELECT CAST(pg_temp.tds_scope_identity() AS numeric(38,0)) AS "?column?"'],
    ["SELECT OBJECT_ID('dbo.Users'), OBJECT_ID(N'tempdb..#t'), OBJECT_ID('myproc', 'P')", `SELECT CAST(CAST(to_regclass('"users"') AS oid) AS integer) AS "?column?", CAST(CAST(to_regclass('"#t"') AS oid) AS integer) AS "?column?", 1 AS "?column?"`],
    ['SELECT DATEADD(day, 1, d), DATEDIFF(day, a, b), YEAR(d)', `SELECT (d + (1) * INTERVAL '1 day') AS "?column?", (CAST(b AS date) - CAST(a AS date)) AS "?column?", CAST(extract(year from d) AS integer) AS "?column?"`],
    // BIT comparisons and inserts
    ['SELECT a FROM t WHERE flag = 1 AND x <> 0', "SELECT a FROM t WHERE flag = '1' AND x <> '0'"],
    ['UPDATE t SET flag = 0, n += 2 WHERE id = @a', "UPDATE t SET flag = '0', n = n + 2 WHERE id = $1::integer"],
    ["INSERT INTO t (a, b, c) VALUES (1, 'x', 0), (2, NULL, 1)", "INSERT INTO t (a, b, c) VALUES ('1', 'x', '0'), (2, NULL, '1')"],
    ['INSERT t (a) SELECT TOP 1 a FROM u', 'INSERT INTO t (a) SELECT a FROM u LIMIT (1)'],
    ['INSERT INTO t (a, b) VALUES (@s, @a)', 'INSERT INTO t (a, b) VALUES ($implicit, $1::integer)'],
    ['SELECT a FROM t WHERE b = @s AND @s = c AND d = @a', 'SELECT a FROM t WHERE b = $implicit AND $implicit = c AND d = $1::integer'],
    ['INSERT INTO t (a) OUTPUT INSERTED.Id, inserted.a VALUES (5)', 'INSERT INTO t (a) VALUES (5) RETURNING Id AS "Id", a'],
    ['DELETE t OUTPUT DELETED.* WHERE a = 5', 'DELETE FROM t WHERE a = 5 RETURNING *'],
    ['UPDATE t SET a = 2 OUTPUT inserted.a WHERE b = 3', 'UPDATE t SET a = 2 WHERE b = 3 RETURNING a'],
    ['SELECT * FROM t WITH (NOLOCK) WHERE a = 2', 'SELECT * FROM t WHERE a = 2'],
    ['SELECT a FROM t OPTION (RECOMPILE)', 'SELECT a FROM t'],
    // temp tables
    ['CREATE TABLE #tmp (id INT)', 'CREATE TEMPORARY TABLE "#tmp" (id integer )'],
    ['SELECT a INTO #t2 FROM t', 'SELECT a INTO TEMP TABLE "#t2" FROM t'],
    ['DROP TABLE #Tmp', 'DROP TABLE "#tmp"'],
    // DDL
    [
      'CREATE TABLE dbo.Items (Id INT IDENTITY(1,1) PRIMARY KEY CLUSTERED, Name NVARCHAR(100) COLLATE Latin1_General_CI_AS NOT NULL, Price MONEY, Active BIT NOT NULL DEFAULT ((1)), Data VARBINARY(MAX), At DATETIME2(3) DEFAULT SYSUTCDATETIME(), G UNIQUEIDENTIFIER DEFAULT NEWID(), X XML, F FLOAT, R REAL, T TINYINT, D DATETIMEOFFSET(7), C NCHAR(2), CONSTRAINT UQ_Name UNIQUE NONCLUSTERED (Name)) ON [PRIMARY]',
      `CREATE TABLE Items (Id integer GENERATED BY DEFAULT AS IDENTITY (START WITH 1 INCREMENT BY 1) PRIMARY KEY, Name varchar(100) NOT NULL, Price numeric(19,4), Active boolean NOT NULL DEFAULT true, Data bytea, At timestamp(3) DEFAULT timezone('UTC', now()), G uuid DEFAULT gen_random_uuid(), X xml, F double precision, R real, T smallint, D timestamptz(6), C char(2), CONSTRAINT UQ_Name UNIQUE (Name) )`,
    ],
    ['CREATE TABLE c (id INT, p INT REFERENCES p(id) ON DELETE CASCADE, CHECK (id > 0))', 'CREATE TABLE c (id integer, p integer REFERENCES p(id) ON DELETE CASCADE, CHECK (id > 0) )'],
    ['ALTER TABLE t ADD b NVARCHAR(10) NULL, c BIT', 'ALTER TABLE t ADD b varchar(10) NULL, ADD c boolean'],
    ['ALTER TABLE t ALTER COLUMN b NVARCHAR(20) NOT NULL', 'ALTER TABLE t ALTER COLUMN b TYPE varchar(20), ALTER COLUMN b SET NOT NULL'],
    ['CREATE UNIQUE NONCLUSTERED INDEX ix ON dbo.t (a) WITH (FILLFACTOR = 80) ON [PRIMARY]', 'CREATE UNIQUE INDEX ix ON t (a)'],
    ['DROP INDEX ix ON t', 'DROP INDEX ix'],
    ['TRUNCATE TABLE t', 'TRUNCATE TABLE t RESTART IDENTITY'],
    ['DROP TABLE IF EXISTS t', 'DROP TABLE IF EXISTS t'],
    // FOR XML PATH
    [
      "SELECT id, name AS [Name] FROM t ORDER BY id FOR XML PATH('row'), ROOT('rows')",
      `SELECT CAST(xmlelement(name "rows", xmlagg(xmlelement(name "row", xmlconcat(xmlforest("_x"."c1" AS "id"), xmlforest("_x"."c2" AS "Name"))))) AS text) AS "XML_F52E2B61-18A1-11d1-B105-00805F49916B" FROM (SELECT id AS "c1", name AS "c2" FROM t ORDER BY "c1") AS "_x"`,
    ],
    [
      "SELECT id AS [@id], name FROM t FOR XML PATH('item'), TYPE",
      `SELECT xmlagg(xmlelement(name "item", xmlattributes("_x"."c1" AS "id"), xmlconcat(xmlforest("_x"."c2" AS "name")))) AS "XML_F52E2B61-18A1-11d1-B105-00805F49916B" FROM (SELECT id AS "c1", name AS "c2" FROM t) AS "_x"`,
    ],
    [
      "SELECT ',' + name FROM t FOR XML PATH('')",
      `SELECT CAST(xmlagg(xmlconcat((xpath('/x/text()', xmlelement(name x, "_x"."c1")))[1])) AS text) AS "XML_F52E2B61-18A1-11d1-B105-00805F49916B" FROM (SELECT ',' || name AS "c1" FROM t) AS "_x"`,
    ],
    // SQL Server views, GENERATE_SERIES, recursive CTEs
    ['SELECT command FROM sys.dm_exec_requests WHERE session_id = 5', 'SELECT command FROM (SELECT CAST(a.pid AS integer) AS session_id'],
    ['SELECT r.status FROM sys.dm_exec_requests AS r', 'SELECT r.status FROM (SELECT CAST(a.pid AS integer) AS session_id'],
    ['SELECT value FROM GENERATE_SERIES(1, 3)', 'SELECT value FROM generate_series(1, 3) AS generate_series(value)'],
    ['SELECT g.value FROM GENERATE_SERIES(1, 9, 2) g WHERE g.value > 1', 'SELECT g.value FROM generate_series(1, 9, 2) g(value) WHERE g.value > 1'],
    ['SELECT generate_series(1, 3) AS g', 'SELECT generate_series(1, 3) AS "g"'],
    ['WITH n AS (SELECT 1 AS i UNION ALL SELECT i + 1 FROM n WHERE i < 3) SELECT i FROM n', 'WITH RECURSIVE n AS (SELECT 1 AS "i" UNION ALL SELECT i + 1 FROM n WHERE i < 3) SELECT i FROM n'],
    // CTE and set operations
    ['WITH c AS (SELECT TOP 3 a FROM t) SELECT a FROM c', 'WITH c AS (SELECT a FROM t LIMIT (3)) SELECT a FROM c'],
    ['SELECT a FROM t UNION ALL SELECT b FROM u', 'SELECT a FROM t UNION ALL SELECT b FROM u'],
  ])('%s', (tsql, expected) => {
    const text = sql(tsql);
    if (tsql.includes('sys.')) expect(text.startsWith(expected), text).toBe(true);
    else expect(text).toBe(expected);
  });

  it('reports declared result types and table columns', () => {
    const select = translateStatement(tokenize('SELECT @a, CAST(x AS TINYINT) AS t, CONVERT(MONEY, y), z FROM t'), context());
    expect(select.resultTypes?.map((c) => c?.type)).toEqual(['int', 'tinyint', 'money', undefined]);
    const create = translateStatement(tokenize('CREATE TABLE #t (Id INT, [Name] VARCHAR(5))'), context());
    expect(create.declaredColumns).toEqual({
      table: '"#t"',
      columns: [
        { name: 'id', type: { name: '', type: 'int', nullable: true } },
        { name: 'name', type: { name: '', type: 'varchar', length: 5, nullable: true } },
      ],
    });
  });

  it('keeps line breaks so PostgreSQL error positions map to T-SQL lines', () => {
    expect(translateStatement(tokenize('SELECT a\nFROM t\nWHERE b = 2'), context()).text).toBe('SELECT a\nFROM t\nWHERE b = 2');
  });

  it('never rewrites inside literals or bracketed identifiers', () => {
    expect(sql("SELECT 'TOP 5 GETDATE() [x] @a', [GETDATE()] FROM t")).toBe(`SELECT 'TOP 5 GETDATE() [x] @a' AS "?column?", "getdate()" AS "GETDATE()" FROM t`);
  });

  it('flags SCOPE_IDENTITY so the session creates its helper', () => {
    expect(translateStatement(tokenize('SELECT @@IDENTITY'), context()).usesScopeIdentity).toBe(true);
  });

  it.each([
    ['SELECT @nope', 137],
    ['SELECT TOP 5 PERCENT a FROM t', 50000],
    ['SELECT a FROM t FOR XML AUTO', 50000],
    ['SELECT @@FOO', 50000],
    ['SELECT CAST(a AS FOO)', 2715],
  ])('rejects %s with %d', (tsql, number) => {
    try {
      sql(tsql);
      expect.unreachable();
    } catch (error) {
      expect((error as TsqlError).number).toBe(number);
    }
  });
});

describe('translateExpression', () => {
  it.each<[string, string]>([
    ["OBJECT_ID('t') IS NOT NULL", `CAST(CAST(to_regclass('"t"') AS oid) AS integer) IS NOT NULL`],
    ['@a * 2', '$1::integer * 2'],
    ["'Count: ' + CAST(@a AS NVARCHAR(10))", `'Count: ' || CAST($1::integer AS varchar(10))`],
    ['EXISTS (SELECT TOP 1 1 FROM t)', 'EXISTS (SELECT 1 FROM t LIMIT (1))'],
    ['2 ^ 3', '2 # 3'],
  ])('%s', (tsql, expected) => {
    expect(expr(tsql)).toBe(expected);
  });
});
