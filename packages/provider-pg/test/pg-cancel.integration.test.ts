import { CommandBehavior, DbError, DbTimeoutError, InvalidOperationError, OperationCanceledError } from '@asyncdb/core';
import { afterAll, describe, expect, it } from 'vitest';
import { PgProviderFactory, type PgConnection } from '../src/index.js';
import { pgCancelRequestStats } from '../src/pg-cancel-request.js';
import { backendState, eventually, openConnection, scalar } from './pg-integration-helpers.js';

afterAll(async () => {
  await PgProviderFactory.instance.clearAllPools();
});

/** Resolves once the backend of `connection` is executing a statement. */
async function untilActive(connection: PgConnection): Promise<void> {
  await eventually(async () => (await backendState(connection.sessionId)) === 'active');
}

/** The cause chain of an error down to the server's DbError. */
function serverCause(error: unknown): DbError | undefined {
  for (let current = error; current instanceof Error; current = current.cause) {
    if (current instanceof DbError && current.sqlState !== undefined) return current;
  }
  return undefined;
}

describe('cancellation on the server', () => {
  it('command.cancel() stops pg_sleep(30) on the server; the session is idle and usable after', async () => {
    await using connection = await openConnection();
    const command = connection.createCommand('SELECT pg_sleep(30)');
    const running = command.executeScalar().catch((caught: unknown) => caught);
    await untilActive(connection);
    command.cancel();
    const error = await running;
    expect(error).toBeInstanceOf(OperationCanceledError);
    expect(serverCause(error)?.sqlState).toBe('57014');
    // The provider settles only after ReadyForQuery, so the backend is already idle when the promise rejects.
    expect(await backendState(connection.sessionId)).toBe('idle');
    expect(await scalar(connection, 'SELECT 1')).toBe(1);
  });

  it('commandTimeout cancels on the server with DbTimeoutError of kind command', async () => {
    await using connection = await openConnection();
    const command = connection.createCommand('SELECT pg_sleep(30)');
    command.commandTimeout = 1;
    const error = await command.executeScalar().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DbTimeoutError);
    expect((error as DbTimeoutError).kind).toBe('command');
    expect(serverCause(error)?.sqlState).toBe('57014');
    expect(await backendState(connection.sessionId)).toBe('idle');
    expect(await scalar(connection, 'SELECT 2')).toBe(2);
  });

  it('an AbortSignal cancels on the server and keeps its reason', async () => {
    await using connection = await openConnection();
    const controller = new AbortController();
    const running = connection
      .createCommand('SELECT pg_sleep(30)')
      .executeNonQuery({ signal: controller.signal })
      .catch((caught: unknown) => caught);
    await untilActive(connection);
    const reason = new Error('user navigated away');
    controller.abort(reason);
    const error = await running;
    expect(error).toBeInstanceOf(OperationCanceledError);
    expect((error as OperationCanceledError).reason).toBe(reason);
    expect(await backendState(connection.sessionId)).toBe('idle');
    expect(await scalar(connection, 'SELECT 3')).toBe(3);
  });

  it('Connect Timeout and Command Timeout keywords apply to commands', async () => {
    await using connection = await openConnection({ 'Command Timeout': 1 });
    const error = await scalar(connection, 'SELECT pg_sleep(30)').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DbTimeoutError);
    expect(await scalar(connection, 'SELECT 4')).toBe(4);
  });

  it('cancels a statement that runs while a reader is open between fetches', async () => {
    await using connection = await openConnection();
    const command = connection.createCommand(
      'SELECT g, CASE WHEN g = 1500 THEN pg_sleep(30) END FROM generate_series(1, 2000) g',
    );
    const reader = await command.executeReader();
    let count = 0;
    const reading = (async () => {
      while (await reader.read()) count += 1;
    })().catch((caught: unknown) => caught);
    await untilActive(connection);
    command.cancel();
    expect(await reading).toBeInstanceOf(OperationCanceledError);
    expect(count).toBeGreaterThanOrEqual(1000);
    expect(reader.isClosed).toBe(true);
    expect(await scalar(connection, 'SELECT 5')).toBe(5);
  });

  it('closing the connection stops the statement running on it', async () => {
    const connection = await openConnection({ 'Max Pool Size': 1, 'Application Name': 'asyncdb-close-cancel' });
    const pid = connection.sessionId;
    const running = scalar(connection, 'SELECT pg_sleep(30)').catch((caught: unknown) => caught);
    await untilActive(connection);
    await connection.close();
    expect(await running).toBeInstanceOf(InvalidOperationError);
    expect(await backendState(pid)).toBe('idle');
  });

  it('cancels from the APM surface with IAsyncResult.abort()', async () => {
    await using connection = await openConnection({ 'Asynchronous Processing': true });
    const command = connection.createCommand('SELECT pg_sleep(30)');
    const result = command.beginExecuteNonQuery();
    await untilActive(connection);
    result.abort();
    await expect(command.endExecuteNonQuery(result)).rejects.toBeInstanceOf(OperationCanceledError);
    expect(result.status).toBe('canceled');
    expect(await scalar(connection, 'SELECT 6')).toBe(6);
  });
});

describe('the late-cancel guard', () => {
  it('sends no CancelRequest when nothing runs', async () => {
    await using connection = await openConnection();
    const command = connection.createCommand('SELECT 1');
    const before = pgCancelRequestStats.sent;
    command.cancel();
    expect(await command.executeScalar()).toBe(1);
    command.cancel();
    expect(pgCancelRequestStats.sent).toBe(before);
  });

  it.each([
    {
      // Pipelined: the server is still in the statement, blocked on a full socket, so the cancel reaches it.
      title: 'cancels on the server a reader paused while the server is still sending its rows',
      sql: 'SELECT g, repeat(md5(g::text), 8) FROM generate_series(1, 1000000) g',
      behavior: CommandBehavior.Default,
      cancelRequests: 1,
    },
    {
      // Statement by statement: the backend is idle between Executes; the reader just stops and closes the portal.
      title: 'sends no CancelRequest for a reader paused on a suspended portal (KeyInfo), which then fails as canceled',
      sql: 'SELECT g FROM generate_series(1, 100000) g',
      behavior: CommandBehavior.KeyInfo,
      cancelRequests: 0,
    },
  ])('$title', async ({ sql, behavior, cancelRequests }) => {
    await using connection = await openConnection();
    const command = connection.createCommand(sql);
    const reader = await command.executeReader(behavior);
    expect(await reader.read()).toBe(true);
    const before = pgCancelRequestStats.sent;
    command.cancel();
    await expect(
      (async () => {
        while (await reader.read()) {
          // The rows already fetched may still be read; the next fetch fails.
        }
      })(),
    ).rejects.toBeInstanceOf(OperationCanceledError);
    expect(pgCancelRequestStats.sent).toBe(before + cancelRequests);
    expect(await scalar(connection, 'SELECT 7')).toBe(7);
  });

  it('never lets a cancel meant for one statement cancel the next one', async () => {
    await using connection = await openConnection();
    // Cancel at every point of a short statement's life, including just after it completed; the statement that
    // follows on the same session must never be hit.
    for (let attempt = 0; attempt < 40; attempt += 1) {
      const command = connection.createCommand('SELECT pg_sleep(0.005)');
      const controller = new AbortController();
      const running = command.executeScalar({ signal: controller.signal }).then(
        () => 'completed',
        (error: unknown) => (error instanceof OperationCanceledError ? 'canceled' : error),
      );
      setTimeout(() => controller.abort(), attempt % 10);
      const outcome = await running;
      expect(['completed', 'canceled']).toContain(outcome);
      controller.abort();
      expect(await scalar(connection, 'SELECT 42 FROM pg_sleep(0.002)')).toBe(42);
      expect(await scalar(connection, 'SELECT 43')).toBe(43);
    }
  });
});
