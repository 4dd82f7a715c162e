import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TdsSession } from './engine-types.js';
import { batch, doneCounts, errors, messages, ok, openSession, resultSets, rows, testEngine, uniqueName } from './test-support.js';

describe('batches', () => {
  let session: TdsSession;
  beforeAll(async () => {
    session = await openSession(testEngine());
  });
  afterAll(async () => session.close());

  it('accepts the options tedious sends after login', async () => {
    const events = await ok(session, [
      'set ansi_nulls on', 'set ansi_null_dflt_on on', 'set ansi_padding on', 'set ansi_warnings on', 'set arithabort on',
      'set concat_null_yields_null on', 'set cursor_close_on_commit off', 'set datefirst 7', 'set dateformat mdy',
      'set implicit_transactions off', 'set language us_english', 'set numeric_roundabort off', 'set quoted_identifier on',
      'set textsize 2147483647', 'set transaction isolation level read committed', 'set xact_abort off',
    ].join('\n'));
    expect(events).toEqual([]);
  });

  it('runs several statements: one result set or one count per statement', async () => {
    const events = await ok(session, `
      CREATE TABLE #multi (id INT PRIMARY KEY, name NVARCHAR(20))
      INSERT INTO #multi VALUES (1, N'a'), (2, N'b'), (3, N'c')
      UPDATE #multi SET name = N'z' WHERE id > 1
      SELECT id, name FROM #multi ORDER BY id
      DELETE FROM #multi WHERE id = 1
      SELECT COUNT(*) AS n FROM #multi`);
    expect(doneCounts(events)).toEqual([null, 3, 2, 3, 1, 1]);
    const sets = resultSets(events);
    expect(sets.map((s) => s.columns.map((c) => c.name))).toEqual([['id', 'name'], ['n']]);
    expect(sets[0]?.rows).toEqual([[1, 'a'], [2, 'z'], [3, 'z']]);
    expect(sets[1]?.rows).toEqual([[2n]]);
  });

  it('leaves counts out with SET NOCOUNT ON', async () => {
    const events = await ok(session, 'SET NOCOUNT ON; CREATE TABLE #nc (a INT); INSERT INTO #nc VALUES (1); SELECT a FROM #nc; SET NOCOUNT OFF; SELECT a FROM #nc');
    expect(doneCounts(events)).toEqual([null, null, null, 1]);
  });

  it('reports result column names as written and unnamed columns as empty', async () => {
    const [set] = resultSets(await ok(session, 'SELECT 1 AS [Total Count], COUNT(*) cnt, Total = 2, 3, @@SPID FROM (SELECT 1 AS x) AS t'));
    expect(set?.columns.map((c) => c.name)).toEqual(['Total Count', 'cnt', 'Total', '', '']);
  });

  it('supports TOP, TOP (n) with a variable, and ORDER BY an alias', async () => {
    const events = await ok(session, `
      DECLARE @n INT = 2
      SELECT TOP 3 g AS Value FROM generate_series(1, 10) AS s(g) ORDER BY Value DESC
      SELECT TOP (@n) g FROM generate_series(1, 10) AS s(g) ORDER BY g`);
    expect(resultSets(events).map((s) => s.rows)).toEqual([[[10], [9], [8]], [[1], [2]]]);
  });

  it('keeps T-SQL variables: DECLARE, SET, SELECT @v =, compound assignment', async () => {
    const events = await ok(session, `
      DECLARE @a INT = 40, @s NVARCHAR(20) = N'x', @b BIT = 1, @d DECIMAL(10,2)
      SET @a += 2
      SET @s = @s + N'y' + CAST(@a AS NVARCHAR(10))
      SELECT @d = SUM(g) / 4.0 FROM generate_series(1, 3) AS s(g)
      SELECT @a AS a, @s AS s, @b AS b, @d AS d, @@ROWCOUNT AS rc`);
    expect(rows(events)).toEqual([[42, 'xy42', true, '1.50', 1]]);
  });

  it('reports an undeclared variable as 137', async () => {
    const events = await batch(session, 'SELECT @nope');
    expect(errors(events)).toMatchObject([{ number: 137, message: 'Must declare the scalar variable "@nope".', severity: 15, lineNumber: 1 }]);
  });

  it('runs IF/ELSE, WHILE with BREAK, and BEGIN … END blocks', async () => {
    const events = await ok(session, `
      DECLARE @i INT = 0, @total INT = 0
      WHILE @i < 10
      BEGIN
        SET @i = @i + 1
        IF @i = 3 CONTINUE
        IF @i > 5 BREAK
        SET @total = @total + @i
      END
      IF @total = 12 SELECT 'yes' AS r ELSE SELECT 'no' AS r`);
    expect(rows(events)).toEqual([['yes']]);
  });

  it('supports IF OBJECT_ID(…) IS NOT NULL DROP TABLE and DROP TABLE IF EXISTS', async () => {
    const table = uniqueName('tds_drop');
    await ok(session, `CREATE TABLE ${table} (a INT)`);
    await ok(session, `IF OBJECT_ID('dbo.${table}') IS NOT NULL DROP TABLE ${table}`);
    expect(rows(await ok(session, `SELECT CASE WHEN OBJECT_ID('${table}') IS NULL THEN 1 ELSE 0 END`))).toEqual([[1]]);
    await ok(session, `DROP TABLE IF EXISTS ${table}`);
    await ok(session, "CREATE TABLE #gone (a INT) IF OBJECT_ID('tempdb..#gone') IS NOT NULL DROP TABLE #gone");
  });

  it('turns PRINT into INFO and RAISERROR into INFO or ERROR messages', async () => {
    const events = await batch(session, `
      PRINT 'hello ' + CAST(42 AS NVARCHAR(10))
      RAISERROR('just info %d', 10, 1, 7)
      RAISERROR('failed: %s', 16, 2, N'boom')
      SELECT 1 AS after_error`);
    expect(messages(events)).toEqual([
      { number: 0, state: 1, severity: 0, message: 'hello 42', lineNumber: 2 },
      { number: 50000, state: 1, severity: 10, message: 'just info 7', lineNumber: 3 },
      { number: 50000, state: 2, severity: 16, message: 'failed: boom', lineNumber: 4 },
    ]);
    // RAISERROR does not end the batch (as in SQL Server).
    expect(rows(events)).toEqual([[1]]);
  });

  it('ends the batch at THROW', async () => {
    const events = await batch(session, "SELECT 1 AS a\nTHROW 50001, 'custom failure', 3;\nSELECT 2 AS b");
    expect(errors(events)).toEqual([{ number: 50001, state: 3, severity: 16, message: 'custom failure', lineNumber: 2 }]);
    expect(resultSets(events)).toHaveLength(1);
    expect(events[events.length - 1]).toEqual({ kind: 'done', rowCount: null, error: true });
  });

  it('catches errors with TRY/CATCH and exposes ERROR_NUMBER() and ERROR_MESSAGE()', async () => {
    const events = await ok(session, `
      BEGIN TRY
        SELECT 1 / 0 AS x
      END TRY
      BEGIN CATCH
        SELECT ERROR_NUMBER() AS n, ERROR_MESSAGE() AS m
      END CATCH`);
    expect(rows(events)).toEqual([[8134, 'Divide by zero error encountered.']]);
  });

  it('creates temporary tables, fills them with SELECT INTO, and reads SCOPE_IDENTITY()', async () => {
    const events = await ok(session, `
      CREATE TABLE #items (id INT IDENTITY(10, 5) PRIMARY KEY, name NVARCHAR(50) NOT NULL, active BIT NOT NULL DEFAULT 1)
      INSERT INTO #items (name) VALUES (N'first')
      INSERT INTO #items (name, active) VALUES (N'second', 0)
      SELECT SCOPE_IDENTITY() AS id, @@IDENTITY AS last
      SELECT id, name INTO #copy FROM #items WHERE active = 1
      SELECT * FROM #copy`);
    const sets = resultSets(events);
    expect(sets[0]?.rows).toEqual([['15', '15']]);
    expect(sets[1]?.rows).toEqual([[10, 'first']]);
  });

  it('turns OUTPUT INSERTED.* into RETURNING', async () => {
    const events = await ok(session, `
      CREATE TABLE #out (Id INT IDENTITY(1,1), Name NVARCHAR(10))
      INSERT INTO #out (Name) OUTPUT INSERTED.Id, INSERTED.Name VALUES (N'a'), (N'b')`);
    const [set] = resultSets(events);
    expect(set?.columns.map((c) => c.name)).toEqual(['Id', 'Name']);
    expect(set?.rows).toEqual([[1, 'a'], [2, 'b']]);
    expect(doneCounts(events)).toEqual([null, 2]);
  });

  it('builds FOR XML PATH results with PostgreSQL xml functions', async () => {
    const events = await ok(session, `
      SELECT id, name AS [Name], note FROM (VALUES (1, 'a&b', NULL), (2, 'c', 'n')) AS v(id, name, note) ORDER BY id FOR XML PATH('row'), ROOT('rows')
      SELECT STUFF((SELECT ',' + name FROM (VALUES ('x'), ('y')) AS v(name) FOR XML PATH('')), 1, 1, '') AS list`);
    const sets = resultSets(events);
    expect(sets[0]?.columns).toEqual([{ name: 'XML_F52E2B61-18A1-11d1-B105-00805F49916B', type: 'nvarchar', length: -1, nullable: true }]);
    expect(sets[0]?.rows).toEqual([['<rows><row><id>1</id><Name>a&amp;b</Name></row><row><id>2</id><Name>c</Name><note>n</note></row></rows>']]);
    expect(sets[1]?.rows).toEqual([['x,y']]);
  });

  it('supports the functions of the subset', async () => {
    const events = await ok(session, `
      SELECT ISNULL(NULL, 5) AS a, LEN(N'abc  ') AS b, CAST(1 AS BIT) AS c, CAST(0 AS BIT) AS d,
             LEN(CAST(NEWID() AS NVARCHAR(36))) AS e, CASE WHEN ABS(DATEDIFF(second, GETDATE(), SYSUTCDATETIME())) < 2 THEN 1 ELSE 0 END AS f,
             IIF(2 > 1, 'y', 'n') AS g, CHARINDEX('c', 'abc') AS h, CONVERT(INT, '12') AS i, DATEDIFF(day, '2024-01-01', '2024-03-01') AS j,
             DATEADD(day, 1, CAST('2024-02-28' AS DATE)) AS k`);
    expect(rows(events)).toEqual([[5, 3, true, false, 36, 1, 'y', 3, 12, 60, new Date('2024-02-29T00:00:00Z')]]);
  });

  it('executes dynamic SQL with EXEC (…)', async () => {
    const events = await ok(session, "DECLARE @t NVARCHAR(20) = N'42'\nEXEC (N'SELECT ' + @t + N' AS v')");
    expect(rows(events)).toEqual([[42]]);
  });

  it('treats a bare 0/1 compared with or inserted into a BIT column as a boolean', async () => {
    const events = await ok(session, `
      CREATE TABLE #flags (id INT, on_off BIT)
      INSERT INTO #flags VALUES (1, 1), (2, 0)
      UPDATE #flags SET on_off = 1 WHERE id = 2 AND on_off = 0
      SELECT COUNT(*) AS n FROM #flags WHERE on_off = 1`);
    expect(rows(events)).toEqual([[2n]]);
  });

  it('switches database with USE (an ENVCHANGE and message 5701)', async () => {
    const database = session.database;
    const events = await ok(session, `USE [${database}]`);
    expect(events).toEqual([
      { kind: 'database', name: database },
      { kind: 'message', message: { number: 5701, state: 2, severity: 0, message: `Changed database context to '${database}'.` } },
    ]);
    expect(errors(await batch(session, 'USE no_such_database_here'))).toMatchObject([{ number: 911 }]);
  });

  it('runs the batch shape node-mssql uses for parameters in batch mode', async () => {
    const events = await ok(session, "declare @a int, @b nvarchar(MAX), @out int;select @a = 5, @b = N'x';set @out = @a * 2;select 1 as [___return___], @out as [out]");
    expect(rows(events)).toEqual([[1, 10]]);
  });
});
