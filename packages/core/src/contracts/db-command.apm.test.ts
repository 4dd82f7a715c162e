import { afterEach, describe, expect, it } from 'vitest';
import { CommandBehavior } from './command-behavior.js';
import { ConnectionState } from './connection-state.js';
import type { DbCommand } from './db-command.js';
import { DbDataReader } from './db-data-reader.js';
import { DbXmlReader } from './db-xml-reader.js';
import { WaitHandle } from '../async/wait-handle.js';
import { DbAsyncResult, type IAsyncResult } from '../async/async-result.js';
import {
  ArgumentError,
  DbError,
  DbErrorCategory,
  DbTimeoutError,
  InvalidOperationError,
  NotSupportedError,
  OperationCanceledError,
} from '../errors/errors.js';
import { MemoryProviderFactory, type MemoryConnection } from '../testing/memory-provider.js';
import type { MemoryServer } from '../testing/memory-server.js';
import { openConnection, recordProcessEvents, rejectionOf, thrownBy, turns } from '../testing/test-support.js';

const ASYNC_REQUIRED =
  'This command requires an asynchronous connection. Set "Asynchronous Processing=true" in the connection string.';

const connections: MemoryConnection[] = [];
const servers: MemoryServer[] = [];

/** An open `async=true` connection on a fresh server, closed after the test. */
async function open(connectionString = 'Database=test;async=true', factory?: MemoryProviderFactory) {
  const opened = await openConnection(connectionString, factory);
  connections.push(opened.connection);
  servers.push(opened.server);
  return opened;
}

/** A closed connection, closed again after the test in case it was opened. */
function closedConnection(connectionString = 'Database=test;async=true'): MemoryConnection {
  const factory = new MemoryProviderFactory();
  const connection = factory.createConnection(connectionString);
  connections.push(connection);
  servers.push(factory.server);
  return connection;
}

afterEach(async () => {
  for (const connection of connections.splice(0)) await connection.close();
  for (const server of servers.splice(0)) expect(server.violations).toEqual([]);
});

/**
 * The ASYNCDB_END_NOT_CALLED warnings emitted while `action` runs and a few turns after it (close() warns once the
 * connection is closed, on a later turn).
 */
async function endNotCalledWarnings(action: () => Promise<void>): Promise<Array<Error & { code?: string }>> {
  const warnings = recordProcessEvents<Error & { code?: string }>('warning');
  try {
    await action();
    await turns();
    return warnings.events.filter((warning) => warning.code === 'ASYNCDB_END_NOT_CALLED');
  } finally {
    warnings.dispose();
  }
}

describe('begin*: the IAsyncResult', () => {
  it('returns at once with an IAsyncResult that is not completed', async () => {
    const { connection } = await open();
    const command = connection.createCommand('DELAY 100; UPDATE 1');
    const result = command.beginExecuteNonQuery();
    expect(result).toBeInstanceOf(DbAsyncResult);
    expect(result.isCompleted).toBe(false);
    expect(result.status).toBe('running');
    expect(await command.endExecuteNonQuery(result)).toBe(1);
  });

  it('reports completedSynchronously false, even for an operation that finishes at once', async () => {
    const { connection } = await open();
    const command = connection.createCommand('COMMENT');
    const result = command.beginExecuteNonQuery();
    expect(result.completedSynchronously).toBe(false);
    await command.endExecuteNonQuery(result);
    expect(result.completedSynchronously).toBe(false);
  });

  it('exposes the state object passed to begin* as asyncState', async () => {
    const { connection } = await open();
    const state = { request: 42 };
    const command = connection.createCommand('ROWS 1');
    const result = command.beginExecuteReader(null, state);
    expect(result.asyncState).toBe(state);
    const reader = await command.endExecuteReader(result);
    await reader.close();
  });

  it('invokes the callback exactly once, after begin* returned, with the IAsyncResult', async () => {
    const { connection } = await open();
    const command = connection.createCommand('COMMENT');
    let returned = false;
    const calls: Array<{ result: IAsyncResult; afterReturn: boolean; completed: boolean }> = [];
    let done!: () => void;
    const called = new Promise<void>((resolve) => (done = resolve));
    const result = command.beginExecuteNonQuery((ar) => {
      calls.push({ result: ar, afterReturn: returned, completed: ar.isCompleted });
      done();
    }, 'state');
    returned = true;
    await called;
    await turns(5);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.result).toBe(result);
    expect(calls[0]!.afterReturn).toBe(true);
    expect(calls[0]!.completed).toBe(true);
    expect(await command.endExecuteNonQuery(result)).toBe(-1);
  });

  it('invokes the callback of a failed operation once, and End inside it rejects with the error', async () => {
    const { connection } = await open();
    const command = connection.createCommand('FAIL boom');
    let returned = false;
    let calls = 0;
    const outcome = new Promise<unknown>((resolve) => {
      command.beginExecuteNonQuery((ar) => {
        calls += 1;
        expect(returned).toBe(true);
        resolve(rejectionOf(command.endExecuteNonQuery(ar)));
      });
    });
    returned = true;
    const error = await outcome;
    await turns(5);
    expect(calls).toBe(1);
    expect(error).toBeInstanceOf(DbError);
    expect((error as DbError).message).toBe('boom');
  });

  it('can be polled with isCompleted', async () => {
    const { connection } = await open();
    const command = connection.createCommand('DELAY 30; UPDATE 2');
    const result = command.beginExecuteNonQuery();
    let polls = 0;
    while (!result.isCompleted) {
      polls += 1;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(polls).toBeGreaterThan(0);
    expect(result.status).toBe('completed');
    expect(await command.endExecuteNonQuery(result)).toBe(2);
  });

  it('sets asyncWaitHandle on completion: waitOne() without a timeout resolves true', async () => {
    const { connection } = await open();
    const command = connection.createCommand('DELAY 20');
    const result = command.beginExecuteNonQuery();
    expect(result.asyncWaitHandle.isSignaled).toBe(false);
    expect(await result.asyncWaitHandle.waitOne()).toBe(true);
    expect(result.isCompleted).toBe(true);
    await command.endExecuteNonQuery(result);
  });

  it('waitOne(timeout) resolves false when the operation is still running, true once it completed', async () => {
    const { connection } = await open();
    const command = connection.createCommand('DELAY 5000');
    const result = command.beginExecuteNonQuery();
    expect(await result.asyncWaitHandle.waitOne(20)).toBe(false);
    expect(result.isCompleted).toBe(false);
    result.abort();
    expect(await result.asyncWaitHandle.waitOne(10_000)).toBe(true);
    await rejectionOf(command.endExecuteNonQuery(result));
  });

  it('waitAny returns the index of the first operation to complete (three delays on three connections)', async () => {
    const commands = await Promise.all(
      ['DELAY 400', 'DELAY 20', 'DELAY 200'].map(async (text) => (await open()).connection.createCommand(text)),
    );
    const results = commands.map((command) => command.beginExecuteNonQuery());
    const handles = results.map((result) => result.asyncWaitHandle);
    const order: number[] = [];
    const remaining = [0, 1, 2];
    while (remaining.length > 0) {
      const index = await WaitHandle.waitAny(
        remaining.map((i) => handles[i]!),
        10_000,
      );
      expect(index).not.toBe(WaitHandle.WaitTimeout);
      order.push(remaining[index]!);
      remaining.splice(index, 1);
    }
    expect(order).toEqual([1, 2, 0]);
    for (const [i, command] of commands.entries()) await command.endExecuteNonQuery(results[i]!);
  });

  it('waitAny returns the lowest index when several operations already completed', async () => {
    const commands = await Promise.all([1, 2, 3].map(async () => (await open()).connection.createCommand('UPDATE 1')));
    const results = commands.map((command) => command.beginExecuteNonQuery());
    expect(
      await WaitHandle.waitAll(
        results.map((result) => result.asyncWaitHandle),
        10_000,
      ),
    ).toBe(true);
    expect(
      await WaitHandle.waitAny([results[2]!.asyncWaitHandle, results[1]!.asyncWaitHandle, results[0]!.asyncWaitHandle]),
    ).toBe(0);
    for (const [i, command] of commands.entries()) await command.endExecuteNonQuery(results[i]!);
  });

  it('waitAny returns WaitHandle.WaitTimeout (258) when nothing completes in time', async () => {
    const commands = await Promise.all([1, 2].map(async () => (await open()).connection.createCommand('DELAY 5000')));
    const results = commands.map((command) => command.beginExecuteNonQuery());
    const index = await WaitHandle.waitAny(
      results.map((result) => result.asyncWaitHandle),
      30,
    );
    expect(index).toBe(WaitHandle.WaitTimeout);
    expect(WaitHandle.WaitTimeout).toBe(258);
    for (const result of results) result.abort();
    for (const [i, command] of commands.entries()) await rejectionOf(command.endExecuteNonQuery(results[i]!));
  });

  it('waitAll resolves true once every operation completed', async () => {
    const commands = await Promise.all(
      ['DELAY 30', 'DELAY 10', 'UPDATE 1'].map(async (text) => (await open()).connection.createCommand(text)),
    );
    const results = commands.map((command) => command.beginExecuteNonQuery());
    expect(
      await WaitHandle.waitAll(
        results.map((result) => result.asyncWaitHandle),
        10_000,
      ),
    ).toBe(true);
    expect(results.every((result) => result.isCompleted)).toBe(true);
    for (const [i, command] of commands.entries()) await command.endExecuteNonQuery(results[i]!);
  });

  it('waitAll resolves false when one operation does not complete in time', async () => {
    const commands = await Promise.all(
      ['UPDATE 1', 'DELAY 5000'].map(async (text) => (await open()).connection.createCommand(text)),
    );
    const results = commands.map((command) => command.beginExecuteNonQuery());
    expect(
      await WaitHandle.waitAll(
        results.map((result) => result.asyncWaitHandle),
        50,
      ),
    ).toBe(false);
    expect(results[0]!.isCompleted).toBe(true);
    expect(results[1]!.isCompleted).toBe(false);
    results[1]!.abort();
    expect(await commands[0]!.endExecuteNonQuery(results[0]!)).toBe(1);
    await rejectionOf(commands[1]!.endExecuteNonQuery(results[1]!));
  });

  it('mixes handles from different connections, factories and operation kinds', async () => {
    const first = await open('Database=one;async=true', new MemoryProviderFactory());
    const second = await open('Database=two;async=true', new MemoryProviderFactory());
    const opening = closedConnection('Database=three;async=true;Open Delay=20');
    const reader = first.connection.createCommand('ROWS 2 DELAY 20');
    const scalar = second.connection.createCommand('VALUES [[7]]');
    const readerResult = reader.beginExecuteReader();
    const scalarResult = scalar.beginExecuteScalar();
    const openResult = opening.beginOpen();
    const handles = [readerResult.asyncWaitHandle, scalarResult.asyncWaitHandle, openResult.asyncWaitHandle];
    expect(await WaitHandle.waitAll(handles, 10_000)).toBe(true);
    expect(await WaitHandle.waitAny(handles, 0)).toBe(0);
    const rows = await reader.endExecuteReader(readerResult);
    await rows.close();
    expect(await scalar.endExecuteScalar(scalarResult)).toBe(7);
    await opening.endOpen(openResult);
    expect(opening.state).toBe(ConnectionState.Open);
  });

  it("reports status 'completed', 'faulted' and 'canceled'", async () => {
    const { connection } = await open();
    const ok = connection.createCommand('UPDATE 1');
    const okResult = ok.beginExecuteNonQuery();
    expect(okResult.status).toBe('running');
    await okResult.waitForCompletion();
    expect(okResult.status).toBe('completed');
    await ok.endExecuteNonQuery(okResult);

    const failing = connection.createCommand('FAIL nope');
    const failResult = failing.beginExecuteNonQuery();
    await failResult.waitForCompletion();
    expect(failResult.status).toBe('faulted');
    await rejectionOf(failing.endExecuteNonQuery(failResult));

    const slow = connection.createCommand('DELAY 5000');
    const slowResult = slow.beginExecuteNonQuery();
    slowResult.abort();
    await slowResult.waitForCompletion();
    expect(slowResult.status).toBe('canceled');
    await rejectionOf(slow.endExecuteNonQuery(slowResult));
  });

  it('abort() cancels on the server and End rejects with OperationCanceledError', async () => {
    const { connection, server } = await open();
    const command = connection.createCommand('DELAY 5000');
    const result = command.beginExecuteNonQuery();
    await turns();
    const before = server.cancellations;
    result.abort();
    const error = await rejectionOf(command.endExecuteNonQuery(result));
    expect(error).toBeInstanceOf(OperationCanceledError);
    expect(server.cancellations).toBe(before + 1);
    expect(await connection.createCommand('UPDATE 1').executeNonQuery()).toBe(1);
  });

  it('abort() is the same as command.cancel()', async () => {
    const { connection, server } = await open();
    const command = connection.createCommand('DELAY 5000');
    const result = command.beginExecuteNonQuery();
    await turns();
    command.cancel();
    expect(await rejectionOf(command.endExecuteNonQuery(result))).toBeInstanceOf(OperationCanceledError);
    expect(result.status).toBe('canceled');
    expect(server.cancellations).toBe(1);
  });

  it('abort() after completion does nothing', async () => {
    const { connection, server } = await open();
    const command = connection.createCommand('UPDATE 3');
    const result = command.beginExecuteNonQuery();
    await result.waitForCompletion();
    result.abort();
    expect(result.status).toBe('completed');
    expect(server.cancellations).toBe(0);
    expect(await command.endExecuteNonQuery(result)).toBe(3);
  });

  it('waitForCompletion(timeout) resolves false, then true, without consuming the result', async () => {
    const { connection } = await open();
    const command = connection.createCommand('DELAY 50; UPDATE 4');
    const result = command.beginExecuteNonQuery();
    expect(await result.waitForCompletion(0)).toBe(false);
    expect(await result.waitForCompletion(10_000)).toBe(true);
    expect(await result.waitForCompletion(0)).toBe(true);
    expect(await command.endExecuteNonQuery(result)).toBe(4);
  });
});

describe('begin*: errors detectable before sending are thrown synchronously, in ADO.NET order', () => {
  it('no connection', () => {
    const command = new MemoryProviderFactory().createCommand('ROWS 1');
    const error = thrownBy(() => command.beginExecuteReader());
    expect(error).toBeInstanceOf(InvalidOperationError);
    expect((error as Error).message).toBe('beginExecuteReader: Connection property has not been initialized.');
  });

  it('no connection wins over empty command text', () => {
    const command = new MemoryProviderFactory().createCommand();
    expect((thrownBy(() => command.beginExecuteNonQuery()) as Error).message).toMatch(
      /Connection property has not been initialized/,
    );
  });

  it('connection not open', () => {
    const command = closedConnection().createCommand('ROWS 1');
    const error = thrownBy(() => command.beginExecuteNonQuery());
    expect(error).toBeInstanceOf(InvalidOperationError);
    expect((error as Error).message).toBe(
      "beginExecuteNonQuery requires an open and available Connection. The connection's current state is closed.",
    );
  });

  it('a closed connection wins over a connection without Asynchronous Processing', () => {
    const command = closedConnection('Database=test').createCommand('ROWS 1');
    expect((thrownBy(() => command.beginExecuteReader()) as Error).message).toMatch(
      /requires an open and available Connection/,
    );
  });

  it('Asynchronous Processing not enabled, with the ADO.NET 2.0 message', async () => {
    const { connection } = await open('Database=test');
    for (const begin of [
      (c: DbCommand) => c.beginExecuteReader(),
      (c: DbCommand) => c.beginExecuteNonQuery(),
      (c: DbCommand) => c.beginExecuteScalar(),
      (c: DbCommand) => c.beginExecuteXmlReader(),
    ]) {
      const error = thrownBy(() => begin(connection.createCommand('ROWS 1')));
      expect(error).toBeInstanceOf(InvalidOperationError);
      expect((error as Error).message).toBe(ASYNC_REQUIRED);
    }
  });

  it('Asynchronous Processing not enabled wins over a busy connection and empty command text', async () => {
    const { connection } = await open('Database=test');
    const reader = await connection.createCommand('ROWS 2').executeReader();
    expect((thrownBy(() => connection.createCommand('').beginExecuteReader()) as Error).message).toBe(ASYNC_REQUIRED);
    await reader.close();
  });

  it('a Begin already pending on this command (its End not called yet, even once completed)', async () => {
    const { connection } = await open();
    const command = connection.createCommand('UPDATE 1');
    const first = command.beginExecuteNonQuery();
    await first.waitForCompletion();
    const error = thrownBy(() => command.beginExecuteNonQuery());
    expect(error).toBeInstanceOf(InvalidOperationError);
    expect((error as Error).message).toBe(
      'The command execution cannot proceed due to a pending asynchronous operation already in progress.',
    );
    await command.endExecuteNonQuery(first);
    const second = command.beginExecuteNonQuery();
    expect(await command.endExecuteNonQuery(second)).toBe(1);
  });

  it('a pending Begin wins over the busy connection', async () => {
    const { connection } = await open();
    const command = connection.createCommand('DELAY 100');
    const first = command.beginExecuteNonQuery();
    expect((thrownBy(() => command.beginExecuteReader()) as Error).message).toMatch(/pending asynchronous operation/);
    await command.endExecuteNonQuery(first);
  });

  it('while a Begin is pending, connection and transaction cannot be changed', async () => {
    const { connection } = await open();
    const other = await open();
    const command = connection.createCommand('DELAY 50');
    const result = command.beginExecuteNonQuery();
    expect(() => (command.connection = other.connection)).toThrow(
      'Connection cannot be changed while async operation is in progress.',
    );
    const transaction = await other.connection.beginTransaction();
    expect(() => (command.transaction = transaction)).toThrow(
      'Transaction cannot be changed while async operation is in progress.',
    );
    await command.endExecuteNonQuery(result);
    command.connection = other.connection;
    command.transaction = transaction;
    expect(await command.executeNonQuery()).toBe(-1);
    await transaction.rollback();
  });

  it('closing and reopening the connection clears the stale pending state', async () => {
    const { connection } = await open();
    const command = connection.createCommand('UPDATE 1');
    const stale = command.beginExecuteNonQuery();
    await stale.waitForCompletion();
    const warnings = recordProcessEvents<Error>('warning');
    try {
      await connection.close();
      await connection.open();
      const fresh = command.beginExecuteNonQuery();
      expect(await command.endExecuteNonQuery(fresh)).toBe(1);
    } finally {
      await turns();
      warnings.dispose();
    }
  });

  it('the connection busy with another command', async () => {
    const { connection } = await open();
    const running = connection.createCommand('DELAY 100');
    const first = running.beginExecuteNonQuery();
    const error = thrownBy(() => connection.createCommand('UPDATE 1').beginExecuteNonQuery());
    expect(error).toBeInstanceOf(InvalidOperationError);
    expect((error as Error).message).toMatch(/^The connection does not support MultipleActiveResultSets/);
    await running.endExecuteNonQuery(first);
  });

  it('the connection busy with an open reader', async () => {
    const { connection } = await open();
    const reader = await connection.createCommand('ROWS 3').executeReader();
    const error = thrownBy(() => connection.createCommand('UPDATE 1').beginExecuteNonQuery());
    expect(error).toBeInstanceOf(InvalidOperationError);
    expect((error as Error).message).toBe(
      'There is already an open DataReader associated with this Connection which must be closed first.',
    );
    await reader.close();
    const command = connection.createCommand('UPDATE 1');
    expect(await command.endExecuteNonQuery(command.beginExecuteNonQuery())).toBe(1);
  });

  it('the busy connection wins over a missing transaction', async () => {
    const { connection } = await open();
    const transaction = await connection.beginTransaction();
    const reader = await transaction.createCommand('ROWS 3').executeReader();
    expect((thrownBy(() => connection.createCommand('UPDATE 1').beginExecuteNonQuery()) as Error).message).toMatch(
      /already an open DataReader/,
    );
    await reader.close();
    await transaction.rollback();
  });

  it('transaction required', async () => {
    const { connection } = await open();
    const transaction = await connection.beginTransaction();
    const error = thrownBy(() => connection.createCommand('UPDATE 1').beginExecuteNonQuery());
    expect(error).toBeInstanceOf(InvalidOperationError);
    expect((error as Error).message).toBe(
      'beginExecuteNonQuery requires the command to have a transaction when the connection assigned to the command is in a pending local transaction. The Transaction property of the command has not been initialized.',
    );
    await transaction.rollback();
  });

  it('transaction mismatched (a transaction of another connection)', async () => {
    const { connection } = await open();
    const other = await open();
    const ours = await connection.beginTransaction();
    const theirs = await other.connection.beginTransaction();
    const command = connection.createCommand('UPDATE 1');
    command.transaction = theirs;
    const error = thrownBy(() => command.beginExecuteNonQuery());
    expect(error).toBeInstanceOf(InvalidOperationError);
    expect((error as Error).message).toBe(
      'The transaction is either not associated with the current connection or has been completed.',
    );
    await ours.rollback();
    await theirs.rollback();
  });

  it('a missing transaction wins over empty command text', async () => {
    const { connection } = await open();
    const transaction = await connection.beginTransaction();
    expect((thrownBy(() => connection.createCommand('').beginExecuteNonQuery()) as Error).message).toMatch(
      /requires the command to have a transaction/,
    );
    await transaction.rollback();
  });

  it('empty command text', async () => {
    const { connection } = await open();
    const error = thrownBy(() => connection.createCommand('').beginExecuteReader());
    expect(error).toBeInstanceOf(InvalidOperationError);
    expect((error as Error).message).toBe('beginExecuteReader: CommandText property has not been initialized');
  });

  it('empty command text wins over an invalid CommandBehavior', async () => {
    const { connection } = await open();
    expect((thrownBy(() => connection.createCommand('').beginExecuteReader(0x40)) as Error).message).toMatch(
      /CommandText property has not been initialized/,
    );
  });

  it('invalid CommandBehavior', async () => {
    const { connection } = await open();
    for (const behavior of [0x40, -1, 1.5]) {
      const error = thrownBy(() => connection.createCommand('ROWS 1').beginExecuteReader(null, null, behavior));
      expect(error).toBeInstanceOf(ArgumentError);
      expect((error as Error).message).toBe(`The CommandBehavior enumeration value, ${behavior}, is invalid.`);
    }
  });

  it('an invalid CommandBehavior wins over a missing parameter', async () => {
    const { connection } = await open();
    expect(thrownBy(() => connection.createCommand('PARAMS @missing').beginExecuteReader(0x80))).toBeInstanceOf(
      ArgumentError,
    );
  });

  it('a referenced @parameter that is missing', async () => {
    const { connection } = await open();
    const error = thrownBy(() => connection.createCommand('PARAMS @missing').beginExecuteReader());
    expect(error).toBeInstanceOf(InvalidOperationError);
    expect((error as Error).message).toMatch(/'@missing'/);
  });

  it('a parameter without a value', async () => {
    const { connection } = await open();
    const command = connection.createCommand('PARAMS @a');
    command.parameters.add(command.createParameter()).parameterName = '@a';
    const error = thrownBy(() => command.beginExecuteScalar());
    expect(error).toBeInstanceOf(InvalidOperationError);
    expect((error as Error).message).toMatch(/'@a' has no value/);
  });

  it('a parameter value asyncdb cannot send (a class instance)', async () => {
    const { connection } = await open();
    class Money {
      constructor(readonly amount: number) {}
    }
    const command = connection.createCommand('PARAMS @a');
    command.parameters.addWithValue('@a', new Money(3));
    const error = thrownBy(() => command.beginExecuteScalar());
    expect(error).toBeInstanceOf(NotSupportedError);
    expect((error as Error).message).toMatch(/Money/);
  });

  it('a Begin-time error leaves neither the connection nor the command busy', async () => {
    const { connection } = await open();
    const command = connection.createCommand('PARAMS @missing');
    thrownBy(() => command.beginExecuteReader());
    command.commandText = 'UPDATE 2';
    expect(await command.endExecuteNonQuery(command.beginExecuteNonQuery())).toBe(2);
  });
});

describe('begin*: errors after sending are rejected by end*, never thrown by begin*', () => {
  it('a server error', async () => {
    const { connection } = await open();
    const command = connection.createCommand('FAIL relation "nope" does not exist');
    const result = command.beginExecuteReader();
    const error = await rejectionOf(command.endExecuteReader(result));
    expect(error).toBeInstanceOf(DbError);
    expect((error as DbError).category).toBe(DbErrorCategory.SyntaxError);
    expect(await connection.createCommand('UPDATE 1').executeNonQuery()).toBe(1);
  });

  it('a server error in a later statement', async () => {
    const { connection } = await open();
    const command = connection.createCommand('UPDATE 1; FAIL later');
    const result = command.beginExecuteNonQuery();
    expect(await rejectionOf(command.endExecuteNonQuery(result))).toBeInstanceOf(DbError);
  });

  it('a command timeout', async () => {
    const { connection } = await open();
    const command = connection.createCommand('DELAY 5000');
    command.commandTimeout = 1;
    const result = command.beginExecuteNonQuery();
    const error = await rejectionOf(command.endExecuteNonQuery(result));
    expect(error).toBeInstanceOf(DbTimeoutError);
    expect((error as DbTimeoutError).kind).toBe('command');
    expect(result.status).toBe('faulted');
  });

  it('a lost session', async () => {
    const { connection, server } = await open();
    const command = connection.createCommand('DELAY 5000');
    const result = command.beginExecuteNonQuery();
    await turns();
    connection.loseSession();
    const error = await rejectionOf(command.endExecuteNonQuery(result));
    expect(error).toBeInstanceOf(DbError);
    expect((error as DbError).category).toBe(DbErrorCategory.ConnectionFailure);
    expect(connection.state).toBe(ConnectionState.Broken);
    await connection.close();
    expect(server.destroyedSessions).toBe(1);
  });
});

describe('end*', () => {
  it('rejects a result from another command with ArgumentError "Incorrect async result."', async () => {
    const { connection } = await open();
    const first = connection.createCommand('UPDATE 1');
    const second = connection.createCommand('UPDATE 1');
    const result = first.beginExecuteNonQuery();
    const error = await rejectionOf(second.endExecuteNonQuery(result));
    expect(error).toBeInstanceOf(ArgumentError);
    expect((error as Error).message).toBe('Incorrect async result.');
    expect(await first.endExecuteNonQuery(result)).toBe(1);
  });

  it("rejects a connection's result given to a command, and a command's given to endOpen", async () => {
    const connection = closedConnection();
    const opening = connection.beginOpen();
    const command = connection.createCommand('UPDATE 1');
    const error = await rejectionOf(command.endExecuteNonQuery(opening));
    expect(error).toBeInstanceOf(ArgumentError);
    expect((error as Error).message).toBe('Incorrect async result.');
    await connection.endOpen(opening);
    const result = command.beginExecuteNonQuery();
    expect(((await rejectionOf(connection.endOpen(result))) as Error).message).toBe('Incorrect async result.');
    await command.endExecuteNonQuery(result);
  });

  it('rejects an IAsyncResult asyncdb did not create', async () => {
    const { connection } = await open();
    const fake: IAsyncResult = {
      asyncState: null,
      isCompleted: true,
      completedSynchronously: false,
      asyncWaitHandle: new WaitHandle(),
    };
    expect(await rejectionOf(connection.createCommand('UPDATE 1').endExecuteNonQuery(fake))).toBeInstanceOf(
      ArgumentError,
    );
  });

  it('rejects the wrong End with InvalidOperationError (mismatched end method)', async () => {
    const { connection } = await open();
    const command = connection.createCommand('XML <a/>');
    const result = command.beginExecuteXmlReader();
    const error = await rejectionOf(command.endExecuteReader(result));
    expect(error).toBeInstanceOf(InvalidOperationError);
    expect((error as Error).message).toBe(
      'Mismatched end method call for asyncResult. Expected call to endExecuteXmlReader but endExecuteReader was called instead.',
    );
    const xml = await command.endExecuteXmlReader(result);
    expect(await xml.readToEnd()).toBe('<a/>');
  });

  it('a wrong End leaves the Begin pending', async () => {
    const { connection } = await open();
    const command = connection.createCommand('UPDATE 1');
    const result = command.beginExecuteNonQuery();
    await rejectionOf(command.endExecuteScalar(result));
    expect((thrownBy(() => command.beginExecuteNonQuery()) as Error).message).toMatch(/pending asynchronous operation/);
    expect(await command.endExecuteNonQuery(result)).toBe(1);
  });

  it('rejects a second End with InvalidOperationError', async () => {
    const { connection } = await open();
    const command = connection.createCommand('UPDATE 1');
    const result = command.beginExecuteNonQuery();
    expect(await command.endExecuteNonQuery(result)).toBe(1);
    const error = await rejectionOf(command.endExecuteNonQuery(result));
    expect(error).toBeInstanceOf(InvalidOperationError);
    expect((error as Error).message).toBe(
      "The method 'endExecuteNonQuery' cannot be called more than once for the same execution.",
    );
  });

  it('waits for completion when called before it', async () => {
    const { connection } = await open();
    const command = connection.createCommand('DELAY 50; UPDATE 5');
    const result = command.beginExecuteNonQuery();
    const ending = command.endExecuteNonQuery(result);
    expect(result.isCompleted).toBe(false);
    expect(await ending).toBe(5);
    expect(result.isCompleted).toBe(true);
  });

  it('rejects null and undefined with ArgumentError', async () => {
    const { connection } = await open();
    const command = connection.createCommand('UPDATE 1');
    expect(await rejectionOf(command.endExecuteNonQuery(null as unknown as IAsyncResult))).toBeInstanceOf(
      ArgumentError,
    );
    expect(await rejectionOf(command.endExecuteReader(undefined as unknown as IAsyncResult))).toBeInstanceOf(
      ArgumentError,
    );
    expect(await rejectionOf(connection.endOpen(null as unknown as IAsyncResult))).toBeInstanceOf(ArgumentError);
  });

  it('End failures are rejections, never synchronous throws', async () => {
    const { connection } = await open();
    const command = connection.createCommand('UPDATE 1');
    const ending = command.endExecuteNonQuery(null as unknown as IAsyncResult);
    expect(ending).toBeInstanceOf(Promise);
    await rejectionOf(ending);
  });
});

describe('failures nobody ends', () => {
  it('a failed operation whose End is never called produces no unhandled rejection', async () => {
    const { connection } = await open();
    const rejections = recordProcessEvents<unknown>('unhandledRejection');
    const warnings = recordProcessEvents<Error>('warning');
    try {
      const results: DbAsyncResult[] = [connection.createCommand('FAIL one').beginExecuteNonQuery()];
      const other = await open();
      results.push(other.connection.createCommand('FAIL two').beginExecuteReader());
      const third = await open();
      const timed = third.connection.createCommand('DELAY 5000');
      timed.commandTimeout = 1;
      results.push(timed.beginExecuteScalar());
      const fourth = await open();
      const canceled = fourth.connection.createCommand('DELAY 5000').beginExecuteXmlReader();
      canceled.abort();
      results.push(canceled);
      expect(
        await WaitHandle.waitAll(
          results.map((result) => result.asyncWaitHandle),
          10_000,
        ),
      ).toBe(true);
      await turns(10);
      expect(results.map((result) => result.status)).toEqual(['faulted', 'faulted', 'faulted', 'canceled']);
      expect(rejections.events).toEqual([]);
    } finally {
      rejections.dispose();
      for (const connection of connections.splice(0)) await connection.close();
      await turns();
      warnings.dispose();
    }
  });
});

describe('closing a connection', () => {
  it('cancels a pending operation on the server; its End rejects with InvalidOperationError (connection closed)', async () => {
    const { connection, server } = await open();
    const command = connection.createCommand('DELAY 5000');
    const result = command.beginExecuteNonQuery();
    await turns();
    await connection.close();
    expect(server.cancellations).toBe(1);
    const error = await rejectionOf(command.endExecuteNonQuery(result));
    expect(error).toBeInstanceOf(InvalidOperationError);
    expect((error as Error).message).toBe('Invalid operation. The connection is closed.');
    expect(server.openSessions).toBe(0);
  });

  it('cancels a pending beginExecuteReader the same way', async () => {
    const { connection, server } = await open();
    const command = connection.createCommand('ROWS 10 DELAY 5000');
    const result = command.beginExecuteReader();
    await turns();
    await connection.close();
    expect(server.cancellations).toBe(1);
    expect(await rejectionOf(command.endExecuteReader(result))).toBeInstanceOf(InvalidOperationError);
  });

  it('emits an ASYNCDB_END_NOT_CALLED warning for completed operations whose End was never called', async () => {
    const { connection } = await open();
    const ours = await endNotCalledWarnings(async () => {
      const result = connection.createCommand('UPDATE 1').beginExecuteNonQuery();
      await result.waitForCompletion();
      await connection.close();
    });
    expect(ours).toHaveLength(1);
    expect(ours[0]!.message).toMatch(/endExecuteNonQuery/);
  });

  it('emits no warning when every End was called', async () => {
    const { connection } = await open();
    const ours = await endNotCalledWarnings(async () => {
      const command = connection.createCommand('UPDATE 1');
      await command.endExecuteNonQuery(command.beginExecuteNonQuery());
      const failing = connection.createCommand('FAIL x');
      await rejectionOf(failing.endExecuteNonQuery(failing.beginExecuteNonQuery()));
      const reading = connection.createCommand('ROWS 1');
      const reader = await reading.endExecuteReader(reading.beginExecuteReader());
      await reader.close();
      await connection.close();
    });
    expect(ours).toEqual([]);
  });

  it('counts a beginOpen whose endOpen was never called', async () => {
    const connection = closedConnection();
    const ours = await endNotCalledWarnings(async () => {
      await connection.beginOpen().waitForCompletion();
      expect(connection.state).toBe(ConnectionState.Open);
      await connection.close();
    });
    expect(ours).toHaveLength(1);
    expect(ours[0]!.message).toMatch(/endOpen/);
  });

  it('emits no warning after beginOpen / endOpen', async () => {
    const connection = closedConnection();
    const ours = await endNotCalledWarnings(async () => {
      await connection.endOpen(connection.beginOpen());
      await connection.close();
    });
    expect(ours).toEqual([]);
  });

  it('emits no warning for an operation the close canceled while the provider was still starting it', async () => {
    const { connection, server } = await open();
    server.executeDelayMs = 5000;
    const command = connection.createCommand('UPDATE 1');
    let result: IAsyncResult | undefined;
    const ours = await endNotCalledWarnings(async () => {
      result = command.beginExecuteNonQuery();
      await turns();
      await connection.close();
    });
    expect(server.cancellations).toBe(1);
    expect(ours).toEqual([]);
    expect(await rejectionOf(command.endExecuteNonQuery(result!))).toBeInstanceOf(InvalidOperationError);
  });

  it('emits no warning for an operation the close itself canceled (it was not completed)', async () => {
    const { connection } = await open();
    const command = connection.createCommand('DELAY 5000');
    let result: IAsyncResult | undefined;
    const ours = await endNotCalledWarnings(async () => {
      result = command.beginExecuteNonQuery();
      await turns();
      await connection.close();
    });
    expect(ours).toEqual([]);
    await rejectionOf(command.endExecuteNonQuery(result!));
  });
});

describe('the Asynchronous Processing keyword', () => {
  for (const [text, enabled] of [
    ['Asynchronous Processing=true', true],
    ['async=true', true],
    ['async=yes', true],
    ['ASYNC=Yes', true],
    ['async=false', false],
    ['async=no', false],
    ['Asynchronous Processing=no', false],
    ['', false],
  ] as const) {
    it(`'${text}' ${enabled ? 'enables' : 'does not enable'} the Begin/End methods`, async () => {
      const { connection } = await open(`Database=test;${text}`);
      expect(connection.asynchronousProcessing).toBe(enabled);
      const command = connection.createCommand('UPDATE 1');
      if (enabled) {
        expect(await command.endExecuteNonQuery(command.beginExecuteNonQuery())).toBe(1);
      } else {
        expect((thrownBy(() => command.beginExecuteNonQuery()) as Error).message).toBe(ASYNC_REQUIRED);
      }
    });
  }

  it('does not gate the Promise surface', async () => {
    const { connection } = await open('Database=test;async=false');
    expect(await connection.createCommand('UPDATE 2').executeNonQuery()).toBe(2);
    expect(await connection.createCommand('VALUES [[1]]').executeScalar()).toBe(1);
    const reader = await connection.createCommand('ROWS 2').executeReader();
    expect(await reader.read()).toBe(true);
    await reader.close();
    expect(await (await connection.createCommand('XML <x/>').executeXmlReader()).readToEnd()).toBe('<x/>');
    const transaction = await connection.beginTransaction();
    await transaction.commit();
  });
});

describe('beginOpen / endOpen', () => {
  it('opens with a callback and a state object', async () => {
    const connection = closedConnection('Database=test;async=true;Open Delay=10');
    const state = { id: 'open-1' };
    let returned = false;
    const seen = new Promise<IAsyncResult>((resolve) => {
      const result = connection.beginOpen((ar) => {
        expect(returned).toBe(true);
        resolve(ar);
      }, state);
      expect(result.asyncState).toBe(state);
      expect(result.completedSynchronously).toBe(false);
      expect(connection.state).toBe(ConnectionState.Connecting);
    });
    returned = true;
    const result = await seen;
    expect(result.asyncState).toBe(state);
    await connection.endOpen(result);
    expect(connection.state).toBe(ConnectionState.Open);
  });

  it('throws synchronously on an open connection', async () => {
    const { connection } = await open();
    const error = thrownBy(() => connection.beginOpen());
    expect(error).toBeInstanceOf(InvalidOperationError);
    expect((error as Error).message).toBe("The connection was not closed. The connection's current state is open.");
  });

  it('throws synchronously without Asynchronous Processing', () => {
    const connection = closedConnection('Database=test');
    const error = thrownBy(() => connection.beginOpen());
    expect(error).toBeInstanceOf(InvalidOperationError);
    expect((error as Error).message).toBe(ASYNC_REQUIRED);
    expect(connection.state).toBe(ConnectionState.Closed);
  });

  it('throws synchronously without a connection string', () => {
    const connection = closedConnection('');
    expect((thrownBy(() => connection.beginOpen()) as Error).message).toBe(
      'The ConnectionString property has not been initialized.',
    );
  });

  it('rejects the open failure in endOpen and leaves the connection closed', async () => {
    const connection = closedConnection('Database=test;async=true;Fail Open=true');
    const result = connection.beginOpen();
    const error = await rejectionOf(connection.endOpen(result));
    expect(error).toBeInstanceOf(DbError);
    expect(result.status).toBe('faulted');
    expect(connection.state).toBe(ConnectionState.Closed);
  });

  it('abort() cancels the open', async () => {
    const connection = closedConnection('Database=test;async=true;Open Delay=5000');
    const result = connection.beginOpen();
    result.abort();
    expect(await rejectionOf(connection.endOpen(result))).toBeInstanceOf(OperationCanceledError);
    expect(result.status).toBe('canceled');
    expect(connection.state).toBe(ConnectionState.Closed);
  });

  it('rejects endOpen called twice', async () => {
    const connection = closedConnection();
    const result = connection.beginOpen();
    await connection.endOpen(result);
    expect(await rejectionOf(connection.endOpen(result))).toBeInstanceOf(InvalidOperationError);
  });
});

describe('the other Begin/End pairs', () => {
  it('beginExecuteScalar / endExecuteScalar', async () => {
    const { connection } = await open();
    const command = connection.createCommand('VALUES [["a", 1], ["b", 2]]');
    expect(await command.endExecuteScalar(command.beginExecuteScalar())).toBe('a');
    command.commandText = 'EMPTY';
    expect(await command.endExecuteScalar(command.beginExecuteScalar())).toBeUndefined();
  });

  it('beginExecuteXmlReader / endExecuteXmlReader', async () => {
    const { connection } = await open();
    const command = connection.createCommand('XML <root> <a>1</a> </root>');
    const xml = await command.endExecuteXmlReader(command.beginExecuteXmlReader(null, 'state'));
    expect(xml).toBeInstanceOf(DbXmlReader);
    expect(await xml.readToEnd()).toBe('<root><a>1</a></root>');
    expect(xml.isClosed).toBe(true);
  });

  it('beginExecuteNonQuery / endExecuteNonQuery sums the rows affected', async () => {
    const { connection } = await open();
    const command = connection.createCommand('UPDATE 2; ROWS 3; UPDATE 4');
    expect(await command.endExecuteNonQuery(command.beginExecuteNonQuery())).toBe(6);
  });

  it('beginExecuteReader(behavior) and beginExecuteReader(callback, state, behavior)', async () => {
    const { connection } = await open();
    const command = connection.createCommand('ROWS 5; ROWS 2');
    const single = await command.endExecuteReader(command.beginExecuteReader(CommandBehavior.SingleRow));
    expect(single).toBeInstanceOf(DbDataReader);
    expect(await single.read()).toBe(true);
    expect(await single.read()).toBe(false);
    expect(await single.nextResult()).toBe(false);
    await single.close();
    let called = 0;
    const result = command.beginExecuteReader(() => (called += 1), 'st', CommandBehavior.SingleResult);
    const reader = await command.endExecuteReader(result);
    let rows = 0;
    while (await reader.read()) rows += 1;
    expect(rows).toBe(5);
    expect(await reader.nextResult()).toBe(false);
    await reader.close();
    await turns();
    expect(called).toBe(1);
  });

  it('the reader of endExecuteReader holds the connection until it is closed', async () => {
    const { connection } = await open();
    const command = connection.createCommand('ROWS 2');
    const reader = await command.endExecuteReader(command.beginExecuteReader());
    expect((thrownBy(() => connection.createCommand('UPDATE 1').beginExecuteNonQuery()) as Error).message).toMatch(
      /already an open DataReader/,
    );
    await reader.close();
    expect(await connection.createCommand('UPDATE 1').executeNonQuery()).toBe(1);
  });
});
