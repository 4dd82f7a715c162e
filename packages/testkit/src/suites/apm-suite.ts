import { UNPARSABLE_SQL } from './unparsable-sql.js';
import { afterAll, expect, it } from 'vitest';
import {
  ArgumentError,
  CommandBehavior,
  ConnectionState,
  DbAsyncResult,
  DbError,
  DbErrorCategory,
  InvalidOperationError,
  OperationCanceledError,
  WaitHandle,
  type DbCommand,
  type IAsyncResult,
} from '@asyncdb/core';
import type { ConformanceContext, KeywordOverrides } from '../conformance-context.js';
import { allOf, capabilityGate, gatedIt } from '../capability-gate.js';
import { fixtureGate, networkKeywords, sleepSql } from '../fixture-parts.js';
import { delay } from '../helpers/delay.js';
import { asInteger } from '../helpers/integer.js';
import { watchProcessFaults } from '../helpers/process-faults.js';
import { rejectionOf, thrownBy } from '../helpers/rejection.js';
import { closedPort } from '../helpers/silent-server.js';
import { waitUntil } from '../helpers/wait-until.js';
import { expectSessionIdle, waitForActiveStatement } from './session-probes.js';
import { keyValueTable } from './tables.js';

const ASYNC: KeywordOverrides = { 'Asynchronous Processing': true };
const ASYNC_REQUIRED =
  'This command requires an asynchronous connection. Set "Asynchronous Processing=true" in the connection string.';

/** Every Begin method of a command, started with no callback. */
const COMMAND_BEGINS: ReadonlyArray<readonly [string, (command: DbCommand) => unknown]> = [
  ['beginExecuteReader', (command) => command.beginExecuteReader()],
  ['beginExecuteNonQuery', (command) => command.beginExecuteNonQuery()],
  ['beginExecuteScalar', (command) => command.beginExecuteScalar()],
  ['beginExecuteXmlReader', (command) => command.beginExecuteXmlReader()],
];

/**
 * Group 6 — APM: every rule of docs/async-model.md against the real server: the `Asynchronous Processing` gate, the
 * synchronous Begin-time errors in ADO.NET's order, server errors only at End, End twice / mismatched / foreign,
 * callbacks with state, polling, WaitHandle.waitAny/waitAll, and beginOpen (ADO.NET 2.0 SqlCommand Begin/End).
 */
export function apmSuite(context: ConformanceContext): void {
  const { capabilities, fixture } = context;
  const cancellation = capabilityGate(capabilities, 'cancellation', (kind) => kind !== 'none');
  const sleep = fixtureGate(fixture, 'sleep');
  const sleepCancel = allOf(cancellation, sleep, fixtureGate(fixture, 'sessionIds'));
  const sleepFor = (seconds: number): string => sleepSql(fixture, seconds);
  const openAsync = () => context.open(ASYNC);
  const sentinel = keyValueTable(context, 'tk_apm_cb');
  afterAll(() => context.dropTables(sentinel.name));

  it('every Begin method throws InvalidOperationError synchronously when Asynchronous Processing is not enabled', async () => {
    const connection = await context.open({ 'Asynchronous Processing': false });
    for (const [method, begin] of COMMAND_BEGINS) {
      const error = thrownBy(() => begin(connection.createCommand('SELECT 1')));
      expect(error, method).toBeInstanceOf(InvalidOperationError);
      expect(error.message, method).toBe(ASYNC_REQUIRED);
    }
    const closed = await context.create({ 'Asynchronous Processing': false });
    const error = thrownBy(() => closed.beginOpen());
    expect(error).toBeInstanceOf(InvalidOperationError);
    expect(error.message).toBe(ASYNC_REQUIRED);
    expect(closed.state).toBe(ConnectionState.Closed);
  });

  it('the Promise methods work whether or not Asynchronous Processing is enabled', async () => {
    for (const enabled of [false, true]) {
      const connection = await context.open({ 'Asynchronous Processing': enabled });
      expect(asInteger(await context.scalar(connection, 'SELECT 1'))).toBe(1);
    }
  });

  it("'async=true' and 'Asynchronous Processing=yes' both enable the Begin methods", async () => {
    for (const [keyword, value] of [
      ['async', 'true'],
      ['Asynchronous Processing', 'yes'],
    ] as const) {
      const connection = await context.open({ [keyword]: value });
      const command = connection.createCommand('SELECT 1');
      expect(asInteger(await command.endExecuteScalar(command.beginExecuteScalar()))).toBe(1);
    }
  });

  it('Begin throws InvalidOperationError synchronously when the command has no connection', () => {
    const error = thrownBy(() => context.factory.createCommand('SELECT 1').beginExecuteReader());
    expect(error).toBeInstanceOf(InvalidOperationError);
    expect(error.message).toContain('Connection property has not been initialized.');
  });

  it('Begin throws InvalidOperationError synchronously when the connection is closed', async () => {
    const connection = await context.create(ASYNC);
    const error = thrownBy(() => connection.createCommand('SELECT 1').beginExecuteNonQuery());
    expect(error).toBeInstanceOf(InvalidOperationError);
    expect(error.message).toContain(
      "requires an open and available Connection. The connection's current state is closed.",
    );
  });

  it('Begin throws InvalidOperationError synchronously while a Begin of the same command awaits its End; after End it works', async () => {
    const connection = await openAsync();
    const command = connection.createCommand('SELECT 1');
    const first = command.beginExecuteScalar();
    await first.asyncWaitHandle.waitOne();
    const error = thrownBy(() => command.beginExecuteScalar());
    expect(error).toBeInstanceOf(InvalidOperationError);
    expect(error.message).toContain('pending asynchronous operation');
    expect(asInteger(await command.endExecuteScalar(first))).toBe(1);
    const second = command.beginExecuteScalar();
    expect(asInteger(await command.endExecuteScalar(second))).toBe(1);
  });

  gatedIt(
    sleep,
    'Begin throws InvalidOperationError synchronously while another command runs on the connection',
    async () => {
      const connection = await openAsync();
      const running = connection.createCommand(sleepFor(0.5));
      const pending = running.beginExecuteNonQuery();
      for (const [method, begin] of COMMAND_BEGINS) {
        expect(() => begin(connection.createCommand('SELECT 1')), method).toThrow(InvalidOperationError);
      }
      await running.endExecuteNonQuery(pending);
      const after = connection.createCommand('SELECT 2');
      expect(asInteger(await after.endExecuteScalar(after.beginExecuteScalar()))).toBe(2);
    },
  );

  it('Begin throws InvalidOperationError synchronously while the connection has an open reader', async () => {
    const connection = await openAsync();
    const reader = await connection.createCommand('SELECT 1').executeReader();
    const error = thrownBy(() => connection.createCommand('SELECT 2').beginExecuteReader());
    expect(error).toBeInstanceOf(InvalidOperationError);
    expect(error.message).toContain('There is already an open DataReader');
    await reader.close();
  });

  it('Begin throws InvalidOperationError synchronously when the connection has a pending transaction the command lacks', async () => {
    const connection = await openAsync();
    const transaction = await connection.beginTransaction();
    const error = thrownBy(() => connection.createCommand('SELECT 1').beginExecuteNonQuery());
    expect(error).toBeInstanceOf(InvalidOperationError);
    expect(error.message).toContain('requires the command to have a transaction');
    const enlisted = transaction.createCommand('SELECT 1');
    expect(asInteger(await enlisted.endExecuteScalar(enlisted.beginExecuteScalar()))).toBe(1);
    await transaction.rollback();
  });

  it('Begin throws InvalidOperationError synchronously when the command text is empty', async () => {
    const connection = await openAsync();
    const error = thrownBy(() => connection.createCommand('').beginExecuteReader());
    expect(error).toBeInstanceOf(InvalidOperationError);
    expect(error.message).toContain('CommandText property has not been initialized');
  });

  it('beginExecuteReader throws ArgumentError synchronously for an invalid CommandBehavior', async () => {
    const connection = await openAsync();
    const error = thrownBy(() =>
      connection.createCommand('SELECT 1').beginExecuteReader(null, null, 0x80 as CommandBehavior),
    );
    expect(error).toBeInstanceOf(ArgumentError);
  });

  it('every Begin throws ArgumentError synchronously for a callback that is neither a function nor null, and sends nothing', async () => {
    const table = await sentinel.ensure();
    const connection = await openAsync();
    const insert = (id: number) => connection.createCommand(`INSERT INTO ${table} (id, name) VALUES (${id}, 'x')`);
    const badCallbacks: unknown[] = [42, 'x', {}, [], true, Symbol('cb')];
    let id = 0;
    for (const bad of badCallbacks) {
      const begins: Array<[string, () => unknown]> = [
        ['beginExecuteNonQuery', () => insert(++id).beginExecuteNonQuery(bad as never)],
        ['beginExecuteScalar', () => insert(++id).beginExecuteScalar(bad as never)],
        ['beginExecuteReader with state', () => insert(++id).beginExecuteReader(bad as never, 'state')],
        ['beginExecuteXmlReader', () => insert(++id).beginExecuteXmlReader(bad as never)],
      ];
      // beginExecuteReader(number) is the (behavior) overload, so only other values are bad callbacks there.
      if (typeof bad !== 'number')
        begins.push(['beginExecuteReader', () => insert(++id).beginExecuteReader(bad as never)]);
      for (const [method, begin] of begins) {
        const error = thrownBy(begin);
        expect(error, `${method}(${typeof bad})`).toBeInstanceOf(ArgumentError);
        expect((error as ArgumentError).paramName, method).toBe(
          typeof bad === 'number' && method.includes('state') ? 'state' : 'callback',
        );
      }
    }
    // beginExecuteReader(behavior) takes nothing after the behavior: a callback or state there is not ignored.
    const reader = insert(++id);
    const untyped = reader.beginExecuteReader.bind(reader) as (...args: unknown[]) => unknown;
    const misplaced = thrownBy(() => untyped(CommandBehavior.Default, 1));
    expect(misplaced).toBeInstanceOf(ArgumentError);
    const closed = await context.create(ASYNC);
    for (const bad of badCallbacks) {
      expect(thrownBy(() => closed.beginOpen(bad as never))).toBeInstanceOf(ArgumentError);
    }
    expect(closed.state).toBe(ConnectionState.Closed);
    // Nothing was sent, and the connection is free: a good Begin runs, and the table is still empty.
    const count = connection.createCommand(`SELECT COUNT(*) FROM ${table}`);
    expect(asInteger(await count.endExecuteScalar(count.beginExecuteScalar(null, undefined)))).toBe(0);
  });

  gatedIt(
    sleep,
    'a DbAsyncResult keeps its internals: ended cannot be reset to End twice, its wait handle cannot be set early',
    async () => {
      const connection = await openAsync();
      const command = connection.createCommand(sleepFor(0.3));
      let calledBack = false;
      const result = command.beginExecuteNonQuery(() => (calledBack = true));
      const handle = result.asyncWaitHandle as unknown as Record<string, unknown>;
      for (const member of ['set', 'onSet']) expect(handle[member], `asyncWaitHandle.${member}`).toBeUndefined();
      for (const member of ['ended', 'owner', 'endMethod', 'outcome']) {
        expect(member in result, `DbAsyncResult.${member}`).toBe(false);
      }
      expect(Object.keys(JSON.parse(JSON.stringify(result)) as object)).not.toContain('ended');
      expect(
        thrownBy(() => new (DbAsyncResult as unknown as new (...args: unknown[]) => unknown)(Symbol('x'), {})),
      ).toBeInstanceOf(TypeError);
      await delay(50);
      expect(calledBack, 'the callback fired before completion').toBe(false);
      expect(result.isCompleted).toBe(false);
      await command.endExecuteNonQuery(result);
      (result as unknown as { ended: boolean }).ended = false;
      expect(await rejectionOf(command.endExecuteNonQuery(result))).toBeInstanceOf(InvalidOperationError);
    },
  );

  it('the synchronous Begin checks run in ADO.NET order', async () => {
    const bare = context.factory.createCommand('');
    expect(thrownBy(() => bare.beginExecuteReader()).message).toContain(
      'Connection property has not been initialized.',
    );
    const closed = await context.create({ 'Asynchronous Processing': false });
    expect(thrownBy(() => closed.createCommand('').beginExecuteReader()).message).toContain(
      'requires an open and available Connection',
    );
    const sync = await context.open({ 'Asynchronous Processing': false });
    expect(thrownBy(() => sync.createCommand('').beginExecuteReader()).message).toBe(ASYNC_REQUIRED);
    const connection = await openAsync();
    const transaction = await connection.beginTransaction();
    expect(thrownBy(() => connection.createCommand('').beginExecuteReader()).message).toContain(
      'requires the command to have a transaction',
    );
    const enlisted = transaction.createCommand('');
    expect(thrownBy(() => enlisted.beginExecuteReader(null, null, 0x80 as CommandBehavior)).message).toContain(
      'CommandText property has not been initialized',
    );
    await transaction.rollback();
  });

  it('a server error is not thrown by Begin: the operation faults and End rejects with DbError', async () => {
    const connection = await openAsync();
    const command = connection.createCommand(UNPARSABLE_SQL);
    const result = command.beginExecuteReader();
    expect(result.isCompleted).toBe(false);
    await result.asyncWaitHandle.waitOne();
    expect(result.status).toBe('faulted');
    const error = await rejectionOf(command.endExecuteReader(result));
    expect(error).toBeInstanceOf(DbError);
    expect((error as DbError).category).toBe(DbErrorCategory.SyntaxError);
    expect(asInteger(await context.scalar(connection, 'SELECT 1'))).toBe(1);
  });

  it('End called twice rejects with InvalidOperationError', async () => {
    const connection = await openAsync();
    const command = connection.createCommand('SELECT 1');
    const result = command.beginExecuteNonQuery();
    await command.endExecuteNonQuery(result);
    const error = await rejectionOf(command.endExecuteNonQuery(result));
    expect(error).toBeInstanceOf(InvalidOperationError);
    expect(error.message).toContain(
      "The method 'endExecuteNonQuery' cannot be called more than once for the same execution.",
    );
  });

  it('the wrong End for the Begin rejects with InvalidOperationError (mismatched end method)', async () => {
    const connection = await openAsync();
    const command = connection.createCommand('SELECT 1');
    const result = command.beginExecuteNonQuery();
    const error = await rejectionOf(command.endExecuteReader(result));
    expect(error).toBeInstanceOf(InvalidOperationError);
    expect(error.message).toContain('Mismatched end method call for asyncResult.');
    expect(await command.endExecuteNonQuery(result)).toBe(-1);
  });

  it("End with another command's result rejects with ArgumentError (Incorrect async result.)", async () => {
    const first = await openAsync();
    const second = await openAsync();
    const owner = first.createCommand('SELECT 1');
    const stranger = second.createCommand('SELECT 1');
    const result = owner.beginExecuteScalar();
    const error = await rejectionOf(stranger.endExecuteScalar(result));
    expect(error).toBeInstanceOf(ArgumentError);
    expect(error.message).toBe('Incorrect async result.');
    expect(asInteger(await owner.endExecuteScalar(result))).toBe(1);
  });

  gatedIt(sleep, 'End called before completion waits for the outcome', async () => {
    const connection = await openAsync();
    const command = connection.createCommand(sleepFor(0.3));
    const result = command.beginExecuteNonQuery();
    const ending = command.endExecuteNonQuery(result);
    expect(result.isCompleted).toBe(false);
    await ending;
    expect(result.isCompleted).toBe(true);
    expect(result.status).toBe('completed');
  });

  it('the callback runs once, after completion and never inside Begin, with the IAsyncResult carrying the state', async () => {
    const connection = await openAsync();
    const command = connection.createCommand('SELECT 42');
    const state = { caller: 'conformance' };
    const calls: IAsyncResult[] = [];
    let insideBegin = true;
    let completedWhenCalled: boolean | undefined;
    let calledInsideBegin: boolean | undefined;
    let result: DbAsyncResult<unknown> | undefined;
    const called = new Promise<void>((resolve) => {
      result = command.beginExecuteScalar((asyncResult) => {
        calls.push(asyncResult);
        completedWhenCalled = asyncResult.isCompleted;
        calledInsideBegin = insideBegin;
        resolve();
      }, state);
    });
    insideBegin = false;
    expect(result!.completedSynchronously).toBe(false);
    expect(result!.asyncState).toBe(state);
    await called;
    await delay(50);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toBe(result);
    expect(calls[0]?.asyncState).toBe(state);
    expect(completedWhenCalled).toBe(true);
    expect(calledInsideBegin).toBe(false);
    expect(asInteger(await command.endExecuteScalar(result!))).toBe(42);
  });

  it('the callback also runs for a failed operation, and End inside it rejects with the server error', async () => {
    const connection = await openAsync();
    const command = connection.createCommand(UNPARSABLE_SQL);
    const ended = new Promise<unknown>((resolve) => {
      command.beginExecuteNonQuery((asyncResult) => {
        command.endExecuteNonQuery(asyncResult).then(resolve, resolve);
      }, null);
    });
    expect(await ended).toBeInstanceOf(DbError);
  });

  gatedIt(sleep, 'polling isCompleted sees the operation finish; status goes from running to completed', async () => {
    const connection = await openAsync();
    const command = connection.createCommand(sleepFor(0.3));
    const result = command.beginExecuteNonQuery();
    expect(result.status).toBe('running');
    let polls = 0;
    while (!result.isCompleted) {
      polls += 1;
      await delay(20);
    }
    expect(polls).toBeGreaterThan(0);
    expect(result.status).toBe('completed');
    await command.endExecuteNonQuery(result);
  });

  gatedIt(
    sleep,
    'waitForCompletion and waitOne return false when their timeout expires first, true once the operation completed',
    async () => {
      const connection = await openAsync();
      const command = connection.createCommand(sleepFor(1));
      const result = command.beginExecuteNonQuery();
      expect(await result.waitForCompletion(50)).toBe(false);
      expect(await result.asyncWaitHandle.waitOne(50)).toBe(false);
      expect(await result.asyncWaitHandle.waitOne()).toBe(true);
      expect(await result.waitForCompletion(0)).toBe(true);
      await command.endExecuteNonQuery(result);
    },
  );

  gatedIt(
    sleep,
    'WaitHandle.waitAny over three connections sleeping 0.9 s, 0.3 s and 0.6 s returns 1, then 2, then 0',
    async () => {
      const connections = await Promise.all([openAsync(), openAsync(), openAsync()]);
      const commands = [0.9, 0.3, 0.6].map((seconds, index) => connections[index]!.createCommand(sleepFor(seconds)));
      const results = commands.map((command) => command.beginExecuteNonQuery());
      const order: number[] = [];
      const remaining = [0, 1, 2];
      while (remaining.length > 0) {
        const index = await WaitHandle.waitAny(
          remaining.map((original) => results[original]!.asyncWaitHandle),
          30_000,
        );
        expect(index).not.toBe(WaitHandle.WaitTimeout);
        const original = remaining.splice(index, 1)[0]!;
        order.push(original);
        await commands[original]!.endExecuteNonQuery(results[original]!);
      }
      expect(order).toEqual([1, 2, 0]);
    },
    30_000,
  );

  gatedIt(
    sleep,
    'WaitHandle.waitAll with a timeout that expires returns false; without a timeout it returns true',
    async () => {
      const connections = await Promise.all([openAsync(), openAsync(), openAsync()]);
      // Generous margins: the first two finish long before the timeout, the third long after it.
      const commands = [0.1, 0.2, 5].map((seconds, index) => connections[index]!.createCommand(sleepFor(seconds)));
      const results = commands.map((command) => command.beginExecuteNonQuery());
      const handles = results.map((result) => result.asyncWaitHandle);
      expect(await WaitHandle.waitAll(handles, 2_000)).toBe(false);
      expect(results.map((result) => result.isCompleted)).toEqual([true, true, false]);
      expect(await WaitHandle.waitAll(handles)).toBe(true);
      for (const [index, command] of commands.entries()) await command.endExecuteNonQuery(results[index]!);
    },
    30_000,
  );

  gatedIt(sleep, 'WaitHandle.waitAny with a timeout that expires returns WaitHandle.WaitTimeout', async () => {
    const connection = await openAsync();
    const command = connection.createCommand(sleepFor(1));
    const result = command.beginExecuteNonQuery();
    expect(await WaitHandle.waitAny([result.asyncWaitHandle], 100)).toBe(WaitHandle.WaitTimeout);
    expect(await WaitHandle.waitAny([result.asyncWaitHandle])).toBe(0);
    await command.endExecuteNonQuery(result);
  });

  it('beginOpen on two connections invokes each callback with its state; endOpen in the callback completes the open', async () => {
    const connections = [await context.create(ASYNC), await context.create(ASYNC)] as const;
    const opened = await new Promise<unknown[]>((resolve, reject) => {
      const states: unknown[] = [];
      const callback = (result: IAsyncResult): void => {
        const connection = connections[result.asyncState === 'first' ? 0 : 1];
        connection.endOpen(result).then(() => {
          states.push(result.asyncState);
          if (states.length === 2) resolve(states);
        }, reject);
      };
      const first = connections[0].beginOpen(callback, 'first');
      connections[1].beginOpen(callback, 'second');
      expect(first.isCompleted).toBe(false);
      expect(connections[0].state).toBe(ConnectionState.Connecting);
    });
    expect([...opened].sort()).toEqual(['first', 'second']);
    for (const connection of connections) {
      expect(connection.state).toBe(ConnectionState.Open);
      expect(asInteger(await context.scalar(connection, 'SELECT 1'))).toBe(1);
    }
  });

  it('beginOpen throws InvalidOperationError synchronously on a connection that is already open', async () => {
    const connection = await openAsync();
    expect(() => connection.beginOpen()).toThrow(InvalidOperationError);
    expect(connection.state).toBe(ConnectionState.Open);
  });

  gatedIt(
    fixtureGate(fixture, 'networkLogin'),
    'a failed open is not thrown by beginOpen: endOpen rejects with a connection_failure DbError',
    async () => {
      await context.ready();
      const port = await closedPort();
      const keywords = networkKeywords(fixture);
      const connectionString = context.connectionString({
        ...ASYNC,
        [keywords.host]: '127.0.0.1',
        [keywords.port]: port,
      });
      const connection = context.track(context.factory.createConnection(connectionString));
      const result = connection.beginOpen();
      const error = await rejectionOf(connection.endOpen(result));
      expect(error).toBeInstanceOf(DbError);
      expect((error as DbError).category).toBe(DbErrorCategory.ConnectionFailure);
      expect(connection.state).toBe(ConnectionState.Closed);
    },
  );

  it('beginExecuteReader honours its CommandBehavior', async () => {
    const connection = await openAsync();
    const command = connection.createCommand('SELECT 1 UNION ALL SELECT 2');
    const reader = await command.endExecuteReader(command.beginExecuteReader(null, null, CommandBehavior.SingleRow));
    expect(await reader.read()).toBe(true);
    expect(await reader.read()).toBe(false);
    await reader.close();
  });

  it('beginExecuteXmlReader returns the text of a single text column', async () => {
    const connection = await openAsync();
    const command = connection.createCommand("SELECT '<a>1</a>'");
    const xml = await command.endExecuteXmlReader(command.beginExecuteXmlReader());
    expect(await xml.readToEnd()).toBe('<a>1</a>');
    await xml.close();
  });

  gatedIt(
    sleepCancel,
    'abort() cancels the operation on the server: status canceled, End rejects with OperationCanceledError',
    async () => {
      const connection = await openAsync();
      const command = connection.createCommand(sleepFor(30));
      const result = command.beginExecuteNonQuery();
      await waitForActiveStatement(context, connection);
      result.abort();
      const error = await rejectionOf(command.endExecuteNonQuery(result));
      expect(error).toBeInstanceOf(OperationCanceledError);
      expect(result.status).toBe('canceled');
      await expectSessionIdle(context, connection);
      expect(asInteger(await context.scalar(connection, 'SELECT 1'))).toBe(1);
    },
    30_000,
  );

  gatedIt(
    sleepCancel,
    'closing the connection while an operation is pending stops it; End rejects with InvalidOperationError',
    async () => {
      const connection = await openAsync();
      const command = connection.createCommand(sleepFor(30));
      const result = command.beginExecuteNonQuery();
      const sessionId = await waitForActiveStatement(context, connection);
      await connection.close();
      const error = await rejectionOf(command.endExecuteNonQuery(result));
      expect(error).toBeInstanceOf(InvalidOperationError);
      expect(error.message).toContain('The connection is closed.');
      await expectSessionIdle(context, sessionId);
    },
    30_000,
  );

  it('closing a connection whose completed operation was never ended emits the ASYNCDB_END_NOT_CALLED warning', async () => {
    const faults = watchProcessFaults();
    try {
      const connection = await openAsync();
      const result = connection.createCommand('SELECT 1').beginExecuteNonQuery();
      await result.asyncWaitHandle.waitOne();
      await connection.close();
      await waitUntil(() => faults.warnings.some((warning) => warning.code === 'ASYNCDB_END_NOT_CALLED'), {
        timeoutMs: 2_000,
        what: 'the ASYNCDB_END_NOT_CALLED warning',
      });
    } finally {
      faults.stop();
    }
  });

  it('a failed operation whose End is never called causes no unhandled rejection', async () => {
    const faults = watchProcessFaults();
    try {
      const connection = await openAsync();
      const result = connection.createCommand(UNPARSABLE_SQL).beginExecuteReader();
      await result.asyncWaitHandle.waitOne();
      expect(result.status).toBe('faulted');
      await delay(100);
      await connection.close();
      await delay(100);
      expect(faults.unhandledRejections).toEqual([]);
    } finally {
      faults.stop();
    }
  });
}
