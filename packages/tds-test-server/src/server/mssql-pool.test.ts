import sql from 'mssql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent, RpcParameter } from '../engine/engine-types.js';
import { startTdsTestServer, type TdsTestServer } from '../index.js';
import { FakeEngine } from '../testing/fake-engine.js';

describe('mssql ConnectionPool against the server', () => {
  let server: TdsTestServer;
  let pool: sql.ConnectionPool;
  const engine = new FakeEngine();
  const rpcs: Array<{ procName: string; parameters: readonly RpcParameter[] }> = [];

  beforeAll(async () => {
    server = await startTdsTestServer({ engine, log: () => undefined });
    engine.script.rpc = (procName, parameters): EngineEvent[] => {
      rpcs.push({ procName, parameters });
      const statement = parameters[0]?.value;
      if (procName === 'sp_executesql' && typeof statement === 'string' && statement.startsWith('select @id')) {
        return [
          {
            kind: 'columns',
            columns: [
              { name: 'id', type: 'int', nullable: false },
              { name: 'name', type: 'nvarchar', length: 20, nullable: true },
            ],
          },
          { kind: 'row', values: [parameters.find((p) => p.name === '@id')!.value, 'ü'] },
          { kind: 'row', values: [2, null] },
          { kind: 'done', rowCount: 2 },
          { kind: 'returnStatus', value: 0 },
        ];
      }
      if (procName === 'sp_prepare') {
        return [
          {
            kind: 'returnValue',
            ordinal: 1,
            name: '@handle',
            type: { name: '@handle', type: 'int', nullable: true },
            value: 3,
          },
        ];
      }
      if (procName === 'sp_execute') {
        return [
          { kind: 'columns', columns: [{ name: 'v', type: 'int', nullable: false }] },
          { kind: 'row', values: [parameters[1]!.value] },
          { kind: 'done', rowCount: 1 },
        ];
      }
      if (procName === 'add_one') {
        const input = parameters.find((p) => p.name === '@n')!.value as number;
        return [
          { kind: 'returnStatus', value: 42 },
          {
            kind: 'returnValue',
            ordinal: 2,
            name: '@result',
            type: { name: '@result', type: 'int', nullable: true },
            value: input + 1,
          },
        ];
      }
      return [{ kind: 'done', rowCount: null }];
    };
    pool = new sql.ConnectionPool({
      server: '127.0.0.1',
      port: server.port,
      user: 'tester',
      password: 'secret',
      database: 'pooldb',
      options: { encrypt: false, trustServerCertificate: true },
      pool: { min: 0, max: 2 },
    });
    await pool.connect();
  });
  afterAll(async () => {
    await pool.close();
    await server.close();
  });

  it('runs a parameterised query and returns the recordset', async () => {
    const result = await pool.request().input('id', sql.Int, 5).query('select @id as id, name from t');
    expect(result.recordset).toEqual([
      { id: 5, name: 'ü' },
      { id: 2, name: null },
    ]);
    expect(result.rowsAffected).toEqual([2]);
    // mssql reports tedious' dataLength: bytes, so nvarchar(20) is 40 — as with a real SQL Server.
    expect(result.recordset.columns.name).toMatchObject({ nullable: true, length: 40 });
    const call = rpcs.find(
      (r) => r.procName === 'sp_executesql' && r.parameters[0]!.value === 'select @id as id, name from t',
    )!;
    expect(call.parameters.find((p) => p.name === '@id')).toMatchObject({ type: { type: 'int' }, value: 5 });
  });

  it('executes a procedure with an OUTPUT parameter and a return value', async () => {
    const result = await pool.request().input('n', sql.Int, 41).output('result', sql.Int).execute('add_one');
    expect(result.output).toEqual({ result: 42 });
    expect(result.returnValue).toBe(42);
  });

  it('prepares and executes a statement (sp_prepare / sp_execute by name)', async () => {
    const statement = new sql.PreparedStatement(pool);
    statement.input('v', sql.Int);
    await statement.prepare('select @v as v');
    const result = await statement.execute({ v: 9 });
    await statement.unprepare();
    expect(result.recordset).toEqual([{ v: 9 }]);
    expect(rpcs.map((r) => r.procName)).toEqual(expect.arrayContaining(['sp_prepare', 'sp_execute', 'sp_unprepare']));
  });

  it("connects even with mssql's default encrypt: true (tedious only starts TLS when the server asks)", async () => {
    const encrypted = new sql.ConnectionPool({
      server: '127.0.0.1',
      port: server.port,
      user: 'tester',
      password: 'secret',
      options: { trustServerCertificate: true },
    });
    await encrypted.connect();
    expect((await encrypted.request().query('select 1')).rowsAffected).toEqual([]);
    await encrypted.close();
  });

  it('rejects a wrong password with ELOGIN', async () => {
    const bad = new sql.ConnectionPool({
      server: '127.0.0.1',
      port: server.port,
      user: 'tester',
      password: 'nope',
      options: { encrypt: false },
    });
    await expect(bad.connect()).rejects.toMatchObject({ code: 'ELOGIN', message: "Login failed for user 'tester'." });
  });
});
