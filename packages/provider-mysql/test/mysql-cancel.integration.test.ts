import { DbTimeoutError, OperationCanceledError, type DbCommand } from '@asyncdb/core';
import { describe, expect, it, vi } from 'vitest';
import { MysqlProviderFactory, type MysqlConnection } from '../src/index.js';
import {
  connectionString,
  openConnection,
  scalar,
  sequenceSql,
  sessionActivity,
  useWatcher,
} from './mysql-test-server.js';

const watcher = useWatcher();

/** Resolves once the session runs a statement containing `text`, as seen from another connection. */
async function runningOnServer(connection: MysqlConnection, text: string): Promise<void> {
  await vi.waitFor(async () => {
    expect((await sessionActivity(watcher(), Number(connection.sessionId)))?.info ?? '').toContain(text);
  });
}

/** The session is idle on the server: no statement, COMMAND 'Sleep'. */
async function expectIdleOnServer(connection: MysqlConnection): Promise<void> {
  const activity = await sessionActivity(watcher(), Number(connection.sessionId));
  expect(activity).toEqual({ command: 'Sleep', info: null });
}

/** Starts a command and captures its outcome at once, so a rejection is never unhandled while the test works. */
function outcomeOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => ({ value }),
    (error: unknown) => error,
  );
}

describe('cancellation', () => {
  it('cancel() stops SELECT SLEEP(30) on the server; the session is idle and usable afterwards', async () => {
    const connection = await openConnection();
    const id = connection.sessionId;
    const command = connection.createCommand('SELECT SLEEP(30)');
    const outcome = outcomeOf(command.executeScalar());
    await runningOnServer(connection, 'SLEEP(30)');
    command.cancel();
    expect(await outcome).toBeInstanceOf(OperationCanceledError);
    await expectIdleOnServer(connection);
    expect(connection.sessionId).toBe(id);
    expect(await scalar(connection, 'SELECT 1')).toBe(1);
    await connection.close();
  });

  it('commandTimeout kills the statement with DbTimeoutError of kind command', async () => {
    const connection = await openConnection();
    const command = connection.createCommand('SELECT SLEEP(30)');
    command.commandTimeout = 1;
    const error = await outcomeOf(command.executeScalar());
    expect(error).toBeInstanceOf(DbTimeoutError);
    expect((error as DbTimeoutError).kind).toBe('command');
    await expectIdleOnServer(connection);
    expect(await scalar(connection, 'SELECT 2')).toBe(2);
    await connection.close();
  });

  it('an AbortSignal cancels with OperationCanceledError carrying the reason', async () => {
    const connection = await openConnection();
    const controller = new AbortController();
    const outcome = outcomeOf(
      connection.createCommand('SELECT SLEEP(30)').executeScalar({ signal: controller.signal }),
    );
    await runningOnServer(connection, 'SLEEP(30)');
    controller.abort('user left');
    const error = await outcome;
    expect(error).toBeInstanceOf(OperationCanceledError);
    expect((error as OperationCanceledError).reason).toBe('user left');
    await expectIdleOnServer(connection);
    expect(await scalar(connection, 'SELECT 3')).toBe(3);
    await connection.close();
  });

  it('cancels through the side connection while the pool is exhausted', async () => {
    const options = 'Max Pool Size=1;Connect Timeout=1;Application Name=cancel-exhausted';
    const connection = await openConnection(options);
    const command = connection.createCommand('SELECT SLEEP(30)');
    const outcome = outcomeOf(command.executeScalar());
    await runningOnServer(connection, 'SLEEP(30)');
    // The pool has nothing to give: an open now waits and times out…
    const waiting = MysqlProviderFactory.instance.createConnection(connectionString(options));
    await expect(waiting.open()).rejects.toMatchObject({ kind: 'pool' });
    // …yet the cancel still reaches the server.
    command.cancel();
    expect(await outcome).toBeInstanceOf(OperationCanceledError);
    expect(await scalar(connection, 'SELECT 4')).toBe(4);
    await connection.close();
  });

  it('cancels a statement of a batch and runs none of the following ones', async () => {
    const connection = await openConnection();
    const command = connection.createCommand('SET @after_cancel = 0; SELECT SLEEP(30); SET @after_cancel = 1');
    const outcome = outcomeOf(command.executeNonQuery());
    await runningOnServer(connection, 'SLEEP(30)');
    command.cancel();
    expect(await outcome).toBeInstanceOf(OperationCanceledError);
    expect(await scalar(connection, 'SELECT @after_cancel')).toBe(0n);
    await connection.close();
  });

  it('a command timeout stops a procedure that is still running when its reader is closed', async () => {
    const connection = await openConnection();
    await connection.createCommand('DROP PROCEDURE IF EXISTS cancel_slow_proc').executeNonQuery();
    await connection
      .createCommand(
        'CREATE PROCEDURE cancel_slow_proc() BEGIN SELECT 1 AS first; DO SLEEP(30); SELECT 2 AS second; END',
      )
      .executeNonQuery();
    const command = connection.createCommand('CALL cancel_slow_proc()');
    command.commandTimeout = 1;
    const reader = await command.executeReader();
    expect(await reader.read()).toBe(true);
    // Closing drains a procedure (it may have effects) instead of killing it: here the timeout kills it.
    const error = await outcomeOf(reader.close());
    expect(error).toBeInstanceOf(DbTimeoutError);
    await expectIdleOnServer(connection);
    expect(await scalar(connection, 'SELECT 8')).toBe(8);
    await connection.createCommand('DROP PROCEDURE cancel_slow_proc').executeNonQuery();
    await connection.close();
  });

  it('closing the connection cancels what runs on it and pools a clean session', async () => {
    const options = 'Max Pool Size=1;Application Name=cancel-close';
    const connection = await openConnection(options);
    const id = connection.sessionId;
    const outcome = outcomeOf(connection.createCommand('SELECT SLEEP(30)').executeScalar());
    await runningOnServer(connection, 'SLEEP(30)');
    await connection.close();
    expect(await outcome).toBeInstanceOf(Error);
    const next = await openConnection(options);
    expect(next.sessionId).toBe(id);
    await expectIdleOnServer(next);
    expect(await scalar(next, 'SELECT 5')).toBe(5);
    await next.close();
  });

  it('cancel() when nothing runs does nothing: the next statement is not interrupted', async () => {
    const connection = await openConnection();
    const command: DbCommand = connection.createCommand('SELECT 1');
    expect(await command.executeScalar()).toBe(1);
    command.cancel();
    // SLEEP returns 1 when interrupted, 0 when it slept its full time.
    command.commandText = 'SELECT SLEEP(0.2)';
    expect(await command.executeScalar()).toBe(0);
    await connection.close();
  });

  it('stops a streaming reader on the server when it is closed early', async () => {
    const connection = await openConnection();
    const reader = await connection.createCommand(sequenceSql(2_000_000)).executeReader();
    for (let i = 0; i < 10; i++) expect(await reader.read()).toBe(true);
    await reader.close();
    await expectIdleOnServer(connection);
    expect(await scalar(connection, 'SELECT 6')).toBe(6);
    await connection.close();
  });

  it('breaking out of for await closes the reader and releases the connection', async () => {
    const connection = await openConnection();
    const reader = await connection.createCommand(sequenceSql(2_000_000)).executeReader();
    let seen = 0;
    for await (const row of reader) {
      expect(typeof row['n']).toBe('bigint');
      seen += 1;
      if (seen === 5000) break;
    }
    expect(seen).toBe(5000);
    expect(reader.isClosed).toBe(true);
    expect(await scalar(connection, 'SELECT 7')).toBe(7);
    await connection.close();
  });
});
