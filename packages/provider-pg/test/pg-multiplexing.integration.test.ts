import { ConnectionState, DbError, NotSupportedError, OperationCanceledError, type DbTransaction } from '@asyncdb/core';
import { afterAll, describe, expect, it } from 'vitest';
import { PgProviderFactory, type PgConnection } from '../src/index.js';
import { pgCancelRequestStats } from '../src/pg-cancel-request.js';
import { PgConnectionStringBuilder } from '../src/pg-connection-string-builder.js';
import { pgMultiplexingStats } from '../src/multiplexing/pg-mux-statements.js';
import {
  connectionString,
  eventually,
  execute,
  rows,
  scalar,
  uniqueName,
  withObserver,
} from './pg-integration-helpers.js';

afterAll(async () => {
  await PgProviderFactory.instance.clearAllPools();
});

/** A multiplexed connection string of its own (a fresh multiplexer per test: `Application Name` splits them). */
function muxString(name: string, maxPoolSize = 3): string {
  return connectionString({ Multiplexing: true, 'Max Pool Size': maxPoolSize, 'Application Name': `mux-${name}` });
}

/** `executeScalar` in `transaction`. */
async function txScalar(connection: PgConnection, transaction: DbTransaction, sql: string): Promise<unknown> {
  const command = connection.createCommand(sql);
  command.transaction = transaction;
  return command.executeScalar();
}

/** `executeNonQuery` in `transaction`. */
async function txExecute(connection: PgConnection, transaction: DbTransaction, sql: string): Promise<number> {
  const command = connection.createCommand(sql);
  command.transaction = transaction;
  return command.executeNonQuery();
}

async function openMux(text: string): Promise<PgConnection> {
  const connection = PgProviderFactory.instance.createConnection(text);
  await connection.open();
  return connection;
}

function multiplexerOf(text: string) {
  return PgProviderFactory.instance.multiplexers.get(new PgConnectionStringBuilder(text));
}

/** Backends of an application name (the sessions a multiplexer holds). */
async function backends(applicationName: string): Promise<number> {
  return withObserver(async (observer) =>
    Number(
      await scalar(observer, 'SELECT count(*) FROM pg_stat_activity WHERE application_name = @name', {
        name: applicationName,
      }),
    ),
  );
}

describe('Multiplexing=true', () => {
  it('opens without a session of its own and runs 200 commands from 100 connections on at most Max Pool Size sessions', async () => {
    const text = muxString('fanout', 4);
    const connections = await Promise.all(Array.from({ length: 100 }, () => openMux(text)));
    try {
      const results = await Promise.all(
        connections.map(async (connection, i) => [
          await scalar(connection, 'SELECT @n::int * 2', { n: i }),
          await scalar(connection, `SELECT ${i}`),
        ]),
      );
      expect(results).toEqual(connections.map((_, i) => [i * 2, i]));
      expect(multiplexerOf(text).sessionCount).toBeLessThanOrEqual(4);
      expect(await backends('mux-fanout')).toBeLessThanOrEqual(4);
    } finally {
      await Promise.all(connections.map((connection) => connection.close()));
    }
  });

  it('after the first open, an open is Open at once (it waits for nothing); after clearPool it connects again', async () => {
    const text = muxString('at-once');
    const factory = PgProviderFactory.instance;
    await (await openMux(text)).close();
    const before = multiplexerOf(text);
    const connection = factory.createConnection(text);
    const opening = connection.open();
    expect(connection.state).toBe(ConnectionState.Open);
    await opening;
    expect(await scalar(connection, 'SELECT 41 + 1')).toBe(42);
    const closing = connection.close();
    expect(connection.state).toBe(ConnectionState.Closed);
    await closing;
    await factory.clearPool(text);
    expect(before.closed).toBe(true);
    const again = factory.createConnection(text);
    const reopening = again.open();
    // A cleared multiplexer is not reused: this open connects a new one.
    expect(again.state).toBe(ConnectionState.Connecting);
    await reopening;
    expect(await scalar(again, 'SELECT 7')).toBe(7);
    expect(multiplexerOf(text)).not.toBe(before);
    await again.close();
  });

  it('reads rows, several results and records affected through a reader', async () => {
    await using connection = await openMux(muxString('reader'));
    const table = uniqueName('mux_reader');
    await execute(connection, `CREATE TABLE ${table} (id int primary key, name text)`);
    try {
      expect(await execute(connection, `INSERT INTO ${table} VALUES (1, 'a'), (2, 'b'), (3, 'c')`)).toBe(3);
      expect(await rows(connection, `SELECT id, name FROM ${table} ORDER BY id`)).toEqual([
        [1, 'a'],
        [2, 'b'],
        [3, 'c'],
      ]);
      const command = connection.createCommand(
        `SELECT count(*)::int FROM ${table}; UPDATE ${table} SET name = 'z' WHERE id > @min; SELECT 'x'`,
      );
      command.parameters.addWithValue('@min', 1);
      const reader = await command.executeReader();
      expect(await reader.read()).toBe(true);
      expect(reader.getValue(0)).toBe(3);
      // The UPDATE has no columns: the reader moves past it to the last SELECT.
      expect(await reader.nextResult()).toBe(true);
      expect(await reader.read()).toBe(true);
      expect(reader.getValue(0)).toBe('x');
      await reader.close();
      expect(reader.recordsAffected).toBe(2);
    } finally {
      await execute(connection, `DROP TABLE ${table}`);
    }
  });

  it('close() after nextResult() returned false resolves (the ReadyForQuery was already read)', async () => {
    await using connection = await openMux(muxString('close-after-end'));
    for (const sql of ['SELECT 0 -- trailing', '-- nothing to do', 'SELECT 1; SELECT 2']) {
      const reader = await connection.createCommand(sql).executeReader();
      while (await reader.nextResult()) {
        // walk every result to the end
      }
      await reader.close();
      expect(reader.isClosed).toBe(true);
    }
    expect(await scalar(connection, 'SELECT 3')).toBe(3);
  });

  it('while the pool has room, a command does not queue behind a busy session: it gets a session of its own', async () => {
    const text = muxString('no-hol-while-room', 5);
    const connections = await Promise.all(Array.from({ length: 3 }, () => openMux(text)));
    try {
      const sleeps = connections.map((connection) => scalar(connection, 'SELECT 1 FROM pg_sleep(0.3)'));
      expect(await Promise.all(sleeps)).toEqual([1, 1, 1]);
      expect(multiplexerOf(text).sessionCount).toBe(3);
    } finally {
      await Promise.all(connections.map((connection) => connection.close()));
    }
  });

  it('a reader that stops reading holds its session; the commands behind it complete once it is closed', async () => {
    const text = muxString('slow-reader', 1);
    await using holder = await openMux(text);
    const others = await Promise.all(Array.from({ length: 5 }, () => openMux(text)));
    try {
      const reader = await holder.createCommand('SELECT g FROM generate_series(1, 200000) g').executeReader();
      expect(await reader.read()).toBe(true);
      expect(reader.getValue(0)).toBe(1);
      // One session, full pool: these go behind the reader in its pipeline.
      const behind = others.map((other, i) => scalar(other, 'SELECT @i::int', { i }));
      await reader.close();
      expect(await Promise.all(behind)).toEqual([0, 1, 2, 3, 4]);
      expect(multiplexerOf(text).sessionCount).toBe(1);
    } finally {
      await Promise.all(others.map((other) => other.close()));
    }
  });

  it('reads a type the multiplexer has not met (an enum) through a lookup of its own', async () => {
    await using connection = await openMux(muxString('enum'));
    const type = uniqueName('mux_mood');
    await execute(connection, `CREATE TYPE ${type} AS ENUM ('sad', 'ok', 'happy')`);
    try {
      expect(await rows(connection, `SELECT 'happy'::${type}, 'ok'::${type}`)).toEqual([['happy', 'ok']]);
      expect(await scalar(connection, `SELECT 'sad'::${type}`)).toBe('sad');
    } finally {
      await execute(connection, `DROP TYPE ${type}`);
    }
  });

  it('reads a result of 20 000 rows in order', async () => {
    await using connection = await openMux(muxString('large'));
    const values = await rows(connection, 'SELECT g FROM generate_series(1, 20000) g');
    expect(values.length).toBe(20000);
    expect(values.every((row, i) => row[0] === i + 1)).toBe(true);
  });

  it("one command's failure never fails another caller's command in the same pipeline", async () => {
    const text = muxString('isolation', 1);
    const connections = await Promise.all(Array.from({ length: 50 }, () => openMux(text)));
    try {
      const outcomes = await Promise.all(
        connections.map((connection, i) =>
          i % 5 === 0
            ? scalar(connection, 'SELECT 1/0').then(
                () => 'no error',
                (error: unknown) => (error instanceof DbError ? error.sqlState : error),
              )
            : scalar(connection, 'SELECT @i::int', { i }),
        ),
      );
      expect(outcomes).toEqual(connections.map((_, i) => (i % 5 === 0 ? '22012' : i)));
      expect(multiplexerOf(text).sessionCount).toBe(1);
    } finally {
      await Promise.all(connections.map((connection) => connection.close()));
    }
  });

  it('a transaction holds one session until commit; its commands see its own uncommitted work', async () => {
    const text = muxString('tx', 2);
    await using connection = await openMux(text);
    await using other = await openMux(text);
    const table = uniqueName('mux_tx');
    await execute(connection, `CREATE TABLE ${table} (id int)`);
    try {
      const transaction = await connection.beginTransaction();
      const pid = await txScalar(connection, transaction, 'SELECT pg_backend_pid()');
      await txExecute(connection, transaction, `INSERT INTO ${table} VALUES (1)`);
      // Other callers keep running meanwhile, on the other session, and do not see the row.
      const seen: unknown[] = [];
      for (let i = 0; i < 20; i += 1) seen.push(await scalar(other, `SELECT count(*)::int FROM ${table}`));
      expect(seen.every((count) => count === 0)).toBe(true);
      for (let i = 0; i < 5; i += 1) {
        expect(await txScalar(connection, transaction, 'SELECT pg_backend_pid()')).toBe(pid);
        expect(await txScalar(connection, transaction, `SELECT count(*)::int FROM ${table}`)).toBe(1);
      }
      await transaction.commit();
      expect(await scalar(other, `SELECT count(*)::int FROM ${table}`)).toBe(1);
      const rolled = await connection.beginTransaction();
      await txExecute(connection, rolled, `INSERT INTO ${table} VALUES (2)`);
      await rolled.rollback();
      expect(await scalar(other, `SELECT count(*)::int FROM ${table}`)).toBe(1);
    } finally {
      await execute(connection, `DROP TABLE ${table}`);
    }
  });

  it('closing a connection with a transaction open rolls it back', async () => {
    const text = muxString('tx-close', 1);
    const table = uniqueName('mux_txc');
    await using other = await openMux(text);
    await execute(other, `CREATE TABLE ${table} (id int)`);
    try {
      const connection = await openMux(text);
      const transaction = await connection.beginTransaction();
      try {
        await txExecute(connection, transaction, `INSERT INTO ${table} VALUES (1)`);
      } finally {
        await connection.close();
      }
      expect(await scalar(other, `SELECT count(*)::int FROM ${table}`)).toBe(0);
    } finally {
      await execute(other, `DROP TABLE ${table}`);
    }
  });

  it("a transaction's session killed from outside breaks its connection; the other connections go on", async () => {
    const text = muxString('tx-killed', 2);
    const connection = await openMux(text);
    await using other = await openMux(text);
    const transaction = await connection.beginTransaction();
    const pid = await txScalar(connection, transaction, 'SELECT pg_backend_pid()');
    await withObserver((observer) => scalar(observer, 'SELECT pg_terminate_backend(@pid)', { pid }));
    await eventually(async () => connection.state === ConnectionState.Broken);
    await connection.close();
    expect(await scalar(other, 'SELECT 8')).toBe(8);
  });

  it.each([
    'SET search_path = public',
    "SELECT set_config('search_path', 'public', false)",
    'CREATE TEMP TABLE t (id int)',
    'LISTEN channel',
    'PREPARE p AS SELECT 1',
    'SELECT pg_advisory_lock(1)',
    'DISCARD ALL',
    'BEGIN',
    'COPY x FROM STDIN',
  ])('refuses a statement that would leave session state: %s', async (sql) => {
    await using connection = await openMux(muxString('scope'));
    await expect(execute(connection, sql)).rejects.toBeInstanceOf(NotSupportedError);
    await expect(rows(connection, sql)).rejects.toBeInstanceOf(NotSupportedError);
    expect(await scalar(connection, 'SELECT 5')).toBe(5);
  });

  it('allows the transaction-scoped forms inside a transaction', async () => {
    await using connection = await openMux(muxString('scope-tx'));
    const transaction = await connection.beginTransaction();
    await txExecute(connection, transaction, "SET LOCAL statement_timeout = '5s'");
    await txExecute(connection, transaction, 'CREATE TEMP TABLE mux_local (id int) ON COMMIT DROP');
    await txExecute(connection, transaction, 'SELECT pg_advisory_xact_lock(42)');
    expect(await txScalar(connection, transaction, "SELECT set_config('statement_timeout', '7s', true)")).toBe('7s');
    await transaction.commit();
  });

  it('refuses a stored procedure by name and an output parameter (never leaves them unfilled)', async () => {
    const connection = await openMux(muxString('routines'));
    try {
      const byName = connection.createCommand('now');
      byName.commandType = 'StoredProcedure';
      await expect(byName.executeScalar()).rejects.toBeInstanceOf(NotSupportedError);
      const withOutput = connection.createCommand('SELECT 1 AS o');
      const output = withOutput.createParameter();
      output.parameterName = '@o';
      output.direction = 'Output';
      withOutput.parameters.add(output);
      await expect(withOutput.executeScalar()).rejects.toBeInstanceOf(NotSupportedError);
      expect(await scalar(connection, 'SELECT 2')).toBe(2);
    } finally {
      await connection.close();
    }
  });

  it('Pooling=false with Multiplexing=true is refused', async () => {
    const connection = PgProviderFactory.instance.createConnection(
      connectionString({ Multiplexing: true, Pooling: false }),
    );
    await expect(connection.open()).rejects.toThrow(/Pooling=false/);
  });
});

describe('Multiplexing=true: cancellation', () => {
  it('cancels a long statement on the server; the commands behind it on the same session complete', async () => {
    const text = muxString('cancel-head', 1);
    await using victim = await openMux(text);
    const others = await Promise.all(Array.from({ length: 10 }, () => openMux(text)));
    const command = victim.createCommand('SELECT pg_sleep(30)');
    const running = command.executeScalar().catch((error: unknown) => error);
    await eventually(async () =>
      withObserver(
        async (observer) =>
          Number(
            await scalar(
              observer,
              "SELECT count(*) FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(30)' AND state = 'active'",
            ),
          ) > 0,
      ),
    );
    const behind = Promise.all(others.map((other, i) => scalar(other, 'SELECT @i::int', { i })));
    command.cancel();
    expect(await running).toBeInstanceOf(OperationCanceledError);
    expect(await behind).toEqual(Array.from({ length: 10 }, (_, i) => i));
    await Promise.all(others.map((other) => other.close()));
  });

  it('a command cancelled while queued behind others is taken back without a CancelRequest', async () => {
    const text = muxString('cancel-queued', 1);
    await using blocker = await openMux(text);
    await using victim = await openMux(text);
    const slow = scalar(blocker, 'SELECT 1 FROM pg_sleep(0.3)');
    const controller = new AbortController();
    const before = pgCancelRequestStats.sent;
    const queued = victim
      .createCommand('SELECT 2')
      .executeScalar({ signal: controller.signal })
      .catch((e: unknown) => e);
    controller.abort();
    expect(await queued).toBeInstanceOf(OperationCanceledError);
    expect(await slow).toBe(1);
    expect(pgCancelRequestStats.sent).toBe(before);
  });

  it('hundreds of cancel races among concurrent callers: 0 wrong results', async () => {
    const text = muxString('cancel-race', 2);
    const callers = await Promise.all(Array.from({ length: 8 }, () => openMux(text)));
    const wrong: unknown[] = [];
    const cancelsBefore = pgCancelRequestStats.sent;
    const retriesBefore = pgMultiplexingStats.strayCancelRetries;
    let canceled = 0;
    let races = 0;
    try {
      for (let round = 0; round < 40; round += 1) {
        await Promise.all(
          callers.map(async (connection, i) => {
            for (let k = 0; k < 3; k += 1) {
              const expected = round * 1000 + i * 10 + k;
              const command = connection.createCommand('SELECT @v::int FROM pg_sleep(0.002)');
              command.parameters.addWithValue('@v', expected);
              if ((i + k + round) % 3 !== 0) {
                // A bystander: never cancelled, so it must always return its own value.
                const value = await command.executeScalar().catch((error: unknown) => error);
                if (value !== expected) wrong.push({ bystander: expected, got: String(value) });
                continue;
              }
              // The victim: cancelled at a random point of its life (queued, written, at the head, done).
              races += 1;
              const controller = new AbortController();
              const outcome = command.executeScalar({ signal: controller.signal }).catch((error: unknown) => error);
              setTimeout(() => controller.abort(), (round + i + k) % 6);
              const value = await outcome;
              if (value instanceof OperationCanceledError) canceled += 1;
              else if (value !== expected) wrong.push({ victim: expected, got: String(value) });
            }
          }),
        );
      }
    } finally {
      await Promise.all(callers.map((connection) => connection.close()));
    }
    expect(wrong).toEqual([]);
    expect(races).toBe(320);
    console.info(
      `cancel races: ${races}, canceled ${canceled}, CancelRequests ${pgCancelRequestStats.sent - cancelsBefore}, ` +
        `commands hit by a cancel meant for another and sent again: ${pgMultiplexingStats.strayCancelRetries - retriesBefore}`,
    );
    // Both outcomes occurred: the races did hit commands at different points of their life.
    expect(canceled).toBeGreaterThan(0);
    expect(canceled).toBeLessThan(races);
  });
});
