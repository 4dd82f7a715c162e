import {
  ConnectionState,
  DbError,
  DbErrorCategory,
  DbTimeoutError,
  OperationCanceledError,
  type StateChangeEvent,
} from '@asyncdb/core';
import { describe, expect, it, vi } from 'vitest';
import { MysqlProviderFactory } from '../src/index.js';
import { connectionString, openConnection, scalar, sessionExists, useWatcher } from './mysql-test-server.js';

const watcher = useWatcher();

describe('pooling', () => {
  it('hands the same physical session to the next open of the same connection string', async () => {
    const options = 'Max Pool Size=1;Application Name=pool-reuse';
    const first = await openConnection(options);
    const id = first.sessionId;
    await first.close();
    const second = await openConnection(options);
    expect(second.sessionId).toBe(id);
    await second.close();
  });

  it('resets user variables, session variables and temporary tables before reuse', async () => {
    const options = 'Max Pool Size=1;Application Name=pool-reset';
    const first = await openConnection(options);
    const id = first.sessionId;
    const defaultSqlMode = await scalar<string>(first, 'SELECT @@SESSION.sql_mode');
    await first
      .createCommand("SET @x = 5; SET SESSION sql_mode = 'ANSI'; CREATE TEMPORARY TABLE pool_reset_tmp (a INT)")
      .executeNonQuery();
    expect(await scalar(first, 'SELECT @x')).toBe(5n);
    await first.close();

    const second = await openConnection(options);
    expect(second.sessionId).toBe(id);
    expect(await scalar(second, 'SELECT @x')).toBeNull();
    expect(await scalar(second, 'SELECT @@SESSION.sql_mode')).toBe(defaultSqlMode);
    expect(await scalar(second, 'SELECT @@SESSION.time_zone')).toBe('+00:00');
    await expect(scalar(second, 'SELECT COUNT(*) FROM pool_reset_tmp')).rejects.toMatchObject({
      category: DbErrorCategory.UndefinedObject,
    });
    await second.close();
  });

  it('keeps the session as it was with Connection Reset=false', async () => {
    const options = 'Max Pool Size=1;Connection Reset=false;Application Name=pool-noreset';
    const first = await openConnection(options);
    await first.createCommand('SET @kept = 7').executeNonQuery();
    await first.close();
    const second = await openConnection(options);
    expect(await scalar(second, 'SELECT @kept')).toBe(7n);
    await second.changeDatabase('information_schema');
    await second.close();
    const third = await openConnection(options);
    expect(await scalar(third, 'SELECT @kept')).toBe(7n);
    expect(await scalar(third, 'SELECT DATABASE()')).toBe(third.database);
    await third.close();
  });

  it('returns to the configured database when a session changed it', async () => {
    const options = 'Max Pool Size=1;Application Name=pool-database';
    const first = await openConnection(options);
    const database = first.database;
    await first.changeDatabase('information_schema');
    expect(first.database).toBe('information_schema');
    await first.close();
    const second = await openConnection(options);
    expect(second.database).toBe(database);
    expect(await scalar(second, 'SELECT DATABASE()')).toBe(database);
    await second.close();
  });

  it('fails an open with DbTimeoutError of kind pool when Max Pool Size is reached, and recovers', async () => {
    const options = 'Max Pool Size=2;Connect Timeout=1;Application Name=pool-exhausted';
    const a = await openConnection(options);
    const b = await openConnection(options);
    const c = MysqlProviderFactory.instance.createConnection(connectionString(options));
    const failure = await c.open().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(DbTimeoutError);
    expect((failure as DbTimeoutError).kind).toBe('pool');
    expect(c.state).toBe(ConnectionState.Closed);

    const idOfA = a.sessionId;
    await a.close();
    // The abandoned wait must not keep a connection: the next open gets A's session at once.
    await c.open();
    expect(c.sessionId).toBe(idOfA);
    await Promise.all([b.close(), c.close()]);
  });

  it('opens a fresh session per open and ends it on close with Pooling=false', async () => {
    const first = await openConnection('Pooling=false');
    const id = Number(first.sessionId);
    await first.close();
    await vi.waitFor(async () => expect(await sessionExists(watcher(), id)).toBe(false));
    const second = await openConnection('Pooling=false');
    expect(second.sessionId).not.toBe(id);
    await second.close();
  });

  it('closes idle connections at once on clearPool, and in-use ones when they are closed', async () => {
    const options = 'Max Pool Size=3;Application Name=pool-clear';
    const idle = await openConnection(options);
    const busy = await openConnection(options);
    const idleId = Number(idle.sessionId);
    const busyId = Number(busy.sessionId);
    await idle.close();
    await MysqlProviderFactory.instance.clearPool(connectionString(options));
    await vi.waitFor(async () => expect(await sessionExists(watcher(), idleId)).toBe(false));
    expect(await scalar(busy, 'SELECT 1')).toBe(1);
    await busy.close();
    await vi.waitFor(async () => expect(await sessionExists(watcher(), busyId)).toBe(false));
    const next = await openConnection(options);
    expect([idleId, busyId]).not.toContain(Number(next.sessionId));
    await next.close();
  });

  it('opens Min Pool Size connections when the pool is created', async () => {
    // A database of its own, so that PROCESSLIST tells this pool's sessions apart from every other test's.
    await watcher().query('CREATE DATABASE IF NOT EXISTS asyncdb_pool_min');
    const options = 'Database=asyncdb_pool_min;Min Pool Size=3;Max Pool Size=5';
    const connection = await openConnection(options);
    await vi.waitFor(async () => {
      const [rows] = await watcher().query(
        "SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE DB = 'asyncdb_pool_min'",
      );
      expect(Number((rows as Array<{ n: number }>)[0]?.n)).toBeGreaterThanOrEqual(3);
    });
    await connection.close();
    await MysqlProviderFactory.instance.clearPool(connectionString(options));
    await watcher().query('DROP DATABASE asyncdb_pool_min');
  });

  it('evicts an idle pooled connection the server killed, without crashing, and opens another', async () => {
    const options = 'Max Pool Size=1;Application Name=pool-killed-idle';
    const first = await openConnection(options);
    const id = Number(first.sessionId);
    await first.close();
    await watcher().query(`KILL ${id}`);
    await vi.waitFor(async () => expect(await sessionExists(watcher(), id)).toBe(false));
    const second = await openConnection(options);
    expect(second.sessionId).not.toBe(id);
    expect(await scalar(second, 'SELECT 1')).toBe(1);
    await second.close();
  });

  it('marks an open connection Broken when its session is killed, and reopens cleanly', async () => {
    const options = 'Max Pool Size=1;Application Name=pool-killed-open';
    const connection = await openConnection(options);
    const id = Number(connection.sessionId);
    const states: StateChangeEvent[] = [];
    connection.on('stateChange', (event) => states.push(event));
    await watcher().query(`KILL ${id}`);
    await vi.waitFor(() => expect(connection.state).toBe(ConnectionState.Broken));
    expect(states.at(-1)).toEqual({ originalState: ConnectionState.Open, currentState: ConnectionState.Broken });
    await connection.close();
    await connection.open();
    expect(connection.sessionId).not.toBe(id);
    expect(await scalar(connection, 'SELECT 1')).toBe(1);
    await connection.close();
  });

  it('fails a command whose session was killed with a connection_failure DbError', async () => {
    const options = 'Max Pool Size=1;Application Name=pool-killed-running';
    const connection = await openConnection(options);
    const id = Number(connection.sessionId);
    // Observed at once: the rejection arrives while the test is still busy killing the session.
    const outcome = scalar(connection, 'SELECT SLEEP(30)').then(
      () => undefined,
      (failure: unknown) => failure,
    );
    await vi.waitFor(async () => {
      const [rows] = await watcher().query('SELECT INFO FROM information_schema.PROCESSLIST WHERE ID = ?', [id]);
      expect((rows as Array<{ INFO: string | null }>)[0]?.INFO).toContain('SLEEP');
    });
    await watcher().query(`KILL ${id}`);
    const error = await outcome;
    expect(error).toBeInstanceOf(DbError);
    expect((error as DbError).category).toBe(DbErrorCategory.ConnectionFailure);
    await connection.close();
  });

  // Issue 13 item 9, on core's pool: a burst on a warm pool respects the pool wait and the caller's signal.
  it('a burst of opens on a warm pool: the waiting ones fail at Connect Timeout as pool timeouts, an aborted one at once', async () => {
    const options = 'Max Pool Size=2;Connect Timeout=1;Application Name=pool-burst';
    const warm = await Promise.all([openConnection(options), openConnection(options)]);
    await Promise.all(warm.map((connection) => connection.close()));
    const started = Date.now();
    const settle = (promise: Promise<unknown>): Promise<{ outcome: unknown; ms: number }> =>
      promise.then(
        (outcome) => ({ outcome, ms: Date.now() - started }),
        (outcome: unknown) => ({ outcome, ms: Date.now() - started }),
      );
    const controller = new AbortController();
    const aborted = MysqlProviderFactory.instance.createConnection(connectionString(options));
    const burst = [
      settle(openConnection(options)),
      settle(openConnection(options)),
      settle(openConnection(options)),
      settle(aborted.open({ signal: controller.signal })),
    ];
    setTimeout(() => controller.abort('enough'), 100);
    const [first, second, third, fourth] = (await Promise.all(burst)) as Array<{ outcome: unknown; ms: number }>;
    expect(first!.outcome).toHaveProperty('state', ConnectionState.Open);
    expect(second!.outcome).toHaveProperty('state', ConnectionState.Open);
    expect(third!.outcome).toBeInstanceOf(DbTimeoutError);
    expect((third!.outcome as DbTimeoutError).kind).toBe('pool');
    expect(third!.ms).toBeGreaterThanOrEqual(950);
    expect(third!.ms).toBeLessThan(1_900);
    expect(fourth!.outcome).toBeInstanceOf(OperationCanceledError);
    expect(fourth!.ms).toBeLessThan(900);
    for (const held of [first!, second!]) await (held.outcome as { close(): Promise<void> }).close();
  });

  // Issue 13 item 9: a burst far beyond what a small pool can serve within Connect Timeout, through both the Promise
  // and the Begin/End APIs: every unit either completes with its own value or fails with the typed pool timeout —
  // never a connect timeout, another error or a hang — and the pool is whole afterwards.
  it('a burst of 40 opens and beginOpens on a pool of 2: each completes or times out with kind pool, and the pool recovers', async () => {
    const options = 'Max Pool Size=2;Connect Timeout=1;Asynchronous Processing=true;Application Name=pool-burst-40';
    await Promise.all([openConnection(options), openConnection(options)]).then((warm) =>
      Promise.all(warm.map((connection) => connection.close())),
    );
    const unit = async (index: number): Promise<number> => {
      const connection = MysqlProviderFactory.instance.createConnection(connectionString(options));
      if (index % 2 === 0) await connection.open();
      else await connection.endOpen(connection.beginOpen());
      try {
        // Held long enough that most of the burst cannot get a session within Connect Timeout.
        const command = connection.createCommand(`SELECT ${index} + SLEEP(0.3) * 0`);
        const value =
          index % 2 === 0
            ? await command.executeScalar()
            : await command.endExecuteScalar(command.beginExecuteScalar());
        return Number(value);
      } finally {
        await connection.close();
      }
    };
    const outcomes = await Promise.allSettled(Array.from({ length: 40 }, (_, index) => unit(index)));
    const completed = outcomes.flatMap((outcome, index) =>
      outcome.status === 'fulfilled' ? [[index, outcome.value]] : [],
    );
    const failed = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as unknown] : []));
    for (const [index, value] of completed) expect(value).toBe(index);
    for (const error of failed) {
      expect(error).toBeInstanceOf(DbTimeoutError);
      expect((error as DbTimeoutError).kind).toBe('pool');
    }
    expect(completed.length).toBeGreaterThanOrEqual(2);
    expect(failed.length).toBeGreaterThan(0);
    const again = await Promise.all([openConnection(options), openConnection(options)]);
    for (const connection of again) expect(await scalar(connection, 'SELECT 1')).toBe(1);
    await Promise.all(again.map((connection) => connection.close()));
  });

  // Issue 13 item 10: a session killed while idle must never reach the next caller once its socket has told us.
  it('never hands out a session killed while idle once the server has closed it: 20 kills, 0 failures', async () => {
    const failures = await killIdleAndReuse('Max Pool Size=1;Application Name=pool-kill-20', { awaitGoodbye: true });
    expect(failures).toEqual([]);
  });

  // The window no client closes: KILL's goodbye still in flight when the session is reused at once. Measured (README);
  // what this pins is that such a failure is typed and transient, and the pool recovers with the next open.
  it('a session reused while the server goodbye is in flight fails typed and transient, and the pool recovers', async () => {
    const failures = await killIdleAndReuse('Max Pool Size=1;Application Name=pool-kill-at-once', {
      awaitGoodbye: false,
    });
    for (const error of failures) {
      expect(error).toBeInstanceOf(DbError);
      expect((error as DbError).isTransient).toBe(true);
    }
    console.log(`mysql: idle session killed and reused at once: ${failures.length}/20 first commands failed`);
  });
});

/**
 * 20 rounds of: open, close (the session goes idle), KILL it from the watcher, optionally wait until the server has
 * dropped it, open again and run a command. Returns the errors of the commands that failed; checks after each round
 * that the next open works.
 */
async function killIdleAndReuse(options: string, { awaitGoodbye }: { awaitGoodbye: boolean }): Promise<unknown[]> {
  const failures: unknown[] = [];
  for (let round = 0; round < 20; round++) {
    const connection = await openConnection(options);
    const id = Number(connection.sessionId);
    await connection.close();
    await watcher().query(`KILL ${id}`);
    if (awaitGoodbye) await vi.waitFor(async () => expect(await sessionExists(watcher(), id)).toBe(false));
    const next = await openConnection(options);
    try {
      expect(await scalar(next, 'SELECT 2')).toBe(2);
    } catch (error) {
      failures.push(error);
    } finally {
      await next.close();
    }
    const after = await openConnection(options);
    expect(await scalar(after, 'SELECT 3')).toBe(3);
    await after.close();
  }
  return failures;
}
