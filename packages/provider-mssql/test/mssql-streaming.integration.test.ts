import { afterAll, describe, expect, it } from 'vitest';
import { DbTimeoutError, OperationCanceledError } from '@asyncdb/core';
import { MssqlProviderFactory } from '../src/index.js';
import { mssqlFixture } from './mssql-fixture.js';
import { eventually, openConnection, scalar, withObserver } from './mssql-test-helpers.js';

afterAll(() => MssqlProviderFactory.instance.clearAllPools());

const rowsSql = (count: number) => mssqlFixture.sql.generateRows(count);

describe('streaming and cancellation', () => {
  it('streams a large result in order, however many rows it has', async () => {
    await using connection = await openConnection();
    let expected = 1;
    let outOfOrder = 0;
    for await (const row of await connection.createCommand(rowsSql(20_000)).executeReader()) {
      if (row.n !== expected) outOfOrder += 1;
      expected += 1;
    }
    expect(outOfOrder).toBe(0);
    expect(expected).toBe(20_001);
  });

  it('a reader that is not read holds the server back (tedious paused): the statement is still running on the server', async () => {
    await using connection = await openConnection();
    // ~13 MB: more than the socket buffers hold, little enough for the server to send it all within the pause below.
    const reader = await connection.createCommand(rowsSql(60_000)).executeReader();
    expect(await reader.read()).toBe(true);
    // Unpaused, tedious would swallow the whole result and the server would finish; paused, it waits on the socket.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const running = await withObserver((observer) =>
      scalar(observer, `SELECT command FROM sys.dm_exec_requests WHERE session_id = ${Number(connection.sessionId)}`),
    );
    expect(running).not.toBeUndefined();
    expect(await reader.read()).toBe(true);
    expect(reader.getValue(0)).toBe(2);
    await reader.close();
    await eventually(async () =>
      (await withObserver((observer) => scalar(observer, `SELECT command FROM sys.dm_exec_requests WHERE session_id = ${Number(connection.sessionId)}`))) === undefined,
    );
  });

  it('breaking out of for await cancels the rest with ATTENTION: the same session answers the next command at once', async () => {
    await using connection = await openConnection();
    const spid = connection.sessionId;
    let read = 0;
    for await (const _row of await connection.createCommand(rowsSql(1_000_000)).executeReader()) {
      read += 1;
      if (read === 10) break;
    }
    expect(read).toBe(10);
    expect(await scalar(connection, 'SELECT @@SPID')).toBe(spid);
  });

  it('cancel() stops a running WAITFOR on the server; the connection stays usable', async () => {
    await using connection = await openConnection();
    const command = connection.createCommand("WAITFOR DELAY '00:00:30'");
    const running = command.executeNonQuery();
    setTimeout(() => command.cancel(), 100);
    await expect(running).rejects.toBeInstanceOf(OperationCanceledError);
    expect(await scalar(connection, 'SELECT 1')).toBe(1);
  });

  it('an AbortSignal cancels a reader in the middle of a large result', async () => {
    await using connection = await openConnection();
    const controller = new AbortController();
    const reader = await connection.createCommand(rowsSql(1_000_000)).executeReader({ signal: controller.signal });
    const error = await (async () => {
      let read = 0;
      while (await reader.read()) {
        read += 1;
        if (read === 5000) controller.abort(new Error('enough'));
      }
    })().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OperationCanceledError);
    expect((error as OperationCanceledError).reason).toEqual(new Error('enough'));
    expect(await scalar(connection, 'SELECT 2')).toBe(2);
  });

  it('commandTimeout cancels on the server and fails with DbTimeoutError of kind command', async () => {
    await using connection = await openConnection();
    const command = connection.createCommand("WAITFOR DELAY '00:00:30'");
    command.commandTimeout = 1;
    const error = await command.executeNonQuery().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DbTimeoutError);
    expect((error as DbTimeoutError).kind).toBe('command');
    expect(await scalar(connection, 'SELECT 3')).toBe(3);
  });
});
