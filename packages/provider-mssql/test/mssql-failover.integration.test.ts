import diagnosticsChannel from 'node:diagnostics_channel';
import { createServer, type Server, type Socket } from 'node:net';
import { AllHostsFailedError, ConnectionState, ConnectionStringError, DbError, DbErrorCategory } from '@asyncdb/core';
import { createPgEngine, startTdsTestServer, type TdsTestServer } from '@asyncdb/tds-test-server';
import { resolvePostgres, type ServerHandle } from '@asyncdb/test-servers';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MssqlConnectionStringBuilder, MssqlProviderFactory, type MssqlConnection } from '../src/index.js';
import { eventually } from './mssql-test-helpers.js';

// Issue 14 (mssql): Failover Partner, one Connect Timeout budget for the pair, one error naming each server, the
// server actually used in dataSource, and idle connection resiliency (Connect Retry Count). Two TDS test servers over
// real sockets (over the PostgreSQL of @asyncdb/test-servers, also when ASYNCDB_MSSQL_URL names a real SQL Server:
// failing over needs servers the test can stop).

const PASSWORD = 'failover-Test-1';
let postgres: ServerHandle;
const servers: TdsTestServer[] = [];
const factory = MssqlProviderFactory.instance;

beforeAll(async () => {
  postgres = await resolvePostgres();
});
afterAll(async () => {
  await postgres.stop();
});
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close().catch(() => {});
  await factory.clearAllPools();
});

/** A TDS test server over the run's PostgreSQL, on `port` (0 = a free one). */
async function startServer(port = 0): Promise<TdsTestServer> {
  const engine = createPgEngine({ pgUrl: postgres.url, password: PASSWORD });
  const server = await startTdsTestServer({ engine, port, log: () => {} });
  servers.push(server);
  return server;
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A server that accepts connections and never answers (a primary that hangs). */
async function startSilentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function connectionString(
  primaryPort: number,
  partnerPort: number | undefined,
  extra: Record<string, unknown> = {},
): string {
  const builder = new MssqlConnectionStringBuilder();
  builder.set('Data Source', `127.0.0.1,${primaryPort}`);
  if (partnerPort !== undefined) builder.set('Failover Partner', `127.0.0.1,${partnerPort}`);
  builder.set('User ID', 'sa');
  builder.set('Password', PASSWORD);
  builder.set('Encrypt', 'Optional');
  builder.set('Connect Timeout', 5);
  for (const [key, value] of Object.entries(extra)) builder.set(key, value as string);
  return builder.connectionString;
}

async function openOn(connectionStringText: string): Promise<MssqlConnection> {
  const connection = factory.createConnection(connectionStringText);
  await connection.open();
  return connection;
}

describe('Failover Partner', () => {
  it('uses the Data Source while it answers, the partner when it cannot be reached, and remembers the partner', async () => {
    const primary = await startServer();
    const partner = await startServer();
    const cs = connectionString(primary.port, partner.port, { Pooling: false });
    const first = await openOn(cs);
    expect(first.dataSource).toBe(`127.0.0.1,${primary.port}`);
    await first.close();

    const primaryPort = primary.port;
    await primary.close();
    const failedOver = await openOn(cs);
    expect(failedOver.dataSource).toBe(`127.0.0.1,${partner.port}`);
    // Diagnostics name the server actually used.
    const traced: Array<Record<string, unknown>> = [];
    const channel = diagnosticsChannel.tracingChannel<unknown, Record<string, unknown>>('asyncdb:command');
    const handlers = {
      start: (context: Record<string, unknown>) => void traced.push(context),
      end: () => {},
      asyncStart: () => {},
      asyncEnd: () => {},
      error: () => {},
    };
    channel.subscribe(handlers);
    try {
      expect(await failedOver.createCommand('SELECT 1').executeScalar()).toBe(1);
    } finally {
      channel.unsubscribe(handlers);
    }
    expect(traced.map((context) => [context['server.address'], context['server.port']])).toEqual([
      ['127.0.0.1', partner.port],
    ]);
    await failedOver.close();

    // The old primary is back: the partner, which answered last, is still tried first (SqlClient remembers it).
    await startServer(primaryPort);
    const remembered = await openOn(cs);
    expect(remembered.dataSource).toBe(`127.0.0.1,${partner.port}`);
    await remembered.close();

    // Now the partner goes: the Data Source takes over again.
    await partner.close();
    const back = await openOn(cs);
    expect(back.dataSource).toBe(`127.0.0.1,${primaryPort}`);
    await back.close();
  });

  it('fails over for pooled opens too: a new pooled session goes to the partner', async () => {
    const primary = await startServer();
    const partner = await startServer();
    const cs = connectionString(primary.port, partner.port);
    const first = await openOn(cs);
    expect(first.dataSource).toBe(`127.0.0.1,${primary.port}`);
    await first.close();
    await primary.close();
    await factory.clearPool(cs);
    const second = await openOn(cs);
    expect(second.dataSource).toBe(`127.0.0.1,${partner.port}`);
    await second.close();
  });

  it('Connect Timeout is the budget for the pair: a primary that never answers leaves the partner its share', async () => {
    const silent = await startSilentServer();
    try {
      const partner = await startServer();
      const connection = await openOn(
        connectionString(silent.port, partner.port, { Pooling: false, 'Connect Timeout': 4 }),
      );
      expect(connection.dataSource).toBe(`127.0.0.1,${partner.port}`);
      await connection.close();
    } finally {
      await silent.close();
    }
  });

  it('when neither server answers, one connection_failure DbError names each server and why, and keeps the per-server errors', async () => {
    const [a, b] = [await closedPort(), await closedPort()];
    const connection = factory.createConnection(connectionString(a, b, { Pooling: false }));
    const error = await connection.open().then(
      () => undefined,
      (rejection: unknown) => rejection,
    );
    expect(error).toBeInstanceOf(AllHostsFailedError);
    const failure = error as AllHostsFailedError;
    expect(failure.category).toBe(DbErrorCategory.ConnectionFailure);
    expect(failure.message).toContain(`127.0.0.1:${a}`);
    expect(failure.message).toContain(`127.0.0.1:${b}`);
    expect(failure.message).not.toContain(PASSWORD);
    expect(failure.errors).toHaveLength(2);
    expect(connection.state).toBe(ConnectionState.Closed);
  });

  it('a login the server refuses is final: the partner is not tried for a wrong password', async () => {
    const primary = await startServer();
    const partner = await startServer();
    const builder = new MssqlConnectionStringBuilder(connectionString(primary.port, partner.port, { Pooling: false }));
    builder.set('Password', 'wrong-password');
    const error = await factory
      .createConnection(builder.connectionString)
      .open()
      .then(
        () => undefined,
        (rejection: unknown) => rejection,
      );
    expect(error).toBeInstanceOf(DbError);
    expect((error as DbError).category).toBe(DbErrorCategory.PermissionDenied);
    expect((error as Error).message).not.toContain('wrong-password');
  });

  it('Failover Partner is validated like the other keywords, when the string is set: host[,port] only, the value never quoted', () => {
    for (const text of ['Data Source=a;Failover Partner=b\\INSTANCE', 'Data Source=a;FailoverPartner=b,99999']) {
      let thrown: unknown;
      try {
        factory.createConnection(text);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(ConnectionStringError);
      expect((thrown as Error).message).toMatch(/'failover partner': expected 'host' or 'host,port'/);
      expect((thrown as Error).message).not.toMatch(/INSTANCE|99999/);
    }
    expect(new MssqlConnectionStringBuilder('FailoverPartner=db2,1500').failoverPartner).toEqual({
      host: 'db2',
      port: 1500,
    });
    expect(new MssqlConnectionStringBuilder('Failover Partner=db3').failoverPartner).toEqual({
      host: 'db3',
      port: 1433,
    });
  });
});

describe('Connect Retry Count (idle connection resiliency)', () => {
  /** Kills `spid` from a connection of its own. */
  async function kill(server: TdsTestServer, spid: number): Promise<void> {
    const killer = await openOn(connectionString(server.port, undefined, { Pooling: false }));
    await killer.createCommand(`KILL ${spid}`).executeNonQuery();
    await killer.close();
  }

  it('a session that died while idle is reopened by the next command, transparently (pooled)', async () => {
    const server = await startServer();
    const connection = await openOn(connectionString(server.port, undefined, { 'Connect Retry Interval': 1 }));
    const spid = connection.serverProcessId!;
    await kill(server, spid);
    // The server closes the killed session's socket at once; give the client a moment to see it end.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(connection.state).toBe(ConnectionState.Open);
    expect(await connection.createCommand('SELECT 2').executeScalar()).toBe(2);
    expect(connection.state).toBe(ConnectionState.Open);
    expect(connection.serverProcessId).not.toBe(spid);
    await connection.close();
  });

  it('with Connect Retry Count=0, or inside a transaction, the loss is reported instead: the connection is Broken', async () => {
    const server = await startServer();
    const off = await openOn(connectionString(server.port, undefined, { Pooling: false, 'Connect Retry Count': 0 }));
    await kill(server, off.serverProcessId!);
    await eventually(async () => off.state === ConnectionState.Broken);
    await off.close();

    const inTransaction = await openOn(connectionString(server.port, undefined, { Pooling: false }));
    await inTransaction.beginTransaction();
    await kill(server, inTransaction.serverProcessId!);
    await eventually(async () => inTransaction.state === ConnectionState.Broken);
    await inTransaction.close();
  });
});
