import { describe, expect, it } from 'vitest';
import type { Statement } from './ast.js';
import { parseBatch } from './parser.js';
import { tokensText } from './token-utils.js';
import { TsqlError } from './tsql-error.js';

/** A compact rendering of statements: kind[:verb] and, for SQL, its text. */
function shape(statements: readonly Statement[]): string[] {
  return statements.map((s) => {
    switch (s.kind) {
      case 'sql':
        return `sql:${s.verb}:${tokensText(s.tokens)}`;
      case 'if':
        return `if(${tokensText(s.condition)}){${shape([s.then]).join('|')}}${s.otherwise ? `else{${shape([s.otherwise]).join('|')}}` : ''}`;
      case 'block':
        return `block{${shape(s.body).join('|')}}`;
      case 'while':
        return `while(${tokensText(s.condition)}){${shape([s.body]).join('|')}}`;
      case 'tryCatch':
        return `try{${shape(s.body).join('|')}}catch{${shape(s.handler).join('|')}}`;
      case 'setOption':
        return `set:${s.options.join(',')}=${s.value}`;
      case 'setVariable':
        return `set:${s.name}${s.operator}${tokensText(s.expression)}`;
      case 'declare':
        return `declare:${s.variables.map((v) => `${v.name} ${v.type.pg}${v.initial ? '=' + tokensText(v.initial) : ''}`).join(',')}`;
      case 'transaction':
        return `tran:${s.action}${s.name ? ':' + s.name.value : ''}`;
      case 'exec':
        return `exec:${s.returnVariable ? s.returnVariable + '=' : ''}${s.procedure}(${s.args.map((a) => `${a.name ?? ''}${a.name ? '=' : ''}${tokensText(a.value)}${a.output ? ' out' : ''}`).join(',')})`;
      case 'selectAssign':
        return `assign:${s.assignments.map((a) => `${a.variable}${a.operator}${tokensText(a.expression)}`).join(',')}|${tokensText(s.tail)}`;
      case 'return':
        return `return${s.expression ? ':' + tokensText(s.expression) : ''}`;
      default:
        return s.kind;
    }
  });
}

describe('parseBatch', () => {
  it.each<[string, string[]]>([
    ['SELECT 1 SELECT 2', ['sql:select:SELECT 1', 'sql:select:SELECT 2']],
    ['SELECT 1; SELECT 2;', ['sql:select:SELECT 1', 'sql:select:SELECT 2']],
    ['INSERT INTO t (a) SELECT a FROM s SELECT 1', ['sql:insert:INSERT INTO t (a) SELECT a FROM s', 'sql:select:SELECT 1']],
    ['INSERT INTO t VALUES (1) SELECT 1', ['sql:insert:INSERT INTO t VALUES (1)', 'sql:select:SELECT 1']],
    ['UPDATE t SET a = 1 WHERE b = 2 SET NOCOUNT ON', ['sql:update:UPDATE t SET a = 1 WHERE b = 2', 'set:NOCOUNT=ON']],
    ['SELECT a FROM t UNION ALL SELECT b FROM u', ['sql:select:SELECT a FROM t UNION ALL SELECT b FROM u']],
    ['WITH c AS (SELECT 1 AS x) SELECT x FROM c SELECT 2', ['sql:select:WITH c AS (SELECT 1 AS x) SELECT x FROM c', 'sql:select:SELECT 2']],
    ['WITH c AS (SELECT 1 AS x) DELETE FROM t', ['sql:delete:WITH c AS (SELECT 1 AS x) DELETE FROM t']],
    ['SELECT * FROM t WITH (NOLOCK) SELECT 1', ['sql:select:SELECT * FROM t WITH (NOLOCK)', 'sql:select:SELECT 1']],
    ['SELECT CASE WHEN a = 1 THEN 2 ELSE 3 END AS x FROM t', ['sql:select:SELECT CASE WHEN a = 1 THEN 2 ELSE 3 END AS x FROM t']],
    ['DROP TABLE IF EXISTS t CREATE TABLE t (id INT)', ['sql:drop:DROP TABLE IF EXISTS t', 'sql:create:CREATE TABLE t (id INT)']],
    ['ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (a) REFERENCES p(id) ON DELETE SET NULL', ['sql:alter:ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (a) REFERENCES p(id) ON DELETE SET NULL']],
    ['ALTER TABLE t DROP COLUMN a', ['sql:alter:ALTER TABLE t DROP COLUMN a']],
    ['set textsize 2147483647\nset quoted_identifier on\nset transaction isolation level read committed', ['set:TEXTSIZE=2147483647', 'set:QUOTED_IDENTIFIER=ON', 'setIsolation']],
    ['SET ANSI_NULLS, QUOTED_IDENTIFIER ON', ['set:ANSI_NULLS,QUOTED_IDENTIFIER=ON']],
    ['DECLARE @a INT = 1, @b NVARCHAR(10) SET @a += 2', ['declare:@a integer=1,@b varchar(10)', 'set:@a+=2']],
    ['SELECT @a = COUNT(*), @b = MAX(x) FROM t WHERE y = 1', ['assign:@a=COUNT(*),@b=MAX(x)|FROM t WHERE y = 1']],
    ["IF OBJECT_ID('t') IS NOT NULL DROP TABLE t", ["if(OBJECT_ID('t') IS NOT NULL){sql:drop:DROP TABLE t}"]],
    ['IF @a = 1 BEGIN SELECT 1 SELECT 2 END ELSE SELECT 3', ['if(@a = 1){block{sql:select:SELECT 1|sql:select:SELECT 2}}else{sql:select:SELECT 3}']],
    ['IF EXISTS (SELECT 1 FROM t) PRINT 1 ELSE PRINT 2', ['if(EXISTS (SELECT 1 FROM t)){print}else{print}']],
    ['WHILE @i < 3 BEGIN SET @i = @i + 1 IF @i = 2 BREAK END', ['while(@i < 3){block{set:@i=@i + 1|if(@i = 2){break}}}']],
    ['BEGIN TRY SELECT 1/0 END TRY BEGIN CATCH SELECT 2 END CATCH', ['try{sql:select:SELECT 1/0}catch{sql:select:SELECT 2}']],
    ['BEGIN TRAN t1 SAVE TRAN s1 ROLLBACK TRAN s1 COMMIT', ['tran:begin:t1', 'tran:save:s1', 'tran:rollback:s1', 'tran:commit']],
    ['BEGIN TRANSACTION\nSELECT 1\nCOMMIT TRANSACTION', ['tran:begin', 'sql:select:SELECT 1', 'tran:commit']],
    ["EXEC @rc = dbo.p 1, @b = N'x', @c = @out OUTPUT SELECT 1", ["exec:@rc=p(1,@b=N'x',@c=@out out)", 'sql:select:SELECT 1']],
    ['EXEC p', ['exec:p()']],
    ['EXECUTE [dbo].[p] SELECT 1', ['exec:p()', 'sql:select:SELECT 1']],
    ['RETURN', ['return']],
    ['BEGIN RETURN 5 END', ['block{return:5}']],
    ["WAITFOR DELAY '00:00:01' SELECT 1", ['waitfor', 'sql:select:SELECT 1']],
    ["RAISERROR('x %d', 16, 1, 5) WITH NOWAIT PRINT 'a'", ['raiserror', 'print']],
    ["THROW 50001, 'boom', 1;", ['throw']],
    ['CREATE VIEW v AS SELECT 1 AS a', ['sql:create:CREATE VIEW v AS SELECT 1 AS a']],
    ['MERGE t USING s ON t.a = s.a WHEN MATCHED THEN UPDATE SET b = 1 WHEN NOT MATCHED THEN INSERT (a) VALUES (1); SELECT 1', ['sql:merge:MERGE t USING s ON t.a = s.a WHEN MATCHED THEN UPDATE SET b = 1 WHEN NOT MATCHED THEN INSERT (a) VALUES (1)', 'sql:select:SELECT 1']],
    ['SELECT TOP 1 WITH TIES a FROM t ORDER BY a', ['sql:select:SELECT TOP 1 WITH TIES a FROM t ORDER BY a']],
    ['KILL 57 SELECT 1', ['kill', 'sql:select:SELECT 1']],
    ['SELECT TOP (1) @v = a FROM t ORDER BY a', ['assign:@v=a|FROM t ORDER BY a']],
  ])('%s', (sql, expected) => {
    expect(shape(parseBatch(sql))).toEqual(expected);
  });

  it('parses CREATE PROCEDURE with parameters, defaults and OUTPUT', () => {
    const [proc] = parseBatch('CREATE PROCEDURE dbo.AddOne @a INT, @b INT = 5, @c INT OUTPUT AS BEGIN SET @c = @a + @b RETURN 7 END');
    expect(proc?.kind).toBe('createProcedure');
    if (proc?.kind !== 'createProcedure') return;
    expect(proc.name).toBe('addone');
    expect(proc.parameters.map((p) => [p.name, p.type.pg, p.default ? tokensText(p.default) : null, p.output])).toEqual([
      ['@a', 'integer', null, false],
      ['@b', 'integer', '5', false],
      ['@c', 'integer', null, true],
    ]);
    expect(shape(proc.body)).toEqual(['block{set:@c=@a + @b|return:7}']);
  });

  it('parses CREATE OR ALTER PROC with parenthesised parameters and DROP PROCEDURE IF EXISTS', () => {
    const [create] = parseBatch('CREATE OR ALTER PROC p (@x NVARCHAR(MAX) OUT) AS SELECT @x');
    expect(create?.kind === 'createProcedure' && create.mode).toBe('createOrAlter');
    const [drop] = parseBatch('DROP PROCEDURE IF EXISTS dbo.p, q');
    expect(drop).toMatchObject({ kind: 'dropProcedure', names: ['p', 'q'], ifExists: true });
  });

  it.each<[string, string, number]>([
    ['SELEC 1', 'selec', 1],
    ['INVALID', 'invalid', 0],
    ['dbo.my_proc 1, 2; SELECT 1', 'my_proc', 2],
    ['[quoted proc]', 'quoted proc', 0],
  ])('reads the batch %s, whose first word is no keyword, as a call of procedure %s (as SQL Server does)', (sql, procedure, argCount) => {
    const [first] = parseBatch(sql);
    expect(first).toMatchObject({ kind: 'exec', procedure });
    expect(first?.kind === 'exec' && first.args.length).toBe(argCount);
  });

  it('calls no procedure for a keyword or a later statement', () => {
    expect(parseBatch('SELECT 1 SELEC 1').map((statement) => statement.kind)).toEqual(['sql']);
    expect(parseBatch('TRUNCATE TABLE t')[0]?.kind).toBe('sql');
  });

  it.each(['SELECT 1 END', 'ELSE SELECT 1', 'IF 1 = 1', 'BEGIN SELECT 1', 'DECLARE x INT', "RAISERROR('x')"])('rejects %s with error 102', (sql) => {
    try {
      parseBatch(sql);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(TsqlError);
      expect((error as TsqlError).number).toBe(102);
    }
  });

  it('reports unknown types as 2715', () => {
    expect(() => parseBatch('DECLARE @x FOO')).toThrowError(/Cannot find data type FOO/);
  });
});
