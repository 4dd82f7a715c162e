import { ConnectionState, DbError, DbErrorCategory, DbTimeoutError } from '@asyncdb/core';
import { startFaultProxy, type FaultProxy } from '@asyncdb/testkit';
import { afterEach, expect, it } from 'vitest';
import { MssqlConnectionStringBuilder, MssqlProviderFactory, type MssqlConnection } from '../src/index.js';
import { connectionString } from './mssql-test-helpers.js';

/** Core's grace period for a provider to settle after an abort (core's CANCEL_GRACE_MS). */
const CANCEL_GRACE_MS = 5_000;

const proxies: FaultProxy[] = [];
afterEach(async () => {
  for (const proxy of proxies.splice(0)) await proxy.close();
});

/** An unpooled connection to this run's server through a fault proxy. */
async function openThroughProxy(
  keywords: Record<string, string | number | boolean> = {},
): Promise<{ connection: MssqlConnection; proxy: FaultProxy }> {
  const builder = new MssqlConnectionStringBuilder(connectionString());
  const [host = '127.0.0.1', port = '1433'] = String(builder.get('Data Source')).split(',');
  const proxy = await startFaultProxy({ host, port: Number(port) });
  proxies.push(proxy);
  builder.set('Data Source', `${proxy.host},${proxy.port}`);
  builder.set('Pooling', false);
  for (const [keyword, value] of Object.entries(keywords)) builder.set(keyword, value);
  const connection = MssqlProviderFactory.instance.createConnection(builder.connectionString);
  await connection.open();
  return { connection, proxy };
}

// Issue 13, item 13: a server that closes the socket without an ERROR token (shutdown, failover, KILL) is a
// socket-level loss, SQLSTATE 08S01, as for a reset connection.
it('a socket the server closes under a running command fails it with connection_failure, SQLSTATE 08S01', async () => {
  const { connection, proxy } = await openThroughProxy();
  const outcome = connection
    .createCommand("WAITFOR DELAY '00:00:10'")
    .executeNonQuery()
    .then(
      () => undefined,
      (error: unknown) => error,
    );
  await new Promise((resolve) => setTimeout(resolve, 300));
  proxy.cut();
  const error = (await outcome) as DbError;
  expect(error).toBeInstanceOf(DbError);
  expect(error.category).toBe(DbErrorCategory.ConnectionFailure);
  expect(error.sqlState).toBe('08S01');
  expect(error.providerCode).toBe('ESOCKET');
  expect(error.isTransient).toBe(true);
  expect(error.cause).toMatchObject({ sqlState: '08S01', providerCode: 'ESOCKET', providerName: 'mssql' });
  expect(connection.state).toBe(ConnectionState.Broken);
  await connection.close();
});

// With Connect Retry Count=0 an idle loss makes the connection Broken at once. By default (1) the connection stays Open
// and its next command reconnects first (issue 14, idle connection resiliency): through a network cut it gets a new
// session; with the proxy gone the reconnect fails, and the command rejects with connection_failure, Broken.
it('a socket closed while the connection is idle makes it Broken (Connect Retry Count=0), or is reopened by the next command', async () => {
  const { connection, proxy } = await openThroughProxy({ 'Connect Retry Count': 0 });
  proxy.cut();
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(connection.state).toBe(ConnectionState.Broken);
  await connection.close();

  const resilient = await openThroughProxy({ 'Connect Timeout': 2 });
  const spid = resilient.connection.serverProcessId;
  resilient.proxy.cut();
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(resilient.connection.state).toBe(ConnectionState.Open);
  expect(await resilient.connection.createCommand('SELECT 5').executeScalar()).toBe(5);
  expect(resilient.connection.serverProcessId).not.toBe(spid);

  await resilient.proxy.close();
  await new Promise((resolve) => setTimeout(resolve, 300));
  const error = await resilient.connection
    .createCommand('SELECT 1')
    .executeScalar()
    .then(
      () => undefined,
      (rejection: unknown) => rejection,
    );
  expect(error).toBeInstanceOf(DbError);
  expect((error as DbError).category).toBe(DbErrorCategory.ConnectionFailure);
  expect((error as Error).message).toMatch(/Reconnecting failed \(Connect Retry Count=1\)/);
  expect(resilient.connection.state).toBe(ConnectionState.Broken);
  await resilient.connection.close();
});

// Issue 13, item 8: on a network that went silent, a timed-out command gets one grace period to settle (the
// ATTENTION is never acknowledged), and closing the connection does not wait on the dead socket.
// The bound is deadline + one grace + 3 s of slack for a loaded machine.
it('a command timeout on a stalled network rejects within one grace period; close returns at once', async () => {
  const { connection, proxy } = await openThroughProxy();
  const command = connection.createCommand("WAITFOR DELAY '00:00:20'");
  command.commandTimeout = 1;
  const started = Date.now();
  const outcome = command.executeNonQuery().then(
    () => undefined,
    (error: unknown) => error,
  );
  await new Promise((resolve) => setTimeout(resolve, 300));
  proxy.stall();
  const error = await outcome;
  expect(error).toBeInstanceOf(DbTimeoutError);
  expect(Date.now() - started).toBeLessThan(1_000 + CANCEL_GRACE_MS + 3_000);
  const closing = Date.now();
  await connection.close();
  expect(Date.now() - closing).toBeLessThan(2_000);
});
