import { createServer, type Server, type Socket } from 'node:net';
import {
  ConnectionState,
  DbError,
  DbProviderFactories,
  DbTimeoutError,
  NotSupportedError,
  OperationCanceledError,
  type InfoMessage,
  type StateChangeEvent,
} from '@asyncdb/core';
import { afterAll, describe, expect, it } from 'vitest';
import { PgConnection, PgConnectionStringBuilder, PgProviderFactory, registerPgProvider } from '../src/index.js';
import { connectionString, openConnection, pgUrl, rows, scalar } from './pg-integration-helpers.js';

afterAll(async () => {
  await PgProviderFactory.instance.clearAllPools();
});

describe('opening and closing', () => {
  it('opens, reports the session, and closes', async () => {
    const connection = new PgConnection(connectionString());
    const states: StateChangeEvent[] = [];
    connection.on('stateChange', (event) => states.push(event));
    await connection.open();
    expect(connection.state).toBe(ConnectionState.Open);
    const versionNumber = await scalar<string>(connection, 'SHOW server_version_num');
    expect(Number(connection.serverVersion.split('.')[0])).toBe(Math.floor(Number(versionNumber) / 10000));
    expect(connection.database).toBe(await scalar(connection, 'SELECT current_database()'));
    expect(connection.sessionId).toBe(await scalar(connection, 'SELECT pg_backend_pid()'));
    expect(connection.dataSource).toBe(
      `${new PgConnectionStringBuilder(pgUrl()).host}:${new PgConnectionStringBuilder(pgUrl()).port}`,
    );
    await connection.close();
    expect(connection.state).toBe(ConnectionState.Closed);
    expect(states.map((event) => event.currentState)).toEqual(['Connecting', 'Open', 'Closed']);
  });

  it('accepts a postgres:// URL as the connection string', async () => {
    await using connection = new PgConnection(pgUrl());
    await connection.open();
    expect(await scalar(connection, 'SELECT 1')).toBe(1);
  });

  it('hides the password from connectionString once open', async () => {
    const builder = new PgConnectionStringBuilder(connectionString());
    // A trust-authenticated server ignores the password; an embedded one needs the real one from its URL.
    if (!builder.containsKey('Password')) builder.set('Password', 'ignored-by-trust');
    const password = builder.getString('Password')!;
    await using connection = new PgConnection(builder.connectionString);
    expect(connection.connectionString).toContain(password);
    await connection.open();
    expect(connection.connectionString).not.toContain(password);
    expect(connection.connectionString).not.toMatch(/password/i);
  });

  it('is registered only by an explicit call, under any name', async () => {
    DbProviderFactories.unregisterFactory('pg');
    expect(DbProviderFactories.tryGetFactory('pg')).toBeUndefined();
    expect(registerPgProvider()).toBe(PgProviderFactory.instance);
    registerPgProvider('postgres');
    const factory = DbProviderFactories.getFactory('postgres');
    await using connection = factory.createConnection(connectionString());
    await connection.open();
    expect(await connection.createCommand('SELECT 2').executeScalar()).toBe(2);
    DbProviderFactories.unregisterFactory('postgres');
  });

  it('refuses to change the database of an open session', async () => {
    await using connection = await openConnection();
    await expect(connection.changeDatabase('postgres')).rejects.toBeInstanceOf(NotSupportedError);
    expect(PgProviderFactory.instance.capabilities.supportsChangeDatabase).toBe(false);
  });

  it('applies Application Name, Search Path and Timezone to the session', async () => {
    await using connection = await openConnection({
      'Application Name': 'asyncdb-app-name-test',
      'Search Path': 'pg_catalog, public',
      Timezone: 'Asia/Kolkata',
    });
    expect(
      await rows(
        connection,
        "SELECT current_setting('application_name'), current_setting('search_path'), current_setting('TimeZone')",
      ),
    ).toEqual([['asyncdb-app-name-test', 'pg_catalog, public', 'Asia/Kolkata']]);
  });
});

describe('open failures', () => {
  it('reports a database that does not exist as undefined_object with its SQLSTATE', async () => {
    const connection = new PgConnection(connectionString({ Database: 'asyncdb_no_such_database' }));
    const error = (await connection.open().catch((caught: unknown) => caught)) as DbError;
    expect(error).toBeInstanceOf(DbError);
    expect(error.sqlState).toBe('3D000');
    expect(error.category).toBe('undefined_object');
    expect(connection.state).toBe(ConnectionState.Closed);
  });

  it('reports a refused connection as a transient connection failure', async () => {
    const connection = new PgConnection('Host=127.0.0.1;Port=1;Pooling=false');
    const error = (await connection.open().catch((caught: unknown) => caught)) as DbError;
    expect(error).toBeInstanceOf(DbError);
    expect(error.category).toBe('connection_failure');
    expect(error.isTransient).toBe(true);
  });

  it('never puts the password in an authentication error', async () => {
    const connection = new PgConnection(
      connectionString({ Username: 'asyncdb_no_such_role', Password: 'hunter2-very-secret' }),
    );
    const error = (await connection.open().catch((caught: unknown) => caught)) as DbError;
    expect(error).toBeInstanceOf(DbError);
    expect(error.category).toBe('permission_denied');
    expect(`${error.message} ${String(error)}`).not.toContain('hunter2-very-secret');
  });

  describe('against a server that accepts TCP but never answers', () => {
    let server: Server;
    const sockets: Socket[] = [];
    let port = 0;

    it('times out with DbTimeoutError of kind connect, pooled or not', async () => {
      server = createServer((socket) => sockets.push(socket));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const address = server.address();
      port = typeof address === 'object' && address ? address.port : 0;
      for (const pooling of [true, false]) {
        const connection = new PgConnection(`Host=127.0.0.1;Port=${port};Connect Timeout=1;Pooling=${pooling}`);
        const error = await connection.open().catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(DbTimeoutError);
        expect((error as DbTimeoutError).kind).toBe('connect');
      }
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    });

    it('stops opening when the caller aborts', async () => {
      server = createServer((socket) => sockets.push(socket));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const address = server.address();
      port = typeof address === 'object' && address ? address.port : 0;
      const connection = new PgConnection(`Host=127.0.0.1;Port=${port};Connect Timeout=30;Pooling=false`);
      const controller = new AbortController();
      const opening = connection.open({ signal: controller.signal });
      setTimeout(() => controller.abort(new Error('user gave up')), 50);
      await expect(opening).rejects.toBeInstanceOf(OperationCanceledError);
      expect(connection.state).toBe(ConnectionState.Closed);
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    });
  });
});

describe('infoMessage', () => {
  it('raises NOTICE and WARNING messages with their severity and SQLSTATE', async () => {
    await using connection = await openConnection();
    const messages: InfoMessage[] = [];
    connection.on('infoMessage', (message) => messages.push(message));
    await connection
      .createCommand("DO $$ BEGIN RAISE NOTICE 'hello %', 42; RAISE WARNING 'careful' USING HINT = 'look'; END $$")
      .executeNonQuery();
    expect(messages).toEqual([
      { message: 'hello 42', severity: 'NOTICE', code: '00000', source: 'PostgreSQL' },
      { message: 'careful\nHINT: look', severity: 'WARNING', code: '01000', source: 'PostgreSQL' },
    ]);
  });

  it('raises notices sent while a reader streams rows', async () => {
    await using connection = await openConnection();
    const messages: string[] = [];
    connection.on('infoMessage', (message) => messages.push(message.message));
    await connection
      .createCommand(
        "CREATE FUNCTION pg_temp.noisy(n int) RETURNS int LANGUAGE plpgsql AS $$ BEGIN RAISE NOTICE 'row %', n; RETURN n; END $$",
      )
      .executeNonQuery();
    expect(await rows(connection, 'SELECT pg_temp.noisy(g) FROM generate_series(1, 5) g')).toHaveLength(5);
    expect(messages).toEqual(['row 1', 'row 2', 'row 3', 'row 4', 'row 5']);
  });
});
