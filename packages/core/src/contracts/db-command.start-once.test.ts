import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConnectionState } from './connection-state.js';
import { ParameterDirection } from './parameter-direction.js';
import { CANCEL_GRACE_MS } from '../execution/execution-scope.js';
import { DbError, DbTimeoutError, OperationCanceledError } from '../errors/errors.js';
import type { CommandRequest, OneShotKind, OneShotSink } from '../providers/provider-spi.js';
import { MemoryConnection, MemoryProviderFactory } from '../testing/memory-provider.js';
import { rejectionOf, turns } from '../testing/test-support.js';

/** What a provider's `startOnceCore` was asked, and the sink to answer it through. */
interface StartedOnce {
  readonly request: CommandRequest;
  readonly kind: OneShotKind;
  readonly sink: OneShotSink;
}

/** A provider with the sink form of the one-shot: the test answers each execution by hand. */
class SinkConnection extends MemoryConnection {
  readonly started: StartedOnce[] = [];
  /** What startOnceCore does: start (true), decline (false), or throw. */
  mode: 'start' | 'decline' | 'throw' | 'fail-at-once' = 'start';

  protected override startOnceCore(request: CommandRequest, kind: OneShotKind, sink: OneShotSink): boolean {
    if (this.mode === 'decline') return false;
    if (this.mode === 'throw') throw new Error('the provider threw while starting');
    if (this.mode === 'fail-at-once') {
      sink.fail(new Error('refused before anything was sent'));
      return true;
    }
    this.started.push({ request, kind, sink });
    return true;
  }
}

class SinkFactory extends MemoryProviderFactory {
  override createConnection(connectionString?: string): SinkConnection {
    return new SinkConnection(this, connectionString);
  }
}

async function opened(connectionString = 'Database=test;async=true'): Promise<SinkConnection> {
  const connection = new SinkFactory().createConnection(connectionString);
  await connection.open();
  return connection;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('DbCommand with a provider that implements startOnceCore (the one-shot sink)', () => {
  it('resolves executeScalar with the value the provider delivers, and frees the connection', async () => {
    const connection = await opened();
    const running = connection.createCommand('SELECT 1').executeScalar();
    expect(connection.started).toHaveLength(1);
    expect(connection.started[0]!.kind).toBe('scalar');
    // Busy until the sink is answered: a second command is refused as ADO.NET refuses it.
    await expect(connection.createCommand('SELECT 2').executeScalar()).rejects.toThrow();
    connection.started[0]!.sink.succeed(42, -1, undefined);
    await expect(running).resolves.toBe(42);
    connection.mode = 'decline';
    // Declined: core falls back to the reader path (the memory server answers ROWS 1 with 1).
    await expect(connection.createCommand('ROWS 1').executeScalar()).resolves.toBe(1);
    await connection.close();
  });

  it('resolves executeNonQuery with the records affected, and copies output values back', async () => {
    const connection = await opened();
    const command = connection.createCommand('UPDATE t SET x = 1');
    const output = command.createParameter();
    output.parameterName = '@out';
    output.direction = ParameterDirection.Output;
    command.parameters.add(output);
    const running = command.executeNonQuery();
    expect(connection.started[0]!.kind).toBe('nonQuery');
    connection.started[0]!.sink.succeed(undefined, 7, new Map([['out', 'back']]));
    await expect(running).resolves.toBe(7);
    expect(output.value).toBe('back');
    await connection.close();
  });

  it('maps a provider failure to a DbError and ignores anything the provider delivers after it', async () => {
    const connection = await opened();
    const running = connection.createCommand('SELECT 1').executeScalar();
    const { sink } = connection.started[0]!;
    sink.fail(new Error('relation "missing" does not exist'));
    sink.succeed(1, -1, undefined);
    const error = await rejectionOf(running);
    expect(error).toBeInstanceOf(DbError);
    expect((error as Error).message).toContain('relation "missing" does not exist');
    expect(connection.state).toBe(ConnectionState.Open);
    connection.mode = 'decline';
    await expect(connection.createCommand('ROWS 1').executeScalar()).resolves.toBe(1);
    await connection.close();
  });

  it('rejects when the provider fails or throws before it returns, and the connection stays usable', async () => {
    const connection = await opened();
    connection.mode = 'fail-at-once';
    await expect(connection.createCommand('SELECT 1').executeScalar()).rejects.toThrow('refused before anything');
    connection.mode = 'throw';
    await expect(connection.createCommand('SELECT 1').executeScalar()).rejects.toThrow('the provider threw');
    connection.mode = 'decline';
    await expect(connection.createCommand('ROWS 1').executeScalar()).resolves.toBe(1);
    await connection.close();
  });

  it('reports a cancel as OperationCanceledError once the provider settles after it', async () => {
    const connection = await opened();
    const command = connection.createCommand('SELECT pg_sleep(10)');
    const running = command.executeScalar();
    command.cancel();
    await turns();
    // The provider saw the abort and ended the statement with its own error.
    connection.started[0]!.sink.fail(new Error('canceling statement due to user request'));
    expect(await rejectionOf(running)).toBeInstanceOf(OperationCanceledError);
    expect(connection.state).toBe(ConnectionState.Open);
    await connection.close();
  });

  it('fails a provider that never settles after the abort once the grace period is over, and breaks the connection', async () => {
    const connection = await opened();
    vi.useFakeTimers();
    const command = connection.createCommand('SELECT pg_sleep(10)');
    const running = command.executeScalar();
    const outcome = rejectionOf(running);
    command.cancel();
    await vi.advanceTimersByTimeAsync(CANCEL_GRACE_MS - 1);
    let settled = false;
    void outcome.then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(2);
    expect(await outcome).toBeInstanceOf(OperationCanceledError);
    expect(connection.state).toBe(ConnectionState.Broken);
    // A late answer from the provider changes nothing.
    connection.started[0]!.sink.succeed(1, -1, undefined);
    await connection.close();
  });

  it('times out on the command timeout while the provider has not answered', async () => {
    const connection = await opened();
    vi.useFakeTimers();
    const command = connection.createCommand('SELECT pg_sleep(10)');
    command.commandTimeout = 1;
    const outcome = rejectionOf(command.executeScalar());
    await vi.advanceTimersByTimeAsync(1_100);
    // The provider reacts to the abort as a real one does: its statement ends with an error.
    connection.started[0]!.sink.fail(new Error('canceling statement due to statement timeout'));
    expect(await outcome).toBeInstanceOf(DbTimeoutError);
    await connection.close();
  });

  it('aborts a running one-shot on close(), which waits for the provider to settle', async () => {
    const connection = await opened();
    const running = rejectionOf(connection.createCommand('SELECT pg_sleep(10)').executeScalar());
    const closing = connection.close();
    await turns();
    connection.started[0]!.sink.fail(new Error('terminating statement'));
    await closing;
    expect(connection.state).toBe(ConnectionState.Closed);
    expect(await running).toBeInstanceOf(Error);
  });
});
