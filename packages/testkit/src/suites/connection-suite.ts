import { expect, it } from 'vitest';
import {
  ConnectionState,
  ConnectionStringError,
  InvalidOperationError,
  OperationCanceledError,
  type DbConnection,
  type InfoMessage,
  type StateChangeEvent,
} from '@asyncdb/core';
import type { ConformanceContext } from '../conformance-context.js';
import { capabilityGate, gatedIt } from '../capability-gate.js';
import { fixtureGate, networkKeywords, requirePart, sessionRecipes } from '../fixture-parts.js';
import { rejectionOf, thrownBy } from '../helpers/rejection.js';
import { waitUntil } from '../helpers/wait-until.js';
import { asInteger } from '../helpers/integer.js';

/** The password the connection string carries for the Persist Security Info tests (the real one, if any). */
async function withPassword(
  context: ConformanceContext,
  persist: boolean,
): Promise<{ connectionString: string; password: string }> {
  await context.ready();
  const keyword = networkKeywords(context.fixture).password;
  const base = context.factory.createConnectionStringBuilder(context.connectionString());
  // Servers that trust the client ignore a password they never ask for, so a made-up one is safe there.
  const password = base.get(keyword) ?? 'asyncdb-conformance-password';
  return {
    connectionString: context.connectionString({ [keyword]: password, 'Persist Security Info': persist }),
    password,
  };
}

function recordStateChanges(connection: DbConnection): Array<[ConnectionState, ConnectionState]> {
  const changes: Array<[ConnectionState, ConnectionState]> = [];
  connection.on('stateChange', (event: StateChangeEvent) => changes.push([event.originalState, event.currentState]));
  return changes;
}

/**
 * Group 1 — Connection: defaults, state changes and `stateChange` events, open twice, close idempotent, connection
 * string set while open, server version when closed, `Persist Security Info`, `await using` (ADO.NET
 * ConnectionTestBase, docs/architecture.md).
 */
export function connectionSuite(context: ConformanceContext): void {
  const { factory, fixture } = context;
  const networkLogin = fixtureGate(fixture, 'networkLogin');

  it('a new connection has an empty connection string and is Closed', () => {
    const connection = factory.createConnection();
    expect(connection.connectionString).toBe('');
    expect(connection.state).toBe(ConnectionState.Closed);
  });

  it('setting the connection string to null coerces it to an empty string', async () => {
    await context.ready();
    const connection = factory.createConnection(context.connectionString());
    connection.connectionString = null;
    expect(connection.connectionString).toBe('');
  });

  it('the connection string is returned exactly as set while closed', async () => {
    await context.ready();
    const text = context.connectionString({ 'Max Pool Size': 7 });
    const connection = factory.createConnection();
    connection.connectionString = text;
    expect(connection.connectionString).toBe(text);
  });

  it('an unknown keyword is rejected when the connection string is set, by position and never quoted', () => {
    const connection = factory.createConnection();
    const error = thrownBy(() => {
      connection.connectionString = 'xyzzy=Invalid';
    });
    expect(error).toBeInstanceOf(ConnectionStringError);
    // An unknown key may be part of a password, so it is located, not quoted (issue 13 item 1).
    expect(error.message).toMatch(/Keyword not supported.*index 0/);
    expect(error.message).not.toMatch(/xyzzy/i);
    expect((error as ConnectionStringError).position).toBe(0);
    expect(connection.connectionString).toBe('');
  });

  it('database and dataSource are empty strings while closed', async () => {
    const connection = await context.create();
    expect(connection.database).toBe('');
    expect(connection.dataSource).toBe('');
  });

  it('serverVersion throws InvalidOperationError while closed', async () => {
    const connection = await context.create();
    expect(() => connection.serverVersion).toThrow(InvalidOperationError);
  });

  it('open without a connection string rejects with InvalidOperationError', async () => {
    const connection = factory.createConnection();
    const error = await rejectionOf(connection.open());
    expect(error).toBeInstanceOf(InvalidOperationError);
    expect(error.message).toContain('The ConnectionString property has not been initialized.');
    expect(connection.state).toBe(ConnectionState.Closed);
  });

  it('open goes Closed → Connecting → Open, raising stateChange for each step', async () => {
    const connection = await context.create();
    const changes = recordStateChanges(connection);
    const opening = connection.open();
    expect(connection.state).toBe(ConnectionState.Connecting);
    await opening;
    expect(connection.state).toBe(ConnectionState.Open);
    expect(changes).toEqual([
      [ConnectionState.Closed, ConnectionState.Connecting],
      [ConnectionState.Connecting, ConnectionState.Open],
    ]);
  });

  gatedIt(
    fixtureGate(fixture, 'sessionIds'),
    'an open connection reports database, dataSource, serverVersion and the server session id',
    async () => {
      const connection = await context.open();
      expect(connection.database).not.toBe('');
      expect(connection.dataSource).not.toBe('');
      expect(typeof connection.serverVersion).toBe('string');
      expect(connection.serverVersion).not.toBe('');
      const sessionId = await context.scalar(connection, sessionRecipes(fixture).currentSessionId);
      expect(connection.sessionId).toBeDefined();
      expect(String(connection.sessionId)).toBe(String(sessionId));
    },
  );

  it('an open connection reports database, dataSource and serverVersion', async () => {
    const connection = await context.open();
    expect(connection.database).not.toBe('');
    expect(connection.dataSource).not.toBe('');
    expect(typeof connection.serverVersion).toBe('string');
    expect(connection.serverVersion).not.toBe('');
  });

  it('open on an open connection rejects with InvalidOperationError ("The connection was not closed")', async () => {
    const connection = await context.open();
    const error = await rejectionOf(connection.open());
    expect(error).toBeInstanceOf(InvalidOperationError);
    expect(error.message).toContain('The connection was not closed.');
    expect(connection.state).toBe(ConnectionState.Open);
  });

  it('open while an open is in progress rejects with InvalidOperationError', async () => {
    const connection = await context.create();
    const first = connection.open();
    const error = await rejectionOf(connection.open());
    expect(error).toBeInstanceOf(InvalidOperationError);
    await first;
    expect(connection.state).toBe(ConnectionState.Open);
  });

  it('close goes Open → Closed, raising stateChange', async () => {
    const connection = await context.open();
    const changes = recordStateChanges(connection);
    await connection.close();
    expect(connection.state).toBe(ConnectionState.Closed);
    expect(changes).toEqual([[ConnectionState.Open, ConnectionState.Closed]]);
  });

  it('close before open does nothing', async () => {
    const connection = await context.create();
    const changes = recordStateChanges(connection);
    await connection.close();
    expect(connection.state).toBe(ConnectionState.Closed);
    expect(changes).toEqual([]);
  });

  it('close is idempotent, called twice in a row or concurrently', async () => {
    const connection = await context.open();
    const changes = recordStateChanges(connection);
    await Promise.all([connection.close(), connection.close()]);
    await connection.close();
    expect(connection.state).toBe(ConnectionState.Closed);
    expect(changes).toEqual([[ConnectionState.Open, ConnectionState.Closed]]);
  });

  it('a closed connection can be opened again and used', async () => {
    const connection = await context.open();
    await connection.close();
    await connection.open();
    expect(connection.state).toBe(ConnectionState.Open);
    expect(asInteger(await context.scalar(connection, 'SELECT 1'))).toBe(1);
  });

  it('setting the connection string while open throws InvalidOperationError; after close it is allowed', async () => {
    const connection = await context.open();
    const text = context.connectionString({ 'Max Pool Size': 5 });
    const error = thrownBy(() => {
      connection.connectionString = text;
    });
    expect(error).toBeInstanceOf(InvalidOperationError);
    expect(error.message).toContain("Not allowed to change the 'ConnectionString' property.");
    await connection.close();
    connection.connectionString = text;
    expect(connection.connectionString).toBe(text);
  });

  gatedIt(
    networkLogin,
    'Persist Security Info=false: the connection string no longer shows the password once open',
    async () => {
      const { connectionString, password } = await withPassword(context, false);
      const connection = context.track(factory.createConnection(connectionString));
      expect(connection.connectionString).toContain(password);
      await connection.open();
      const after = factory.createConnectionStringBuilder(connection.connectionString);
      expect(after.get(networkKeywords(fixture).password)).toBeUndefined();
      expect(connection.connectionString).not.toContain(password);
    },
  );

  gatedIt(networkLogin, 'Persist Security Info=true: the connection string keeps the password once open', async () => {
    const { connectionString, password } = await withPassword(context, true);
    const connection = context.track(factory.createConnection(connectionString));
    await connection.open();
    const after = factory.createConnectionStringBuilder(connection.connectionString);
    expect(after.get(networkKeywords(fixture).password)).toBe(password);
  });

  it('`await using` closes the connection at the end of the block', async () => {
    await context.ready();
    let escaped: DbConnection | undefined;
    {
      await using connection = factory.createConnection(context.connectionString());
      await connection.open();
      escaped = connection;
      expect(connection.state).toBe(ConnectionState.Open);
    }
    expect(escaped.state).toBe(ConnectionState.Closed);
  });

  it('createCommand returns a command bound to the connection, with no transaction even while one is pending', async () => {
    const connection = await context.open();
    const transaction = await connection.beginTransaction();
    const command = connection.createCommand('SELECT 1');
    expect(command.connection).toBe(connection);
    expect(command.transaction).toBeNull();
    expect(command.commandText).toBe('SELECT 1');
    await transaction.rollback();
  });

  it('providerFactory is the factory that created the connection', async () => {
    const connection = await context.create();
    expect(connection.providerFactory).toBe(factory);
  });

  it('open with an already-aborted signal rejects with OperationCanceledError and stays Closed', async () => {
    const connection = await context.create();
    const controller = new AbortController();
    controller.abort(new Error('not today'));
    const error = await rejectionOf(connection.open({ signal: controller.signal }));
    expect(error).toBeInstanceOf(OperationCanceledError);
    expect(connection.state).toBe(ConnectionState.Closed);
  });

  gatedIt(fixtureGate(fixture, 'notices'), 'a server notice or warning raises infoMessage', async () => {
    const connection = await context.open();
    const messages: InfoMessage[] = [];
    connection.on('infoMessage', (message) => messages.push(message));
    await context.nonQuery(connection, requirePart(fixture.sql.infoMessage, 'sql.infoMessage'));
    await waitUntil(() => messages.length > 0, { timeoutMs: 2_000, what: 'an infoMessage event' });
    expect(typeof messages[0]?.message).toBe('string');
    expect(messages[0]?.message).not.toBe('');
  });

  gatedIt(
    capabilityGate(context.capabilities, 'supportsChangeDatabase'),
    'changeDatabase switches the current database',
    async () => {
      const connection = await context.open();
      const current = connection.database;
      await connection.changeDatabase(current);
      expect(connection.database).toBe(current);
      expect(asInteger(await context.scalar(connection, 'SELECT 1'))).toBe(1);
      await connection.close();
      await expect(connection.changeDatabase(current)).rejects.toBeInstanceOf(InvalidOperationError);
    },
  );
}
