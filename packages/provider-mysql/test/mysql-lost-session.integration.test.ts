import { ConnectionState, DbError, DbErrorCategory } from '@asyncdb/core';
import { expect, it, vi } from 'vitest';
import { openConnection, sessionActivity, useWatcher } from './mysql-test-server.js';

const watcher = useWatcher();

it('a command whose session is killed fails with connection_failure, the connection already Broken, the driver error kept as cause', async () => {
  const connection = await openConnection('Max Pool Size=1;Application Name=lost-session');
  const id = Number(connection.sessionId);
  const outcome = connection
    .createCommand('SELECT SLEEP(30)')
    .executeScalar()
    .then(
      () => undefined,
      (failure: unknown) => ({ failure, state: connection.state }),
    );
  await vi.waitFor(async () => expect((await sessionActivity(watcher(), id))?.info).toContain('SLEEP'));
  await watcher().query(`KILL ${id}`);
  const { failure, state } = (await outcome)!;
  expect(state).toBe(ConnectionState.Broken);
  expect(failure).toBeInstanceOf(DbError);
  expect((failure as DbError).category).toBe(DbErrorCategory.ConnectionFailure);
  expect(((failure as DbError).cause as DbError).providerCode).toBe('PROTOCOL_CONNECTION_LOST');
  await connection.close();
});
