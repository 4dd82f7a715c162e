import { describe, expect, it } from 'vitest';
import { TdsEngineError } from './engine-types.js';
import { databaseOf } from './pg/pg-connect.js';
import { ok, openSession, PASSWORD, PG_URL, rows, testEngine } from './test-support.js';

describe('createPgEngine', () => {
  const login = { userName: 'tester', password: PASSWORD, database: '', appName: 'engine-tests', hostName: 'localhost' };

  it('rejects a wrong password with 18456', async () => {
    const error = await testEngine()
      .openSession({ ...login, userName: 'sa', password: 'wrong' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TdsEngineError);
    expect((error as TdsEngineError).tdsMessage).toEqual({ number: 18456, state: 1, severity: 14, message: "Login failed for user 'sa'." });
    expect(String((error as Error).message)).not.toContain('wrong');
  });

  it('accepts only the configured users', async () => {
    const engine = testEngine({ users: ['alice'] });
    await expect(engine.openSession({ ...login, userName: 'bob' })).rejects.toMatchObject({ tdsMessage: { number: 18456 } });
    const session = await engine.openSession({ ...login, userName: 'ALICE' });
    expect(rows(await ok(session, 'SELECT SUSER_SNAME()'))).toEqual([['ALICE']]);
    await session.close();
  });

  it('reports the backend pid as SPID and the database of pgUrl', async () => {
    const session = await openSession(testEngine());
    expect(rows(await ok(session, 'SELECT pg_backend_pid(), @@SPID, DB_NAME()'))).toEqual([[session.spid, session.spid, databaseOf(PG_URL)]]);
    expect(session.database).toBe(databaseOf(PG_URL));
    await session.close();
  });

  it('maps a login database to the PostgreSQL database of that name (master means the default)', async () => {
    const engine = testEngine();
    const named = await openSession(engine, databaseOf(PG_URL));
    expect(named.database).toBe(databaseOf(PG_URL));
    await named.close();
    const master = await openSession(engine, 'master');
    expect(master.database).toBe(databaseOf(PG_URL));
    await master.close();
    await expect(openSession(engine, 'no_such_db_anywhere')).rejects.toMatchObject({
      tdsMessage: { number: 4060, message: 'Cannot open database "no_such_db_anywhere" requested by the login. The login failed.' },
    });
  });

  it('reports its version as @@VERSION', async () => {
    const engine = testEngine({ serverVersion: 'Microsoft SQL Server 2022 test' });
    expect(engine.serverVersion).toBe('Microsoft SQL Server 2022 test');
    const session = await openSession(engine);
    expect(rows(await ok(session, 'SELECT @@VERSION'))).toEqual([['Microsoft SQL Server 2022 test']]);
    await session.close();
  });
});
