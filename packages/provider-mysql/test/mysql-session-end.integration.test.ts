import { ConnectionState, DbError, DbErrorCategory, DbTimeoutError, type StateChangeEvent } from '@asyncdb/core';
import { startFaultProxy } from '@asyncdb/testkit';
import { expect, it, vi } from 'vitest';
import { MysqlProviderFactory } from '../src/index.js';
import { connectionString, mysqlUrl, openConnection, sessionActivity, useWatcher } from './mysql-test-server.js';

const watcher = useWatcher();

/** Where the test server listens (the proxy forwards there). */
function serverAddress(): { host: string; port: number } {
  const url = new URL(mysqlUrl());
  return { host: url.hostname, port: Number(url.port || 3306) };
}

// Issue 13, item 11: a hard cancel (the soft one could not finish in 3 s) destroys the socket, so the connection
// must say Broken (with its stateChange event) instead of Open with a dead session behind it.
it('a cancel that cannot reach the server closes the socket and leaves the connection Broken, with a stateChange event', async () => {
  const proxy = await startFaultProxy(serverAddress());
  try {
    const connection = MysqlProviderFactory.instance.createConnection(
      connectionString(`Server=${proxy.host};Port=${proxy.port};Pooling=false`),
    );
    await connection.open();
    const changes: StateChangeEvent[] = [];
    connection.on('stateChange', (event) => changes.push(event));
    const command = connection.createCommand('SELECT SLEEP(10)');
    command.commandTimeout = 1;
    const started = Date.now();
    const outcome = command.executeScalar().then(
      () => undefined,
      (failure: unknown) => ({ failure, state: connection.state }),
    );
    const id = Number(connection.sessionId);
    await vi.waitFor(async () => expect((await sessionActivity(watcher(), id))?.info ?? '').toContain('SLEEP'));
    // Nothing gets through any more, not even the KILL QUERY side connection's handshake.
    proxy.stall();
    const { failure, state } = (await outcome)!;
    expect(failure).toBeInstanceOf(DbTimeoutError);
    // Issue 13, item 8: within one grace period (5 s) of the deadline, plus slack for a loaded machine.
    expect(Date.now() - started).toBeLessThan(1_000 + 5_000 + 3_000);
    expect(state).toBe(ConnectionState.Broken);
    expect(connection.state).toBe(ConnectionState.Broken);
    expect(changes).toContainEqual({ originalState: ConnectionState.Open, currentState: ConnectionState.Broken });
    const closing = Date.now();
    await connection.close();
    expect(Date.now() - closing).toBeLessThan(2_000);
    expect(connection.state).toBe(ConnectionState.Closed);
  } finally {
    await proxy.close();
  }
});

// Issue 13, item 12: the server answers a packet above max_allowed_packet with error 1153 (SQLSTATE 08S01) and
// closes the session; the caller must find the connection Broken when that failure reaches it.
it('a fatal server error (1153, packet too large) reaches the caller with the connection already Broken', async () => {
  const connection = await openConnection('Max Pool Size=1;Application Name=packet-too-large');
  const [[limit]] = (await watcher().query({ sql: 'SELECT @@max_allowed_packet', rowsAsArray: true })) as unknown as [
    [number],
  ];
  const changes: StateChangeEvent[] = [];
  connection.on('stateChange', (event) => changes.push(event));
  const huge = `SELECT '${'x'.repeat(Number(limit) + 1024)}'`;
  const { failure, state } = await connection
    .createCommand(huge)
    .executeScalar()
    .then(
      () => ({ failure: undefined, state: connection.state }),
      (error: unknown) => ({ failure: error, state: connection.state }),
    );
  expect(failure).toBeInstanceOf(DbError);
  expect(state).toBe(ConnectionState.Broken);
  expect(changes).toContainEqual({ originalState: ConnectionState.Open, currentState: ConnectionState.Broken });
  const error = failure as DbError;
  expect(error.category).toBe(DbErrorCategory.ConnectionFailure);
  expect(error.isTransient).toBe(true);
  await connection.close();
  // The pool's next session is a fresh one that works.
  const next = await openConnection('Max Pool Size=1;Application Name=packet-too-large');
  expect(await next.createCommand('SELECT 1').executeScalar()).toBe(1);
  await next.close();
});
