import { afterAll, describe, expect, it } from 'vitest';
import { ConnectionState, DbError, DbErrorCategory, type InfoMessage } from '@asyncdb/core';
import { MssqlProviderFactory } from '../src/index.js';
import { connectionString, execute, openConnection, scalar, uniqueName } from './mssql-test-helpers.js';

afterAll(() => MssqlProviderFactory.instance.clearAllPools());

describe('MssqlConnection', () => {
  it("opens one session and reports SqlClient's ServerVersion, the database, the Data Source and the SPID", async () => {
    await using connection = await openConnection();
    expect(connection.state).toBe(ConnectionState.Open);
    expect(connection.serverVersion).toMatch(/^\d{2}\.\d{2}\.\d{4}$/);
    expect(connection.database).toBe(await scalar(connection, 'SELECT DB_NAME()'));
    expect(connection.dataSource).not.toBe('');
    expect(connection.sessionId).toBe(await scalar(connection, 'SELECT @@SPID'));
    expect(connection.serverProcessId).toBe(connection.sessionId);
  });

  it('fails a login with a wrong password as permission_denied (18456, 28000), never showing the password', async () => {
    const connection = MssqlProviderFactory.instance.createConnection(connectionString({ Password: 'wrong-S3cret!', Pooling: false }));
    const error = await connection.open().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DbError);
    expect(error).toMatchObject({ category: DbErrorCategory.PermissionDenied, providerCode: 18456, sqlState: '28000', providerName: 'mssql' });
    expect(String((error as Error).message)).not.toContain('wrong-S3cret!');
    expect(connection.state).toBe(ConnectionState.Closed);
  });

  it('fails to reach a closed port as connection_failure', async () => {
    const connection = MssqlProviderFactory.instance.createConnection(connectionString({ 'Data Source': '127.0.0.1,1', Pooling: false, 'Connect Timeout': 5 }));
    await expect(connection.open()).rejects.toMatchObject({ category: DbErrorCategory.ConnectionFailure });
  });

  it('raises PRINT and RAISERROR with severity 10 as infoMessage, with the number and class', async () => {
    await using connection = await openConnection();
    const messages: InfoMessage[] = [];
    connection.on('infoMessage', (message) => messages.push(message));
    await execute(connection, "PRINT 'printed'; RAISERROR('raised %d', 10, 1, 42)");
    expect(messages.map((message) => message.message)).toEqual(['printed', 'raised 42']);
    expect(messages[1]).toMatchObject({ severity: 10, code: 50000 });
  });

  it('changeDatabase switches with USE and reports the database the server confirms', async () => {
    await using connection = await openConnection();
    const current = connection.database;
    await connection.changeDatabase(current.toUpperCase());
    expect(connection.database.toLowerCase()).toBe(current.toLowerCase());
  });

  it('returns the session to the pool reset: the same SPID, without the #temp table of its previous user', async () => {
    const keywords = { 'Application Name': uniqueName('reset') };
    const first = await openConnection(keywords);
    const spid = first.sessionId;
    await execute(first, 'CREATE TABLE #reset_probe (x int)');
    expect(await scalar(first, "SELECT CASE WHEN OBJECT_ID(N'tempdb..#reset_probe') IS NULL THEN 0 ELSE 1 END")).toBe(1);
    await first.close();
    await using second = await openConnection(keywords);
    expect(second.sessionId).toBe(spid);
    expect(await scalar(second, "SELECT CASE WHEN OBJECT_ID(N'tempdb..#reset_probe') IS NULL THEN 0 ELSE 1 END")).toBe(0);
  });

  it('rolls back a transaction left open when the connection closes, before the session is pooled', async () => {
    const table = uniqueName('tk_open_tx');
    await using setup = await openConnection();
    await execute(setup, `CREATE TABLE ${table} (id int NOT NULL PRIMARY KEY)`);
    try {
      const keywords = { 'Application Name': uniqueName('open-tx') };
      const connection = await openConnection(keywords);
      const transaction = await connection.beginTransaction();
      await transaction.createCommand(`INSERT INTO ${table} (id) VALUES (1)`).executeNonQuery();
      await connection.close();
      await using again = await openConnection(keywords);
      expect(await scalar(again, 'SELECT @@TRANCOUNT')).toBe(0);
      expect(await scalar(again, `SELECT CAST(COUNT(*) AS int) FROM ${table}`)).toBe(0);
    } finally {
      await execute(setup, `DROP TABLE ${table}`);
    }
  });

  it('Pooling=false opens a new session every time; clearPool closes the idle ones', async () => {
    const first = await openConnection({ Pooling: false });
    const spid = first.sessionId;
    await first.close();
    await using second = await openConnection({ Pooling: false });
    expect(second.sessionId).not.toBe(spid);

    const keywords = { 'Application Name': uniqueName('clear') };
    const pooled = await openConnection(keywords);
    const pooledSpid = pooled.sessionId;
    await pooled.close();
    await MssqlProviderFactory.instance.clearPool(connectionString(keywords));
    await using fresh = await openConnection(keywords);
    expect(fresh.sessionId).not.toBe(pooledSpid);
  });
});
