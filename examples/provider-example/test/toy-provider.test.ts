import {
  CommandBehavior,
  ConnectionState,
  ConnectionStringError,
  DbError,
  DbErrorCategory,
  DbTimeoutError,
  OperationCanceledError,
  WaitHandle,
} from '@asyncdb/core';
import { execute, rows, scalar } from '@asyncdb/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { ToyProviderFactory, type ToyConnection } from '../src/index.js';

const factory = new ToyProviderFactory();
const opened: ToyConnection[] = [];

async function open(connectionString = 'Database=shop;async=true'): Promise<ToyConnection> {
  const connection = factory.createConnection(connectionString);
  opened.push(connection);
  await connection.open();
  return connection;
}

afterEach(async () => {
  for (const connection of opened.splice(0)) await connection.close();
});

describe('the example provider of docs/writing-a-provider.md', () => {
  it('opens a session and reports it', async () => {
    const connection = await open('Database=shop;Server=here');
    expect(connection.state).toBe(ConnectionState.Open);
    expect(connection.database).toBe('shop');
    expect(connection.dataSource).toBe('here');
    expect(connection.serverVersion).toBe('Toy 1.0');
    expect(typeof connection.sessionId).toBe('number');
  });

  it('rejects an unknown keyword when the connection is created, locating it', () => {
    let error: unknown;
    try {
      factory.createConnection('Database=shop;Colour=blue');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConnectionStringError);
    expect((error as ConnectionStringError).position).toBe(14);
  });

  it('binds @name parameters through the $n markers core translates them to', async () => {
    const connection = await open();
    expect(await scalar(connection, 'SELECT @b, @a', { a: 1, b: 'two' })).toBe('two');
    expect(await rows(connection, 'SELECT @a, @a, 7', { a: 5 })).toEqual([[5, 5, 7]]);
  });

  it('streams a result in the batches core asks for and splits a batch into results', async () => {
    const connection = await open();
    const command = connection.createCommand('SERIES @n; SELECT 1');
    command.parameters.addWithValue('@n', 5000);
    await using reader = await command.executeReader();
    let count = 0;
    while (await reader.read()) count += reader.getInt32(0) > 0 ? 1 : 0;
    expect(count).toBe(5000);
    expect(await reader.nextResult()).toBe(true);
    expect(await reader.read()).toBe(true);
    expect(reader.getValue(0)).toBe(1);
  });

  it('counts rows affected and describes without running under SchemaOnly', async () => {
    const connection = await open();
    expect(await execute(connection, 'INSERT 3; INSERT 4')).toBe(7);
    const command = connection.createCommand('SLEEP 60000; SERIES 2');
    const started = Date.now();
    // The SLEEP statement has no columns, so the reader starts at SERIES' description.
    await using reader = await command.executeReader(CommandBehavior.SchemaOnly);
    expect(reader.getName(0)).toBe('n');
    expect(await reader.read()).toBe(false);
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('converts the engine errors into DbError with category, providerCode and cause', async () => {
    const connection = await open();
    const error = await scalar(connection, "FAIL 'UNIQUE'").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DbError);
    expect((error as DbError).category).toBe(DbErrorCategory.UniqueViolation);
    expect((error as DbError).providerCode).toBe('UNIQUE');
    expect((error as DbError).cause).toBeInstanceOf(Error);
    expect(await scalar(connection, 'SELECT 1')).toBe(1);
  });

  it('stops a running statement on cancel() and stays usable', async () => {
    const connection = await open();
    const command = connection.createCommand('SLEEP 60000');
    const running = command.executeNonQuery();
    setTimeout(() => command.cancel(), 50);
    await expect(running).rejects.toBeInstanceOf(OperationCanceledError);
    expect(await scalar(connection, 'SELECT 2')).toBe(2);
  });

  it('stops a running statement at the command timeout', async () => {
    const connection = await open('Database=shop;Command Timeout=1');
    const error = await scalar(connection, 'SLEEP 60000').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DbTimeoutError);
    expect((error as DbTimeoutError).kind).toBe('command');
  });

  it('gets the Begin/End surface from core', async () => {
    const connection = await open();
    const command = connection.createCommand('SLEEP 20; SELECT 42');
    const result = command.beginExecuteScalar(null, 'state');
    expect(result.asyncState).toBe('state');
    expect(await WaitHandle.waitAny([result.asyncWaitHandle], 10_000)).toBe(0);
    expect(await command.endExecuteScalar(result)).toBe(42);
  });

  it('runs transactions through transactionCore', async () => {
    const connection = await open();
    const transaction = await connection.beginTransaction('Serializable');
    const command = transaction.createCommand('SELECT 1');
    expect(await command.executeScalar()).toBe(1);
    await transaction.commit();
    expect(connection.transactionLog).toEqual(['BEGIN Serializable', 'COMMIT']);
  });
});
