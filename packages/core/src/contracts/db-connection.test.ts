import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConnectionState } from './connection-state.js';
import type { StateChangeEvent } from './db-connection.js';
import {
  ArgumentError,
  ConnectionStringError,
  DbError,
  DbErrorCategory,
  DbTimeoutError,
  InvalidOperationError,
  OperationCanceledError,
} from '../errors/errors.js';
import type { InfoMessage } from '../providers/provider-spi.js';
import { MemoryProviderFactory, type MemoryConnection } from '../testing/memory-provider.js';
import { rejectionOf, thrownBy, turns } from '../testing/test-support.js';

const connections: MemoryConnection[] = [];

/** A closed connection on a fresh server, closed again after the test. */
function connect(connectionString = 'Database=test') {
  const factory = new MemoryProviderFactory();
  const connection = factory.createConnection(connectionString);
  connections.push(connection);
  return { factory, server: factory.server, connection };
}

/** Records the connection's stateChange events as 'From→To'. */
function recordStates(connection: MemoryConnection): string[] {
  const changes: string[] = [];
  connection.on('stateChange', (event: StateChangeEvent) =>
    changes.push(`${event.originalState}→${event.currentState}`),
  );
  return changes;
}

afterEach(async () => {
  vi.useRealTimers();
  for (const connection of connections.splice(0)) await connection.close();
});

describe('defaults of a new connection', () => {
  it('is Closed with an empty connection string, database and data source', () => {
    const connection = new MemoryProviderFactory().createConnection();
    expect(connection.state).toBe(ConnectionState.Closed);
    expect(connection.connectionString).toBe('');
    expect(connection.database).toBe('');
    expect(connection.dataSource).toBe('');
    expect(connection.sessionId).toBeUndefined();
    expect(connection.asynchronousProcessing).toBe(false);
  });

  it('throws InvalidOperationError from serverVersion while closed', () => {
    const { connection } = connect();
    const error = thrownBy(() => connection.serverVersion);
    expect(error).toBeInstanceOf(InvalidOperationError);
    expect((error as Error).message).toBe(
      "serverVersion requires an open and available Connection. The connection's current state is closed.",
    );
  });

  it('returns its factory as providerFactory', () => {
    const { factory, connection } = connect();
    expect(connection.providerFactory).toBe(factory);
  });
});

describe('connectionString', () => {
  it('round-trips exactly the text set, and coerces null to the empty string', () => {
    const { connection } = connect();
    connection.connectionString = 'database = x ;  async=YES';
    expect(connection.connectionString).toBe('database = x ;  async=YES');
    connection.connectionString = null;
    expect(connection.connectionString).toBe('');
  });

  it('refuses an unknown keyword at set time with ConnectionStringError, keeping the previous value', () => {
    const { connection } = connect('Database=test');
    const error = thrownBy(() => (connection.connectionString = 'xyzzy=Invalid'));
    expect(error).toBeInstanceOf(ConnectionStringError);
    // Located, never quoted: an unknown key may be part of a password (issue 13 item 1).
    expect((error as Error).message).toMatch(/Keyword not supported: the keyword of the pair starting at index 0/);
    expect((error as Error).message).not.toMatch(/xyzzy/);
    expect(connection.connectionString).toBe('Database=test');
    expect(() => new MemoryProviderFactory().createConnection('xyzzy=1')).toThrow(ConnectionStringError);
  });

  it('cannot be set while open', async () => {
    const { connection } = connect();
    await connection.open();
    const error = thrownBy(() => (connection.connectionString = 'Database=other'));
    expect(error).toBeInstanceOf(InvalidOperationError);
    expect((error as Error).message).toBe(
      "Not allowed to change the 'ConnectionString' property. The connection's current state is open.",
    );
  });

  it('hides the password once open unless Persist Security Info=true', async () => {
    const { connection } = connect('Database=test;Password=s3cret');
    expect(connection.connectionString).toContain('s3cret');
    await connection.open();
    expect(connection.connectionString).not.toContain('s3cret');
    expect(connection.connectionString).not.toMatch(/password/i);
    await connection.close();
    expect(connection.connectionString).not.toContain('s3cret');
    await connection.open();
    expect(connection.state).toBe(ConnectionState.Open);
  });

  it('keeps the password with Persist Security Info=true', async () => {
    const { connection } = connect('Database=test;Password=s3cret;Persist Security Info=true');
    await connection.open();
    expect(connection.connectionString).toBe('Database=test;Password=s3cret;Persist Security Info=true');
  });

  it('setting it again after a close shows the new text, password included', async () => {
    const { connection } = connect('Database=test;Password=a');
    await connection.open();
    await connection.close();
    connection.connectionString = 'Database=test;Password=b';
    expect(connection.connectionString).toBe('Database=test;Password=b');
  });
});

describe('open', () => {
  it('raises stateChange Closed→Connecting→Open, then Open→Closed on close', async () => {
    const { connection } = connect();
    const states = recordStates(connection);
    await connection.open();
    expect(connection.state).toBe(ConnectionState.Open);
    await connection.close();
    expect(states).toEqual(['Closed→Connecting', 'Connecting→Open', 'Open→Closed']);
  });

  it('reports database, dataSource and serverVersion once open', async () => {
    const { connection } = connect('Database=shop');
    await connection.open();
    expect(connection.database).toBe('shop');
    expect(connection.dataSource).toBe('memory');
    expect(connection.serverVersion).toBe('Memory 1.0');
    await connection.close();
    expect(connection.database).toBe('');
  });

  it('throws InvalidOperationError without a connection string', async () => {
    const { connection } = connect('');
    const error = await rejectionOf(connection.open());
    expect(error).toBeInstanceOf(InvalidOperationError);
    expect((error as Error).message).toBe('The ConnectionString property has not been initialized.');
  });

  it('cannot be called twice', async () => {
    const { connection } = connect();
    await connection.open();
    const error = await rejectionOf(connection.open());
    expect(error).toBeInstanceOf(InvalidOperationError);
    expect((error as Error).message).toBe("The connection was not closed. The connection's current state is open.");
  });

  it('cannot be called while connecting', async () => {
    const { connection } = connect('Database=test;Open Delay=50');
    const opening = connection.open();
    expect(((await rejectionOf(connection.open())) as Error).message).toMatch(/current state is connecting/);
    await opening;
  });

  it("times out with DbTimeoutError of kind 'connect' (Open Delay + Connect Timeout=1)", async () => {
    const { connection } = connect('Database=test;Open Delay=5000;Connect Timeout=1');
    const states = recordStates(connection);
    const error = await rejectionOf(connection.open());
    expect(error).toBeInstanceOf(DbTimeoutError);
    expect((error as DbTimeoutError).kind).toBe('connect');
    expect(connection.state).toBe(ConnectionState.Closed);
    expect(states).toEqual(['Closed→Connecting', 'Connecting→Closed']);
  });

  it('rejects with the provider error and goes back to Closed', async () => {
    const { connection, server } = connect('Database=test;Fail Open=true');
    const error = await rejectionOf(connection.open());
    expect(error).toBeInstanceOf(DbError);
    expect((error as DbError).category).toBe(DbErrorCategory.PermissionDenied);
    expect(connection.state).toBe(ConnectionState.Closed);
    expect(server.openSessions).toBe(0);
  });

  it('is canceled by its AbortSignal', async () => {
    const { connection } = connect('Database=test;Open Delay=5000');
    const controller = new AbortController();
    const opening = connection.open({ signal: controller.signal });
    await turns();
    controller.abort('enough');
    const error = await rejectionOf(opening);
    expect(error).toBeInstanceOf(OperationCanceledError);
    expect(connection.state).toBe(ConnectionState.Closed);
  });

  it('is canceled by close() during Connecting', async () => {
    const { connection, server } = connect('Database=test;Open Delay=5000');
    const outcome = rejectionOf(connection.open());
    await turns();
    await connection.close();
    expect(await outcome).toBeInstanceOf(OperationCanceledError);
    expect(connection.state).toBe(ConnectionState.Closed);
    expect(server.openSessions).toBe(0);
  });
});

describe('close', () => {
  it('can be called before open, and raises no event', async () => {
    const { connection } = connect();
    const states = recordStates(connection);
    await connection.close();
    expect(connection.state).toBe(ConnectionState.Closed);
    expect(states).toEqual([]);
  });

  it('is idempotent, also when called concurrently', async () => {
    const { connection, server } = connect();
    const states = recordStates(connection);
    await connection.open();
    await Promise.all([connection.close(), connection.close()]);
    await connection.close();
    expect(states.filter((change) => change.endsWith('→Closed'))).toEqual(['Open→Closed']);
    expect(server.openSessions).toBe(0);
  });

  it('returns the session and allows a reopen', async () => {
    const { connection, server } = connect();
    await connection.open();
    await connection.close();
    await connection.open();
    expect(await connection.createCommand('UPDATE 1').executeNonQuery()).toBe(1);
    await connection.close();
    expect(server.openSessions).toBe(0);
    expect(server.destroyedSessions).toBe(0);
  });

  it('cancels a running command, whose Promise rejects with InvalidOperationError', async () => {
    const { connection, server } = connect();
    await connection.open();
    const outcome = rejectionOf(connection.createCommand('DELAY 5000').executeNonQuery());
    await turns();
    await connection.close();
    const error = await outcome;
    expect(error).toBeInstanceOf(InvalidOperationError);
    expect((error as Error).message).toBe('Invalid operation. The connection is closed.');
    expect(server.cancellations).toBe(1);
    expect(server.destroyedSessions).toBe(0);
  });

  it('ends a pending transaction', async () => {
    const { connection } = connect();
    await connection.open();
    const transaction = await connection.beginTransaction();
    await connection.close();
    expect(transaction.isCompleted).toBe(true);
    expect(transaction.connection).toBeNull();
    expect(await rejectionOf(transaction.commit())).toBeInstanceOf(InvalidOperationError);
  });

  it('await using closes the connection', async () => {
    const { connection, server } = connect();
    {
      await using opened = connection;
      await opened.open();
    }
    expect(connection.state).toBe(ConnectionState.Closed);
    expect(server.openSessions).toBe(0);
  });

  it('destroys the session when the provider did not settle after a cancel', async () => {
    const { connection, server } = connect();
    await connection.open();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const command = connection.createCommand('STUBBORN 60000');
    const outcome = rejectionOf(command.executeNonQuery());
    await vi.advanceTimersByTimeAsync(10);
    command.cancel();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(await outcome).toBeInstanceOf(OperationCanceledError);
    expect(connection.state).toBe(ConnectionState.Broken);
    await connection.close();
    expect(server.destroyedSessions).toBe(1);
    expect(server.openSessions).toBe(0);
  });
});

describe('events and lost sessions', () => {
  it('raises infoMessage for server notices', async () => {
    const { connection } = connect();
    await connection.open();
    const messages: InfoMessage[] = [];
    connection.on('infoMessage', (message) => messages.push(message));
    connection.notice('table created');
    expect(messages).toEqual([{ message: 'table created', severity: 'NOTICE' }]);
  });

  it('onSessionLost: Broken, commands then fail, close works and destroys the session', async () => {
    const { connection, server } = connect();
    await connection.open();
    const states = recordStates(connection);
    connection.loseSession();
    expect(connection.state).toBe(ConnectionState.Broken);
    expect(states).toEqual(['Open→Broken']);
    const error = await rejectionOf(connection.createCommand('UPDATE 1').executeNonQuery());
    expect(error).toBeInstanceOf(InvalidOperationError);
    expect((error as Error).message).toBe(
      "executeNonQuery requires an open and available Connection. The connection's current state is broken.",
    );
    expect(await rejectionOf(connection.beginTransaction())).toBeInstanceOf(InvalidOperationError);
    await connection.close();
    expect(connection.state).toBe(ConnectionState.Closed);
    expect(states).toEqual(['Open→Broken', 'Broken→Closed']);
    expect(server.destroyedSessions).toBe(1);
    expect(server.openSessions).toBe(0);
  });

  it('onSessionLost fails the running command with a transient DbError (connection_failure)', async () => {
    const { connection } = connect();
    await connection.open();
    const running = connection.createCommand('DELAY 5000').executeReader();
    await turns();
    connection.loseSession();
    const error = await rejectionOf(running);
    expect(error).toBeInstanceOf(DbError);
    expect((error as DbError).category).toBe(DbErrorCategory.ConnectionFailure);
    expect((error as DbError).isTransient).toBe(true);
    expect(((error as DbError).cause as Error).message).toMatch(/administrator command/);
  });

  it('a broken connection can be reopened after close', async () => {
    const { connection } = connect();
    await connection.open();
    connection.loseSession();
    await connection.close();
    await connection.open();
    expect(await connection.createCommand('UPDATE 1').executeNonQuery()).toBe(1);
  });
});

describe('commands, databases and transactions', () => {
  it('createCommand binds the command to the connection and leaves its transaction unset', async () => {
    const { connection } = connect();
    await connection.open();
    const transaction = await connection.beginTransaction();
    const command = connection.createCommand('UPDATE 1');
    expect(command.connection).toBe(connection);
    expect(command.commandText).toBe('UPDATE 1');
    expect(command.transaction).toBeNull();
    await transaction.rollback();
  });

  it('changeDatabase switches the current database', async () => {
    const { connection } = connect();
    await connection.open();
    await connection.changeDatabase('other');
    expect(connection.database).toBe('other');
  });

  it('changeDatabase refuses an empty name and a closed connection', async () => {
    const { connection } = connect();
    expect(await rejectionOf(connection.changeDatabase('x'))).toBeInstanceOf(InvalidOperationError);
    await connection.open();
    expect(await rejectionOf(connection.changeDatabase(' '))).toBeInstanceOf(ArgumentError);
  });

  it('beginTransaction refuses a closed connection', async () => {
    const { connection } = connect();
    expect(await rejectionOf(connection.beginTransaction())).toBeInstanceOf(InvalidOperationError);
  });
});
