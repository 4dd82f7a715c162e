import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent, TdsEngine, TdsSession } from './engine-types.js';
import { batch, errors, executeSql, ok, openSession, param, resultSets, rows, rpc, testEngine, uniqueName } from './test-support.js';

const returns = (events: readonly EngineEvent[]) => events.filter((e) => e.kind === 'returnValue' || e.kind === 'returnStatus');

describe('RPC', () => {
  let engine: TdsEngine;
  let session: TdsSession;
  const proc = uniqueName('AddAndDouble');
  beforeAll(async () => {
    engine = testEngine();
    session = await openSession(engine);
    await ok(session, `CREATE PROCEDURE dbo.${proc} @a INT, @b INT = 5, @sum INT OUTPUT, @label NVARCHAR(20) OUTPUT
AS
BEGIN
  SET NOCOUNT ON
  SET @sum = @a + @b
  SET @label = N'sum=' + CAST(@sum AS NVARCHAR(10))
  SELECT @a AS a, @b AS b
  IF @sum > 100 RETURN 2
  RETURN 1
END`);
  });
  afterAll(async () => session.close());

  it('runs sp_executesql with typed parameters and returns OUTPUT parameters as RETURNVALUE', async () => {
    const events = await rpc(
      session,
      'sp_executesql',
      executeSql('SET @out = @in * 2; SELECT @in AS in_value', '@in int, @out int OUTPUT', param('@in', 'int', 21), param('@out', 'int', null, { output: true })),
    );
    expect(rows(events)).toEqual([[21]]);
    expect(returns(events)).toEqual([
      { kind: 'returnStatus', value: 0 },
      { kind: 'returnValue', ordinal: 3, name: '@out', type: { name: '@out', type: 'int', nullable: true }, value: 42 },
    ]);
    expect(events.filter((e) => e.kind === 'done')).toEqual([{ kind: 'done', rowCount: 1 }]);
  });

  it('binds positional sp_executesql arguments in declaration order', async () => {
    const events = await rpc(session, 'sp_executesql', executeSql('SELECT @x + @y AS s', '@x int, @y int', param('', 'int', 1), param('', 'int', 2)));
    expect(rows(events)).toEqual([[3]]);
  });

  it('reports a missing sp_executesql parameter as 8178', async () => {
    const events = await rpc(session, 'sp_executesql', executeSql('SELECT @x', '@x int'));
    expect(errors(events)).toMatchObject([{ number: 8178 }]);
    expect(events[events.length - 1]).toEqual({ kind: 'done', rowCount: null, error: true });
  });

  it('calls a stored procedure by RPC: rows, OUTPUT parameters, RETURN status', async () => {
    const events = await rpc(session, `dbo.${proc}`, [
      param('@a', 'int', 40),
      param('@sum', 'int', null, { output: true }),
      param('@label', 'nvarchar', null, { length: 20, output: true }),
    ]);
    expect(rows(events)).toEqual([[40, 5]]);
    expect(returns(events)).toEqual([
      { kind: 'returnStatus', value: 1 },
      { kind: 'returnValue', ordinal: 1, name: '@sum', type: { name: '@sum', type: 'int', nullable: true }, value: 45 },
      { kind: 'returnValue', ordinal: 2, name: '@label', type: { name: '@label', type: 'nvarchar', length: 20, nullable: true }, value: 'sum=45' },
    ]);
  });

  it('calls a stored procedure with EXEC, assigning OUTPUT variables and the return code', async () => {
    const events = await ok(session, `
      DECLARE @s INT, @l NVARCHAR(20), @rc INT
      EXEC @rc = ${proc} 100, 7, @s OUTPUT, @label = @l OUTPUT
      SELECT @rc AS rc, @s AS s, @l AS l`);
    const sets = resultSets(events);
    expect(sets[1]?.rows).toEqual([[2, 107, 'sum=107']]);
    expect(events.filter((e) => e.kind === 'returnStatus')).toEqual([{ kind: 'returnStatus', value: 2 }]);
  });

  it('shares procedures between the sessions of an engine', async () => {
    const other = await openSession(engine);
    try {
      const events = await rpc(other, proc, [param('@a', 'int', 1), param('@b', 'int', 2), param('@sum', 'int', null, { output: true }), param('@label', 'nvarchar', null, { length: 20 })]);
      expect(returns(events)).toContainEqual({ kind: 'returnValue', ordinal: 2, name: '@sum', type: { name: '@sum', type: 'int', nullable: true }, value: 3 });
    } finally {
      await other.close();
    }
  });

  it('reports a missing parameter (201) and an unknown procedure (2812)', async () => {
    expect(errors(await rpc(session, proc, [param('@b', 'int', 1)]))).toMatchObject([
      { number: 201, message: `Procedure or function '${proc}' expects parameter '@a', which was not supplied.` },
    ]);
    expect(errors(await rpc(session, 'no_such_proc', []))).toMatchObject([{ number: 2812, message: "Could not find stored procedure 'no_such_proc'." }]);
  });

  it('supports CREATE OR ALTER and DROP PROCEDURE [IF EXISTS]', async () => {
    const name = uniqueName('p');
    await ok(session, `CREATE PROCEDURE ${name} AS SELECT 1 AS v`);
    expect(errors(await batch(session, `CREATE PROCEDURE ${name} AS SELECT 2 AS v`))).toMatchObject([{ number: 2714 }]);
    await ok(session, `CREATE OR ALTER PROCEDURE ${name} AS SELECT 3 AS v`);
    expect(rows(await ok(session, `EXEC ${name}`))).toEqual([[3]]);
    expect(rows(await ok(session, `IF OBJECT_ID('${name}', 'P') IS NOT NULL SELECT 1 AS found`))).toEqual([[1]]);
    await ok(session, `DROP PROCEDURE ${name}`);
    await ok(session, `DROP PROCEDURE IF EXISTS ${name}`);
    expect(errors(await batch(session, `DROP PROCEDURE ${name}`))).toMatchObject([{ number: 3701 }]);
  });

  it('prepares, executes and unprepares statements (tedious prepare/execute)', async () => {
    const prepared = await rpc(session, 'sp_prepare', [
      param('@handle', 'int', null, { output: true }),
      param('@params', 'nvarchar', '@x int, @y nvarchar(10)', { length: -1 }),
      param('@stmt', 'nvarchar', 'SELECT @x * 2 AS x2, @y AS y', { length: -1 }),
    ]);
    const handleEvent = prepared.find((e) => e.kind === 'returnValue');
    expect(handleEvent).toMatchObject({ kind: 'returnValue', ordinal: 0, name: '@handle', type: { type: 'int' } });
    const handle = handleEvent?.kind === 'returnValue' ? (handleEvent.value as number) : -1;
    for (const x of [1, 2]) {
      const events = await rpc(session, 'sp_execute', [param('', 'int', handle), param('@x', 'int', x), param('@y', 'nvarchar', `v${x}`, { length: 10 })]);
      expect(rows(events)).toEqual([[x * 2, `v${x}`]]);
    }
    await rpc(session, 'sp_unprepare', [param('@handle', 'int', handle)]);
    expect(errors(await rpc(session, 'sp_execute', [param('', 'int', handle), param('@x', 'int', 1), param('@y', 'nvarchar', 'a')]))).toMatchObject([{ number: 8179 }]);
  });

  it('describes the first result set with key information (sp_describe_first_result_set)', async () => {
    await ok(session, 'CREATE TABLE #keyed (id INT IDENTITY(1,1) PRIMARY KEY, code NVARCHAR(10) NOT NULL UNIQUE, note NVARCHAR(MAX))');
    const events = await rpc(session, 'sp_describe_first_result_set', [
      param('@tsql', 'nvarchar', 'SELECT id, code, note, @p AS p, 1 + 1 FROM #keyed WHERE id = @p', { length: -1 }),
      param('@params', 'nvarchar', '@p int', { length: -1 }),
      param('@browse_information_mode', 'tinyint', 1),
    ]);
    const [set] = resultSets(events);
    const column = (name: string) => set?.columns.findIndex((c) => c.name === name) ?? -1;
    const pick = (...names: string[]) => set?.rows.map((row) => names.map((n) => row[column(n)]));
    expect(pick('name', 'system_type_name', 'is_nullable', 'source_table', 'source_column', 'is_identity_column', 'is_part_of_unique_key')).toEqual([
      ['id', 'int', false, '#keyed', 'id', true, true],
      ['code', 'nvarchar(10)', false, '#keyed', 'code', false, true],
      ['note', 'nvarchar(max)', true, '#keyed', 'note', false, false],
      ['p', 'int', true, null, null, false, false],
      [null, 'int', true, null, null, false, false],
    ]);
    expect(returns(events)).toEqual([{ kind: 'returnStatus', value: 0 }]);
  });

  it('resets the session with sp_reset_connection', async () => {
    const other = await openSession(engine);
    try {
      await ok(other, 'CREATE TABLE #left_over (a INT); BEGIN TRAN');
      expect(await rpc(other, 'sp_reset_connection', [])).toEqual([]);
      expect(errors(await batch(other, 'SELECT * FROM #left_over'))).toMatchObject([{ number: 208 }]);
      expect(rows(await ok(other, 'SELECT @@TRANCOUNT'))).toEqual([[0]]);
    } finally {
      await other.close();
    }
  });
});
