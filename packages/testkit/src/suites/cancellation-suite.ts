import { expect, it } from 'vitest';
import {
  ConnectionState,
  DbErrorCategory,
  DbTimeoutError,
  OperationCanceledError,
  type DbCommand,
  type DbConnection,
} from '@asyncdb/core';
import type { ConformanceContext, KeywordOverrides } from '../conformance-context.js';
import { allOf, capabilityGate, gatedIt } from '../capability-gate.js';
import { fixtureGate, isNotAvailable, networkKeywords, requirePart, sleepSql } from '../fixture-parts.js';
import { delay } from '../helpers/delay.js';
import { asInteger } from '../helpers/integer.js';
import { rejectionOf } from '../helpers/rejection.js';
import { startSilentServer, type SilentServer } from '../helpers/silent-server.js';
import { expectSessionIdle, waitForActiveStatement } from './session-probes.js';

/** Long enough that only a server-side stop ends it within the test's timeout. */
const LONG_SLEEP_SECONDS = 30;
/** How long a CPU-bound statement runs before the test stops it, where no other connection can watch it run. */
const BUSY_HEAD_START_MS = 300;
/** Far more rows than a reader fetches at a time, yet quick for any engine to start producing. */
const STREAMED_ROWS = 200_000;

/**
 * Group 8 — Cancellation and timeouts: `cancel()`, an `AbortSignal` and `commandTimeout` stop a 30-second sleep and
 * a CPU-bound statement on the server (a second connection sees the session idle again, or — for an engine whose
 * sessions no other connection sees — the same connection runs its next statement at once), the connection stays
 * usable, and the four failures are told apart: canceled, command timeout, connect timeout, pool timeout
 * (docs/cancellation-and-timeouts.md).
 */
export function cancellationSuite(context: ConformanceContext): void {
  const { capabilities, factory, fixture } = context;
  const serverCancel = capabilityGate(capabilities, 'cancellation', (kind) => kind !== 'none');
  const pooling = capabilityGate(capabilities, 'supportsPooling');
  // A pool timeout needs an open that waits for a session: only where each open connection holds one.
  const poolWait = allOf(pooling, fixtureGate(fixture, 'sessionPerConnection'));
  const networkLogin = fixtureGate(fixture, 'networkLogin');
  const sessionIds = fixtureGate(fixture, 'sessionIds');
  // Without session ids (a transaction pooler, multiplexing) the stop is still proven: see expectRecovered.
  const sleepCancel = allOf(serverCancel, fixtureGate(fixture, 'sleep'));
  const busyCancel = allOf(serverCancel, fixtureGate(fixture, 'busyStatement'));
  const busySql = (): string => requirePart(fixture.sql.busy, 'sql.busy');

  /**
   * Runs `body` with a server that accepts connections and never answers, and a new connection to it (closed after
   * the test, its own pool) with `Connect Timeout` set; the server is closed when `body` settles.
   */
  async function withSilentServer<T>(
    connectTimeout: number,
    body: (connection: DbConnection, silent: SilentServer) => Promise<T>,
  ): Promise<T> {
    const silent = await startSilentServer();
    try {
      await context.ready();
      const keywords = networkKeywords(fixture);
      const connectionString = context.isolatedConnectionString({
        [keywords.host]: silent.host,
        [keywords.port]: silent.port,
        'Connect Timeout': connectTimeout,
      });
      return await body(context.track(factory.createConnection(connectionString)), silent);
    } finally {
      await silent.close();
    }
  }

  /** Starts the long sleep, waits until the server runs it, stops it with `stop`, and resolves the rejection. */
  async function stopLongSleep(
    stop: (command: DbCommand) => void,
    options: { readonly overrides?: KeywordOverrides; readonly signal?: AbortSignal } = {},
  ): Promise<{ error: Error; connection: DbConnection }> {
    const connection = await context.open(options.overrides);
    const command = connection.createCommand(sleepSql(fixture, LONG_SLEEP_SECONDS));
    const running = command.executeNonQuery({ signal: options.signal });
    running.catch(() => {});
    if (sessionIds.supported) await waitForActiveStatement(context, connection);
    else await delay(BUSY_HEAD_START_MS);
    stop(command);
    const error = await rejectionOf(running);
    return { error, connection };
  }

  /**
   * Starts the CPU-bound statement, lets it run (watched from a second connection where the engine allows it),
   * stops it with `stop`, and resolves the rejection.
   */
  async function stopBusyStatement(
    stop: (command: DbCommand) => void,
    options: { readonly overrides?: KeywordOverrides; readonly signal?: AbortSignal } = {},
  ): Promise<{ error: Error; connection: DbConnection }> {
    const connection = await context.open(options.overrides);
    const command = connection.createCommand(busySql());
    const running = command.executeScalar({ signal: options.signal });
    running.catch(() => {});
    if (sessionIds.supported) await waitForActiveStatement(context, connection);
    else await delay(BUSY_HEAD_START_MS);
    stop(command);
    const error = await rejectionOf(running);
    return { error, connection };
  }

  /**
   * The session is idle on the server, and the same connection runs the next command. Where no other connection can
   * see the session (an in-process engine, a transaction pooler, multiplexing), the connection still being Open is the
   * proof: core gives a stopped operation's provider 5 seconds to settle (the server's answer to the cancel) and marks
   * the connection Broken when it does not, so a statement still running on the server (a 30-second sleep, a
   * minutes-long computation) leaves it Broken; and the next statement runs.
   */
  async function expectRecovered(connection: DbConnection): Promise<void> {
    if (sessionIds.supported) await expectSessionIdle(context, connection);
    expect(connection.state).toBe(ConnectionState.Open);
    expect(asInteger(await context.scalar(connection, 'SELECT 1'))).toBe(1);
  }

  gatedIt(
    sleepCancel,
    'cancel() stops a 30-second sleep on the server: OperationCanceledError, and the connection stays usable',
    async () => {
      const { error, connection } = await stopLongSleep((command) => command.cancel());
      expect(error).toBeInstanceOf(OperationCanceledError);
      expect(error).not.toBeInstanceOf(DbTimeoutError);
      await expectRecovered(connection);
    },
    30_000,
  );

  gatedIt(
    sleepCancel,
    "an AbortSignal stops a 30-second sleep on the server: OperationCanceledError carrying the signal's reason",
    async () => {
      const controller = new AbortController();
      const reason = new Error('the caller gave up');
      const { error, connection } = await stopLongSleep(() => controller.abort(reason), { signal: controller.signal });
      expect(error).toBeInstanceOf(OperationCanceledError);
      expect((error as OperationCanceledError).reason).toBe(reason);
      await expectRecovered(connection);
    },
    30_000,
  );

  gatedIt(
    sleepCancel,
    'commandTimeout stops a 30-second sleep on the server: DbTimeoutError of kind command',
    async () => {
      const connection = await context.open();
      const command = connection.createCommand(sleepSql(fixture, LONG_SLEEP_SECONDS));
      command.commandTimeout = 1;
      const error = await rejectionOf(command.executeNonQuery());
      expect(error).toBeInstanceOf(DbTimeoutError);
      expect((error as DbTimeoutError).kind).toBe('command');
      expect((error as DbTimeoutError).category).toBe(DbErrorCategory.QueryCanceled);
      await expectRecovered(connection);
    },
    30_000,
  );

  gatedIt(
    sleepCancel,
    "the connection string's Command Timeout applies to commands that do not set their own",
    async () => {
      const connection = await context.open({ 'Command Timeout': 1 });
      const error = await rejectionOf(connection.createCommand(sleepSql(fixture, LONG_SLEEP_SECONDS)).executeScalar());
      expect(error).toBeInstanceOf(DbTimeoutError);
      expect((error as DbTimeoutError).kind).toBe('command');
      await expectRecovered(connection);
    },
    30_000,
  );

  gatedIt(
    serverCancel,
    'cancel() while a reader streams a large result stops it; the connection stays usable',
    async () => {
      const connection = await context.open();
      const command = connection.createCommand(fixture.sql.generateRows(STREAMED_ROWS));
      const reader = await command.executeReader();
      expect(await reader.read()).toBe(true);
      command.cancel();
      const error = await rejectionOf(
        (async () => {
          while (await reader.read()) {
            // Rows already fetched may still come; the cancel must end the stream.
          }
        })(),
      );
      expect(error).toBeInstanceOf(OperationCanceledError);
      await reader.close();
      await expectRecovered(connection);
    },
    60_000,
  );

  gatedIt(
    busyCancel,
    'cancel() interrupts a CPU-bound statement on the server: OperationCanceledError, and the connection stays usable',
    async () => {
      const { error, connection } = await stopBusyStatement((command) => command.cancel());
      expect(error).toBeInstanceOf(OperationCanceledError);
      expect(error).not.toBeInstanceOf(DbTimeoutError);
      await expectRecovered(connection);
    },
    30_000,
  );

  gatedIt(
    busyCancel,
    "an AbortSignal interrupts a CPU-bound statement on the server: OperationCanceledError carrying the signal's reason",
    async () => {
      const controller = new AbortController();
      const reason = new Error('the caller gave up');
      const { error, connection } = await stopBusyStatement(() => controller.abort(reason), {
        signal: controller.signal,
      });
      expect(error).toBeInstanceOf(OperationCanceledError);
      expect((error as OperationCanceledError).reason).toBe(reason);
      await expectRecovered(connection);
    },
    30_000,
  );

  gatedIt(
    busyCancel,
    'commandTimeout interrupts a CPU-bound statement on the server: DbTimeoutError of kind command',
    async () => {
      const connection = await context.open();
      const command = connection.createCommand(busySql());
      command.commandTimeout = 1;
      const error = await rejectionOf(command.executeScalar());
      expect(error).toBeInstanceOf(DbTimeoutError);
      expect((error as DbTimeoutError).kind).toBe('command');
      expect((error as DbTimeoutError).category).toBe(DbErrorCategory.QueryCanceled);
      await expectRecovered(connection);
    },
    30_000,
  );

  it('an already-aborted signal rejects every execute method with OperationCanceledError before anything is sent', async () => {
    const connection = await context.open();
    const signal = AbortSignal.abort(new Error('too late'));
    // Never sent: any long statement the fixture has will do.
    const sleep = isNotAvailable(fixture.sql.sleep)
      ? fixture.sql.busy === undefined || isNotAvailable(fixture.sql.busy)
        ? 'SELECT 1'
        : fixture.sql.busy
      : fixture.sql.sleep(LONG_SLEEP_SECONDS);
    await expect(connection.createCommand(sleep).executeNonQuery({ signal })).rejects.toBeInstanceOf(
      OperationCanceledError,
    );
    await expect(connection.createCommand(sleep).executeScalar({ signal })).rejects.toBeInstanceOf(
      OperationCanceledError,
    );
    await expect(connection.createCommand(sleep).executeReader({ signal })).rejects.toBeInstanceOf(
      OperationCanceledError,
    );
    await expectRecovered(connection);
  });

  gatedIt(
    networkLogin,
    'a server that accepts but never answers fails the open with DbTimeoutError of kind connect after Connect Timeout',
    async () => {
      await withSilentServer(1, async (connection, silent) => {
        const error = await rejectionOf(connection.open());
        expect(error).toBeInstanceOf(DbTimeoutError);
        expect((error as DbTimeoutError).kind).toBe('connect');
        expect(connection.state).toBe(ConnectionState.Closed);
        expect(silent.accepted).toBeGreaterThan(0);
      });
    },
    30_000,
  );

  gatedIt(
    networkLogin,
    'an AbortSignal stops an open in progress with OperationCanceledError',
    async () => {
      await withSilentServer(30, async (connection) => {
        const controller = new AbortController();
        const opening = connection.open({ signal: controller.signal });
        setTimeout(() => controller.abort(new Error('stop connecting')), 200);
        const error = await rejectionOf(opening);
        expect(error).toBeInstanceOf(OperationCanceledError);
        expect(connection.state).toBe(ConnectionState.Closed);
      });
    },
    30_000,
  );

  gatedIt(
    poolWait,
    'waiting for a pooled connection longer than Connect Timeout fails with DbTimeoutError of kind pool',
    async () => {
      await context.ready();
      const connectionString = context.isolatedConnectionString({ 'Max Pool Size': 1, 'Connect Timeout': 1 });
      const holder = context.track(factory.createConnection(connectionString));
      await holder.open();
      const waiter = context.track(factory.createConnection(connectionString));
      const error = await rejectionOf(waiter.open());
      expect(error).toBeInstanceOf(DbTimeoutError);
      expect((error as DbTimeoutError).kind).toBe('pool');
      expect(waiter.state).toBe(ConnectionState.Closed);
      await holder.close();
      await waiter.open();
      expect(asInteger(await context.scalar(waiter, 'SELECT 1'))).toBe(1);
    },
    30_000,
  );

  gatedIt(
    allOf(sleepCancel, poolWait, networkLogin),
    'the four failures are told apart: canceled, command timeout, connect timeout, pool timeout',
    async () => {
      await context.ready();
      const canceled = (await stopLongSleep((command) => command.cancel())).error;

      const timed = await context.open();
      const slow = timed.createCommand(sleepSql(fixture, LONG_SLEEP_SECONDS));
      slow.commandTimeout = 1;
      const commandTimeout = await rejectionOf(slow.executeNonQuery());

      const connectTimeout = await withSilentServer(1, (connection) => rejectionOf(connection.open()));

      const pooled = context.isolatedConnectionString({ 'Max Pool Size': 1, 'Connect Timeout': 1 });
      await context.track(factory.createConnection(pooled)).open();
      const poolTimeout = await rejectionOf(context.track(factory.createConnection(pooled)).open());

      expect(canceled).toBeInstanceOf(OperationCanceledError);
      expect(canceled).not.toBeInstanceOf(DbTimeoutError);
      const kinds = [commandTimeout, connectTimeout, poolTimeout].map((error) => {
        expect(error).toBeInstanceOf(DbTimeoutError);
        expect(error).not.toBeInstanceOf(OperationCanceledError);
        return (error as DbTimeoutError).kind;
      });
      expect(kinds).toEqual(['command', 'connect', 'pool']);
    },
    60_000,
  );
}
